"""Steering documents (styrdokument, issue 17 point 3): the register, a document's page,
writing a draft, the decision, a new version, the file; who may do what (the role × URL
grid) and that a decided document is frozen on every path."""

import datetime
import io
import shutil
import tempfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from ledmot.models import Role
from ledmot.services import LockedError
from steering.models import DocumentStatus, SteeringDocument
from steering.services import document_decide, document_delete, document_revise, document_save
from tests.conftest import build_world
from tests.factories import GoalFactory, UserFactory, grant

PDF = b"%PDF-1.4\n% test\n"

MEDIA = tempfile.mkdtemp(prefix="ledmot-steering-")


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)


def make_document(w, *, decided=True, **fields):
    values = {
        "title": "Policy för god ekonomisk hushållning",
        "kind": "policy",
        "owner": w.kf,
        "link": "https://www.example.se/policy.pdf",
        **fields,
    }
    document = document_save(
        document=SteeringDocument(**values),
        user=None,
        expected_version=None,
        goals=[w.council_goal],
    )
    if decided:
        document = document_decide(
            document=document,
            user=None,
            expected_version=None,
            decided_by="Kommunfullmäktige",
            decision_reference="KF 2024/12 § 34",
            decided_on=datetime.date(2024, 3, 25),
            valid_from=datetime.date(2024, 4, 1),
            review_on=datetime.date(2026, 12, 31),
        )
    return document


