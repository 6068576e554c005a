"""The indicator page: chart, table, Kolada comparison, targets; personas."""

import datetime
import re
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from goals.models import IndicatorSource, KoladaValue, Measurement, Target
from goals.services import linear_progression
from tests.conftest import build_world


class IndicatorPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        ind = cls.w.indicator
        ind.kolada_id = "N15428"
        ind.decimals = 1
        ind.baseline_value = Decimal("70")
        ind.baseline_year = 2022
        ind.save()
        fetched = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
        for year, value in ((2023, "72.5"), (2024, "75")):
            Measurement.objects.create(
                indicator=ind,
                period=str(year),
                value=Decimal(value),
                source=IndicatorSource.KOLADA,
                fetched_at=fetched,
            )
            KoladaValue.objects.create(
                kpi="N15428",
                municipality="0000",
                year=year,
                value=Decimal("74.1"),
                fetched_at=fetched,
            )
        Target.objects.create(indicator=ind, year=2024, value=Decimal("76"))

    def url(self, name="goals:indicator_detail"):
        return reverse(name, args=[self.w.indicator.pk])

    def test_reader_sees_chart_table_source_and_comparison(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url())
        html = response.content.decode()
        self.assertIn('role="img"', html)
        self.assertIn("72,5\u00a0%", html)  # Swedish decimal comma in the table
        self.assertIn("Källa: Kolada", html)
        self.assertIn("Riket", html)
        self.assertIn("74,1\u00a0%", html)
        self.assertIn("Delvis uppfyllt", html)  # 75 against 76, within 10 %
        self.assertNotIn("Spara målvärden", html)

    def test_editor_of_responsible_unit_sees_the_target_form(self):
        self.client.force_login(self.w.editor)
        self.assertContains(self.client.get(self.url()), "Spara målvärden")

    def test_fill_linear_progression_then_adjust(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(
            self.url("goals:indicator_targets"), {"fill": "1", "end_value": "82"}
        )
        self.assertEqual(response.status_code, 302)
        targets = dict(self.w.indicator.targets.values_list("year", "value"))
        self.assertEqual(targets[2023], Decimal("73"))
        self.assertEqual(targets[2026], Decimal("82"))
        page = self.client.get(self.url()).context["targets_form"]
        fields = {name: page[name].value() for name in page.fields}
        self.assertEqual(fields["t-2025"], fields["o-2025"])
        fields["t-2025"] = "79,5"
        self.client.post(self.url("goals:indicator_targets"), fields)
        self.assertEqual(self.w.indicator.targets.get(year=2025).value, Decimal("79.5"))
        history = Target.history.filter(indicator_id=self.w.indicator.pk, year=2025).first()
        self.assertEqual(history.history_user, self.w.editor)

    def test_bad_target_saves_nothing(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(
            self.url("goals:indicator_targets"), {"t-2023": "sjuttio", "t-2024": "80"}
        )
        self.assertContains(response, "Skriv ett tal")
        self.assertEqual(self.w.indicator.targets.get(year=2024).value, Decimal("76"))

    def test_other_editor_and_reader_cannot_change_targets(self):
        for user in (self.w.other_editor, self.w.reader):
            self.client.force_login(user)
            response = self.client.post(self.url("goals:indicator_targets"), {"t-2024": "1"})
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self.w.indicator.targets.get(year=2024).value, Decimal("76"))

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(self.url()).status_code, 302)
        self.assertEqual(
            self.client.post(self.url("goals:indicator_targets"), {"t-2024": "1"}).status_code,
            302,
        )

    def test_the_chart_does_not_mix_years_and_tertials_on_one_axis(self):
        """Issue 13 point 9: a yearly indicator also given a tertial value charted
        "2023, 2024, 2025 T1" as if evenly spaced; the chart keeps to the indicator's
        own frequency, the table still lists every value."""
        ind = self.w.indicator
        self.assertEqual(ind.frequency, "year")
        Measurement.objects.create(indicator=ind, period="2025-T1", value=Decimal("81"))
        self.client.force_login(self.w.reader)
        html = self.client.get(self.url()).content.decode()
        charts = re.findall(r"<svg.*?</svg>", html, re.S)
        self.assertTrue(charts)
        for svg in charts:
            self.assertIn("2024", svg)
            self.assertNotIn("T1", svg)
        self.assertIn("2025 T1", html)  # in the table
        self.assertIn("81,0\u00a0%", html)


def test_linear_progression_from_baseline_to_end_target():
    steps = linear_progression(
        baseline=Decimal("70"),
        baseline_year=2022,
        end_value=Decimal("82"),
        end_year=2026,
        decimals=1,
    )
    assert steps == {
        2023: Decimal("73.0"),
        2024: Decimal("76.0"),
        2025: Decimal("79.0"),
        2026: Decimal("82.0"),
    }
