"""Saving a piece of the report (a goal's assessment, an activity's status) in a real
browser (issue 13, point 1): the draft saves itself as the person types, and the piece's
"Spara" button saves at once through the same path, after any save still under way, with
the version that save returned. So clicking "Spara" right after typing never reports a
conflict with one's own autosave; a real conflict (a colleague saved in between) still
shows both texts, inside the page; without JavaScript "Spara" is the only way and
answers with the whole page."""

import re
import time

import pytest
from playwright.sync_api import expect

from followup.models import ActivityUpdate, GoalAssessment, Report
from ledmot.models import Role
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

pytestmark = pytest.mark.browser

CONFLICT = "Någon annan har sparat en ny version medan du skrev."
ANALYSIS = "Fler elever når godkänt i matematik efter vårens extra lektioner."
THEIRS = "Kims analys: resultaten i matematik är oförändrade."
COMMENT = "Läxhjälpen är igång två dagar i veckan."


def _world():
    w = build_world()
    w.report = Report.objects.get(round=open_round(w), org_unit=w.skola1)
    w.assessment = w.report.assessments.get(goal=w.unit_goal)
    w.update = w.report.activity_updates.get()
    w.colleague = UserFactory(username="kollega", first_name="Kim", last_name="Kollega")
    grant(w.colleague, w.skola1, Role.EDITOR)
    return w


def _report_url(live_server, w):
    return f"{live_server.url}/uppfoljning/rapporter/{w.report.pk}/"


def _delay_page_posts(page):
    """Hold a whole-page form post for half a second before it reaches the server, so
    that a draft save sent at the same moment is certainly answered first: the order in
    which the false conflict appeared. (The draft saves themselves are not held.)"""

    def hold(route):
        if route.request.method == "POST" and route.request.resource_type == "document":
            time.sleep(0.5)
        route.continue_()

    page.route("**/uppfoljning/rapporter/**", hold)


def _settle(page):
    """Let the draft save of the last keystroke (1.5 s) go out and be answered."""
    time.sleep(1.7)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def _in_layout(page, w):
    """The page is the report inside the normal layout: menu, heading, the other parts."""
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(w.skola1.name)
    expect(page.get_by_role("button", name="Lämna in rapporten")).to_be_visible()


def _history(model, pk):
    return model.history.filter(id=pk).count()


@pytest.mark.parametrize("wait", [0.0, 1.55], ids=["at-once", "as-the-autosave-goes"])
def test_spara_right_after_typing_saves_once_without_a_conflict(
    page, live_server, transactional_db, wait
):
    w = _world()
    before = _history(GoalAssessment, w.assessment.pk)
    login(page, live_server, "editor")
    _delay_page_posts(page)
    page.goto(_report_url(live_server, w))
    form = page.locator(f"#assessment-{w.assessment.pk}")
    form.get_by_label("Analys", exact=True).fill(ANALYSIS)
    time.sleep(wait)  # 1.55 s: the keystroke's draft save is on its way
    form.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#saved-a{w.assessment.pk}")).to_have_text(re.compile(r"Sparat \d\d:\d\d"))
    _settle(page)

    expect(page.get_by_text(CONFLICT)).to_have_count(0)
    expect(page.get_by_text("Ändringen är inte sparad.")).to_have_count(0)
    _in_layout(page, w)
    expect(form.get_by_label("Analys", exact=True)).to_have_value(ANALYSIS)
    assert GoalAssessment.objects.get(pk=w.assessment.pk).analysis == ANALYSIS
    assert _history(GoalAssessment, w.assessment.pk) == before + 1  # saved once

    # Typing on and saving again goes from the version the last save returned.
    form.get_by_label("Åtgärder", exact=True).fill("Extra lektioner fortsätter.")
    form.get_by_role("button", name="Spara").click()
    _settle(page)
    expect(page.get_by_text(CONFLICT)).to_have_count(0)
    saved = GoalAssessment.objects.get(pk=w.assessment.pk)
    assert (saved.analysis, saved.measures) == (ANALYSIS, "Extra lektioner fortsätter.")
    assert _history(GoalAssessment, w.assessment.pk) == before + 2


def test_spara_on_an_activity_right_after_typing_saves_once_without_a_conflict(
    page, live_server, transactional_db
):
    w = _world()
    before = _history(ActivityUpdate, w.update.pk)
    login(page, live_server, "editor")
    _delay_page_posts(page)
    page.goto(_report_url(live_server, w))
    form = page.locator(f"#update-{w.update.pk}")
    form.get_by_label("Kommentar", exact=True).fill(COMMENT)
    form.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#saved-u{w.update.pk}")).to_have_text(re.compile(r"Sparat \d\d:\d\d"))
    _settle(page)

    expect(page.get_by_text(CONFLICT)).to_have_count(0)
    _in_layout(page, w)
    assert ActivityUpdate.objects.get(pk=w.update.pk).comment == COMMENT
    assert _history(ActivityUpdate, w.update.pk) == before + 1


