"""Report PDFs of a follow-up round: make one (a background job), follow its
progress, download it. Making one needs the controller's rights (manage) for the
committee, or for the council for the whole municipality; reading one needs the
right to view that organisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from followup.access import get_generated_report, get_round, report_targets
from followup.forms import ReportPdfForm
from followup.report_pdf import generated_report_start
from ledmot.access import Cap, refusal
from ledmot.models import JobStatus


@login_required
@require_POST
def report_pdf_create(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round(request, pk)
    targets = report_targets(request.user, Cap.MANAGE)
    if not targets:
        raise refusal(Cap.MANAGE)
    form = ReportPdfForm(request.POST, orgs=targets)
    if not form.is_valid():
        messages.error(
            request,
            _("Välj en rapport som du får ta fram: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
        return redirect("followup:round_dashboard", pk=rnd.pk)
    job = generated_report_start(
        rnd=rnd,
        org=form.cleaned_data["org"],
        pdfa=form.cleaned_data["pdfa"],
        units_in_full=form.cleaned_data["units_in_full"],
        user=request.user,
    )
    return redirect("followup:report_pdf_detail", pk=rnd.pk, job_pk=job.pk)


@login_required
@require_GET
def report_pdf_detail(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    job = get_generated_report(request, pk, job_pk)
    context = {
        "round": job.round,
        "job": job,
        "poll_url": reverse("followup:report_pdf_detail", args=[pk, job.pk]),
        "result_url": reverse("followup:report_pdf_download", args=[pk, job.pk]),
        "result_label": _("Ladda ner PDF (%(pages)s sidor)") % {"pages": job.pages or "?"},
    }
    if request.htmx:
        return render(request, "partials/job_progress.html", context)
    return render(request, "followup/report_pdf_detail.html", context)


@login_required
@require_GET
def report_pdf_download(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    job = get_generated_report(request, pk, job_pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
