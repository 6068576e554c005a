"""What a report showed of the period's indicator values when it was submitted (issue 13,
point 4): recorded at each submission, read back on the report page, where a value
changed since (on the results screen, by an Excel import: all through
``goals.services.measurements_save``) is shown with its submitted and its present value."""

from __future__ import annotations

from dataclasses import dataclass

from followup.models import Report, SubmittedValue
from followup.rules import counts
from goals.results import show


def submitted_values_record(*, report: Report, rows) -> list[SubmittedValue]:
    """Record every value cell of ``rows`` (the report page's ``value_rows``: what the
    report shows now) as submitted at ``report.submitted_at`` (called by
    ``report_submit``, inside its transaction)."""
    return SubmittedValue.objects.bulk_create(
        SubmittedValue(
            report=report,
            submitted_at=report.submitted_at,
            indicator_id=row.indicator.pk,
            period=row.period.key,
            gender=cell.gender,
            value=cell.current.value if cell.current else None,
        )
        for row in rows
        for cell in row.cells
    )


@dataclass(frozen=True)
class SubmittedCell:
    label: str  # the gender, as the page names it
    submitted: str  # the value as submitted, as the form shows it ("" = empty)
    now: str  # the value now
    changed: bool


def submitted_rows(report: Report, rows) -> list[dict] | None:
    """The report's value ``rows`` (``goals.results.Row``) as submitted, each cell with its
    present value and whether it changed since; None while the report is not submitted
    or approved, or when it was submitted before values were recorded (one query)."""
    if not counts(report.status) or report.submitted_at is None:
        return None
    submitted = {
        (indicator_id, period, gender): value
        for indicator_id, period, gender, value in SubmittedValue.objects.filter(
            report=report, submitted_at=report.submitted_at
        ).values_list("indicator_id", "period", "gender", "value")
    }
    if not submitted:
        return None
    out = []
    for row in rows:
        cells = []
        for cell in row.cells:
            key = (row.indicator.pk, row.period.key, cell.gender)
            now = cell.current.value if cell.current else None
            then = submitted.get(key)
            cells.append(SubmittedCell(cell.label, show(then), show(now), then != now))
        out.append({"row": row, "cells": cells, "changed": any(c.changed for c in cells)})
    return out
