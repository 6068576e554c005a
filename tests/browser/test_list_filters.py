"""Narrowing /aktiviteter/ down by organisation without JavaScript: the list offers the
committees, and once one is shown, what lies below it (issue 12: the filter no longer
lists every förvaltning and avdelning of the municipality)."""

import re

import pytest
from playwright.sync_api import expect

from ledmot.models import OrgKind
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import ActivityFactory, GoalFactory, OrgUnitFactory

pytestmark = pytest.mark.browser


def test_a_committee_then_its_avdelning_narrow_the_list(page, live_server, transactional_db):
    w = build_world()
    avdelning = OrgUnitFactory(
        name="Grundskoleavdelningen", code="GRUND", kind=OrgKind.DEPARTMENT, parent=w.buf
    )
    skola = OrgUnitFactory(name="Norrskolan", code="NORR", parent=avdelning)
    goal = GoalFactory(
        level=w.unit_goal.level, parent=w.committee_goal, owner=skola, mandate_period=w.period
    )
    ActivityFactory(goal=goal, title="Läsvecka på Norrskolan")
    login(page, live_server, "controller")
    page.goto(f"{live_server.url}/aktiviteter/")
    chooser = page.get_by_label("Organisation")
    expect(chooser.locator("option", has_text="Grundskoleavdelningen")).to_have_count(0)
    chooser.select_option(label="\u00a0" * 3 + "Barn- och utbildningsnämnden")
    page.get_by_role("button", name="Visa").click()
    chooser = page.get_by_label("Organisation")
    administration = chooser.locator("option", has_text="Barn- och utbildningsförvaltningen")
    expect(administration).to_have_count(1)
    chooser.select_option(label="\u00a0" * 6 + "Barn- och utbildningsförvaltningen")
    page.get_by_role("button", name="Visa").click()
    page.get_by_label("Organisation").select_option(label="\u00a0" * 9 + "Grundskoleavdelningen")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"/aktiviteter/\?(.*&)?org=GRUND(&|$)"))
    table = page.get_by_role("table")
    expect(table).to_contain_text("Läsvecka på Norrskolan")
    expect(table).not_to_contain_text(w.activity.title)
    expect(page.get_by_text("1 aktivitet", exact=True)).to_be_visible()
    assert_no_serious_violations(page)
