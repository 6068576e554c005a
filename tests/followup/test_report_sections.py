"""Chapters other apps add to a round's report PDF (followup.extensions.REPORT_SECTIONS)."""

from django.template.loader import render_to_string
from django.test import TestCase

from followup import extensions
from followup.extensions import ReportSection
from followup.report_document import report_document
from tests.conftest import build_world
from tests.followup.helpers import open_round


def _budget_section(rnd, org):
    if org is None:
        return None  # nothing to say for the whole municipality
    return ReportSection(
        anchor="budget",
        title="Ekonomi i sammandrag",
        template="followup/_report_pdf_text_section.html",
        context={"text": f"Budgeten för {org.name} hölls."},
        order=20,
    )


def _control_section(rnd, org):
    return ReportSection(
        anchor="kontroll",
        title="Intern kontroll",
        template="followup/_report_pdf_text_section.html",
        context={"text": "<script>x</script> Inga avvikelser."},
        order=10,
    )


class ReportSectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)

    def setUp(self):
        self.saved = list(extensions.REPORT_SECTIONS)
        extensions.REPORT_SECTIONS[:] = [_budget_section, _control_section]

    def tearDown(self):
        extensions.REPORT_SECTIONS[:] = self.saved

    def test_a_registered_chapter_is_printed_in_order_and_listed_in_the_contents(self):
        doc = report_document(self.rnd, self.w.bun)
        self.assertEqual([s.anchor for s in doc.extra_sections], ["kontroll", "budget"])
        html = render_to_string("followup/report_pdf.html", {"doc": doc})
        self.assertIn('<a href="#kontroll">Intern kontroll</a>', html)
        self.assertIn('<section id="budget">', html)
        self.assertIn(f"Budgeten för {self.w.bun.name} hölls.", html)
        self.assertLess(html.index('id="kontroll"'), html.index('id="budget"'))
        self.assertNotIn("<script>x</script>", html)  # a section's text is escaped

    def test_a_section_with_nothing_to_say_prints_no_heading(self):
        doc = report_document(self.rnd, None)
        self.assertEqual([s.anchor for s in doc.extra_sections], ["kontroll"])
        html = render_to_string("followup/report_pdf.html", {"doc": doc})
        self.assertNotIn("Ekonomi i sammandrag", html)
