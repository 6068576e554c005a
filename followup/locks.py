"""Indicator values and targets that a closed follow-up round has locked.

A unit reports the values of the round's period on its report (see
``followup.report_page``); once the round is closed those values are part
of a locked report and may not change. The same holds from the moment the unit's
report is approved (what was approved stays what it was) until the approver undoes
the approval (``followup.services.report_unapprove``), which lifts the lock while the
round is open. A closed round that covers the whole year
(its period ends on 31 December: the annual report, årsredovisning) also closes
that year's targets of the units that reported in it. Registered in
``goals.extensions.MEASUREMENT_LOCKS`` and ``TARGET_LOCKS``, which the goals
services ask on every write.
"""

from __future__ import annotations

from django.db.models import Q

from followup.rules import round_period
from goals.extensions import ApprovedReportLabel
from goals.models import Frequency
from ledmot.lib.prepared import prepared_rows


def _closed_reports(unit_ids):
    from followup.models import Report, RoundStatus

    return (
        Report.objects.filter(round__status=RoundStatus.CLOSED, org_unit_id__in=list(unit_ids))
        .values_list("org_unit_id", "round__period_end", "round__kind__name", "round__year")
        .order_by("round__period_end")
    )


def _locking_reports(*, units):
    from followup.models import Report, ReportStatus, RoundStatus

    closed = Q(round__status=RoundStatus.CLOSED)
    return (
        Report.objects.filter(closed | Q(status=ReportStatus.APPROVED))
        .filter(org_unit_id__in=units)
        .annotate(round_open=~closed)
        .values_list(
            "org_unit_id", "round__period_end", "round__kind__name", "round__year", "round_open"
        )
        .order_by("round_open", "round__period_end")
    )


def closed_round_values(unit_ids) -> dict[tuple[int, str], str]:
    """``{(unit_id, period): round}`` for the units' reports in closed rounds, and their
    approved reports in open rounds (an :class:`ApprovedReportLabel`), in one query.

    A period reported by several such rounds (last year's value, reported in the annual
    report and again in this year's tertial report) is named by the first closed one,
    else by the first approved report."""
    units = sorted(unit_ids)
    if not units:
        return {}
    reports = prepared_rows(("closed-round-values", len(units)), _locking_reports, units=units)
    locked: dict[tuple[int, str], str] = {}
    for unit_id, period_end, kind, year, is_open in reports:
        label = f"{kind} {year}"
        if is_open:
            label = ApprovedReportLabel(label)
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
