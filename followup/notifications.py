"""Work that finds the person: a report's step (submitted, returned, approved) told to the
people it concerns, by mail and on their start page, once.

:func:`report_event` is called by the step's service (``followup.services``) inside its
transaction: the notices are rows written with the step, so a step rolled back leaves
none, and their mails go after the commit. A row per event, person and report version
(a unique constraint): a step told twice records and mails it once; a mail is sent only
by the call that marks the row mailed.
"""

from __future__ import annotations

import functools
import logging

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.access import report_approvers, report_editors
from followup.models import (
    FollowUpRound,
    Notification,
    NotificationEvent,
    Report,
    RoundKind,
    RoundStatus,
)
from followup.reminders import report_url
from ledmot import clock
from ledmot.lib.html import PkUrl
from ledmot.lib.mail import mail_to
from ledmot.models import OrgUnit

logger = logging.getLogger(__name__)

#: The most notices the start page lists (the rest: "and N more").
SHOWN = 10
#: How often a notice's mail is tried: when the step is taken, then once a day by
#: ``send_reminders`` (:func:`retry_unsent`) until it goes or the notice is read.
MAX_MAIL_ATTEMPTS = 4


def report_event(*, report: Report, event: str, actor, comment: str = "") -> None:
    """Record that ``actor`` took the step ``event`` on ``report`` (as saved by the step,
    with its new version) for the people it concerns, and mail them after the commit.

    Submitted: the report's approvers. Returned (with ``comment``) and approved: its
    editors. The actor is not told of their own step. A step recorded at another moment
    (``ledmot.clock.recorded_at``: the demo's story, an import of past work) is history,
    not news: its notices are kept, but not mailed."""
    earlier_steps_done(report=report)
    people = (
        report_approvers(report) if event == NotificationEvent.SUBMITTED else report_editors(report)
    )
    people = [u for u in people if u.pk != getattr(actor, "pk", None)]
    if not people:
        return
    Notification.objects.bulk_create(
        [
            Notification(
                user=u,
                report=report,
                event=event,
                report_version=report.version,
                actor=actor,
                comment=comment,
                created_at=clock.now(),
            )
            for u in people
        ],
        ignore_conflicts=True,
    )
    if clock.is_recorded():
        return
    transaction.on_commit(
        functools.partial(
            send_pending, report_id=report.pk, event=event, report_version=report.version
        ),
        robust=True,
    )


def earlier_steps_done(*, report: Report) -> int:
    """A report that takes a step (submitted again, returned, approved, its approval
    undone) has left its earlier steps behind: their unread notices, for everyone they
    went to, are done and leave the start page ("Rapport inlämnad" once it is approved,
    "Rapport återsänd" once it is submitted again). How many were."""
    # Notification has no history: a plain update.
    return (
        Notification.objects.filter(report=report, read_at__isnull=True)
        .exclude(report_version=report.version)
        .update(read_at=timezone.now())
    )


def send_pending(*, report_id: int, event: str, report_version: int) -> int:
    """Mail the notices of one step that are not mailed yet; how many were mailed.

    Each row is claimed (``mailed_at`` set where it was empty) before its mail is sent:
    a second call, at the same time or later, finds nothing to claim."""
    sent = 0
    notices = Notification.objects.filter(
        report_id=report_id,
        event=event,
        report_version=report_version,
        mailed_at__isnull=True,
        mail_failures__lt=MAX_MAIL_ATTEMPTS,
    ).select_related("user", "actor", "report__round__kind", "report__org_unit")
    for notice in notices:
        # Notification has no history: a plain update is the atomic claim.
        claimed = Notification.objects.filter(pk=notice.pk, mailed_at__isnull=True).update(
            mailed_at=timezone.now()
        )
        if not claimed or not notice.user.email:
            continue
        try:
            _mail(notice)
        except Exception:
            logger.exception("Could not mail notification %s", notice.pk)
            Notification.objects.filter(pk=notice.pk).update(
                mailed_at=None, mail_failures=F("mail_failures") + 1
            )
            continue
        sent += 1
    return sent


def retry_unsent() -> int:
    """Mail again the notices whose mail failed (fewer than ``MAX_MAIL_ATTEMPTS`` times),
    as long as they are news: unread, and the report has not moved on to another step
    (:func:`earlier_steps_done` marks those read). Notices recorded as history were never
    tried and are left alone. How many were mailed; run daily by ``send_reminders``."""
    steps = (
        Notification.objects.filter(
            mailed_at__isnull=True,
            read_at__isnull=True,
            mail_failures__gte=1,
            mail_failures__lt=MAX_MAIL_ATTEMPTS,
        )
        .values_list("report_id", "event", "report_version")
        .distinct()
        .order_by()
    )
    return sum(
        send_pending(report_id=report_id, event=event, report_version=version)
        for report_id, event, version in list(steps)
    )


