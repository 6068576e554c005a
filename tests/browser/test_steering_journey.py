"""Issue 17 points 3–5 in a real browser: the council's controller registers a steering
document behind a goal, uploads it and records the decision; a politician finds it on
the goal's page; a term in the goal's description opens its definition from the
keyboard; the Ordlista page and a unit's service guarantees are axe clean."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from goals.models import IndicatorKind, ServiceGuarantee
from goals.services import ValueInput, guarantee_save, measurements_save, targets_save
from ledmot.glossary import glossary_term_save
from ledmot.models import GlossaryTerm
from steering.models import DocumentStatus, SteeringDocument
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.browser.test_phone_width import PHONE, _overflow
from tests.conftest import build_world
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.browser


def test_a_steering_document_is_decided_and_stands_behind_its_goal(
    page, live_server, transactional_db, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    w = build_world()
    pdf = tmp_path / "kvalitetspolicy.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%test\n")

    login(page, live_server, "controller")
    page.goto(f"{live_server.url}/styrdokument/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Nytt styrdokument").click()
    # the owner first: its goals follow the select (htmx), what was typed stays
    page.set_viewport_size(PHONE)
    expect(page.get_by_text("Välj ägaren först")).to_be_visible()
    page.get_by_label("Titel").fill("Kvalitetspolicy")
    # The link field is a field like the others (a web address input was left unstyled:
    # narrow, with the browser's own border).
    link = page.get_by_label("Länk").bounding_box()
    title = page.get_by_label("Titel").bounding_box()
    assert abs(link["width"] - title["width"]) < 2, (link, title)
    page.get_by_label("Ägare").select_option(label=w.bun.name)
    expect(page.get_by_label(w.committee_goal.title, exact=False)).to_be_visible()
    page.get_by_label("Ägare").select_option(label=w.kf.name)
    expect(page.get_by_label(w.committee_goal.title, exact=False)).to_have_count(0)
    expect(page.get_by_label(w.unit_goal.title, exact=False)).to_have_count(0)
    expect(page.get_by_label("Titel")).to_have_value("Kvalitetspolicy")
    page.get_by_label("Typ").select_option(label="Policy")
    page.get_by_label("Fil", exact=True).set_input_files(str(pdf))
    page.get_by_label(w.council_goal.title, exact=False).check()
    assert_no_serious_violations(page)
    assert _overflow(page)["wide"] == []
    page.screenshot(path="/tmp/steer12-form-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_no_serious_violations(page)
    page.screenshot(path="/tmp/steer12-form-1280.png", full_page=True)
    # Enter in a text field saves (not the button that shows the owner's goals)
    page.get_by_label("Titel").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvalitetspolicy")
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Registrera beslut").click()
    page.get_by_label("Diarienummer").fill("KF 2025/14 § 21")
    page.get_by_label("Beslutsdatum").fill("2025-03-24")
    page.get_by_label("Gäller från").fill("2025-04-01")
    page.get_by_label("Revideras senast").fill("2027-03-31")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Beslutet är registrerat.")).to_be_visible()
    document = SteeringDocument.objects.get()
    assert document.status == DocumentStatus.DECIDED
    assert document.decision_reference == "KF 2025/14 § 21"
    with page.expect_download() as download:
        page.get_by_role("link", name="Hämta filen").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.context.clear_cookies()
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/mal/{w.council_goal.pk}/")
    documents = page.locator("#styrdokument + ul")
    expect(documents).to_contain_text("Kvalitetspolicy")
    expect(documents).to_contain_text("KF 2025/14 § 21")


def test_the_glossary_and_the_service_guarantees(page, live_server, transactional_db):
    w = build_world()
    glossary_term_save(
        term=GlossaryTerm(term="indikator", definition="Ett mått som visar om ett mål nås."),
        user=None,
        expected_version=None,
    )
    goal = w.unit_goal
    goal.description = "Varje indikator följs upp varje tertial."
    goal.save()
    indicator = IndicatorFactory(
        name="Andel kontakter besvarade inom två dagar",
        kind=IndicatorKind.KEPT_SHARE,
        responsible_unit=w.skola1,
    )
    targets_save(indicator=indicator, values={2025: Decimal(90)}, user=None)
    measurements_save(
        values=[ValueInput(indicator=indicator, period="2025-T1", value=Decimal(84))], user=None
    )
    guarantee_save(
        guarantee=ServiceGuarantee(
            unit=w.skola1,
            title="Svar inom två arbetsdagar",
            promise="Du får svar inom två arbetsdagar.",
            indicator=indicator,
        ),
        user=None,
        expected_version=None,
    )

    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/mal/{goal.pk}/")
    description = page.locator(".glossed").first  # the goal's description
    definition = description.get_by_text("Ett mått som visar om ett mål nås.")
    expect(definition).to_be_hidden()
    term = description.locator("details.term summary")
    term.focus()
    page.keyboard.press("Enter")
    expect(definition).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Ordlista", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ordlista")
    expect(page.get_by_text("Ett mått som visar om ett mål nås.")).to_be_visible()
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/enheter/{w.skola1.pk}/servicegarantier/")
    expect(page.get_by_role("heading", name="Svar inom två arbetsdagar")).to_be_visible()
    expect(page.get_by_text("Delvis uppfyllt").first).to_be_visible()
    assert_no_serious_violations(page)
