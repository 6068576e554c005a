"""The politician's journey through Röda tråden, in a real browser.

A councillor (the ``reader`` persona) logs in, reads the vision, follows one council goal
down through the committee goal and the unit goal to the activity, and opens the unit
goal's history. The folding is native <details> filled by htmx; it must work with the
mouse, with the keyboard and, through the "Öppna grenen" link, without JavaScript.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, login
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def _row(page, goal):
    return page.locator(f"#mal-{goal.pk}")


def _summary(page, goal):
    return _row(page, goal).locator(":scope > details > summary")


def _settled(page, goal):
    """Wait until htmx has finished swapping in a loaded row (it is then wired up)."""
    expect(_row(page, goal)).not_to_have_class(re.compile(r"htmx-(added|settling)"))


def _goal_link(page, goal):
    return page.get_by_role("link", name=goal.title, exact=True)


def test_reader_follows_the_chain_from_vision_to_activity_and_history(
    page, live_server, transactional_db
):
    w = build_world()
    login(page, live_server, "reader")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Röda tråden")
    expect(page.get_by_role("region", name="Vision")).to_contain_text(w.vision.text)
    expect(_goal_link(page, w.council_goal)).to_be_visible()
    # Folded away until asked for.
    expect(_goal_link(page, w.committee_goal)).to_have_count(0)

    # Council goal → committee goal (htmx fills the branch; the page does not navigate).
    summary = _summary(page, w.council_goal)
    expect(summary).to_contain_text("Visa nämndmål")
    summary.click()
    expect(_goal_link(page, w.committee_goal)).to_be_visible()
    _settled(page, w.committee_goal)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(_row(page, w.council_goal).get_by_role("link", name="Öppna grenen")).to_have_count(0)

    # Committee goal → unit goal.
    summary = _summary(page, w.committee_goal)
    expect(summary).to_contain_text("Visa enhetsmål och aktiviteter")
    summary.click()
    expect(_goal_link(page, w.unit_goal)).to_be_visible()
    _settled(page, w.unit_goal)

    # Unit goal → its activity.
    summary = _summary(page, w.unit_goal)
    expect(summary).to_contain_text("Visa aktiviteter")
    summary.click()
    expect(_row(page, w.unit_goal).get_by_text(w.activity.title)).to_be_visible()

    # Through to the unit goal's own page.
    _goal_link(page, w.unit_goal).click()
    expect(page).to_have_url(f"{live_server.url}/mal/{w.unit_goal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(w.unit_goal.title)
    chain_nav = page.get_by_role("navigation", name="Målkedjan")
    expect(chain_nav).to_contain_text(w.council_goal.title)
    expect(chain_nav).to_contain_text(w.committee_goal.title)
    expect(page.get_by_role("link", name="Översikt")).to_have_attribute("aria-current", "page")

    # The history tab.
    page.get_by_role("link", name="Historik", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/mal/{w.unit_goal.pk}/historik/")
    expect(page.get_by_role("link", name="Historik", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    history = page.get_by_role("list", name="Ändringshistorik")
    expect(history.get_by_role("listitem").first).to_contain_text("Skapad")


def test_branches_open_with_the_keyboard(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "reader")

    # Tab from the top of the page reaches the council goal's summary after its title link.
    _goal_link(page, w.council_goal).focus()
    page.keyboard.press("Tab")
    summary = _summary(page, w.council_goal)
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(_row(page, w.council_goal).locator(":scope > details")).to_have_attribute("open", "")
    expect(_goal_link(page, w.committee_goal)).to_be_visible()
    _settled(page, w.committee_goal)

    summary = _summary(page, w.committee_goal)
    summary.focus()
    page.keyboard.press("Enter")
    expect(_goal_link(page, w.unit_goal)).to_be_visible()
    _settled(page, w.unit_goal)

    summary = _summary(page, w.unit_goal)
    summary.focus()
    page.keyboard.press("Space")
    expect(_row(page, w.unit_goal).get_by_text(w.activity.title)).to_be_visible()

    # The goal link inside a loaded branch is reachable and followable by keyboard.
    _goal_link(page, w.unit_goal).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/mal/{w.unit_goal.pk}/")


def test_without_javascript_the_open_branch_link_shows_the_committee_goal(
    page_without_js, live_server, transactional_db
):
    page = page_without_js
    w = build_world()
    login(page, live_server, "reader")
    expect(_goal_link(page, w.committee_goal)).to_have_count(0)

    # Native <details> opens without JavaScript; inside is a plain link instead of htmx.
    _summary(page, w.council_goal).click()
    open_link = _row(page, w.council_goal).get_by_role("link", name="Öppna grenen")
    expect(open_link).to_be_visible()
    open_link.click()

    expect(page).to_have_url(re.compile(rf"oppna={w.council_goal.pk}#mal-{w.council_goal.pk}$"))
    expect(_row(page, w.council_goal).locator(":scope > details")).to_have_attribute("open", "")
    expect(_goal_link(page, w.committee_goal)).to_be_visible()
    _settled(page, w.committee_goal)


def test_without_javascript_the_second_level_opens_under_the_first(
    page_without_js, live_server, transactional_db
):
    page = page_without_js
    w = build_world()
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/?oppna={w.council_goal.pk}")
    expect(_goal_link(page, w.committee_goal)).to_be_visible()
    _settled(page, w.committee_goal)

    _summary(page, w.committee_goal).click()
    _row(page, w.committee_goal).get_by_role("link", name="Öppna grenen").click()
    expect(page).to_have_url(re.compile(rf"oppna={w.committee_goal.pk}"))
    expect(_goal_link(page, w.committee_goal)).to_be_visible(timeout=2_000)
    expect(_goal_link(page, w.unit_goal)).to_be_visible(timeout=2_000)


def test_failed_login_shows_swedish_error_next_to_the_form(page, live_server, transactional_db):
    build_world()
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("reader")
    page.get_by_label("Lösenord").fill(PASSWORD + "-fel")
    page.get_by_role("button", name="Logga in", exact=True).click()

    expect(page).to_have_url(re.compile(r"/logga-in/$"))
    alert = page.locator("form").get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Ange ett korrekt användarnamn och lösenord")
    # The password is not echoed back; the user name is kept.
    expect(page.get_by_label("Lösenord")).to_have_value("")
    expect(page.get_by_label("Användarnamn")).to_have_value("reader")
    # Still not logged in.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/logga-in/\?next=/$"))
