"""A unit manager adjusts targets on the indicator page: a number too large for a
target is refused beside the field, and a year a colleague saved meanwhile is shown as
a conflict beside that year, while the years the colleague changed and this person did
not touch stay as the colleague saved them. Checked with axe on each refusal."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from goals.models import Target
from goals.services import targets_save
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_targets_refused_beside_the_field_and_a_colleagues_year_kept(
    page, live_server, transactional_db
):
    w = build_world()
    targets_save(
        indicator=w.indicator,
        values={2024: Decimal("72"), 2025: Decimal("74"), 2026: Decimal("76")},
        user=w.controller,
    )
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/indikatorer/{w.indicator.pk}/")

    page.locator("#id_t-2024").fill("1" * 30)
    page.get_by_role("button", name="Spara målvärden").click()
    expect(page.locator("#id_t-2024_error")).to_contain_text("Talet är för stort.")
    assert_no_serious_violations(page)

    # Meanwhile a colleague (Cecilia) saves 2025 and 2026.
    targets_save(
        indicator=w.indicator, values={2025: Decimal("80"), 2026: Decimal("90")}, user=w.controller
    )
    page.locator("#id_t-2024").fill("73")
    page.locator("#id_t-2025").fill("78")
    page.get_by_role("button", name="Spara målvärden").click()
    expect(page.locator("#id_t-2025_error")).to_contain_text(
        "Cecilia Controller har ändrat målvärdet för 2025 till 80 medan du skrev."
    )
    assert_no_serious_violations(page)
    values = dict(Target.objects.filter(indicator=w.indicator).values_list("year", "value"))
    assert values == {2024: Decimal("72"), 2025: Decimal("80"), 2026: Decimal("90")}

    # Saving again keeps the person's own change and the colleague's untouched year.
    page.get_by_role("button", name="Spara målvärden").click()
    expect(page.get_by_text("Målvärdena är sparade.")).to_be_visible()
    values = dict(Target.objects.filter(indicator=w.indicator).values_list("year", "value"))
    assert values == {2024: Decimal("73"), 2025: Decimal("78"), 2026: Decimal("90")}
