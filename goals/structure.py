"""Målstrukturanalys' read model: how complete the goal structure is, per committee.

For each committee (and the council), the goals of the period counted per level,
and the goals and indicators that need attention: no indicator, no activity or
breakdown, a broken chain, SMART incomplete, an indicator whose value is late.

The page summarises: every figure is an aggregate query grouped by the owning unit
(a handful of queries whatever the size of the organisation), and the goals behind
a figure are one paginated query away (:func:`weak_goals`, :func:`stale_indicators`).
Both use the same filters (:func:`weakness_q`, :func:`goals.rules.stale_q`), so a
count and its list cannot disagree.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import Goal, GoalLevel, Indicator, MandatePeriod
from goals.models.activities import Activity
from goals.models.goals import chain_broken_q, visible_goal_q
from goals.rules import smart_missing_q, stale_q
from ledmot.models import PATH_SEPARATOR, OrgKind, OrgUnit

# The weaknesses of goals, in the order of the page's columns, with the label of
# their drill-down list.
GOAL_CHECKS = {
    "no_indicator": _("Mål som saknar indikator (kan inte följas upp)"),
    "no_activity": _("Mål utan aktivitet eller nedbrytning"),
    "no_parent": _("Mål med bruten kedja (saknar eller har avslutat överordnat mål)"),
    "smart_incomplete": _("Mål med ofullständig SMART-checklista"),
}
# "Ofullständig SMART" broken down: the goals that lack each criterion
# (goals.rules.smart_missing), so a page full of incomplete goals says what they lack.
SMART_CHECKS = {
    "smart_specific": _("Inte specifikt"),
    "smart_measurable": _("Inte mätbart (ingen indikator eller inte markerat)"),
    "smart_accepted": _("Inte accepterat"),
    "smart_realistic": _("Inte realistiskt"),
    "smart_timebound": _("Inte tidsatt"),
    "smart_responsible": _("Ingen namngiven ansvarig"),
}
STALE = "stale"
STALE_LABEL = _("Indikatorer utan värde efter sista dag")
CHECKS = {**GOAL_CHECKS, **SMART_CHECKS, STALE: STALE_LABEL}


def weakness_q(user) -> dict[str, Q]:
    """The one definition of each weakness of a goal, as a filter on goals.

    Children are those ``user`` sees, so a hidden proposal neither hides a weakness
    nor is revealed by one.
    """
    indicators = Indicator.goals.through.objects.filter(goal=OuterRef("pk"))
    activities = Activity.objects.filter(goal=OuterRef("pk"))
    children = Goal.objects.filter(visible_goal_q(user), parent=OuterRef("pk"))
    missing = {
        f"smart_{c.removeprefix('smart_')}": q
        for c, q in smart_missing_q(Q(Exists(indicators))).items()
    }
    smart_incomplete = Q()
    for q in missing.values():
        smart_incomplete |= q
    return {
        "no_indicator": ~Q(Exists(indicators)),
        # A unit goal needs activities; a goal above it needs them or a breakdown.
        "no_activity": ~Q(Exists(activities)) & (Q(level=GoalLevel.UNIT) | ~Q(Exists(children))),
        "no_parent": chain_broken_q(),
        "smart_incomplete": smart_incomplete,
        **missing,
    }


def _row_code(path: str) -> str:
    """The code of the row a unit is counted in: its committee (the unit below the
    council), or the council itself."""
    codes = [c for c in path.split(PATH_SEPARATOR) if c]
    return codes[1] if len(codes) > 1 else codes[0]


def _goals(user, period: MandatePeriod) -> QuerySet:
    return Goal.objects.in_period(period).live().visible_to(user)


def structure_rows(
    user, period: MandatePeriod | None, today: datetime.date | None = None
) -> list[dict]:
    """One row per committee, in the order of the organisation (council first):
    ``counts`` per level, ``weak`` (the number of goals per check), ``smart`` (per
    missing SMART criterion), ``stale``,
    ``any_weak`` and ``too_many``."""
    if period is None:
        return []
    today = today or timezone.localdate()
    checks = weakness_q(user)
    figures = {f"level_{level}": Count("pk", filter=Q(level=level)) for level in GoalLevel.values}
    figures |= {key: Count("pk", filter=q) for key, q in checks.items()}
    per_owner = (
        _goals(user, period).order_by().values("owner__path").annotate(total=Count("pk"), **figures)
    )
    rows: dict[str, dict] = {}
    for group in per_owner:  # one group per owning unit, not per goal
        row = rows.setdefault(
            _row_code(group["owner__path"]),
            {
                "counts": dict.fromkeys(GoalLevel.values, 0),
                "weak": dict.fromkeys(GOAL_CHECKS, 0),
                "smart": dict.fromkeys(SMART_CHECKS, 0),
                "stale": 0,
                "total": 0,
            },
        )
        for level in GoalLevel.values:
            row["counts"][level] += group[f"level_{level}"]
        for key in GOAL_CHECKS:
            row["weak"][key] += group[key]
        for key in SMART_CHECKS:
            row["smart"][key] += group[key]
        row["total"] += group["total"]

    stale = (
        Indicator.objects.filter(stale_q(today))
        .order_by()
        .values("responsible_unit__path")
        .annotate(n=Count("pk"))
    )
    for group in stale:
        row = rows.get(_row_code(group["responsible_unit__path"]))
        if row is not None:
            row["stale"] += group["n"]

    units = OrgUnit.objects.filter(
        code__in=list(rows), kind__in=[OrgKind.COUNCIL, OrgKind.COMMITTEE, OrgKind.COMPANY]
    )
    units = {u.code: u for u in units}
    for code, row in rows.items():
        row["code"] = code
        row["unit"] = units.get(code)
        # No goal is weak exactly when every count of a weakness is zero.
        row["any_weak"] = any(row["weak"].values())
        row["too_many"] = row["counts"][GoalLevel.COMMITTEE] > settings.LEDMOT_MAX_COMMITTEE_GOALS

    def place(row):
        unit = row["unit"]
        if unit is None:
            return (3, 0, "")
        rank = {OrgKind.COUNCIL: 0, OrgKind.COMMITTEE: 1}.get(unit.kind, 2)
        return (rank, unit.order, unit.name)

    return sorted(rows.values(), key=place)


def row_unit(code: str | None) -> OrgUnit | None:
    """The council or the committee (unit right below it) a row of the page stands for."""
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or len(unit.ancestor_codes()) > 2:
        return None
    return unit


def _within(unit: OrgUnit, field: str) -> Q:
    # The council's row holds only its own goals; a committee's row its whole subtree.
    if unit.parent_id is None:
        return Q(**{field: unit})
    return Q(**{f"{field}__path__startswith": unit.path})


def weak_goals(user, period: MandatePeriod, unit: OrgUnit, check: str) -> QuerySet:
    """The goals counted in ``check`` for ``unit``'s row, as ``user`` sees them."""
    return (
        _goals(user, period)
        .filter(_within(unit, "owner"), weakness_q(user)[check])
        .select_related("owner")
        .order_by("level", "owner__path", "order", "pk")
    )


def stale_indicators(unit: OrgUnit, today: datetime.date | None = None) -> QuerySet:
    """The stale indicators counted in ``unit``'s row."""
    today = today or timezone.localdate()
    return (
        Indicator.objects.filter(_within(unit, "responsible_unit"), stale_q(today))
        .select_related("latest", "responsible_unit")
        .order_by("name", "pk")
    )
