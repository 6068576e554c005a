"""Characters the report PDF's font lacks print as something visible (issue 11, point
8): emoji typed in an analysis are drawn with the fallback font (Symbola, named in
static/css/print.css, installed by .ci/run) instead of empty boxes. The test reads the
fonts embedded in the PDF: a font is embedded only for glyphs drawn with it."""

import io

from django.test import TestCase
from pypdf import PdfReader

from followup.models import GoalAssessment, ReportStatus
from followup.report_document import report_document
from followup.services import assessment_save
from ledmot.lib.pdf import html_to_pdf, render_html
from tests.conftest import build_world
from tests.followup.helpers import open_round

EMOJI = "Bra jobbat 😀👍 🔒"


def embedded_fonts(data: bytes) -> set[str]:
    """The base names of the fonts the PDF embeds (subset prefix removed)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object() if fonts else {}).values():
            font = ref.get_object()
            for f in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                names.add(str(f["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def page_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


class ReportPdfFontTests(TestCase):
    def test_emoji_in_an_analysis_print_with_the_fallback_font(self):
        w = build_world()
        rnd = open_round(w)
        a = GoalAssessment.objects.get(report__round=rnd, goal=w.committee_goal)
        a.chosen, a.analysis = "partly", f"Läsförståelsen har ökat. {EMOJI}"
        assessment_save(assessment=a, user=w.controller, expected_version=None)
        report = a.report
        report.status = ReportStatus.SUBMITTED  # only submitted reports count
        report.save()
        data = html_to_pdf(
            render_html("followup/report_pdf.html", {"doc": report_document(rnd, None)})
        )
        self.assertIn(EMOJI, page_text(data))
        fonts = embedded_fonts(data)
        self.assertTrue(any(name.startswith("DejaVu") for name in fonts), fonts)
        self.assertTrue(any(name.startswith("Symbola") for name in fonts), fonts)
