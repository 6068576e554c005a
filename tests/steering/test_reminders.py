"""The reminder before a steering document's review date: to the owner's editors, never
twice (issue 17 point 3 and 6: reminders idempotent)."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings

from ledmot.models import Role
from steering.models import ReviewReminder
from steering.reminders import send_review_reminders
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.mailserver import AWAY
from tests.steering.test_register import make_document

TODAY = datetime.date(2026, 11, 15)  # 46 days before the review date (2026-12-31)


@override_settings(LEDMOT_STEERING_REVIEW_DAYS_BEFORE=60)
class ReviewReminderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        w.kf_editor = UserFactory(username="kfred", email="kf.redaktor@example.org")
        grant(w.kf_editor, w.kf, Role.EDITOR)
        cls.document = make_document(w)

    def test_the_owner_is_mailed_once_before_the_review_date(self):
        summary = send_review_reminders(TODAY)
        self.assertEqual(summary.sent, 1)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertIn("Dags att revidera: Policy för god ekonomisk hushållning", message.subject)
        # the people who write for the owner: the council's editor and controller
        self.assertEqual(
            sorted(message.to), sorted([self.w.kf_editor.email, self.w.controller.email])
        )
        # again the same day, and a week later: nothing more
        send_review_reminders(TODAY)
        summary = send_review_reminders(TODAY + datetime.timedelta(days=7))
        self.assertEqual(summary.sent, 0)
        self.assertEqual(summary.already_sent, 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(ReviewReminder.objects.count(), 1)

    def test_a_mail_server_that_is_away_records_nothing_and_the_next_run_sends(self):
        with override_settings(EMAIL_BACKEND=AWAY):
            summary = send_review_reminders(TODAY)
        self.assertEqual(summary.failed, ["Policy för god ekonomisk hushållning"])
        self.assertEqual(summary.sent, 0)
        self.assertFalse(ReviewReminder.objects.exists())
        self.assertEqual(send_review_reminders(TODAY).sent, 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_not_before_its_time(self):
        send_review_reminders(datetime.date(2026, 9, 1))  # 121 days before
        self.assertEqual(mail.outbox, [])

    def test_a_new_review_date_is_reminded_again(self):
        send_review_reminders(TODAY)
        document = self.document
        document.refresh_from_db()
        from steering.services import document_save

        document.review_on = datetime.date(2027, 1, 10)
        document_save(document=document, user=None, expected_version=document.version)
        send_review_reminders(TODAY)
        self.assertEqual(len(mail.outbox), 2)

    def test_a_draft_or_a_replaced_document_is_not_reminded(self):
        make_document(self.w, decided=False, title="Utkast", review_on=datetime.date(2026, 12, 1))
        send_review_reminders(TODAY)
        self.assertEqual([m.subject for m in mail.outbox if "Utkast" in m.subject], [])

    def test_the_daily_reminder_command_sends_them_and_runs_twice_safely(self):
        first, second = io.StringIO(), io.StringIO()
        call_command("send_reminders", "--datum", TODAY.isoformat(), stdout=first)
        call_command("send_reminders", "--datum", TODAY.isoformat(), stdout=second)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("1 påminnelser om revidering skickade.", first.getvalue())
        self.assertIn("0 påminnelser om revidering skickade.", second.getvalue())
