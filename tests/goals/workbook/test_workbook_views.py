"""The import screen: who may use it, preview applies nothing, confirm applies, background."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from goals.models import Goal, Measurement, WorkbookImport
from goals.workbook.models import ImportPhase
from ledmot.models import JobStatus

from .helpers import BILLION_LAUGHS, edit, exported, find_row, with_member, xlsx, zip_bomb

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, data: bytes, name: str = "mal.xlsx"):
    return client.post("/import/", {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def login(client, user):
    client.force_login(user)
    return client


def new_goal_file(title="Importerat mål") -> bytes:
    return xlsx(
        {"Mål": [[None, "KF", None, "KF", title, "", "Medborgare", "2023-2026", "Förslag"]]}
    )


def test_anonymous_is_sent_to_login(world, client):
    assert client.get("/import/").status_code == 302
    response = upload(client, new_goal_file())
    assert response.status_code == 302
    assert not WorkbookImport.objects.exists()


@pytest.mark.parametrize("persona", ["editor", "reader", "other_editor"])
def test_users_without_manage_are_refused(world, client, persona):
    login(client, getattr(world, persona))
    assert client.get("/import/").status_code == 403
    assert client.get("/import/arbetsbok.xlsx").status_code == 403
    assert upload(client, new_goal_file()).status_code == 403
    assert not WorkbookImport.objects.exists()
    assert not Goal.objects.filter(title="Importerat mål").exists()


def test_upload_page_explains_the_layout(world, client):
    login(client, world.controller)
    response = client.get("/import/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'for="id_file"' in text
    assert "Indikator-id, Period, Kön, Värde, Kommentar" in text
    assert "style=" not in text


def test_preview_applies_nothing_and_confirm_applies(world, client):
    login(client, world.controller)
    response = upload(client, new_goal_file())
    job = WorkbookImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/import/{job.pk}/"
    assert not Goal.objects.filter(title="Importerat mål").exists()
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "Importerat mål" in page
    assert "Genomför import" in page
    assert client.get(f"/import/{job.pk}/genomfor/").status_code == 405
    response = client.post(f"/import/{job.pk}/genomfor/")
    assert response.status_code == 302
    goal = Goal.objects.get(title="Importerat mål")
    assert goal.history.get().history_user == world.controller
    job.refresh_from_db()
    assert job.phase == ImportPhase.APPLIED
    # A second confirm does nothing.
    client.post(f"/import/{job.pk}/genomfor/")
    assert Goal.objects.filter(title="Importerat mål").count() == 1


def test_problems_are_listed_and_cannot_be_confirmed(world, client):
    login(client, world.controller)
    data = xlsx({"Utfall": [[world.indicator.pk, "2024", "T", "tolv", None]]})
    upload(client, data)
    job = WorkbookImport.objects.get()
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "Skriv ett tal, t.ex. 12,5 eller 1 234." in page
    assert '<th scope="col">Meddelande</th>' in page
    assert "Genomför import" not in page
    client.post(f"/import/{job.pk}/genomfor/")
    assert not Measurement.objects.exists()


def test_database_changed_since_preview_shows_new_preview(world, client):
    login(client, world.controller)
    data = exported()
    row = find_row(data, "Mål", "Id", world.unit_goal.pk)
    upload(client, edit(data, "Mål", row, "Titel", "Från filen"))
    job = WorkbookImport.objects.get()
    world.unit_goal.title = "Ändrat av någon annan"
    world.unit_goal.save()
    response = client.post(f"/import/{job.pk}/genomfor/", follow=True)
    assert "har ändrats sedan förhandsgranskningen" in response.content.decode()
    world.unit_goal.refresh_from_db()
    assert world.unit_goal.title == "Ändrat av någon annan"
    job.refresh_from_db()
    assert (job.phase, job.stale) == (ImportPhase.PREVIEW, True)


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("bomb.xlsx", "bomb", "hårt packad"),
        ("lol.xlsx", "entity", "DOCTYPE/ENTITY"),
        ("data.csv", "csv", "Bara Excel-filer"),
    ],
)
def test_bad_files_are_refused_with_a_message(world, client, name, data, message):
    files = {
        "bomb": zip_bomb,
        "entity": lambda: with_member(
            xlsx({"Mål": []}), "xl/worksheets/sheet1.xml", BILLION_LAUGHS
        ),
        "csv": lambda: b"a;b\n",
    }
    login(client, world.controller)
    response = upload(client, files[data](), name)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert 'aria-invalid="true"' in text
    assert not WorkbookImport.objects.exists()


def test_an_import_is_only_for_its_uploader(world, client):
    login(client, world.controller)
    upload(client, new_goal_file())
    job = WorkbookImport.objects.get()
    other = type(world.controller).objects.create(username="ctl2")
    from ledmot.models import Role
    from tests.factories import grant

    grant(other, world.kf, Role.CONTROLLER)
    login(client, other)
    assert client.get(f"/import/{job.pk}/").status_code == 404
    assert client.post(f"/import/{job.pk}/genomfor/").status_code == 404
    assert not Goal.objects.filter(title="Importerat mål").exists()


@override_settings(LEDMOT_IMPORT_BACKGROUND_ROWS=1)
def test_large_uploads_run_as_background_task(world, client, django_capture_on_commit_callbacks):
    login(client, world.controller)
    rows = [[world.indicator.pk, str(2010 + n), "T", n, None] for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, xlsx({"Utfall": rows}))
    assert len(callbacks) == 1  # enqueued, run by the (immediate) task backend
    job = WorkbookImport.objects.get()
    assert (job.phase, job.status) == (ImportPhase.PREVIEW, JobStatus.DONE)
    assert job.task_id
    assert client.get(f"/import/{job.pk}/", headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/import/{job.pk}/genomfor/")
    assert Measurement.objects.filter(indicator=world.indicator).count() == 5
    job.refresh_from_db()
    assert job.phase == ImportPhase.APPLIED


def test_progress_is_shown_while_the_job_runs(world, client):
    login(client, world.controller)
    job = WorkbookImport.objects.create(
        original_name="stor.xlsx",
        created_by=world.controller,
        status=JobStatus.RUNNING,
        progress_done=10,
        progress_total=40,
    )
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "10 av 40" in page
    assert f'hx-get="/import/{job.pk}/"' in page
    fragment = client.get(f"/import/{job.pk}/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()


def test_download_template_and_the_old_export_address(world, client):
    login(client, world.controller)
    response = client.get("/import/arbetsbok.xlsx?mall=1")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "ledmot-mall.xlsx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"
    # The full export is a background job now: the old address leads to its page.
    response = client.get("/import/arbetsbok.xlsx")
    assert response.status_code == 302
    assert response["Location"] == "/import/export/"


@pytest.mark.parametrize("existing", [True, False], ids=["changed value", "first value"])
def test_a_value_saved_between_the_check_and_the_write_is_not_overwritten(
    world, client, monkeypatch, existing
):
    """The fingerprint check passes, then someone saves the same value before the
    import writes it: the import refuses (nothing saved) instead of overwriting it."""
    from decimal import Decimal

    from goals.services import ValueInput, measurements_save
    from goals.workbook import jobs

    if existing:
        measurements_save(
            values=[ValueInput(world.indicator, "2024", Decimal("60"))], user=world.editor
        )
    login(client, world.controller)
    upload(client, xlsx({"Utfall": [[world.indicator.pk, "2024", "T", "61", "Från filen"]]}))
    job = WorkbookImport.objects.get()
    real_apply = jobs.apply_plan

    def someone_saves_first(plan, **kwargs):
        measurements_save(
            values=[ValueInput(world.indicator, "2024", Decimal("62"), comment="Rättat")],
            user=world.editor,
        )
        return real_apply(plan, **kwargs)

    monkeypatch.setattr(jobs, "apply_plan", someone_saves_first)
    response = client.post(f"/import/{job.pk}/genomfor/", follow=True)
    assert "Något ändrades medan importen sparades. Inget har sparats" in (
        response.content.decode()
    )
    m = Measurement.objects.get(indicator=world.indicator, period="2024", gender="T")
    assert (m.value, m.comment, m.entered_by) == (Decimal("62"), "Rättat", world.editor)
    assert m.history.count() == (2 if existing else 1)
    job.refresh_from_db()
    assert job.phase != ImportPhase.APPLIED
