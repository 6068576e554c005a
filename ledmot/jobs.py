"""Running background jobs: status, progress and a readable failure.

A concrete job is a model that subclasses :class:`ledmot.models.BackgroundJob`. Its
app defines a django-tasks task that takes the job's primary key and calls
:func:`job_run` with the work to do; the view that starts it calls
:func:`job_enqueue`. With the immediate backend (development, tests, the demo) the
work runs inside ``job_enqueue``; with the database backend ``manage.py db_worker``
runs it, and the page polls the job's status (``templates/partials/job_progress.html``).

Progress is written with ``QuerySet.update`` on the job row only (jobs have no
history), outside any transaction of the work, so another process sees it at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledmot.models import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """Raised by the work with a message for the user (in Swedish)."""


class Progress:
    """Reports how far a job has come: ``progress(done, total, label)``.

    Writes at most once per ``every`` steps (and always on the last), so a job with
    100,000 steps does not make 100,000 updates.
    """

    def __init__(self, job: BackgroundJob, every: int = 1):
        self.job = job
        self.every = max(1, every)

    def __call__(self, done: int, total: int | None = None, label: str | None = None) -> None:
        job = self.job
        total = job.progress_total if total is None else total
        changed_label = label is not None and label != job.progress_label
        if not changed_label and done % self.every and done != total:
            return
        job.progress_done = done
        job.progress_total = total
        fields = {"progress_done": done, "progress_total": total}
        if label is not None:
            job.progress_label = label[:200]
            fields["progress_label"] = job.progress_label
        type(job).objects.filter(pk=job.pk).update(**fields)


def _set(job: BackgroundJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    type(job).objects.filter(pk=job.pk).update(**fields)


def job_run(job: BackgroundJob, work: Callable[[Progress], None], *, every: int = 1) -> bool:
    """Run ``work(progress)`` for ``job``, recording start, end and outcome.

    Returns True when the work succeeded. A :class:`JobFailed` message is shown to
    the user as it is; any other exception is logged with its traceback and the user
    sees a general message (never a blank page, never a stack trace).
    """
    if job.is_finished:
        return job.status == JobStatus.DONE
    _set(job, status=JobStatus.RUNNING, started_at=timezone.now(), error="")
    try:
        work(Progress(job, every=every))
    except JobFailed as exc:
        _set(job, status=JobStatus.FAILED, finished_at=timezone.now(), error=str(exc))
        return False
    except Exception:
        logger.exception("Background job %s %s failed", type(job).__name__, job.pk)
        _set(
            job,
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=_(
                "Något gick fel när arbetet kördes. Försök igen; om felet kvarstår, "
                "kontakta systemförvaltaren och uppge nummer %(pk)s."
            )
            % {"pk": job.pk},
        )
        return False
    _set(job, status=JobStatus.DONE, finished_at=timezone.now())
    return True


def job_enqueue(task, job: BackgroundJob) -> None:
    """Start ``task(job.pk)`` once the job row is committed.

    On commit, so a worker never looks for a job that is not yet visible; with the
    immediate backend the work runs here (or when the surrounding transaction ends).
    """

    def enqueue():
        result = task.enqueue(job.pk)
        if result.id and not job.task_id:
            # With the immediate backend the job has already run and been saved.
            type(job).objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
            job.task_id = str(result.id)[:64]

    transaction.on_commit(enqueue)


def job_load(model: type[BackgroundJob], pk: int) -> BackgroundJob | None:
    """The job for a task, or None when it was deleted before the worker got to it."""
    job = model.objects.filter(pk=pk).first()
    if job is None:
        logger.warning("Background job %s %s no longer exists", model.__name__, pk)
    return job
