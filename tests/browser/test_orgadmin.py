"""Organisation och behörigheter in the browser: an administrator reaches the screens
from the menu, moves a unit and gives a role; a committee's admin works on his part.
axe finds no serious or critical problem on any of the screens, and none scrolls
sideways at a phone's width (390 px)."""

import pytest
from playwright.sync_api import expect

from ledmot.models import OrgUnit, Role, RoleAssignment
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.browser.test_phone_width import PHONE, _overflow
from tests.conftest import build_world
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.browser


def _world():
    w = build_world()
    w.admin = UserFactory(username="orgadmin", first_name="Ada", last_name="Admin")
    grant(w.admin, w.kf, Role.ADMIN)
    w.bun_admin = UserFactory(username="bunadmin", first_name="Bea", last_name="Nämndadmin")
    grant(w.bun_admin, w.bun, Role.ADMIN)
    return w


def test_admin_moves_a_unit_and_gives_a_role(page, live_server, transactional_db):
    w = _world()
    login(page, live_server, "orgadmin")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Administration"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation och behörigheter")
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Lindens skola").click()
    assert_no_serious_violations(page)
    page.get_by_label("Ny överordnad enhet").select_option(label=f"\u2003\u2003{w.vof.name} (VOF)")
    page.get_by_role("button", name="Flytta", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "ligger nu under Vård- och omsorgsförvaltningen"
    )
    assert OrgUnit.objects.get(pk=w.skola2.pk).path == "KF/VON/VOF/SKOLA2/"
    expect(page.get_by_role("region", name="Historik")).to_contain_text("Flyttad från")

    page.goto(f"{live_server.url}/administration/personer/")
    assert_no_serious_violations(page)
    page.get_by_label("Sök", exact=True).fill("omsorg")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("link", name="Olle Omsorg").click()
    assert_no_serious_violations(page)
    vof = f"\u2003\u2003{w.vof.name} (VOF)"
    page.get_by_role("combobox", name="Enhet").select_option(label=vof)
    page.get_by_role("combobox", name="Roll").select_option(label="Godkännare")
    page.get_by_role("button", name="Ge rollen").click()
    expect(page.get_by_role("status")).to_contain_text("har nu rollen godkännare")
    assert RoleAssignment.objects.filter(
        user=w.other_editor, org_unit=w.vof, role=Role.APPROVER
    ).exists()
    page.locator("summary").first.click()
    expect(page.get_by_text("(ärvd)").first).to_be_visible()
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/administration/personer/ny/")
    assert_no_serious_violations(page)
    page.goto(f"{live_server.url}/administration/organisation/ny/")
    assert_no_serious_violations(page)
    page.goto(f"{live_server.url}/administration/personer/import/")
    assert_no_serious_violations(page)
    page.goto(f"{live_server.url}/administration/organisation/{w.skola1.pk}/")
    expect(page.get_by_label("Enhet som tar över det pågående arbetet")).to_be_visible()
    assert_no_serious_violations(page)


def test_the_screens_fit_a_phone(browser, live_server, transactional_db):
    w = _world()
    context = browser.new_context(locale="sv-SE", viewport=PHONE)
    page = context.new_page()
    too_wide = []
    for persona in ("orgadmin", "bunadmin"):
        login(page, live_server, persona)
        for path in (
            "/administration/organisation/",
            "/administration/organisation/ny/",
            f"/administration/organisation/{w.skola1.pk}/",
            "/administration/personer/",
            "/administration/personer/ny/",
            "/administration/personer/import/",
            f"/administration/personer/{w.editor.pk}/",
        ):
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            found = _overflow(page)
            if found["width"] > found["screen"]:
                too_wide.append(f"{persona} {path}: {found['width']} px {found['wide']}")
        context.clear_cookies()
    context.close()
    assert not too_wide, "Pages wider than a 390 px phone:\n" + "\n".join(too_wide)
