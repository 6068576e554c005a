"""Work that finds the person, in the browser (issue 13 point 3): the approver finds the
submitted report on their start page, opens it and marks the notice read; the
controller reminds the round's late writers from its dashboard, once a day, and sees
when each unit was last reminded. No serious accessibility problem on either page."""

import re

import pytest
from django.core import mail
from django.utils import timezone
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


def test_the_approver_finds_the_submitted_report_on_the_start_page(
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
    assert [m.to for m in mail.outbox] == [[approver.email]]

    login(page, live_server, "approver")
    notices = page.get_by_role("region", name=re.compile("Till dig"))
    expect(notices).to_contain_text("Rapport inlämnad")
    expect(notices).to_contain_text("av Anna Rektor")
    assert_no_serious_violations(page)
    notices.get_by_role("link", name="Tertialrapport 2025 – Ekbackens skola").click()
    expect(page).to_have_url(re.compile(rf"/uppfoljning/rapporter/{report.pk}/$"))

    page.goto(f"{live_server.url}/")
    notices.get_by_role("button", name=re.compile("Markera som läst")).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("region", name=re.compile("Till dig"))).to_have_count(0)


def test_the_controller_reminds_from_the_dashboard_once_a_day(page, live_server, transactional_db):
    w = build_world()
    rnd = open_round(w)
    unsubmitted = rnd.reports.count()

    login(page, live_server, "controller")
    page.goto(f"{live_server.url}/uppfoljning/{rnd.pk}/")
    reminders = page.get_by_role("region", name="Påminnelser")
    expect(reminders).to_contain_text(f"{unsubmitted} rapporter är inte inlämnade.")
    assert_no_serious_violations(page)
    reminders.get_by_role("button", name="Påminn dem som inte har lämnat in").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Påminnelser skickade till {unsubmitted} enheter som inte har lämnat in."
    )
    to_editor = [m for m in mail.outbox if w.editor.email in m.to]
    assert len(to_editor) == 1

    # Again the same day: nobody twice.
    page.get_by_role("region", name="Påminnelser").get_by_role(
        "button", name="Påminn dem som inte har lämnat in"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Ingen påminnelse skickades.")
    expect(page.get_by_role("status")).to_contain_text("redan påmints i dag")
    assert len([m for m in mail.outbox if w.editor.email in m.to]) == 1

    # When each unit was last reminded: in the list of a committee's reports.
    page.get_by_label("Nämnd").select_option(label="Barn- och utbildningsnämnden")
    page.get_by_role("button", name="Visa", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Ekbackens skola"))
    expect(row).to_contain_text(timezone.localdate().isoformat())
    assert_no_serious_violations(page)
