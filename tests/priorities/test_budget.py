"""Priorities use the same money as the economy (issue 16 point 4): the overview shows
the scope's budget beside the resource frame and the frame's share of it, a fact sheet
shows its committee's budget and the cost's share of it, and an adopted satsning that
becomes an activity carries its cost."""

import datetime
import io
import tempfile

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from economy.models import FigureKind
from economy.services import FigureInput, figures_save
from goals.models import Activity
from priorities.models import PriorityRound
from priorities.services import item_decide, round_start_review
from tests.priorities.helpers import make_item, prio_world, submit

NBSP = "\u00a0"


def kr(text: str) -> str:
    return text.replace(" ", NBSP) + NBSP + "kr"


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="ledmot-budget-"))
class BudgetBesideFrameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world(frame=3_000_000)
        cls.item = make_item(w.bun_sheet, w.bun_staff, title="Fler lärare",
                             cost_budget=1_200_000, goals=[w.council_goal])  # fmt: skip
        submit(w.bun_sheet, w.bun_staff)
        cls.overview = reverse("priorities:overview", args=[w.round.pk])
        cls.sheet = reverse("priorities:item_detail", args=[cls.item.pk])

    def _budget(self):
        # Entered for the two committees: the council's budget is their sum.
        figures_save(
            figures=[
                FigureInput(self.w.bun, "2026", FigureKind.BUDGET, 40_000_000),
                FigureInput(self.w.von, "2026", FigureKind.BUDGET, 20_000_000),
                FigureInput(self.w.bun, "2025", FigureKind.BUDGET, 99_000_000),
            ],
            user=self.w.controller,
        )

    def test_overview_shows_the_scopes_budget_beside_the_frame(self):
        self._budget()
        self.client.force_login(self.w.reader)
        page = self.client.get(self.overview)
        self.assertContains(page, "Budget 2026, Kommunfullmäktige")
        self.assertContains(page, kr("60 000 000"))  # summed from the committees, that year
        self.assertContains(page, "Ramen i andel av budgeten")
        self.assertContains(page, "5,0 %")  # 3 000 000 of 60 000 000

    def test_fact_sheet_shows_the_committees_budget_and_the_costs_share(self):
        self._budget()
        self.client.force_login(self.w.bun_staff)
        page = self.client.get(self.sheet)
        self.assertContains(page, "Budget 2026, Barn- och utbildningsnämnden: " + kr("40 000 000"))
        self.assertContains(page, "kostnaden 2026 är 3,0 % av budgeten")

    def test_the_decision_basis_pdf_has_the_same_budget_and_share(self):
        self._budget()
        self.client.force_login(self.w.reader)
        pdf = self.client.get(reverse("priorities:round_pdf", args=[self.w.round.pk]))
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        text = text.replace(" ", NBSP).replace("\n", NBSP)  # a heading may wrap
        self.assertIn("Budget" + NBSP + "2026," + NBSP + "Kommunfullmäktige", text)
        self.assertIn(kr("60 000 000"), text)
        self.assertIn("5,0" + NBSP + "%", text)

    def pdf_text(self, url) -> str:
        pdf = self.client.get(url)
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        return text.replace(" ", NBSP).replace("\n", NBSP)  # a heading may wrap

    def test_the_fact_sheet_pdf_has_the_committees_budget_and_the_costs_share(self):
        """The fact sheet printed for the committee's meeting says what its page says."""
        self._budget()
        self.client.force_login(self.w.bun_staff)
        text = self.pdf_text(reverse("priorities:item_pdf", args=[self.item.pk]))
        committee = "Barn-" + NBSP + "och" + NBSP + "utbildningsnämnden"
        self.assertIn("Budget" + NBSP + "2026," + NBSP + committee, text)
        self.assertIn(kr("40 000 000"), text)
        self.assertIn("Kostnaden" + NBSP + "2026" + NBSP + "i" + NBSP + "andel", text)
        self.assertIn("3,0" + NBSP + "%", text)
        # and each fact sheet of the decision basis, by its own committee
        self.client.force_login(self.w.reader)
        basis = self.pdf_text(reverse("priorities:round_pdf", args=[self.w.round.pk]))
        self.assertIn("Budget" + NBSP + "2026," + NBSP + committee, basis)
        self.assertIn(kr("40 000 000"), basis)

    def test_without_a_budget_the_fact_sheet_pdf_claims_none(self):
        self.client.force_login(self.w.bun_staff)
        text = self.pdf_text(reverse("priorities:item_pdf", args=[self.item.pk]))
        self.assertNotIn("andel" + NBSP + "av" + NBSP + "budgeten", text)
        self.assertNotIn("Budget" + NBSP + "2026", text)

    def test_before_the_budget_year_is_decided_the_year_before_is_shown(self):
        figures_save(
            figures=[FigureInput(self.w.bun, "2025", FigureKind.BUDGET, 30_000_000)],
            user=self.w.controller,
        )
        self.client.force_login(self.w.reader)
        page = self.client.get(self.overview)
        self.assertContains(page, "Budget 2025, Kommunfullmäktige")
        self.assertContains(page, "10,0 %")
        self.client.force_login(self.w.bun_staff)
        page = self.client.get(self.sheet)
        self.assertContains(page, "Budget 2025, Barn- och utbildningsnämnden: " + kr("30 000 000"))
        self.assertContains(page, "kostnaden 2026 är 4,0 % av budgeten")

    def test_without_a_budget_nothing_is_claimed(self):
        self.client.force_login(self.w.reader)
        self.assertNotContains(self.client.get(self.overview), "Ramen i andel av budgeten")
        self.client.force_login(self.w.bun_staff)
        self.assertNotContains(self.client.get(self.sheet), "av budgeten")

    def test_fact_sheet_queries_do_not_grow_with_the_budget_tree(self):
        self.client.force_login(self.w.bun_staff)

        def count():
            self.client.get(self.sheet)
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(self.sheet).status_code, 200)
            return len(ctx.captured_queries)

        before = count()
        self._budget()
        figures_save(
            figures=[
                FigureInput(unit, "2026", FigureKind.BUDGET, 1_000_000)
                for unit in (self.w.skola1, self.w.skola2, self.w.buf)
            ],
            user=self.w.controller,
        )
        self.assertEqual(count(), before)


class ActivityCarriesCostTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        cls.item = make_item(w.bun_sheet, w.bun_staff, title="Fler lärare",
                             cost_budget=1_250_000, goals=[w.council_goal])  # fmt: skip
        submit(w.bun_sheet, w.bun_staff)
        rnd = PriorityRound.objects.get()
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)
        item = type(cls.item).objects.get(pk=cls.item.pk)
        item_decide(item=item, user=w.kf_approver, expected_version=item.version,
                    decision="beslutad", decided_on=datetime.date(2026, 6, 15),
                    paragraph="§ 88")  # fmt: skip

    def test_the_activity_has_the_satsnings_cost_on_the_goal_page_and_in_its_history(self):
        self.client.force_login(self.w.controller)
        url = reverse("priorities:item_activities", args=[self.item.pk])
        self.client.post(url, {"goals": [self.w.council_goal.pk]})
        activity = Activity.objects.get(priority_items=self.item)
        self.assertEqual(activity.cost, 1_250_000)
        self.assertEqual(activity.history.get().cost, 1_250_000)
        sheet = self.client.get(reverse("priorities:item_detail", args=[self.item.pk]))
        self.assertContains(sheet, "kostnad " + kr("1 250 000"))
        goal_page = self.client.get(reverse("goals:goal_detail", args=[self.w.council_goal.pk]))
        self.assertContains(goal_page, "Kostnad 1" + NBSP + "250" + NBSP + "000 kr")

    def test_editing_the_activity_keeps_its_cost(self):
        from tests.goals.test_activities import activity_data

        self.client.force_login(self.w.controller)
        url = reverse("priorities:item_activities", args=[self.item.pk])
        self.client.post(url, {"goals": [self.w.council_goal.pk]})
        activity = Activity.objects.get(priority_items=self.item)
        data = activity_data(activity, start="2026-01-01", end="2026-12-31", progress=40)
        response = self.client.post(reverse("goals:activity_edit", args=[activity.pk]), data)
        self.assertEqual(response.status_code, 302)
        activity.refresh_from_db()
        self.assertEqual((activity.progress, activity.cost), (40, 1_250_000))
