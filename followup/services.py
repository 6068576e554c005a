"""Follow-up workflows: opening a round, saving, submitting, returning, approving, closing."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from followup import notifications
from followup.assignments import report_assignments
from followup.models import (
    ActivityUpdate,
    AssignmentUpdate,
    FollowUpRound,
    GoalAssessment,
    NotificationEvent,
    Report,
    ReportStatus,
    RoundKind,
    RoundStatus,
)
from followup.report_page import value_rows
from followup.rules import (
    activity_in_year_q,
    report_frozen,
    report_lock_message,
    report_missing,
    round_exists_message,
    round_overlap,
    transition_refusal,
    unapprove_refusal,
)
from followup.submitted_values import submitted_values_record
from followup.wheel_models import WheelStep, shift_years
from goals.models import Activity, Goal, GoalStatus, MandatePeriod
from goals.services import assignment_status_set
from ledmot import clock
from ledmot.models import OrgKind, OrgUnit
from ledmot.services import (
    ConflictError,
    LockedError,
    attributed_save,
    versioned_delete,
    versioned_save,
)

__all__ = ["LockedError"]  # re-exported: the follow-up screens catch it from here


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interim_warnings(
    kind: RoundKind, period_end: datetime.date | None, council_date: datetime.date | None
) -> list[str]:
    """Where a delårsrapport would not meet the law (11 kap. 1 § kommunala
    bokförings- och redovisningslagen): it covers at least half and at most two
    thirds of the year, and reaches the council within two months of the period end."""
    if not kind.is_interim or period_end is None:
        return []
    warnings = []
    year_start = datetime.date(period_end.year, 1, 1)
    covered = (period_end - year_start).days + 1
    days_in_year = (datetime.date(period_end.year + 1, 1, 1) - year_start).days
    if covered * 2 < days_in_year:
        warnings.append(_("Delårsrapporten täcker mindre än halva året."))
    if covered * 3 > days_in_year * 2 + 3:
        warnings.append(_("Delårsrapporten täcker mer än två tredjedelar av året."))
    if council_date is None:
        warnings.append(
            _("Ange när rapporten behandlas i fullmäktige: det ska ske inom två månader.")
        )
    elif council_date > add_months(period_end, 2):
        warnings.append(
            _("Fullmäktige behandlar rapporten senare än två månader efter periodens slut.")
        )
    return warnings


def units_in_scope(*, year: int, scope: list[OrgUnit]):
    """Org units in scope that have goals or activities in ``year``."""
    period = MandatePeriod.objects.filter(start_year__lte=year, end_year__gte=year).first()
    live = [GoalStatus.ADOPTED, GoalStatus.REVISED]
    has_goals = Q(goals__mandate_period=period, goals__status__in=live)
    has_activities = Q(
        activities__goal__mandate_period=period,
        activities__goal__status__in=live,
    ) & activity_in_year_q(year, prefix="activities__")
    units = OrgUnit.objects.filter(active=True).filter(has_goals | has_activities)
    if scope:
        in_scope = Q(pk__in=[])
        for committee in scope:
            in_scope |= Q(path__startswith=committee.path)
        if any(c.kind == OrgKind.COUNCIL for c in scope):
            in_scope = Q()
        units = units.filter(in_scope | Q(kind=OrgKind.COUNCIL))
    return units.distinct().order_by("path"), period


@transaction.atomic
def round_open(
    *,
    kind: RoundKind,
    year: int,
    period_end: datetime.date,
    deadline: datetime.date,
    council_date: datetime.date | None,
    scope: list[OrgUnit],
    user,
) -> FollowUpRound:
    """Open a round and create a report for every unit in scope with goals or activities.

    The kind's row is locked while looking for a round of the same kind and period
    end over the same committees, so it is opened once however often (or by however
    many controllers at once) it is asked for."""
    RoundKind.objects.select_for_update().get(pk=kind.pk)
    wanted = {u.pk for u in scope}
    for existing in FollowUpRound.objects.filter(kind=kind, period_end=period_end):
        if round_overlap(wanted, set(existing.scope.values_list("pk", flat=True))):
            raise ValidationError({"period_end": round_exists_message(existing)})
    rnd = FollowUpRound(
        kind=kind,
        year=year,
        period_end=period_end,
        deadline=deadline,
        council_date=council_date,
        opened_by=user,
    )
    rnd.full_clean(exclude=["scope", "opened_by"])
    rnd._history_user = user
    rnd.save()
    rnd.scope.set(scope)
    units, period = units_in_scope(year=year, scope=scope)
    units = list(units)
    reports = [Report(round=rnd, org_unit=u) for u in units]
    reports = bulk_create_with_history(reports, Report, default_user=user, default_date=clock.now())
    by_unit = {r.org_unit_id: r for r in Report.objects.filter(round=rnd)}
    goals = (
        Goal.objects.filter(
            owner__in=units,
            mandate_period=period,
            status__in=[GoalStatus.ADOPTED, GoalStatus.REVISED],
        )
        .with_proposal()
        .order_by("pk")
    )
    bulk_create_with_history(
        [
            GoalAssessment(report=by_unit[g.owner_id], goal=g, proposed=g.proposal)
            for g in goals
            if g.owner_id in by_unit
        ],
        GoalAssessment,
        default_user=user,
        default_date=clock.now(),
    )
    activities = (
        Activity.objects.filter(owner__in=units, goal__mandate_period=period)
        .filter(activity_in_year_q(year))
        .exclude(goal__status=GoalStatus.ENDED)
    )
    bulk_create_with_history(
        [
            ActivityUpdate(report=by_unit[a.owner_id], activity=a, status=a.status)
            for a in activities
            if a.owner_id in by_unit
        ],
        ActivityUpdate,
        default_user=user,
        default_date=clock.now(),
    )
    bulk_create_with_history(
        [
            AssignmentUpdate(report=by_unit[a.owner_id], assignment=a, status=a.status)
            for a in report_assignments(year=year, units=units, period_end=period_end)
            if a.owner_id in by_unit
        ],
        AssignmentUpdate,
        default_user=user,
        default_date=clock.now(),
    )
    return rnd


def _require_editable(report: Report):
    if message := report_lock_message(report):
        raise LockedError(message)


def _require_transition(report: Report, to: str):
    if message := transition_refusal(report, to):
        raise (LockedError if report_frozen(report) else ValidationError)(message)


def _piece_save(obj, *, user, expected_version: int | None):
    """Save one piece of a report (a goal's assessment, an activity's status) as
    ``versioned_save`` does, except that a post which would change nothing writes
    nothing and is no conflict, even from an older version: the draft save and the
    "Spara" button sending the same text, or a second click, lose nobody's work.
    ``obj`` gets the version now saved, for the page's next save."""
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if all(
        getattr(obj, f.attname) == getattr(current, f.attname)
        for f in obj._meta.concrete_fields
        if f.name != "version"
    ):
        obj.version = current.version
        return obj
    return versioned_save(obj, user=user, expected_version=expected_version)


