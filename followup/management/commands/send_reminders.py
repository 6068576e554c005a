"""``manage.py send_reminders``: run daily (cron or the worker); safe to run twice. Sends
the report reminders, the report steps' notices whose mail failed
(``followup.notifications.retry_unsent``), then the reminders other apps register
(``followup.extensions.DAILY_REMINDERS``: steering documents due for review …)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.extensions import DAILY_REMINDERS
from followup.notifications import retry_unsent
from followup.reminders import send_reminders


class Command(BaseCommand):
    help = "Skickar påminnelser före sista dag och när rapporter är försenade."

    def add_arguments(self, parser):
        parser.add_argument("--datum", help="Kör som om det vore detta datum (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, datum=None, **options):
        try:
            today = datetime.date.fromisoformat(datum) if datum else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ogiltigt datum: {datum}") from exc
        summary = send_reminders(today)
        self.stdout.write(f"{summary.sent} påminnelser skickade.")
        failed = self.report(summary)
        retried = retry_unsent()
        self.stdout.write(f"{retried} meddelanden som inte gick att skicka skickade igen.")
        for what, send in DAILY_REMINDERS:
            summary = send(today)
            self.stdout.write(f"{summary.sent} {what} skickade.")
            failed += self.report(summary)
        if failed:
            # Everything else went; a non-zero exit makes cron (or the worker) say so.
            raise CommandError(
                f"{failed} e-brev kunde inte skickas (e-postservern svarade inte); "
                "de skickas vid nästa körning."
            )

    def report(self, summary) -> int:
        """Print who had nobody to mail and what could not be sent; how many failed."""
        for name in summary.skipped_no_recipient:
            self.stderr.write(f"Ingen mottagare med e-postadress för {name}.")
        for name in summary.failed:
            self.stderr.write(f"Kunde inte skicka e-post om {name}.")
        return len(summary.failed)
