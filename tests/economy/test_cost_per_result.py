"""Cost per result on a unit's page: kronor of the year's outcome per counted result."""

from decimal import Decimal

import pytest
from django.urls import reverse

from economy.models import FigureKind
from economy.rules import cost_per_result_allowed
from economy.services import FigureInput, figures_save
from goals.models import IndicatorKind
from goals.services import ValueInput, measurements_save
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_only_counted_units_allow_a_cost_per_result():
    assert cost_per_result_allowed("elever")
    assert cost_per_result_allowed("Antal brukare")
    assert not cost_per_result_allowed("%")
    assert not cost_per_result_allowed("index")
    assert not cost_per_result_allowed("")


def test_the_unit_page_shows_kronor_per_pupil_for_its_result_indicators(world, client):
    w = world
    pupils = IndicatorFactory(
        name="Antal elever", unit="elever", kind=IndicatorKind.RESULT, responsible_unit=w.skola1
    )
    share = IndicatorFactory(
        name="Andel nöjda elever", unit="%", kind=IndicatorKind.RESULT, responsible_unit=w.skola1
    )
    staff = IndicatorFactory(
        name="Antal lärare", unit="antal", kind=IndicatorKind.RESOURCE, responsible_unit=w.skola1
    )
    url = reverse("goals:unit_detail", args=[w.skola1.pk])
    client.force_login(w.reader)
    assert "Kostnad per resultat" not in client.get(url).content.decode()

    measurements_save(
        values=[
            ValueInput(indicator=i, period="2025", value=Decimal(v))
            for i, v in ((pupils, 400), (share, 80), (staff, 30))
        ],
        user=w.controller,
    )
    figures_save(figures=[FigureInput(w.skola1, "2025", FigureKind.OUTCOME, 40_000_000)], user=None)
    page = client.get(url).content.decode()
    section = page.split('id="cost-per-result-h"')[1].split("</section>")[0]
    assert "Antal elever" in section
    assert "100\u00a0000\u00a0kr" in section  # 40 000 000 kr / 400 pupils
    assert "Andel nöjda elever" not in section  # a percentage is not a count
    assert "Antal lärare" not in section  # a resource, not a result
