"""A controller makes the municipality's report PDF from the round page and downloads it.

The controller opens the round under "Uppföljning", chooses "Hela kommunen" and PDF/A,
makes the report, sees it done with its number of pages, downloads it, and finds it
listed under the round with their name. axe checks the round page and the job page.
"""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from followup.models import GeneratedReport
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.followup.helpers import open_round

pytestmark = pytest.mark.browser


def test_controller_makes_and_downloads_the_municipality_report(
    page, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    w = build_world()
    open_round(w)
    login(page, live_server, "controller")

    page.get_by_role("link", name="Uppföljning", exact=True).click()
    page.get_by_role("link", name="Tertialrapport 2025", exact=True).click()
    section = page.get_by_role("region", name="Rapporter som PDF")
    expect(section.get_by_text("Ingen rapport är framtagen ännu.")).to_be_visible()
    assert_no_serious_violations(page)

    section.get_by_label("Rapport för").select_option(label="Hela kommunen")
    section.get_by_label("PDF/A för arkivet").check()
    # The demo and the tests run the job in the request (TASKS_BACKEND=immediate): the
    # page comes back when the PDF is made, which may take a few seconds on a busy machine.
    with page.expect_navigation(timeout=60_000):
        section.get_by_role("button", name="Ta fram rapporten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tertialrapport 2025 – hela kommunen")
    status = page.get_by_role("status").filter(has_text="Klar")
    expect(status).to_be_visible()
    assert_no_serious_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Ladda ner PDF \(\d+ sidor\)")).click()
    reader = PdfReader(download.value.path())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert w.council_goal.title in text
    assert w.committee_goal.title in text
    job = GeneratedReport.objects.get()
    assert job.pdfa and job.created_by == w.controller

    page.get_by_role("link", name="Tertialrapport 2025", exact=True).click()
    row = section.get_by_role("row", name=re.compile("Tertialrapport 2025 – hela kommunen"))
    expect(row).to_contain_text("Cecilia Controller")
    expect(row.get_by_role("link", name=re.compile("Ladda ner"))).to_be_visible()
