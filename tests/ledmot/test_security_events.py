"""Security events: every change of who may do what (a role given or taken, a person or a
unit deactivated or reactivated) is recorded by the one write path with who, what, when
and from which address, and shown with the sign-ins on Säkerhetshändelser; people have a
history like everything else."""

import io

from django.test import TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from ledmot.models import Role, RoleAssignment, SecurityEvent, SecurityEventKind
from ledmot.services import role_grant, roles_apply
from tests.conftest import build_world
from tests.factories import OrgUnitFactory, UserFactory, grant

URL = reverse("signin_events")
ADDRESS = "10.9.8.7"


class RecordedByEveryPathTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.admin = UserFactory(username="admin")
        grant(cls.admin, cls.w.kf, Role.ADMIN)

    def setUp(self):
        self.client.force_login(self.admin)

    def post(self, name, *args, data):
        return self.client.post(reverse(name, args=args), data, REMOTE_ADDR=ADDRESS)

    def only_event(self):
        event = SecurityEvent.objects.get()
        return (
            event.kind,
            event.actor,
            event.actor_username,
            event.username,
            event.subject,
            event.ip_address,
        )

    def test_a_role_given_on_the_persons_page(self):
        w = self.w
        self.post("orgadmin:role_grant", w.reader.pk, data={"unit": w.bun.pk, "role": Role.EDITOR})
        self.assertEqual(
            self.only_event(),
            (
                SecurityEventKind.ROLE_GRANTED,
                self.admin,
                "admin",
                "reader",
                "Redigerare på Barn- och utbildningsnämnden",
                ADDRESS,
            ),
        )

    def test_a_role_taken_on_the_persons_page(self):
        w = self.w
        assignment = RoleAssignment.objects.get(user=w.editor)
        self.post("orgadmin:role_revoke", w.editor.pk, assignment.pk, data={})
        self.assertFalse(RoleAssignment.objects.filter(pk=assignment.pk).exists())
        self.assertEqual(
            self.only_event(),
            (
                SecurityEventKind.ROLE_REVOKED,
                self.admin,
                "admin",
                "editor",
                "Redigerare på Ekbackens skola",
                ADDRESS,
            ),
        )

    def test_a_person_deactivated_and_reactivated(self):
        w = self.w
        self.post("orgadmin:person_set_active", w.reader.pk, data={"active": "0"})
        self.post("orgadmin:person_set_active", w.reader.pk, data={"active": "1"})
        events = SecurityEvent.objects.order_by("pk")
        self.assertEqual(
            [(e.kind, e.username, e.actor_username, e.ip_address) for e in events],
            [
                (SecurityEventKind.PERSON_DEACTIVATED, "reader", "admin", ADDRESS),
                (SecurityEventKind.PERSON_REACTIVATED, "reader", "admin", ADDRESS),
            ],
        )

    def test_a_unit_deactivated(self):
        unit = OrgUnitFactory(name="Gamla skolan", code="GAMLA", parent=self.w.buf)
        self.post("orgadmin:unit_set_active", unit.pk, data={"active": "0"})
        unit.refresh_from_db()
        self.assertFalse(unit.active)
        self.assertEqual(
            self.only_event(),
            (SecurityEventKind.UNIT_DEACTIVATED, self.admin, "admin", "", "Gamla skolan", ADDRESS),
        )

    def test_a_refused_change_records_nothing(self):
        w = self.w
        committee_admin = UserFactory(username="bunadmin")
        grant(committee_admin, w.bun, Role.ADMIN)
        self.client.force_login(committee_admin)
        # A role outside his committee, by an edited id in the posted form.
        self.post("orgadmin:role_grant", w.editor.pk, data={"unit": w.von.pk, "role": Role.ADMIN})
        self.assertFalse(SecurityEvent.objects.exists())
        self.assertFalse(RoleAssignment.objects.filter(org_unit=w.von).exists())

    @override_settings(LEDMOT_TRUSTED_PROXIES=1)
    def test_the_address_behind_the_proxy_is_the_one_the_proxy_saw(self):
        w = self.w
        self.client.post(
            reverse("orgadmin:person_set_active", args=[w.reader.pk]),
            {"active": "0"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.44",
        )
        self.assertEqual(SecurityEvent.objects.get().ip_address, "192.0.2.44")

    def test_the_roles_workbook_records_each_change(self):
        from types import SimpleNamespace

        w = self.w
        change = SimpleNamespace(
            already=False, action="ge", person=w.reader, unit=w.von, role=Role.APPROVER
        )
        roles_apply(changes=[change], user=self.admin)
        event = SecurityEvent.objects.get()
        self.assertEqual(
            (event.kind, event.username, event.actor_username, event.ip_address),
            (SecurityEventKind.ROLE_GRANTED, "reader", "admin", None),
        )

    def test_a_grant_by_the_system_says_why_in_the_history_and_the_events(self):
        w = self.w
        assignment = role_grant(
            person=w.reader, unit=w.bun, role=Role.EDITOR, user=None, reason="Roll från gruppen G"
        )
        record = assignment.history.get()
        self.assertIsNone(record.history_user)
        self.assertEqual(record.history_change_reason, "Roll från gruppen G")
        self.assertEqual(
            self.only_event(),
            (
                SecurityEventKind.ROLE_GRANTED,
                None,
                "",
                "reader",
                "Redigerare på Barn- och utbildningsnämnden",
                None,
            ),
        )
        page = self.client.get(URL, {"outcome": SecurityEventKind.ROLE_GRANTED}).content.decode()
        self.assertRegex(
            page.split("<tbody>")[1],
            r"reader</th>\s*<td>Roll given</td>\s*<td>Redigerare på Barn- och utbildningsnämnden"
            r"</td>\s*<td>Systemet</td>",
        )


class SecurityEventScreenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.admin = UserFactory(username="admin")
        grant(cls.admin, cls.w.kf, Role.ADMIN)
        cls.committee_admin = UserFactory(username="bunadmin")
        grant(cls.committee_admin, cls.w.bun, Role.ADMIN)

    def test_only_administrators_of_the_municipality_see_or_export_it(self):
        w = self.w
        for user, status in [
            (self.admin, 200),
            (self.committee_admin, 403),
            (w.controller, 403),
            (w.reader, 403),
            (w.editor, 403),
        ]:
            with self.subTest(user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(URL, {"export": "xlsx"}).status_code, status)
        self.client.logout()
        self.assertEqual(self.client.get(URL, {"export": "xlsx"}).status_code, 302)

    def test_sign_ins_and_changes_in_one_list_with_filters(self):
        w = self.w
        self.client.post(
            reverse("login"),
            {"username": "editor", "password": "losenord-123"},
            REMOTE_ADDR="10.1.1.1",
        )
        self.client.force_login(self.admin)
        self.client.post(
            reverse("orgadmin:person_set_active", args=[w.reader.pk]),
            {"active": "0"},
            REMOTE_ADDR=ADDRESS,
        )

        def kinds(**params):
            rows = self.client.get(URL, params).content.decode().split("<tbody>")
            return [
                label
                for label in ("Inloggad", "Person avaktiverad")
                if len(rows) > 1 and label in rows[1]
            ]

        self.assertEqual(kinds(), ["Inloggad", "Person avaktiverad"])
        self.assertEqual(
            kinds(outcome=SecurityEventKind.PERSON_DEACTIVATED), ["Person avaktiverad"]
        )
        self.assertEqual(kinds(outcome="ok"), ["Inloggad"])
        # Who did it and whom it concerned are both searched, as is the address.
        self.assertEqual(kinds(q="reader"), ["Person avaktiverad"])
        self.assertEqual(kinds(q=ADDRESS), ["Person avaktiverad"])
        self.assertEqual(kinds(q="10.1.1"), ["Inloggad"])

    def test_the_export_writes_user_text_as_text(self):
        unit = OrgUnitFactory(name='=HYPERLINK("http://x")', code="X1", parent=self.w.buf)
        role_grant(person=self.w.reader, unit=unit, role=Role.READER, user=self.admin)
        self.client.force_login(self.admin)

        response = self.client.get(
            URL, {"outcome": SecurityEventKind.ROLE_GRANTED, "export": "xlsx"}
        )

        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 2)
        self.assertEqual(
            rows[1][1:5],
            ("reader", "Roll given", 'Läsare på =HYPERLINK("http://x")', "admin"),
        )
        self.assertEqual(sheet.cell(2, 4).data_type, "s")


class PersonHistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.admin = UserFactory(username="admin", first_name="Ada", last_name="Admin")
        grant(cls.admin, cls.w.kf, Role.ADMIN)

    def test_a_name_change_and_a_deactivation_are_in_the_history_with_who(self):
        w = self.w
        self.client.force_login(self.admin)
        before = w.reader.history.count()
        page = reverse("orgadmin:person_detail", args=[w.reader.pk])
        self.client.post(
            page, {"first_name": "Petra", "last_name": "Politiker", "email": "p@example.se"}
        )
        self.client.post(reverse("orgadmin:person_set_active", args=[w.reader.pk]), {"active": "0"})

        records = list(w.reader.history.order_by("history_id"))[before:]
        self.assertEqual([r.history_user for r in records], [self.admin, self.admin])
        self.assertEqual(records[1].history_change_reason, "Avaktiverad")
        html = self.client.get(page).content.decode()
        history = html.split('id="history-heading"')[1]
        self.assertIn("Förnamn: Per → Petra", history)
        self.assertIn("av Ada Admin – Avaktiverad", history)

    def test_a_sign_in_leaves_no_history_row(self):
        w = self.w
        before = w.editor.history.count()
        self.client.post(reverse("login"), {"username": "editor", "password": "losenord-123"})
        w.editor.refresh_from_db()
        self.assertIsNotNone(w.editor.last_login)
        self.assertEqual(w.editor.history.count(), before)
