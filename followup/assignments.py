"""Assignments (uppdrag) in follow-up: the overdue ones of a round (its dashboard), and
the assignments of a committee's report and its PDF with the status each report gave."""

from __future__ import annotations

import datetime

from django.db.models import Q

from goals.models import Assignment


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
