"""Planning: every sheet's rows checked and matched, sheet by sheet; nothing is written."""

from __future__ import annotations

from typing import IO

from goals.workbook.columns import all_sheets, extensions
from goals.workbook.importer.context import Context
from goals.workbook.importer.external import match_external_ids
from goals.workbook.importer.plan import Plan, Problem
from goals.workbook.importer.plan_activities import plan_activities
from goals.workbook.importer.plan_goals import plan_goals
from goals.workbook.importer.plan_indicators import plan_indicators
from goals.workbook.importer.plan_results import plan_results
from goals.workbook.importer.plan_targets import plan_targets
from goals.workbook.importer.reader import Progress, RawRow, read_rows

# In this order: a later sheet refers to the rows of the earlier ones as they will be.
SHEET_PLANNERS = (plan_goals, plan_activities, plan_indicators, plan_targets, plan_results)


def plan_rows(
    raw: dict[str, list[RawRow]], problems: list[Problem], *, user, row_count: int = 0
) -> Plan:
    ctx = Context(user, raw, problems)
    match_external_ids(ctx)
    for plan_sheet in SHEET_PLANNERS:
        plan_sheet(ctx)
    for extension in extensions():
        extension.plan(ctx)
    plan = ctx.plan
    plan.row_count = row_count
    order = {s.name: i for i, s in enumerate(all_sheets())}
    plan.problems.sort(key=lambda p: (order.get(p.sheet, 99), p.row))
    return plan


def read_plan(fileobj: IO[bytes], *, user, progress: Progress | None = None) -> Plan:
    """Parse, validate and plan a workbook; nothing is written."""
    raw, problems, count = read_rows(fileobj, progress)
    return plan_rows(raw, problems, user=user, row_count=count)