def test_a_colleagues_save_in_between_shows_both_texts_in_the_page(
    browser, live_server, transactional_db
):
    w = _world()
    contexts = [browser.new_context(locale="sv-SE") for _ in range(2)]
    mine, theirs = (c.new_page() for c in contexts)
    try:
        login(mine, live_server, "editor")
        login(theirs, live_server, "kollega")
        for pg in (mine, theirs):
            pg.goto(_report_url(live_server, w))

        # The colleague saves first, from the same version the editor's page holds.
        their_form = theirs.locator(f"#assessment-{w.assessment.pk}")
        their_form.get_by_label("Analys", exact=True).fill(THEIRS)
        their_form.get_by_role("button", name="Spara").click()
        expect(theirs.locator(f"#saved-a{w.assessment.pk}")).to_contain_text("Sparat")

        my_form = mine.locator(f"#assessment-{w.assessment.pk}")
        my_form.get_by_label("Analys", exact=True).fill(ANALYSIS)
        my_form.get_by_role("button", name="Spara").click()
        conflict = mine.get_by_role("alert").filter(has_text=CONFLICT)
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("Kim Kollega")
        expect(conflict).to_contain_text(THEIRS)  # theirs, saved
        expect(conflict).to_contain_text(ANALYSIS)  # mine, not saved
        _in_layout(mine, w)
        assert_no_serious_violations(mine)
        assert GoalAssessment.objects.get(pk=w.assessment.pk).analysis == THEIRS

        # Saving again after reading it goes from the colleague's version: mine is kept.
        expect(my_form.get_by_label("Analys", exact=True)).to_have_value(ANALYSIS)
        my_form.get_by_role("button", name="Spara").click()
        expect(mine.locator(f"#saved-a{w.assessment.pk}")).to_contain_text("Sparat")
        expect(mine.get_by_text(CONFLICT)).to_have_count(0)
        assert GoalAssessment.objects.get(pk=w.assessment.pk).analysis == ANALYSIS
    finally:
        for c in contexts:
            c.close()


def test_without_javascript_spara_saves_and_answers_with_the_whole_page(
    page_without_js, live_server, transactional_db
):
    w = _world()
    page = page_without_js
    login(page, live_server, "editor")
    page.goto(_report_url(live_server, w))
    expect(page.get_by_text("utan JavaScript")).to_be_visible()  # what the button is for
    form = page.locator(f"#assessment-{w.assessment.pk}")
    form.get_by_label("Analys", exact=True).fill(ANALYSIS)
    form.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Sparat.")
    _in_layout(page, w)
    expect(
        page.locator(f"#assessment-{w.assessment.pk}").get_by_label("Analys", exact=True)
    ).to_have_value(ANALYSIS)
    assert GoalAssessment.objects.get(pk=w.assessment.pk).analysis == ANALYSIS

    # A colleague saves in between: the whole page, both texts, nothing of mine saved.
    a = GoalAssessment.objects.get(pk=w.assessment.pk)
    a.analysis = THEIRS
    from followup.services import assessment_save

    assessment_save(assessment=a, user=w.colleague, expected_version=a.version)
    form = page.locator(f"#assessment-{w.assessment.pk}")
    form.get_by_label("Analys", exact=True).fill("Min andra analys.")
    form.get_by_role("button", name="Spara").click()
    conflict = page.get_by_role("alert").filter(has_text=CONFLICT)
    expect(conflict).to_contain_text(THEIRS)
    expect(conflict).to_contain_text("Min andra analys.")
    _in_layout(page, w)
    assert GoalAssessment.objects.get(pk=w.assessment.pk).analysis == THEIRS


def test_submitting_right_after_typing_submits_what_was_typed(page, live_server, transactional_db):
    """ "Lämna in rapporten" clicked while the last words are still to be saved: the
    submission waits for the saves, so the report is submitted with them. The page's
    draft saves are held back here so that, without the wait, the submission would
    certainly overtake them (it did, now and then, in the demo) and the last words be
    refused as a change to a submitted report."""
    w = _world()
    assessment = w.assessment
    assessment.chosen = assessment.proposed or "met"
    assessment.justification = "" if assessment.chosen == assessment.proposed else "Se analysen."
    assessment.analysis = "Första utkastet."
    assessment.save()
    login(page, live_server, "editor")
    page.goto(_report_url(live_server, w))
    expect(page.get_by_text("Allt som krävs är ifyllt.")).to_be_visible()

    def hold_saves(route):
        if route.request.method == "POST" and route.request.resource_type != "document":
            time.sleep(0.7)
        route.continue_()

    page.route(re.compile(r".*/uppfoljning/rapporter/\d+/(?!lamna-in/).+"), hold_saves)
    form = page.locator(f"#assessment-{assessment.pk}")
    form.get_by_label("Analys", exact=True).fill(ANALYSIS)
    page.get_by_role("button", name="Lämna in rapporten").click()

    expect(page.locator(".messages")).to_contain_text("inlämnad", ignore_case=True)
    report = Report.objects.get(pk=w.report.pk)
    assert report.status == "submitted"
    assert GoalAssessment.objects.get(pk=assessment.pk).analysis == ANALYSIS
    expect(page.get_by_text(CONFLICT)).to_have_count(0)
