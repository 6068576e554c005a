"""*Min enhet* (the unit page) first shows the unit's reports in the open rounds: the
deadline, where each stands (word and symbol, not colour alone), whether it is late and
a link to write it (or read it). Nothing when no round is open. Registered on the unit
page through ``goals.extensions.UNIT_PAGE_SECTIONS``; one query, for those who may read
the unit's reports."""

from __future__ import annotations

import datetime

from followup.access import can_edit_report
from followup.dashboard import state_row
from followup.models import Report, RoundStatus
from followup.rules import is_late, report_state
from ledmot.access import Cap, access_for
from ledmot.models import OrgUnit


def open_reports_section(unit: OrgUnit, user, today: datetime.date) -> dict | None:
    if not access_for(user).can(Cap.VIEW, unit):
        return None
    reports = Report.objects.filter(org_unit=unit, round__status=RoundStatus.OPEN)
    rows = [
        state_row(
            r,
            late=is_late(r.round, report_state(r), today),
            can_edit=can_edit_report(user, r),
            days_left=(r.round.deadline - today).days,
        )
        for r in reports.select_related("round__kind").order_by("round__deadline", "pk")
    ]
    return {"template": "followup/_unit_reports.html", "rows": rows} if rows else None
