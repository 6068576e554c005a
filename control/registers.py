"""Read models of internal control: the risk register (any scope, one year), a
committee's control plan with its results, and the controls a round asks about. Each
loads in a fixed number of queries whatever the number of risks."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch

from control.models import Control, ControlOutcome, ControlResult
from goals.models import Goal


def risk_register(risks):
    """The risks with what the register shows (unit, committee, goals): 2 queries."""
    return list(
        risks.select_related("unit", "analysis__committee").prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("pk", "title").order_by("title"))
        )
    )


def controls_in_round(rnd):
    """The controls whose owners report on them in ``rnd``: of an adopted analysis of the
    round's year, asked in rounds of its kind, owned by a unit with a report in it."""
    return Control.objects.filter(
        analysis__year=rnd.year,
        analysis__adopted_on__isnull=False,
        round_kinds=rnd.kind_id,
        owner__reports__round=rnd,
    )


def results_by_control(rnd, controls) -> dict[int, ControlResult]:
    return {
        r.control_id: r
        for r in ControlResult.objects.filter(report__round=rnd, control__in=controls)
    }


def plan_rows(analysis) -> list[dict]:
    """The committee's control plan of the year: each control with its risk, its rounds
    and its results (newest round first)."""
    controls = list(
        analysis.controls.select_related("risk", "owner")
        .prefetch_related("round_kinds")
        .order_by("title", "pk")
    )
    results = defaultdict(list)
    for r in (
        ControlResult.objects.filter(control__in=controls)
        .select_related("report__round__kind")
        .order_by("-report__round__period_end")
    ):
        results[r.control_id].append(r)
    return [{"control": c, "results": results[c.pk]} for c in controls]


def deviations(rows: list[dict]) -> list[ControlResult]:
    """The results with remarks, serious first, for the committee."""
    found = [r for row in rows for r in row["results"] if r.outcome != ControlOutcome.NONE]
    return sorted(found, key=lambda r: (r.outcome != ControlOutcome.SERIOUS, r.control.title))
