"""Målstrukturanalys: how complete the goal structure is, per committee."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from goals.exports import structure_sheet
from goals.models import (
    SMART_FIELDS,
    Goal,
    GoalLevel,
    Indicator,
    MandatePeriod,
)
from goals.results import is_stale
from goals.views.common import pick_period
from ledmot.lib.xlsx import sheets_response
from ledmot.models import OrgKind, OrgUnit


@login_required
@require_GET
def structure(request: HttpRequest) -> HttpResponse:
    user = request.user
    periods = list(MandatePeriod.objects.order_by("-start_year"))
    period = pick_period(periods, request.GET.get("period"))
    units = {
        u.code: u
        for u in OrgUnit.objects.filter(
            kind__in=[OrgKind.COUNCIL, OrgKind.COMMITTEE, OrgKind.COMPANY]
        )
    }
    rows: dict[str, dict] = {}
    if period is not None:
        goals = (
            Goal.objects.in_period(period)
            .live()
            .visible_to(user)
            .select_related("owner")
            .with_counts(user)
            .with_chain_state()
            .order_by("level", "order", "pk")
        )
        for g in goals:
            codes = g.owner.ancestor_codes()
            key = codes[1] if len(codes) > 1 else codes[0]
            row = rows.setdefault(
                key,
                {
                    "unit": units.get(key),
                    "counts": dict.fromkeys(GoalLevel.values, 0),
                    "no_indicator": [],
                    "no_activity": [],
                    "no_parent": [],
                    "smart_incomplete": [],
                    "stale": [],
                    "total": 0,
                },
            )
            row["counts"][g.level] += 1
            row["total"] += 1
            if not g.indicator_count:
                row["no_indicator"].append(g)
            if not g.activity_count and (g.level == GoalLevel.UNIT or not g.child_count):
                # A unit goal needs activities; a goal above it needs them or a breakdown.
                row["no_activity"].append(g)
            if g.chain_broken:
                row["no_parent"].append(g)
            if not (all(getattr(g, f) for f in SMART_FIELDS) and g.responsible):
                row["smart_incomplete"].append(g)
        # Indicators without a value whose reporting deadline has passed.
        today = timezone.localdate()
        for ind in Indicator.objects.select_related("latest", "responsible_unit").order_by("name"):
            codes = ind.responsible_unit.ancestor_codes()
            key = codes[1] if len(codes) > 1 else codes[0]
            if key in rows and is_stale(ind, today):
                rows[key]["stale"].append(ind)

    def place(row):
        unit = row["unit"]
        if unit is None:
            return (3, 0, "")
        rank = {OrgKind.COUNCIL: 0, OrgKind.COMMITTEE: 1}.get(unit.kind, 2)
        return (rank, unit.order, unit.name)

    ordered = sorted(rows.values(), key=place)
    for row in ordered:
        row["too_many"] = row["counts"][GoalLevel.COMMITTEE] > settings.LEDMOT_MAX_COMMITTEE_GOALS
        row["weak"] = len(
            {
                g.pk
                for k in ("no_indicator", "no_activity", "no_parent", "smart_incomplete")
                for g in row[k]
            }
        )
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
