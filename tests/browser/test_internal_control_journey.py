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
from tests.browser.test_phone_width import PHONE, _overflow
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


def test_a_controller_chooses_the_unit_first_and_its_goals_follow(
    page, live_server, transactional_db
):
    """The controller writes for the whole municipality: the committee first, then a
    unit under it in the form, whose goals (and those above it) replace the list."""
    w = build_world()
    login(page, live_server, "controller")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/kontroll/risker/ny/")
    page.get_by_label("Nämnd eller enhet").select_option(label=w.bun.name)
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_label(w.committee_goal.title, exact=False)).to_be_visible()
    expect(page.get_by_label(w.unit_goal.title, exact=False)).to_have_count(0)
    page.get_by_label("Risk (obligatoriskt)").fill("Brist på behöriga lärare i matematik")
    # the select alone reloads the goals (htmx); what was typed stays
    page.get_by_label("Enhet (obligatoriskt)").select_option(label=w.skola1.name)
    expect(page.get_by_label(w.unit_goal.title, exact=False)).to_be_visible()
    expect(page.get_by_label("Risk (obligatoriskt)")).to_have_value(
        "Brist på behöriga lärare i matematik"
    )
    page.get_by_label(w.unit_goal.title, exact=False).check()
    page.get_by_label("Möjlig").check()
    page.get_by_label("Kännbar").check()
    page.get_by_label("Riskägare").fill("Rektor")
    assert_no_serious_violations(page)
    assert _overflow(page)["wide"] == []
    page.screenshot(path="/tmp/risk12-form-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_no_serious_violations(page)
    page.screenshot(path="/tmp/risk12-form-1280.png", full_page=True)
    # Enter in a text field saves (not the button that shows a unit's goals)
    page.get_by_label("Riskägare").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Brist på behöriga lärare i matematik"
    )
    risk = Risk.objects.get()
    assert (risk.unit, list(risk.goals.all())) == (w.skola1, [w.unit_goal])
