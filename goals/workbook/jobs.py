"""The import as a job: an upload is previewed, then (when confirmed) applied.

Small uploads are previewed and applied in the request; larger ones (more rows
than ``LEDMOT_IMPORT_BACKGROUND_ROWS``) by the background task
:func:`workbook_import_task`, while the page shows the progress
(:mod:`ledmot.jobs`). At confirmation the workbook is read and planned again:
only if the plan is exactly the one previewed is it applied, all in one
transaction; otherwise the new preview is shown and nothing is applied.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from goals.workbook.importer import apply_plan, read_plan
from goals.workbook.models import ImportPhase, WorkbookImport
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
