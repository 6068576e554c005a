"""The follow-up round list (read model): the person's own reports first, then the
reports waiting for their approval (the oldest few, the rest one click away), then every
round with how many of the reports the person may read stand in each state, each count a
link to that state on the round's dashboard. A fixed number of queries and a bounded page
whatever the number of reports: the dashboard is where the reports are listed."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from followup.access import waiting_counts, waiting_for
from followup.dashboard import count_cells, state_row
from followup.models import FollowUpRound, Report, RoundStatus
from followup.rules import is_late, late_states, report_state, state_of
from ledmot.access import Cap, access_for

#: Reports waiting for approval shown on the list, oldest first; the rest are under
#: "Inlämnad" on the round's dashboard.
WAITING_SHOWN = 10


@dataclass
class RoundList:
    mine: list[dict]  # state_row of the person's own reports in open rounds
    waiting: list[Report]  # reports waiting for the person (followup.access.waiting_for)
    waiting_per_round: list[tuple[FollowUpRound, int]]  # how many wait, per open round
    rounds: list[dict]  # per round: {"round", **count_cells} (counts of open rounds)

    @property
    def waiting_count(self) -> int:
        return sum(n for _rnd, n in self.waiting_per_round)


def own_unit_ids(user) -> list[int]:
    """The units whose report is the person's own: those they hold a writing role on
    (not every unit below it: a controller's own report is the council's)."""
    return sorted({g.unit_id for g in access_for(user).grants if Cap.EDIT in g.caps})


def round_list(user, *, today: datetime.date) -> RoundList:
    access = access_for(user)
    rounds = list(FollowUpRound.objects.select_related("kind"))
    by_pk = {r.pk: r for r in rounds}
    open_reports = Report.objects.filter(round__status=RoundStatus.OPEN)
    # Counted for the open rounds only: a closed round's reports are settled (its
    # dashboard still counts them), and closed rounds pile up year after year.
    # Grouped by the columns themselves, in the order of the index Report(round, status,
    # started, org_unit), the rounds by their ids: read from the index alone, without a
    # sort (a state worked out in SQL needed one: 2.5 times the time at xlarge).
    counts: dict[int, Counter] = {}
    for round_id, status, started, n in (
        Report.objects.filter(round_id__in=[r.pk for r in rounds if r.status == RoundStatus.OPEN])
        .filter(access.units_q(Cap.VIEW, field="org_unit"))
        .order_by()
        .values_list("round_id", "status", "started")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(round_id, Counter())[state_of(status, started)] += n
    mine = [
        state_row(r, late=is_late(by_pk[r.round_id], report_state(r), today))
        for r in open_reports.filter(org_unit_id__in=own_unit_ids(user))
        .select_related("org_unit")
        .order_by("round__deadline", "org_unit__path")
    ]
    for row in mine:
        row["report"].round = by_pk[row["report"].round_id]
    waiting: list[Report] = []
    waiting_per_round: list[tuple[FollowUpRound, int]] = []
    if access.can_anywhere(Cap.APPROVE):
        approvable = waiting_for(user, open_reports)
        waiting = list(
            approvable.select_related("org_unit").order_by("submitted_at", "pk")[:WAITING_SHOWN]
        )
        for report in waiting:
            report.round = by_pk[report.round_id]
        per_round = waiting_counts(user)  # the menu's count, read once
        waiting_per_round = [(r, per_round[r.pk]) for r in rounds if r.pk in per_round]
    return RoundList(
        mine=mine,
        waiting=waiting,
        waiting_per_round=waiting_per_round,
        rounds=[
            {"round": r, **count_cells(counts.get(r.pk, Counter()), late_states(r, today))}
            for r in rounds
        ],
    )