@transaction.atomic
def assessment_save(
    *, assessment: GoalAssessment, user, expected_version: int | None
) -> GoalAssessment:
    """Save one goal's assessment in a report (drafts save as you go)."""
    report = Report.objects.select_for_update().select_related("round").get(pk=assessment.report_id)
    _require_editable(report)
    _piece_save(assessment, user=user, expected_version=expected_version)
    if not report.started:
        report.started = True
        versioned_save(report, user=user, expected_version=None, reason=_("Påbörjad"))
    return assessment


@transaction.atomic
def activity_update_save(*, update: ActivityUpdate, user, expected_version: int | None):
    report = Report.objects.select_for_update().select_related("round").get(pk=update.report_id)
    _require_editable(report)
    _piece_save(update, user=user, expected_version=expected_version)
    if not report.started:
        report.started = True
        versioned_save(report, user=user, expected_version=None, reason=_("Påbörjad"))
    return update


@transaction.atomic
def assignment_update_save(
    *, update: AssignmentUpdate, user, expected_version: int | None
) -> AssignmentUpdate:
    """Save an assignment's status and comment in its owner's report (drafts save as
    you go). The status becomes the assignment's current one only when the report
    counts (``report_submit``), as an activity's reported status counts only then: a
    draft is the owner's work in progress. A new update (an assignment given while the
    round was open) is created by its first save; if someone else created it meanwhile,
    theirs stands unless this one says the same."""
    report = Report.objects.select_for_update().select_related("round").get(pk=update.report_id)
    _require_editable(report)
    if update.pk is None:
        existing = AssignmentUpdate.objects.filter(
            report=report, assignment_id=update.assignment_id
        ).first()
        if existing is not None:
            if (existing.status, existing.comment) != (update.status, update.comment):
                raise ConflictError(existing)
            update.pk, update.version = existing.pk, existing.version
        else:
            update.full_clean()
            versioned_save(update, user=user, expected_version=None, reason=_("Rapporterad"))
    else:
        _piece_save(update, user=user, expected_version=expected_version)
    if not report.started:
        report.started = True
        versioned_save(report, user=user, expected_version=None, reason=_("Påbörjad"))
    return update


