"""Roles for many people from an Excel sheet: preview, all-or-nothing, errors by row and
column, the committee admin's scope, and the file checked as the workbook import checks."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from ledmot.models import Role, RoleAssignment
from tests.ledmot.test_orgadmin_units import admin_world

IMPORT = reverse("orgadmin:role_import")


def sheet(*rows, heading=("Användarnamn", "Enhetens kod", "Roll", "Åtgärd")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(heading))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("roller.xlsx", buffer.getvalue())


def roles():
    return list(RoleAssignment.objects.order_by("pk").values_list("user_id", "org_unit_id", "role"))


class RoleImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = admin_world()

    def test_preview_then_confirm_applies_every_row(self):
        self.client.force_login(self.w.admin)
        before = roles()
        response = self.client.post(
            IMPORT,
            {
                "file": sheet(
                    ("reader", "BUN", "godkännare", ""), ("editor", "SKOLA1", "editor", "ta bort")
                )
            },
        )
        self.assertContains(response, "Förhandsgranskning")
        self.assertContains(response, "Tas bort")
        self.assertEqual(roles(), before)  # the preview changes nothing
        response = self.client.post(IMPORT, {"data": response.context["data"]})
        self.assertRedirects(response, reverse("orgadmin:person_list"))
        self.assertTrue(
            RoleAssignment.objects.filter(
                user=self.w.reader, org_unit=self.w.bun, role=Role.APPROVER
            ).exists()
        )
        self.assertFalse(
            RoleAssignment.objects.filter(user=self.w.editor, org_unit=self.w.skola1).exists()
        )
        given = RoleAssignment.objects.get(user=self.w.reader, org_unit=self.w.bun)
        self.assertEqual(given.history.get().history_user, self.w.admin)

    def test_one_bad_row_changes_nothing_and_every_problem_is_named_by_row_and_column(self):
        self.client.force_login(self.w.admin)
        before = roles()
        response = self.client.post(
            IMPORT,
            {
                "file": sheet(
                    ("reader", "BUN", "godkännare", ""),
                    ("nobody", "BUN", "läsare", ""),
                    ("editor", "NOPE", "chef", ""),
                )
            },
        )
        self.assertContains(response, "3 fel – ingenting har ändrats")
        self.assertContains(response, "<td>3</td><td>Användarnamn</td>", html=False)
        self.assertContains(response, "Ingen enhet har koden NOPE")
        self.assertContains(response, "Okänd roll: chef")
        self.assertNotContains(response, "Genomför ändringarna")
        self.assertEqual(roles(), before)

    def test_a_committee_admin_cannot_give_roles_outside_his_part(self):
        self.client.force_login(self.w.bun_admin)
        before = roles()
        response = self.client.post(
            IMPORT,
            {
                "file": sheet(
                    ("editor", "SKOLA2", "läsare", ""), ("editor", "KF", "administratör", "")
                )
            },
        )
        self.assertContains(response, "Du administrerar inte Kommunfullmäktige")
        self.assertEqual(roles(), before)

    def test_a_tampered_preview_is_refused(self):
        self.client.force_login(self.w.admin)
        before = roles()
        response = self.client.post(
            IMPORT, {"data": '[[2, "reader", "KF", "admin", "ge"]]'}, follow=True
        )
        self.assertContains(response, "Ladda upp filen igen")
        self.assertEqual(roles(), before)

    def test_a_missing_heading_and_a_file_that_is_no_workbook(self):
        self.client.force_login(self.w.admin)
        response = self.client.post(IMPORT, {"file": sheet(("reader",), heading=("Användarnamn",))})
        self.assertContains(response, "Kolumnen saknas i rubrikraden")
        response = self.client.post(
            IMPORT, {"file": SimpleUploadedFile("roller.xlsx", b"not a zip")}
        )
        self.assertContains(response, "field-error")

    def test_others_are_refused(self):
        for user in (self.w.controller, self.w.reader):
            self.client.force_login(user)
            before = roles()
            self.assertEqual(self.client.get(IMPORT).status_code, 403)
            response = self.client.post(
                IMPORT, {"file": sheet(("reader", "KF", "administratör", ""))}
            )
            self.assertEqual(response.status_code, 403)
            self.assertEqual(roles(), before)
        self.client.logout()
        self.assertEqual(self.client.get(IMPORT).status_code, 302)
