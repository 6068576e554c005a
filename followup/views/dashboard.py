"""A round's dashboard: how many reports stand where per committee, days to the
deadline, late ones; a committee's (or a state's) reports one click away, a page at a
time; the same rows as Excel (``?export=xlsx``) and the round's report PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from followup.access import (
    can_manage_rounds,
    generated_reports_for,
    get_round,
    get_round_for_manage,
    report_targets,
)
from followup.assignments import overdue_in_round
from followup.dashboard import STATE_LABELS
from followup.dashboard import round_dashboard as dashboard_for
from followup.exports import dashboard_xlsx
from followup.extensions import ROUND_DASHBOARD_SECTIONS, extra_sections
from followup.forms import ReportPdfForm
from followup.reminders import send_reminders
from ledmot.access import Cap


@login_required
@require_GET
def round_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round(request, pk)
    wanted = request.GET.get("status", "")
    only_late = bool(request.GET.get("sena"))
    dashboard = dashboard_for(
        rnd,
        user=request.user,
        committee_code=request.GET.get("namnd", ""),
        wanted=wanted,
        only_late=only_late,
        today=timezone.localdate(),
    )
    if request.GET.get("export") == "xlsx":
        return dashboard_xlsx(rnd, dashboard)
    pdf_targets = report_targets(request.user, Cap.MANAGE, dashboard.committees)
    # Landing: the counts per committee; a committee, a state or "late" chosen (a link in
    # the counts or the filter form): that list, a page at a time.
    drilled = bool(dashboard.committee or wanted or only_late)
    page, rows = dashboard.page(request.GET.get("sida")) if drilled else (None, [])
    query = request.GET.copy()
    query.pop("sida", None)
    overdue, overdue_count = overdue_in_round(rnd, timezone.localdate())
    can_manage = can_manage_rounds(request.user)
    return render(
        request,
        "followup/round_dashboard.html",
        {
            "round": rnd,
            "drilled": drilled,
            "rows": rows,
            "page": page,
            "filter_query": query.urlencode(),
            # Counted per committee over the whole round only for the landing view's
            # table: a committee's list shows its own counts.
            "per_committee": [] if drilled else dashboard.per_committee,
            "totals": dashboard.totals,
            "counts": dashboard.counts,
            "late_count": dashboard.late_count,
            "days_left": dashboard.days_left,
            "days_late": -dashboard.days_left,
            "committees": dashboard.committees,
            "committee": dashboard.committee,
            "states": list(STATE_LABELS.items()),
            "wanted": wanted,
            "only_late": only_late,
            "can_manage": can_manage,
            "unsubmitted": dashboard.unsubmitted_count if can_manage and not rnd.is_closed else 0,
            "export_query": request.GET.urlencode(),
            "pdf_form": ReportPdfForm(orgs=pdf_targets) if pdf_targets else None,
            "generated_reports": generated_reports_for(request.user, rnd),
            "overdue_assignments": overdue,
            "overdue_assignment_count": overdue_count,
            "extra_sections": extra_sections(ROUND_DASHBOARD_SECTIONS, rnd, request.user),
        },
    )


@login_required
@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind now the writers of the round's reports not yet submitted (the rules of
    ``send_reminders``: nobody twice the same day about a report)."""
    rnd = get_round_for_manage(request, pk)
    summary = send_reminders(timezone.localdate(), rnd=rnd, user=request.user)
    if summary.sent:
        messages.success(
            request,
            ngettext(
                "Påminnelse skickad till %(n)s enhet som inte har lämnat in.",
                "Påminnelser skickade till %(n)s enheter som inte har lämnat in.",
                summary.sent,
            )
            % {"n": summary.sent},
        )
    else:
        messages.info(request, _("Ingen påminnelse skickades."))
    if summary.already_today:
        messages.info(
            request,
            ngettext(
                "%(n)s enhet har redan påmints i dag och fick ingen ny påminnelse.",
                "%(n)s enheter har redan påmints i dag och fick ingen ny påminnelse.",
                summary.already_today,
            )
            % {"n": summary.already_today},
        )
    if summary.skipped_no_recipient:
        messages.warning(
            request,
            _("Ingen mottagare med e-postadress för %(units)s.")
            % {"units": ", ".join(summary.skipped_no_recipient)},
        )
    if summary.failed:
        messages.error(
            request,
            _(
                "E-postservern svarade inte: påminnelsen till %(units)s kunde inte skickas. "
                "Försök igen om en stund."
            )
            % {"units": ", ".join(summary.failed)},
        )
    return redirect("followup:round_dashboard", pk=rnd.pk)
