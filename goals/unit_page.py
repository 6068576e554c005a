"""The unit page's read model: a unit's goals, activities and indicators in one period.

What needs attention is worked out here: activities late or due soon, live goals
without an indicator, unit goals without an activity, indicators whose value is late.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef

from goals.chain import chain_rows
from goals.extensions import UNIT_PAGE_SECTIONS
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
# The unit's own goals a page at a time, and at most this many in each list of goals that
# need attention (a note says when there are more).
SHOWN_GOALS = 50


def unit_goal_level(unit: OrgUnit) -> str | None:
    """The level of the goals ``unit`` may own (None for a kind that owns none)."""
    for level, kinds in OWNER_KINDS.items():
        if unit.kind in kinds:
            return level
    return None


def unit_page(
    unit: OrgUnit,
    user,
    period: MandatePeriod | None,
    today: datetime.date,
    page_number: str | int | None = None,
) -> dict:
    """Everything the unit page shows of ``unit`` in ``period``, as the user may see it:
    page ``page_number`` of its goals, and what needs attention among all of them."""
    soon = today + datetime.timedelta(days=settings.LEDMOT_DUE_SOON_DAYS)
    own = Goal.objects.filter(owner=unit, mandate_period=period)
    order = ("level", "perspective__order", "order", "pk")
    goals_page: Page = Paginator(own.for_chain(user).order_by(*order), SHOWN_GOALS).get_page(
        page_number
    )
    goals = chain_rows(goals_page.object_list)
    live = own.visible_to(user).exclude(status=GoalStatus.ENDED).order_by(*order)
    without_indicator = list(
        live.filter(~Exists(Indicator.goals.through.objects.filter(goal_id=OuterRef("pk")))).only(
            "pk", "title"
        )[: SHOWN_GOALS + 1]
    )
    without_activity = list(
        live.filter(level=GoalLevel.UNIT)
        .filter(~Exists(Activity.objects.filter(goal_id=OuterRef("pk"))))
        .only("pk", "title")[: SHOWN_GOALS + 1]
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
    ancestors = list(OrgUnit.objects.filter(code__in=unit.ancestor_codes()[:-1]).order_by("path"))
    indicators = Indicator.objects.filter(responsible_unit=unit)
    return {
        # What other apps put first (followup: the unit's report in the open round).
        "sections": [s for make in UNIT_PAGE_SECTIONS if (s := make(unit, user, today))],
        "goals": goals,
        "goals_page": goals_page,
        "activities": activities,
        "due": due,
        "goals_without_indicator": without_indicator[:SHOWN_GOALS],
        "goals_without_activity": without_activity[:SHOWN_GOALS],
        "shown_goals": SHOWN_GOALS,
        "more_need_attention": max(len(without_indicator), len(without_activity)) > SHOWN_GOALS,
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
