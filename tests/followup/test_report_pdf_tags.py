"""The report PDFs are tagged for a screen reader (issue 18 point 4): the document's
language and title, headings in order, tables with header cells, figures with a text,
every page's content in the structure tree — also when a long report is laid out in
parts and joined (``ledmot.lib.pdf.write_in_parts``), whose structure trees are joined
with the pages. Read with pikepdf (tests/pdf_tags.py)."""

import io
from unittest import mock

import pikepdf
from django.test import TestCase
from django.utils import translation

from followup.models import GeneratedReport, GoalAssessment, ReportStatus
from followup.report_document import report_title
from followup.report_pdf import generated_report_render
from goals.models import GoalLevel
from tests.conftest import build_world
from tests.factories import GoalFactory, IndicatorFactory
from tests.followup.helpers import open_round
from tests.followup.test_report_pdf import MediaMixin
from tests.pdf_tags import headings_in_order, read_tags

ANALYSIS = "Resultaten har förbättrats men når inte målvärdet. " * 40


class TaggedReportTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        second = GoalFactory(
            level=GoalLevel.COUNCIL,
            owner=w.kf,
            mandate_period=w.period,
            title="Äldre ska känna sig trygga med sin omsorg",
            order=2,
        )
        for n, owner in enumerate([w.bun, w.von]):
            goal = GoalFactory(
                level=GoalLevel.COMMITTEE,
                parent=w.council_goal if n == 0 else second,
                owner=owner,
                mandate_period=w.period,
                title=f"Nämndmålet {owner.code}",
            )
            IndicatorFactory(name=f"Nöjdhet {owner.code}", responsible_unit=owner, goals=[goal])
        cls.rnd = open_round(w)
        for a in GoalAssessment.objects.filter(report__round=cls.rnd).select_related("report"):
            a.chosen, a.analysis = "partly", ANALYSIS
            a.save()
            a.report.status = ReportStatus.SUBMITTED
            a.report.save()

    def render(self, *, pdfa=False) -> bytes:
        job = GeneratedReport.objects.create(
            round=self.rnd, org_unit=None, title=report_title(self.rnd, None), pdfa=pdfa
        )
        with translation.override("sv"):
            self.assertTrue(generated_report_render(job), job.error)
        job.refresh_from_db()
        with job.file.open("rb") as fh:
            return fh.read()

    def assert_accessible(self, data: bytes):
        tags = read_tags(data)
        self.assertEqual(tags.lang, "sv")
        self.assertEqual(tags.title, "Tertialrapport 2025 – Hela kommunen")
        self.assertTrue(tags.marked)
        self.assertTrue(tags.display_title)
        self.assertEqual(tags.headings[0], 1)
        self.assertTrue(headings_in_order(tags.headings), tags.headings)
        self.assertGreater(tags.table_headers, 0)
        self.assertIn("Figure", tags.tags)
        self.assertEqual(tags.figures_without_alt, 0)
        self.assertIn("Åsbacka kommuns logotyp", tags.text)
        self.assertIn("Diagram: Andel elever i åk 9 med godkänt i matematik", tags.text)
        self.assertEqual(tags.pages_without_tags, [])
        self.assertEqual(tags.unmapped_mcids, [])
        return tags

    def test_the_report_laid_out_at_once_is_tagged(self):
        data = self.render()
        self.assert_accessible(data)
        pdf = pikepdf.open(io.BytesIO(data))
        self.assertIn(b"pdfuaid:part", pdf.Root.Metadata.read_bytes())

    def test_the_report_joined_from_parts_keeps_every_parts_tags(self):
        whole = self.assert_accessible(self.render())
        with mock.patch("followup.report_pdf.PART_GOALS", 1):
            data = self.render()
        joined = self.assert_accessible(data)
        self.assertGreater(len(pikepdf.open(io.BytesIO(data)).pages), 3)
        # The same headings, tables and figures in the same order as laid out at once;
        # the links from the contents to the chapters are tagged as links.
        self.assertEqual(joined.headings, whole.headings)
        drop = {"Link"}
        self.assertEqual(
            [t for t in joined.tags if t not in drop].count("Table"),
            [t for t in whole.tags if t not in drop].count("Table"),
        )
        self.assertEqual(joined.tags.count("Figure"), whole.tags.count("Figure"))
        self.assertIn("Link", joined.tags)

    def test_the_archive_pdf_is_tagged_pdfa(self):
        data = self.render(pdfa=True)
        self.assert_accessible(data)
        pdf = pikepdf.open(io.BytesIO(data))
        xmp = pdf.Root.Metadata.read_bytes()
        self.assertIn(b'pdfaid:part="3"', xmp)
        self.assertIn(b'pdfaid:conformance="A"', xmp)
