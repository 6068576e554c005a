"""Assignments (uppdrag, issue 15 point 3): the list, writing one, its page and history,
and who may do what (the role × URL grid of point 5)."""

import datetime

from django.test import TestCase
from django.urls import reverse

from goals.models import Assignment
from goals.services import assignment_save
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant


def make_assignment(w, **fields):
    values = {
        "giver": w.kf,
        "owner": w.bun,
        "title": "Utred fler platser i fritidshem",
        "decision_reference": "KF 2025/87 § 41",
        "decided_on": datetime.date(2025, 2, 10),
        "due": datetime.date(2025, 12, 31),
        "goal": w.council_goal,
        **fields,
    }
    return assignment_save(
        assignment=Assignment(**values), user=w.controller, expected_version=None
    )


class AssignmentGridTests(TestCase):
    """Every persona against every assignment URL: what answers, what is refused."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.assignment = make_assignment(w)
        w.bun_editor = UserFactory(username="bunred", first_name="Bo", last_name="Nämnd")
        grant(w.bun_editor, w.bun, Role.EDITOR)

    def urls(self):
        pk = self.assignment.pk
        return {
            "list": reverse("goals:assignment_list"),
            "detail": reverse("goals:assignment_detail", args=[pk]),
            "history": reverse("goals:assignment_detail", args=[pk]) + "?flik=historik",
            "create": reverse("goals:assignment_create"),
            "edit": reverse("goals:assignment_edit", args=[pk]),
        }

    def test_the_grid(self):
        w = self.w
        # persona → the status of each URL (a GET)
        grid = {
            "anonymous": (None, dict.fromkeys(self.urls(), 302)),
            "reader": (
                w.reader,
                {"list": 200, "detail": 200, "history": 200, "create": 403, "edit": 403},
            ),
            "unit editor": (
                w.editor,
                {"list": 200, "detail": 200, "history": 200, "create": 403, "edit": 403},
            ),
            # a committee's editor gives its own units assignments, not the council's
            "committee editor": (
                w.bun_editor,
                {"list": 200, "detail": 200, "history": 200, "create": 200, "edit": 403},
            ),
            "controller": (
                w.controller,
                {"list": 200, "detail": 200, "history": 200, "create": 200, "edit": 200},
            ),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name, url in self.urls().items():
                with self.subTest(persona=persona, url=name):
                    self.assertEqual(self.client.get(url).status_code, expected[name])

    def test_a_refused_edit_changes_nothing(self):
        self.client.force_login(self.w.bun_editor)
        response = self.client.post(
            reverse("goals:assignment_edit", args=[self.assignment.pk]),
            {
                "giver": self.w.kf.pk,
                "owner": self.w.bun.pk,
                "title": "Kapat",
                "due": "2025-12-31",
                "version": self.assignment.version,
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Assignment.objects.get().title, "Utred fler platser i fritidshem")

    def test_unknown_assignment_is_404(self):
        self.client.force_login(self.w.controller)
        self.assertEqual(
            self.client.get(reverse("goals:assignment_detail", args=[9999])).status_code, 404
        )


class AssignmentWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        w.bun_editor = UserFactory(username="bunred", first_name="Bo", last_name="Nämnd")
        grant(w.bun_editor, w.bun, Role.EDITOR)

    def post(self, url, **fields):
        data = {
            "giver": self.w.kf.pk,
            "owner": self.w.bun.pk,
            "title": "Ta fram en plan för fler förskoleplatser",
            "description": "Redovisas till KF i december.",
            "goal": self.w.council_goal.pk,
            "decision_reference": "KF 2025/12 § 7",
            "decided_on": "2025-02-10",
            "due": "2025-11-30",
            **fields,
        }
        return self.client.post(url, data)

    def test_controller_gives_the_council_assignment_with_history(self):
        self.client.force_login(self.w.controller)
        response = self.post(reverse("goals:assignment_create"))
        a = Assignment.objects.get()
        self.assertRedirects(response, reverse("goals:assignment_detail", args=[a.pk]))
        self.assertEqual((a.giver, a.owner, a.status), (self.w.kf, self.w.bun, "not_started"))
        history = list(a.history.all())
        self.assertEqual(len(history), 1)
        self.assertEqual(history[0].history_user, self.w.controller)
        page = self.client.get(reverse("goals:assignment_detail", args=[a.pk]))
        self.assertContains(page, "Ta fram en plan för fler förskoleplatser")
        self.assertContains(page, "KF 2025/12 § 7")
        self.assertContains(page, "Ej påbörjat")

    def test_an_edit_writes_one_history_row_shown_on_the_history_tab(self):
        a = make_assignment(self.w)
        self.client.force_login(self.w.controller)
        response = self.post(
            reverse("goals:assignment_edit", args=[a.pk]),
            title="Utred fler platser i fritidshem och förskola",
            version=a.version,
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(a.history.count(), 2)
        self.assertEqual(a.history.first().history_user, self.w.controller)
        page = self.client.get(reverse("goals:assignment_detail", args=[a.pk]) + "?flik=historik")
        self.assertContains(page, "Utred fler platser i fritidshem och förskola")
        self.assertContains(page, "Cecilia Controller")

    def test_a_stale_edit_is_a_conflict_and_saves_nothing(self):
        a = make_assignment(self.w)
        self.client.force_login(self.w.controller)
        stale = a.version
        self.post(reverse("goals:assignment_edit", args=[a.pk]), title="Först", version=stale)
        response = self.post(
            reverse("goals:assignment_edit", args=[a.pk]), title="Sen", version=stale
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Någon annan har sparat", status_code=409)
        self.assertEqual(Assignment.objects.get().title, "Först")

    def test_a_committee_cannot_give_another_committees_unit_an_assignment(self):
        self.client.force_login(self.w.bun_editor)
        response = self.post(
            reverse("goals:assignment_create"),
            giver=self.w.bun.pk,
            owner=self.w.boende1.pk,
            goal="",
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Välj ett giltigt alternativ")
        self.assertFalse(Assignment.objects.exists())

    def test_a_committee_gives_its_own_unit_an_assignment(self):
        self.client.force_login(self.w.bun_editor)
        response = self.post(
            reverse("goals:assignment_create"),
            giver=self.w.bun.pk,
            owner=self.w.skola1.pk,
            goal=self.w.committee_goal.pk,
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Assignment.objects.get().owner, self.w.skola1)

    def test_the_rule_refuses_a_goal_of_someone_else_and_a_due_date_before_the_decision(self):
        self.client.force_login(self.w.controller)
        response = self.post(
            reverse("goals:assignment_create"),
            owner=self.w.von.pk,
            goal=self.w.committee_goal.pk,
            due="2025-01-01",
        )
        self.assertContains(response, "Välj ett mål som Kommunfullmäktige eller Vård- och")
        self.assertContains(response, "Uppdraget kan inte vara klart före beslutsdatum.")
        self.assertFalse(Assignment.objects.exists())

    def test_the_list_filters_overdue_ones(self):
        make_assignment(self.w, title="Gammalt uppdrag", due=datetime.date(2025, 3, 1))
        make_assignment(self.w, title="Framtida uppdrag", due=datetime.date(2099, 3, 1))
        self.client.force_login(self.w.reader)
        page = self.client.get(reverse("goals:assignment_list") + "?status=overdue")
        self.assertContains(page, "Gammalt uppdrag")
        self.assertContains(page, "Försenat")
        self.assertNotContains(page, "Framtida uppdrag")
        page = self.client.get(reverse("goals:assignment_list"))
        self.assertContains(page, "Framtida uppdrag")


class AssignmentListQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def count(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.w.controller)
        self.client.get(reverse("goals:assignment_list"))
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("goals:assignment_list") + "?status=all")
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries), response

    def test_the_list_runs_a_fixed_number_of_queries_a_page_at_a_time(self):
        make_assignment(self.w)
        small, _ = self.count()
        for n in range(60):
            make_assignment(self.w, title=f"Uppdrag {n}", owner=self.w.von, goal=None)
        big, response = self.count()
        # session, user, roles, the menu's counts (two), can the user give assignments,
        # the number of rows and the page
        self.assertEqual((small, big), (8, 8))
        self.assertEqual(len(response.context["rows"]), 50)
        self.assertContains(response, "Sida 1 av 2")


class AssignmentRuleOnEveryPathTests(TestCase):
    """The rule lives in ``goals.rules.assignment_errors``: the service (and so the
    admin, the demo) refuses what the screen refuses, with the same message."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_the_service_refuses_an_owner_outside_the_giver(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError) as caught:
            make_assignment(self.w, giver=self.w.bun, owner=self.w.boende1, goal=None)
        self.assertEqual(
            caught.exception.message_dict["owner"],
            ["Uppdraget ska ges till en nämnd eller enhet under Barn- och utbildningsnämnden."],
        )
        self.assertFalse(Assignment.objects.exists())

    def test_the_admin_refuses_a_unit_as_giver(self):
        from tests.factories import UserFactory as Factory

        admin = Factory(username="root", is_superuser=True, is_staff=True)
        self.client.force_login(admin)
        response = self.client.post(
            reverse("admin:goals_assignment_add"),
            {
                "giver": self.w.skola1.pk,
                "owner": self.w.skola1.pk,
                "title": "Fel",
                "due": "2025-12-31",
                "status": "not_started",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Uppdrag ges av kommunfullmäktige eller en nämnd.")
        self.assertFalse(Assignment.objects.exists())
