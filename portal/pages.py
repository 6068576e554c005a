"""What the public pages show, loaded in a fixed number of queries per page.

Everything is read through :mod:`portal.publication`, so the pages, the open data
and the API's anonymous access show the same things.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from goals.models import Goal, GoalLevel, Perspective
from goals.presentation import RECENT_PERIODS, IndicatorView, comparison_name, indicator_views
from ledmot.models import OrgKind, OrgUnit
from portal.publication import (
    latest_public_assessments,
    latest_published_round,
    public_assessments,
    public_goals,
    public_indicators,
    public_measurements,
    public_vision,
    published_reports,
)

#: Goal fields a public page reads (nothing internal is even loaded).
GOAL_FIELDS = (
    "id",
    "level",
    "title",
    "description",
    "perspective_id",
    "owner_id",
    "parent_id",
    "shared",
    "decision_reference",
    "decision_paragraph",
    "decided_on",
    "responsible",
    "mandate_period_id",
    "order",
)


@dataclass
class PerspectiveGroup:
    perspective: Perspective
    goals: list[Goal] = field(default_factory=list)


def _with_assessments(goals: list[Goal]) -> list[Goal]:
    latest = latest_public_assessments(goals)
    for goal in goals:
        goal.public_assessment = latest.get(goal.pk)
    return goals


def _by_perspective(goals: list[Goal]) -> list[PerspectiveGroup]:
    groups: dict[int, PerspectiveGroup] = {}
    for goal in goals:
        group = groups.setdefault(goal.perspective_id, PerspectiveGroup(goal.perspective))
        group.goals.append(goal)
    return sorted(groups.values(), key=lambda g: (g.perspective.order, g.perspective.name))


def _goals(**filters) -> list[Goal]:
    return list(
        public_goals()
        .filter(**filters)
        .select_related("perspective", "owner")
        .only(*GOAL_FIELDS, "perspective__name", "perspective__order", "owner__name")
        .order_by("perspective__order", "order", "pk")
    )


#: The owners of committee goals: the committees and the municipal companies.
COMMITTEE_KINDS = (OrgKind.COMMITTEE, OrgKind.COMPANY)


def public_committees():
    """Committees (and companies) that own at least one public goal."""
    return (
        OrgUnit.objects.filter(
            kind__in=COMMITTEE_KINDS,
            goals__in=public_goals().filter(level=GoalLevel.COMMITTEE),
        )
        .distinct()
        .only("id", "name", "path")
        .order_by("path")
    )


def home_page() -> dict:
    council_goals = _with_assessments(_goals(level=GoalLevel.COUNCIL))
    return {
        "vision": public_vision(),
        "round": latest_published_round(),
        "groups": _by_perspective(council_goals),
        "committees": list(public_committees()),
        "reports": list(published_reports().order_by("-round__period_end", "-pk")[:5]),
    }


def committee_page(committee: OrgUnit) -> dict:
    goals = _with_assessments(_goals(level=GoalLevel.COMMITTEE, owner=committee))
    return {
        "committee": committee,
        "round": latest_published_round(),
        "groups": _by_perspective(goals),
    }


def public_indicator_views(goal: Goal) -> list[IndicatorView]:
    """The goal's public indicators with their public values, targets and Kolada's
    comparison figures."""
    indicators = list(
        public_indicators()
        .filter(goals=goal)
        .only(
            "id",
            "name",
            "description",
            "unit",
            "decimals",
            "direction",
            "frequency",
            "kind",
            "kolada_id",
            "gender_breakdown",
        )
        .order_by("name", "pk")
    )
    views = indicator_views(
        indicators, with_comparisons=True, recent=RECENT_PERIODS, values=public_measurements()
    )
    for view in views:
        years = sorted({y for values in view.comparisons.values() for y in values})[-8:]
        view.comparison_years = years
        view.comparison_rows = [
            (comparison_name(code), [values.get(y) for y in years])
            for code, values in view.comparisons.items()
        ]
    return views


def goal_page(goal: Goal) -> dict:
    children = _with_assessments(
        list(
            public_goals()
            .filter(parent=goal)
            .select_related("owner")
            .only(*GOAL_FIELDS, "owner__name")
            .order_by("owner__path", "order", "pk")
        )
    )
    assessments = list(
        public_assessments()
        .filter(goal=goal, report__org_unit_id=goal.owner_id)
        .select_related("report__round__kind")
        .only(
            "goal_id",
            "chosen",
            "analysis",
            "measures",
            "report__round__period_end",
            "report__round__year",
            "report__round__kind__name",
        )
        .order_by("-report__round__period_end", "-report__round__pk")
    )
    return {
        "goal": goal,
        "parent": public_goals().filter(pk=goal.parent_id).only("id", "title").first(),
        "children": children,
        "assessments": assessments,
        "indicators": public_indicator_views(goal),
    }


def get_public_goal(pk: int) -> Goal | None:
    return (
        public_goals()
        .select_related("perspective", "owner")
        .only(*GOAL_FIELDS, "perspective__name", "owner__name", "owner__kind")
        .filter(pk=pk)
        .first()
    )
