"""Risks and internal control (issue 17 points 1 and 2) in a real browser: a school's
editor writes a risk and finds it in the matrix; the controller adopts the committee's
risk analysis and picks a control for the year; the school reports the control's result
on its report page. Every screen is checked with axe."""

import pytest
from playwright.sync_api import expect

from control.models import ControlResult, Risk, RiskAnalysis
from followup.models import Report
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.followup.helpers import open_round

pytestmark = pytest.mark.browser


def test_a_risk_becomes_a_control_that_the_school_reports_on(page, live_server, transactional_db):
    w = build_world()

    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/kontroll/risker/ny/")
    page.get_by_role("spinbutton", name="År").fill("2025")
    page.get_by_label("Risk (obligatoriskt)").fill("Brist på behöriga lärare i matematik")
    page.get_by_label(w.unit_goal.title, exact=False).check()
    page.get_by_label("Möjlig").check()
    page.get_by_label("Kännbar").check()
    page.get_by_label("Riskägare").fill("Rektor")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Spara risken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Brist på behöriga lärare i matematik"
    )
    assert_no_serious_violations(page)
    page.goto(f"{live_server.url}/kontroll/risker/?ar=2025")
    expect(page.get_by_role("group", name="Riskmatris 2025")).to_be_visible()
    row = page.get_by_role("row", name="Brist på behöriga lärare")
    expect(row).to_contain_text("Hög (9)")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Risk 1: Brist på behöriga lärare i matematik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Brist på behöriga lärare i matematik"
    )

    page.context.clear_cookies()
    login(page, live_server, "controller")
    analysis = RiskAnalysis.objects.get()
    page.goto(f"{live_server.url}/kontroll/riskanalyser/{analysis.pk}/")
    assert_no_serious_violations(page)
    page.get_by_label("Beslut (diarienummer, §)").fill("BUN 2025/17 § 12")
    page.get_by_label("Beslutsdatum").fill("2025-01-20")
    page.get_by_role("button", name="Anta riskanalysen").click()
    expect(page.get_by_text("Riskanalysen kan inte ändras.")).to_be_visible()
    page.get_by_role("link", name="Ny kontroll").click()
    page.get_by_label("Risk (obligatoriskt)").select_option(
        label="Brist på behöriga lärare i matematik"
    )
    page.get_by_label("Vad kontrolleras").fill("Behörighet vid nyanställning")
    page.get_by_label("Hur (obligatoriskt)").fill("Stickprov på fem anställningar")
    page.get_by_label("Hur ofta").select_option(label="Vid varje uppföljning")
    page.get_by_label("Vem kontrollerar").fill("HR-specialist")
    page.get_by_label("Rapporteras av").select_option(label=w.skola1.name)
    page.get_by_label("Tertialrapport").check()
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Spara kontrollen").click()
    expect(page.get_by_role("cell", name="Behörighet vid nyanställning")).to_be_visible()
    assert_no_serious_violations(page)

    report = Report.objects.get(round=open_round(w), org_unit=w.skola1)
    page.context.clear_cookies()
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/uppfoljning/rapporter/{report.pk}/")
    section = page.get_by_role("region", name="Behörighet vid nyanställning")
    section.get_by_label("Anmärkningar", exact=True).check()
    section.get_by_label("Kommentar").fill("En anställning saknade registerutdrag.")
    assert_no_serious_violations(page)
    section.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Kontrollens resultat är sparat.")).to_be_visible()
    result = ControlResult.objects.get()
    assert (result.outcome, result.comment) == (
        "remarks",
        "En anställning saknade registerutdrag.",
    )
    assert Risk.objects.count() == 1
