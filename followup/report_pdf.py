"""Making a report PDF for a follow-up round, in the request, a worker or a command.

``generated_report_start`` records the request (who, what, when) and starts the
background task; ``generated_report_render`` does the work with progress; the
command ``render_report`` calls it directly.

A long report is laid out in parts (``ledmot.lib.pdf.write_in_parts``): the council
goals' chapters in parts of about :data:`PART_GOALS` goals, then the cover and
contents with the page each goal begins on, so that the municipality's report of a
thousand pages needs the memory of one part's layout, not of all of them (issue 12).
Likewise its data: the goals are read at once, their indicators, charts and
activities part by part (``attach_details``).
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
from followup.report_document import (
    attach_details,
    forget_details,
    report_document,
    report_title,
)
from ledmot.jobs import JobFailed, Progress, job_enqueue, job_load, job_run
from ledmot.lib.pdf import layout, render_html, write, write_in_parts
from ledmot.models import OrgKind, OrgUnit

REPORT_ORG_KINDS = (OrgKind.COMMITTEE, OrgKind.COMPANY)
TEMPLATE = "followup/report_pdf.html"
# Goals (council, committee and unit goal sections) laid out together at most, unless
# one chapter has more: a part's layout takes about 1.3 MB a goal (charts, tables).
# A report of one part (a committee's) is laid out at once, with nothing to join.
PART_GOALS = 100


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


def _groups(sections) -> list[list]:
    """The chapters in parts of about :data:`PART_GOALS` goals (a chapter is never
    split: it begins on a new page anyway)."""
    groups: list[list] = [[]]
    size = 0
    for section in sections:
        n = len(section.with_descendants())
        if groups[-1] and size + n > PART_GOALS:
            groups.append([])
            size = 0
        groups[-1].append(section)
        size += n
    return groups


def _render(job: GeneratedReport, progress: Progress) -> None:
    progress(0, 1, _("Hämtar uppgifterna"))
    # The indicators, charts and activities are fetched chapter by chapter.
    doc = report_document(job.round, job.org_unit, units_in_full=job.units_in_full, details=False)
    if not doc.sections:
        raise JobFailed(_("Det finns inga mål att rapportera för perioden."))
    groups = _groups(doc.sections)
    steps = len(groups) + 4  # fetch, build, the first pages, each part, write
    progress(1, steps, _("Bygger rapporten"))
    who = job.created_by.get_full_name() or job.created_by.get_username() if job.created_by else ""
    context = {
        "doc": doc,
        "municipality": doc.municipality,
        "generated_at": doc.generated_at,
        "generated_by": who,
    }
    if len(groups) == 1:  # one part: laid out at once, nothing to join
        attach_details(doc, doc.sections)
        progress(2, steps, _("Sätter sidorna"))
        document = layout(render_html(TEMPLATE, context), images=doc.images)
        progress(steps - 1, steps, _("Skriver PDF-filen"))
        data, pages = write(document, pdfa=job.pdfa), len(document.pages)
    else:
        data, pages = _write_parts(doc, groups, context, job.pdfa, progress, steps)
    name = slugify(f"{job.title}-{job.pk}") + ("-pdfa" if job.pdfa else "") + ".pdf"
    job.file.save(name, ContentFile(data), save=False)
    job.pages = pages
    job.size = len(data)
    job.sha256 = hashlib.sha256(data).hexdigest()
    GeneratedReport.objects.filter(pk=job.pk).update(
        file=job.file.name, pages=job.pages, size=job.size, sha256=job.sha256
    )
    progress(steps, steps, _("Klar"))


def _write_parts(doc, groups, context, pdfa, progress, steps) -> tuple[bytes, int]:
    context = {**context, "parts": True}

    def chapters():
        # The vision, summary, assignments and other chapters first, in a part of their
        # own: laid out once, not again with the contents until their page numbers hold.
        yield render_html(TEMPLATE, {**context, "preamble": True})
        for group in groups:
            attach_details(doc, group)
            yield render_html(TEMPLATE, {**context, "chapters": group})
            forget_details(doc, group)  # laid out: values and charts may go

    def front(page_of):
        doc.front_pages = {anchor: page_of(anchor) for anchor in doc.front_anchors}
        for s in doc.sections:
            s.page = page_of(s.anchor)
            for c in s.children:
                c.page = page_of(c.anchor)
        progress(steps - 1, steps, _("Skriver PDF-filen"))
        return render_html(TEMPLATE, {**context, "front": True})

    return write_in_parts(
        front,
        chapters(),
        images=doc.images,
        pdfa=pdfa,
        progress=lambda n: progress(1 + n, steps, _("Sätter sidorna")),
    )
