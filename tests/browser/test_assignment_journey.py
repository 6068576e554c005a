"""Assignments (uppdrag, issue 15 point 3) in a real browser: the council's controller
gives a school an assignment while a round is open; the school's editor finds it in the
report and its status saves itself as she writes; once the report is submitted the
list and Röda tråden show it."""

import time

import pytest
from playwright.sync_api import expect

from followup.models import AssignmentUpdate, Report
from goals.models import Assignment
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.followup.helpers import open_round

pytestmark = pytest.mark.browser


def test_controller_gives_an_assignment_and_the_school_reports_on_it(
    page, live_server, transactional_db
):
    w = build_world()
    report = Report.objects.get(round=open_round(w), org_unit=w.skola1)

    login(page, live_server, "controller")
    page.goto(f"{live_server.url}/uppdrag/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Nytt uppdrag").click()
    page.get_by_label("Uppdragsgivare").select_option(label=w.bun.name)
    page.get_by_label("Uppdragstagare").select_option(label=w.skola1.name)
    page.get_by_label("Uppdrag (obligatoriskt)").fill("Pröva en ny rutin för frånvarouppföljning")
    page.get_by_label("Diarienummer").fill("BUN 2025/34 § 12")
    page.get_by_label("Beslutsdatum").fill("2025-02-10")
    page.get_by_label("Ska vara klart").fill("2025-12-31")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Spara uppdraget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pröva en ny rutin för frånvarouppföljning"
    )
    expect(page.get_by_text("Ej påbörjat")).to_be_visible()
    assert_no_serious_violations(page)
    assignment = Assignment.objects.get()

    page.context.clear_cookies()
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/uppfoljning/rapporter/{report.pk}/")
    section = page.locator(f"#uppdrag-form-{assignment.pk}")
    section.get_by_label("Status").select_option(label="Pågår")
    section.get_by_label("Kommentar").fill("Rutinen prövas i årskurs 7–9 sedan februari.")
    time.sleep(1.7)  # the draft save of the last keystroke
    expect(section.get_by_role("status")).to_contain_text("Sparat")
    assert_no_serious_violations(page)
    update = AssignmentUpdate.objects.get(report=report, assignment=assignment)
    assert (update.status, update.comment) == (
        "ongoing",
        "Rutinen prövas i årskurs 7–9 sedan februari.",
    )
    # A draft is the school's work in progress: the status counts once the report does.
    assert Assignment.objects.get().status == "not_started"
    assessment = report.assessments.get()
    assessment.chosen, assessment.analysis = assessment.proposed, "Analys av målet."
    assessment.save()
    page.reload()
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_text("Rapporten är inlämnad.")).to_be_visible()
    assert Assignment.objects.get().status == "ongoing"

    page.goto(f"{live_server.url}/uppdrag/")
    row = page.get_by_role("row", name="Pröva en ny rutin")
    expect(row).to_contain_text("Pågår")
