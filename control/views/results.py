"""A control's result in its owner's report (the report page shows the form)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from control.extensions import report_controls
from control.forms import ControlResultForm
from control.models import ControlResult
from control.services import control_result_save
from followup.access import get_report_for_edit
from followup.views.report import refuse_locked
from ledmot.services import ConflictError, LockedError


@login_required
@require_POST
@refuse_locked
def result_edit(request: HttpRequest, pk: int, control_pk: int) -> HttpResponse:
    """Save one control's result; the first save makes it."""
    report = get_report_for_edit(request, pk)
    control = get_object_or_404(report_controls(report), pk=control_pk)
    result = ControlResult.objects.filter(report=report, control=control).first()
    if result is None:
        result = ControlResult(report=report, control=control)
    form = ControlResultForm(request.POST, instance=result, control_pk=control.pk)
    if form.is_valid():
        try:
            control_result_save(
                result=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError:
            messages.error(request, _("Resultatet har ändrats av någon annan. Läs det igen."))
        except LockedError as exc:
            messages.error(request, " ".join(exc.messages))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Kontrollens resultat är sparat."))
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(
            request,
            _("Resultatet är inte sparat: %(errors)s") % {"errors": " ".join(errors)},
        )
    url = reverse("followup:report_detail", args=[report.pk])
    return redirect(f"{url}#kontroll-{control.pk}")
