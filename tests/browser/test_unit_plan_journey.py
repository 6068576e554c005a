"""A unit manager opens the unit's verksamhetsplan from Min enhet, writes its
grunduppdrag and nuläge, sees them in the plan with the goals above, the unit's own
goals and this year's target, and prints it as PDF; at a phone's width nothing scrolls
sideways. Checked with axe on the plan and on its form."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from goals.models import Target, UnitPlan
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.browser.test_phone_width import PHONE, _overflow
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_unit_manager_writes_and_prints_the_verksamhetsplan(page, live_server, transactional_db):
    w = build_world()
    year = datetime.date.today().year
    Target.objects.create(indicator=w.indicator, year=year, value=Decimal("81"))
    login(page, live_server, "editor")
    page.get_by_role("link", name="Min enhet").click()
    page.get_by_role("link", name=f"Verksamhetsplan {year}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Verksamhetsplan {year}")
    expect(page.get_by_text("Grunduppdraget är inte beskrivet.")).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Skriv grunduppdrag och nuläge").click()
    page.get_by_label("Grunduppdrag").fill("Grundskola F–9 för 420 elever.")
    page.get_by_label("Nuläge").fill("Behörigheten till gymnasiet har ökat till 88 %.")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_text(f"Verksamhetsplanen för {year} är sparad.")).to_be_visible()
    expect(page.get_by_text("Grundskola F–9 för 420 elever.")).to_be_visible()
    expect(page.get_by_role("link", name=w.council_goal.title)).to_be_visible()
    expect(page.get_by_role("link", name=w.unit_goal.title)).to_be_visible()
    expect(page.locator("main")).to_contain_text("81\u00a0%")
    assert_no_serious_violations(page)
    plan = UnitPlan.objects.get(unit=w.skola1, year=year)
    assert plan.history.get().history_user == w.editor

    href = page.get_by_role("link", name="Skriv ut (PDF)").get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"

    page.set_viewport_size(PHONE)
    page.reload()
    found = _overflow(page)
    assert found["width"] <= found["screen"], found
    assert_no_serious_violations(page)
