"""Pages run under a strict Content Security Policy with no inline script or style, and
nothing a signed-in user receives is kept in a (shared) computer's cache."""

import re
import shutil
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.urls import reverse

from followup.models import GeneratedReport
from ledmot.models import JobStatus
from tests.conftest import build_world
from tests.factories import UserFactory
from tests.followup.helpers import open_round

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class SecurityHeaderTests(TestCase):
    def test_login_page_has_strict_csp_and_no_framing(self):
        response = self.client.get(reverse("login"))
        csp = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertIn("style-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(response["X-Frame-Options"], "DENY")


def test_templates_have_no_inline_scripts_styles_or_handlers():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert " style=" not in text, path
        assert "<style" not in text, path
        assert not re.search(r"\son[a-z]+=", text), path


class HtmxConfigTests(TestCase):
    def test_htmx_writes_no_style_attribute_the_policy_would_refuse(self):
        # Walking the report page: every save of a piece logged "Applying inline style
        # violates the following Content Security Policy directive" in the console,
        # because htmx carries the old element's style attribute over while it settles
        # an out-of-band swap (its default attributesToSettle includes "style").
        import json

        html = self.client.get(reverse("login")).content.decode()
        config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)[1])
        self.assertNotIn("style", config["attributesToSettle"])
        self.assertIn("class", config["attributesToSettle"])
        self.assertFalse(config["includeIndicatorStyles"])


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


class NoStoreTests(TestCase):
    """Shared municipal computers: after one person signs out, the next must not find
    that person's pages or downloads in the browser's cache or behind the back button."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.report = GeneratedReport.objects.create(
            round=cls.rnd,
            title="Tertialrapport",
            created_by=cls.w.controller,
            status=JobStatus.DONE,
        )

    def setUp(self):
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.enterContext(self.settings(MEDIA_ROOT=media))
        self.report.file.save("tertialrapport.pdf", ContentFile(b"%PDF-1.7 test"))

    def assertNoStore(self, response):
        self.assertEqual(response.status_code, 200, response)
        directives = cache_directives(response)
        self.assertIn("no-store", directives, response.request["PATH_INFO"])
        self.assertIn("private", directives, response.request["PATH_INFO"])

    def test_signed_in_pages_fragments_and_downloads_are_not_stored(self):
        self.client.force_login(self.w.controller)
        w = self.w
        pages = [
            reverse("goals:chain"),
            reverse("goals:goal_detail", args=[w.unit_goal.pk]),
            reverse("goals:results"),
            reverse("followup:round_dashboard", args=[self.rnd.pk]),
        ]
        for url in pages:
            with self.subTest(url=url):
                self.assertNoStore(self.client.get(url))
        with self.subTest("admin"):
            admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
            self.client.force_login(admin)
            self.assertNoStore(self.client.get(reverse("admin:index")))
            self.client.force_login(self.w.controller)
        with self.subTest("htmx fragment"):
            fragment = self.client.get(
                reverse("goals:goal_branch", args=[w.council_goal.pk]), HTTP_HX_REQUEST="true"
            )
            self.assertNoStore(fragment)
            self.assertNotContains(fragment, "<html")
        with self.subTest("Excel export of a list"):
            export = self.client.get(reverse("goals:indicator_list") + "?export=xlsx")
            self.assertIn("spreadsheetml", export["Content-Type"])
            self.assertNoStore(export)
        with self.subTest("the workbook template"):
            template = self.client.get(reverse("goals:workbook_download") + "?mall=1")
            self.assertIn("spreadsheetml", template["Content-Type"])
            self.assertNoStore(template)
        with self.subTest("the whole workbook, made in the background"):
            with self.captureOnCommitCallbacks(execute=True):
                started = self.client.post(reverse("goals:workbook_export"))
            job_url = started["Location"]
            self.assertNoStore(self.client.get(job_url))
            self.assertNoStore(self.client.get(job_url, HTTP_HX_REQUEST="true"))
            workbook = self.client.get(job_url + "arbetsbok.xlsx")
            self.assertIn("spreadsheetml", workbook["Content-Type"])
            self.assertNoStore(workbook)
        with self.subTest("a report PDF"):
            pdf = self.client.get(
                reverse("followup:report_pdf_download", args=[self.rnd.pk, self.report.pk])
            )
            self.assertEqual(pdf["Content-Type"], "application/pdf")
            self.assertNoStore(pdf)

    @override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
    def test_static_files_keep_their_cache_for_a_signed_in_user(self):
        # Served by whitenoise (as in production) before the middleware sees them.
        self.client.force_login(self.w.controller)
        response = self.client.get("/static/css/ledmot.css")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("no-store", cache_directives(response))
