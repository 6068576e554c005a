"""A unit manager enters a tertial's values and sees the chart change."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals.models import Frequency, Measurement
from goals.results import due_period
from tests.browser.helpers import login
from tests.conftest import build_world
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.browser


def test_unit_manager_enters_a_tertial_and_the_chart_shows_it(page, live_server, transactional_db):
    w = build_world()
    due = due_period(Frequency.TERTIAL, timezone.localdate())
    earlier = due.previous()
    indicator = IndicatorFactory(
        name="Närvaro i förskoleklass",
        unit="%",
        decimals=1,
        frequency=Frequency.TERTIAL,
        responsible_unit=w.skola1,
        goals=[w.unit_goal],
    )
    Measurement.objects.create(indicator=indicator, period=earlier.key, value=Decimal("88.5"))
    login(page, live_server, "editor")

    page.get_by_role("link", name="Mata in resultat").click()
    cell = page.get_by_label(f"Totalt – {indicator.name}, {due.label}")
    cell.fill("120")
    page.get_by_role("button", name="Spara alla värden").click()
    # A share above 100 % is refused beside the cell; nothing is saved.
    expect(page.get_by_text("En andel måste ligga mellan 0 och 100 %")).to_be_visible()
    assert not Measurement.objects.filter(indicator=indicator, period=due.key).exists()

    page.get_by_label(f"Totalt – {indicator.name}, {due.label}").fill("91,5 %")
    page.get_by_role("button", name="Spara alla värden").click()
    expect(page.get_by_role("status")).to_contain_text("1 värde sparat")

    page.get_by_role("link", name=indicator.name).first.click()
    chart = page.locator("figure.chart svg")
    expect(chart.locator("title", has_text=f"Totalt {due.label}: 91,5")).to_have_count(1)
    expect(chart.locator("title", has_text=f"Totalt {earlier.label}: 88,5")).to_have_count(1)
    expect(page.get_by_role("cell", name="91,5\u00a0%").first).to_be_visible()
