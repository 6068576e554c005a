"""Indicator values that a closed follow-up round has locked.

A unit reports the values of the round's period on its report (see
``followup.views._value_rows``); once the round is closed those values are part
of an approved, locked report and may not change. Registered in
``goals.extensions.MEASUREMENT_LOCKS`` (the Excel import asks it).
"""

from __future__ import annotations

from goals.models import Frequency
from goals.periods import ReportingPeriod


def round_period(period_end, frequency: str) -> ReportingPeriod:
    """The period of an indicator of ``frequency`` that a round ending ``period_end`` reports."""
    period = ReportingPeriod.containing(period_end, frequency)
    return period if period.end <= period_end else period.previous()


def closed_round_values(unit_ids) -> dict[tuple[int, str], str]:
    """``{(unit_id, period): round}`` for the units' reports in closed rounds (one query)."""
    from followup.models import Report, RoundStatus

    locked: dict[tuple[int, str], str] = {}
    rows = (
        Report.objects.filter(round__status=RoundStatus.CLOSED, org_unit_id__in=list(unit_ids))
        .values_list("org_unit_id", "round__period_end", "round__kind__name", "round__year")
        .order_by("round__period_end")
    )
    for unit_id, period_end, kind, year in rows:
        label = f"{kind} {year}"
        for frequency in Frequency.values:
            locked[(unit_id, round_period(period_end, frequency).key)] = label
    return locked
