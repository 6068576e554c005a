"""Money beside the goals on the unit and committee pages: the year's budget, outcome and
forecast with a chart and the same numbers as a table, the units below, who gets the
entry link, and a number of queries that does not grow with the tree."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from economy.models import FigureKind
from economy.services import FigureInput, figures_save
from tests.conftest import build_world
from tests.factories import OrgUnitFactory

B, OUT, F = FigureKind.BUDGET, FigureKind.OUTCOME, FigureKind.FORECAST


class UnitSectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.year = year = timezone.localdate().year
        figures_save(
            figures=[
                FigureInput(w.skola1, str(year - 1), B, 43_000_000),
                FigureInput(w.skola1, str(year - 1), OUT, 43_900_000),
                FigureInput(w.skola1, str(year), B, 45_000_000),
                FigureInput(w.skola1, f"{year}-T1", OUT, 14_600_000),
                FigureInput(w.skola1, f"{year}-T1", F, 45_800_000),
                FigureInput(w.skola2, str(year), B, 30_000_000),
            ],
            user=None,
        )

    def page(self, unit, user=None):
        self.client.force_login(user or self.w.reader)
        return self.client.get(reverse("goals:unit_detail", args=[unit.pk]))

    def test_a_unit_shows_budget_outcome_so_far_and_forecast_with_a_table(self):
        html = self.page(self.w.skola1).content.decode()
        assert f"Ekonomi {self.year}" in html
        assert "45,0\u00a0mnkr" in html and "14,6\u00a0mnkr" in html and "45,8\u00a0mnkr" in html
        assert f"t.o.m. {self.year} T1" in html
        assert "\u22120,8\u00a0mnkr" in html  # budget − forecast: a forecast overrun
        assert 'role="img"' in html  # the chart
        assert "Budget, utfall och prognos per år (mnkr)" in html  # and its table
        assert "inmatat för enheten" in html

    def test_a_committee_sums_its_units_and_lists_those_below(self):
        html = self.page(self.w.bun).content.decode()
        assert "75,0\u00a0mnkr" in html and "summerat från enheterna" in html
        assert f"Enheterna under, {self.year} (mnkr)" in html
        assert self.w.buf.name in html

    def test_only_who_may_enter_gets_the_entry_link(self):
        entry = reverse("economy:entry", args=[self.w.skola1.pk])
        assert entry not in self.page(self.w.skola1).content.decode()
        assert entry in self.page(self.w.skola1, self.w.editor).content.decode()
        assert entry in self.page(self.w.skola1, self.w.controller).content.decode()

    def test_a_unit_without_figures_shows_nothing_to_a_reader(self):
        html = self.page(self.w.boende1).content.decode()
        assert "Ekonomi " + str(self.year) not in html
        html = self.page(self.w.boende1, self.w.other_editor).content.decode()
        assert "Ingen budget, inget utfall och ingen prognos inmatad för året." in html

    def test_the_committee_page_costs_the_same_queries_whatever_the_tree(self):
        self.page(self.w.bun)
        school = reverse("goals:unit_detail", args=[self.w.skola1.pk])
        with self.assertNumQueries(20) as school_few:
            self.client.get(school)
        # 20 for a reader: the unit page's (tests/goals/test_unit_page.py, without the
        # approver's menu count), the economy section's three (the units below, the
        # roll-up's two: made afresh in the test's transaction) and the cost-per-result
        # section's result indicators (economy.cost_per_result) among them.
        with self.assertNumQueries(20) as few:
            self.client.get(reverse("goals:unit_detail", args=[self.w.bun.pk]))
        units = [OrgUnitFactory(parent=self.w.buf) for _n in range(80)]
        figures_save(
            figures=[
                FigureInput(u, p, kind, 1_000_000 + i)
                for i, u in enumerate(units)
                for p, kind in [(str(self.year), B), (f"{self.year}-T1", OUT), ("2024", B)]
            ]
            + [FigureInput(self.w.skola1, f"{self.year}-{m:02d}", OUT, m) for m in range(1, 13)],
            user=None,
        )
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(reverse("goals:unit_detail", args=[self.w.bun.pk]))
        with self.assertNumQueries(len(school_few.captured_queries)):
            self.client.get(school)
