"""Making a report PDF for a follow-up round, in the request, a worker or a command.

``generated_report_start`` records the request (who, what, when) and starts the
background task; ``generated_report_render`` does the work with progress; the
command ``render_report`` calls it directly.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from followup.models import FollowUpRound, GeneratedReport
from followup.report_document import report_document, report_title
from ledmot.jobs import JobFailed, Progress, job_enqueue, job_load, job_run
from ledmot.lib.pdf import layout, render_html, write
from ledmot.models import OrgKind, OrgUnit

REPORT_ORG_KINDS = (OrgKind.COMMITTEE, OrgKind.COMPANY)


def report_orgs():
    """The organisations a report can be made for: committees and companies."""
    return OrgUnit.objects.filter(kind__in=REPORT_ORG_KINDS, active=True).order_by("order", "name")


@transaction.atomic
def generated_report_start(
    *, rnd: FollowUpRound, org: OrgUnit | None, pdfa: bool, user, units_in_full: bool = False
) -> GeneratedReport:
    job = GeneratedReport.objects.create(
        round=rnd,
        org_unit=org,
        pdfa=pdfa,
        units_in_full=units_in_full and org is not None,
        title=report_title(rnd, org),
        created_by=user,
    )
    job_enqueue(generate_report, job)
    return job


@task()
def generate_report(job_id: int) -> None:
    job = job_load(GeneratedReport, job_id)
    if job is not None:
        with translation.override("sv"):
            generated_report_render(job)


def generated_report_render(job: GeneratedReport) -> bool:
    return job_run(job, lambda progress: _render(job, progress))


def _render(job: GeneratedReport, progress: Progress) -> None:
    steps = 4
    progress(0, steps, _("Hämtar uppgifterna"))
    doc = report_document(job.round, job.org_unit, units_in_full=job.units_in_full)
    if not doc.sections:
        raise JobFailed(_("Det finns inga mål att rapportera för perioden."))
    progress(1, steps, _("Bygger rapporten"))
    who = job.created_by.get_full_name() or job.created_by.get_username() if job.created_by else ""
    html = render_html(
        "followup/report_pdf.html",
        {
            "doc": doc,
            "municipality": doc.municipality,
            "generated_at": doc.generated_at,
            "generated_by": who,
        },
    )
    progress(2, steps, _("Sätter sidorna"))
    document = layout(html, images=doc.images)
    progress(3, steps, _("Skriver PDF-filen"))
    data = write(document, pdfa=job.pdfa)
    name = slugify(f"{job.title}-{job.pk}") + ("-pdfa" if job.pdfa else "") + ".pdf"
    job.file.save(name, ContentFile(data), save=False)
    job.pages = len(document.pages)
    job.size = len(data)
    job.sha256 = hashlib.sha256(data).hexdigest()
    GeneratedReport.objects.filter(pk=job.pk).update(
        file=job.file.name, pages=job.pages, size=job.size, sha256=job.sha256
    )
    progress(steps, steps, _("Klar"))
