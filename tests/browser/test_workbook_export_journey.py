"""A controller exports the whole workbook: the job is queued, the page follows its
progress without being reloaded, and offers the download when the worker is done.

As in production the request only queues the export (the database task backend); the
test then runs the worker itself while the page polls. axe checks the export page and
the job page.
"""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from goals.models import WorkbookExport
from ledmot.models import JobStatus
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_controller_exports_the_workbook_and_downloads_it(
    page, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    w = build_world()
    login(page, live_server, "controller")

    page.get_by_role("link", name="Perioder", exact=True).click()
    page.get_by_role("link", name="Exportera hela arbetsboken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exportera hela arbetsboken")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Ta fram arbetsboken").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text("I kö")
    expect(page.get_by_role("progressbar", name="Förlopp")).to_be_visible()
    assert_no_serious_violations(page)
    job = WorkbookExport.objects.get()
    assert job.status == JobStatus.QUEUED and job.created_by == w.controller

    # The worker makes it; the page (polling every two seconds) shows it done.
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())
    link = page.get_by_role("link", name=re.compile(r"Ladda ner arbetsboken \(\d+ rader\)"))
    expect(link).to_be_visible(timeout=15_000)
    expect(status).to_contain_text("Klar.")
    assert_no_serious_violations(page)
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(r"ledmot-export-\d{4}-\d{2}-\d{2}\.xlsx", download.value.suggested_filename)
    wb = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    titles = [row[4] for row in wb["Mål"].iter_rows(min_row=2, values_only=True)]
    assert w.council_goal.title in titles and w.unit_goal.title in titles
