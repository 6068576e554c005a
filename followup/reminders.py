"""Reminder mails before the deadline and when late; never the same mail twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from followup.models import Reminder, Report, RoundStatus
from followup.rules import EDITABLE_STATUSES
from ledmot.access import ROLE_CAPS, Cap
from ledmot.models import RoleAssignment


@dataclass
class Summary:
    sent: int = 0
    skipped_no_recipient: list[str] = field(default_factory=list)


def responsible_users(report: Report, assignments) -> list:
    """Users who may write the report: editors of the unit, else of the nearest unit above."""
    edit_roles = {role for role, caps in ROLE_CAPS.items() if Cap.EDIT in caps}
    by_depth: dict[int, list] = {}
    for a in assignments:
        if a.role in edit_roles and report.org_unit.path.startswith(a.org_unit.path):
            by_depth.setdefault(a.org_unit.path.count("/"), []).append(a.user)
    for depth in sorted(by_depth, reverse=True):
        users = [u for u in by_depth[depth] if u.email and u.is_active]
        if users:
            return sorted(set(users), key=lambda u: u.pk)
    return []


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


def send_reminders(today: datetime.date) -> Summary:
    summary = Summary()
    reports = list(
        Report.objects.filter(round__status=RoundStatus.OPEN, status__in=EDITABLE_STATUSES)
        .select_related("round__kind", "org_unit")
        .order_by("round__deadline", "org_unit__path")
    )
    last: dict = {}
    for r in Reminder.objects.filter(report__in=reports).order_by("sent_on"):
        last[(r.report_id, r.kind)] = r.sent_on
    assignments = list(
        RoleAssignment.objects.select_related("org_unit", "user").filter(user__is_active=True)
    )
    for report in reports:
        kind = _due_kind(report, today, last)
        if kind is None:
            continue
        users = responsible_users(report, assignments)
        if not users:
            summary.skipped_no_recipient.append(report.org_unit.name)
            continue
        try:
            with transaction.atomic():
                # The row is written first: a second run the same day hits the unique
                # constraint and sends nothing.
                Reminder.objects.create(
                    report=report,
                    kind=kind,
                    sent_on=today,
                    recipients=", ".join(u.email for u in users),
                )
                _mail(report, kind, users, today)
        except IntegrityError:
            continue
        summary.sent += 1
    return summary


def _mail(report: Report, kind: str, users, today: datetime.date) -> None:
    rnd = report.round
    url = settings.LEDMOT_BASE_URL.rstrip("/") + reverse("followup:report_detail", args=[report.pk])
    context = {
        "round": f"{rnd.kind} {rnd.year}",
        "unit": report.org_unit.name,
        "deadline": rnd.deadline.strftime("%Y-%m-%d"),
        "url": url,
        "days": abs((rnd.deadline - today).days),
    }
    if kind == Reminder.Kind.LATE:
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
    send_mail(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [u.email for u in users],
        fail_silently=False,
    )
