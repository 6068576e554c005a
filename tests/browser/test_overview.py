"""The politician's overview in a real browser (issue 13 point 6): from Röda tråden's tab
"Översikt" to the goals behind a number, accessible (axe) and fitting a phone (390 px)."""

import pytest
from playwright.sync_api import expect

from followup.models import ReportStatus
from goals.models import GoalLevel
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import GoalFactory
from tests.followup.helpers import open_round
from tests.followup.test_overview import assess

pytestmark = pytest.mark.browser


def _world():
    w = build_world()
    w.von_goal = GoalFactory(
        level=GoalLevel.COMMITTEE,
        parent=w.council_goal,
        owner=w.von,
        mandate_period=w.period,
        title="Fler äldre ska känna sig trygga",
    )
    rnd = open_round(w)
    assess(rnd, w.bun, {w.committee_goal: "met"})
    assess(rnd, w.von, {w.von_goal: "not_met"}, status=ReportStatus.DRAFT)
    return w


def test_reader_opens_the_overview_and_the_goals_behind_a_number(
    page, live_server, transactional_db
):
    w = _world()
    login(page, live_server, "reader")
    page.get_by_role("navigation", name="Röda tråden").get_by_role("link", name="Översikt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("översikt")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Barn- och utbildningsnämnden")
    expect(page.get_by_role("img", name="Måluppfyllelse: Hela kommunen")).to_be_visible()
    assert_no_serious_violations(page)

    # Each number is a link named for what it counts: to exactly those goals.
    table.get_by_role("link", name="Barn- och utbildningsnämnden, Uppfyllt: 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppfyllt")
    expect(page.get_by_role("link", name=w.committee_goal.title)).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(2)  # the heading row and the one goal
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Tillbaka till översikten").click()
    page.get_by_role("table").get_by_role(
        "link", name="Vård- och omsorgsnämnden, Ej bedömt: 1"
    ).click()
    expect(page.get_by_role("link", name=w.von_goal.title)).to_be_visible()


def test_overview_fits_a_phone(browser, live_server, transactional_db):
    _world()
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        login(page, live_server, "reader")
        for path in ("/oversikt/", "/oversikt/mal/?bedomning=met"):
            page.goto(f"{live_server.url}{path}")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
        page.goto(f"{live_server.url}/oversikt/")
        chart = page.get_by_role("img", name="Måluppfyllelse: Hela kommunen")
        assert chart.bounding_box()["width"] <= 390
    finally:
        context.close()
