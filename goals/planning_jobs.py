"""Creating the next year's plan as a background job, like the report PDFs.

``year_plan_job_start`` records the request and starts the task (a second click while
one is queued or running gets that one); ``year_plan_job_run`` does the work
(``goals.services.year_plan_create``, one transaction) with progress. A refusal of the
service (the plan already adopted, no period to plan from) is shown to the user as
its own Swedish message; creating twice creates nothing twice (the service skips what
already has a successor).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from goals.models import YearPlan, YearPlanJob
from ledmot.jobs import JobFailed, Progress, job_enqueue, job_load, job_run
from ledmot.models import JobStatus

# After this long an unfinished job is taken as lost (a worker that died) and a new
# one may start.
REUSE_UNFINISHED = timedelta(minutes=30)


@transaction.atomic
def year_plan_job_start(*, year: int, user) -> YearPlanJob:
    """Start creating the plan of ``year``, or return the job already on its way. The
    year's plan row is locked meanwhile, so two clicks at once start one job."""
    YearPlan.objects.select_for_update().get_or_create(year=year, defaults={"created_by": user})
    unfinished = YearPlanJob.objects.filter(
        year=year,
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        created_at__gte=timezone.now() - REUSE_UNFINISHED,
    ).first()
    if unfinished is not None:
        return unfinished
    job = YearPlanJob.objects.create(year=year, created_by=user, progress_total=2)
    job_enqueue(create_year_plan, job)
    return job


@task()
def create_year_plan(job_id: int) -> None:
    job = job_load(YearPlanJob, job_id)
    if job is not None:
        with translation.override("sv"):
            year_plan_job_run(job)


def year_plan_job_run(job: YearPlanJob) -> bool:
    """Create the plan of the job's year as its user, with progress. True when done."""
    return job_run(job, lambda progress: _create(job, progress))


def _create(job: YearPlanJob, progress: Progress) -> None:
    from goals.services import year_plan_create

    # The plan is created in one transaction, so its inner steps would be seen by
    # nobody until it commits: the page shows this step, then the result.
    progress(1, 2, _("Skapar målen, indikatorernas målvärden och aktiviteterna"))
    try:
        done = year_plan_create(year=job.year, user=job.created_by)
    except ValidationError as exc:  # LockedError too: the service's own message
        raise JobFailed(" ".join(exc.messages)) from exc
    job.counts = {
        "goals": done.goals,
        "targets": done.targets,
        "activities": done.activities,
        "links": done.links,
    }
    YearPlanJob.objects.filter(pk=job.pk).update(counts=job.counts)


def job_summary(job: YearPlanJob) -> str:
    """What a finished job created, for the page."""
    c = job.counts
    return _(
        "Planen för %(year)s är skapad som utkast: %(goals)s nya mål, "
        "%(targets)s målvärden och %(activities)s aktiviteter."
    ) % {
        "year": job.year,
        "goals": c.get("goals", 0),
        "targets": c.get("targets", 0),
        "activities": c.get("activities", 0),
    }
