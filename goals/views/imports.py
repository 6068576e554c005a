"""The Excel import screen: upload → preview → confirm, for controllers.

Who: anyone who manages (controller or administrator) some org unit. What they
may change is checked row by row by the importer (only the units they manage);
the preview lists every row they may not touch as a problem, and nothing is
applied while there is any problem. An import is visible only to the user who
uploaded it (404 for anyone else).
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from goals.forms import UploadForm
from goals.workbook.columns import SHEETS
from goals.workbook.export import export_workbook
from goals.workbook.jobs import import_confirm, import_start
from goals.workbook.models import ImportPhase, WorkbookImport
from goals.workbook.safety import UnsafeWorkbook, limit
from ledmot.access import Cap, access_for
from ledmot.lib.xlsx import XLSX

PREVIEW_ROWS = 500


def require_importer(request: HttpRequest) -> None:
    if not access_for(request.user).can_anywhere(Cap.MANAGE):
        raise PermissionDenied


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
            "sheets": SHEETS,
            "max_rows": limit("LEDMOT_IMPORT_MAX_ROWS"),
            "max_mb": limit("LEDMOT_IMPORT_MAX_BYTES") // (1024 * 1024),
        },
    )


def _sheet_counts(job: WorkbookImport) -> list[dict]:
    counts = job.summary.get("counts", {})
    return [{"name": s.name, **counts[s.key]} for s in SHEETS if s.key in counts]


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
    """The full export of the units the user manages, or (``?mall=1``) an empty template."""
    require_importer(request)
    empty = request.GET.get("mall") == "1"
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    export_workbook(tmp, user=request.user, empty=empty)
    tmp.seek(0)
    stamp = timezone.localdate().isoformat()
    name = "ledmot-mall.xlsx" if empty else f"ledmot-export-{stamp}.xlsx"
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX)
