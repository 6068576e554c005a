"""A unit's (or committee's) verksamhetsplan for a year: the screen (with its Excel
export), the PDF, and the form for the texts the unit writes (nuläge, grunduppdrag)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from goals import exports
from goals.access import can_edit_unit, get_unit_for_view
from goals.forms import UnitPlanForm
from goals.models import MandatePeriod, UnitPlan
from goals.services import unit_plan_save
from goals.unit_plan import period_of, plan_of, plan_title, unit_plan
from ledmot.access import Cap, refusal
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.lib.pdf import render_pdf
from ledmot.lib.xlsx import sheets_response
from ledmot.models import OrgUnit


def _plan_period(year: int) -> MandatePeriod:
    period = period_of(year)
    if period is None:
        raise Http404(_("Det finns ingen mandatperiod som omfattar år %(year)s.") % {"year": year})
    return period


def _filename(unit: OrgUnit, year: int, title: str) -> str:
    return slugify(f"{title}-{unit.name}-{year}") or "verksamhetsplan"


@login_required
@require_GET
def unit_plan_view(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = get_unit_for_view(request, pk)
    period = _plan_period(year)
    plan = unit_plan(unit, year, request.user, period)
    if request.GET.get("export") == "xlsx":
        return sheets_response(
            _filename(unit, year, plan["title"]) + ".xlsx",
            exports.unit_plan_sheets(plan, timezone.localdate()),
        )
    context = {
        **plan,
        "years": range(period.start_year, period.end_year + 1),
        "can_edit": can_edit_unit(request.user, unit),
    }
    return render(request, "goals/unit_plan.html", context)


@login_required
@require_GET
def unit_plan_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The plan as PDF through the app's renderer (nothing fetched but the app's own
    static files). One unit's plan for one year is small, so it is made in the request
    like the priority fact sheets, not as a background job."""
    unit = get_unit_for_view(request, pk)
    plan = unit_plan(unit, year, request.user, _plan_period(year))
    user = request.user
    context = {
        **plan,
        "municipality": settings.LEDMOT_MUNICIPALITY_NAME,
        "generated_at": timezone.localtime(),
        "generated_by": user.get_full_name() or user.get_username(),
    }
    pdf = render_pdf("goals/unit_plan_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{_filename(unit, year, plan["title"])}.pdf"'
    )
    return response


@login_required
def unit_plan_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = get_unit_for_view(request, pk)
    if not can_edit_unit(request.user, unit):
        raise refusal(Cap.EDIT, unit)
    period = _plan_period(year)
    plan = plan_of(unit, year)
    if plan is None or (request.method == "POST" and not request.POST.get("version")):
        # No version posted: the page was loaded before the year's plan was written; if
        # it has been written since, unit_plan_save reports it as a conflict.
        plan = UnitPlan(unit=unit, year=year)
    form = UnitPlanForm(request.POST or None, instance=plan)
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: unit_plan_save(
                plan=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if outcome.ok:
            messages.success(
                request, _("Verksamhetsplanen för %(year)s är sparad.") % {"year": year}
            )
            return redirect("goals:unit_plan", pk=unit.pk, year=year)
    context = {
        "unit": unit,
        "year": year,
        "period": period,
        "form": form,
        "conflict": outcome.conflict,
        "title": plan_title(unit),
    }
    return render(request, "goals/unit_plan_form.html", context, status=outcome.status)
