"""God ekonomisk hushållning: the chapter of the round's report PDF (read from the PDF's
text), and the small screen where a controller writes the round's overall judgement."""

import datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse

from economy.models import EconomyJudgement, FigureKind
from economy.services import FigureInput, figures_save, judgement_save
from followup.models import GeneratedReport, GoalAssessment, ReportStatus
from followup.report_document import report_document
from followup.services import round_close
from goals.models import GoalType, IndicatorKind
from goals.services import ValueInput, measurements_save
from ledmot.lib.pdf import layout, render_html
from ledmot.models import JobStatus
from tests.conftest import build_world
from tests.factories import GoalFactory, IndicatorFactory
from tests.followup.helpers import open_round
from tests.followup.test_report_pdf import MediaMixin, pdf_text
from tests.pdf_layout import text_past_the_edge

B, OUT, F = FigureKind.BUDGET, FigureKind.OUTCOME, FigureKind.FORECAST
JUDGEMENT = "Kommunen har en god ekonomisk hushållning: resultatet når målet för året."


def _chapter(text: str) -> str:
    """The chapter's text: from its opening sentence to its last note. (Not from its
    heading: the title is also in the contents and in the running header of each of the
    chapter's pages, and the chapter may run over two.)"""
    start = text.index("Här redovisas hur de har bedömts i uppföljningen.")
    return text[start : text.index("Avvikelse = budget", start)]


def _world():
    w = build_world()
    w.council_goal.goal_type = GoalType.FINANCIAL
    w.council_goal.save()
    w.operational = GoalFactory(
        title="Alla barn ska klara skolan", mandate_period=w.period, owner=w.kf
    )
    figures_save(
        figures=[
            FigureInput(w.bun, "2025", B, 500_000_000),
            FigureInput(w.von, "2025", B, 300_000_000),
            FigureInput(w.skola1, "2025", OUT, 510_000_000),  # BUN: summed from its units
            FigureInput(w.von, "2025", OUT, 290_000_000),
            FigureInput(w.bun, "2025-D", F, 520_000_000),
            FigureInput(w.von, "2025-D", F, 295_000_000),
            FigureInput(w.von, "2025-D", OUT, 190_000_000),
        ],
        user=None,
    )
    return w


class GehChapterTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = _world()

    def pdf(self, rnd, org=""):
        self.client.force_login(self.w.controller)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("followup:report_pdf_create", args=[rnd.pk]), {"org": org})
        job = GeneratedReport.objects.filter(round=rnd).latest("pk")
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        response = self.client.get(reverse("followup:report_pdf_download", args=[rnd.pk, job.pk]))
        return pdf_text(b"".join(response.streaming_content))

    def test_the_annual_report_evaluates_god_ekonomisk_hushallning(self):
        w = self.w
        rnd = open_round(w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
        # The council's own report assesses its goals.
        assessment = GoalAssessment.objects.get(goal=w.council_goal, report__round=rnd)
        assessment.chosen = "met"
        assessment.save()
        assessment.report.status = ReportStatus.SUBMITTED
        assessment.report.save()
        judgement_save(rnd=rnd, text=JUDGEMENT, user=w.controller, seen_version=0)
        text = self.pdf(rnd)
        chapter = _chapter(text)
        self.assertIn("Finansiella mål", chapter)
        self.assertIn(w.council_goal.title, chapter.split("Verksamhetsmål")[0])
        self.assertIn("Alla barn ska klara skolan", chapter.split("Verksamhetsmål")[1])
        self.assertRegex(chapter.split("Verksamhetsmål")[0], r"✓ Uppfyllt")
        self.assertIn("– Ej bedömt", chapter.split("Verksamhetsmål")[1])
        self.assertIn(JUDGEMENT, text)
        self.assertIn("Budget och utfall per nämnd", chapter)
        # BUN: budget 500 Mkr, outcome 510 Mkr (summed from its school), 10 Mkr over.
        bun = chapter.split(w.bun.name)[-1]
        self.assertRegex(bun, r"^\s*500 000 000 510 000 000 [−-]10 000 000")
        self.assertRegex(chapter, r"Hela kommunen 800 000 000 800 000 000 0")
        self.assertNotIn("Prognos helår", chapter)

    def test_the_interim_report_carries_the_full_year_forecast(self):
        w = self.w
        rnd = open_round(w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
        text = self.pdf(rnd)
        chapter = _chapter(text)
        self.assertIn("Prognos för helåret per nämnd", chapter)
        self.assertIn("Prognos helår", chapter)
        # VON: budget 300 Mkr, forecast 295 Mkr: 5 Mkr under budget. The outcome is that
        # of the interim period: the year's is not known at the end of August.
        von = chapter.split(w.von.name)[-1]
        self.assertRegex(von, r"^\s*300 000 000 190 000 000 295 000 000 5 000 000")
        # The municipality: 800 Mkr budget, 815 Mkr forecast; BUN has no interim outcome.
        self.assertRegex(
            chapter, r"Hela kommunen 800 000 000 190 000 000 815 000 000 [−-]15 000 000"
        )

    def test_the_forecast_table_fits_the_page(self):
        """Its numeric headings did not wrap: "Prognos helår, kr" ran into the next
        heading and "Avvikelse prognos mot budget, kr" past the page's edge."""
        w = self.w
        rnd = open_round(w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
        doc = report_document(rnd, None)
        document = layout(render_html("followup/report_pdf.html", {"doc": doc}))
        self.assertEqual(text_past_the_edge(document), [])

    def test_a_committees_report_has_its_own_figures_only(self):
        w = self.w
        rnd = open_round(w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
        html = render_to_string("followup/report_pdf.html", {"doc": report_document(rnd, w.bun)})
        chapter = html.split('id="god-ekonomisk-hushallning"')[1]
        self.assertIn("520\u00a0000\u00a0000", chapter)
        self.assertNotIn("295\u00a0000\u00a0000", chapter)
        self.assertNotIn("Hela kommunen</th>", chapter)


class JudgementScreenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))

    def urls(self):
        return {
            "list": reverse("economy:judgement_list"),
            "round": reverse("economy:judgement", args=[self.rnd.pk]),
        }

    def test_the_grid(self):
        w = self.w
        grid = {
            "anonymous": (None, 302),
            "reader": (w.reader, 403),
            "unit editor": (w.editor, 403),
            "other editor": (w.other_editor, 403),
            "controller": (w.controller, 200),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name, url in self.urls().items():
                with self.subTest(persona=persona, url=name):
                    self.assertEqual(self.client.get(url).status_code, expected)
            with self.subTest(persona=persona, write=True):
                response = self.client.post(self.urls()["round"], {"text": "x", "version": 0})
                self.assertEqual(response.status_code, 403 if expected == 403 else 302)
        # Only the controller's post was saved.
        self.assertEqual(EconomyJudgement.objects.get().text, "x")

    def test_the_controller_reaches_it_from_the_economy_page_and_only_the_controller(self):
        entry = reverse("economy:entry", args=[self.w.bun.pk])
        link = f'href="{self.urls()["list"]}"'
        self.client.force_login(self.w.controller)
        self.assertContains(self.client.get(entry), link)
        self.client.force_login(self.w.editor)
        entry = reverse("economy:entry", args=[self.w.skola1.pk])
        page = self.client.get(entry)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, link)

    def test_a_refused_write_changes_nothing(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(self.urls()["round"], {"text": "Mitt omdöme", "version": 0})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(EconomyJudgement.objects.exists())

    def test_the_controller_writes_it_with_history_and_meets_a_conflict(self):
        self.client.force_login(self.w.controller)
        url = self.urls()["round"]
        response = self.client.post(url, {"text": JUDGEMENT, "version": 0}, follow=True)
        self.assertContains(response, "Den samlade bedömningen är sparad.")
        self.assertContains(response, JUDGEMENT)
        judgement = EconomyJudgement.objects.get()
        self.assertEqual([h.history_user for h in judgement.history.all()], [self.w.controller])
        # A second page opened before that save is refused, and changes nothing.
        response = self.client.post(url, {"text": "Annat", "version": 0})
        self.assertContains(response, "Någon annan har ändrat bedömningen")
        self.assertEqual(EconomyJudgement.objects.get().text, JUDGEMENT)
        # The menu leads there.
        page = self.client.get(reverse("economy:judgement_list")).content.decode()
        self.assertIn(url, page)

    def test_a_closed_rounds_judgement_cannot_change(self):
        judgement_save(rnd=self.rnd, text=JUDGEMENT, user=self.w.controller, seen_version=0)
        round_close(rnd=self.rnd, user=self.w.controller)
        self.client.force_login(self.w.controller)
        url = self.urls()["round"]
        self.assertContains(self.client.get(url), "den samlade bedömningen kan inte ändras")
        response = self.client.post(url, {"text": "Ändrad", "version": 1})
        self.assertContains(response, "den samlade bedömningen kan inte ändras")
        self.assertEqual(EconomyJudgement.objects.get().text, JUDGEMENT)


class CostPerResultInTheReportTests(MediaMixin, TestCase):
    """A committee's report carries the cost per result of its result indicators."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = _world()
        pupils = IndicatorFactory(
            name="Antal elever i BUN",
            unit="elever",
            kind=IndicatorKind.RESULT,
            responsible_unit=w.bun,
        )
        share = IndicatorFactory(
            name="Andel nöjda elever", unit="%", kind=IndicatorKind.RESULT, responsible_unit=w.bun
        )
        measurements_save(
            values=[
                ValueInput(indicator=pupils, period="2025", value=Decimal(5000)),
                ValueInput(indicator=share, period="2025", value=Decimal(80)),
            ],
            user=w.controller,
        )

    pdf = GehChapterTests.pdf

    def test_the_committees_annual_report_shows_kronor_per_pupil(self):
        w = self.w
        rnd = open_round(w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
        text = self.pdf(rnd, org=w.bun.code)
        self.assertIn("Kostnad per resultat", text)
        table = text.split("Kostnad per resultat")[-1]
        # BUN's outcome 510 Mkr (summed from its school) / 5 000 pupils.
        self.assertRegex(table, r"Antal elever i BUN 2025 5 000 elever 102 000 kr")
        self.assertNotIn("Andel nöjda elever", table)  # a percentage is not a count
        document = layout(
            render_html("followup/report_pdf.html", {"doc": report_document(rnd, w.bun)})
        )
        self.assertEqual(text_past_the_edge(document), [])

    def test_the_municipalitys_report_has_no_such_table(self):
        rnd = open_round(self.w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
        self.assertNotIn("Kostnad per resultat", self.pdf(rnd))
