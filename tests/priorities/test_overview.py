"""The political overview: ranked items across committees, the frame line, the chart,
the effect per goal, filters, the Excel export and pinned query counts."""

import io

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from priorities.models import PriorityRound
from tests.priorities.helpers import make_item, prio_world, submit


class OverviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world(frame=3_000_000)
        cls.a = make_item(w.bun_sheet, w.bun_staff, title="Lärare", cost_budget=1_000_000,
                          severity=4, effect=5, cost_effect=1, evidence=4,
                          goals=[w.council_goal])  # fmt: skip
        cls.b = make_item(w.von_sheet, w.von_staff, title="Hemtjänst", cost_budget=1_500_000,
                          severity=4, effect=4, cost_effect=2, evidence=3,
                          goals=[w.council_goal])  # fmt: skip
        cls.c = make_item(w.bun_sheet, w.bun_staff, title="Skolbibliotek", cost_budget=800_000,
                          severity=2, effect=3, cost_effect=2, evidence=2)  # fmt: skip
        cls.draft = make_item(w.von_sheet, w.von_staff, title="Ännu inte inlämnat")
        submit(w.bun_sheet, w.bun_staff)  # VON submits in the tests that need it
        cls.url = reverse("priorities:overview", args=[w.round.pk])

    @classmethod
    def _submit_von(cls):
        submit(cls.w.von_sheet, cls.w.von_staff)

    def test_politician_sees_ranked_items_and_where_the_frame_runs_out(self):
        self._submit_von()
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url)
        items = response.context["shown"]
        # Suggested ranks: Lärare 1, Hemtjänst 2, VON's other item 4, Skolbibliotek 6.
        self.assertEqual([i.title for i in items][:2], ["Lärare", "Hemtjänst"])
        result = response.context["result"]
        cumulative = {r.item.title: r.cumulative for r in result.rows}
        self.assertEqual(cumulative["Lärare"], 1_000_000)
        self.assertEqual(cumulative["Hemtjänst"], 2_500_000)
        self.assertContains(response, "Här tar ramen slut")
        self.assertContains(response, "prio-beyond")
        # The chart: an accessible SVG with the frame and the line, no inline style.
        self.assertContains(response, 'role="img"')
        self.assertContains(response, "Resursram 3,0")
        self.assertContains(response, "Ramen räcker till förslag")
        chart = str(response.context["chart"])
        self.assertNotIn("style=", chart)
        self.assertContains(response, "3\u00a0000\u00a0000\u00a0kr")
        # Read only: no decision links while the round is open, and none for a reader.
        self.assertNotContains(response, "?next=oversikt#beslut")

    def test_drafts_are_not_in_the_overview(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url)
        titles = [i.title for i in response.context["shown"]]
        self.assertNotIn("Hemtjänst", titles)  # VON has not submitted
        self.assertNotIn("Ännu inte inlämnat", titles)

    def test_filters_hide_rows_but_keep_the_ranking_and_sums(self):
        self._submit_von()
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url, {"namnd": "VON"})
        shown = response.context["shown"]
        self.assertTrue(shown and all(i.worksheet.committee.code == "VON" for i in shown))
        hemtjanst = next(i for i in shown if i.title == "Hemtjänst")
        self.assertEqual((hemtjanst.position, hemtjanst.frame_row.cumulative), (2, 2_500_000))
        response = self.client.get(self.url, {"typ": "ransonering"})
        self.assertEqual(response.context["shown"], [])

    def test_effect_per_goal(self):
        self._submit_von()
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url)
        effects = {g["pk"]: g for g in response.context["goal_effects"]}
        council = effects[self.w.council_goal.pk]
        self.assertEqual((council["items"], council["effect"], council["cost"]), (2, 9, 2_500_000))

    def test_excel_export_has_every_field_totals_and_text_never_a_formula(self):
        from priorities.models import PriorityItem

        item = PriorityItem.objects.get(pk=self.c.pk)
        item.description = '=HYPERLINK("http://x","klicka")'
        item.save()
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url, {"export": "xlsx"})
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(values_only=True))
        heading = rows[0]
        labels = ("Svårighetsgrad", "Barnkonsekvensanalys", "Kostnad 2026 (kr)",
                  "Kostnad 2028 (kr)", "Årsarbetare", "Föreslagen rang", "Inom ramen")  # fmt: skip
        for label in labels:
            self.assertIn(label, heading)
        by_title = {r[2]: r for r in rows[1:]}
        self.assertEqual(by_title["Skolbibliotek"][heading.index("Beskrivning av förslaget")],
                         '=HYPERLINK("http://x","klicka")')  # fmt: skip
        cell = next(c for c in ws[3] if c.value == '=HYPERLINK("http://x","klicka")')
        self.assertEqual(cell.data_type, "s")
        total = rows[-1]
        self.assertTrue(total[2].startswith("Summa"))
        self.assertEqual(total[heading.index("Kostnad 2026 (kr)")], 1_800_000)

    def test_access(self):
        # The council's reader, controller and approver read it; committee staff and unit
        # editors without a role on the council do not; outsiders do not see the round.
        for user in (self.w.reader, self.w.controller, self.w.kf_approver):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 200, user)
        for user in (self.w.bun_staff, self.w.editor, self.w.other_editor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_round_outside_the_users_scope_is_404(self):
        from ledmot.models import OrgKind
        from priorities.services import round_open
        from tests.factories import OrgUnitFactory

        other = OrgUnitFactory(name="Kultur", code="KFN", kind=OrgKind.COMMITTEE, parent=self.w.kf)
        rnd = round_open(title="Kulturens egen", year=2026, plan_years=0, scope=other,
                         resource_frame=0, user=self.w.controller)  # fmt: skip
        self.client.force_login(self.w.bun_staff)
        url = reverse("priorities:overview", args=[rnd.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotContains(self.client.get(reverse("priorities:round_list")), "Kulturens egen")


class OverviewQueryCountTests(TestCase):
    """The overview costs the same number of queries whatever the number of items."""

    @classmethod
    def setUpTestData(cls):
        cls.w = prio_world()

    def _count(self):
        url = reverse("priorities:overview", args=[self.w.round.pk])
        self.client.force_login(self.w.reader)
        self.client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries), len(response.context["shown"])

    def test_pinned_at_two_sizes(self):
        for n in range(2):
            make_item(
                self.w.bun_sheet, self.w.bun_staff, title=f"B{n}", goals=[self.w.council_goal]
            )
        submit(self.w.bun_sheet, self.w.bun_staff)
        small, shown = self._count()
        self.assertEqual((small, shown), (9, 2))  # 2 of them: the scope's budget
        for n in range(40):
            make_item(self.w.von_sheet, self.w.von_staff, title=f"V{n}", cost_budget=n * 10_000,
                      goals=[self.w.council_goal])  # fmt: skip
        submit(self.w.von_sheet, self.w.von_staff)
        large, shown = self._count()
        self.assertEqual((large, shown), (small, 42))
        self.assertEqual(PriorityRound.objects.count(), 1)


class FrameTotalTests(TestCase):
    """One rule for what counts against the frame: the screen's total, the Excel
    export's Summa and the decision basis PDF's total are the same number."""

    @classmethod
    def setUpTestData(cls):
        import datetime

        from priorities.models import PriorityItem
        from priorities.services import item_decide, round_start_review

        w = cls.w = prio_world(frame=5_000_000)
        costs = {"Beslutad": 1_000_000, "Avslagen": 2_000_000, "Återremitterad": 700_000,
                 "Bordlagd": 500_000, "Obeslutad": -300_000}  # fmt: skip
        items = {t: make_item(w.bun_sheet, w.bun_staff, title=t, cost_budget=c)
                 for t, c in costs.items()}  # fmt: skip
        submit(w.bun_sheet, w.bun_staff)
        rnd = PriorityRound.objects.get()
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)
        decisions = {"Beslutad": "beslutad", "Avslagen": "avslagen",
                     "Återremitterad": "aterremitterad", "Bordlagd": "bordlagd"}  # fmt: skip
        for title, decision in decisions.items():
            item = PriorityItem.objects.get(pk=items[title].pk)
            item_decide(item=item, user=w.kf_approver, decision=decision,
                        decided_on=datetime.date(2026, 11, 3), paragraph="§ 45",
                        expected_version=item.version)  # fmt: skip
        # By hand: beslutad, bordlagd and the undecided proposal count; the rejected one
        # and the one sent back to the committee do not.
        cls.total = 1_000_000 + 500_000 - 300_000
        cls.url = reverse("priorities:overview", args=[rnd.pk])

    def test_screen_export_and_pdf_show_the_same_total(self):
        from tests.priorities.test_pdf import _text

        self.client.force_login(self.w.reader)
        screen = self.client.get(self.url)
        self.assertEqual(screen.context["result"].total, self.total)
        self.assertContains(screen, "1\u00a0200\u00a0000\u00a0kr")

        export = self.client.get(self.url, {"export": "xlsx"})
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        heading, body, summa = rows[0], rows[1:-1], rows[-1]
        counts = {r[2]: r[heading.index("Räknas mot ramen")] for r in body}
        self.assertEqual(counts, {"Beslutad": "Ja", "Bordlagd": "Ja", "Obeslutad": "Ja",
                                  "Avslagen": "Nej", "Återremitterad": "Nej"})  # fmt: skip
        self.assertTrue(summa[2].startswith("Summa, förslag som räknas mot ramen (3 av 5)"))
        self.assertEqual(summa[heading.index("Kostnad 2026 (kr)")], self.total)

        pdf = self.client.get(reverse("priorities:round_pdf", args=[self.w.round.pk]))
        self.assertEqual(pdf.context["result"].total, self.total)
        text = _text(pdf).replace("\u00a0", " ")
        self.assertRegex(text, r"Alla förslag tillsammans\s*1 200 000 kr")


class FrameRowWordsTests(TestCase):
    """Issue 13 point 9: a proposal whose cumulative cost passes the frame is not shown
    as plainly "Inom", even when a saving ranked below brings the sum back within."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world(frame=1_000_000)
        cls.costly = make_item(w.bun_sheet, w.bun_staff, title="Dyr satsning",
                               cost_budget=1_500_000, severity=5, effect=5, cost_effect=1,
                               evidence=4)  # fmt: skip
        cls.saving = make_item(w.bun_sheet, w.bun_staff, title="Besparing",
                               kind="effektivisering", cost_budget=-800_000, severity=3,
                               effect=3, cost_effect=2, evidence=2)  # fmt: skip
        submit(w.bun_sheet, w.bun_staff)

    def row(self, response, item) -> str:
        html = response.content.decode()
        start = html.index(f'id="objekt-{item.pk}"')
        return html[start : html.index("</tr>", start)]

    def test_a_row_past_the_frame_says_the_savings_below_carry_it(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(reverse("priorities:overview", args=[self.w.round.pk]))
        rows = {r.item.title: r for r in response.context["result"].rows}
        self.assertEqual([rows["Dyr satsning"].cumulative, rows["Besparing"].cumulative],
                         [1_500_000, 700_000])  # fmt: skip
        costly, saving = self.row(response, self.costly), self.row(response, self.saving)
        self.assertNotIn("Inom<", costly)
        self.assertIn("Över ramen här; ryms med besparingarna nedanför", costly)
        self.assertIn("Inom<", saving)
