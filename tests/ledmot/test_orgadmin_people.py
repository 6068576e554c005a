"""Organisation och behörigheter, people: the role × URL grid, the list's search and
filters, a person's page (roles direct and inherited, sign-in kind, last sign-in),
adding, deactivating and giving and taking roles, and a committee admin kept to the
people of his part of the tree, also when he edits the ids in a posted form."""

import io

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from ledmot.models import Role, RoleAssignment
from tests.factories import UserFactory, grant
from tests.ledmot.test_orgadmin_units import admin_world

PEOPLE = reverse("orgadmin:person_list")
NEW = reverse("orgadmin:person_create")
User = get_user_model()


def snapshot():
    return (
        list(
            User.objects.order_by("pk").values_list(
                "pk", "username", "first_name", "email", "is_active"
            )
        ),
        list(
            RoleAssignment.objects.order_by("pk").values_list(
                "pk", "user_id", "org_unit_id", "role"
            )
        ),
    )


def detail(person):
    return reverse("orgadmin:person_detail", args=[person.pk])


class PeopleGridTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = admin_world()

    def requests(self, person, unit):
        role = RoleAssignment.objects.filter(user=person).first()
        return [
            ("get", PEOPLE, {}),
            ("get", NEW, {}),
            ("get", detail(person), {}),
            (
                "post",
                NEW,
                {
                    "username": "ny",
                    "first_name": "Ny",
                    "last_name": "Person",
                    "email": "ny@example.org",
                    "unit": unit.pk,
                    "role": Role.READER,
                },
            ),
            (
                "post",
                detail(person),
                {"first_name": "Ändrad", "last_name": "X", "email": "x@example.org"},
            ),
            ("post", reverse("orgadmin:person_set_active", args=[person.pk]), {"active": "0"}),
            (
                "post",
                reverse("orgadmin:role_grant", args=[person.pk]),
                {"unit": unit.pk, "role": Role.ADMIN},
            ),
            ("post", reverse("orgadmin:role_revoke", args=[person.pk, role.pk]), {}),
        ]

    def run_refused(self, user, person, unit, *, first=0):
        for method, url, data in self.requests(person, unit)[first:]:
            before = snapshot()
            if user is not None:
                self.client.force_login(user)
            response = getattr(self.client, method)(url, data)
            with self.subTest(user=str(user), method=method, url=url):
                if user is None:
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("login"), response["Location"])
                elif response.status_code == 200:  # a form refusing the posted unit
                    self.assertContains(response, "Välj ett giltigt alternativ")
                else:
                    self.assertEqual(response.status_code, 403)
                self.assertEqual(snapshot(), before)

    def test_anonymous_controller_reader_and_editor_are_refused(self):
        for user in (None, self.w.controller, self.w.reader, self.w.editor):
            self.run_refused(user, self.w.editor, self.w.skola1)

    def test_committee_admin_is_refused_for_people_outside_his_committee(self):
        self.run_refused(self.w.bun_admin, self.w.other_editor, self.w.boende1, first=2)

    def test_committee_admin_cannot_give_a_role_outside_by_editing_the_unit_id(self):
        self.client.force_login(self.w.bun_admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:role_grant", args=[self.w.editor.pk]),
            {"unit": self.w.kf.pk, "role": Role.ADMIN},
        )
        self.assertContains(response, "Välj ett giltigt alternativ")
        response = self.client.post(
            NEW,
            {
                "username": "smuggel",
                "first_name": "S",
                "last_name": "M",
                "email": "s@example.org",
                "unit": self.w.vof.pk,
                "role": Role.EDITOR,
            },
        )
        self.assertContains(response, "Välj ett giltigt alternativ")
        self.assertEqual(snapshot(), before)

    def test_committee_admin_cannot_change_a_person_who_also_has_roles_elsewhere(self):
        grant(self.w.editor, self.w.boende1, Role.READER)
        self.client.force_login(self.w.bun_admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:person_set_active", args=[self.w.editor.pk]), {"active": "0"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "har roller utanför", status_code=403)
        outside = RoleAssignment.objects.get(user=self.w.editor, org_unit=self.w.boende1)
        response = self.client.post(
            reverse("orgadmin:role_revoke", args=[self.w.editor.pk, outside.pk])
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(snapshot(), before)

    def test_committee_admin_lists_only_the_people_of_his_committee(self):
        self.client.force_login(self.w.bun_admin)
        response = self.client.get(PEOPLE)
        self.assertContains(response, "Anna Rektor")
        self.assertNotContains(response, "Olle Omsorg")
        self.assertNotContains(response, "Cecilia Controller")


class PeopleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = admin_world()

    def test_search_and_filters(self):
        self.client.force_login(self.w.admin)
        response = self.client.get(PEOPLE, {"q": "rektor"})
        self.assertContains(response, "Anna Rektor")
        self.assertNotContains(response, "Olle Omsorg")
        response = self.client.get(PEOPLE, {"unit": self.w.von.pk})
        self.assertContains(response, "Olle Omsorg")
        self.assertNotContains(response, "Anna Rektor")
        response = self.client.get(PEOPLE, {"role": Role.CONTROLLER})
        self.assertContains(response, "Cecilia Controller")
        self.assertNotContains(response, "Anna Rektor")

    def test_the_list_is_paged(self):
        for i in range(55):
            grant(
                UserFactory(username=f"many{i:02d}", last_name=f"Många {i:02d}"),
                self.w.skola2,
                Role.READER,
            )
        self.client.force_login(self.w.admin)
        response = self.client.get(PEOPLE, {"role": Role.READER})
        self.assertContains(response, "Sida 1 av 2")
        self.assertContains(
            self.client.get(PEOPLE, {"role": Role.READER, "sida": 2}), "Sida 2 av 2"
        )

    def test_the_list_runs_a_fixed_number_of_queries(self):
        self.client.force_login(self.w.admin)
        self.client.get(PEOPLE)
        # 7 for the page, 2 for the menu's "Att granska" count (an admin may approve).
        with self.assertNumQueries(9) as small:
            self.client.get(PEOPLE)
        for i in range(20):
            grant(UserFactory(username=f"more{i}"), self.w.skola2, Role.EDITOR)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(PEOPLE)

    def test_a_persons_page_marks_inherited_roles_and_the_sign_in_kind(self):
        self.client.force_login(self.w.admin)
        response = self.client.get(detail(self.w.reader))
        self.assertContains(
            response, 'Kommunfullmäktige <span class="muted">(direkt)</span>', html=False
        )
        self.assertContains(
            response, 'Ekbackens skola <span class="muted">(ärvd)</span>', html=False
        )
        self.assertContains(response, "Lokalt lösenord")
        self.assertContains(response, "Aldrig")

    def test_admin_adds_a_person_without_password_and_gives_and_takes_roles(self):
        self.client.force_login(self.w.admin)
        response = self.client.post(
            NEW,
            {
                "username": "sara",
                "first_name": "Sara",
                "last_name": "Svensson",
                "email": "sara@example.org",
                "unit": "",
                "role": "",
            },
        )
        sara = User.objects.get(username="sara")
        self.assertRedirects(response, detail(sara))
        self.assertFalse(sara.has_usable_password())
        self.assertContains(self.client.get(detail(sara)), "Via identitetsleverantören")
        self.client.post(
            reverse("orgadmin:role_grant", args=[sara.pk]),
            {"unit": self.w.bun.pk, "role": Role.APPROVER},
        )
        assignment = RoleAssignment.objects.get(user=sara)
        self.assertEqual((assignment.org_unit, assignment.role), (self.w.bun, Role.APPROVER))
        self.assertEqual(assignment.history.get().history_user, self.w.admin)
        self.client.post(reverse("orgadmin:role_revoke", args=[sara.pk, assignment.pk]))
        self.assertFalse(RoleAssignment.objects.filter(user=sara).exists())
        self.assertEqual(
            RoleAssignment.history.filter(id=assignment.pk, history_type="-").get().history_user,
            self.w.admin,
        )

    def test_committee_admin_must_give_a_new_person_a_role_in_his_part(self):
        self.client.force_login(self.w.bun_admin)
        before = snapshot()
        data = {
            "username": "ny",
            "first_name": "Ny",
            "last_name": "Person",
            "email": "ny@example.org",
            "unit": "",
            "role": "",
        }
        self.assertContains(self.client.post(NEW, data), "field-error")
        self.assertEqual(snapshot(), before)
        data.update(unit=self.w.skola2.pk, role=Role.EDITOR)
        self.client.post(NEW, data)
        self.assertTrue(
            RoleAssignment.objects.filter(user__username="ny", org_unit=self.w.skola2).exists()
        )

    def test_deactivated_person_is_kept_and_cannot_sign_in(self):
        self.client.force_login(self.w.admin)
        self.client.post(
            reverse("orgadmin:person_set_active", args=[self.w.editor.pk]), {"active": "0"}
        )
        editor = User.objects.get(pk=self.w.editor.pk)
        self.assertFalse(editor.is_active)
        self.client.logout()
        response = self.client.post(
            reverse("login"), {"username": "editor", "password": "losenord-123"}
        )
        self.assertEqual(response.status_code, 200)  # the sign-in form again, not signed in
        self.assertNotIn("_auth_user_id", self.client.session)
        self.client.force_login(self.w.admin)
        self.assertNotContains(self.client.get(PEOPLE), "Anna Rektor")
        self.assertContains(self.client.get(PEOPLE, {"active": "nej"}), "Anna Rektor")

    def test_an_admin_neither_deactivates_himself_nor_takes_his_own_admin_role(self):
        self.client.force_login(self.w.bun_admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:person_set_active", args=[self.w.bun_admin.pk]), {"active": "0"}
        )
        self.assertEqual(response.status_code, 403)
        own = RoleAssignment.objects.get(user=self.w.bun_admin)
        response = self.client.post(
            reverse("orgadmin:role_revoke", args=[self.w.bun_admin.pk, own.pk])
        )
        self.assertContains(response, "din egen administratörsroll", status_code=403)
        self.assertEqual(snapshot(), before)

    def test_only_a_superuser_changes_a_superuser(self):
        boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
        self.client.force_login(self.w.admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:person_set_active", args=[boss.pk]), {"active": "0"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(snapshot(), before)


class RoleExportTests(TestCase):
    """The auditor's list: who holds which role where, as Excel, with the list's filters."""

    @classmethod
    def setUpTestData(cls):
        cls.w = admin_world()

    def rows(self, user, **params):
        self.client.force_login(user)
        response = self.client.get(PEOPLE, {**params, "export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("roller.xlsx", response["Content-Disposition"])
        ws = load_workbook(io.BytesIO(response.content)).active
        return [[c.value for c in row] for row in ws.iter_rows()]

    def test_it_lists_who_holds_which_role_where_and_who_gave_it(self):
        self.client.force_login(self.w.admin)
        self.client.post(
            reverse("orgadmin:role_grant", args=[self.w.reader.pk]),
            {"unit": self.w.bun.pk, "role": Role.APPROVER},
        )
        rows = self.rows(self.w.admin, role=Role.APPROVER)
        self.assertEqual(rows[0][:3], ["Namn", "Användarnamn", "E-post"])
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][0], "Per Politiker")
        self.assertEqual(rows[1][6:9], ["Godkännare", "Barn- och utbildningsnämnden", "BUN"])
        self.assertEqual(rows[1][11], "Ada Admin")

    def test_a_committee_admin_exports_his_part_only(self):
        grant(self.w.editor, self.w.boende1, Role.READER)
        rows = self.rows(self.w.bun_admin)
        units = {r[8] for r in rows[1:]}
        self.assertIn("SKOLA1", units)
        self.assertNotIn("BOENDE1", units)
        self.assertNotIn("KF", units)

    def test_a_name_that_looks_like_a_formula_stays_text(self):
        evil = UserFactory(
            username="evil", first_name='=HYPERLINK("http://x.invalid")', last_name=""
        )
        grant(evil, self.w.skola2, Role.READER)
        rows = self.rows(self.w.admin, q="evil")
        self.assertEqual(rows[1][0], '=HYPERLINK("http://x.invalid")')
        response = self.client.get(PEOPLE, {"q": "evil", "export": "xlsx"})
        ws = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(ws["A2"].data_type, "s")

    def test_others_cannot_export(self):
        for user in (self.w.controller, self.w.reader):
            self.client.force_login(user)
            self.assertEqual(self.client.get(PEOPLE, {"export": "xlsx"}).status_code, 403)


class PersonEditTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = admin_world()

    def test_committee_admin_edits_the_name_of_a_person_in_his_part(self):
        self.client.force_login(self.w.bun_admin)
        response = self.client.post(
            detail(self.w.editor),
            {"first_name": "Anna", "last_name": "Lärare", "email": "anna@example.org"},
        )
        self.assertRedirects(response, detail(self.w.editor))
        editor = User.objects.get(pk=self.w.editor.pk)
        self.assertEqual((editor.last_name, editor.email), ("Lärare", "anna@example.org"))
