"""Follow-up's domain rules as plain functions, one definition each, called by the
services, the screens and their read models, the report PDF, Röda tråden's
annotation, the reminders and the admin alike (same Swedish message everywhere)."""

from __future__ import annotations

import datetime

from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext as _

from followup.models import FollowUpRound, GoalAssessment, Report, ReportStatus
from goals.fulfilment import Assessment
from goals.periods import ReportingPeriod

# --------------------------------------------------------------------------- opening a round


def round_overlap(scope_ids: set[int], other_scope_ids: set[int]) -> bool:
    """Two rounds' scopes (committee ids; empty = all committees) share a committee."""
    return not scope_ids or not other_scope_ids or bool(scope_ids & other_scope_ids)


def round_exists_message(existing: FollowUpRound) -> str:
    """Why a round of the same kind and period is not opened a second time for the
    same committees (a double click, or two controllers at the same moment)."""
    return _("%(round)s är redan öppnad för samma nämnder.") % {"round": existing}


# --------------------------------------------------------------------------- a report's status

#: A report can be written while it is a draft or returned for revision (and its round open).
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def round_lock_message(rnd: FollowUpRound) -> str | None:
    """Why nothing in ``rnd`` can change (None while it is open)."""
    if rnd.is_closed:
        return _("Uppföljningen är stängd. Rapporten kan inte ändras.")
    return None


def report_lock_message(report: Report) -> str | None:
    """Why the report's texts, assessments and activity statuses cannot change (None
    when they can): its round is closed, or it is submitted or approved."""
    if message := round_lock_message(report.round):
        return message
    if report.status not in EDITABLE_STATUSES:
        return _("Rapporten är %(status)s och kan inte ändras.") % {
            "status": report.get_status_display().lower()
        }
    return None


def report_frozen(report: Report) -> bool:
    """Nothing about the report can change any more: its round is closed or it is approved."""
    return report.round.is_closed or report.status == ReportStatus.APPROVED


def transition_refusal(report: Report, to: str) -> str | None:
    """Why the report cannot move to status ``to`` now (None when it can): the
    workflow is draft/returned → submitted → returned | approved, in an open round."""
    if to == ReportStatus.SUBMITTED or report_frozen(report):
        return report_lock_message(report)
    if report.status != ReportStatus.SUBMITTED:
        if to == ReportStatus.RETURNED:
            return _("Bara en inlämnad rapport kan återsändas.")
        return _("Bara en inlämnad rapport kan godkännas.")
    return None


def unapprove_refusal(report: Report) -> str | None:
    """Why the approval of ``report`` cannot be undone now (None when it can): the approver
    can undo it until the round closes; after that the report is locked for good."""
    if report.round.is_closed:
        return _("Uppföljningen är stängd. Godkännandet kan inte längre ångras.")
    if report.status != ReportStatus.APPROVED:
        return _("Bara en godkänd rapport kan få sitt godkännande ångrat.")
    return None


def report_state(report: Report) -> str:
    """Where a report stands on the dashboard: its status, or ``not_started`` for a
    draft nobody has written in."""
    return state_of(report.status, report.started)


def state_of(status: str, started: bool) -> str:
    """:func:`report_state` of a report with ``status`` and ``started`` (counted rows)."""
    if status == ReportStatus.DRAFT and not started:
        return "not_started"
    return status


def report_state_expr(report: str = ""):
    """:func:`report_state` as an SQL expression (``report`` = the path to the report,
    empty on Report itself), for counting and filtering reports by state in the database
    (the dashboard's counts per committee, the reports below a committee)."""
    prefix = f"{report}__" if report else ""
    return Case(
        When(
            Q(**{f"{prefix}status": ReportStatus.DRAFT, f"{prefix}started": False}),
            then=Value("not_started"),
        ),
        default=F(f"{prefix}status"),
    )


#: The states in which a report past its deadline is late.
PENDING_STATES = ("not_started", ReportStatus.DRAFT, ReportStatus.RETURNED)


def is_late(rnd: FollowUpRound, state: str, today: datetime.date) -> bool:
    return not rnd.is_closed and rnd.deadline < today and state in PENDING_STATES


def late_states(rnd: FollowUpRound, today: datetime.date) -> tuple[str, ...]:
    """The states in which a report of ``rnd`` is late today (:func:`is_late`), to filter
    and count late reports in the database."""
    return tuple(s for s in PENDING_STATES if is_late(rnd, s, today))


def report_missing(assessments) -> list[tuple[GoalAssessment, list[str]]]:
    """Per goal, what stops submission (empty when the report can be submitted)."""
    return [(a, problems) for a in assessments if (problems := a.missing())]


# --------------------------------------------------------------------------- the roll-up

#: Only assessments of submitted or approved reports count in any roll-up (the
#: committee's report page, the report PDF, Röda tråden): a draft is the unit's
#: work in progress, and a politician never sees it as the unit's assessment.
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def counted_q(report: str = "report") -> Q:
    """The assessments that count, as a filter (``report`` = the path to the report)."""
    return Q(**{f"{report}__status__in": COUNTED_STATUSES})


def counts(report_status: str) -> bool:
    return report_status in COUNTED_STATUSES


def counted_assessment(
    report_status: str, chosen: str, *, missing: str = Assessment.NOT_ASSESSED
) -> str:
    """The assessment a reader sees: the chosen one once the report counts, else
    ``missing`` (not assessed)."""
    return chosen if chosen and counts(report_status) else missing


# --------------------------------------------------------------------------- periods


def round_period(period_end: datetime.date, frequency: str) -> ReportingPeriod:
    """The period of an indicator of ``frequency`` that a round ending ``period_end``
    reports: the one containing the period end, or the one before if it has not ended."""
    period = ReportingPeriod.containing(period_end, frequency)
    return period if period.end <= period_end else period.previous()


def activity_in_year_q(year: int, prefix: str = "") -> Q:
    """Activities that run some time in ``year`` (an open start or end runs on)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": start})) & (
        Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": end})
    )
