"""The priority journey in a real browser.

Barn- och utbildningsnämndens staff (``bunstaff``) open the worksheet under
"Prioriteringar", add a fact sheet in the panel that htmx opens, are stopped beside the
field by a cost that is not a number, save it and submit the worksheet. The controller
then hands the round to the politicians. A politician with the approver role on the
council opens the overview, sees where the resource frame runs out, and records a
decision. axe checks the worksheet, the fact sheet form and the overview.
"""

import re

import pytest
from playwright.sync_api import expect

from priorities.models import Decision, ItemStatus, PriorityItem, PriorityRound, Worksheet
from priorities.services import round_start_review
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.priorities.helpers import make_item, prio_world, submit

pytestmark = pytest.mark.browser


def _world():
    w = prio_world(frame=3_000_000)
    # Vård- och omsorgsnämnden has already submitted two proposals.
    make_item(w.von_sheet, w.von_staff, title="Extra personal i hemtjänsten",
              cost_budget=2_500_000, severity=4, effect=5, cost_effect=1, evidence=4)  # fmt: skip
    make_item(w.von_sheet, w.von_staff, title="Demensteam", cost_budget=1_400_000)
    submit(w.von_sheet, w.von_staff)
    return w


def test_committee_submits_a_fact_sheet_and_a_politician_decides(
    page, live_server, transactional_db
):
    w = _world()
    login(page, live_server, "bunstaff")
    page.get_by_role("link", name="Prioriteringar", exact=True).click()
    page.get_by_role("link", name="Arbetsblad: Barn- och utbildningsnämnden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Arbetsblad: Barn- och utbildningsnämnden"
    )
    assert_no_serious_violations(page)

    # The fact sheet opens in a panel on the same page (htmx), not a new page.
    url = page.url
    page.get_by_role("link", name="Nytt förslag").click()
    form = page.locator("#factsheet-form")
    expect(form).to_be_visible()
    assert page.url == url
    form.get_by_label("Typ av förslag").select_option("satsning")
    form.get_by_label("Rubrik").fill("Fler lärare i lågstadiet")
    form.get_by_label("Beskrivning av förslaget").fill("Två lärare till i årskurs 1–3.")
    form.get_by_label("Svårighetsgrad").select_option("4")
    form.get_by_label("Förväntad effekt/nytta").select_option("4")
    form.get_by_label("Kostnad i förhållande till effekt").select_option("2")
    form.get_by_label("Kunskapsläge").select_option("4")
    form.get_by_label("Kostnad 2026 (kr)").fill("en miljon")
    form.get_by_label("Barnkonsekvensanalys").fill("Barn i behov av stöd får det tidigt.")
    form.get_by_role("button", name="Spara", exact=True).click()
    error = page.locator("#id_cost_budget_error")
    expect(error).to_contain_text("Skriv beloppet i hela kronor")
    assert not PriorityItem.objects.filter(worksheet=w.bun_sheet).exists()
    assert_no_serious_violations(page)

    page.get_by_label("Kostnad 2026 (kr)").fill("1 200 000")
    page.get_by_role("button", name="Spara och kontrollera inför inlämning").click()
    expect(page.locator("#worksheet-body .message--success")).to_contain_text("klart för inlämning")
    table = page.locator("#item-table")
    expect(table).to_contain_text("Fler lärare i lågstadiet")
    expect(table).to_contain_text("1 200 000 kr")

    page.get_by_role("button", name="Lämna in arbetsbladet").click()
    expect(page.locator(".messages")).to_contain_text("Arbetsbladet är inlämnat")
    assert Worksheet.objects.get(pk=w.bun_sheet.pk).status == "submitted"
    item = PriorityItem.objects.get(worksheet=w.bun_sheet)
    assert (item.status, item.cost_budget, item.suggested_rank) == (
        ItemStatus.SUBMITTED,
        1_200_000,
        2,
    )

    # The controller hands the round to the politicians.
    rnd = PriorityRound.objects.get()
    round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)

    page.context.clear_cookies()
    login(page, live_server, "kfapprover")
    page.goto(f"{live_server.url}/prioriteringar/")
    page.get_by_role("link", name="Prioriteringar inför budget 2026").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prioriteringar inför budget 2026")
    # The frame (3 000 000 kr) runs out after the first proposal: 2,5 + 1,2 > 3 mnkr.
    chart = page.get_by_role("img", name=re.compile("Sammanlagd nettokostnad"))
    expect(chart).to_be_visible()
    expect(page.locator(".prio-line")).to_contain_text("Här tar ramen slut")
    rows = page.locator(".prio-table tbody tr")
    expect(rows.nth(0)).to_contain_text("Extra personal i hemtjänsten")
    expect(rows.nth(1)).to_have_class("prio-line")
    expect(rows.nth(2)).to_contain_text("Utanför")
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Besluta om Fler lärare i lågstadiet").click()
    page.get_by_label(re.compile(r"^Beslut\b")).select_option("beslutad")
    page.get_by_label("Beslutsdatum").fill("2026-06-15")
    page.get_by_label("Paragraf").fill("§ 112")
    page.get_by_label("Diarienummer").fill("KS 2026/318")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.locator(".messages")).to_contain_text("Beslutet är registrerat")
    expect(page.locator(f"#objekt-{item.pk}")).to_contain_text("Beslutad")
    item.refresh_from_db()
    assert (item.decision, item.decision_paragraph) == (Decision.ADOPTED, "§ 112")
    assert item.decided_by == w.kf_approver
