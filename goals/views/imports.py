"""The Excel import screen (upload → preview → confirm) and the full export, for
controllers.

Who: anyone who manages (controller or administrator) some org unit. What they
may change is checked row by row by the importer (only the units they manage);
the preview lists every row they may not touch as a problem, and nothing is
applied while there is any problem. An import is visible only to the user who
uploaded it (404 for anyone else).

The full export is a background job (:func:`goals.workbook.jobs.export_start`):
the export page starts it, its page shows the progress and then the download. An
export, its progress and its file are only for the user who asked for it.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from goals.forms import UploadForm
from goals.workbook.columns import all_sheets
from goals.workbook.export import export_workbook
from goals.workbook.jobs import export_start, import_confirm, import_start
from goals.workbook.models import ImportPhase, WorkbookExport, WorkbookImport
from goals.workbook.safety import UnsafeWorkbook, limit
from ledmot.access import Cap, access_for, refusal
from ledmot.lib.xlsx import XLSX
from ledmot.models import JobStatus

PREVIEW_ROWS = 500


def require_importer(request: HttpRequest) -> None:
    if not access_for(request.user).can_anywhere(Cap.MANAGE):
        raise refusal(Cap.MANAGE)


def get_import_for_user(request: HttpRequest, pk: int) -> WorkbookImport:
    require_importer(request)
    return get_object_or_404(WorkbookImport, pk=pk, created_by=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_start(upload=form.cleaned_data["file"], user=request.user)
        except UnsafeWorkbook as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("goals:import_detail", pk=job.pk)
    recent = WorkbookImport.objects.filter(created_by=request.user)[:10]
    return render(
        request,
        "goals/import_upload.html",
        {
            "form": form,
            "recent": recent,
            "sheets": all_sheets(),
            "max_rows": limit("LEDMOT_IMPORT_MAX_ROWS"),
            "max_mb": limit("LEDMOT_IMPORT_MAX_BYTES") // (1024 * 1024),
        },
    )


def _sheet_counts(job: WorkbookImport) -> list[dict]:
    counts = job.summary.get("counts", {})
    return [{"name": s.name, **counts[s.key]} for s in all_sheets() if s.key in counts]


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for_user(request, pk)
    if request.htmx and job.is_finished:
        return HttpResponseClientRefresh()  # show the preview or the outcome
    context = {
        "job": job,
        "poll_url": reverse("goals:import_detail", args=[job.pk]),
        "counts": _sheet_counts(job),
        "rows": job.summary.get("rows", [])[:PREVIEW_ROWS],
        "rows_total": job.summary.get("rows_total", 0),
        "problems": job.problems,
    }
    if request.htmx:
        return render(request, "partials/job_progress.html", context)
    return render(request, "goals/import_detail.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for_user(request, pk)
    if not import_confirm(job):
        messages.error(request, _("Importen kan inte genomföras. Inget har sparats."))
        return redirect("goals:import_detail", pk=job.pk)
    job.refresh_from_db()  # the page itself says when the import was applied
    if job.phase == ImportPhase.PREVIEW and job.stale:
        messages.error(
            request,
            _(
                "Uppgifterna har ändrats sedan förhandsgranskningen. Inget har sparats: "
                "granska den nya förhandsgranskningen."
            ),
        )
    return redirect("goals:import_detail", pk=job.pk)


@login_required
@require_GET
def workbook_download(request: HttpRequest) -> HttpResponse:
    """``?mall=1``: the empty template (headings only, made in the request). Without
    it, the export page: the full export is made in the background."""
    require_importer(request)
    if request.GET.get("mall") != "1":
        return redirect("goals:workbook_export")
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    export_workbook(tmp, user=request.user, empty=True)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename="ledmot-mall.xlsx", content_type=XLSX)


def get_export_for_user(request: HttpRequest, pk: int) -> WorkbookExport:
    """The user's own export; anyone else's is 404, as one that does not exist."""
    require_importer(request)
    return get_object_or_404(WorkbookExport, pk=pk, created_by=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def workbook_export(request: HttpRequest) -> HttpResponse:
    """GET: what the export holds and the user's recent exports; POST: start one (or
    show the one already on its way)."""
    require_importer(request)
    if request.method == "POST":
        job = export_start(user=request.user)
        return redirect("goals:workbook_export_detail", pk=job.pk)
    recent = WorkbookExport.objects.filter(created_by=request.user)[:5]
    return render(request, "goals/workbook_export.html", {"recent": recent, "sheets": all_sheets()})


@login_required
@require_GET
def workbook_export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_export_for_user(request, pk)
    context = {
        "job": job,
        "poll_url": reverse("goals:workbook_export_detail", args=[job.pk]),
        "result_url": reverse("goals:workbook_export_download", args=[job.pk]),
        "result_label": _("Ladda ner arbetsboken (%(rows)s rader)") % {"rows": job.rows},
        "counts": [
            {"name": s.name, "rows": job.counts[s.key]} for s in all_sheets() if s.key in job.counts
        ],
    }
    if request.htmx:
        return render(request, "partials/job_progress.html", context)
    return render(request, "goals/workbook_export_detail.html", context)


@login_required
@require_GET
def workbook_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_export_for_user(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    stamp = timezone.localdate(job.created_at).isoformat()
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"ledmot-export-{stamp}.xlsx",
        content_type=XLSX,
    )
