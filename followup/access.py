"""Access helpers for follow-up: 404 out of scope, 403 read-only (rules in ledmot.access)."""

from __future__ import annotations

import functools
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from followup.models import FollowUpRound, GeneratedReport, Report, ReportStatus, RoundStatus
from followup.report_pdf import report_orgs
from followup.rules import (
    report_frozen,
    report_lock_message,
    transition_refusal,
    unapprove_refusal,
)
from ledmot.access import ROLE_CAPS, Cap, access_for, nearest_holders, refusal
from ledmot.lib.kept import kept
from ledmot.models import OrgUnit, RoleAssignment


def can_manage_rounds(user) -> bool:
    return access_for(user).can_at_root(Cap.MANAGE)


def can_view_report(user, report: Report) -> bool:
    return access_for(user).can(Cap.VIEW, report.org_unit)


def can_edit_report(user, report: Report) -> bool:
    return report_lock_message(report) is None and access_for(user).can(Cap.EDIT, report.org_unit)


def _approver_unit(report: Report):
    """Approval is done from above: a role on the unit's parent (committee, council).
    The council's own report has nothing above it: an approver of the council approves."""
    return report.org_unit.parent or report.org_unit


def approvable_q(user) -> Q:
    """A filter on Report for the reports ``user`` may approve by :func:`_approver_unit`
    (whatever their status): a role on the unit's parent, or on the council for its own."""
    access = access_for(user)
    q = access.units_q(Cap.APPROVE, field="org_unit__parent")
    if access.can_at_root(Cap.APPROVE):
        q |= Q(org_unit__parent__isnull=True)
    return q


