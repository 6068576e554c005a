"""What the approver sees is what was submitted, and approval locks the values (issue 13,
points 3 and 4), in a real browser.

The unit manager submits the report with the value 12, then changes it to 15 on the
results screen. The approver reads the report: 12 as submitted, marked "Ändrat efter
inlämning: 12 → 15" in words; at the end of the report opens "Godkänn rapporten …",
reads what approval does and approves. The results screen then shows the value locked
and refuses it; the approver undoes the approval and the value can be changed again.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from followup.models import GoalAssessment, Report, ReportStatus
from followup.services import assessment_save
from goals.models import Measurement
from goals.services import ValueInput, measurements_save
from ledmot.models import Role
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

pytestmark = pytest.mark.browser

LOCKED = "Värdet för 2024 ingår i en godkänd rapport i Tertialrapport 2025 och kan inte ändras."


def _world():
    w = build_world()
    w.approver = UserFactory(username="approver", first_name="Berit", last_name="Bergström")
    grant(w.approver, w.bun, Role.APPROVER)
    # The tertial report per 30 April 2025 reports the yearly value of 2024.
    measurements_save(values=[ValueInput(w.indicator, "2024", Decimal("12"))], user=w.editor)
    w.round = open_round(w)
    w.report = Report.objects.get(round=w.round, org_unit=w.skola1)
    a = GoalAssessment.objects.get(report=w.report, goal=w.unit_goal)
    a.chosen, a.analysis = a.proposed, "Fler elever når godkänt efter mattecaféet."
    assessment_save(assessment=a, user=w.editor, expected_version=None)
    return w


def _logout(page):
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/logga-in/$"))


def _enter(page, live_server, w, value):
    page.goto(f"{live_server.url}/resultat/?period=2024")
    cell = page.get_by_label(f"Totalt – {w.indicator.name}, 2024")
    cell.fill(value)
    page.get_by_role("button", name="Spara alla värden").click()
    return cell


def _value():
    return Measurement.objects.get(period="2024").value


def test_approver_sees_the_change_since_submission_approves_and_undoes(
    page, live_server, transactional_db
):
    w = _world()
    report_url = f"{live_server.url}/uppfoljning/rapporter/{w.report.pk}/"

    # ---- the unit manager submits, then changes the value on the results screen
    login(page, live_server, "editor")
    page.goto(report_url)
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.locator(".messages")).to_contain_text("Rapporten är inlämnad.")
    _enter(page, live_server, w, "15")
    expect(page.get_by_role("status")).to_contain_text("1 värde sparat")
    assert _value() == Decimal("15")
    _logout(page)

    # ---- the approver sees the submitted value and the change, in words
    login(page, live_server, "approver")
    page.goto(report_url)
    expect(page.get_by_role("note").filter(has_text="väntar på din granskning")).to_be_visible()
    values = page.locator(".submitted-values")
    expect(values).to_contain_text("Totalt 12")
    expect(values).to_contain_text("Ändrat efter inlämning: 12 → 15")
    assert_no_serious_violations(page)

    # ---- approving is a step at the end that says what it does
    review = page.get_by_role("region", name="Granska rapporten")
    approve = review.get_by_role("button", name="Godkänn rapporten")
    expect(approve).to_be_hidden()
    review.locator("summary", has_text="Godkänn rapporten").click()
    expect(review).to_contain_text("låses enhetens indikatorvärden för uppföljningens perioder")
    expect(review).to_contain_text("Du kan ångra godkännandet tills uppföljningen stängs.")
    assert_no_serious_violations(page)
    approve.click()
    expect(page.locator(".messages")).to_contain_text("Rapporten är godkänd.")
    assert Report.objects.get(pk=w.report.pk).status == ReportStatus.APPROVED
    expect(page.get_by_role("button", name="Ångra godkännandet")).to_be_visible()
    _logout(page)

    # ---- the results screen shows the value locked and refuses it
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/resultat/?period=2024")
    expect(page.get_by_text(LOCKED).first).to_be_visible()
    cell = page.get_by_label(f"Totalt – {w.indicator.name}, 2024")
    expect(cell).to_have_attribute("readonly", "")
    _logout(page)

    # ---- the approver undoes the approval
    login(page, live_server, "approver")
    page.goto(report_url)
    page.get_by_role("button", name="Ångra godkännandet").click()
    expect(page.locator(".messages")).to_contain_text("Godkännandet är ångrat.")
    expect(page.get_by_role("region", name="Granska rapporten")).to_be_visible()
    assert Report.objects.get(pk=w.report.pk).status == ReportStatus.SUBMITTED
    _logout(page)

    # ---- and the value can be changed again
    login(page, live_server, "editor")
    _enter(page, live_server, w, "16")
    expect(page.get_by_role("status")).to_contain_text("1 värde sparat")
    assert _value() == Decimal("16")
