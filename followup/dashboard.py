"""The controller's dashboard of a round (read model): per report where it stands,
which committee it is under and whether it is late, and the summary counts."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from followup.models import FollowUpRound, Report
from followup.rules import is_late, report_state
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


@dataclass
class Dashboard:
    rows: list[dict]
    days_left: int
    committees: list[OrgUnit]
    committee: OrgUnit | None

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        counts = Counter(r["state"] for r in self.rows)
        return [(STATE_LABELS[s], STATUS_SYMBOLS[s], counts.get(s, 0)) for s in STATE_LABELS]

    @property
    def late_count(self) -> int:
        return sum(1 for r in self.rows if r["late"])


def round_dashboard(
    rnd: FollowUpRound,
    *,
    user,
    committee_code: str = "",
    wanted: str = "",
    only_late: bool = False,
    today: datetime.date,
) -> Dashboard:
    """The reports of ``rnd`` that ``user`` may see, filtered by committee, state and lateness."""
    committees = {
        c.code: c for c in OrgUnit.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY])
    }
    reports = (
        rnd.reports.filter(access_for(user).units_q(Cap.VIEW, field="org_unit"))
        .select_related("org_unit")
        .order_by("org_unit__path")
    )
    committee = committees.get(committee_code)
    if committee:
        reports = reports.filter(org_unit__path__startswith=committee.path)
    rows = []
    for report in reports:
        state = report_state(report)
        if wanted and state != wanted:
            continue
        late = is_late(rnd, state, today)
        if only_late and not late:
            continue
        committee_of = committees.get(report.org_unit.committee_code or "")
        rows.append(state_row(report, committee=committee_of, late=late))
    return Dashboard(
        rows=rows,
        days_left=(rnd.deadline - today).days,
        committees=sorted(committees.values(), key=lambda c: (c.order, c.name)),
        committee=committee,
    )
