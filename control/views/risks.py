"""The risk register: the matrix and the table of the risks in a scope (a unit with
what lies under it, a committee, or the whole municipality) for a year, its Excel
export, and writing a risk (for the unit's editors, until the analysis is adopted)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from control.access import (
    can_edit,
    can_view,
    get_risk_for_edit,
    get_risk_for_view,
    risk_units,
    visible_analyses,
    visible_risks,
)
from control.exports import register_xlsx
from control.forms import RiskForm
from control.matrix import matrix_svg, numbered
from control.models import Risk
from control.registers import risk_register
from control.rules import analysis_lock_message
from control.services import analysis_for, risk_delete, risk_save
from ledmot.conflicts import conflict_context
from ledmot.history import history_entries
from ledmot.lib.forms import add_validation_error, posted_version
from ledmot.models import OrgUnit
from ledmot.services import ConflictError


def _year(request) -> int:
    raw = request.GET.get("ar", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def register_context(risks, title: str) -> dict:
    """The matrix and the table of ``risks`` (the same numbered rows)."""
    rows = numbered(risk_register(risks))
    return {"rows": rows, "matrix": matrix_svg(rows, title), "matrix_title": title}


@login_required
@require_GET
def risk_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    unit = None
    risks = visible_risks(request.user).filter(analysis__year=year)
    if (raw := request.GET.get("enhet", "")).isdigit():
        unit = get_object_or_404(OrgUnit, pk=int(raw))
        risks = risks.filter(unit__path__startswith=unit.path)
    scope = unit.name if unit else _("Hela kommunen")
    title = _("Riskmatris %(year)s – %(scope)s") % {"year": year, "scope": scope}
    context = register_context(risks, title)
    if request.GET.get("export") == "xlsx":
        return register_xlsx(f"riskregister-{year}.xlsx", context["rows"])
    analyses = visible_analyses(request.user).filter(year=year).select_related("committee")
    if unit is not None:
        analyses = analyses.filter(committee__path__in=_committee_paths(unit))
    years = sorted(
        set(visible_analyses(request.user).values_list("year", flat=True)) | {year}, reverse=True
    )
    context.update(
        year=year,
        years=years,
        unit=unit,
        analyses=analyses.order_by("committee__path"),
        units=OrgUnit.objects.filter(kind__in=["namnd", "bolag"], active=True).order_by("path"),
        can_create=risk_units(request.user).exists(),
        export_query=request.GET.urlencode(),
    )
    return render(request, "control/risk_list.html", context)


def _committee_paths(unit: OrgUnit) -> list[str]:
    """The paths of ``unit`` and the units above it (its committee among them)."""
    codes = unit.ancestor_codes()
    return ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


@login_required
@require_GET
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_view(request, pk)
    tab = "history" if request.GET.get("flik") == "historik" else "overview"
    context = {
        "risk": risk,
        "tab": tab,
        "entries": history_entries(risk) if tab == "history" else [],
        "goals": risk.goals.select_related("owner").order_by("level", "title"),
        "controls": risk.controls.order_by("title"),
        "can_edit": can_edit(request.user, risk.unit) and not risk.analysis.is_adopted,
        "locked": analysis_lock_message(risk.analysis),
        "can_view_analysis": can_view(request.user, risk.analysis.committee),
    }
    return render(request, "control/risk_detail.html", context)


def _write(request, form, risk=None):
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if risk is None:
                unit = form.cleaned_data["unit"]
                committee = unit.committee()
                if committee is None:
                    raise ValidationError({"unit": [_("Enheten hör inte till någon nämnd.")]})
                form.instance.analysis = analysis_for(
                    committee=committee, year=form.cleaned_data["year"], user=request.user
                )
            saved = risk_save(
                risk=form.instance,
                goals=form.cleaned_data["goals"],
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc.current)
            status = 409
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Risken är sparad."))
            return redirect("control:risk_detail", pk=saved.pk)
    return render(
        request,
        "control/risk_form.html",
        {"form": form, "risk": risk, "conflict": conflict},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request: HttpRequest) -> HttpResponse:
    units = risk_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Du kan inte skriva risker: det gör den som ändrar för enheten."))
    initial = {}
    if (raw := request.GET.get("enhet", "")).isdigit():
        initial["unit"] = int(raw)
    form = RiskForm(request.POST or None, units=units, initial=initial)
    return _write(request, form)


def _require_open(risk: Risk) -> None:
    if message := analysis_lock_message(risk.analysis):
        raise PermissionDenied(message)


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_edit(request, pk)
    _require_open(risk)
    units = risk_units(request.user).filter(path__startswith=risk.analysis.committee.path)
    form = RiskForm(request.POST or None, instance=risk, units=units)
    return _write(request, form, risk)


@login_required
@require_POST
def risk_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_edit(request, pk)
    _require_open(risk)
    try:
        risk_delete(risk=risk, user=request.user, expected_version=posted_version(request.POST))
    except ConflictError:
        messages.error(request, _("Risken har ändrats av någon annan. Läs den igen."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Risken är borttagen."))
        return redirect("control:analysis_detail", pk=risk.analysis_id)
    return redirect("control:risk_detail", pk=risk.pk)
