"""The controller's dashboard of a round (read model): per report where it stands,
which committee it is under and whether it is late, and the summary counts."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from followup.models import FollowUpRound, Report, ReportStatus
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


def report_state(report: Report) -> str:
    if report.status == ReportStatus.DRAFT and not report.started:
        return "not_started"
    return report.status


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
    days_left = (rnd.deadline - today).days
    rows = []
    for report in reports:
        state = report_state(report)
        if wanted and state != wanted:
            continue
        late = not rnd.is_closed and days_left < 0 and state in ("not_started", "draft", "returned")
        if only_late and not late:
            continue
        codes = report.org_unit.ancestor_codes()
        rows.append(
            state_row(
                report,
                committee=committees.get(codes[1]) if len(codes) > 1 else None,
                late=late,
            )
        )
    return Dashboard(
        rows=rows,
        days_left=days_left,
        committees=sorted(committees.values(), key=lambda c: (c.order, c.name)),
        committee=committee,
    )
