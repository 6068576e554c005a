"""Financial goals measured by indicators computed from the economy figures."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from economy.models import (
    ComputedIndicator,
    ComputedMeasure,
    EconomyCategory,
    EconomyFigure,
    FigureKind,
)
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
        user=w.controller,
    )
    # Saving the figures computed the values (nothing is left for the command to do).
    assert computed_values_update(years=[2025], user=w.controller) == 0
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


def _council_deviation_of_bun(w):
    """The council's financial goal: BUN's budget deviation, an indicator of KF."""
    deviation = IndicatorFactory(
        name="Budgetavvikelse BUN",
        unit="%",
        decimals=1,
        responsible_unit=w.kf,
        goals=[w.council_goal],
    )
    ComputedIndicator.objects.create(
        indicator=deviation, measure=ComputedMeasure.BUDGET_DEVIATION, org_unit=w.bun
    )
    return deviation


def _client_of(client, user):
    client.force_login(user)
    return client


def _text(html):
    return " ".join(re.sub("<[^>]+>", " ", html).replace("\u00a0", " ").split())


def _post_bun_budget(client, w, amount, version):
    return client.post(
        reverse("economy:entry", args=[w.bun.pk]) + "?period=2025",
        {f"a-{w.bun.pk}-budget": amount, f"v-{w.bun.pk}-budget": str(version)},
        follow=True,
    )


def test_saving_a_budget_on_the_entry_screen_recomputes_the_indicator(world, client):
    w = world
    deviation = _council_deviation_of_bun(w)
    figures_save(figures=[FigureInput(w.skola1, "2025", OUT, 510_000_000)], user=None)
    client = _client_of(client, w.controller)
    page = reverse("goals:indicator_detail", args=[deviation.pk])

    assert "1 belopp sparat." in _post_bun_budget(client, w, "500 000 000", 0).content.decode()
    assert "Senaste utfall \u22122,0 % (2025)" in _text(client.get(page).content.decode())
    m = Measurement.objects.get(indicator=deviation, period="2025")
    assert m.value == Decimal("-2.0") and m.entered_by == w.controller

    _post_bun_budget(client, w, "520 000 000", 1)
    html = client.get(page).content.decode()
    assert "Senaste utfall 1,9 % (2025)" in _text(html)
    assert Measurement.objects.get(indicator=deviation, period="2025").value == Decimal("1.9")
    assert [h.history_user for h in m.history.all()] == [w.controller, w.controller]


def test_a_value_a_closed_round_holds_stays_and_the_figures_are_saved(world, client):
    w = world
    deviation = _council_deviation_of_bun(w)
    figures_save(
        figures=[
            FigureInput(w.skola1, "2025", OUT, 510_000_000),
            FigureInput(w.bun, "2025", B, 500_000_000),
        ],
        user=None,
    )
    # The council's annual report (with Vård och omsorg) is closed; BUN's is not yet.
    year_end = datetime.date(2025, 12, 31)
    rnd = open_round(w, kind="Årsredovisning", period_end=year_end, scope=[w.von])
    round_close(rnd=rnd, user=w.controller)

    response = _post_bun_budget(_client_of(client, w.controller), w, "520 000 000", 1)
    assert "1 belopp sparat." in response.content.decode()
    assert EconomyFigure.objects.get(org_unit=w.bun, kind=B).amount == 520_000_000
    m = Measurement.objects.get(indicator=deviation, period="2025")
    assert m.value == Decimal("-2.0") and m.history.count() == 1
