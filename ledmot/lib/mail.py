"""Mail to people, and a mail sent once: the record of it written first under a unique
constraint, in the same transaction as the sending (report reminders, steering documents'
review reminders)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

logger = logging.getLogger(__name__)


class Outcome(Enum):
    SENT = "sent"
    ALREADY = "already"  # the record exists: sent before (or by another worker right now)
    FAILED = "failed"  # the mail server refused or was away: nothing recorded, try again


def mail_to(subject: str, body: str, users) -> None:
    """One mail to ``users`` (their addresses) through the configured mail settings."""
    send_mail(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [u.email for u in users],
        fail_silently=False,
    )


def send_once(record: Callable[[], object], send: Callable[[], None], what: str) -> Outcome:
    """Write the record of a mail (``record``: a create that a unique constraint refuses
    the second time) and send it (``send``), in one transaction. A mail server that is
    away (``OSError``: SMTP errors and refused connections) rolls the record back, so the
    next run tries again, and is logged; it never stops the mails after it."""
    try:
        with transaction.atomic():
            record()
            send()
    except IntegrityError:
        return Outcome.ALREADY
    except OSError:
        logger.exception("Could not send the mail about %s", what)
        return Outcome.FAILED
    return Outcome.SENT
