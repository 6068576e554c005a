"""Säkerhetshändelser in the browser: the administrator filters the sign-in events and
the role changes; no serious accessibility problem."""

import pytest
from playwright.sync_api import expect

from ledmot.models import Role
from ledmot.services import role_grant
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.browser


def test_the_administrator_filters_sign_in_events(page, live_server, transactional_db):
    w = build_world()
    admin = UserFactory(username="admin")
    grant(admin, w.kf, Role.ADMIN)
    role_grant(person=w.reader, unit=w.bun, role=Role.EDITOR, user=admin)
    login(page, live_server, "editor")
    page.get_by_role("button", name="Logga ut").click()
    login(page, live_server, "admin")

    page.goto(f"{live_server.url}/administration/sakerhetshandelser/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Säkerhetshändelser")
    assert_no_serious_violations(page)
    page.get_by_label("Användarnamn eller adress").fill("editor")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("status")).to_have_text("1 händelse")
    expect(page.get_by_role("rowheader", name="editor")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_label("Användarnamn eller adress").fill("")
    page.get_by_label("Händelse", exact=True).select_option(label="Roll given")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("status")).to_have_text("1 händelse")
    expect(page.get_by_role("rowheader", name="reader")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Redigerare på Barn- och utbildningsnämnden")
    ).to_be_visible()
