"""The report PDF laid out in parts (chapter by chapter here) and joined (issue 12, point 6: the
municipality's report in bounded memory) reads as one document: page numbers run on
across the chapters, the contents give the page each goal begins on and link to it,
the bookmarks nest every chapter under the report, and every page after the cover
has the running header."""

import io
import re
from unittest import mock

from django.test import TestCase
from django.utils import translation
from pypdf import PdfReader

from followup.models import GeneratedReport, GoalAssessment, ReportStatus
from followup.report_document import report_title
from followup.report_pdf import generated_report_render
from goals.models import GoalLevel
from ledmot.lib import pdf as lib_pdf
from tests.conftest import build_world
from tests.factories import GoalFactory
from tests.followup.helpers import open_round
from tests.followup.test_report_pdf import MediaMixin

# Long enough that each committee goal takes most of a page: chapters of several pages.
ANALYSIS = "Resultaten har förbättrats men når inte målvärdet. " * 60


def normal(text: str) -> str:
    return " ".join(text.split())


# One chapter a part (a report of this size is otherwise laid out at once).
@mock.patch("followup.report_pdf.PART_GOALS", 1)
class ReportInPartsTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.second = GoalFactory(
            level=GoalLevel.COUNCIL,
            owner=w.kf,
            mandate_period=w.period,
            title="Äldre ska känna sig trygga med sin omsorg",
            order=2,
        )
        cls.committee_goals = [w.committee_goal]
        for n, owner in enumerate([w.bun, w.von, w.von]):
            cls.committee_goals.append(
                GoalFactory(
                    level=GoalLevel.COMMITTEE,
                    parent=w.council_goal if n == 0 else cls.second,
                    owner=owner,
                    mandate_period=w.period,
                    title=f"Nämndmålet {owner.code} nummer {n}",
                )
            )
        cls.rnd = open_round(w)
        for a in GoalAssessment.objects.filter(report__round=cls.rnd).select_related("report"):
            a.chosen, a.analysis = "partly", ANALYSIS
            a.save()
            a.report.status = ReportStatus.SUBMITTED
            a.report.save()

    def render(self, org=None):
        job = GeneratedReport.objects.create(
            round=self.rnd, org_unit=org, title=report_title(self.rnd, org)
        )
        with translation.override("sv"):
            self.assertTrue(generated_report_render(job), job.error)
        job.refresh_from_db()
        with job.file.open("rb") as fh:
            reader = PdfReader(io.BytesIO(fh.read()))
        self.assertEqual(job.pages, len(reader.pages))
        return reader

    def first_page_of(self, reader, heading: str) -> int:
        """The 1-based page where ``heading`` first appears after the first pages
        (cover, contents, vision, summary)."""
        texts = [normal(p.extract_text()) for p in reader.pages]
        summary = max(i for i, t in enumerate(texts) if "Måluppfyllelse i sammandrag" in t)
        return next(i for i, t in enumerate(texts) if i > summary and heading in t) + 1

    def test_page_numbers_and_running_header_run_on_across_chapters(self):
        reader = self.render()
        total = len(reader.pages)
        chapter = self.first_page_of(reader, self.second.title)
        self.assertGreater(chapter, 4)  # several chapters of several pages
        texts = [normal(p.extract_text()) for p in reader.pages]
        self.assertNotIn("Sida", texts[0])  # the cover has neither number nor header
        for n, text in enumerate(texts[1:], start=2):
            self.assertEqual(re.findall(r"Sida \d+ av \d+", text), [f"Sida {n} av {total}"])
            self.assertIn("Tertialrapport 2025 – Hela kommunen", text, n)
        # The chapter's header names it on its first page.
        self.assertIn(self.second.title, texts[chapter - 1].split("Sida")[0])

    def test_contents_give_and_link_to_the_page_each_goal_begins_on(self):
        reader = self.render()
        contents = normal(reader.pages[1].extract_text())
        links = {}
        for annot in reader.pages[1].get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                dest = annot["/Dest"]
                named = isinstance(dest, str)  # WeasyPrint's own links name their anchor
                page = reader.named_destinations[dest].page if named else dest[0]
                links.setdefault(reader.get_page_number(page.get_object()) + 1, annot)
        for goal in [self.w.council_goal, self.second, *self.committee_goals]:
            page = self.first_page_of(reader, goal.title)
            printed = re.search(re.escape(goal.title) + r"[ .]*?(\d+)\b", contents)
            self.assertIsNotNone(printed, goal.title)
            self.assertEqual(int(printed.group(1)), page, goal.title)
            self.assertIn(page, links, goal.title)
            self.assertEqual(
                reader.named_destinations[f"mal-{goal.pk}"].page,
                reader.pages[page - 1].indirect_reference,
            )

    def test_bookmarks_nest_every_chapter_under_the_report(self):
        reader = self.render()
        outline = reader.outline
        self.assertEqual(
            [item.title for item in outline if not isinstance(item, list)], ["Tertialrapport 2025"]
        )
        chapters = outline[1]
        titles = [item.title for item in chapters if not isinstance(item, list)]
        self.assertEqual(
            titles,
            [
                "Innehåll",
                "Vision",
                "Måluppfyllelse i sammandrag",
                self.w.council_goal.title,
                self.second.title,
            ],
        )
        second_children = chapters[
            chapters.index(
                next(
                    i for i in chapters if not isinstance(i, list) and i.title == self.second.title
                )
            )
            + 1
        ]
        self.assertEqual(
            [item.title for item in second_children if not isinstance(item, list)],
            [g.title for g in self.committee_goals[2:]],
        )
        for item in [
            *[i for i in chapters if not isinstance(i, list)],
            *[i for i in second_children if not isinstance(i, list)],
        ]:
            page = reader.get_destination_page_number(item) + 1
            self.assertIn(item.title, normal(reader.pages[page - 1].extract_text()), item.title)

    def test_each_chapter_is_laid_out_on_its_own(self):
        """Memory: no layout holds more than one chapter's pages (the whole
        municipality's report at four times large needed 1.6 GB laid out at once)."""
        laid_out = []
        real = lib_pdf.layout

        def recording(html, **kwargs):
            document = real(html, **kwargs)
            if 'class="page-number"' not in html:  # not the empty pages of the numbers
                laid_out.append(len(document.pages))
            return document

        with mock.patch.object(lib_pdf, "layout", side_effect=recording):
            reader = self.render()
        total = len(reader.pages)
        first = self.first_page_of(reader, self.w.council_goal.title)
        second = self.first_page_of(reader, self.second.title)
        longest = max(first - 1, second - first, total - second + 1)  # front, chapters
        self.assertLess(longest, total)
        self.assertEqual(max(laid_out), longest)

    def test_each_parts_font_subset_has_its_own_name(self):
        """Every part embeds its own subset of DejaVu Sans; under one name, a reader
        may draw one part's text with another part's glyphs."""
        reader = self.render()
        objects_by_name = {}
        for page in reader.pages:
            fonts = page["/Resources"].get_object().get("/Font")
            for ref in (fonts.get_object() if fonts else {}).values():
                name = str(ref.get_object()["/BaseFont"])
                objects_by_name.setdefault(name, set()).add(ref.idnum)
        self.assertTrue(any("DejaVu-Sans" in name for name in objects_by_name))
        shared = {name: ids for name, ids in objects_by_name.items() if len(ids) > 1}
        self.assertEqual(shared, {})

    def test_the_chapters_before_the_goals_are_laid_out_once_and_in_the_contents(self):
        """The vision and the summary are a part of their own, laid out once (not again
        with the cover and contents until the contents' page numbers hold); the contents
        give the page each begins on."""
        sections = []
        real = lib_pdf.layout

        def recording(html, **kwargs):
            sections.append(html.count('id="sammanfattning"'))
            return real(html, **kwargs)

        with mock.patch.object(lib_pdf, "layout", side_effect=recording):
            reader = self.render()
        self.assertEqual(sum(sections), 1)
        texts = [normal(p.extract_text()) for p in reader.pages]
        for heading in ("Vision", "Måluppfyllelse i sammandrag"):
            printed = re.search(re.escape(heading) + r"[ .]*?(\d+)\b", texts[1])
            self.assertIsNotNone(printed, heading)
            page = next(i for i, t in enumerate(texts) if i > 1 and heading in t) + 1
            self.assertEqual(int(printed.group(1)), page, heading)