@transaction.atomic
def report_submit(*, report: Report, user, expected_version: int) -> Report:
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    _require_transition(report, ReportStatus.SUBMITTED)
    missing = report_missing(
        report.assessments.select_related("goal").order_by("goal__level", "goal__order", "goal__pk")
    )
    if missing:
        raise ValidationError(
            [
                _("%(goal)s: %(problems)s")
                % {"goal": a.goal.title, "problems": ", ".join(str(p) for p in problems)}
                for a, problems in missing
            ]
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = clock.now()
    report.submitted_by = user
    report.return_comment = ""
    report = versioned_save(
        report, user=user, expected_version=expected_version, reason=_("Inlämnad")
    )
    submitted_values_record(report=report, rows=value_rows(report))
    _assignments_reported(report, user=user)
    notifications.report_event(report=report, event=NotificationEvent.SUBMITTED, actor=user)
    return report


def _assignments_reported(report: Report, *, user) -> None:
    """The statuses reported for the report's assignments become their current ones,
    now that the report counts (``followup.rules.COUNTED_STATUSES``)."""
    for u in report.assignment_updates.select_related("assignment").order_by("pk"):
        assignment_status_set(
            assignment=u.assignment, status=u.status, user=user, reason=str(report.round)
        )


@transaction.atomic
def report_return(*, report: Report, user, comment: str, expected_version: int) -> Report:
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    _require_transition(report, ReportStatus.RETURNED)
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv vad som ska kompletteras.")})
    report.status = ReportStatus.RETURNED
    report.return_comment = comment.strip()
    versioned_save(report, user=user, expected_version=expected_version, reason=_("Återsänd"))
    notifications.report_event(
        report=report, event=NotificationEvent.RETURNED, actor=user, comment=report.return_comment
    )
    return report


@transaction.atomic
def report_approve(*, report: Report, user, expected_version: int) -> Report:
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    _require_transition(report, ReportStatus.APPROVED)
    report.status = ReportStatus.APPROVED
    report.approved_at = clock.now()
    report.approved_by = user
    versioned_save(report, user=user, expected_version=expected_version, reason=_("Godkänd"))
    notifications.report_event(report=report, event=NotificationEvent.APPROVED, actor=user)
    return report


@transaction.atomic
def report_unapprove(*, report: Report, user, expected_version: int) -> Report:
    """Undo an approval while the round is open (``followup.rules.unapprove_refusal``):
    the report is submitted again, waiting for its approver, and the lock on the unit's
    values of the round's periods (``followup.locks``) goes with the approval."""
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    if message := unapprove_refusal(report):
        raise (LockedError if report.round.is_closed else ValidationError)(message)
    report.status = ReportStatus.SUBMITTED
    report.approved_at = None
    report.approved_by = None
    report = versioned_save(
        report, user=user, expected_version=expected_version, reason=_("Godkännandet ångrat")
    )
    notifications.earlier_steps_done(report=report)
    return report


@transaction.atomic
def round_close(*, rnd: FollowUpRound, user) -> FollowUpRound:
    rnd = FollowUpRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.is_closed:
        return rnd
    rnd.status = RoundStatus.CLOSED
    rnd.closed_at = clock.now()
    attributed_save(rnd, user=user, reason=_("Stängd"))
    return rnd


# --------------------------------------------------------------------------- the annual wheel


class WheelCopyError(ValidationError):
    """The year cannot be copied (nothing to copy, or the target already has steps)."""


@transaction.atomic
def wheel_step_save(*, step: WheelStep, user, expected_version: int | None) -> WheelStep:
    """Create or change one step of the annual wheel (with the version check)."""
    reason = "" if step.pk else _("Skapat")
    return versioned_save(step, user=user, expected_version=expected_version, reason=reason)


@transaction.atomic
def wheel_step_delete(*, step: WheelStep, user, expected_version: int) -> None:
    """Remove a step, unless it was changed after the person chose to remove it."""
    versioned_delete(step, user=user, expected_version=expected_version, reason=_("Borttaget"))


@transaction.atomic
def wheel_copy_year(*, from_year: int, to_year: int, user) -> list[WheelStep]:
    """Start ``to_year`` from the steps of ``from_year``, dates moved by whole years.

    Refused when ``to_year`` already has steps (so a double click copies once) or
    ``from_year`` has none. Every new step gets a history row with ``user``.
    """
    # Locking the source rows makes a simultaneous second copy wait, then see the first.
    source = list(WheelStep.objects.select_for_update().in_year(from_year))
    if not source:
        raise WheelCopyError(
            _("Det finns inga steg för %(year)s att kopiera.") % {"year": from_year}
        )
    if WheelStep.objects.filter(year=to_year).exists():
        raise WheelCopyError(
            _("Årshjulet för %(year)s har redan steg. Inget har kopierats.") % {"year": to_year}
        )
    delta = to_year - from_year
    reason = _("Kopierad från %(year)s") % {"year": from_year}
    copies = []
    for step in source:
        copy = WheelStep(
            year=to_year,
            title=step.title,
            kind=step.kind,
            start=shift_years(step.start, delta),
            end=shift_years(step.end, delta) if step.end else None,
            description=step.description,
            order=step.order,
        )
        copy.full_clean()
        attributed_save(copy, user=user, reason=reason)
        copies.append(copy)
    return copies
