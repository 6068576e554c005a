"""The 403 and 404 pages in the browser: in the layout, saying what happened and where
to go, with no serious accessibility problem."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_404_and_403_pages(page, live_server, transactional_db):
    build_world()
    login(page, live_server, "editor")
    response = page.goto(f"{live_server.url}/finns-inte/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Min enhet").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ekbackens skola")

    response = page.goto(f"{live_server.url}/perioder/ny/")
    assert response.status == 403
    expect(page.get_by_text("Det här kräver rollen controller eller administratör")).to_be_visible()
    expect(page.get_by_text("Redigerare på Ekbackens skola")).to_be_visible()
    assert_no_serious_violations(page)
