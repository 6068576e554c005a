"""A source system pushes indicator values (issue 18 point 3): through
``measurements_save`` with its locks and history, the history user the token's system
user; bad input is a 400 with a message per field and nothing saved."""

import datetime
from decimal import Decimal

from django.test import TestCase

from api.models import TokenScope
from followup.models import Report
from followup.services import round_close
from goals.models import Frequency, Measurement
from goals.services import ValueInput, measurements_save
from ledmot.models import Role
from tests.api.helpers import post, system_token
from tests.conftest import build_world
from tests.factories import IndicatorFactory
from tests.followup.helpers import open_round

URL = "/api/v1/results"


class ResultsWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        w.monthly = IndicatorFactory(
            name="Sjukfrånvaro", unit="%", frequency=Frequency.MONTH, responsible_unit=w.skola1
        )
        cls.token, cls.key = system_token(
            "skolsystem", unit=w.skola1, role=Role.EDITOR, scope=TokenScope.RESULTS
        )

    def push(self, *values):
        return post(self.client, URL, self.key, {"values": list(values)})

    def test_values_are_saved_with_the_system_user_in_history(self):
        w = self.w
        response = self.push(
            {"indicator": w.indicator.pk, "period": "2025", "value": "71.5", "comment": "Prel."},
            {"indicator": w.monthly.pk, "period": "2025-03", "value": 4.2},
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json(), {"saved": 2, "unchanged": 0})
        m = Measurement.objects.get(indicator=w.indicator)
        self.assertEqual(
            (m.value, m.comment, m.entered_by), (Decimal("71.5"), "Prel.", self.token.user)
        )
        history = Measurement.history.filter(indicator_id=w.indicator.pk)
        self.assertEqual(history.count(), 1)
        self.assertEqual(history.get().history_user, self.token.user)
        self.assertEqual(history.get().history_change_reason, "API: skolsystem")
        # The same value again writes nothing; a left-out comment keeps the stored one.
        again = self.push({"indicator": w.indicator.pk, "period": "2025", "value": "71.5"})
        self.assertEqual(again.json(), {"saved": 0, "unchanged": 1})
        self.assertEqual(Measurement.history.filter(indicator_id=w.indicator.pk).count(), 1)
        self.push({"indicator": w.indicator.pk, "period": "2025", "value": "72"})
        self.assertEqual(Measurement.objects.get(indicator=w.indicator).comment, "Prel.")

    def test_a_batch_with_one_bad_value_saves_nothing(self):
        w = self.w
        response = self.push(
            {"indicator": w.indicator.pk, "period": "2025", "value": "71.5"},
            {"indicator": w.indicator.pk, "period": "2025-T1", "value": "1"},
            {"indicator": w.indicator.pk, "period": "2024", "value": "120"},
            {"indicator": w.indicator.pk, "period": "2023", "value": "5", "gender": "K"},
            {"indicator": 99999, "period": "år 2025", "value": "1.23456"},
            {"indicator": w.indicator.pk, "period": "2025", "value": "70"},
        )
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(body["detail"], "Felaktiga uppgifter: inget sparades.")
        self.assertEqual(
            body["errors"],
            {
                "values[1].period": [
                    "Perioden ”2025-T1” finns inte för indikatorn, som mäts per år."
                ],
                "values[2].value": ["En andel måste ligga mellan 0 och 100 %."],
                "values[3].gender": ["Indikatorn är inte uppdelad på kön: ange T."],
                "values[4].indicator": ["Indikatorn 99999 finns inte."],
                "values[4].period": [
                    "Ogiltig period ”ÅR 2025”: skriv 2024, 2024-T1 eller 2024-03."
                ],
                "values[5].period": ["Samma indikator, period och kön finns redan i values[0]."],
            },
        )
        self.assertFalse(Measurement.objects.exists())
        self.assertFalse(Measurement.history.exists())

    def test_malformed_json_is_a_400(self):
        response = post(self.client, URL, self.key, "{values: ")
        self.assertEqual(response.status_code, 400)
        response = post(self.client, URL, self.key, {"values": []})
        self.assertEqual(response.json()["errors"], {"values": ["Ange minst ett värde."]})
        self.assertFalse(Measurement.objects.exists())

    def test_a_value_a_closed_round_has_locked_is_refused_and_nothing_saved(self):
        w = self.w
        measurements_save(
            values=[ValueInput(w.indicator, "2025", Decimal("70"))], user=w.controller
        )
        rnd = open_round(w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
        self.assertTrue(Report.objects.filter(round=rnd, org_unit=w.skola1).exists())
        round_close(rnd=rnd, user=w.controller)
        before = Measurement.history.count()
        response = self.push(
            {"indicator": w.monthly.pk, "period": "2026-01", "value": "3"},
            {"indicator": w.indicator.pk, "period": "2025", "value": "75"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(
            response.json()["errors"],
            {
                "values[1].period": [
                    "Värdet för 2025 ingår i Årsredovisning 2025, som är stängd, "
                    "och kan inte ändras."
                ]
            },
        )
        self.assertEqual(Measurement.history.count(), before)
        self.assertEqual(Measurement.objects.get(indicator=w.indicator).value, Decimal("70"))
        self.assertFalse(Measurement.objects.filter(indicator=w.monthly).exists())
