"""Pages run under a strict Content Security Policy with no inline script or style."""

import re
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

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
