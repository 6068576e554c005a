"""Målstrukturanalys: how complete the goal structure is, per committee.

The page shows the figures per committee; a figure links to the goals (or
indicators) behind it for that committee, 50 per page, on the same page with plain
query parameters (``org``, ``brist``, ``sida``), so it works without JavaScript.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from goals.exports import structure_sheet
from goals.filters import pick_period
from goals.models import GoalLevel, MandatePeriod
from goals.structure import (
    CHECKS,
    GOAL_CHECKS,
    SMART_CHECKS,
    STALE,
    row_unit,
    stale_indicators,
    structure_rows,
    weak_goals,
)
from goals.views.lists import PAGE_SIZE
from ledmot.lib.xlsx import sheets_response


def _drill_down(request: HttpRequest, period: MandatePeriod) -> dict | None:
    """The list behind one figure, or None when none is asked for. The goals are
    those the user may read (the same filter as the figures)."""
    code, check = request.GET.get("org"), request.GET.get("brist")
    if not code and not check:
        return None
    unit = row_unit(code)
    if unit is None or check not in CHECKS:
        raise Http404
    # The stale column lists indicators, the others goals.
    user = request.user
    qs = stale_indicators(unit) if check == STALE else weak_goals(user, period, unit, check)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = urlencode({"period": period.start_year, "org": unit.code, "brist": check})
    return {
        "unit": unit,
        "check": check,
        "label": CHECKS[check],
        "indicators": check == STALE,
        "page": page,
        "filter_query": query,
    }


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
    drill = _drill_down(request, period) if period else None
    return render(
        request,
        "goals/structure.html",
        {
            "period": period,
            "periods": periods,
            "rows": ordered,
            "goal_checks": list(GOAL_CHECKS),
            "smart_checks": SMART_CHECKS.items(),
            "drill": drill,
            "levels": GoalLevel,
            "max_committee_goals": settings.LEDMOT_MAX_COMMITTEE_GOALS,
        },
    )
