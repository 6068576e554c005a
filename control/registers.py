"""Read models of internal control: the risk register (any scope, one year), a
committee's control plan with its results, and the controls a round asks about. Each
loads in a fixed number of queries whatever the number of risks."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Prefetch

from control.models import Control, ControlOutcome, ControlResult, Risk, RiskAnalysis
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


def report_control_pieces(report) -> list[tuple[Control, ControlResult]]:
    """The controls ``report`` asks about (:func:`controls_in_round`'s rule for the
    report's unit, by title) with the report's result of each, or an unsaved one: one
    raw query. The queryset rule cost five times as much to build as to run on every
    report page; ``tests/control`` holds the two to the same controls."""
    q = connection.ops.quote_name
    tables = {
        name: q(model._meta.db_table)
        for name, model in (
            ("control", Control),
            ("analysis", RiskAnalysis),
            ("risk", Risk),
            ("result", ControlResult),
            ("kinds", Control.round_kinds.through),
        )
    }
    # Only table names and placeholders are formatted in; values are parameters.
    sql = f"""
        SELECT c.id, c.title, c.method, c.responsible, r.id, r.title,
               cr.id, cr.outcome, cr.comment, cr.measures, cr.version
        FROM {tables["control"]} c
        JOIN {tables["analysis"]} an ON an.id = c.analysis_id
        JOIN {tables["risk"]} r ON r.id = c.risk_id
        LEFT JOIN {tables["result"]} cr ON cr.control_id = c.id AND cr.report_id = %s
        WHERE c.owner_id = %s AND an.year = %s AND an.adopted_on IS NOT NULL
          AND EXISTS (SELECT 1 FROM {tables["kinds"]} k
                      WHERE k.control_id = c.id AND k.roundkind_id = %s)
        ORDER BY c.title, c.id
    """  # noqa: S608 - names from _meta
    rnd = report.round
    with connection.cursor() as cursor:
        cursor.execute(sql, [report.pk, report.org_unit_id, rnd.year, rnd.kind_id])
        rows = cursor.fetchall()
    pieces = []
    for pk, title, method, who, risk_pk, risk, result_pk, outcome, comment, measures, v in rows:
        control = Control(pk=pk, title=title, method=method, responsible=who)
        control.risk = Risk(pk=risk_pk, title=risk)
        result = ControlResult(report=report, control=control, outcome="")
        if result_pk is not None:
            result.pk, result.outcome, result.version = result_pk, outcome, v
            result.comment, result.measures = comment, measures
        pieces.append((control, result))
    return pieces


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
