"""Målstrukturanalys: how complete the goal structure is, per committee."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from goals.exports import structure_sheet
from goals.filters import pick_period
from goals.models import GoalLevel, MandatePeriod
from goals.structure import structure_rows
from ledmot.lib.xlsx import sheets_response


@login_required
@require_GET
def structure(request: HttpRequest) -> HttpResponse:
    user = request.user
    periods = list(MandatePeriod.objects.order_by("-start_year"))
    period = pick_period(periods, request.GET.get("period"))
    ordered = structure_rows(user, period)
    if request.GET.get("export") == "xlsx":
        name = f"malstrukturanalys-{period.start_year}.xlsx" if period else "malstrukturanalys.xlsx"
        return sheets_response(name, [structure_sheet(ordered)])
    return render(
        request,
        "goals/structure.html",
        {
            "period": period,
            "periods": periods,
            "rows": ordered,
            "levels": GoalLevel,
            "max_committee_goals": settings.LEDMOT_MAX_COMMITTEE_GOALS,
        },
    )
