"""The goals a steering document may support (issue 12 at large, issue 17 point 3): the
council's and, for a committee's document, that committee's own; never a unit's or
another committee's. The owner comes first; the form offers that owner's goals, a
bounded list whoever writes, and one rule refuses other goals on every path."""

import datetime
import re

from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import GoalLevel, GoalStatus
from ledmot.lib.forms import PICK
from ledmot.models import OrgKind, Role
from steering.models import SteeringDocument
from steering.services import document_decide, document_save
from tests.conftest import build_world
from tests.factories import GoalFactory, OrgUnitFactory, UserFactory, grant

REFUSED = "kan bara stödja fullmäktiges mål och ägarens egna mål"


def goal_box(goal):
    return f'name="goals" value="{goal.pk}"'


def ticked(page, goal) -> bool:
    return bool(re.search(rf'name="goals" value="{goal.pk}" id="[^"]+" checked', page.text))


class SupportedGoalsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.von_goal = GoalFactory(
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=w.von,
            mandate_period=w.period,
            title="Beslut om bistånd ska vara snabba och rättssäkra",
        )
        cls.ended_goal = GoalFactory(
            owner=w.kf,
            mandate_period=w.period,
            status=GoalStatus.ENDED,
            title="Ett avslutat mål från förra perioden",
        )
        w.bun_editor = UserFactory(username="bunred")
        grant(w.bun_editor, w.bun, Role.EDITOR)

    def create_url(self, owner=None):
        url = reverse("steering:create")
        return f"{url}?agare={owner.pk}" if owner is not None else url

    def data(self, **values):
        return {
            "title": "Policy för kost",
            "kind": "policy",
            "owner": self.w.kf.pk,
            "link": "https://www.example.se/kost.pdf",
            **values,
        }

    def test_the_owner_comes_first_and_its_goals_follow(self):
        w = self.w
        self.client.force_login(w.controller)
        # several owners: choose one first; no goal is offered before
        page = self.client.get(self.create_url())
        self.assertContains(page, "Välj ägaren först")
        self.assertContains(page, f'name="{PICK}"')
        self.assertNotContains(page, 'name="goals"')
        # the council's document: the council's live goals only
        page = self.client.get(self.create_url(w.kf))
        self.assertContains(page, goal_box(w.council_goal))
        for goal in (w.committee_goal, self.von_goal, w.unit_goal, self.ended_goal):
            self.assertNotContains(page, goal_box(goal))
        # a committee's document: the council's and its own, not another committee's
        page = self.client.get(self.create_url(w.bun))
        self.assertContains(page, goal_box(w.council_goal))
        self.assertContains(page, goal_box(w.committee_goal))
        for goal in (self.von_goal, w.unit_goal, w.proposed_goal):
            self.assertNotContains(page, goal_box(goal))

    def test_the_button_and_htmx_show_the_chosen_owners_goals_and_save_nothing(self):
        w = self.w
        self.client.force_login(w.controller)
        posted = self.data(owner=w.von.pk, goals=[w.council_goal.pk], **{PICK: "1"})
        page = self.client.post(self.create_url(), posted)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'value="Policy för kost"')  # what was typed stays
        self.assertContains(page, goal_box(self.von_goal))
        self.assertTrue(ticked(page, w.council_goal))
        self.assertNotContains(page, goal_box(w.committee_goal))
        self.assertNotContains(page, "field-error")
        # with htmx only the goals come back
        page = self.client.post(self.create_url(), posted, headers={"HX-Request": "true"})
        self.assertContains(page, 'id="document-goals"')
        self.assertNotContains(page, "<form")
        self.assertContains(page, goal_box(self.von_goal))
        self.assertFalse(SteeringDocument.objects.exists())

    def test_one_owner_needs_no_choice(self):
        self.client.force_login(self.w.bun_editor)
        page = self.client.get(self.create_url())
        self.assertNotContains(page, f'name="{PICK}"')
        self.assertContains(page, goal_box(self.w.committee_goal))

    def test_a_goal_outside_the_owners_is_refused_by_the_form_and_nothing_saved(self):
        w = self.w
        self.client.force_login(w.controller)
        cases = [
            (w.kf, w.committee_goal),  # a committee's goal in the council's document
            (w.bun, self.von_goal),  # another committee's
            (w.bun, w.unit_goal),  # a unit's
            (w.kf, self.ended_goal),  # no longer live
        ]
        for owner, goal in cases:
            with self.subTest(owner=owner.code, goal=goal.title):
                page = self.client.post(
                    self.create_url(), self.data(owner=owner.pk, goals=[goal.pk])
                )
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, REFUSED)
                self.assertContains(page, f"Inte: {goal.title}.")
                self.assertContains(page, 'id="id_goals_error"')  # beside the field
                self.assertFalse(SteeringDocument.objects.exists())
        page = self.client.post(
            self.create_url(), self.data(owner=w.bun.pk, goals=[w.council_goal.pk])
        )
        self.assertEqual(page.status_code, 302)

    def test_the_service_refuses_them_too_and_changes_nothing(self):
        w = self.w
        with self.assertRaises(ValidationError) as refused:
            document_save(
                document=SteeringDocument(title="X", kind="policy", owner=w.kf),
                user=w.controller,
                expected_version=None,
                goals=[w.unit_goal],
            )
        self.assertIn(REFUSED, refused.exception.message_dict["goals"][0])
        self.assertFalse(SteeringDocument.objects.exists())
        document = document_save(
            document=SteeringDocument(title="X", kind="policy", owner=w.bun),
            user=w.controller,
            expected_version=None,
            goals=[w.committee_goal],
        )
        document.summary = "Ändrad"
        with self.assertRaises(ValidationError):
            document_save(
                document=document,
                user=w.controller,
                expected_version=document.version,
                goals=[w.committee_goal, self.von_goal],
            )
        stored = SteeringDocument.objects.get(pk=document.pk)
        self.assertEqual(stored.summary, "")
        self.assertEqual(list(stored.goals.all()), [w.committee_goal])

    def test_the_admin_writes_nothing(self):
        w = self.w
        document = document_save(
            document=SteeringDocument(title="X", kind="policy", owner=w.kf),
            user=None,
            expected_version=None,
            goals=[w.council_goal],
        )
        root = UserFactory(username="root", is_superuser=True, is_staff=True)
        self.client.force_login(root)
        change = reverse("admin:steering_steeringdocument_change", args=[document.pk])
        page = self.client.post(change, {"title": "X", "goals": [w.unit_goal.pk]})
        self.assertEqual(page.status_code, 403)
        page = self.client.post(reverse("admin:steering_steeringdocument_add"), {"title": "Y"})
        self.assertEqual(page.status_code, 403)
        self.assertEqual(list(document.goals.all()), [w.council_goal])
        self.assertEqual(SteeringDocument.objects.count(), 1)
        request = RequestFactory().get("/")
        request.user = root
        self.assertFalse(site._registry[SteeringDocument].has_change_permission(request, document))

    def test_a_goal_linked_before_stays_shown_and_ticked(self):
        """A decided document linked to a unit's goal before the rule: its page of
        changes shows the goal ticked, and its review date changes without touching it."""
        w = self.w
        document = document_save(
            document=SteeringDocument(
                title="Kostpolicy", kind="policy", owner=w.kf, link="https://x.se/k"
            ),
            user=None,
            expected_version=None,
            goals=[w.council_goal],
        )
        document.goals.add(w.unit_goal)  # as linked before the rule
        document = document_decide(
            document=document,
            user=None,
            expected_version=None,
            decided_by="Kommunfullmäktige",
            decision_reference="KF 2024/1",
            decided_on=datetime.date(2024, 3, 1),
            valid_from=datetime.date(2024, 4, 1),
        )
        self.client.force_login(w.controller)
        url = reverse("steering:edit", args=[document.pk])
        page = self.client.get(url)
        self.assertTrue(ticked(page, w.unit_goal))
        self.assertTrue(ticked(page, w.council_goal))
        self.assertNotContains(page, goal_box(w.committee_goal))
        self.assertNotContains(page, f'name="{PICK}"')  # a decided document's owner is fixed
        page = self.client.post(
            url,
            {
                "review_on": "2027-06-30",
                "goals": [w.council_goal.pk, w.unit_goal.pk],
                "version": document.version,
            },
        )
        self.assertEqual(page.status_code, 302)
        stored = SteeringDocument.objects.get(pk=document.pk)
        self.assertEqual(stored.review_on, datetime.date(2027, 6, 30))
        self.assertEqual(set(stored.goals.all()), {w.council_goal, w.unit_goal})
        # a new goal of a unit is still refused
        page = self.client.post(
            url,
            {"review_on": "2027-06-30", "goals": [w.proposed_goal.pk], "version": stored.version},
        )
        self.assertContains(page, REFUSED)
        self.assertEqual(set(stored.goals.all()), {w.council_goal, w.unit_goal})

    def test_the_form_is_bounded_whatever_the_size_of_the_municipality(self):
        """A controller's form offers the same goals with the same queries when the
        municipality grows by committees, units and their goals."""
        w = self.w
        self.client.force_login(w.controller)

        def measure():
            with CaptureQueriesContext(connection) as queries:
                page = self.client.get(self.create_url(w.bun))
            self.assertEqual(page.status_code, 200)
            return len(queries), page.content.decode().count('name="goals"')

        small = measure()
        for n in range(6):
            committee = OrgUnitFactory(
                name=f"Nämnd {n}", code=f"N{n}", kind=OrgKind.COMMITTEE, parent=w.kf
            )
            committee_goal = GoalFactory(
                level=GoalLevel.COMMITTEE,
                parent=w.council_goal,
                owner=committee,
                mandate_period=w.period,
            )
            for m in range(5):
                unit = OrgUnitFactory(name=f"Enhet {n}.{m}", code=f"E{n}X{m}", parent=committee)
                GoalFactory(
                    level=GoalLevel.UNIT,
                    parent=committee_goal,
                    owner=unit,
                    mandate_period=w.period,
                )
            school = OrgUnitFactory(name=f"Skola {n}", code=f"S{n}", parent=w.buf)
            GoalFactory(
                level=GoalLevel.UNIT,
                parent=w.committee_goal,
                owner=school,
                mandate_period=w.period,
            )
        large = measure()
        self.assertEqual(small, large)
        self.assertEqual(small[1], 2)  # the council's goal and the committee's
