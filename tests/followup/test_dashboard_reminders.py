"""A controller reminds a round's writers from its dashboard: the rules of
send_reminders (the reports not submitted, nobody twice the same day), only those who
run the round, and the dashboard says when each unit was last reminded."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from followup.models import Reminder, Report, ReportStatus
from followup.services import round_close
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round
from tests.mailserver import AWAY


class _Null:
    def write(self, *_args, **_kwargs):
        pass

    def flush(self):
        pass


@override_settings(LEDMOT_BASE_URL="https://ledmot.example.se")
class DashboardReminderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.skola1 = Report.objects.get(round=cls.rnd, org_unit=cls.w.skola1)
        cls.approver = UserFactory(username="approver")
        grant(cls.approver, cls.w.bun, Role.APPROVER)
        cls.url = reverse("followup:round_remind", args=[cls.rnd.pk])
        cls.dashboard = reverse("followup:round_dashboard", args=[cls.rnd.pk])

    def remind(self, user=None):
        self.client.force_login(user or self.w.controller)
        return self.client.post(self.url, follow=True)

    def unsubmitted(self):
        return self.rnd.reports.filter(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])

    def test_the_controller_reminds_every_unit_that_has_not_submitted(self):
        submitted = self.rnd.reports.exclude(pk=self.skola1.pk).first()
        submitted.status = ReportStatus.SUBMITTED
        submitted.save()
        expected = self.unsubmitted().count()
        self.assertGreater(expected, 1)
        page = self.remind()
        self.assertContains(page, f"Påminnelser skickade till {expected} enheter")
        self.assertEqual(Reminder.objects.count(), expected)
        self.assertFalse(Reminder.objects.filter(report=submitted).exists())
        reminder = Reminder.objects.get(report=self.skola1)
        self.assertEqual(reminder.sent_by, self.w.controller)
        self.assertEqual(reminder.sent_on, timezone.localdate())
        to_editor = [m for m in mail.outbox if self.w.editor.email in m.to]
        self.assertEqual(len(to_editor), 1)
        self.assertIn("Ekbackens skola", to_editor[0].subject)
        self.assertIn(
            "https://ledmot.example.se" + reverse("followup:report_detail", args=[self.skola1.pk]),
            to_editor[0].body,
        )

    def test_a_mail_server_that_is_away_is_said_and_nothing_is_recorded(self):
        with override_settings(EMAIL_BACKEND=AWAY):
            page = self.remind()
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "E-postservern svarade inte")
        self.assertContains(page, "Ekbackens skola")
        self.assertContains(page, "Ingen påminnelse skickades.")
        self.assertFalse(Reminder.objects.exists())  # so the next try sends them

    def test_twice_the_same_day_reminds_nobody_twice(self):
        self.remind()
        sent = len(mail.outbox)
        page = self.remind()
        self.assertEqual(len(mail.outbox), sent)
        self.assertContains(page, "Ingen påminnelse skickades.")
        self.assertContains(page, "redan påmints i dag")
        # Nor does the daily command the same day, though the deadline is near.
        with override_settings(LEDMOT_REMINDER_DAYS_BEFORE=10_000):
            call_command(
                "send_reminders",
                "--datum",
                timezone.localdate().isoformat(),
                stdout=_Null(),
                stderr=_Null(),
            )
        self.assertEqual(len(mail.outbox), sent)
        self.assertEqual(Reminder.objects.count(), self.unsubmitted().count())

    def test_a_unit_reminded_by_the_daily_command_today_is_not_reminded_again(self):
        today = timezone.localdate()
        Reminder.objects.create(report=self.skola1, kind=Reminder.Kind.BEFORE, sent_on=today)
        self.remind()
        self.assertFalse([m for m in mail.outbox if self.w.editor.email in m.to])
        # The next day it may go again.
        from followup.reminders import send_reminders

        send_reminders(today + datetime.timedelta(days=1), rnd=self.rnd, user=self.w.controller)
        self.assertEqual(len([m for m in mail.outbox if self.w.editor.email in m.to]), 1)

    def test_only_those_who_run_the_round_may_remind(self):
        for user in (self.w.editor, self.w.reader, self.w.other_editor, self.approver):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(self.url).status_code, 302)  # to the login page
        self.client.force_login(self.w.controller)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Reminder.objects.exists())

    def test_the_button_is_shown_to_the_controller_only(self):
        self.client.force_login(self.w.controller)
        page = self.client.get(self.dashboard)
        self.assertContains(page, "Påminn dem som inte har lämnat in")
        self.assertContains(page, self.url)
        self.client.force_login(self.approver)
        self.assertNotContains(self.client.get(self.dashboard), self.url)

    def test_the_dashboard_shows_when_each_unit_was_last_reminded(self):
        self.client.force_login(self.w.controller)
        listing = f"{self.dashboard}?namnd=BUN"
        page = self.client.get(listing)
        self.assertContains(page, "Senast påmind")
        Reminder.objects.create(
            report=self.skola1, kind=Reminder.Kind.BEFORE, sent_on=datetime.date(2025, 5, 9)
        )
        self.remind()
        page = self.client.get(listing).content.decode()
        row = page[page.index("Ekbackens skola") :].split("</tr>")[0]
        self.assertIn(timezone.localdate().isoformat(), row)
        self.assertNotIn("2025-05-09", row)

    def test_a_closed_round_reminds_nobody(self):
        round_close(rnd=self.rnd, user=self.w.controller)
        page = self.remind()
        self.assertContains(page, "Ingen påminnelse skickades.")
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Reminder.objects.exists())
        self.assertNotContains(self.client.get(self.dashboard), self.url)
