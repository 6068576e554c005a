"""The follow-up journey in a real browser, from the unit's report to Röda tråden.

The unit manager (``editor``, Ekbackens skola) finds the report under "Uppföljning",
assesses the goals as the draft saves itself, is stopped while an analysis is missing,
and submits. An approver on the committee returns it with a comment; the unit manager
reads the comment, completes the report and submits again; the approver approves. The
politician (``reader``) then sees the assessment on the unit goal in Röda tråden. axe
checks the report page (being written, and being reviewed) and the round's dashboard.
"""

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from followup.models import GoalAssessment, Report, ReportStatus
from goals.models import GoalLevel
from ledmot.models import Role
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import GoalFactory, UserFactory, grant
from tests.followup.helpers import open_round

pytestmark = pytest.mark.browser

ANALYSIS = (
    "Vårens diagnoser visar att fler elever når godkänt i matematik, men en grupp med hög "
    "frånvaro når inte kunskapskraven."
)
JUSTIFICATION = "Indikatorn har inget utfall för tertialet; bedömningen bygger på diagnoserna."
RETURN_COMMENT = "Analysen av tryggheten saknas. Beskriv vad elevenkäten visar."
SAFETY_ANALYSIS = "Elevenkäten i mars visar att 86 procent känner sig trygga på rasterna."


def _world():
    w = build_world()
    # A second goal for the school, so that one can be complete while the other is not.
    w.safety_goal = GoalFactory(
        level=GoalLevel.UNIT,
        parent=w.committee_goal,
        owner=w.skola1,
        mandate_period=w.period,
        title="Alla elever ska känna sig trygga under raster och i korridorer",
    )
    w.approver = UserFactory(username="approver", first_name="Berit", last_name="Bergström")
    grant(w.approver, w.bun, Role.APPROVER)
    w.round = open_round(w)  # Tertialrapport 2025, deadline passed
    w.report = Report.objects.get(round=w.round, org_unit=w.skola1)
    w.maths = w.report.assessments.get(goal=w.unit_goal)
    w.safety = w.report.assessments.get(goal=w.safety_goal)
    return w


def _form(page, assessment):
    return page.locator(f"#assessment-{assessment.pk}")


def _submit(page):
    """Click "Lämna in rapporten". The page itself sends what is typed but not yet saved
    and waits for the saves before submitting (static/js/report-submit.js, proved in
    test_report_saving.py), so the journey clicks as a person would."""
    page.get_by_role("button", name="Lämna in rapporten").click()


def _autosave_of(page, assessment, **typed):
    """Wait for the answer to the draft save that carries ``typed`` (htmx posts the
    form as you go: on every change, and 1.5 s after the last keystroke)."""

    def carries(response):
        request = response.request
        if request.method != "POST" or f"/bedomning/{assessment.pk}/" not in response.url:
            return False
        posted = parse_qs(request.post_data or "")
        return all(posted.get(name, [""])[0] == value for name, value in typed.items())

    return page.expect_response(carries)


def _saved_note(page, assessment):
    return page.locator(f"#saved-a{assessment.pk}")


def _messages(page):
    return page.locator(".messages")


def _logout(page):
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/logga-in/$"))


