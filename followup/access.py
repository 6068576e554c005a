"""Access helpers for follow-up: 404 out of scope, 403 read-only (rules in ledmot.access)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from followup.models import FollowUpRound, Report, ReportStatus
from ledmot.access import Cap, access_for


def can_manage_rounds(user) -> bool:
    return access_for(user).can_at_root(Cap.MANAGE)


def can_view_report(user, report: Report) -> bool:
    return access_for(user).can(Cap.VIEW, report.org_unit)


def can_edit_report(user, report: Report) -> bool:
    return (
        not report.round.is_closed
        and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        and access_for(user).can(Cap.EDIT, report.org_unit)
    )


def can_approve_report(user, report: Report) -> bool:
    """Approval is done from above: a role on the unit's parent (committee, council).
    The council's own report has nothing above it: an approver of the council approves."""
    approver_unit = report.org_unit.parent or report.org_unit
    return (
        not report.round.is_closed
        and report.status == ReportStatus.SUBMITTED
        and access_for(user).can(Cap.APPROVE, approver_unit)
    )


def get_round(request, pk) -> FollowUpRound:
    return get_object_or_404(FollowUpRound.objects.select_related("kind"), pk=pk)


def get_round_for_manage(request, pk) -> FollowUpRound:
    rnd = get_round(request, pk)
    if not can_manage_rounds(request.user):
        raise PermissionDenied
    return rnd


def get_report_for_view(request, pk) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("round__kind", "org_unit__parent"), pk=pk
    )
    if not can_view_report(request.user, report):
        raise Http404
    return report


def get_report_for_edit(request, pk) -> Report:
    report = get_report_for_view(request, pk)
    if not can_edit_report(request.user, report):
        raise PermissionDenied
    return report


def get_report_for_approval(request, pk) -> Report:
    report = get_report_for_view(request, pk)
    if not can_approve_report(request.user, report):
        raise PermissionDenied
    return report
