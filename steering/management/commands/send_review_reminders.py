"""``manage.py send_review_reminders``: run daily beside ``send_reminders``; safe to run
twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from steering.reminders import send_review_reminders


class Command(BaseCommand):
    help = "Påminner styrdokumentens ägare före revideringsdatum."

    def add_arguments(self, parser):
        parser.add_argument("--datum", help="Kör som om det vore detta datum (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, datum=None, **options):
        try:
            today = datetime.date.fromisoformat(datum) if datum else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ogiltigt datum: {datum}") from exc
        summary = send_review_reminders(today)
        self.stdout.write(f"{summary.sent} påminnelser om revidering skickade.")
        for title in summary.skipped_no_recipient:
            self.stderr.write(f"Ingen mottagare med e-postadress för {title}.")
