"""The full workbook export as a background job: start → progress → download, only
for its owner, the same workbook as the export made in the request, and a readable
failure. The job runs in the request here (the immediate backend, as in the demo),
once the transaction commits."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from goals.models import WorkbookExport
from goals.workbook import jobs
from goals.workbook.columns import all_sheets
from goals.workbook.export import export_workbook
from ledmot.models import JobStatus, Role
from tests.factories import UserFactory, grant

from .helpers import exported, sheet_rows

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def start(client, capture, *, run=True):
    """POST the export page; ``run``: let the job run when the request commits."""
    with capture(execute=run):
        response = client.post("/import/export/")
    assert response.status_code == 302
    job = WorkbookExport.objects.order_by("-pk").first()
    assert response["Location"] == f"/import/export/{job.pk}/"
    return job


def download(client, job) -> bytes:
    response = client.get(f"/import/export/{job.pk}/arbetsbok.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return b"".join(response.streaming_content)


def all_rows(data: bytes) -> dict[str, list[tuple]]:
    return {s.name: sheet_rows(data, s.name) for s in all_sheets()}


@pytest.fixture
def bun_controller(world):
    user = UserFactory(username="bun-controller", first_name="Bo", last_name="Bunsson")
    grant(user, world.bun, Role.CONTROLLER)
    return user


def test_controller_starts_follows_and_downloads_the_export(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.controller)
    page = client.get("/import/export/")
    assert page.status_code == 200
    assert "Ta fram arbetsboken" in page.content.decode()

    job = start(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.created_by == world.controller
    page = client.get(f"/import/export/{job.pk}/").content.decode()
    assert "Klar." in page
    assert f'href="/import/export/{job.pk}/arbetsbok.xlsx"' in page
    assert f"Ladda ner arbetsboken ({job.rows} rader)" in page
    assert "hx-get" not in page  # finished: no more polling
    fragment = client.get(f"/import/export/{job.pk}/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert f"/import/export/{job.pk}/arbetsbok.xlsx" in fragment.content.decode()

    response = client.get(f"/import/export/{job.pk}/arbetsbok.xlsx")
    stamp = timezone.localdate().isoformat()
    assert f'filename="ledmot-export-{stamp}.xlsx"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    # The same workbook as the export made in the request before: every sheet, row by row.
    assert all_rows(data) == all_rows(exported(user=world.controller))
    assert world.unit_goal.title in [r[4] for r in sheet_rows(data, "Mål")]
    assert job.counts == {
        **{"goals": 4, "activities": 1, "indicators": 1, "targets": 0, "results": 0},
        "economy": 0,
    }
    # The export page lists it.
    assert f'href="/import/export/{job.pk}/"' in client.get("/import/export/").content.decode()


def test_export_of_a_committee_controller_holds_only_their_units(
    world, bun_controller, client, django_capture_on_commit_callbacks
):
    client.force_login(bun_controller)
    job = start(client, django_capture_on_commit_callbacks)
    data = download(client, job)
    titles = [r[4] for r in sheet_rows(data, "Mål")[1:]]
    assert world.council_goal.title not in titles
    assert world.committee_goal.title in titles
    assert all_rows(data) == all_rows(exported(user=bun_controller))


def test_progress_while_queued_and_running_with_and_without_javascript(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.controller)
    job = start(client, django_capture_on_commit_callbacks, run=False)
    assert job.status == JobStatus.QUEUED
    page = client.get(f"/import/export/{job.pk}/").content.decode()
    assert "I kö" in page
    assert f'hx-get="/import/export/{job.pk}/"' in page
    # Without JavaScript the page is reloaded by a link to itself.
    assert f'<a href="/import/export/{job.pk}/">Uppdatera sidan</a>' in page
    assert "arbetsbok.xlsx" not in page
    assert client.get(f"/import/export/{job.pk}/arbetsbok.xlsx").status_code == 404

    WorkbookExport.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        progress_done=3000,
        progress_total=12000,
        progress_label="Skriver bladet Utfall",
    )
    page = client.get(f"/import/export/{job.pk}/").content.decode()
    assert "Skriver bladet Utfall" in page
    assert "3000 av 12000" in page
    assert 'value="25"' in page
    fragment = client.get(f"/import/export/{job.pk}/", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text and "Uppdatera sidan" not in text
    assert "3000 av 12000" in text


def test_a_second_request_while_one_runs_shows_that_one(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.controller)
    first = start(client, django_capture_on_commit_callbacks, run=False)
    again = start(client, django_capture_on_commit_callbacks, run=False)
    assert again.pk == first.pk
    assert WorkbookExport.objects.count() == 1
    # Finished: a new request makes a new export (the data may have changed).
    WorkbookExport.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
    new = start(client, django_capture_on_commit_callbacks)
    assert new.pk != first.pk


def test_only_the_newest_exports_are_kept(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.controller)
    made = [start(client, django_capture_on_commit_callbacks) for _ in range(jobs.EXPORTS_KEPT + 2)]
    kept = list(WorkbookExport.objects.order_by("pk").values_list("pk", flat=True))
    assert kept == [j.pk for j in made[-jobs.EXPORTS_KEPT :]]
    oldest = made[0]
    assert client.get(f"/import/export/{oldest.pk}/").status_code == 404
    assert not oldest.file.storage.exists(oldest.file.name)


def test_another_user_cannot_see_or_download_an_export(
    world, bun_controller, client, django_capture_on_commit_callbacks
):
    client.force_login(world.controller)
    job = start(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    urls = [f"/import/export/{job.pk}/", f"/import/export/{job.pk}/arbetsbok.xlsx"]

    # Another controller: as if it did not exist, nothing about it in the answer.
    client.force_login(bun_controller)
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 404, url
            text = response.content.decode()
            assert "Cecilia" not in text and "Klar" not in text and not text.startswith("PK")
    assert f"/import/export/{job.pk}/" not in client.get("/import/export/").content.decode()
    # A user who may not export at all is refused everything.
    client.force_login(world.editor)
    for url in [*urls, "/import/export/"]:
        assert client.get(url).status_code == 403
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 403
    assert client.post("/import/export/").status_code == 403
    # Signed out: to the login page.
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/logga-in/")
    assert WorkbookExport.objects.count() == 1


def test_a_failing_export_shows_a_swedish_message_not_an_error_page(
    world, client, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "export_workbook", broken)
    client.force_login(world.controller)
    job = start(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    response = client.get(f"/import/export/{job.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Misslyckades:" in text
    assert "Något gick fel när arbetet kördes. Försök igen; om felet kvarstår" in text
    assert f"uppge nummer {job.pk}" in text
    assert "disk full" not in text and "arbetsbok.xlsx" not in text
    assert client.get(f"/import/export/{job.pk}/arbetsbok.xlsx").status_code == 404


def test_export_reports_progress_per_sheet_and_rows(world, monkeypatch):
    from goals.workbook import export

    monkeypatch.setattr(export, "PROGRESS_ROWS", 2)
    calls = []

    def progress(done, total=None, label=None):
        calls.append((done, total, label))

    counts = export_workbook(io.BytesIO(), progress=progress)
    rows = sum(counts.values())
    labels = [label for _, _, label in calls if label]
    assert labels == [f"Skriver bladet {s.name}" for s in all_sheets()] + ["Sparar filen"]
    assert calls[0] == (0, rows, "Skriver bladet Mål")
    assert (2, None, None) in calls  # within a sheet, every PROGRESS_ROWS rows
    assert calls[-1] == (rows, rows, "Sparar filen")
    done = [d for d, _, _ in calls]
    assert done == sorted(done)


def test_old_links_lead_to_the_export_page(world, client):
    client.force_login(world.controller)
    periods = client.get("/perioder/").content.decode()
    assert 'href="/import/export/"' in periods
    assert 'href="/import/export/"' in client.get("/import/").content.decode()
    assert client.get("/import/arbetsbok.xlsx")["Location"] == "/import/export/"


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_export_is_queued_then_made_by_the_worker(client):
    """Production: the request only queues the export; db_worker makes it."""
    from tests.conftest import build_world

    w = build_world()
    client.force_login(w.controller)
    response = client.post("/import/export/")
    job = WorkbookExport.objects.get()
    assert response["Location"] == f"/import/export/{job.pk}/"
    assert job.status == JobStatus.QUEUED and job.task_id
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    data = download(client, job)
    assert all_rows(data) == all_rows(exported(user=w.controller))
    assert re.match(r"exports/\d{4}/\d{2}/ledmot-export-\d+", job.file.name)
