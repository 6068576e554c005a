"""A committee's risk analysis of a year: its matrix and risks, adopting it by decision,
starting next year's from it, and its internal control plan (the controls, their
results in the rounds and the deviations), with the Excel export of both."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from control.access import (
    can_adopt,
    can_edit,
    get_analysis_for_adopt,
    get_analysis_for_edit,
    get_analysis_for_view,
    get_control_for_edit,
    risk_units,
)
from control.exports import register_xlsx
from control.forms import AdoptForm, ControlForm
from control.registers import deviations, plan_rows
from control.rules import next_year_refusal
from control.services import analysis_adopt, analysis_start_next, control_save
from control.views.risks import register_context
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.lib.forms import posted_version
from ledmot.services import ConflictError


@login_required
@require_GET
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = get_analysis_for_view(request, pk)
    title = _("Riskmatris %(year)s – %(scope)s") % {
        "year": analysis.year,
        "scope": analysis.committee.name,
    }
    context = register_context(analysis.risks.all(), title)
    plan = plan_rows(analysis)
    if request.GET.get("export") == "xlsx":
        return register_xlsx(
            f"riskanalys-{analysis.committee.code}-{analysis.year}.xlsx", context["rows"], plan
        )
    editor = can_edit(request.user, analysis.committee)
    context.update(
        analysis=analysis,
        plan=plan,
        deviations=deviations(plan),
        can_adopt=can_adopt(request.user, analysis) and not analysis.is_adopted,
        adopt_form=AdoptForm(),
        can_plan=editor and analysis.is_adopted,
        can_start_next=editor and next_year_refusal(analysis) is None,
        following=analysis.successors.first(),
        can_write_risks=not analysis.is_adopted
        and risk_units(request.user).filter(path__startswith=analysis.committee.path).exists(),
    )
    return render(request, "control/analysis_detail.html", context)


@login_required
@require_POST
def analysis_adopt_view(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = get_analysis_for_adopt(request, pk)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            analysis_adopt(
                analysis=analysis,
                decision_reference=form.cleaned_data["decision_reference"],
                adopted_on=form.cleaned_data["adopted_on"],
                user=request.user,
                expected_version=posted_version(request.POST),
            )
        except ConflictError:
            messages.error(request, _("Riskanalysen har ändrats av någon annan. Läs den igen."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Riskanalysen är antagen."))
    else:
        messages.error(request, _("Ange beslutet och beslutsdatum."))
    return redirect("control:analysis_detail", pk=analysis.pk)


@login_required
@require_POST
def analysis_next_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Start from last year: next year's analysis with this one's risks as drafts."""
    analysis = get_analysis_for_edit(request, pk)
    try:
        following = analysis_start_next(analysis=analysis, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("control:analysis_detail", pk=analysis.pk)
    messages.success(
        request,
        _("Riskanalysen för %(year)s är påbörjad med årets risker.") % {"year": following.year},
    )
    return redirect("control:analysis_detail", pk=following.pk)


def _control_write(request, analysis, form, control=None):
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: control_save(
                control=form.instance,
                round_kinds=form.cleaned_data["round_kinds"],
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Kontrollen är sparad."))
            return redirect("control:analysis_detail", pk=analysis.pk)
    return render(
        request,
        "control/control_form.html",
        {"form": form, "analysis": analysis, "control": control, "conflict": outcome.conflict},
        status=outcome.status,
    )


def _require_adopted(analysis) -> None:
    if not analysis.is_adopted:
        raise PermissionDenied(
            _("Kontrollerna väljs ur en antagen riskanalys: anta riskanalysen först.")
        )


@login_required
@require_http_methods(["GET", "POST"])
def control_create(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = get_analysis_for_edit(request, pk)
    _require_adopted(analysis)
    initial = {}
    if (raw := request.GET.get("risk", "")).isdigit():
        initial["risk"] = int(raw)
    form = ControlForm(request.POST or None, analysis=analysis, initial=initial)
    return _control_write(request, analysis, form)


@login_required
@require_http_methods(["GET", "POST"])
def control_edit(request: HttpRequest, pk: int, control_pk: int) -> HttpResponse:
    analysis = get_analysis_for_edit(request, pk)
    control = get_control_for_edit(request, analysis, control_pk)
    form = ControlForm(request.POST or None, instance=control, analysis=analysis)
    return _control_write(request, analysis, form, control)
