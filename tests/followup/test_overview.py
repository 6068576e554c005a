"""The politician's overview (Röda tråden's tab "Översikt", issue 13 point 6): per
committee and for the whole municipality how the goals of a round were assessed, the
same numbers as the report PDF, each number a link to exactly the goals it counts; and
badges that say which is the indicators' proposal and which the human assessment, from
which round."""

import datetime
import re
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from followup.models import GoalAssessment, Report, ReportStatus
from followup.report_document import report_document
from followup.services import round_close
from goals.models import GoalLevel, Measurement, Target
from goals.services import indicator_refresh_latest
from ledmot.models import OrgKind
from tests.conftest import build_world
from tests.factories import GoalFactory, OrgUnitFactory
from tests.followup.helpers import open_round

OVERVIEW = reverse("overview:overview")
COLUMNS = ("met", "partly", "not_met", "not_assessed")


def assess(rnd, unit, choices: dict, status=ReportStatus.SUBMITTED):
    """Give the goals of ``unit``'s report in ``rnd`` their assessments, then the status."""
    report = Report.objects.get(round=rnd, org_unit=unit)
    for goal, chosen in choices.items():
        a = report.assessments.get(goal=goal)
        a.chosen, a.analysis, a.justification = chosen, "Analys", "Motivering"
        a.save()
    report.status, report.started = status, True
    report.save()
    return report


def table(html: str) -> dict[str, list[int]]:
    """The overview's table: committee (or "Hela kommunen") → the four counts and the total."""
    body = re.search(r'<table class="data overview-table">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for name, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', body, re.S):
        numbers = re.findall(r'<td class="num">(?:<a [^>]*>)?(\d+)', cells)
        rows[name] = [int(n) for n in numbers]
    return rows


def links(html: str) -> list[tuple[str, int]]:
    """Every number of the table that is a link: (its address, the number)."""
    body = re.search(r'<table class="data overview-table">(.*?)</table>', html, re.S).group(1)
    return [
        (href.replace("&amp;", "&"), int(n))
        for href, n in re.findall(r'<a href="([^"]+)" aria-label="[^"]*">(\d+)</a>', body)
    ]


def listed_goals(client, url: str) -> list[int]:
    ids = []
    page = 1
    while True:
        html = client.get(url + f"&sida={page}").content.decode()
        ids += [int(pk) for pk in re.findall(r'<tr id="mal-(\d+)">', html)]
        if 'rel="next"' not in html:
            return ids
        page += 1


class OverviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = w = build_world()
        cls.bun_goal2 = GoalFactory(
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=w.bun,
            mandate_period=w.period,
            title="Tryggheten i skolan ska öka",
        )
        cls.von_goal = GoalFactory(
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=w.von,
            mandate_period=w.period,
            title="Fler äldre ska känna sig trygga",
        )
        cls.rnd = open_round(w)
        assess(cls.rnd, w.bun, {w.committee_goal: "met", cls.bun_goal2: "partly"})
        # VON's report is a draft: its "not met" is work in progress, counted as not assessed.
        assess(cls.rnd, w.von, {cls.von_goal: "not_met"}, status=ReportStatus.DRAFT)
        assess(cls.rnd, w.skola1, {w.unit_goal: "not_met"})  # a unit goal: not counted

    def get(self, user=None, **params):
        self.client.force_login(user or self.w.reader)
        return self.client.get(OVERVIEW, params)

    def test_reader_sees_the_numbers_per_committee_and_for_the_whole_municipality(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            table(response.content.decode()),
            {
                "Barn- och utbildningsnämnden": [1, 1, 0, 0, 2],
                "Vård- och omsorgsnämnden": [0, 0, 0, 1, 1],
                "Hela kommunen": [1, 1, 0, 1, 3],
            },
        )
        # The chart: symbol, word and number written out, not colour alone.
        html = response.content.decode()
        self.assertIn('role="img"', html)
        self.assertIn("Uppfyllt 1, Delvis uppfyllt 1, Ej uppfyllt 0, Ej bedömt 1", html)
        self.assertContains(response, "siffrorna är preliminära")  # the round is open

    def test_the_numbers_are_the_report_pdfs(self):
        shown = table(self.get().content.decode())
        doc = report_document(self.rnd, None)
        printed = {row.name: [*row.counts, row.total] for row in doc.summary}
        printed["Hela kommunen"] = [*doc.summary_total.counts, doc.summary_total.total]
        self.assertEqual(shown, printed)

    def test_each_number_links_to_exactly_the_goals_it_counts(self):
        html = self.get().content.decode()
        found = links(html)
        self.assertEqual(len(found), 9)  # the non-zero numbers: 3 + 2 for BUN and VON, 4 total
        for url, n in found:
            ids = listed_goals(self.client, url)
            self.assertEqual(len(ids), n, url)
            self.assertEqual(len(set(ids)), n, url)
        w = self.w
        bun = reverse("overview:goals") + f"?omgang={self.rnd.pk}&namnd=BUN"
        self.assertEqual(listed_goals(self.client, bun + "&bedomning=met"), [w.committee_goal.pk])
        self.assertEqual(listed_goals(self.client, bun + "&bedomning=partly"), [self.bun_goal2.pk])
        total = reverse("overview:goals") + f"?omgang={self.rnd.pk}&bedomning=not_assessed"
        self.assertEqual(listed_goals(self.client, total), [self.von_goal.pk])
        response = self.client.get(total)
        self.assertContains(response, self.von_goal.title)
        self.assertContains(response, "Ej bedömt")

    def test_every_signed_in_persona_sees_it_and_anonymous_is_sent_to_sign_in(self):
        w = self.w
        for user in (w.reader, w.editor, w.other_editor, w.controller):
            self.assertEqual(table(self.get(user).content.decode())["Hela kommunen"][-1], 3)
        self.client.logout()
        response = self.client.get(OVERVIEW)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        response = self.client.get(reverse("overview:goals"))
        self.assertEqual(response.status_code, 302)

    def test_roda_traden_has_the_overview_as_a_tab(self):
        self.client.force_login(self.w.reader)
        html = self.client.get(reverse("goals:chain")).content.decode()
        self.assertIn(f'<a href="{OVERVIEW}">Översikt</a>', html)

    def test_the_latest_closed_round_is_shown_first_and_any_round_can_be_chosen(self):
        w = self.w
        later = open_round(w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
        # The open later round is preliminary: the closed one is shown until it closes.
        round_close(rnd=self.rnd, user=w.controller)
        response = self.get()
        self.assertContains(response, "Tertialrapport 2025</span></h1>", html=False)
        self.assertNotContains(response, "siffrorna är preliminära")
        response = self.get(omgang=later.pk)
        # Nothing submitted yet: every goal of the round counts as not assessed.
        self.assertEqual(
            table(response.content.decode()),
            {
                "Barn- och utbildningsnämnden": [0, 0, 0, 2, 2],
                "Vård- och omsorgsnämnden": [0, 0, 0, 1, 1],
                "Hela kommunen": [0, 0, 0, 3, 3],
            },
        )
        self.assertContains(response, "Delårsrapport 2025 (pågår)")
        # A value that names no round: the default.
        self.assertContains(self.get(omgang="x"), "Tertialrapport 2025</span></h1>")

    def test_no_round_yet(self):
        Report.objects.all().delete()
        self.rnd.delete()
        response = self.get()
        self.assertContains(response, "Ingen uppföljning är öppnad ännu")

    def test_query_count_is_the_same_for_a_larger_municipality(self):
        self.client.force_login(self.w.reader)
        self.client.get(OVERVIEW)  # the session and the user, once
        with self.assertNumQueries(6):
            self.client.get(OVERVIEW)
        with self.assertNumQueries(9):
            self.client.get(reverse("overview:goals") + f"?omgang={self.rnd.pk}&namnd=BUN")
        w = self.w
        for n in range(4):
            committee = OrgUnitFactory(
                parent=w.kf, kind=OrgKind.COMMITTEE, code=f"N{n}", name=f"Nämnd {n}"
            )
            for m in range(3):
                goal = GoalFactory(
                    level=GoalLevel.COMMITTEE,
                    parent=w.council_goal,
                    owner=committee,
                    mandate_period=w.period,
                    title=f"Mål {n}.{m}",
                )
                report, _ = Report.objects.get_or_create(round=self.rnd, org_unit=committee)
                GoalAssessment.objects.create(report=report, goal=goal, chosen="met")
        with self.assertNumQueries(6):
            response = self.client.get(OVERVIEW)
        self.assertEqual(table(response.content.decode())["Hela kommunen"][-1], 15)
        with self.assertNumQueries(9):
            self.client.get(reverse("overview:goals") + f"?omgang={self.rnd.pk}&namnd=N0")
        with self.assertNumQueries(8):  # the whole municipality: no committee to look up
            self.client.get(reverse("overview:goals") + f"?omgang={self.rnd.pk}")


class BadgeTests(TestCase):
    """The chain rows and the goal page say which is the indicators' proposal and which
    the human assessment, and from which round; siblings assessed in different rounds
    name each their own round."""

    @classmethod
    def setUpTestData(cls):
        cls.w = w = build_world()
        cls.sibling = GoalFactory(  # another committee's goal under the same council goal
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=w.von,
            mandate_period=w.period,
            title="Fler äldre ska känna sig trygga",
        )
        ind = w.indicator  # measures the unit goal and the committee goal
        Measurement.objects.create(indicator=ind, period="2025", value=Decimal(90))
        Target.objects.create(indicator=ind, year=2025, value=Decimal(80))
        indicator_refresh_latest({ind.pk})
        first = open_round(w)
        assess(first, w.bun, {w.committee_goal: "partly"})
        assess(first, w.von, {cls.sibling: "not_met"})
        second = open_round(w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
        assess(second, w.bun, {w.committee_goal: "partly"})
        # The sibling's report in the later round is not submitted: its latest counted
        # assessment is the earlier round's.
        assess(second, w.von, {cls.sibling: "met"}, status=ReportStatus.DRAFT)

    def test_chain_rows_name_the_proposal_and_the_assessment_with_its_round(self):
        w = self.w
        self.client.force_login(w.reader)
        html = self.client.get(reverse("goals:chain"), {"oppna": [w.council_goal.pk]}).content
        html = html.decode()
        row = html[html.index(f'id="mal-{w.committee_goal.pk}"') :]
        row = row[: row.index("goal-row__meta")]
        self.assertIn("Förslag från indikatorerna: Uppfyllt", row)
        self.assertIn("Bedömning Delårsrapport 2025: Delvis uppfyllt", row)
        sibling = html[html.index(f'id="mal-{self.sibling.pk}"') :]
        sibling = sibling[: sibling.index("goal-row__meta")]
        self.assertIn("Bedömning Tertialrapport 2025: Ej uppfyllt", sibling)

    def test_goal_page_shows_the_assessment_and_the_proposal_apart(self):
        w = self.w
        self.client.force_login(w.reader)
        response = self.client.get(reverse("goals:goal_detail", args=[w.committee_goal.pk]))
        self.assertContains(response, "Bedömning Delårsrapport 2025: Delvis uppfyllt")
        self.assertContains(response, "Förslag från indikatorerna: Uppfyllt")
        response = self.client.get(reverse("goals:goal_detail", args=[w.unit_goal.pk]))
        self.assertContains(response, "Ingen bedömning i en inlämnad uppföljning ännu.")
        self.assertContains(response, "Förslag från indikatorerna: Uppfyllt")

    def test_siblings_assessed_in_different_rounds_say_so(self):
        w = self.w
        note = (
            "Målen här är bedömda i olika uppföljningar: Delårsrapport 2025, Tertialrapport 2025."
        )
        self.client.force_login(w.reader)
        chain = reverse("goals:chain")
        self.assertContains(self.client.get(chain, {"oppna": [w.council_goal.pk]}), note)
        branch = reverse("goals:goal_branch", args=[w.council_goal.pk])
        self.assertContains(self.client.get(branch, headers={"HX-Request": "true"}), note)
        goal_page = reverse("goals:goal_detail", args=[w.council_goal.pk])
        self.assertContains(self.client.get(goal_page), note)
        # Siblings of one round: no note.
        self.assertNotContains(self.client.get(chain), "olika uppföljningar")
