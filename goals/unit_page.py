"""The unit page's read model: a unit's goals, activities and indicators in one period.

What needs attention is worked out here: activities late or due soon, live goals
without an indicator, unit goals without an activity, indicators whose value is late.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from goals.chain import chain_rows
from goals.models import (
    OPEN_ACTIVITY_STATUSES,
    OWNER_KINDS,
    Activity,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    MandatePeriod,
)
from goals.results import is_stale
from ledmot.models import OrgKind, OrgUnit

# The unit's indicators shown on its page; a committee responsible for more gets the
# number and the link to the indicator list (filtered on the unit), which shows them all.
SHOWN_INDICATORS = 50


def unit_goal_level(unit: OrgUnit) -> str | None:
    """The level of the goals ``unit`` may own (None for a kind that owns none)."""
    for level, kinds in OWNER_KINDS.items():
        if unit.kind in kinds:
            return level
    return None


def unit_page(unit: OrgUnit, user, period: MandatePeriod | None, today: datetime.date) -> dict:
    """Everything the unit page shows of ``unit`` in ``period``, as the user may see it."""
    soon = today + datetime.timedelta(days=settings.LEDMOT_DUE_SOON_DAYS)
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
        if a.is_overdue(today) or (a.end and a.end <= soon and a.status in OPEN_ACTIVITY_STATUSES)
    ]
    live = [g for g in goals if g.status != GoalStatus.ENDED]
    ancestors = list(OrgUnit.objects.filter(code__in=unit.ancestor_codes()[:-1]).order_by("path"))
    indicators = Indicator.objects.filter(responsible_unit=unit)
    return {
        "goals": goals,
        "activities": activities,
        "due": due,
        "goals_without_indicator": [g for g in live if not g.indicator_count],
        "goals_without_activity": [
            g for g in live if g.level == GoalLevel.UNIT and not g.activity_count
        ],
        "indicators": [
            (ind, is_stale(ind, today))
            for ind in indicators.select_related("latest").order_by("name")[:SHOWN_INDICATORS]
        ],
        "indicator_count": indicators.count(),
        "children": list(unit.children.filter(active=True).order_by("order", "name")),
        "ancestors": ancestors,
        "child_level": unit_goal_level(unit),
        "committee": next(
            (a for a in ancestors if a.kind == OrgKind.COMMITTEE),
            unit if unit.kind == OrgKind.COMMITTEE else None,
        ),
    }