@override_settings(MEDIA_ROOT=MEDIA)
class SteeringGridTests(TestCase):
    """Every persona against every URL of the register: what answers, what is refused."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.decided = make_document(w)
        cls.draft = make_document(w, decided=False, title="Program för trygghet (utkast)")
        w.bun_editor = UserFactory(username="bunred", first_name="Bo", last_name="Nämnd")
        grant(w.bun_editor, w.bun, Role.EDITOR)

    def urls(self):
        d, draft = self.decided.pk, self.draft.pk
        return {
            "register": reverse("steering:register"),
            "export": reverse("steering:register") + "?export=xlsx",
            "detail": reverse("steering:detail", args=[d]),
            "history": reverse("steering:detail", args=[d]) + "?flik=historik",
            "draft": reverse("steering:detail", args=[draft]),
            "create": reverse("steering:create"),
            "edit": reverse("steering:edit", args=[d]),
            "decide": reverse("steering:decide", args=[draft]),
        }

    def test_the_grid(self):
        w = self.w
        grid = {
            "anonymous": (None, dict.fromkeys(self.urls(), 302)),
            # a reader of the whole municipality reads drafts too, writes nothing
            "reader": (
                w.reader,
                {
                    "register": 200,
                    "export": 200,
                    "detail": 200,
                    "history": 200,
                    "draft": 200,
                    "create": 403,
                    "edit": 403,
                    "decide": 403,
                },
            ),
            # a unit's editor reads decided documents only: the council's draft is not theirs
            "unit editor": (
                w.editor,
                {
                    "register": 200,
                    "export": 200,
                    "detail": 200,
                    "history": 200,
                    "draft": 404,
                    "create": 403,
                    "edit": 403,
                    "decide": 404,
                },
            ),
            # a committee's editor writes the committee's documents, not the council's
            "committee editor": (
                w.bun_editor,
                {
                    "register": 200,
                    "export": 200,
                    "detail": 200,
                    "history": 200,
                    "draft": 404,
                    "create": 200,
                    "edit": 403,
                    "decide": 404,
                },
            ),
            "controller": (
                w.controller,
                {
                    "register": 200,
                    "export": 200,
                    "detail": 200,
                    "history": 200,
                    "draft": 200,
                    "create": 200,
                    "edit": 200,
                    "decide": 200,
                },
            ),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name, url in self.urls().items():
                with self.subTest(persona=persona, url=name):
                    self.assertEqual(self.client.get(url).status_code, expected[name])

    def test_a_refused_write_changes_nothing(self):
        self.client.force_login(self.w.bun_editor)
        response = self.client.post(
            reverse("steering:edit", args=[self.draft.pk]),
            {"title": "Kapat", "kind": "plan", "owner": self.w.kf.pk, "version": 1},
        )
        self.assertEqual(response.status_code, 404)
        response = self.client.post(reverse("steering:delete", args=[self.decided.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            SteeringDocument.objects.get(pk=self.draft.pk).title, "Program för trygghet (utkast)"
        )
        self.assertEqual(SteeringDocument.objects.count(), 2)

    def test_the_goal_page_lists_the_documents_behind_the_goal(self):
        self.client.force_login(self.w.reader)
        page = self.client.get(reverse("goals:goal_detail", args=[self.w.council_goal.pk]))
        self.assertContains(page, "Styrdokument bakom målet")
        self.assertContains(page, "Policy för god ekonomisk hushållning")
        # a draft is not behind the goal until it is decided
        self.assertNotContains(page, "Program för trygghet (utkast)")

    def test_the_register_lists_documents_due_for_review(self):
        self.client.force_login(self.w.reader)
        with override_settings(LEDMOT_STEERING_REVIEW_DAYS_BEFORE=100_000):
            page = self.client.get(reverse("steering:register") + "?revidering=1")
        self.assertContains(page, "Policy för god ekonomisk hushållning")
        self.assertContains(page, "ska revideras")
        with override_settings(LEDMOT_STEERING_REVIEW_DAYS_BEFORE=0):
            page = self.client.get(reverse("steering:register") + "?revidering=1")
        self.assertNotContains(page, "Policy för god ekonomisk hushållning")

    def test_the_excel_export_lists_the_register_and_keeps_text_as_text(self):
        make_document(self.w, title='=HYPERLINK("http://x")')
        self.client.force_login(self.w.reader)
        response = self.client.get(reverse("steering:register") + "?export=xlsx")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="styrdokument.xlsx"'
        )
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Titel")
        titles = [r[0] for r in rows[1:]]
        self.assertIn("Policy för god ekonomisk hushållning", titles)
        self.assertIn('=HYPERLINK("http://x")', titles)
        cell = next(c for c in ws["A"] if c.value == '=HYPERLINK("http://x")')
        self.assertEqual(cell.data_type, "s")
        goals_column = [r[-1] for r in rows[1:]]
        self.assertIn(self.w.council_goal.title, goals_column)


@override_settings(MEDIA_ROOT=MEDIA)
class DecidedIsFrozenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        self.document = make_document(self.w)

    def test_the_service_refuses_a_change_to_what_was_decided(self):
        document = SteeringDocument.objects.get(pk=self.document.pk)
        document.title = "Ny titel"
        with self.assertRaises(LockedError):
            document_save(document=document, user=self.w.controller, expected_version=None)
        self.assertEqual(
            SteeringDocument.objects.get(pk=self.document.pk).title,
            "Policy för god ekonomisk hushållning",
        )

    def test_a_posted_edit_of_a_frozen_field_is_ignored_and_the_review_date_saved(self):
        self.client.force_login(self.w.controller)
        before = SteeringDocument.objects.get(pk=self.document.pk)
        second = GoalFactory(owner=self.w.kf, mandate_period=self.w.period)
        response = self.client.post(
            reverse("steering:edit", args=[before.pk]),
            {
                "title": "Kapad titel",
                "kind": "regel",
                "owner": self.w.bun.pk,
                "link": "https://evil.example/",
                "review_on": "2027-06-30",
                "goals": [self.w.council_goal.pk, second.pk],
                "version": before.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        after = SteeringDocument.objects.get(pk=before.pk)
        self.assertEqual(after.title, "Policy för god ekonomisk hushållning")
        self.assertEqual(after.kind, "policy")
        self.assertEqual(after.owner, self.w.kf)
        self.assertEqual(after.link, "https://www.example.se/policy.pdf")
        self.assertEqual(after.review_on, datetime.date(2027, 6, 30))
        self.assertEqual(after.goals.count(), 2)

    def test_a_decided_document_is_never_deleted(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("steering:delete", args=[self.document.pk]),
            {"version": self.document.version},
            follow=True,
        )
        self.assertContains(response, "är beslutat och kan inte tas bort")
        self.assertTrue(SteeringDocument.objects.filter(pk=self.document.pk).exists())
        with self.assertRaises(LockedError):
            document_delete(
                document=self.document, user=None, expected_version=self.document.version
            )
        with self.assertRaises(LockedError):
            SteeringDocument.objects.get(pk=self.document.pk).delete()
        self.assertTrue(SteeringDocument.objects.filter(pk=self.document.pk).exists())

    def test_a_decided_document_is_not_decided_again(self):
        with self.assertRaises(LockedError):
            document_decide(
                document=self.document,
                user=None,
                expected_version=None,
                decided_by="X",
                decision_reference="Y",
                decided_on=datetime.date(2025, 1, 1),
                valid_from=datetime.date(2025, 1, 1),
            )
        self.assertEqual(
            SteeringDocument.objects.get(pk=self.document.pk).decision_reference,
            "KF 2024/12 § 34",
        )

    def test_a_new_version_replaces_the_decided_one_when_decided(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(reverse("steering:revise", args=[self.document.pk]))
        draft = SteeringDocument.objects.get(replaces=self.document)
        self.assertRedirects(response, reverse("steering:edit", args=[draft.pk]))
        self.assertEqual(draft.status, DocumentStatus.DRAFT)
        self.assertEqual(list(draft.goals.all()), [self.w.council_goal])
        # the draft is edited freely, then decided
        response = self.client.post(
            reverse("steering:edit", args=[draft.pk]),
            {
                "title": "Policy för god ekonomisk hushållning 2026",
                "kind": "policy",
                "owner": self.w.kf.pk,
                "link": "https://www.example.se/policy-2026.pdf",
                "goals": [self.w.council_goal.pk],
                "version": draft.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        draft.refresh_from_db()
        response = self.client.post(
            reverse("steering:decide", args=[draft.pk]),
            {
                "decided_by": "Kommunfullmäktige",
                "decision_reference": "KF 2026/3 § 5",
                "decided_on": "2026-02-23",
                "valid_from": "2026-03-01",
                "version": draft.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        old = SteeringDocument.objects.get(pk=self.document.pk)
        self.assertEqual(old.status, DocumentStatus.REPLACED)
        self.assertEqual(old.valid_to, datetime.date(2026, 2, 28))
        self.assertEqual(old.title, "Policy för god ekonomisk hushållning")
        self.assertEqual(SteeringDocument.objects.get(pk=draft.pk).status, DocumentStatus.DECIDED)

    def test_a_decision_needs_its_reference_and_the_document(self):
        draft = make_document(self.w, decided=False, link="")
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("steering:decide", args=[draft.pk]),
            {
                "decided_by": "Kommunfullmäktige",
                "decision_reference": "KF 1",
                "decided_on": "2026-02-23",
                "valid_from": "2026-03-01",
                "version": draft.version,
            },
        )
        self.assertContains(response, "det saknar fil eller länk")
        self.assertEqual(SteeringDocument.objects.get(pk=draft.pk).status, DocumentStatus.DRAFT)

    def test_one_edit_writes_one_history_row_with_the_user(self):
        before = SteeringDocument.history.filter(id=self.document.pk).count()
        document = SteeringDocument.objects.get(pk=self.document.pk)
        document.review_on = datetime.date(2027, 1, 31)
        document_save(document=document, user=self.w.controller, expected_version=document.version)
        records = SteeringDocument.history.filter(id=self.document.pk).order_by("-history_date")
        self.assertEqual(records.count(), before + 1)
        self.assertEqual(records.first().history_user, self.w.controller)


@override_settings(MEDIA_ROOT=MEDIA)
class FileAndLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def post_new(self, **fields):
        self.client.force_login(self.w.controller)
        data = {
            "title": "Riktlinje för lokalförsörjning",
            "kind": "riktlinje",
            "owner": self.w.kf.pk,
            **fields,
        }
        return self.client.post(reverse("steering:create"), data)

    def test_an_uploaded_pdf_is_stored_and_served_as_an_attachment(self):
        response = self.post_new(upload=SimpleUploadedFile("riktlinje.pdf", PDF))
        self.assertEqual(response.status_code, 302)
        document = SteeringDocument.objects.get()
        response = self.client.get(reverse("steering:download", args=[document.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_a_file_that_is_not_what_its_name_says_is_refused(self):
        response = self.post_new(
            upload=SimpleUploadedFile("riktlinje.pdf", b"<html><script>alert(1)</script>")
        )
        self.assertContains(response, "Filens innehåll stämmer inte med dess typ")
        response = self.post_new(upload=SimpleUploadedFile("sida.html", b"<html></html>"))
        self.assertContains(response, "Filen ska vara av typen")
        self.assertFalse(SteeringDocument.objects.exists())

    def test_a_link_is_http_or_https_only(self):
        for link in ("javascript:alert(1)", "file:///etc/passwd", "ftp://example.se/x.pdf"):
            with self.subTest(link=link):
                response = self.post_new(link=link)
                self.assertEqual(response.status_code, 200)
        self.assertFalse(SteeringDocument.objects.exists())
        with self.assertRaises(ValidationError):
            document_save(
                document=SteeringDocument(
                    title="X", kind="plan", owner=self.w.kf, link="javascript:alert(1)"
                ),
                user=None,
                expected_version=None,
            )
        self.assertEqual(self.post_new(link="https://www.example.se/r.pdf").status_code, 302)

    def test_a_unit_cannot_own_a_steering_document(self):
        with self.assertRaises(ValidationError):
            document_save(
                document=SteeringDocument(title="X", kind="plan", owner=self.w.skola1),
                user=None,
                expected_version=None,
            )
        self.assertFalse(SteeringDocument.objects.exists())

    def test_revising_a_draft_is_refused(self):
        draft = make_document(self.w, decided=False)
        with self.assertRaises(LockedError):
            document_revise(document=draft, user=None)
