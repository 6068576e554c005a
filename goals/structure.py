"""Målstrukturanalys' read model: how complete the goal structure is, per committee.

For each committee (and the council), the goals of the period counted per level,
and the goals and indicators that need attention: no indicator, no activity or
breakdown, a broken chain, SMART incomplete, an indicator whose value is late.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from goals.models import SMART_FIELDS, Goal, GoalLevel, Indicator, MandatePeriod
from goals.results import is_stale
from ledmot.models import OrgKind, OrgUnit


def structure_rows(user, period: MandatePeriod | None) -> list[dict]:
    """One row per committee, in the order of the organisation (council first)."""
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
    return ordered
