"""``manage.py send_reminders``: run daily (cron or the worker); safe to run twice. Sends
the report reminders, then those other apps register (``followup.extensions.DAILY_REMINDERS``:
steering documents due for review …)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.extensions import DAILY_REMINDERS
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
        self.report(summary)
        for what, send in DAILY_REMINDERS:
            summary = send(today)
            self.stdout.write(f"{summary.sent} {what} skickade.")
            self.report(summary)

    def report(self, summary):
        for name in summary.skipped_no_recipient:
            self.stderr.write(f"Ingen mottagare med e-postadress för {name}.")