def _open_report_from_the_dashboard(page, w):
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    page.get_by_role("link", name="Tertialrapport 2025", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tertialrapport 2025")
    # The dashboard lands on the counts per committee; the committee's reports one click away.
    page.get_by_role("table", name="Rapporter per nämnd").get_by_role(
        "link", name=w.bun.name, exact=True
    ).click()
    page.get_by_role("link", name=w.skola1.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w.skola1.name)


def _row(page, goal):
    return page.locator(f"#mal-{goal.pk}")


def _head(page, goal):
    """The row's own line (title, badges), without the rows of its branch."""
    return _row(page, goal).locator(":scope > .goal-row__head")


def _settled(page, goal):
    expect(_row(page, goal)).not_to_have_class(re.compile(r"htmx-(added|settling)"))


def test_report_is_written_returned_completed_approved_and_shown_in_the_chain(
    page, live_server, transactional_db
):
    w = _world()

    # ---- the unit manager finds the report
    login(page, live_server, "editor")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning")
    mine = page.get_by_role("region", name="Dina rapporter")
    expect(mine).to_contain_text("Sen")  # the deadline of 2025 has passed
    mine.get_by_role("link", name="Tertialrapport 2025 – Ekbackens skola").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ekbackens skola")
    expect(page.get_by_text("Utkast", exact=True)).to_be_visible()

    # ---- assesses the first goal: an assessment other than the proposal, with a reason
    maths = _form(page, w.maths)
    with _autosave_of(
        page, w.maths, chosen="partly", analysis=ANALYSIS, justification=JUSTIFICATION
    ) as saved:
        maths.get_by_label("Analys", exact=True).fill(ANALYSIS)
        maths.get_by_label("Motivering", exact=True).fill(JUSTIFICATION)
        maths.get_by_label("Bedömning", exact=True).select_option(label="Delvis uppfyllt")
    assert saved.value.ok
    expect(_saved_note(page, w.maths)).to_have_text(re.compile(r"Sparat \d\d:\d\d"))

    # ---- the second goal: the proposed assessment, but no analysis yet
    safety = _form(page, w.safety)
    with _autosave_of(page, w.safety, chosen="not_assessed", analysis="") as saved:
        safety.get_by_label("Bedömning", exact=True).select_option(label="Ej bedömt")
    assert saved.value.ok
    expect(_saved_note(page, w.safety)).to_contain_text("Sparat")
    assert_no_serious_violations(page)  # the report being written

    # ---- submitting now lists what is missing and submits nothing
    _submit(page)
    expect(_messages(page)).to_contain_text("Rapporten kan inte lämnas in ännu. Det här saknas:")
    expect(_messages(page)).to_contain_text(f"{w.safety_goal.title}: analys saknas")
    expect(_messages(page)).not_to_contain_text(w.unit_goal.title)
    submit_panel = page.get_by_role("region", name="Lämna in", exact=True)
    expect(submit_panel.get_by_role("listitem")).to_have_count(1)
    expect(submit_panel.get_by_role("link", name=w.safety_goal.title)).to_be_visible()
    assert Report.objects.get(pk=w.report.pk).status == ReportStatus.DRAFT
    # What was typed before the reload is kept.
    expect(_form(page, w.maths).get_by_label("Analys", exact=True)).to_have_value(ANALYSIS)
    assert_no_serious_violations(page)  # with the list of what is missing

    # ---- writes the missing analysis and submits
    safety = _form(page, w.safety)
    with _autosave_of(page, w.safety, analysis="Tryggheten följs upp i elevenkäten.") as saved:
        safety.get_by_label("Analys", exact=True).fill("Tryggheten följs upp i elevenkäten.")
        safety.get_by_label("Analys", exact=True).blur()
    assert saved.value.ok
    expect(_saved_note(page, w.safety)).to_contain_text("Sparat")
    _submit(page)
    expect(_messages(page)).to_contain_text("Rapporten är inlämnad.")
    expect(page.get_by_text("Inlämnad", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Lämna in rapporten")).to_have_count(0)
    expect(page.get_by_label("Analys", exact=True)).to_have_count(0)  # locked while reviewed
    _logout(page)

    # ---- the approver on the committee returns it with a comment
    login(page, live_server, "approver")
    _open_report_from_the_dashboard(page, w)
    review = page.get_by_role("region", name="Granska rapporten")
    expect(review.locator("summary", has_text="Godkänn rapporten")).to_be_visible()
    expect(page.get_by_text(ANALYSIS)).to_be_visible()
    assert_no_serious_violations(page)  # the report being reviewed
    review.get_by_label("Vad ska kompletteras?").fill(RETURN_COMMENT)
    review.get_by_role("button", name="Återsänd för komplettering").click()
    expect(_messages(page)).to_contain_text("Rapporten är återsänd för komplettering.")
    expect(page.get_by_role("region", name="Granska rapporten")).to_have_count(0)
    assert Report.objects.get(pk=w.report.pk).status == ReportStatus.RETURNED
    _logout(page)

    # ---- the unit manager reads the comment, completes the report and submits again
    login(page, live_server, "editor")
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    mine = page.get_by_role("region", name="Dina rapporter")
    expect(mine).to_contain_text("Återsänd")
    mine.get_by_role("link", name="Tertialrapport 2025 – Ekbackens skola").click()
    note = page.get_by_role("note")
    expect(note).to_contain_text("Återsänd för komplettering")
    expect(note).to_contain_text(RETURN_COMMENT)
    safety = _form(page, w.safety)
    with _autosave_of(page, w.safety, analysis=SAFETY_ANALYSIS) as saved:
        safety.get_by_label("Analys", exact=True).fill(SAFETY_ANALYSIS)
        safety.get_by_label("Analys", exact=True).blur()
    assert saved.value.ok
    _submit(page)
    expect(_messages(page)).to_contain_text("Rapporten är inlämnad.")
    expect(page.get_by_role("note")).to_have_count(0)  # the comment has been answered
    _logout(page)

    # ---- the approver approves
    login(page, live_server, "approver")
    _open_report_from_the_dashboard(page, w)
    expect(page.get_by_text(SAFETY_ANALYSIS)).to_be_visible()
    review = page.get_by_role("region", name="Granska rapporten")
    review.locator("summary", has_text="Godkänn rapporten").click()  # what approval does
    review.get_by_role("button", name="Godkänn rapporten").click()
    expect(_messages(page)).to_contain_text("Rapporten är godkänd.")
    expect(page.get_by_text("Godkänd", exact=True)).to_be_visible()
    page.get_by_role("link", name="Tertialrapport 2025").click()
    per_committee = page.get_by_role("table", name="Rapporter per nämnd")
    assert_no_serious_violations(page)  # the dashboard: the counts per committee
    per_committee.get_by_role("row", name=re.compile(w.bun.name)).get_by_role(
        "link", name="1 Godkänd"
    ).click()
    expect(page.get_by_role("row", name=re.compile(w.skola1.name))).to_contain_text("Godkänd")
    assert_no_serious_violations(page)  # the dashboard: a committee's approved reports
    page.get_by_role("link", name="Alla nämnder", exact=True).click()
    page.get_by_role("table", name="Rapporter per nämnd").get_by_role(
        "link", name=w.bun.name, exact=True
    ).click()
    page.get_by_role("table").get_by_role("link", name=w.bun.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w.bun.name)
    below = page.get_by_role("table", name="1 underliggande rapport")
    expect(below.get_by_role("row", name=re.compile(w.skola1.name))).to_contain_text("Godkänd")
    assert_no_serious_violations(page)  # the committee's report with its units' reports
    _logout(page)

    report = Report.objects.get(pk=w.report.pk)
    assert (report.status, report.approved_by, report.submitted_by) == (
        ReportStatus.APPROVED,
        w.approver,
        w.editor,
    )
    maths = GoalAssessment.objects.get(pk=w.maths.pk)
    assert (maths.chosen, maths.analysis, maths.justification) == (
        "partly",
        ANALYSIS,
        JUSTIFICATION,
    )
    assert maths.history.first().history_user == w.editor

    # ---- the politician sees the assessment on the unit goal in Röda tråden
    login(page, live_server, "reader")
    _row(page, w.council_goal).locator(":scope > details > summary").click()
    _settled(page, w.committee_goal)
    _row(page, w.committee_goal).locator(":scope > details > summary").click()
    expect(page.get_by_role("link", name=w.unit_goal.title, exact=True)).to_be_visible()
    _settled(page, w.unit_goal)
    expect(_head(page, w.unit_goal)).to_contain_text(
        "Bedömning Tertialrapport 2025: Delvis uppfyllt"
    )
    expect(_head(page, w.safety_goal)).to_contain_text("Bedömning Tertialrapport 2025: Ej bedömt")
    # The committee's own report is not in yet: its goal shows no assessment.
    expect(_head(page, w.committee_goal)).to_be_visible()
    expect(_head(page, w.committee_goal)).not_to_contain_text("Bedömning ")
