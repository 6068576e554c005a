"""The unit page, and "my unit" that leads to it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from goals.access import (
    can_edit_unit,
    get_unit_for_view,
)
from goals.chain import chain_rows
from goals.models import (
    OWNER_KINDS,
    Activity,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    MandatePeriod,
)
from goals.results import is_stale
from goals.views.common import pick_period
from ledmot.access import access_for
from ledmot.models import OrgKind, OrgUnit


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_view(request, pk)
    user = request.user
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=settings.LEDMOT_DUE_SOON_DAYS)
    periods = list(MandatePeriod.objects.order_by("-start_year"))
    period = pick_period(periods, request.GET.get("period"))
    goals = chain_rows(
        Goal.objects.filter(owner=unit, mandate_period=period)
        .for_chain(user)
        .order_by("level", "perspective__order", "order", "pk")
    )
    activities = list(
        Activity.objects.visible_to(user)
        .filter(owner=unit, goal__mandate_period=period)
        .select_related("goal")
        .order_by("end", "pk")
    )
    due = [
        a
        for a in activities
        if a.is_overdue(today)
        or (a.end and a.end <= soon and a.status in ("not_started", "in_progress", "delayed"))
    ]
    live = [g for g in goals if g.status != GoalStatus.ENDED]
    ancestors = list(OrgUnit.objects.filter(code__in=unit.ancestor_codes()[:-1]).order_by("path"))
    context = {
        "unit": unit,
        "period": period,
        "periods": periods,
        "goals": goals,
        "activities": activities,
        "due": due,
        "goals_without_indicator": [g for g in live if not g.indicator_count],
        "goals_without_activity": [
            g for g in live if g.level == GoalLevel.UNIT and not g.activity_count
        ],
        "indicators": [
            (ind, is_stale(ind, today))
            for ind in Indicator.objects.filter(responsible_unit=unit)
            .select_related("latest")
            .order_by("name")
        ],
        "children": list(unit.children.filter(active=True).order_by("order", "name")),
        "ancestors": ancestors,
        "can_edit": can_edit_unit(user, unit),
        "child_level": _unit_goal_level(unit),
        "committee": next(
            (a for a in ancestors if a.kind == OrgKind.COMMITTEE),
            unit if unit.kind == OrgKind.COMMITTEE else None,
        ),
        "today": today,
        "soon_days": settings.LEDMOT_DUE_SOON_DAYS,
    }
    return render(request, "goals/unit_detail.html", context)


def _unit_goal_level(unit: OrgUnit) -> str | None:
    for level, kinds in OWNER_KINDS.items():
        if unit.kind in kinds:
            return level
    return None


@login_required
@require_GET
def my_unit(request: HttpRequest) -> HttpResponse:
    ids = access_for(request.user).home_unit_ids()
    if ids:
        return redirect("goals:unit_detail", pk=ids[0])
    return render(request, "goals/no_unit.html")
