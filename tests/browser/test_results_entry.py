"""A unit manager enters a tertial's values and sees the chart change."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals.models import Frequency, Measurement
from goals.results import due_period
from tests.browser.helpers import login, menu_link
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


def test_on_a_phone_the_values_fit_the_screen_and_can_be_entered(
    page, live_server, transactional_db
):
    """At 390 px each indicator is a block of its own: nothing is wider than the screen
    (no sideways scrolling to reach the comment), and the fields keep their labels."""
    w = build_world()
    due = due_period(Frequency.TERTIAL, timezone.localdate())
    indicator = IndicatorFactory(
        name="Andel elever med hög frånvaro (minst 15 %)",
        unit="%",
        frequency=Frequency.TERTIAL,
        gender_breakdown=True,
        responsible_unit=w.skola1,
        goals=[w.unit_goal],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "editor")
    menu_link(page, "Mata in resultat").click()
    expect(page.get_by_label(f"Totalt – {indicator.name}, {due.label}")).to_be_visible()
    page.wait_for_load_state("load")

    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"
    page.get_by_label(f"Kvinnor – {indicator.name}, {due.label}").fill("12")
    page.get_by_label(f"Män – {indicator.name}, {due.label}").fill("10")
    page.get_by_label(f"Totalt – {indicator.name}, {due.label}").fill("11")
    page.get_by_label(f"Kommentar – {indicator.name}").fill("Uppföljt med elevhälsan.")
    page.get_by_role("button", name="Spara alla värden").click()
    expect(page.get_by_role("status")).to_contain_text("3 värden sparade")


def test_controller_chooses_a_committee_pages_on_and_saves_there(
    page, live_server, transactional_db
):
    """The controller's roles cover every indicator: the page offers the committees, shows
    a page at a time, and a value typed on the second page is saved there. No serious
    accessibility problem with the chooser and the page links."""
    from goals.views.lists import PAGE_SIZE
    from tests.browser.test_accessibility import assert_no_serious_violations

    w = build_world()
    due = due_period(Frequency.YEAR, timezone.localdate())
    care = [
        IndicatorFactory(name=f"Omsorg {n:02}", responsible_unit=w.boende1, unit="antal")
        for n in range(PAGE_SIZE + 3)
    ]
    login(page, live_server, "controller")
    page.get_by_role("link", name="Mata in resultat").click()
    expect(page.get_by_label("Enhet (med enheterna under den)")).to_have_value(str(w.bun.pk))
    expect(page.get_by_role("link", name=w.indicator.name)).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_label("Enhet (med enheterna under den)").select_option(str(w.von.pk))
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text(f"{len(care)} indikatorer på Vård- och omsorgsnämnden")).to_be_visible()
    expect(page.get_by_role("link", name=w.indicator.name)).to_have_count(0)
    page.get_by_role("link", name="Nästa sida").click()
    expect(page.get_by_text("Sida 2 av 2")).to_be_visible()
    assert_no_serious_violations(page)

    last = care[-1]
    page.get_by_label(f"Totalt – {last.name}, {due.label}").fill("1 234")
    page.get_by_role("button", name="Spara värdena på sidan").click()
    expect(page.get_by_role("status")).to_contain_text("1 värde sparat")
    expect(page.get_by_text("Sida 2 av 2")).to_be_visible()
    saved = Measurement.objects.get(indicator=last, period=due.key)
    assert saved.value == Decimal("1234")
