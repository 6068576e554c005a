"""Report PDFs: content, the safe fetcher, PDF/A, access, background jobs, the command."""

import io
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from pypdf import PdfReader

from followup.models import GeneratedReport, GoalAssessment, ReportStatus
from followup.report_document import report_document
from ledmot.lib.pdf import BASE_URL, StaticOnlyFetcher, html_to_pdf, render_html
from ledmot.models import JobStatus, Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

HOSTILE = (
    '<link rel=attachment href="file:///etc/passwd">'
    '<img src="http://evil.example/track.png">'
    '<div style="background: url(http://evil.example/bg.png)">x</div>'
    "<style>body { background: url(file:///etc/hostname) }</style>"
)


def pdf_text(data: bytes) -> str:
    """The text of every page, with line breaks and runs of spaces as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def embedded_files(data: bytes) -> list:
    reader = PdfReader(io.BytesIO(data))
    names = reader.trailer["/Root"].get("/Names")
    files = names.get_object().get("/EmbeddedFiles") if names else None
    annots = [
        a.get_object()
        for page in reader.pages
        for a in (page.get("/Annots") or [])
        if a.get_object().get("/Subtype") == "/FileAttachment"
    ]
    return ([files] if files else []) + annots


def image_count(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


class MediaMixin:
    @classmethod
    def setUpClass(cls):
        cls._media = tempfile.mkdtemp()
        cls._media_override = override_settings(MEDIA_ROOT=cls._media)
        cls._media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._media_override.disable()
        shutil.rmtree(cls._media, ignore_errors=True)


class ReportPdfTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        a = GoalAssessment.objects.get(goal=cls.w.committee_goal)
        a.chosen = "partly"
        a.analysis = "Läsförståelsen har ökat i årskurs 3.\n\n" + HOSTILE
        a.measures = "Läsfrämjande insatser i alla klasser."
        a.save()
        unit = GoalAssessment.objects.get(goal=cls.w.unit_goal)
        unit.chosen = "not_met"
        unit.analysis = "Frånvaron har ökat under våren."
        unit.save()
        # Only submitted and approved reports count in the report (followup.rules).
        for report in (a.report, unit.report):
            report.status = ReportStatus.SUBMITTED
            report.save()
        cls.approver = UserFactory(username="bun-approver")
        grant(cls.approver, cls.w.bun, Role.APPROVER)
        cls.bun_controller = UserFactory(username="bun-controller")
        grant(cls.bun_controller, cls.w.bun, Role.CONTROLLER)

    def make(self, user=None, org="", pdfa=False, units_in_full=False):
        self.client.force_login(user or self.w.controller)
        data = {"org": org}
        if pdfa:
            data["pdfa"] = "on"
        if units_in_full:
            data["units_in_full"] = "on"
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("followup:report_pdf_create", args=[self.rnd.pk]), data)

    def download(self, job):
        response = self.client.get(
            reverse("followup:report_pdf_download", args=[self.rnd.pk, job.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        return b"".join(response.streaming_content)

    # -- content

    def test_municipality_report_has_cover_contents_goals_and_page_numbers(self):
        response = self.make()
        job = GeneratedReport.objects.get()
        self.assertRedirects(
            response, reverse("followup:report_pdf_detail", args=[self.rnd.pk, job.pk])
        )
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        self.assertIsNone(job.org_unit)
        self.assertEqual(job.created_by, self.w.controller)
        data = self.download(job)
        text = pdf_text(data)
        self.assertIn("Tertialrapport 2025", text)
        self.assertIn("Hela kommunen", text)
        self.assertIn("Innehåll", text)
        self.assertIn(self.w.vision.text[:30], text)
        self.assertIn(self.w.council_goal.title, text)
        self.assertIn(self.w.committee_goal.title, text)
        self.assertIn("Delvis uppfyllt", text)
        self.assertIn("Läsförståelsen har ökat i årskurs 3.", text)
        self.assertIn("Läsfrämjande insatser", text)
        self.assertIn(self.w.indicator.name, text)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        self.assertEqual(job.pages, pages)
        self.assertIn(f"Sida 2 av {pages}", text)
        self.assertIn(f"Sida {pages} av {pages}", text)
        self.assertIn("Tertialrapport 2025 – Hela kommunen", text.split("Sida 2 av")[0])
        # The cover has no running header or page number.
        self.assertNotIn("Sida 1 av", text)
        # The municipality's report does not go down to unit goals.
        self.assertNotIn(self.w.unit_goal.title, text)

    def test_committee_report_summarises_unit_goals_and_lists_those_not_met(self):
        self.make(org="BUN")
        job = GeneratedReport.objects.get()
        self.assertEqual(job.org_unit, self.w.bun)
        text = pdf_text(self.download(job))
        self.assertIn("Barn- och utbildningsnämnden", text)
        self.assertIn("1 enhetsmål bryter ned målet", text)
        self.assertIn(self.w.unit_goal.title, text)
        self.assertIn("Frånvaron har ökat under våren.", text)
        self.assertIn("Ej uppfyllt", text)

    def test_committee_report_can_show_every_unit_goal_in_full(self):
        self.make(org="BUN", units_in_full=True)
        job = GeneratedReport.objects.get()
        self.assertTrue(job.units_in_full)
        text = pdf_text(self.download(job))
        self.assertIn("Med nämndens enhetsmål i sin helhet.", text)
        # The cover's lines each on a line of their own, not run together
        # ("… av Cecilia ControllerMed nämndens …").
        doc = report_document(self.rnd, self.w.bun, units_in_full=True)
        html = render_html("followup/report_pdf.html", {"doc": doc, "generated_by": "Cecilia"})
        meta = re.search(r'class="cover__meta">(.*?)</p>', html, re.S).group(1)
        lines = [" ".join(line.split()) for line in re.split(r"<br>", meta)]
        self.assertEqual(
            [line.split(" ")[0] for line in lines if line],
            ["Perioden", "Framtagen", "Med", "Uppföljningen"],
            lines,
        )
        self.assertIn(self.w.unit_goal.title, text)
        self.assertIn("Enhetsmål · Ekbackens skola", text)
        self.assertIn("Frånvaron har ökat under våren.", text)

    def test_unit_goals_in_full_is_refused_for_the_whole_municipality(self):
        response = self.make(units_in_full=True)
        self.assertRedirects(response, reverse("followup:round_dashboard", args=[self.rnd.pk]))
        self.assertFalse(GeneratedReport.objects.exists())
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertTrue(any("gäller bara en nämnds rapport" in m for m in messages))

    def test_hostile_text_is_printed_as_text_and_fetches_nothing(self):
        doc = report_document(self.rnd, None)
        fetcher = StaticOnlyFetcher(doc.images)
        html = render_html("followup/report_pdf.html", {"doc": doc})
        self.assertIn("&lt;link rel=attachment", html)
        data = html_to_pdf(html, fetcher=fetcher)
        self.assertEqual(fetcher.refused, [])
        self.assertEqual(embedded_files(data), [])
        text = pdf_text(data)
        self.assertIn('<link rel=attachment href="file:///etc/passwd">', text)
        self.assertNotIn("root:x:0:0", text)

    def test_the_fetcher_refuses_files_the_network_and_the_apps_own_pages(self):
        fetcher = StaticOnlyFetcher()
        html = (
            '<html><head><link rel="stylesheet" href="/static/css/print.css">'
            '<link rel="stylesheet" href="https://ledmot.invalid/admin/">'
            "<style>p { background: url(file:///etc/hostname) }</style></head><body>"
            '<link rel="attachment" href="file:///etc/passwd">'
            '<link rel="attachment" href="/static/../../../../etc/passwd">'
            '<img src="http://127.0.0.1:8000/" alt=""><img src="data:image/png;base64,AA==" alt="">'
            '<img src="ftp://evil.example/x.png" alt="">'
            "<p>Text</p></body></html>"
        )
        data = html_to_pdf(html, fetcher=fetcher)
        refused = " ".join(fetcher.refused)
        for url in (
            "file:///etc/passwd",
            "file:///etc/hostname",
            "http://127.0.0.1:8000/",
            "https://ledmot.invalid/admin/",
            "data:image/png",
            "ftp://evil.example/x.png",
        ):
            self.assertIn(url, refused)
        self.assertNotIn(BASE_URL + "static/css/print.css", fetcher.refused)
        self.assertEqual(embedded_files(data), [])
        self.assertEqual(image_count(data), 0)

    def test_pdfa_report_declares_pdfa_3a(self):
        # PDF/A-3a: level "accessible", tagged like every report PDF (issue 18).
        self.make(pdfa=True)
        job = GeneratedReport.objects.get()
        self.assertTrue(job.pdfa)
        reader = PdfReader(io.BytesIO(self.download(job)))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        self.assertIn(b'pdfaid:part="3"', xmp)
        self.assertIn(b'pdfaid:conformance="A"', xmp)
        self.assertIn("/OutputIntents", reader.trailer["/Root"])

    # -- the round page, progress, failure

    def test_round_page_lists_reports_with_who_and_when(self):
        self.make(org="BUN")
        response = self.client.get(reverse("followup:round_dashboard", args=[self.rnd.pk]))
        self.assertContains(response, "Tertialrapport 2025 – Barn- och utbildningsnämnden")
        self.assertContains(response, "Cecilia Controller")
        self.assertContains(response, "Ladda ner")

    def test_progress_fragment_for_htmx_and_full_page_without(self):
        self.make()
        job = GeneratedReport.objects.get()
        url = reverse("followup:report_pdf_detail", args=[self.rnd.pk, job.pk])
        fragment = self.client.get(url, headers={"HX-Request": "true"})
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, "Klar.")
        self.assertContains(fragment, "Ladda ner PDF")
        page = self.client.get(url)
        self.assertContains(page, "<h1>Tertialrapport 2025 – hela kommunen</h1>", html=True)

    def test_running_job_polls_and_has_no_download(self):
        job = GeneratedReport.objects.create(
            round=self.rnd, title="x", created_by=self.w.controller, status=JobStatus.RUNNING
        )
        job.progress_done, job.progress_total = 2, 4
        job.save()
        self.client.force_login(self.w.controller)
        url = reverse("followup:report_pdf_detail", args=[self.rnd.pk, job.pk])
        response = self.client.get(url)
        self.assertContains(response, 'hx-trigger="every 2s"')
        self.assertContains(response, "2 av 4")
        self.assertEqual(
            self.client.get(
                reverse("followup:report_pdf_download", args=[self.rnd.pk, job.pk])
            ).status_code,
            404,
        )

    def test_a_failure_shows_a_message_not_a_blank_page(self):
        from unittest import mock

        with mock.patch("followup.report_pdf.layout", side_effect=RuntimeError("boom")):
            self.make()
        job = GeneratedReport.objects.get()
        self.assertEqual(job.status, JobStatus.FAILED)
        response = self.client.get(
            reverse("followup:report_pdf_detail", args=[self.rnd.pk, job.pk])
        )
        self.assertContains(response, "Något gick fel")
        self.assertContains(response, f"nummer {job.pk}")
        self.assertNotContains(response, "boom")

    # -- access

    def test_editor_cannot_make_reports_and_nothing_is_recorded(self):
        response = self.make(user=self.w.editor)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(GeneratedReport.objects.exists())

    def test_committee_controller_makes_only_the_committees_report(self):
        response = self.make(user=self.bun_controller, org="")
        self.assertRedirects(response, reverse("followup:round_dashboard", args=[self.rnd.pk]))
        self.assertFalse(GeneratedReport.objects.exists())
        self.make(user=self.bun_controller, org="VON")
        self.assertFalse(GeneratedReport.objects.exists())
        self.make(user=self.bun_controller, org="BUN")
        self.assertEqual(GeneratedReport.objects.get().org_unit, self.w.bun)

    def test_readers_download_what_they_may_see_and_nothing_else(self):
        self.make(org="BUN")
        job = GeneratedReport.objects.get()
        detail = reverse("followup:report_pdf_detail", args=[self.rnd.pk, job.pk])
        download = reverse("followup:report_pdf_download", args=[self.rnd.pk, job.pk])
        self.client.force_login(self.w.reader)
        self.assertEqual(self.client.get(download).status_code, 200)
        self.client.force_login(self.w.other_editor)
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.assertEqual(self.client.get(download).status_code, 404)
        dashboard = self.client.get(reverse("followup:round_dashboard", args=[self.rnd.pk]))
        self.assertNotContains(dashboard, job.title)
        self.assertIsNone(dashboard.context["pdf_form"])
        self.client.logout()
        self.assertEqual(self.client.get(download).status_code, 302)

    def test_a_report_of_another_round_is_not_found(self):
        self.make()
        job = GeneratedReport.objects.get()
        other = open_round(
            self.w, kind="Delårsrapport", period_end=self.rnd.period_end.replace(month=8)
        )
        url = reverse("followup:report_pdf_download", args=[other.pk, job.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_get_does_not_make_a_report(self):
        self.client.force_login(self.w.controller)
        url = reverse("followup:report_pdf_create", args=[self.rnd.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertFalse(GeneratedReport.objects.exists())

    def test_document_queries_do_not_grow_with_goals(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            report_document(self.rnd, self.w.bun)
        from tests.factories import GoalFactory

        for n in range(5):
            GoalFactory(
                level="namnd",
                parent=self.w.council_goal,
                owner=self.w.bun,
                mandate_period=self.w.period,
                title=f"Nämndmål {n}",
            )
        rnd = open_round(
            self.w, kind="Delårsrapport", period_end=self.rnd.period_end.replace(month=8)
        )
        with self.assertNumQueries(len(before.captured_queries)):
            doc = report_document(rnd, self.w.bun)
        self.assertEqual(len(doc.sections[0].children), 6)


class RenderReportCommandTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)

    def test_writes_the_pdf_and_records_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "bun.pdf"
            stdout = io.StringIO()
            call_command(
                "render_report", round=self.rnd.pk, org="BUN", pdfa=True, out=out, stdout=stdout
            )
            text = pdf_text(out.read_bytes())
        self.assertIn(self.w.committee_goal.title, text)
        job = GeneratedReport.objects.get()
        self.assertIsNone(job.created_by)
        self.assertTrue(job.pdfa)
        self.assertIn(job.sha256, stdout.getvalue())

    def test_unknown_round_or_committee_is_an_error(self):
        with pytest.raises(CommandError, match="Ingen uppföljning"):
            call_command("render_report", round=999, out=Path("/tmp/x.pdf"))
        with pytest.raises(CommandError, match="Ingen nämnd"):
            call_command("render_report", round=self.rnd.pk, org="NOPE", out=Path("/tmp/x.pdf"))
        self.assertFalse(GeneratedReport.objects.exists())


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class DatabaseBackendTests(MediaMixin, TransactionTestCase):
    """Production: the request only queues the report; db_worker makes it."""

    # The perspectives come from a data migration; a transactional test before this one
    # (the browser tests) may have flushed them.
    serialized_rollback = True

    def test_report_is_queued_then_made_by_the_worker(self):
        w = build_world()
        rnd = open_round(w)
        self.client.force_login(w.controller)
        self.client.post(reverse("followup:report_pdf_create", args=[rnd.pk]), {"org": ""})
        job = GeneratedReport.objects.get()
        self.assertEqual(job.status, JobStatus.QUEUED)
        self.assertTrue(job.task_id)
        page = self.client.get(reverse("followup:report_pdf_detail", args=[rnd.pk, job.pk]))
        self.assertContains(page, "I kö")
        call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        self.assertGreater(job.pages, 1)
