"""Financial goals measured by indicators computed from the economy figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from economy.models import ComputedIndicator, ComputedMeasure, EconomyCategory, FigureKind
from economy.rules import computed_value
from economy.services import FigureInput, computed_values_update, figures_save
from followup.services import round_close
from goals.models import Measurement
from tests.factories import IndicatorFactory
from tests.followup.helpers import open_round

pytestmark = pytest.mark.django_db
B, OUT, F = FigureKind.BUDGET, FigureKind.OUTCOME, FigureKind.FORECAST


def test_the_rule():
    assert computed_value("budget_deviation", budget=500, outcome=510, forecast=None) == Decimal(
        "-2.0"
    )
    assert computed_value("forecast_deviation", budget=-200, outcome=None, forecast=-210) == (
        Decimal("5.0")
    )
    assert computed_value("result_share", budget=None, outcome=-30, forecast=None, tax=1500) == (
        Decimal("2.0")
    )
    assert computed_value("budget_deviation", budget=None, outcome=1, forecast=None) is None


def test_budget_deviation_is_written_as_the_indicators_value_and_a_closed_year_stays(world):
    w = world
    deviation = IndicatorFactory(
        name="Budgetavvikelse BUN", unit="%", responsible_unit=w.bun, goals=[w.committee_goal]
    )
    forecast = IndicatorFactory(name="Prognosavvikelse BUN", unit="%", responsible_unit=w.bun)
    ComputedIndicator.objects.create(
        indicator=deviation, measure=ComputedMeasure.BUDGET_DEVIATION, org_unit=w.bun
    )
    ComputedIndicator.objects.create(
        indicator=forecast, measure=ComputedMeasure.FORECAST_DEVIATION, org_unit=w.bun
    )
    figures_save(
        figures=[
            FigureInput(w.bun, "2025", B, 500_000_000),
            FigureInput(w.skola1, "2025", OUT, 510_000_000),
            FigureInput(w.bun, "2025-D", F, 505_000_000),
        ],
        user=None,
    )
    assert computed_values_update(years=[2025], user=w.controller) == 2
    values = dict(Measurement.objects.values_list("indicator__name", "value"))
    assert values == {
        "Budgetavvikelse BUN": Decimal("-2.0"),
        "Prognosavvikelse BUN": Decimal("-1.0"),
    }
    m = Measurement.objects.get(indicator=deviation)
    assert [h.history_user for h in m.history.all()] == [w.controller]

    # The year's annual report is closed: new figures do not change its values.
    rnd = open_round(w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
    round_close(rnd=rnd, user=w.controller)
    call_command("economy_compute", "--year", "2025", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Measurement.objects.get(indicator=deviation).value == Decimal("-2.0")


def test_a_result_share_needs_the_tax_category(world):
    w = world
    c = ComputedIndicator(
        indicator=IndicatorFactory(responsible_unit=w.kf),
        measure=ComputedMeasure.RESULT_SHARE,
        org_unit=w.kf,
    )
    with pytest.raises(ValidationError, match="skatteintäkter"):
        c.full_clean()
    c.tax_category = EconomyCategory.objects.create(
        name="Skatteintäkter", code="skatt", kind="revenue"
    )
    c.full_clean()
