"""Follow-up's Excel exports: columns declared once, rows from the screen's read model."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from followup.dashboard import Dashboard
from followup.models import FollowUpRound
from ledmot.lib.xlsx import Column, workbook_response


def dashboard_xlsx(rnd: FollowUpRound, dashboard: Dashboard):
    """The dashboard's rows, exactly as filtered on the screen."""
    return workbook_response(
        f"uppfoljning-{rnd.pk}.xlsx",
        _("Uppföljning"),
        [
            Column(_("Organisation"), 40),
            Column(_("Nämnd"), 36),
            Column(_("Status"), 14),
            Column(_("Sen"), 8),
            Column(_("Sista dag"), 12),
            Column(_("Dagar kvar"), 12, "0"),
            Column(_("Inlämnad"), 18, "yyyy-mm-dd hh:mm"),
        ],
        (
            [
                r["report"].org_unit.name,
                r["committee"].name if r["committee"] else "",
                str(r["state_label"]),
                r["late"],
                rnd.deadline,
                dashboard.days_left,
                timezone.localtime(r["report"].submitted_at) if r["report"].submitted_at else None,
            ]
            for r in dashboard.rows
        ),
    )
