"""Every form works in every place it is reachable, and says what happened: the activity
and fact-sheet forms on their own pages (a plain post, answered with a page) and inside
the goal page and the worksheet (htmx). An invalid first submit shows the errors once,
in one form."""

import pytest
from playwright.sync_api import expect

from goals.models import Activity
from priorities.models import PriorityItem
from tests.browser.helpers import login
from tests.conftest import build_world
from tests.priorities.helpers import make_item, prio_world

pytestmark = pytest.mark.browser


def _errors_once_in_one_form(page):
    expect(page.get_by_text("Formuläret innehåller fel. Inget har sparats.")).to_have_count(1)
    assert page.locator("form form").count() == 0
    assert page.locator("form.inline-form, form.prio-form").count() == 1


def test_activity_on_its_own_page(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/mal/{w.unit_goal.pk}/aktiviteter/ny/")
    page.get_by_role("button", name="Spara aktiviteten").click()
    _errors_once_in_one_form(page)
    page.get_by_label("Aktivitet").fill("Studiecirkel för mentorer")
    page.get_by_role("button", name="Spara aktiviteten").click()
    page.wait_for_url(f"{live_server.url}/mal/{w.unit_goal.pk}/#aktiviteter")
    expect(page.get_by_text("Aktiviteten är tillagd.")).to_be_visible()
    expect(page.get_by_role("cell", name="Studiecirkel för mentorer", exact=True)).to_be_visible()

    page.goto(f"{live_server.url}/aktiviteter/{w.activity.pk}/andra/")
    page.get_by_label("Aktivitet").fill("Läxhjälp tre dagar i veckan")
    page.get_by_role("button", name="Spara aktiviteten").click()
    page.wait_for_url(f"{live_server.url}/mal/{w.unit_goal.pk}/#aktiviteter")
    expect(page.get_by_text("Aktiviteten är sparad.")).to_be_visible()
    assert Activity.objects.get(pk=w.activity.pk).title == "Läxhjälp tre dagar i veckan"


def test_activity_inside_the_goal_page(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/mal/{w.unit_goal.pk}/")
    # Opened twice (or after "Ändra"): still one form on the page.
    page.get_by_role("link", name=f"Ändra {w.activity.title}").click()
    expect(page.locator("form.inline-form")).to_have_count(1)
    page.get_by_role("link", name="Lägg till aktivitet").click()
    page.get_by_role("link", name="Lägg till aktivitet").click()
    expect(page.get_by_role("heading", name="Ny aktivitet")).to_have_count(1)
    page.get_by_role("button", name="Spara aktiviteten").click()
    _errors_once_in_one_form(page)
    page.get_by_label("Aktivitet").fill("Studiecirkel för mentorer")
    page.get_by_role("button", name="Spara aktiviteten").click()
    expect(page.get_by_text("Aktiviteten är tillagd.")).to_be_visible()
    expect(page.get_by_role("cell", name="Studiecirkel för mentorer", exact=True)).to_be_visible()
    assert page.url == f"{live_server.url}/mal/{w.unit_goal.pk}/"
    assert Activity.objects.filter(title="Studiecirkel för mentorer").count() == 1


def test_fact_sheet_on_its_own_page(page, live_server, transactional_db):
    w = prio_world()
    login(page, live_server, "bunstaff")
    page.goto(f"{live_server.url}/prioriteringar/{w.round.pk}/namnd/BUN/ny/")
    page.get_by_role("button", name="Spara", exact=True).click()
    _errors_once_in_one_form(page)
    page.get_by_label("Typ av förslag").select_option(index=1)
    page.get_by_label("Rubrik").fill("Fler förskollärare")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"{live_server.url}/prioriteringar/{w.round.pk}/namnd/BUN/")
    expect(page.get_by_text("”Fler förskollärare” är sparat som utkast.")).to_be_visible()

    item = make_item(w.bun_sheet, w.bun_staff, title="Läxhjälp")
    page.goto(f"{live_server.url}/prioriteringar/objekt/{item.pk}/andra/")
    page.get_by_label("Rubrik").fill("Läxhjälp i alla skolor")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"{live_server.url}/prioriteringar/{w.round.pk}/namnd/BUN/")
    expect(page.get_by_text("”Läxhjälp i alla skolor” är sparat")).to_be_visible()
    assert PriorityItem.objects.get(pk=item.pk).title == "Läxhjälp i alla skolor"
