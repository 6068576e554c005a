"""Assignments (uppdrag) in follow-up: the overdue ones of a round (its dashboard), and
the assignments of a committee's report and its PDF with the status each report gave."""

from __future__ import annotations

import datetime

from django.db.models import Q

from goals.models import Assignment


def asked_in_report(report, *, given_while_open: bool = True) -> Q:
    """The assignments ``report`` asks about, as a filter of assignments that matches each
    once: those it has an update for and (``given_while_open``: while the report can
    change) those of its unit live in its round, since one given while the round is open
    has no update until its first save."""
    rnd = report.round
    unit = report.org_unit_id if given_while_open else None
    return asked_q(report.pk, unit=unit, year=rnd.year, period_end=rnd.period_end)


def asked_q(report_id: int, *, unit: int | None, year: int, period_end: datetime.date) -> Q:
    """:func:`asked_in_report` by ids (``unit`` None: only the assignments with an update
    in the report)."""
    from followup.models import AssignmentUpdate

    asked = Q(pk__in=AssignmentUpdate.objects.filter(report=report_id).values("assignment_id"))
    if unit is not None:
        live = report_assignments(year=year, units=[unit], period_end=period_end)
        asked |= Q(pk__in=live.order_by().values("pk"))
    return asked


def report_assignments(*, year: int, units, period_end: datetime.date | None = None):
    """The assignments (uppdrag) the reports of ``units`` in a round of ``year`` ask
    about: the units' own, live in the year (and given by ``period_end``)."""
    qs = Assignment.objects.filter(owner__in=units).in_year(year)
    if period_end is not None:
        qs = qs.filter(Q(decided_on__isnull=True) | Q(decided_on__lte=period_end))
    return qs.order_by("due", "pk")


#: How many overdue assignments the dashboard lists (the rest: a link to the list).
OVERDUE_SHOWN = 25


def overdue_in_round(rnd, today: datetime.date) -> tuple[list[Assignment], int]:
    """The open assignments past their due date of the units reporting in ``rnd``
    (the first ``OVERDUE_SHOWN``, by due date) and how many there are."""
    qs = Assignment.objects.overdue(today).filter(owner__reports__round=rnd)
    shown = list(qs.select_related("giver", "owner").order_by("due", "pk")[:OVERDUE_SHOWN])
    count = len(shown) if len(shown) < OVERDUE_SHOWN else qs.count()
    return shown, count
