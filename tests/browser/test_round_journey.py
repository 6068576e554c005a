"""A follow-up round end to end, person after person, as the demo was walked (issue 13,
"Done when"): the unit manager writes and submits the unit's report from Min enhet on a
phone; the approver finds it in Att granska, returns it with a comment; the unit manager
reads the notice, completes and submits again; the approver approves, undoes and
approves again; the committee's writer writes and submits the committee's own report;
the controller reminds, makes the committee's PDF and closes the round; the politician
reads the overview and follows a number to its goals and a goal's badges.

On every page: no serious accessibility problem, no sideways scroll at the width the
person uses, and no error in the browser's console (the Content Security Policy refused
a style htmx set on every save of a piece of the report).
"""

import re

import pytest
from playwright.sync_api import expect

from followup.models import FollowUpRound, Report, ReportStatus, RoundStatus
from ledmot.models import Role
from tests.browser.helpers import login, menu_link
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _world():
    w = build_world()
    w.approver = UserFactory(username="approver", first_name="Berit", last_name="Bergström")
    grant(w.approver, w.bun, Role.APPROVER)
    w.secretary = UserFactory(username="sekreterare", first_name="Sara", last_name="Sekreterare")
    grant(w.secretary, w.bun, Role.EDITOR)
    w.round = open_round(w)
    w.report = Report.objects.get(round=w.round, org_unit=w.skola1)
    w.bun_report = Report.objects.get(round=w.round, org_unit=w.bun)
    return w


class Walk:
    """One person's browser session: checks each page it lands on."""

    def __init__(self, page, live_server):
        self.page, self.server = page, live_server
        self.console_errors = []
        page.on(
            "console",
            lambda m: m.type == "error" and self.console_errors.append(f"{page.url}: {m.text}"),
        )
        page.on("pageerror", lambda e: self.console_errors.append(f"{page.url}: {e}"))

    def as_(self, username, viewport):
        self.page.context.clear_cookies()
        self.page.set_viewport_size(viewport)
        login(self.page, self.server, username)

    def check(self):
        """The page fits its width (tables scroll inside their own container) and axe
        finds nothing serious."""
        self.page.wait_for_load_state()
        scroll, inner = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll <= inner, f"{self.page.url} scrolls sideways: {scroll} > {inner}"
        assert_no_serious_violations(self.page)

    def notices(self):
        return self.page.get_by_role("region", name=re.compile("Till dig"))


def _save_assessment(page, title, analysis, chosen=None):
    block = page.get_by_role("region", name=title)
    if chosen:
        block.get_by_label("Bedömning").select_option(label=chosen)
    block.get_by_label("Analys").fill(analysis)
    block.get_by_role("button", name="Spara").click()
    expect(block.get_by_role("status")).to_contain_text("Sparat")
    return block


def _settle(page):
    """Wait for the saves typing started (1.5 s after the last keystroke) and those
    queued behind them: "Sparat" from an earlier save is already on the page."""
    page.wait_for_timeout(1_600)
    page.wait_for_load_state("networkidle")


def _submit(page):
    """Lämna in, once the autosave that typing started (1.5 s after the last keystroke)
    has been answered: submitted sooner, that save arrives after the submission and is
    refused (403). Known and not fixed here: the submit does not wait for it."""
    _settle(page)
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.locator(".messages")).to_contain_text("Rapporten är inlämnad.")


