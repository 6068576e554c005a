"""The verksamhetsplan's read model: a unit's (or committee's) plan for a year.

The unit writes its nuläge and grunduppdrag (:class:`goals.models.UnitPlan`); the rest
is read from the goal chain of the mandate period holding the year: the goals above
the unit's own goals (the ones it contributes to), its own live goals, each with its
indicators and this year's target and its activities running in the year, and the
indicators the unit is responsible for besides. One fixed number of queries whatever
the size of the plan; the screen, the PDF and the Excel export read the same dict.

Apps that build on goals add sections through ``goals.extensions.UNIT_PLAN_SECTIONS``
(the assignments of issue 15 point 3 will register there).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from goals.extensions import UNIT_PLAN_SECTIONS
from goals.models import (
    Activity,
    Goal,
    GoalLevel,
    Indicator,
    MandatePeriod,
    Target,
    UnitPlan,
)
from ledmot.models import OrgKind, OrgUnit

SECTION_TEMPLATE = "goals/_unit_plan_section.html"
GOAL_ORDER = ("level", "perspective__order", "order", "pk")
LEVEL_ORDER = {GoalLevel.COUNCIL: 0, GoalLevel.COMMITTEE: 1, GoalLevel.UNIT: 2}


@dataclass
class PlanGoal:
    goal: Goal
    indicators: list[Indicator] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)


def plan_title(unit: OrgUnit) -> str:
    if unit.kind in (OrgKind.COMMITTEE, OrgKind.COUNCIL):
        return _("Mål- och resursplan")
    return _("Verksamhetsplan")


def period_of(year: int) -> MandatePeriod | None:
    return MandatePeriod.objects.filter(start_year__lte=year, end_year__gte=year).first()


def plan_year(period: MandatePeriod | None, today: datetime.date) -> int | None:
    """The year whose plan a unit page links to: this year, within ``period``."""
    if period is None:
        return None
    return min(max(today.year, period.start_year), period.end_year)


def plan_of(unit: OrgUnit, year: int) -> UnitPlan | None:
    return UnitPlan.objects.filter(unit=unit, year=year).order_by("pk").first()


def _with_target(indicators, year: int):
    target = (
        Target.objects.filter(indicator=OuterRef("pk"), year=year).order_by().values("value")[:1]
    )
    return indicators.annotate(year_target=Subquery(target))


def _in_year(year: int) -> Q:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (Q(start__isnull=True) | Q(start__lte=last)) & (Q(end__isnull=True) | Q(end__gte=first))


def _live_in(year: int) -> Q:
    return Q(ended_on__isnull=True) | Q(ended_on__gte=datetime.date(year, 1, 1))


def unit_plan(unit: OrgUnit, year: int, user, period: MandatePeriod | None) -> dict:
    """Everything the verksamhetsplan of ``unit`` for ``year`` shows, as ``user`` may
    see it (goals through ``visible_to``)."""
    own_qs = (
        Goal.objects.filter(owner=unit, mandate_period=period)
        .visible_to(user)
        .live()
        .select_related("perspective", "parent")
        .order_by(*GOAL_ORDER)
    )
    own = [PlanGoal(g) for g in own_qs]
    by_id = {p.goal.pk: p for p in own}
    # The goals above: parents and their parents (loaded with the own goals). Ids, not
    # "pk IN list OR pk IN (subquery)": PostgreSQL reads every goal of the
    # municipality for such an OR (a seq scan growing with the database).
    parents = [p.goal.parent for p in own if p.goal.parent_id]
    above_ids = {g.pk for g in parents} | {g.parent_id for g in parents if g.parent_id}
    above: list[Goal] = []
    if above_ids:
        above = list(
            Goal.objects.filter(pk__in=above_ids)
            .visible_to(user)
            .select_related("perspective", "owner")
        )
        above.sort(key=lambda g: (LEVEL_ORDER.get(g.level, 9), g.perspective.order, g.order, g.pk))
    goals_of: dict[int, list[int]] = defaultdict(list)
    for goal_id, indicator_id in Indicator.goals.through.objects.filter(
        goal_id__in=by_id
    ).values_list("goal_id", "indicator_id"):
        goals_of[indicator_id].append(goal_id)
    indicators = list(
        _with_target(
            Indicator.objects.filter(Q(pk__in=goals_of) | Q(responsible_unit=unit)).filter(
                _live_in(year)
            ),
            year,
        ).order_by("name", "pk")
    )
    for indicator in indicators:
        for goal_id in goals_of.get(indicator.pk, ()):
            by_id[goal_id].indicators.append(indicator)
    activities = list(
        Activity.objects.visible_to(user)
        .filter(goal_id__in=by_id)
        .filter(_in_year(year))
        .select_related("owner", "goal__owner")
        .order_by("end", "order", "pk")
    )
    for a in activities:
        by_id[a.goal_id].activities.append(a)
    return {
        "unit": unit,
        "year": year,
        "period": period,
        "title": plan_title(unit),
        "plan": plan_of(unit, year),
        "above": above,
        "goals": own,
        "activities": activities,
        "indicators": indicators,
        "other_indicators": [i for i in indicators if i.pk not in goals_of],
        # Sections from apps built on goals (e.g. the unit's assignments).
        "sections": [
            {"template": SECTION_TEMPLATE, **s}
            for make in UNIT_PLAN_SECTIONS
            if (s := make(unit, year, user))
        ],
    }
