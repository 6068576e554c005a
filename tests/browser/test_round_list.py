"""The follow-up round list in the browser: the unit manager finds their own report first,
the approver the reports waiting for them, the controller the round's counts leading to
its dashboard; no serious accessibility problem on any of them (issue 13 point 3)."""

import re

import pytest
from playwright.sync_api import expect

from followup.models import Report
from followup.services import report_submit
from ledmot.models import Role
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

pytestmark = pytest.mark.browser


def _logout(page):
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/logga-in/$"))


def _open_list(page):
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning")


def test_each_person_finds_their_work_first_and_the_rest_one_click_away(
    page, live_server, transactional_db
):
    w = build_world()
    approver = UserFactory(username="approver", first_name="Berit", last_name="Bergström")
    grant(approver, w.bun, Role.APPROVER)
    rnd = open_round(w)
    report = Report.objects.get(round=rnd, org_unit=w.skola1)
    for a in report.assessments.all():
        a.chosen, a.analysis = a.proposed, "Analys"
        a.save()
    report_submit(report=report, user=w.editor, expected_version=report.version)

    # The unit manager: their own report, first, with its state.
    login(page, live_server, "editor")
    _open_list(page)
    mine = page.get_by_role("region", name="Dina rapporter")
    expect(mine).to_contain_text("Inlämnad")
    expect(mine.get_by_role("link", name="Tertialrapport 2025 – Ekbackens skola")).to_be_visible()
    assert_no_serious_violations(page)
    _logout(page)

    # The approver on the committee: the report waiting for them, opened from the list.
    login(page, live_server, "approver")
    _open_list(page)
    waiting = page.get_by_role("region", name="Att granska")
    expect(waiting).to_contain_text("1 inlämnad rapport väntar på ditt godkännande.")
    assert_no_serious_violations(page)
    waiting.get_by_role("link", name="Tertialrapport 2025 – Ekbackens skola").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ekbackens skola")
    expect(page.get_by_role("region", name="Granska rapporten")).to_be_visible()
    _logout(page)

    # The controller: no list of every report (those waiting for approval are capped),
    # the counts lead to the dashboard.
    login(page, live_server, "controller")
    _open_list(page)
    rounds = page.get_by_role("table", name="Uppföljningar")
    expect(rounds.get_by_role("row")).to_have_count(2)  # the heading and the round
    expect(rounds.get_by_text("Ekbackens skola")).to_have_count(0)
    counts = page.get_by_role("list", name="Rapporterna i Tertialrapport 2025")
    expect(counts).to_contain_text("Inlämnad: 1")
    assert_no_serious_violations(page)
    counts.get_by_role("link", name="Inlämnad: 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tertialrapport 2025")
    expect(page.get_by_role("link", name="Ekbackens skola")).to_be_visible()
