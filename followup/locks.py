"""Indicator values and targets that a closed follow-up round has locked.

A unit reports the values of the round's period on its report (see
``followup.report_page``); once the round is closed those values are part
of a locked report and may not change. A closed round that covers the whole year
(its period ends on 31 December: the annual report, årsredovisning) also closes
that year's targets of the units that reported in it. Registered in
``goals.extensions.MEASUREMENT_LOCKS`` and ``TARGET_LOCKS``, which the goals
services ask on every write.
"""

from __future__ import annotations

from followup.rules import round_period
from goals.models import Frequency


def _closed_reports(unit_ids):
    from followup.models import Report, RoundStatus

    return (
        Report.objects.filter(round__status=RoundStatus.CLOSED, org_unit_id__in=list(unit_ids))
        .values_list("org_unit_id", "round__period_end", "round__kind__name", "round__year")
        .order_by("round__period_end")
    )


def closed_round_values(unit_ids) -> dict[tuple[int, str], str]:
    """``{(unit_id, period): round}`` for the units' reports in closed rounds (one query).

    A period reported by several closed rounds (last year's value, reported in the annual
    report and again in this year's tertial report) is named by the first of them."""
    locked: dict[tuple[int, str], str] = {}
    for unit_id, period_end, kind, year in _closed_reports(unit_ids):
        label = f"{kind} {year}"
        for frequency in Frequency.values:
            locked.setdefault((unit_id, round_period(period_end, frequency).key), label)
    return locked


def closed_year_targets(unit_ids) -> dict[tuple[int, int], str]:
    """``{(unit_id, year): round}`` for the units' reports in closed rounds that cover
    the whole year (one query)."""
    locked: dict[tuple[int, int], str] = {}
    for unit_id, period_end, kind, year in _closed_reports(unit_ids):
        if (period_end.month, period_end.day) == (12, 31):
            locked[(unit_id, period_end.year)] = f"{kind} {year}"
    return locked