def _mail(notice: Notification) -> None:
    report = notice.report
    context = {
        "round": f"{report.round.kind} {report.round.year}",
        "unit": report.org_unit.name,
        "actor": _person(notice.actor),
        "url": report_url(report),
        "comment": notice.comment,
    }
    if notice.event == NotificationEvent.SUBMITTED:
        subject = _("Att granska: %(round)s för %(unit)s") % context
        body = _(
            "%(actor)s har lämnat in rapporten %(round)s för %(unit)s. Den väntar på att "
            "du granskar den: godkänn den eller skicka tillbaka den för komplettering.\n\n"
            "Granska den här: %(url)s"
        )
    elif notice.event == NotificationEvent.RETURNED:
        subject = _("Återsänd för komplettering: %(round)s för %(unit)s") % context
        body = _(
            "%(actor)s har skickat tillbaka rapporten %(round)s för %(unit)s för "
            "komplettering:\n\n%(comment)s\n\nKomplettera den här: %(url)s"
        )
    else:
        subject = _("Godkänd: %(round)s för %(unit)s") % context
        body = _("%(actor)s har godkänt rapporten %(round)s för %(unit)s.\n\nRapporten: %(url)s")
    mail_to(subject, body % context, [notice.user])


def _person(user) -> str:
    if user is None:
        return _("Någon")
    return user.get_full_name() or user.username


# --- the start page ----------------------------------------------------------------------


SYMBOLS = {
    NotificationEvent.SUBMITTED: "➜",
    NotificationEvent.RETURNED: "↩",
    NotificationEvent.APPROVED: "✓",
}


def unread_for(user):
    """The person's unread notices about reports in open rounds, newest first (a notice
    about a closed round's report has nothing left to do)."""
    return Notification.objects.filter(
        user=user, read_at__isnull=True, report__round__status=RoundStatus.OPEN
    ).order_by("-created_at", "-pk")


def _start_sql() -> str:
    """:func:`unread_for` (the person's unread notices of open rounds, newest first) as
    raw SQL with the few columns the start page shows, at most :data:`SHOWN` + 1: the
    start page is everyone's first page, and building the queryset with its four joins
    cost ten times the query. ``tests/followup/test_notifications.py`` checks that both
    list the same notices."""
    q = connection.ops.quote_name
    # Only table names and placeholders are formatted in; the values are parameters.
    return f"""
        SELECT n.id, n.event, n.comment, n.created_at, n.report_id, n.actor_id,
               fr.year AS round_year, k.name AS kind_name, o.name AS unit_name,
               a.username AS actor_username, a.first_name AS actor_first_name,
               a.last_name AS actor_last_name
        FROM {q(Notification._meta.db_table)} n
        JOIN {q(Report._meta.db_table)} r ON r.id = n.report_id
        JOIN {q(FollowUpRound._meta.db_table)} fr ON fr.id = r.round_id
        JOIN {q(RoundKind._meta.db_table)} k ON k.id = fr.kind_id
        JOIN {q(OrgUnit._meta.db_table)} o ON o.id = r.org_unit_id
        LEFT JOIN {q(get_user_model()._meta.db_table)} a ON a.id = n.actor_id
        WHERE n.user_id = %s AND n.read_at IS NULL AND fr.status = %s
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT {SHOWN + 1}
    """  # noqa: S608 - names from _meta


def start_notices(request) -> str:
    """The person's unread notices as a section of the start page ("" when none): one
    query, at most :data:`SHOWN` of them (and a count when there are more), each a row
    of plain values made here (the start page is everyone's first page)."""
    user = request.user
    if not user.is_authenticated:
        return ""
    notices = list(Notification.objects.raw(_start_sql(), [user.pk, RoundStatus.OPEN.value]))
    if not notices:
        return ""
    more = unread_for(user).count() - SHOWN if len(notices) > SHOWN else 0
    report_url, read_url = PkUrl("followup:report_detail"), PkUrl("followup:notification_read")
    labels = dict(NotificationEvent.choices)
    user_model = get_user_model()
    rows = [
        {
            "pk": n.pk,
            "event": n.event,
            "symbol": SYMBOLS[n.event],
            "label": labels[n.event],
            "title": f"{n.kind_name} {n.round_year} – {n.unit_name}",
            "unit": n.unit_name,
            "url": report_url(n.report_id),
            "read_url": read_url(n.pk),
            "who": _person(
                user_model(
                    username=n.actor_username,
                    first_name=n.actor_first_name,
                    last_name=n.actor_last_name,
                )
            )
            if n.actor_id
            else "",
            "at": timezone.localtime(n.created_at),
            "comment": n.comment,
        }
        for n in notices[:SHOWN]
    ]
    return render_to_string(
        "followup/_notifications.html",
        {"notices": rows, "total": len(rows) + more, "more": more},
        request=request,
    )


def mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the person's notices (or all of them) read; how many were."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
