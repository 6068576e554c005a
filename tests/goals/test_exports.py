"""Excel exports of the goals list screens: exactly the filtered rows, scoped to what
the user may see, typed cells, Swedish headings, user text never a formula."""

import datetime
import io
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import load_workbook

from goals.models import (
    ActivityStatus,
    GoalLevel,
    GoalStatus,
    Indicator,
    Measurement,
    Target,
)
from goals.results import is_stale
from goals.services import ValueInput, indicator_refresh_latest, measurements_save
from tests.conftest import build_world
from tests.factories import ActivityFactory, GoalFactory, IndicatorFactory

FORMULAS = ['=HYPERLINK("http://evil","x")', "=1+1", "+SUM(A1:A2)", "@cmd"]


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def records(ws):
    """The rows of a sheet as dicts keyed by heading."""
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def cells_with(ws, value):
    return [c for row in ws.iter_rows(min_row=2) for c in row if c.value == value]


class ExportTestCase(TestCase):
    url_name = ""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self, **params):
        base = reverse(self.url_name)
        return f"{base}?{urlencode(params, doseq=True)}" if params else base

    def export(self, user=None, **params):
        self.client.force_login(user or self.w.controller)
        return workbook(self.client.get(self.url(export="xlsx", **params)))

    def screen(self, user=None, **params):
        self.client.force_login(user or self.w.controller)
        response = self.client.get(self.url(**params))
        self.assertEqual(response.status_code, 200)
        return response


# --------------------------------------------------------------------------- activities


