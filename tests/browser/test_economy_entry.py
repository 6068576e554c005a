"""A unit manager enters the school's budget and forecast on Ekonomi (with a typed
minus sign), sees a bad amount refused beside its cell, and finds the money on the
unit page; the committee's page says its figure is summed from the units. axe on the
entry screen and the unit page; at 390 px nothing is wider than the screen."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from economy.models import EconomyFigure
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_unit_manager_enters_budget_and_forecast(page, live_server, transactional_db):
    w = build_world()
    year = timezone.localdate().year
    login(page, live_server, "editor")
    page.get_by_role("link", name="Ekonomi").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ekonomi – {w.skola1.name}")
    assert_no_serious_violations(page)

    budget = page.get_by_label(f"Budget – {w.skola1.name}, {year}")
    forecast = page.get_by_label(f"Prognos – {w.skola1.name}, {year}")
    budget.fill("45 000 000")
    forecast.fill("45 000 000,50")
    page.get_by_role("button", name="Spara alla belopp").click()
    expect(page.get_by_text("Ange beloppet i hela kronor, utan ören.")).to_be_visible()
    assert not EconomyFigure.objects.exists()
    assert_no_serious_violations(page)  # the page with an error beside the cell

    page.get_by_label(f"Prognos – {w.skola1.name}, {year}").fill("\u221246 200 000")
    page.get_by_role("button", name="Spara alla belopp").click()
    expect(page.get_by_role("status")).to_contain_text("2 belopp sparade")
    assert sorted(EconomyFigure.objects.values_list("kind", "amount")) == [
        ("budget", 45_000_000),
        ("forecast", -46_200_000),
    ]

    page.get_by_role("link", name=w.skola1.name).first.click()
    section = page.locator("section.economy")
    expect(section.get_by_role("heading", name=f"Ekonomi {year}")).to_be_visible()
    expect(section).to_contain_text("45,0\u00a0mnkr")
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/enheter/{w.bun.pk}/")
    expect(page.locator("section.economy")).to_contain_text("summerat från enheterna")


def test_on_a_phone_the_entry_screen_fits(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "controller")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/ekonomi/{w.buf.pk}/")
    expect(page.get_by_role("button", name="Spara alla belopp")).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
