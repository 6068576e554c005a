"""A controller plans 2027 from 2026 across the mandate boundary: opens Planera from the
periods page, ends a goal, sees the broken chain in the preview, creates the drafts and
adopts them with a decision. Checked with axe on the planning page."""

import pytest
from playwright.sync_api import expect

from goals.models import Goal, GoalStatus, YearPlan
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_controller_plans_the_next_mandate_period(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "controller")
    page.goto(f"{live_server.url}/planera/2027/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planera 2027")
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Barn- och utbildningsnämnden").click()
    group = page.get_by_role("group", name=f"Val för {w.committee_goal.title}")
    group.get_by_label("Avslutas").check()
    page.get_by_role("button", name="Spara valen").click()
    expect(page.get_by_text("Valen är sparade.")).to_be_visible()
    expect(page.get_by_role("heading", name="Kedjor som bryts")).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("button", name="Skapa planen för 2027 som utkast").click()
    expect(page.get_by_text("Planen för 2027 är skapad som utkast")).to_be_visible()
    assert Goal.objects.filter(mandate_period__start_year=2027).count() == 3
    page.get_by_label("Diarienummer").fill("KF 2026/120")
    page.get_by_label("Beslutsdatum").fill("2026-11-25")
    page.get_by_role("button", name="Anta planen").click()
    expect(page.get_by_text("Planen för 2027 är antagen: 3 mål.")).to_be_visible()
    assert YearPlan.objects.get(year=2027).decision_reference == "KF 2026/120"
    assert Goal.objects.get(pk=w.committee_goal.pk).status == GoalStatus.ENDED
    assert_no_serious_violations(page)