class ActivityListTests(ExportTestCase):
    url_name = "goals:activity_list"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        today = timezone.localdate()
        cls.late = ActivityFactory(
            goal=w.unit_goal,
            title="Sen aktivitet",
            start=datetime.date(2024, 1, 15),
            end=today - datetime.timedelta(days=10),
            status=ActivityStatus.IN_PROGRESS,
            progress=40,
        )
        cls.hidden = ActivityFactory(goal=w.proposed_goal, title="Aktivitet under förslag")
        cls.committee_goal_activity = ActivityFactory(
            goal=w.committee_goal,
            title="Nämndens egen aktivitet",
            status=ActivityStatus.DONE,
            progress=100,
            start=datetime.date(2023, 2, 1),
            end=datetime.date(2023, 6, 30),
        )
        vo_goal = GoalFactory(
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=w.von,
            mandate_period=w.period,
            status=GoalStatus.PROPOSED,
        )
        cls.vo_activity = ActivityFactory(goal=vo_goal, title="Omsorgens aktivitet")

    def titles(self, ws):
        return {r["Aktivitet"] for r in records(ws)}

    def screen_titles(self, response):
        return {a.title for a in response.context["page"]}

    def test_controller_exports_every_activity_with_typed_cells_and_swedish_headings(self):
        ws = self.export()["Aktiviteter"]
        headings = [c.value for c in ws[1]]
        self.assertEqual(
            headings[:8],
            ["Id", "Aktivitet", "Status", "Framdrift (%)", "Start", "Slut", "Försenad", "Ansvarig"],
        )
        self.assertIn("Utförande enhet", headings)
        self.assertEqual(
            self.titles(ws),
            {
                self.w.activity.title,
                "Sen aktivitet",
                "Aktivitet under förslag",
                "Nämndens egen aktivitet",
                "Omsorgens aktivitet",
            },
        )
        row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "Sen aktivitet")
        self.assertEqual(row[0].data_type, "n")
        self.assertEqual((row[3].value, row[3].data_type, row[3].number_format), (40, "n", "0"))
        self.assertEqual(row[4].value, datetime.datetime(2024, 1, 15))
        self.assertTrue(row[4].is_date)
        self.assertEqual(row[4].number_format, "yyyy-mm-dd")
        self.assertEqual(row[2].value, "Pågår")
        self.assertEqual(row[6].value, "Ja")

    def test_export_has_exactly_the_filtered_rows_of_every_page(self):
        cases = [
            ({"status": "done"}, {"Nämndens egen aktivitet"}),
            ({"niva": "namnd"}, {"Nämndens egen aktivitet", "Omsorgens aktivitet"}),
            ({"org": "VON"}, {"Omsorgens aktivitet"}),
            ({"org": "SKOLA1", "sena": "1"}, {"Sen aktivitet"}),
            ({"ar": "2023"}, None),  # compared with the screen only
            ({"sok": "nämndens"}, {"Nämndens egen aktivitet"}),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                shown = self.screen_titles(self.screen(**params))
                exported = self.titles(self.export(**params)["Aktiviteter"])
                self.assertEqual(exported, shown)
                if expected is not None:
                    self.assertEqual(exported, expected)
        # 2023: the undated ones and the one that ran in 2023, not the late one (2024–).
        self.assertEqual(
            self.titles(self.export(ar="2023")["Aktiviteter"]),
            {
                self.w.activity.title,
                "Aktivitet under förslag",
                "Nämndens egen aktivitet",
                "Omsorgens aktivitet",
            },
        )

    def test_export_is_not_limited_to_the_page_shown(self):
        with mock.patch("goals.views.lists.PAGE_SIZE", 2):
            response = self.screen()
            self.assertEqual(len(response.context["page"].object_list), 2)
            self.assertContains(response, "Sida 1 av 3")
            self.assertContains(response, "sida=2")
            self.assertEqual(len(records(self.export(sida="2")["Aktiviteter"])), 5)

    def test_editor_and_other_editor_get_only_what_they_may_see(self):
        self.assertEqual(
            self.titles(self.export(self.w.editor)["Aktiviteter"]),
            {
                self.w.activity.title,
                "Sen aktivitet",
                "Aktivitet under förslag",
                "Nämndens egen aktivitet",
            },
        )
        # Olle edits Solgården: he sees the adopted goals' activities, not the proposals
        # of BUN or of his own committee (his role is below it).
        other = self.titles(self.export(self.w.other_editor)["Aktiviteter"])
        self.assertEqual(other, {self.w.activity.title, "Sen aktivitet", "Nämndens egen aktivitet"})
        self.assertEqual(other, self.screen_titles(self.screen(self.w.other_editor)))
        self.assertNotContains(self.screen(self.w.other_editor), "Aktivitet under förslag")

    def test_anonymous_is_sent_to_login(self):
        for params in ({}, {"export": "xlsx"}):
            response = self.client.get(self.url(**params))
            self.assertEqual(response.status_code, 302)
            self.assertIn("/logga-in/", response["Location"])

    def test_user_text_is_text_never_a_formula(self):
        for text in FORMULAS:
            ActivityFactory(goal=self.w.unit_goal, title=text, responsible=text, description=text)
        ws = self.export()["Aktiviteter"]
        for text in FORMULAS:
            cells = cells_with(ws, text)
            self.assertEqual(len(cells), 3, text)
            self.assertEqual({c.data_type for c in cells}, {"s"}, text)

    def test_unit_page_links_to_the_lists_of_its_activities_and_indicators(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(reverse("goals:unit_detail", args=[self.w.skola1.pk]))
        self.assertContains(response, "/aktiviteter/?org=SKOLA1&amp;period=2023")
        self.assertContains(response, "/indikatorer/?org=SKOLA1")

    def test_page_shows_filters_with_labels_and_an_export_link_with_the_query(self):
        response = self.screen(status="delayed", org="BUN")
        self.assertContains(response, '<label for="f-status">')
        self.assertContains(response, "<caption>")
        self.assertContains(response, 'href="?status=delayed&amp;org=BUN&amp;export=xlsx"')

    def test_a_combination_of_filters_gives_the_same_rows_on_screen_and_in_export(self):
        params = {"org": "BUN", "niva": "enhet", "status": "in_progress", "sena": "1", "ar": "2024"}
        exported = self.titles(self.export(**params)["Aktiviteter"])
        self.assertEqual(exported, {"Sen aktivitet"})
        self.assertEqual(exported, self.screen_titles(self.screen(**params)))
        # One filter more that nothing matches empties both.
        params["sok"] = "finns inte"
        self.assertEqual(self.titles(self.export(**params)["Aktiviteter"]), set())
        self.assertEqual(self.screen_titles(self.screen(**params)), set())

    def test_a_bad_filter_value_is_ignored_not_an_error(self):
        everything = self.titles(self.export()["Aktiviteter"])
        for params in (
            {"status": "bogus"},
            {"niva": "x"},
            {"ar": "1999"},  # not a year of the period
            {"ar": "tjugo"},
            {"period": "abc"},
            {"org": "FINNS-INTE"},
            {"sena": ""},
        ):
            with self.subTest(params=params):
                response = self.screen(**params)
                self.assertEqual(self.screen_titles(response), everything)
                self.assertEqual(self.titles(self.export(**params)["Aktiviteter"]), everything)
        # The other filters still apply beside a bad one.
        response = self.screen(status="bogus", niva="namnd")
        self.assertEqual(
            self.screen_titles(response), {"Nämndens egen aktivitet", "Omsorgens aktivitet"}
        )
        self.assertEqual(response.context["status"], "")
        self.assertEqual(response.context["level"], "namnd")

    def test_query_count_is_constant(self):
        self.client.force_login(self.w.controller)
        self.client.get(self.url())
        # session, user, periods, organisations, roles, count, page; the menu's count of
        # the reports waiting for the controller's approval (two)
        with self.assertNumQueries(9) as small_page:
            self.client.get(self.url())
        # session, user, periods, organisations, roles, activities
        with self.assertNumQueries(6) as small_export:
            self.client.get(self.url(export="xlsx"))
        for n in range(30):
            ActivityFactory(goal=self.w.unit_goal if n % 2 else self.w.committee_goal)
        with self.assertNumQueries(len(small_page)):
            self.client.get(self.url())
        with self.assertNumQueries(len(small_export)):
            response = self.client.get(self.url(export="xlsx"))
        self.assertEqual(len(records(workbook(response)["Aktiviteter"])), 35)


# --------------------------------------------------------------------------- indicators


class IndicatorListTests(ExportTestCase):
    url_name = "goals:indicator_list"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        cls.share = w.indicator  # "%", yearly, decimals 0, SKOLA1, goals: unit + committee
        cls.share.decimals = 1
        cls.share.save()
        this_year = timezone.localdate().year
        cls.year = this_year - 1  # a yearly value is due for last year at the latest
        Target.objects.create(indicator=cls.share, year=cls.year, value=Decimal("80"))
        measurements_save(
            values=[
                ValueInput(cls.share, str(cls.year), Decimal("78.4"), comment="Bra år"),
                ValueInput(cls.share, str(cls.year - 1), Decimal("75.25")),
            ],
            user=w.editor,
        )
        cls.visits = IndicatorFactory(
            name="Antal besök på äldreboendet",
            unit="antal",
            responsible_unit=w.boende1,
            frequency="tertial",
            source="import",
        )
        cls.secret = IndicatorFactory(
            name="Lästa böcker per elev",
            responsible_unit=w.skola1,
            goals=[w.proposed_goal],
        )
        indicator_refresh_latest({cls.visits.pk, cls.secret.pk})

    def names(self, wb):
        return {r["Namn"] for r in records(wb["Indikatorer"])}

    def screen_names(self, response):
        return {i.name for i in response.context["page"]}

    def test_export_has_indicators_targets_and_results_as_numbers(self):
        wb = self.export()
        self.assertEqual(wb.sheetnames, ["Indikatorer", "Målvärden", "Utfall"])
        ws = wb["Indikatorer"]
        headings = [c.value for c in ws[1]]
        for h in ("Namn", "Måttenhet", "Ansvarig organisation", "Frekvens", "Källa"):
            self.assertIn(h, headings)
        row = dict(zip(headings, next(ws.iter_rows(min_row=2)), strict=True))
        share = dict(zip(headings, self._row(ws, self.share.name), strict=True))
        self.assertEqual(row["Namn"].value, self.share.name)  # sorted by organisation
        latest = share["Senaste utfall"]
        self.assertEqual((latest.value, latest.data_type), (78.4, "n"))
        self.assertEqual(latest.number_format, "0.0")
        self.assertEqual(share["Målvärde samma år"].value, 80)
        self.assertEqual(share["Senaste period"].value, str(self.year))
        self.assertEqual(share["Senaste period"].data_type, "s")
        self.assertEqual(share["Utfall mot mål"].value, "Delvis uppfyllt")
        self.assertEqual(share["Inaktuell"].value, "Nej")

        targets = records(wb["Målvärden"])
        self.assertEqual(
            targets,
            [
                {
                    "Indikator, id": self.share.pk,
                    "Indikator": self.share.name,
                    "År": self.year,
                    "Målvärde": 80,
                }
            ],
        )
        results = wb["Utfall"]
        values = [(r["Period"], r["Värde"], r["Kommentar"]) for r in records(results)]
        self.assertEqual(
            values, [(str(self.year - 1), 75.25, None), (str(self.year), 78.4, "Bra år")]
        )
        self.assertEqual(results["F2"].number_format, "0.0")
        self.assertTrue(results["J2"].is_date)

    def _row(self, ws, name):
        return next(r for r in ws.iter_rows(min_row=2) if r[1].value == name)

    def test_export_has_exactly_the_filtered_rows(self):
        cases = [
            ({"org": "VON"}, {"Antal besök på äldreboendet"}),
            ({"frekvens": "tertial"}, {"Antal besök på äldreboendet"}),
            ({"kalla": "import"}, {"Antal besök på äldreboendet"}),
            ({"mal": str(self.w.committee_goal.pk)}, {self.share.name}),
            ({"mal": "utan"}, {"Antal besök på äldreboendet"}),
            ({"inaktuell": "1"}, {"Antal besök på äldreboendet", "Lästa böcker per elev"}),
            ({"sok": "BÖCKER".lower()}, {"Lästa böcker per elev"}),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                exported = self.names(self.export(**params))
                self.assertEqual(exported, self.screen_names(self.screen(**params)))
                self.assertEqual(exported, expected)
        wb = self.export(org="VON")
        self.assertEqual(records(wb["Målvärden"]), [])
        self.assertEqual(records(wb["Utfall"]), [])
        self.assertEqual(len(records(self.export(org="SKOLA1")["Utfall"])), 2)

    def test_a_bad_filter_value_is_ignored_not_an_error(self):
        everything = self.names(self.export())
        for params in ({"frekvens": "vecka"}, {"kalla": "x"}, {"mal": "abc"}, {"org": "NOPE"}):
            with self.subTest(params=params):
                self.assertEqual(self.screen_names(self.screen(**params)), everything)
                self.assertEqual(self.names(self.export(**params)), everything)
        # A goal the user may not see filters to nothing, on the screen and in the export.
        params, user = {"mal": str(self.w.proposed_goal.pk)}, self.w.other_editor
        self.assertEqual(self.screen_names(self.screen(user, **params)), set())
        self.assertEqual(self.names(self.export(user, **params)), set())
        combined = {"frekvens": "vecka", "kalla": "import"}
        self.assertEqual(self.names(self.export(**combined)), {"Antal besök på äldreboendet"})

    def test_stale_filter_agrees_with_the_indicator_page_rule(self):
        Measurement.objects.create(indicator=self.visits, period="2020-T2", value=5)
        monthly = IndicatorFactory(responsible_unit=self.w.skola2, frequency="month")
        Measurement.objects.create(indicator=monthly, period="2024-11", value=5)
        indicator_refresh_latest({self.visits.pk, monthly.pk})
        today = timezone.localdate()
        stale = {i.name for i in Indicator.objects.select_related("latest") if is_stale(i, today)}
        self.assertEqual(self.names(self.export(inaktuell="1")), stale)
        self.assertIn(monthly.name, stale)
        self.assertNotIn(self.share.name, stale)

    def test_goals_are_listed_only_when_the_user_may_see_them(self):
        row = next(
            r for r in records(self.export()["Indikatorer"]) if r["Namn"] == "Lästa böcker per elev"
        )
        self.assertEqual(row["Mål"], self.w.proposed_goal.title)
        row = next(
            r
            for r in records(self.export(self.w.other_editor)["Indikatorer"])
            if r["Namn"] == "Lästa böcker per elev"
        )
        self.assertIsNone(row["Mål"])
        self.assertNotContains(self.screen(self.w.other_editor), self.w.proposed_goal.title)
        # Filtering on a goal one may not see shows nothing rather than everything.
        hidden = {"mal": str(self.w.proposed_goal.pk)}
        self.assertEqual(self.names(self.export(self.w.other_editor, **hidden)), set())
        self.assertEqual(self.names(self.export(**hidden)), {"Lästa böcker per elev"})

    def test_anonymous_is_sent_to_login(self):
        for params in ({}, {"export": "xlsx"}):
            self.assertEqual(self.client.get(self.url(**params)).status_code, 302)

    def test_user_text_is_text_never_a_formula(self):
        for text in FORMULAS:
            ind = IndicatorFactory(
                name=text, unit=text, description=text, responsible_unit=self.w.skola2
            )
            measurements_save(
                values=[ValueInput(ind, "2024", Decimal(1), comment=text)], user=self.w.controller
            )
        wb = self.export()
        for text in FORMULAS:
            cells = cells_with(wb["Indikatorer"], text) + cells_with(wb["Utfall"], text)
            self.assertEqual(len(cells), 5, text)  # name, unit, description; name, comment
            self.assertEqual({c.data_type for c in cells}, {"s"}, text)

    def test_page_shows_values_the_swedish_way(self):
        response = self.screen(org="SKOLA1")
        self.assertContains(response, "78,4\u00a0%")
        self.assertContains(response, "Delvis uppfyllt")
        self.assertContains(response, 'href="?org=SKOLA1&amp;export=xlsx"')

    def test_query_count_is_constant(self):
        self.client.force_login(self.w.controller)
        self.client.get(self.url())
        # + the menu's count of the reports waiting for the controller's approval (two)
        with self.assertNumQueries(11) as small_page:
            self.client.get(self.url())
        with self.assertNumQueries(10) as small_export:
            self.client.get(self.url(export="xlsx"))
        for n in range(12):
            ind = IndicatorFactory(
                responsible_unit=self.w.skola2, goals=[self.w.unit_goal, self.w.committee_goal]
            )
            Target.objects.create(indicator=ind, year=2024, value=n)
            measurements_save(values=[ValueInput(ind, "2024", Decimal(n))], user=self.w.editor)
        with self.assertNumQueries(len(small_page)):
            self.client.get(self.url())
        with self.assertNumQueries(len(small_export)):
            response = self.client.get(self.url(export="xlsx"))
        self.assertEqual(len(records(workbook(response)["Indikatorer"])), 15)


# --------------------------------------------------------------------------- Röda tråden


class ChainExportTests(ExportTestCase):
    url_name = "goals:chain"

    def titles(self, wb):
        return [r["Mål"] for r in records(wb["Röda tråden"])]

    def test_export_is_the_chain_with_every_branch_open(self):
        wb = self.export()
        self.assertEqual(
            self.titles(wb),
            [
                self.w.council_goal.title,
                self.w.committee_goal.title,
                self.w.unit_goal.title,
                self.w.proposed_goal.title,
            ],
        )
        rows = records(wb["Röda tråden"])
        self.assertEqual(rows[2]["Nivå"], "Enhetsmål")
        self.assertEqual(rows[2]["Överordnat mål"], self.w.committee_goal.title)
        self.assertEqual(rows[2]["Nämnd"], "Barn- och utbildningsnämnden")
        self.assertEqual(rows[2]["Indikatorer"], 1)
        self.assertEqual(rows[2]["Aktiviteter"], 1)
        self.assertEqual(rows[2]["Förslag till måluppfyllelse"], "Ej bedömt")
        self.assertEqual(rows[0]["Diarienummer"], "KS 2022/412")
        ws = wb["Röda tråden"]
        self.assertEqual(ws["A2"].data_type, "n")

    def test_committee_and_perspective_filters_as_on_the_screen(self):
        self.assertEqual(self.titles(self.export(namnd="VON")), [self.w.council_goal.title])
        orphan = GoalFactory(
            level=GoalLevel.COMMITTEE,
            owner=self.w.von,
            mandate_period=self.w.period,
            title="Nämndmål som tappat sitt KF-mål",
        )
        self.assertEqual(
            self.titles(self.export(namnd="VON")), [self.w.council_goal.title, orphan.title]
        )
        rows = records(self.export(namnd="VON")["Röda tråden"])
        self.assertEqual(rows[1]["Kedjan bruten"], "Ja")
        other = self.w.council_goal.perspective.__class__.objects.exclude(
            pk=self.w.council_goal.perspective_id
        ).first()
        self.assertEqual(self.titles(self.export(perspektiv=other.pk)), [])

    def test_goals_outside_the_users_scope_are_left_out(self):
        self.assertNotIn(self.w.proposed_goal.title, self.titles(self.export(self.w.other_editor)))
        self.assertIn(self.w.proposed_goal.title, self.titles(self.export(self.w.editor)))
        self.assertIn(self.w.proposed_goal.title, self.titles(self.export(self.w.reader)))

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(self.url(export="xlsx")).status_code, 302)

    def test_goal_text_is_never_a_formula(self):
        for text in FORMULAS:
            GoalFactory(
                level=GoalLevel.UNIT,
                parent=self.w.committee_goal,
                owner=self.w.skola2,
                mandate_period=self.w.period,
                title=text,
                description=text,
            )
        ws = self.export()["Röda tråden"]
        for text in FORMULAS:
            cells = cells_with(ws, text)
            self.assertEqual(len(cells), 2, text)
            self.assertEqual({c.data_type for c in cells}, {"s"}, text)

    def test_a_bad_filter_value_is_ignored_not_an_error(self):
        everything = self.titles(self.export())
        for params in (
            {"period": "abc"},
            {"namnd": "NOPE"},
            {"perspektiv": "x"},
            {"oppna": ["abc", "-1"]},
        ):
            with self.subTest(params=params):
                self.screen(**params)
                self.assertEqual(self.titles(self.export(**params)), everything)

    def test_screen_has_an_export_link_with_its_filters(self):
        response = self.screen(namnd="BUN")
        self.assertContains(response, 'href="?period=2023&amp;namnd=BUN&amp;export=xlsx"')

    def test_query_count_is_constant(self):
        self.client.force_login(self.w.controller)
        self.client.get(self.url(export="xlsx"))
        # session, user, the filters' lists (periods, perspectives, committees: one
        # query, goals.chain._filter_lists), roles, goals, their counts, committees
        # (all, for the Nämnd column)
        with self.assertNumQueries(7) as small:
            self.client.get(self.url(export="xlsx"))
        for n in range(10):
            committee_goal = GoalFactory(
                level=GoalLevel.COMMITTEE,
                parent=self.w.council_goal,
                owner=self.w.bun,
                mandate_period=self.w.period,
            )
            GoalFactory(
                level=GoalLevel.UNIT,
                parent=committee_goal,
                owner=self.w.skola2,
                mandate_period=self.w.period,
            )
        with self.assertNumQueries(len(small)):
            response = self.client.get(self.url(export="xlsx"))
        self.assertEqual(len(self.titles(workbook(response))), 24)


# --------------------------------------------------------------------------- Målstrukturanalys


class StructureExportTests(ExportTestCase):
    url_name = "goals:structure"

    def test_export_has_the_rows_of_the_screen(self):
        screen = self.screen().context["rows"]
        rows = records(self.export()["Målstrukturanalys"])
        self.assertEqual([r["Organisation"] for r in rows], [r["unit"].name for r in screen])
        bun = next(r for r in rows if r["Organisation"] == "Barn- och utbildningsnämnden")
        self.assertEqual((bun["Nämndmål"], bun["Enhetsmål"]), (1, 2))

    def test_other_editor_does_not_count_hidden_proposals(self):
        rows = records(self.export(self.w.other_editor)["Målstrukturanalys"])
        bun = next(r for r in rows if r["Organisation"] == "Barn- och utbildningsnämnden")
        self.assertEqual(bun["Enhetsmål"], 1)

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(self.url(export="xlsx")).status_code, 302)


class IndicatorGoalFilterTests(ExportTestCase):
    """The goal filter of /indikatorer/ offers the council's goals and the committee
    goals of the chosen organisation's committee: not every committee goal of the
    municipality, a list of over a thousand in a large one (issue 12, point 4)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        cls.von_goal = GoalFactory(
            title="Fler äldre känner sig trygga i sitt boende",
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=w.von,
            mandate_period=w.period,
        )

    def options(self, **params) -> str:
        self.client.force_login(self.w.controller)
        page = self.client.get(reverse("goals:indicator_list"), params)
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        return html[html.index('id="f-mal"') : html.index("</select>", html.index('id="f-mal"'))]

    def test_without_an_organisation_only_the_councils_goals_are_offered(self):
        options = self.options()
        self.assertIn(f'value="{self.w.council_goal.pk}"', options)
        self.assertNotIn(f'value="{self.w.committee_goal.pk}"', options)
        self.assertNotIn(f'value="{self.von_goal.pk}"', options)

    def test_a_unit_under_a_committee_offers_that_committees_goals(self):
        options = self.options(org="SKOLA1")
        self.assertIn(f'value="{self.w.council_goal.pk}"', options)
        self.assertIn(f'value="{self.w.committee_goal.pk}"', options)
        self.assertNotIn(f'value="{self.von_goal.pk}"', options)

    def test_a_goal_chosen_by_link_stays_chosen_and_filters(self):
        self.client.force_login(self.w.controller)
        page = self.client.get(reverse("goals:indicator_list"), {"mal": self.von_goal.pk})
        self.assertContains(page, f'<option value="{self.von_goal.pk}" selected>')
        self.assertNotContains(page, self.w.indicator.name)

    def test_more_committee_goals_neither_lengthen_the_list_nor_add_queries(self):
        self.client.force_login(self.w.controller)
        url = reverse("goals:indicator_list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as before:
            first = self.client.get(url)
        for i in range(30):
            GoalFactory(
                title=f"Nämndmål {i}",
                level=GoalLevel.COMMITTEE,
                parent=self.w.council_goal,
                owner=self.w.von,
                mandate_period=self.w.period,
            )
        with CaptureQueriesContext(connection) as after:
            second = self.client.get(url)
        self.assertEqual(len(after), len(before))
        self.assertEqual(second.content.count(b"<option"), first.content.count(b"<option"))
