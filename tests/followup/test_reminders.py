"""send_reminders: before the deadline and when late, to the unit's editors, never twice."""

import datetime
import io

from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from followup.models import Reminder, Report, ReportStatus
from tests.conftest import build_world
from tests.followup.helpers import open_round
from tests.mailserver import AWAY

DEADLINE = datetime.date(2025, 5, 14)  # open_round: period end 30 April + 14 days


@override_settings(LEDMOT_REMINDER_DAYS_BEFORE=5, LEDMOT_REMINDER_LATE_EVERY_DAYS=7)
class ReminderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)

    def run_on(self, day):
        call_command("send_reminders", "--datum", day.isoformat(), stdout=_Null(), stderr=_Null())

    def mails_to(self, address):
        return [m for m in mail.outbox if address in m.to]

    def test_nothing_before_the_window(self):
        self.run_on(DEADLINE - datetime.timedelta(days=10))
        self.assertEqual(mail.outbox, [])

    def test_reminder_before_the_deadline_goes_once_to_the_units_editor(self):
        day = DEADLINE - datetime.timedelta(days=3)
        self.run_on(day)
        self.run_on(day)  # twice the same day
        self.run_on(day + datetime.timedelta(days=1))  # and the next day
        to_editor = self.mails_to(self.w.editor.email)
        self.assertEqual(len(to_editor), 1)
        self.assertIn("Ekbackens skola", to_editor[0].subject)
        self.assertIn("/uppfoljning/rapporter/", to_editor[0].body)
        self.assertFalse(self.mails_to(self.w.other_editor.email))

    def test_a_mail_server_that_is_away_stops_nothing_and_the_next_run_sends(self):
        """The daily run goes on past a mail that cannot be sent, says so (a non-zero
        exit for cron), records nothing for it, and the next run sends it."""
        day = DEADLINE - datetime.timedelta(days=3)
        err = io.StringIO()
        with (
            override_settings(EMAIL_BACKEND=AWAY),
            self.assertRaisesMessage(CommandError, "kunde inte skickas"),
        ):
            call_command("send_reminders", "--datum", day.isoformat(), stdout=_Null(), stderr=err)
        self.assertIn("Kunde inte skicka e-post om Ekbackens skola", err.getvalue())
        self.assertFalse(Reminder.objects.exists())
        self.run_on(day)
        self.assertEqual(len(self.mails_to(self.w.editor.email)), 1)
        self.assertTrue(Reminder.objects.filter(report__org_unit=self.w.skola1).exists())

    def test_late_reports_are_reminded_again_after_a_week_only(self):
        late = DEADLINE + datetime.timedelta(days=1)
        self.run_on(late)
        self.run_on(late)
        self.run_on(late + datetime.timedelta(days=3))
        self.assertEqual(len(self.mails_to(self.w.editor.email)), 1)
        self.assertIn("Försenad", self.mails_to(self.w.editor.email)[0].subject)
        self.run_on(late + datetime.timedelta(days=7))
        self.assertEqual(len(self.mails_to(self.w.editor.email)), 2)

    def test_submitted_reports_and_closed_rounds_are_not_reminded(self):
        report = Report.objects.get(round=self.rnd, org_unit=self.w.skola1)
        report.status = ReportStatus.SUBMITTED
        report.save()
        self.run_on(DEADLINE + datetime.timedelta(days=1))
        self.assertFalse(self.mails_to(self.w.editor.email))
        from followup.services import round_close

        round_close(rnd=self.rnd, user=self.w.controller)
        mail.outbox.clear()
        self.run_on(DEADLINE + datetime.timedelta(days=30))
        self.assertEqual(mail.outbox, [])

    def test_units_without_own_editor_go_to_the_nearest_editor_above(self):
        # BUN's report has no editor on BUN; the controller on KF is the nearest writer.
        self.run_on(DEADLINE - datetime.timedelta(days=1))
        bun = Report.objects.get(round=self.rnd, org_unit=self.w.bun)
        self.assertIn(self.w.controller.email, Reminder.objects.get(report=bun).recipients)


class _Null:
    def write(self, *_args, **_kwargs):
        pass

    def flush(self):
        pass
