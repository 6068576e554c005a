"""Entering results: Swedish notation, all-or-nothing, no lost updates, personas."""

import datetime
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from goals.models import IndicatorLatest, Measurement
from goals.results import due_period
from goals.services import ValueInput, measurements_save
from tests.conftest import build_world
from tests.factories import IndicatorFactory

URL = reverse("goals:results")


class ResultsEntryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.share = cls.w.indicator  # unit "%", yearly, responsible: SKOLA1
        cls.visits = IndicatorFactory(
            name="Antal besök i skolbiblioteket",
            unit="antal",
            responsible_unit=cls.w.skola1,
            gender_breakdown=True,
        )
        cls.period = due_period("year", timezone.localdate()).key

    def post(self, data, user=None):
        self.client.force_login(user or self.w.editor)
        page = self.client.get(URL)
        form = dict(_hidden_fields(page).items())
        form.update(data)
        return self.client.post(URL, form)

    def cell(self, indicator, gender="T"):
        return f"v-{indicator.pk}-{gender}"

    def test_page_lists_the_users_indicators_with_cells_of_the_period_due(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(URL)
        self.assertContains(response, self.share.name)
        self.assertContains(response, self.visits.name)
        self.assertContains(response, f'name="{self.cell(self.visits, "K")}"')
        self.assertContains(response, f'value="{self.period}"')

    def test_the_values_shown_are_read_from_the_values_alone(self):
        """The page's values are looked up by indicator and period: reading them never
        joins the indicator table, whose size grows with the municipality (the values'
        default order once followed the indicator to its name, a join of every
        indicator)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.w.editor)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(URL)
        reads = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].startswith('SELECT "goals_measurement"')
        ]
        self.assertTrue(reads)
        for sql in reads:
            self.assertNotIn("goals_indicator", sql)

    def test_any_query_of_values_keeps_to_the_values_table(self):
        """The values' default order is by the indicator's id, not by the indicator:
        no query of values, whoever sends it, joins every indicator to sort by name."""
        from goals.models import Measurement

        sql = str(Measurement.objects.filter(period="2026").query)
        self.assertNotIn("goals_indicator", sql)
        self.assertIn("ORDER BY", sql)

    def test_swedish_notation_is_saved_in_one_go_with_history(self):
        response = self.post(
            {
                self.cell(self.share): "85 %",
                self.cell(self.visits): "1 234",
                self.cell(self.visits, "K"): "612,5",
                f"c-{self.share.pk}": "Nationella proven",
            }
        )
        self.assertRedirects(response, URL)
        values = {
            (m.indicator_id, m.gender): m for m in Measurement.objects.filter(period=self.period)
        }
        self.assertEqual(values[(self.share.pk, "T")].value, Decimal("85"))
        self.assertEqual(values[(self.share.pk, "T")].comment, "Nationella proven")
        self.assertEqual(values[(self.visits.pk, "T")].value, Decimal("1234"))
        self.assertEqual(values[(self.visits.pk, "K")].value, Decimal("612.5"))
        m = values[(self.share.pk, "T")]
        self.assertEqual(m.entered_by, self.w.editor)
        self.assertEqual(m.history.get().history_user, self.w.editor)
        self.assertEqual(IndicatorLatest.objects.get(indicator=self.share).value, Decimal("85"))

    def test_one_bad_cell_saves_nothing_and_says_why_beside_it(self):
        response = self.post({self.cell(self.share): "120 %", self.cell(self.visits): "tolv"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "En andel måste ligga mellan 0 och 100 %")
        self.assertContains(response, "Skriv ett tal")
        self.assertContains(response, f'id="id_{self.cell(self.share)}_error"')
        self.assertContains(response, "Inget har sparats")
        self.assertFalse(Measurement.objects.exists())

    def test_a_value_saved_meanwhile_by_someone_else_is_not_overwritten(self):
        self.client.force_login(self.w.editor)
        page = self.client.get(URL)
        form = _hidden_fields(page)
        measurements_save(
            values=[ValueInput(self.share, self.period, Decimal("70"))], user=self.w.controller
        )
        form[self.cell(self.share)] = "80"
        response = self.client.post(URL, form)
        self.assertContains(response, "Cecilia Controller har ändrat värdet till 70")
        self.assertEqual(Measurement.objects.get(indicator=self.share).value, Decimal("70"))

    def test_crafted_post_for_another_units_indicator_is_refused_and_nothing_saved(self):
        foreign = IndicatorFactory(name="Omsorgens indikator", responsible_unit=self.w.boende1)
        response = self.post(
            {
                f"p-{foreign.pk}": self.period,
                self.cell(foreign): "50",
                self.cell(self.share): "60",
            }
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Measurement.objects.exists())

    def test_reader_and_other_editor_see_none_of_these_indicators(self):
        for user in (self.w.reader, self.w.other_editor):
            self.client.force_login(user)
            response = self.client.get(URL)
            self.assertNotContains(response, self.share.name)

    def test_other_editor_cannot_post_values(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.post(
            URL, {f"p-{self.share.pk}": self.period, self.cell(self.share): "60"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Measurement.objects.exists())

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(URL).status_code, 302)
        self.assertEqual(self.client.post(URL, {}).status_code, 302)

    def test_query_count_is_pinned(self):
        # 8: session, user, roles, the units to choose from, the number of indicators
        # (for the pages), one page of indicators, their values, and the closed rounds'
        # locks on those values.
        self.client.force_login(self.w.editor)
        self.client.get(URL)
        with self.assertNumQueries(8):
            self.client.get(URL)
        for n in range(15):
            IndicatorFactory(name=f"Extra {n}", responsible_unit=self.w.skola1)
        with self.assertNumQueries(8):
            self.client.get(URL)


def _hidden_fields(response) -> dict:
    """The form as the page rendered it: hidden fields plus every cell's current text."""
    import re

    html = response.content.decode()
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        if name != "csrfmiddlewaretoken":
            fields[name] = value
    for name, value in re.findall(r'name="(v-\d+-[TKM])" value="([^"]*)"', html):
        fields[name] = value
    return fields


def test_due_period_is_the_latest_period_that_has_ended():
    day = datetime.date(2026, 11, 23)
    assert due_period("year", day).key == "2025"
    assert due_period("tertial", day).key == "2026-T2"
    assert due_period("month", day).key == "2026-10"
    assert due_period("tertial", datetime.date(2026, 1, 5)).key == "2025-T3"


def test_stale_when_the_deadline_of_a_period_has_passed(world, settings):
    from goals.results import is_stale
    from goals.services import indicator_refresh_latest

    settings.LEDMOT_RESULT_DEADLINE_DAYS = 60
    today = timezone.localdate()
    due = due_period("year", today)
    ind = world.indicator
    Measurement.objects.create(indicator=ind, period=str(due.year - 1), value=Decimal(1))
    indicator_refresh_latest({ind.pk})
    ind.refresh_from_db()
    deadline_passed = due.end + datetime.timedelta(days=60) < today
    assert is_stale(type(ind).objects.select_related("latest").get(pk=ind.pk), today) is (
        deadline_passed
    )
    Measurement.objects.create(indicator=ind, period=str(due.year), value=Decimal(2))
    indicator_refresh_latest({ind.pk})
    assert not is_stale(type(ind).objects.select_related("latest").get(pk=ind.pk), today)