def test_a_round_end_to_end_for_every_persona(page, live_server, transactional_db):
    w = _world()
    walk = Walk(page, live_server)
    report_url = f"{live_server.url}/uppfoljning/rapporter/{w.report.pk}/"

    # ---- the unit manager, on a phone: Min enhet → the report → write → submit
    walk.as_("editor", PHONE)
    menu_link(page, "Min enhet").click()
    current = page.get_by_role("region", name="Uppföljning som pågår")
    expect(current).to_contain_text("Tertialrapport 2025")
    walk.check()
    current.get_by_role("link", name="Skriv rapporten för Tertialrapport 2025").click()
    expect(page).to_have_url(report_url)
    walk.check()
    _save_assessment(page, w.unit_goal.title, "Fler elever når godkänt.", chosen="Delvis uppfyllt")
    block = page.get_by_role("region", name=w.unit_goal.title)
    if block.get_by_label("Motivering").is_visible():
        block.get_by_label("Motivering").fill("Resultaten är bättre än indikatorn visar.")
        block.get_by_role("button", name="Spara").click()
        expect(block.get_by_role("status")).to_contain_text("Sparat")
    # A second save of the same piece: the version the first returned is the one sent.
    block.get_by_label("Analys").fill("Fler elever når godkänt efter mattecaféet.")
    block.get_by_role("button", name="Spara").click()
    expect(block.get_by_role("status")).to_contain_text("Sparat")
    _settle(page)
    expect(page.get_by_text("någon annan", exact=False)).to_have_count(0)
    page.reload()
    expect(page.get_by_role("region", name=w.unit_goal.title).get_by_label("Analys")).to_have_value(
        "Fler elever når godkänt efter mattecaféet."
    )
    _submit(page)
    walk.check()

    # ---- the approver: the notice and Att granska lead to the report; return it
    walk.as_("approver", DESKTOP)
    expect(walk.notices()).to_contain_text("Rapport inlämnad")
    walk.check()
    page.get_by_role("link", name=re.compile(r"^Att granska")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Att granska")
    walk.check()
    page.get_by_role("link", name="Tertialrapport 2025 – Ekbackens skola").click()
    expect(page).to_have_url(report_url)
    review = page.get_by_role("region", name="Granska rapporten")
    review.get_by_label(re.compile("Vad ska kompletteras")).fill("Skriv vad mattecaféet kostar.")
    review.get_by_role("button", name="Återsänd för komplettering").click()
    expect(page.locator(".messages")).to_contain_text("Rapporten är återsänd för komplettering.")
    walk.check()
    page.get_by_role("link", name="Röda tråden").first.click()
    # The step is taken: its notice is no longer news.
    expect(walk.notices()).to_have_count(0)

    # ---- the unit manager reads the comment, completes and submits again
    walk.as_("editor", PHONE)
    expect(walk.notices()).to_contain_text("Rapport återsänd")
    expect(walk.notices()).to_contain_text("Skriv vad mattecaféet kostar.")
    walk.check()
    walk.notices().get_by_role("link", name="Tertialrapport 2025 – Ekbackens skola").click()
    expect(page.get_by_text("Skriv vad mattecaféet kostar.")).to_be_visible()
    _save_assessment(
        page, w.unit_goal.title, "Fler elever når godkänt. Mattecaféet kostar 40 000 kr."
    )
    _submit(page)
    menu_link(page, "Röda tråden").click()
    expect(walk.notices()).to_have_count(0)

    # ---- the approver approves (a deliberate step), undoes, approves again
    walk.as_("approver", DESKTOP)
    page.goto(report_url)
    review = page.get_by_role("region", name="Granska rapporten")
    approve = review.get_by_role("button", name="Godkänn rapporten")
    expect(approve).to_be_hidden()
    review.locator("summary", has_text="Godkänn rapporten").click()
    walk.check()
    approve.click()
    expect(page.locator(".messages")).to_contain_text("Rapporten är godkänd.")
    page.get_by_role("button", name="Ångra godkännandet").click()
    expect(page.locator(".messages")).to_contain_text("Godkännandet är ångrat.")
    review = page.get_by_role("region", name="Granska rapporten")
    review.locator("summary", has_text="Godkänn rapporten").click()
    review.get_by_role("button", name="Godkänn rapporten").click()
    expect(page.locator(".messages")).to_contain_text("Rapporten är godkänd.")
    walk.check()
    assert Report.objects.get(pk=w.report.pk).status == ReportStatus.APPROVED

    # ---- the committee's writer writes and submits the committee's own report
    walk.as_("sekreterare", DESKTOP)
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    page.get_by_role(
        "link", name=re.compile("Tertialrapport 2025 – Barn- och utbildning")
    ).first.click()
    expect(page).to_have_url(f"{live_server.url}/uppfoljning/rapporter/{w.bun_report.pk}/")
    walk.check()
    _save_assessment(page, w.committee_goal.title, "Skolorna går framåt.", chosen="Delvis uppfyllt")
    block = page.get_by_role("region", name=w.committee_goal.title)
    if block.get_by_label("Motivering").is_visible():
        block.get_by_label("Motivering").fill("Enheternas bedömningar väger tyngst.")
        block.get_by_role("button", name="Spara").click()
        expect(block.get_by_role("status")).to_contain_text("Sparat")
    _submit(page)
    walk.check()

    # ---- the controller: the dashboard, reminders, the committee's PDF, closing
    walk.as_("controller", DESKTOP)
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    page.get_by_role("link", name="Tertialrapport 2025", exact=True).first.click()
    walk.check()
    reminders = page.get_by_role("region", name="Påminnelser")
    reminders.get_by_role("button", name="Påminn dem som inte har lämnat in").click()
    expect(page.get_by_role("status")).to_contain_text("Påminnelse skickad till 1 enhet")
    pdf = page.get_by_role("region", name="Rapporter som PDF")
    pdf.get_by_label("Rapport för").select_option(label="Barn- och utbildningsnämnden")
    with page.expect_navigation(timeout=60_000):
        pdf.get_by_role("button", name="Ta fram rapporten").click()
    expect(page.get_by_role("status").filter(has_text="Klar")).to_be_visible()
    walk.check()
    page.get_by_role("link", name="Tertialrapport 2025", exact=True).first.click()
    closing = page.get_by_role("region", name="Stäng uppföljningen")
    close = closing.get_by_role("button", name="Stäng uppföljningen och lås rapporterna")
    expect(close).to_be_hidden()
    closing.locator("summary").click()
    expect(closing).to_contain_text("Det går inte att ångra.")
    walk.check()
    close.click()
    expect(page.locator(".messages")).to_contain_text("Uppföljningen är stängd.")
    walk.check()
    assert FollowUpRound.objects.get(pk=w.round.pk).status == RoundStatus.CLOSED

    # ---- the politician, on a phone: the overview, a number, its goals, a goal's badges
    walk.as_("reader", PHONE)
    page.get_by_role("link", name="Översikt").first.click()
    walk.check()
    page.get_by_role("link", name="Barn- och utbildningsnämnden, Delvis uppfyllt: 1").click()
    expect(page.get_by_role("link", name=w.committee_goal.title)).to_be_visible()
    walk.check()
    page.get_by_role("link", name=w.committee_goal.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w.committee_goal.title)
    expect(page.locator("main")).to_contain_text("Bedömning Tertialrapport 2025: Delvis uppfyllt")
    walk.check()

    assert not walk.console_errors, "\n".join(walk.console_errors)
