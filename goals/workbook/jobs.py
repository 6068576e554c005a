"""The workbook's jobs: the import (an upload is previewed, then, when confirmed,
applied) and the full export.

Small uploads are previewed and applied in the request; larger ones (more rows
than ``LEDMOT_IMPORT_BACKGROUND_ROWS``) by the background task
:func:`workbook_import_task`, while the page shows the progress
(:mod:`ledmot.jobs`). At confirmation the workbook is read and planned again:
only if the plan is exactly the one previewed is it applied, all in one
transaction; otherwise the new preview is shown and nothing is applied.

The full export always runs as the background task :func:`workbook_export_task`
(:func:`export_start`), like the report PDFs: at the size of a large municipality
it takes longer than a request should, and the page shows its progress per sheet.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from goals.workbook.export import export_workbook
from goals.workbook.importer import apply_plan, read_plan
from goals.workbook.models import ImportPhase, WorkbookExport, WorkbookImport
from goals.workbook.safety import UnsafeWorkbook, check_upload, estimate_rows, limit
from ledmot import clock
from ledmot.jobs import JobFailed, Progress, job_enqueue, job_load, job_run
from ledmot.models import JobStatus
from ledmot.services import ConflictError, LockedError


def is_large(job: WorkbookImport) -> bool:
    return job.row_count > limit("LEDMOT_IMPORT_BACKGROUND_ROWS")


def import_start(*, upload, user) -> WorkbookImport:
    """Check an uploaded file and start its preview. Raises :class:`UnsafeWorkbook`
    (nothing stored) for a file that is refused."""
    check_upload(upload.name, upload, size=upload.size)
    rows = estimate_rows(upload)
    job = WorkbookImport(
        original_name=upload.name[-255:],
        created_by=user,
        row_count=rows,
        progress_total=rows,
    )
    job.file.save("import.xlsx", upload, save=False)
    job.save()
    _run(job)
    return job


def import_confirm(job: WorkbookImport) -> bool:
    """Apply a previewed import (in the background when it is large). False when it
    cannot be confirmed (any more): problems, nothing to do, or confirmed already."""
    if not job.can_confirm:
        return False
    taken = WorkbookImport.objects.filter(
        pk=job.pk, phase=ImportPhase.PREVIEW, status=JobStatus.DONE
    ).update(phase=ImportPhase.APPLY, status=JobStatus.QUEUED, progress_done=0, error="")
    if not taken:  # a second click, or another tab, got there first
        return False
    job.phase, job.status, job.progress_done, job.error = (
        ImportPhase.APPLY,
        JobStatus.QUEUED,
        0,
        "",
    )
    _run(job)
    return True


def _run(job: WorkbookImport) -> None:
    if is_large(job):
        job_enqueue(workbook_import_task, job)
    else:
        import_work(job)


def import_work(job: WorkbookImport) -> bool:
    """Run the job's current phase."""
    if job.phase == ImportPhase.APPLY:
        return job_run(job, lambda progress: _apply(job, progress), every=500)
    return job_run(job, lambda progress: _preview(job, progress), every=1000)


def _read(job: WorkbookImport, progress: Progress, label: str):
    progress(0, job.row_count, label)
    try:
        with job.file.open("rb") as fh:
            return read_plan(fh, user=job.created_by, progress=progress)
    except UnsafeWorkbook as exc:
        raise JobFailed(str(exc)) from exc


def _preview(job: WorkbookImport, progress: Progress) -> None:
    plan = _read(job, progress, _("Läser och kontrollerar filen"))
    job.summary = plan.summary()
    job.row_count = plan.row_count
    job.save(update_fields=["summary", "row_count"])


def _apply(job: WorkbookImport, progress: Progress) -> None:
    plan = _read(job, progress, _("Kontrollerar filen igen"))
    if plan.fingerprint() != job.summary.get("fingerprint"):
        # The database (or the rights) changed since the preview: show the new one.
        job.summary = plan.summary()
        job.phase, job.stale = ImportPhase.PREVIEW, True
        job.save(update_fields=["summary", "phase", "stale"])
        return
    progress(0, job.summary.get("rows_total", 0), _("Sparar"))
    try:
        apply_plan(
            plan,
            user=job.created_by,
            reason=_("Import från Excel (%(name)s)") % {"name": job.original_name},
            progress=progress,
        )
    except ConflictError as exc:
        raise JobFailed(
            _("Något ändrades medan importen sparades. Inget har sparats; försök igen.")
        ) from exc
    except LockedError as exc:
        # A round closed between the check and the save: the service's own message.
        raise JobFailed(" ".join(exc.messages)) from exc
    job.phase, job.applied_at, job.stale = ImportPhase.APPLIED, clock.now(), False
    job.save(update_fields=["phase", "applied_at", "stale"])


@task()
def workbook_import_task(pk: int) -> None:
    job = job_load(WorkbookImport, pk)
    if job is not None:
        import_work(job)


# --- the full export ---------------------------------------------------------------------

# A second request while an export of the same user is queued or running shows that
# one instead of starting another (a double click, a second tab); after this long an
# unfinished one is taken as lost (a worker that died) and a new one is started.
EXPORT_REUSE_UNFINISHED = timedelta(minutes=30)
# A finished export is not reused: the data may have changed since, and a new one
# is what the user asked for. Only the user's newest few are kept.
EXPORTS_KEPT = 5


@transaction.atomic
def export_start(*, user) -> WorkbookExport:
    """Start the full export of what ``user`` manages, or return the one of theirs
    that is already on its way."""
    unfinished = WorkbookExport.objects.filter(
        created_by=user,
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        created_at__gte=timezone.now() - EXPORT_REUSE_UNFINISHED,
    ).first()
    if unfinished is not None:
        return unfinished
    finished = WorkbookExport.objects.filter(
        created_by=user, status__in=(JobStatus.DONE, JobStatus.FAILED)
    )
    for old in finished[EXPORTS_KEPT - 1 :]:
        old.file.delete(save=False)
        old.delete()
    job = WorkbookExport.objects.create(created_by=user)
    job_enqueue(workbook_export_task, job)
    return job


@task()
def workbook_export_task(job_id: int) -> None:
    job = job_load(WorkbookExport, job_id)
    if job is not None:
        with translation.override("sv"):
            export_work(job)


def export_work(job: WorkbookExport) -> bool:
    """Write the workbook of ``job`` (its owner's units; everything without an owner)
    into its file, with progress. True when it succeeded."""
    return job_run(job, lambda progress: _export(job, progress))


def _export(job: WorkbookExport, progress: Progress) -> None:
    with tempfile.TemporaryFile() as tmp:
        counts = export_workbook(tmp, user=job.created_by, progress=progress)
        tmp.seek(0)
        job.file.save(f"ledmot-export-{job.pk}.xlsx", File(tmp), save=False)
    job.counts = counts
    job.size = job.file.size
    WorkbookExport.objects.filter(pk=job.pk).update(
        file=job.file.name, counts=job.counts, size=job.size
    )
