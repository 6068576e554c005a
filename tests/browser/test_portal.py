"""The public portal in a real browser (issue 18 point 1): a resident follows the
council's goals and opens the annual report without signing in, without JavaScript,
on a phone, in Swedish and English; axe finds nothing serious."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_no_serious_violations
from tests.portal.world import published_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return published_world()


def test_a_resident_follows_a_goal_without_javascript(page_without_js, live_server, world):
    page = page_without_js
    page.goto(f"{live_server.url}/oppen/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mål och resultat")
    expect(page.get_by_text(world.vision.text)).to_be_visible()
    page.get_by_role("link", name=world.council_goal.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.council_goal.title)
    page.get_by_role("link", name=world.committee_goal.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.committee_goal.title)
    expect(page.get_by_text("Analysen: fler elever når målen i år än förra året.")).to_be_visible()
    expect(page.get_by_role("heading", name="Årsredovisning 2025: Delvis uppfyllt")).to_be_visible()
    table = page.get_by_role("table", name=f"Utfall och målvärden: {world.indicator.name}")
    expect(table).to_contain_text("74,25")
    expect(
        page.get_by_role("table", name=f"Jämförelse i Kolada: {world.indicator.name}")
    ).to_contain_text("68,5")
    page.get_by_role("link", name="Rapporter", exact=True).click()
    link = page.get_by_role("link", name="Årsredovisning 2025 – Barn- och utbildningsnämnden")
    assert link.get_attribute("href") == f"/oppen/rapporter/{world.pdf.pk}.pdf"


def test_the_portal_is_accessible_and_switches_to_english(page, live_server, world):
    paths = [
        "/oppen/",
        f"/oppen/mal/{world.committee_goal.pk}/",
        f"/oppen/namnder/{world.bun.pk}/",
        "/oppen/rapporter/",
        "/oppen/data/",
        "/oppen/data/utfall/",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_serious_violations(page)
    page.goto(f"{live_server.url}/oppen/mal/{world.committee_goal.pk}/")
    page.get_by_role("navigation", name="Språk").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(f"/oppen/mal/{world.committee_goal.pk}/")
    expect(page.get_by_role("link", name="Svenska")).to_be_visible()
    assert_no_serious_violations(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_portal_fits_a_phone_and_a_desktop(browser, live_server, world, width):
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        for path in [
            "/oppen/",
            f"/oppen/mal/{world.committee_goal.pk}/",
            "/oppen/rapporter/",
            "/oppen/data/",
        ]:
            page.goto(f"{live_server.url}{path}")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (path, scroll)
    finally:
        context.close()
