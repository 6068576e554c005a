"""Reminder mails before the deadline and when late; never the same mail twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from followup.models import FollowUpRound, Reminder, Report, RoundStatus
from followup.rules import EDITABLE_STATUSES
from ledmot.access import Cap, nearest_holders
from ledmot.lib.mail import Outcome, mail_to, send_once
from ledmot.models import RoleAssignment


@dataclass
class Summary:
    sent: int = 0
    skipped_no_recipient: list[str] = field(default_factory=list)
    already_today: int = 0  # reports reminded earlier the same day: not again
    failed: list[str] = field(default_factory=list)  # the mail server was away: next run


def responsible_users(report: Report, assignments) -> list:
    """Users who may write the report: editors of the unit, else of the nearest unit above."""
    return nearest_holders(Cap.EDIT, report.org_unit, assignments, with_email=True)


def _due_kind(report: Report, today: datetime.date, last: dict) -> str | None:
    deadline = report.round.deadline
    if today > deadline:
        previous = last.get((report.pk, Reminder.Kind.LATE))
        every = settings.LEDMOT_REMINDER_LATE_EVERY_DAYS
        if previous is None or (today - previous).days >= every:
            return Reminder.Kind.LATE
        return None
    soon = (deadline - today).days <= settings.LEDMOT_REMINDER_DAYS_BEFORE
    if soon and (report.pk, Reminder.Kind.BEFORE) not in last:
        return Reminder.Kind.BEFORE
    return None


def send_reminders(today: datetime.date, *, rnd: FollowUpRound | None = None, user=None) -> Summary:
    """Remind the writers of the reports not yet submitted (draft or returned) in open
    rounds; nobody twice the same day about a report.

    Without ``rnd`` (``manage.py send_reminders``, daily): the reports that are due a
    reminder, before the deadline (once) and when late (every few days). With ``rnd``
    (a controller, ``user``, from the round's dashboard): every report of the round not
    yet submitted that was not reminded today."""
    summary = Summary()
    reports = Report.objects.filter(round__status=RoundStatus.OPEN, status__in=EDITABLE_STATUSES)
    if rnd is not None:
        reports = reports.filter(round=rnd)
    reports = list(
        reports.select_related("round__kind", "org_unit").order_by(
            "round__deadline", "org_unit__path"
        )
    )
    last: dict = {}
    reminded_today: set[int] = set()
    for r in Reminder.objects.filter(report__in=reports).order_by("sent_on"):
        last[(r.report_id, r.kind)] = r.sent_on
        if r.sent_on == today:
            reminded_today.add(r.report_id)
    assignments = list(
        RoleAssignment.objects.select_related("org_unit", "user").filter(user__is_active=True)
    )
    for report in reports:
        if report.pk in reminded_today:
            summary.already_today += 1
            continue
        kind = Reminder.Kind.MANUAL if rnd is not None else _due_kind(report, today, last)
        if kind is None:
            continue
        users = responsible_users(report, assignments)
        if not users:
            summary.skipped_no_recipient.append(report.org_unit.name)
            continue
        # The row is written first: a second run the same day hits the unique
        # constraint (one reminder per report and day) and sends nothing.
        outcome = send_once(
            partial(
                Reminder.objects.create,
                report=report,
                kind=kind,
                sent_on=today,
                recipients=", ".join(u.email for u in users),
                sent_by=user,
            ),
            partial(_mail, report, kind, users, today),
            what=f"report {report.pk}",
        )
        if outcome is Outcome.ALREADY:
            summary.already_today += 1
        elif outcome is Outcome.FAILED:
            summary.failed.append(report.org_unit.name)
        else:
            summary.sent += 1
    return summary


def last_reminded_q():
    """The day a report was last reminded (an annotation on Report, None if never)."""
    return Subquery(
        Reminder.objects.filter(report=OuterRef("pk")).order_by("-sent_on").values("sent_on")[:1]
    )


def _mail(report: Report, kind: str, users, today: datetime.date) -> None:
    rnd = report.round
    url = report_url(report)
    context = {
        "round": f"{rnd.kind} {rnd.year}",
        "unit": report.org_unit.name,
        "deadline": rnd.deadline.strftime("%Y-%m-%d"),
        "url": url,
        "days": abs((rnd.deadline - today).days),
    }
    if kind == Reminder.Kind.LATE or (kind == Reminder.Kind.MANUAL and today > rnd.deadline):
        subject = _("Försenad: %(round)s för %(unit)s") % context
        body = (
            _(
                "Rapporten %(round)s för %(unit)s skulle ha lämnats in %(deadline)s och är "
                "%(days)s dagar sen.\n\nLämna in den här: %(url)s"
            )
            % context
        )
    else:
        subject = _("Påminnelse: %(round)s för %(unit)s senast %(deadline)s") % context
        body = (
            _(
                "Rapporten %(round)s för %(unit)s ska lämnas in senast %(deadline)s "
                "(om %(days)s dagar).\n\nFyll i den här: %(url)s"
            )
            % context
        )
    mail_to(subject, body, users)


def report_url(report: Report) -> str:
    """The report's address as a link in a mail (``LEDMOT_BASE_URL``)."""
    return settings.LEDMOT_BASE_URL.rstrip("/") + reverse(
        "followup:report_detail", args=[report.pk]
    )
