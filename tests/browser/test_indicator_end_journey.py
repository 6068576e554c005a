"""A unit manager ends an indicator on its page and resumes it; a reader sees the end
as text. Checked with axe in each state."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from goals.models import Indicator
from ledmot.glossary import glossary_term_save
from ledmot.models import GlossaryTerm
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_editor_ends_and_resumes_an_indicator(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/indikatorer/{w.indicator.pk}/")
    expect(page.get_by_text("dess värden och målvärden finns kvar")).to_be_visible()
    page.get_by_label("Sista dag som indikatorn mäts").fill("2025-12-31")
    page.get_by_role("button", name="Avsluta indikatorn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w.indicator.name)
    expect(page.get_by_text("Avslutad 31 december 2025").first).to_be_visible()
    assert Indicator.objects.get(pk=w.indicator.pk).ended_on.isoformat() == "2025-12-31"
    assert_no_serious_violations(page)

    page.get_by_role("button", name="Återuppta indikatorn").click()
    expect(page.get_by_text("Indikatorn är återupptagen.")).to_be_visible()
    assert Indicator.objects.get(pk=w.indicator.pk).ended_on is None


def test_reader_sees_the_end_as_text(page, live_server, transactional_db):
    w = build_world()
    ind = Indicator.objects.get(pk=w.indicator.pk)
    ind.ended_on = datetime.date(2025, 12, 31)
    ind.save()
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/indikatorer/{w.indicator.pk}/")
    expect(page.get_by_text("Avslutad 31 december 2025").first).to_be_visible()
    expect(page.get_by_role("button", name="Återuppta indikatorn")).to_have_count(0)
    assert_no_serious_violations(page)


def test_a_term_in_the_end_fields_help_opens_its_definition(page, live_server, transactional_db):
    """The field's help goes through the glossary: the term opens by keyboard, and the
    help still describes the field."""
    w = build_world()
    glossary_term_save(
        term=GlossaryTerm(term="målvärde", definition="Det värde en indikator ska nå ett år."),
        user=None,
        expected_version=None,
    )
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/indikatorer/{w.indicator.pk}/")
    field = page.get_by_label("Sista dag som indikatorn mäts")
    expect(field).to_have_accessible_description(re.compile(r"^Värden och målvärden"))
    definition = page.get_by_text("Det värde en indikator ska nå ett år.")
    expect(definition).to_be_hidden()
    term = page.locator("#id_ended_on_helptext summary")
    term.focus()
    page.keyboard.press("Enter")
    expect(definition).to_be_visible()
    assert_no_serious_violations(page)
