"""Work that finds the person (issue 13 point 3), in the browser: the unit manager opens
*Min enhet* and finds the report to write first, with its state and deadline; the
approver finds *Att granska (1)* in the menu and reaches the report from it. No serious
accessibility problem on either page."""

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


def test_the_unit_manager_and_the_approver_find_their_work_from_the_menu(
    page, live_server, transactional_db
):
    w = build_world()
    approver = UserFactory(username="approver", first_name="Berit", last_name="Bergström")
    grant(approver, w.bun, Role.APPROVER)
    rnd = open_round(w)
    report = Report.objects.get(round=rnd, org_unit=w.skola1)
    menu = page.get_by_role("navigation", name="Huvudmeny")

    # The unit manager: Min enhet, the report to write first.
    login(page, live_server, "editor")
    menu.get_by_role("link", name="Min enhet").click()
    section = page.get_by_role("region", name="Uppföljning som pågår")
    expect(section).to_contain_text("Tertialrapport 2025: ○ Ej påbörjad, sista dag 14 maj 2025")
    expect(section).to_contain_text("Sen")
    assert_no_serious_violations(page)
    section.get_by_role("link", name="Skriv rapporten för Tertialrapport 2025").click()
    expect(page).to_have_url(re.compile(rf"/uppfoljning/rapporter/{report.pk}/$"))
    page.get_by_role("button", name="Logga ut").click()

    for a in report.assessments.all():
        a.chosen, a.analysis = a.proposed, "Analys"
        a.save()
    report_submit(report=report, user=w.editor, expected_version=report.version)

    # The approver: the count in the menu, the list, the report.
    login(page, live_server, "approver")
    entry = menu.get_by_role("link", name="Att granska: 1 rapport väntar på ditt godkännande")
    expect(entry).to_have_text("Att granska (1)")
    entry.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Att granska")
    expect(entry).to_have_attribute("aria-current", "page")
    assert_no_serious_violations(page)
    table = page.get_by_role("table", name="Rapporter som väntar på ditt godkännande, äldst först")
    table.get_by_role("link", name="Tertialrapport 2025 – Ekbackens skola").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ekbackens skola")
