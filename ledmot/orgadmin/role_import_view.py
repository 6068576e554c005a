"""The screen of the bulk roles import: upload, preview, confirm
(see :mod:`ledmot.orgadmin.role_import`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ledmot.lib.forms import Form
from ledmot.lib.workbook_safety import UnsafeWorkbook
from ledmot.orgadmin import role_import
from ledmot.orgadmin.access import require_admin
from ledmot.services import roles_apply

SALT = "ledmot.orgadmin.role-import"
MAX_AGE = 60 * 60  # a preview may be confirmed within an hour


class UploadForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Excel-fil (.xlsx)"),
        help_text=gettext_lazy(
            "Första bladet, med rubrikerna Användarnamn, Enhetens kod, Roll och (om du vill) "
            "Åtgärd: ge eller ta bort. En roll per rad."
        ),
    )


def _page(request, **context):
    return render(request, "orgadmin/role_import.html", {"form": UploadForm(), **context})


@login_required
@require_http_methods(["GET", "POST"])
def role_import_view(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    if request.method == "GET":
        return _page(request)
    if "data" in request.POST:
        try:
            rows = role_import.from_data(
                signing.loads(request.POST["data"], salt=SALT, max_age=MAX_AGE)
            )
        except (signing.BadSignature, ValueError, TypeError):
            messages.error(request, _("Förhandsgranskningen är för gammal. Ladda upp filen igen."))
            return redirect("orgadmin:role_import")
        changes, problems = role_import.plan(rows, user=request.user)
        if problems:
            return _page(request, changes=changes, problems=problems)
        try:
            done = roles_apply(changes=changes, user=request.user)
        except PermissionDenied as exc:  # changed since the preview: nothing was applied
            return _page(request, changes=changes, problems=[role_import.Problem(0, "", str(exc))])
        messages.success(request, _("%(n)d roller är ändrade.") % {"n": done})
        return redirect("orgadmin:person_list")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form)
    upload = form.cleaned_data["file"]
    try:
        rows, problems = role_import.read_sheet(upload.name, upload, size=upload.size)
    except UnsafeWorkbook as exc:
        form.add_error("file", str(exc))
        return _page(request, form=form)
    changes = []
    if not problems:
        changes, problems = role_import.plan(rows, user=request.user)
    data = signing.dumps(role_import.as_data(rows), salt=SALT, compress=True)
    return _page(request, changes=changes, problems=problems, data=data, previewed=True)
