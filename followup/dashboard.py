"""The controller's dashboard of a round (read model): per report where it stands,
which committee it is under and whether it is late, and the summary counts."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from followup.models import FollowUpRound, Report
from followup.reminders import last_reminded_q
from followup.rules import (
    EDITABLE_STATUSES,
    is_late,
    late_states,
    report_state,
    report_state_expr,
)
from ledmot.access import Cap, access_for
from ledmot.models import OrgKind, OrgUnit

STATUS_SYMBOLS = {
    "not_started": "○",
    "draft": "✎",
    "submitted": "➜",
    "returned": "↩",
    "approved": "✓",
}

STATE_LABELS = {
    "not_started": _("Ej påbörjad"),
    "draft": _("Utkast"),
    "submitted": _("Inlämnad"),
    "returned": _("Återsänd"),
    "approved": _("Godkänd"),
}


def state_row(report: Report, **extra) -> dict:
    """A report as a row of a status table (the dashboard, the reports below a committee)."""
    state = report_state(report)
    return {
        "report": report,
        "state": state,
        "state_label": STATE_LABELS[state],
        "symbol": STATUS_SYMBOLS[state],
        **extra,
    }


#: The states of a report not yet submitted (``followup.rules.EDITABLE_STATUSES``).
UNSUBMITTED = ("not_started", "draft", "returned")

#: Rows per page of a list of reports (the dashboard's drill-down, the reports below a
#: committee): a page's cost is bounded whatever the size of the organisation.
PER_PAGE = 50


def state_counts(reports) -> dict[str | None, Counter]:
    """Per committee code (None above the committees), how many of ``reports`` are in
    each state: one aggregate query, whatever the number of reports."""
    counts: dict[str | None, Counter] = {}
    for code, state, n in (
        reports.annotate(
            committee_now=OrgUnit.committee_code_expr("org_unit"), state_now=report_state_expr()
        )
        .order_by()
        .values_list("committee_now", "state_now")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(code, Counter())[state] += n
    return counts


def state_totals(reports) -> Counter:
    """How many of ``reports`` are in each state (one aggregate query)."""
    return Counter(
        dict(
            reports.annotate(state_now=report_state_expr())
            .order_by()
            .values_list("state_now")
            .annotate(n=Count("pk"))
        )
    )


def count_cells(counts: Counter, late: tuple[str, ...]) -> dict:
    """A row of counts: per state (label, symbol, state, n), the late ones and the total."""
    return {
        "states": [(STATE_LABELS[s], STATUS_SYMBOLS[s], s, counts.get(s, 0)) for s in STATE_LABELS],
        "late": sum(counts.get(s, 0) for s in late),
        "total": sum(counts.values()),
    }


@dataclass
class Dashboard:
    round: FollowUpRound
    reports: QuerySet  # the reports the user may see, as filtered
    visible: QuerySet  # every report of the round the user may see (no filter)
    late: tuple[str, ...]  # the states in which a report is late today
    days_left: int
    committees: list[OrgUnit]
    committee: OrgUnit | None
    today: datetime.date
    wanted: str = ""  # the state filter
    only_late: bool = False

    @cached_property
    def _counts(self) -> dict[str | None, Counter]:
        return state_counts(self.visible)

    @cached_property
    def per_committee(self) -> list[dict]:
        """Per committee: {"committee", **count_cells} (the landing view's table)."""
        counts = self._counts
        rows = [
            {"committee": c, **count_cells(counts[c.code], self.late)}
            for c in self.committees
            if c.code in counts
        ]
        if None in counts:
            rows.append({"committee": None, **count_cells(counts[None], self.late)})
        return rows

    @cached_property
    def totals(self) -> dict:
        """count_cells of the reports (committee filter only). A committee's are counted
        by its path alone: not every report of the municipality by its committee, which
        grew with the organisation while the page shows one committee."""
        if self.committee is None:
            return count_cells(sum(self._counts.values(), Counter()), self.late)
        if "_counts" in self.__dict__:
            return count_cells(self._counts.get(self.committee.code, Counter()), self.late)
        mine = self.visible.filter(org_unit__path__startswith=self.committee.path)
        return count_cells(state_totals(mine), self.late)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return [(label, symbol, n) for label, symbol, _state, n in self.totals["states"]]

    @property
    def late_count(self) -> int:
        return self.totals["late"]

    @property
    def unsubmitted_count(self) -> int:
        """Reports of the whole round (whatever the committee filter) not yet submitted
        (not started, draft or returned): those a reminder goes to."""
        if "_counts" in self.__dict__:
            return sum(n for c in self._counts.values() for s, n in c.items() if s in UNSUBMITTED)
        return self.visible.filter(status__in=EDITABLE_STATUSES).count()

    def rows_of(self, reports) -> list[dict]:
        committees = {c.code: c for c in self.committees}
        return [
            state_row(
                report,
                committee=committees.get(report.org_unit.committee_code or ""),
                late=is_late(self.round, report_state(report), self.today),
            )
            for report in reports
        ]

    @property
    def rows(self) -> list[dict]:
        """Every row as filtered (the Excel export)."""
        return self.rows_of(self.reports)

    def page(self, number) -> tuple[Page, list[dict]]:
        """One page of the rows (``number`` as given in the URL; out of range: the last)."""
        paginator = Paginator(self.reports, PER_PAGE)
        paginator.count = self._listed_count()  # counted with the totals: not a second time
        page = paginator.get_page(number)
        return page, self.rows_of(page.object_list)

    def _listed_count(self) -> int:
        """How many reports the list holds, from the totals (the same reports, the same
        states) for the state and lateness filters."""
        per_state = {state: n for _label, _symbol, state, n in self.totals["states"]}
        if self.wanted:
            return (
                per_state.get(self.wanted, 0)
                if not self.only_late or self.wanted in self.late
                else 0
            )
        return self.totals["late"] if self.only_late else self.totals["total"]


def round_dashboard(
    rnd: FollowUpRound,
    *,
    user,
    committee_code: str = "",
    wanted: str = "",
    only_late: bool = False,
    today: datetime.date,
) -> Dashboard:
    """The reports of ``rnd`` that ``user`` may see, counted per committee and state, and
    filtered by committee, state and lateness for the list."""
    committees = {
        c.code: c for c in OrgUnit.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY])
    }
    visible = rnd.reports.filter(access_for(user).units_q(Cap.VIEW, field="org_unit"))
    ordered = sorted(committees.values(), key=lambda c: (c.order, c.name))
    committee = committees.get(committee_code)
    reports = visible.annotate(state_now=report_state_expr())
    if committee:
        reports = reports.filter(org_unit__path__startswith=committee.path)
    if wanted:
        reports = reports.filter(state_now=wanted)
    late = late_states(rnd, today)
    if only_late:
        reports = reports.filter(state_now__in=late)
    return Dashboard(
        round=rnd,
        reports=reports.select_related("org_unit")
        .annotate(last_reminded=last_reminded_q())
        .order_by("org_unit__path", "pk"),
        visible=visible,
        late=late,
        days_left=(rnd.deadline - today).days,
        committees=ordered,
        committee=committee,
        today=today,
        wanted=wanted,
        only_late=only_late,
    )
