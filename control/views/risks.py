"""The risk register: the matrix and the table of the risks in a scope (a unit with
what lies under it, a committee, or the whole municipality) for a year, its Excel
export, and writing a risk (for the unit's editors, until the analysis is adopted)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
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
from control.rules import analysis_lock_message, goal_owner_paths
from control.services import analysis_for, risk_delete, risk_save
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.history import history_entries
from ledmot.lib.forms import PICK, follow_pick, posted_version
from ledmot.models import OrgKind, OrgUnit
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
        analyses = analyses.filter(committee__path__in=goal_owner_paths(unit))
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
    outcome = NOT_SAVED
    if request.method == "POST" and PICK in request.POST:
        # the unit changed: its goals, nothing saved (htmx: only the goals' fieldset)
        form = form.repicked()
        if request.htmx:
            return render(request, "control/_risk_goals.html", {"form": form})
    elif request.method == "POST" and form.is_valid():

        def save():
            if risk is None:
                unit = form.cleaned_data["unit"]
                committee = unit.committee()
                if committee is None:
                    raise ValidationError({"unit": [_("Enheten hör inte till någon nämnd.")]})
                form.instance.analysis = analysis_for(
                    committee=committee, year=form.cleaned_data["year"], user=request.user
                )
            return risk_save(
                risk=form.instance,
                goals=form.cleaned_data["goals"],
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )

        outcome = save_form(form, save)
        if outcome.ok:
            messages.success(request, _("Risken är sparad."))
            return redirect("control:risk_detail", pk=outcome.saved.pk)
    follow_pick(form, path=request.path, target="risk-goals")
    return render(
        request,
        "control/risk_form.html",
        {"form": form, "risk": risk, "conflict": outcome.conflict, "pick": PICK},
        status=outcome.status,
    )


def _roots(units) -> list[tuple[int, str]]:
    """The highest of ``units`` (pk, name): one per separate part of the organisation
    the user writes for (for a controller, each committee and company), the committees
    first in their order, then the companies (in path order a company may come first)."""
    roots: list[tuple] = []
    for row in units.values_list("pk", "path", "name", "kind", "order"):
        if not roots or not row[1].startswith(roots[-1][1]):
            roots.append(row)
    kinds = {OrgKind.COMMITTEE: 0, OrgKind.COMPANY: 1}
    roots.sort(key=lambda r: (kinds.get(r[3], 2), r[4], r[2]))
    return [(pk, name) for pk, _path, name, _kind, _order in roots]


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request: HttpRequest) -> HttpResponse:
    """Ny risk: the unit comes first, as its goals are what the risk may threaten. One
    part of the organisation (or ``?enhet=``) leads straight to the unit's form; more
    (a controller) are offered as a choice that works without JavaScript. A POST here
    (the form as it was before the unit came first) is the unit's form."""
    units = risk_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Du kan inte skriva risker: det gör den som ändrar för enheten."))
    if request.method == "POST":
        raw = request.POST.get("unit", "")
        unit = units.filter(pk=int(raw)).first() if raw.isdigit() else None
        if unit is not None:
            return _create(request, units, unit)
    elif (raw := request.GET.get("enhet", "")).isdigit() and units.filter(pk=int(raw)).exists():
        return redirect("control:risk_create_unit", unit=int(raw))
    roots = _roots(units)
    if len(roots) == 1:
        return redirect("control:risk_create_unit", unit=roots[0][0])
    return render(request, "control/risk_unit_choice.html", {"roots": roots})


@login_required
@require_http_methods(["GET", "POST"])
def risk_create_unit(request: HttpRequest, unit: int) -> HttpResponse:
    """A new risk of ``unit``: the form offers its goals and those above it."""
    chosen = get_object_or_404(OrgUnit, pk=unit)
    if not can_view(request.user, chosen):
        raise Http404
    units = risk_units(request.user)
    if not units.filter(pk=chosen.pk).exists():
        raise PermissionDenied(
            _("Du kan inte skriva risker för %(unit)s: det gör den som ändrar för enheten.")
            % {"unit": chosen.name}
        )
    return _create(request, units, chosen)


def _create(request, units, unit: OrgUnit) -> HttpResponse:
    """The form of a new risk of ``unit``; the unit may change within its committee."""
    paths = goal_owner_paths(unit)
    within = units.filter(path__startswith=paths[1] if len(paths) > 1 else paths[0])
    form = RiskForm(request.POST or None, units=within, unit=unit)
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
    form = RiskForm(request.POST or None, instance=risk, units=units, unit=risk.unit)
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