def waiting_for(user, reports: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The reports that wait for ``user`` to approve them (*Att granska*): submitted, in an
    open round, approvable by them (:func:`approvable_q`), and with no one nearer to the
    report who may approve it: nobody active holds an approving role on a unit between
    the user's role and the report's approver unit (:func:`_approver_unit`).

    So a unit's report waits for its committee's approver, not for every controller of
    the council above them, who may approve it too (from the round's dashboard); the
    council's controller has the committees' own reports waiting, and every report
    whose line has no approver below the council. Those holding equally near roles
    (two approvers on one committee) both have it waiting. ``reports``: to narrow
    further (default all reports). The one rule of the list on /uppfoljning/att-granska/
    and the round list's section; :func:`waiting_counts` counts by the same rule."""
    reports = Report.objects.all() if reports is None else reports
    if _waiting_rule(user) is None:
        return reports.none()
    # The approver units whose reports wait, found by waiting_counts' grouped query:
    # one IN list, not one LIKE per approver below the person (slow to build).
    return _submitted_in_open_round(reports).filter(approver_path__in=_waiting(user)[1])


def _submitted_in_open_round(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Submitted reports of open rounds, with the path of their approver unit
    (:func:`_approver_unit`) as ``approver_path``."""
    return reports.filter(status=ReportStatus.SUBMITTED, round__status=RoundStatus.OPEN).alias(
        approver_path=Coalesce("org_unit__parent__path", "org_unit__path")
    )


def _waiting_rule(user) -> list[tuple[str, list[str]]] | None:
    """:func:`waiting_for`'s rule as data: per path where ``user`` approves, the
    outermost paths below it where someone else active approves (nearer to a report
    under them). A report waits for ``user`` when its approver path starts with one
    of the paths and with none of that path's nearer ones (:func:`_waits`). None: the
    user approves nowhere."""
    access = access_for(user)
    if not access.can_anywhere(Cap.APPROVE):
        return None
    # A superuser holds every role without a grant: nearer than nobody.
    paths = {g.path for g in access.grants if Cap.APPROVE in g.caps}
    if access.is_superuser:
        paths = {""}
    approvers = _approver_paths(user)
    return [
        (path, _outermost(a for a in approvers if a.startswith(path) and a != path))
        for path in sorted(paths)
    ]


def _waits(rule: list[tuple[str, list[str]]], approver_path: str) -> bool:
    """Whether a report whose approver unit has ``approver_path`` waits by ``rule``."""
    return any(
        approver_path.startswith(path) and not any(approver_path.startswith(o) for o in nearer)
        for path, nearer in rule
    )


def waiting_counts(user) -> dict[int, int]:
    """How many reports wait for ``user`` (:func:`waiting_for`) per open round."""
    return _waiting(user)[0]


def _waiting(user) -> tuple[dict[int, int], list[str]]:
    """The counts of :func:`waiting_counts` and the paths of the approver units whose
    submitted reports wait for ``user``, read once per request (cached on the user
    object: the menu's count, the round list and *Att granska* share it). One query
    counts the submitted reports of open rounds under the person's roles per round and
    approver unit, and the rule (:func:`_waits`) is applied to those rows (a few per
    committee, whatever the number of reports): as a filter of one ``LIKE`` per approver
    below the person, building the query was most of the menu's time on every page.

    The query narrows by the report's own unit path (an approver unit under a path has
    its units under it too; :func:`_waits` is exact): a ``LIKE`` on the approver path, an
    expression, has no statistics, so PostgreSQL took it for a few rows and read every
    unit's reports of every round (33,000 buffers at four times a large municipality,
    on every page an approver opens); on the indexed path it starts from the submitted
    reports of the open round (about 300)."""
    cached = getattr(user, "_ledmot_waiting", None)
    if cached is None:
        inputs = (Report, FollowUpRound, *_people_inputs())
        make = lambda: _waiting_made(user)  # noqa: E731
        user._ledmot_waiting = cached = kept("followup-waiting", user.pk, inputs, make, KEPT)
    return cached


#: How long the reports waiting for someone and the approvers are kept at most. They are
#: made from every submitted report and every approver's role, which grow with the
#: municipality, on every page an approver opens; what they depend on (the reports and
#: their status, the rounds open or closed, the roles, the organisation's paths, who is
#: active or a superuser) leaves a history row on every write, so they are made anew
#: as soon as any of it changes (``ledmot.lib.kept``).
KEPT = 600


@functools.cache
def _people_inputs() -> tuple:
    # Once: ``hasattr(model, "history")`` builds simple_history's manager class.
    user_model = get_user_model()
    return (RoleAssignment, OrgUnit, *([user_model] if hasattr(user_model, "history") else []))


def _waiting_made(user) -> tuple[dict[int, int], list[str]]:
    counts: Counter[int] = Counter()
    paths: set[str] = set()
    rule = _waiting_rule(user)
    if rule:
        under = Q(pk__in=[])
        for path in _outermost(path for path, _nearer in rule):
            under |= Q(org_unit__path__startswith=path)
        rows = (
            _submitted_in_open_round(Report.objects.all())
            .filter(under)
            .annotate(approver=F("approver_path"))
            .order_by()
            .values_list("round_id", "approver")
            .annotate(n=Count("pk"))
        )
        for round_id, approver_path, n in rows:
            if _waits(rule, approver_path):
                counts[round_id] += n
                paths.add(approver_path)
    return dict(counts), sorted(paths)


def _approver_paths(user) -> set[str]:
    """The paths of the units where someone active holds an approving role (a few per
    committee), read once per request (cached on the user object like its Access).

    Read apart from the reports: as a subquery per report it scanned every role of the
    municipality per submitted report (115 ms at large size, on every page an approver
    opens, through the menu's count); this way the count is two queries of 1–2 ms."""
    cached = getattr(user, "_ledmot_approver_paths", None)
    if cached is None:
        cached = kept("followup-approvers", None, _people_inputs(), _approver_paths_made, KEPT)
        user._ledmot_approver_paths = cached
    return cached


def _approver_paths_made() -> set[str]:
    return set(
        RoleAssignment.objects.filter(
            role__in=[role for role, caps in ROLE_CAPS.items() if Cap.APPROVE in caps],
            user__is_active=True,
        )
        .values_list("org_unit__path", flat=True)
        .distinct()
    )


def _outermost(paths) -> list[str]:
    """The paths not below another of ``paths``: the smallest set of prefixes covering
    them all."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def can_approve_report(user, report: Report) -> bool:
    return transition_refusal(report, ReportStatus.APPROVED) is None and access_for(user).can(
        Cap.APPROVE, _approver_unit(report)
    )


def report_approvers(report: Report) -> list:
    """The people a submitted report waits for: those who approve it by
    :func:`_approver_unit`, on the nearest unit above the report's that has any."""
    return nearest_holders(Cap.APPROVE, _approver_unit(report))


def report_editors(report: Report) -> list:
    """The people who write the report: editors of its unit, else of the nearest unit
    above (the same people the reminders go to)."""
    return nearest_holders(Cap.EDIT, report.org_unit)


def can_unapprove_report(user, report: Report) -> bool:
    """An approver of the report (as for approving) can undo its approval until the
    round closes."""
    return unapprove_refusal(report) is None and access_for(user).can(
        Cap.APPROVE, _approver_unit(report)
    )


def get_round(request, pk) -> FollowUpRound:
    return get_object_or_404(FollowUpRound.objects.select_related("kind"), pk=pk)


def get_round_for_manage(request, pk) -> FollowUpRound:
    rnd = get_round(request, pk)
    if not can_manage_rounds(request.user):
        raise refusal(Cap.MANAGE, at_root=True)
    return rnd


def get_report_for_view(request, pk) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("round__kind", "org_unit__parent"), pk=pk
    )
    if not can_view_report(request.user, report):
        raise Http404
    return report


class ReportLocked(PermissionDenied):
    """The user may work on the report, but it is locked (``followup.rules``): refused
    with the message that says why."""

    def __init__(self, report: Report, message: str):
        super().__init__(message)
        self.report, self.message = report, message


def get_report_for_edit(request, pk) -> Report:
    report = get_report_for_view(request, pk)
    if not access_for(request.user).can(Cap.EDIT, report.org_unit):
        raise refusal(Cap.EDIT, report.org_unit)
    if message := report_lock_message(report):
        raise ReportLocked(report, message)
    return report


def get_report_for_approval(request, pk) -> Report:
    report = get_report_for_view(request, pk)
    if not access_for(request.user).can(Cap.APPROVE, _approver_unit(report)):
        raise refusal(Cap.APPROVE, _approver_unit(report))
    if report_frozen(report):
        raise ReportLocked(report, report_lock_message(report))
    if not can_approve_report(request.user, report):
        raise PermissionDenied(_("Bara en inlämnad rapport kan godkännas eller återsändas."))
    return report


def get_report_for_unapproval(request, pk) -> Report:
    report = get_report_for_view(request, pk)
    if not access_for(request.user).can(Cap.APPROVE, _approver_unit(report)):
        raise refusal(Cap.APPROVE, _approver_unit(report))
    if message := unapprove_refusal(report):
        raise ReportLocked(report, message)
    return report


# --- report PDFs ----------------------------------------------------------------------------


def _can(user, cap: Cap, org: OrgUnit | None) -> bool:
    access = access_for(user)
    return access.can_at_root(cap) if org is None else access.can(cap, org)


def report_targets(user, cap: Cap, orgs=None) -> list[OrgUnit | None]:
    """What ``user`` may make (MANAGE) or read (VIEW) reports for; None = the
    whole municipality. ``orgs``: the committees, when the caller has them."""
    access = access_for(user)
    whole = [None] if access.can_at_root(cap) else []
    orgs = report_orgs() if orgs is None else orgs
    return whole + [o for o in orgs if o.active and access.can(cap, o)]


def generated_reports_for(user, rnd: FollowUpRound) -> list[GeneratedReport]:
    """The reports made for the round that ``user`` may read, newest first."""
    access = access_for(user)
    root = access.can_at_root(Cap.VIEW)
    return [
        r
        for r in rnd.generated_reports.select_related("org_unit", "created_by")
        if (root if r.org_unit is None else access.can(Cap.VIEW, r.org_unit))
    ]


def get_generated_report(request, pk: int, job_pk: int) -> GeneratedReport:
    job = get_object_or_404(
        GeneratedReport.objects.select_related("round__kind", "org_unit", "created_by"),
        pk=job_pk,
        round_id=pk,
    )
    if not _can(request.user, Cap.VIEW, job.org_unit):
        raise Http404
    return job


# --- the annual wheel -----------------------------------------------------------------------


def can_manage_wheel(user) -> bool:
    """The annual wheel belongs to the whole municipality: kept at the council."""
    return access_for(user).can_at_root(Cap.MANAGE)


def require_wheel_manager(request) -> None:
    if not can_manage_wheel(request.user):
        raise refusal(Cap.MANAGE, at_root=True)
