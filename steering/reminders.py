"""Mail a steering document's owner before its review date; never the same mail twice.

The same rules as the report reminders (:mod:`followup.reminders`): the mail goes to the
people who write for the owner (its editors, else the nearest unit above where someone
is: ``ledmot.access.nearest_holders``), and the record of it is written first, under a
unique constraint (one per document and review date), so a second run — the same day or
any later day, or two workers at once — sends nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ledmot.access import Cap, nearest_holders
from ledmot.lib.mail import Outcome, mail_to, send_once
from ledmot.models import RoleAssignment
from steering.models import ReviewReminder, SteeringDocument


@dataclass
class Summary:
    sent: int = 0
    already_sent: int = 0
    skipped_no_recipient: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # the mail server was away: next run


def send_review_reminders(today: datetime.date) -> Summary:
    """Remind the owners of the decided documents whose review date falls within
    ``LEDMOT_STEERING_REVIEW_DAYS_BEFORE`` days (or has passed unreminded)."""
    summary = Summary()
    documents = list(
        SteeringDocument.objects.due_for_review(today, settings.LEDMOT_STEERING_REVIEW_DAYS_BEFORE)
        .select_related("owner")
        .order_by("review_on", "pk")
    )
    sent = set(
        ReviewReminder.objects.filter(document__in=documents).values_list(
            "document_id", "review_on"
        )
    )
    assignments = list(
        RoleAssignment.objects.select_related("org_unit", "user").filter(user__is_active=True)
    )
    for document in documents:
        if (document.pk, document.review_on) in sent:
            summary.already_sent += 1
            continue
        users = nearest_holders(Cap.EDIT, document.owner, assignments, with_email=True)
        if not users:
            summary.skipped_no_recipient.append(document.title)
            continue
        outcome = send_once(
            partial(
                ReviewReminder.objects.create,
                document=document,
                review_on=document.review_on,
                sent_on=today,
                recipients=", ".join(u.email for u in users),
            ),
            partial(_mail, document, users),
            what=f"steering document {document.pk}",
        )
        if outcome is Outcome.ALREADY:
            summary.already_sent += 1
        elif outcome is Outcome.FAILED:
            summary.failed.append(document.title)
        else:
            summary.sent += 1
    return summary


def _mail(document: SteeringDocument, users) -> None:
    url = settings.LEDMOT_BASE_URL.rstrip("/") + reverse("steering:detail", args=[document.pk])
    context = {
        "title": document.title,
        "kind": document.get_kind_display().lower(),
        "owner": document.owner.name,
        "date": document.review_on.strftime("%Y-%m-%d"),
        "url": url,
    }
    subject = _("Dags att revidera: %(title)s senast %(date)s") % context
    body = (
        _(
            "Styrdokumentet %(title)s (%(kind)s, %(owner)s) ska revideras senast "
            "%(date)s.\n\nSe dokumentet här: %(url)s"
        )
        % context
    )
    mail_to(subject, body, users)
