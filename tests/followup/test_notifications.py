"""A report's steps find the people they concern: a mail once per step and person
(submitted: its approvers; returned, with the comment, and approved: its editors),
links to LEDMOT_BASE_URL, after the commit only, and the same notice on the start page
until they mark it read."""

import datetime
import io

from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse

from followup.models import Notification, NotificationEvent, Report, ReportStatus
from followup.notifications import MAX_MAIL_ATTEMPTS, report_event, send_pending
from followup.services import report_approve, report_submit, round_close
from ledmot.clock import recorded_at
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round
from tests.mailserver import AWAY

BASE = "https://ledmot.example.se"


START = reverse("goals:chain")


@override_settings(LEDMOT_BASE_URL=BASE)
class NotificationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.report = Report.objects.get(round=cls.rnd, org_unit=cls.w.skola1)
        cls.approver = UserFactory(
            username="approver", first_name="Berit", last_name="Chef", email="berit@example.se"
        )
        grant(cls.approver, cls.w.bun, Role.APPROVER)
        cls.link = BASE + reverse("followup:report_detail", args=[cls.report.pk])

    def fresh(self):
        return Report.objects.get(pk=self.report.pk)

    def fill(self):
        a = self.report.assessments.get(goal=self.w.unit_goal)
        self.client.force_login(self.w.editor)
        self.client.post(
            reverse("followup:assessment_edit", args=[self.report.pk, a.pk]),
            {"chosen": a.proposed, "analysis": "Resultaten förbättras.", "version": a.version},
            headers={"HX-Request": "true"},
        )

    def post(self, user, name, data=None):
        self.client.force_login(user)
        data = {"version": self.fresh().version, **(data or {})}
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse(name, args=[self.report.pk]), data)

    def submit(self):
        return self.post(self.w.editor, "followup:report_submit")

    # -- mail

    def test_a_submitted_report_mails_its_approver_once_with_a_link(self):
        self.fill()
        self.submit()
        self.assertEqual(self.fresh().status, ReportStatus.SUBMITTED)
        self.assertEqual(len(mail.outbox), 1)
        sent = mail.outbox[0]
        # The approver on the committee, not the controller on the council above them,
        # nor the editor who submitted it.
        self.assertEqual(sent.to, [self.approver.email])
        self.assertIn("Ekbackens skola", sent.subject)
        self.assertIn("Anna Rektor", sent.body)
        self.assertIn(self.link, sent.body)

    def test_a_returned_report_mails_its_editor_with_the_comment(self):
        self.fill()
        self.submit()
        mail.outbox.clear()
        comment = "Beskriv åtgärderna för matematiken."
        self.post(self.approver, "followup:report_return", {"comment": comment})
        self.assertEqual(self.fresh().status, ReportStatus.RETURNED)
        self.assertEqual([m.to for m in mail.outbox], [[self.w.editor.email]])
        self.assertIn("Återsänd", mail.outbox[0].subject)
        self.assertIn(comment, mail.outbox[0].body)
        self.assertIn(self.link, mail.outbox[0].body)

    def test_an_approved_report_mails_its_editor(self):
        self.fill()
        self.submit()
        mail.outbox.clear()
        self.post(self.approver, "followup:report_approve")
        self.assertEqual(self.fresh().status, ReportStatus.APPROVED)
        self.assertEqual([m.to for m in mail.outbox], [[self.w.editor.email]])
        self.assertIn("Godkänd", mail.outbox[0].subject)
        self.assertIn(self.link, mail.outbox[0].body)

    def test_a_refused_submission_mails_nobody(self):
        # Nothing filled in: the submission is refused with what is missing.
        response = self.submit()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.fresh().status, ReportStatus.DRAFT)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Notification.objects.exists())

    def test_an_approval_refused_to_the_wrong_person_mails_nobody(self):
        self.fill()
        self.submit()
        mail.outbox.clear()
        for user in (self.w.editor, self.w.reader, self.w.other_editor):
            response = self.post(user, "followup:report_approve")
            self.assertIn(response.status_code, (403, 404))
        self.assertEqual(self.fresh().status, ReportStatus.SUBMITTED)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Notification.objects.exclude(event=NotificationEvent.SUBMITTED).exists())

    def test_a_step_from_a_stale_page_mails_nobody_again(self):
        self.fill()
        stale = self.fresh().version
        self.submit()
        self.client.force_login(self.w.editor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("followup:report_submit", args=[self.report.pk]), {"version": stale}
            )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Notification.objects.count(), 1)

    def test_a_rolled_back_step_mails_nobody(self):
        self.fill()
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    report = self.fresh()
                    report_submit(
                        report=report, user=self.w.editor, expected_version=report.version
                    )
                    raise RuntimeError("something later in the same transaction failed")
            except RuntimeError:
                pass
        self.assertEqual(self.fresh().status, ReportStatus.DRAFT)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Notification.objects.exists())

    def test_a_step_told_twice_is_recorded_and_mailed_once(self):
        self.fill()
        self.submit()
        report = self.fresh()
        # The same step told again (a retry), and its mails asked for again.
        with self.captureOnCommitCallbacks(execute=True):
            report_event(report=report, event=NotificationEvent.SUBMITTED, actor=self.w.editor)
        send_pending(
            report_id=report.pk, event=NotificationEvent.SUBMITTED, report_version=report.version
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Notification.objects.filter(user=self.approver).count(), 1)

    def test_a_step_recorded_at_another_moment_is_noticed_but_not_mailed(self):
        self.fill()
        report = self.fresh()
        moment = datetime.datetime(2025, 5, 2, 14, 0, tzinfo=datetime.UTC)
        with self.captureOnCommitCallbacks(execute=True), recorded_at(moment):
            report_submit(report=report, user=self.w.editor, expected_version=report.version)
        self.assertEqual(mail.outbox, [])
        notice = Notification.objects.get(user=self.approver)
        self.assertEqual(notice.created_at, moment)

    # -- a mail server that is away

    def submit_while_the_mail_server_is_away(self):
        self.fill()
        with override_settings(EMAIL_BACKEND=AWAY):
            response = self.submit()
        self.assertEqual(response.status_code, 302)  # the step is taken all the same
        self.assertEqual(self.fresh().status, ReportStatus.SUBMITTED)
        self.assertEqual(mail.outbox, [])
        return Notification.objects.get(user=self.approver)

    def send_reminders(self, *, away=False):
        backend = AWAY if away else settings.EMAIL_BACKEND
        out = io.StringIO()
        with override_settings(EMAIL_BACKEND=backend):
            try:
                call_command(
                    "send_reminders", "--datum", "2025-05-20", stdout=out, stderr=io.StringIO()
                )
            except CommandError:
                if not away:
                    raise
        return out.getvalue()

    @staticmethod
    def review_mails():
        """The mails of the submitted step ("Att granska"), not the daily reminders'."""
        return [m.to for m in mail.outbox if m.subject.startswith("Att granska")]

    def test_a_mail_that_failed_is_sent_by_the_next_daily_run_and_only_once(self):
        notice = self.submit_while_the_mail_server_is_away()
        self.assertIsNone(notice.mailed_at)
        self.assertEqual(notice.mail_failures, 1)
        output = self.send_reminders()
        self.assertIn("1 meddelanden som inte gick att skicka skickade igen", output)
        self.assertEqual(self.review_mails(), [[self.approver.email]])
        (sent,) = [m for m in mail.outbox if m.subject.startswith("Att granska")]
        self.assertIn(self.link, sent.body)
        self.send_reminders()
        self.assertEqual(len(self.review_mails()), 1)

    def test_a_mail_is_tried_a_bounded_number_of_times(self):
        notice = self.submit_while_the_mail_server_is_away()
        for _ in range(MAX_MAIL_ATTEMPTS + 2):
            self.send_reminders(away=True)
        notice.refresh_from_db()
        self.assertEqual(notice.mail_failures, MAX_MAIL_ATTEMPTS)
        self.send_reminders()  # the server is back, but the notice was given up
        self.assertEqual(self.review_mails(), [])
        self.client.force_login(self.approver)
        self.assertContains(self.client.get(START), "Rapport inlämnad")  # still on the page

    def test_a_failed_mail_is_not_sent_once_the_notice_is_read_or_the_report_moved_on(self):
        notice = self.submit_while_the_mail_server_is_away()
        report = self.fresh()
        with self.captureOnCommitCallbacks(execute=True):
            report_approve(report=report, user=self.approver, expected_version=report.version)
        self.send_reminders()
        self.assertEqual(self.review_mails(), [])
        notice.refresh_from_db()
        self.assertIsNotNone(notice.read_at)

    def test_notices_recorded_as_history_are_not_mailed_by_the_daily_run(self):
        self.test_a_step_recorded_at_another_moment_is_noticed_but_not_mailed()
        self.send_reminders()
        self.assertEqual(self.review_mails(), [])

    # -- the start page

    def test_the_start_page_shows_the_notice_until_it_is_marked_read(self):
        self.fill()
        self.submit()
        self.client.force_login(self.approver)
        page = self.client.get(START)
        self.assertContains(page, "Rapport inlämnad")
        self.assertContains(page, reverse("followup:report_detail", args=[self.report.pk]))
        self.assertContains(page, "Ekbackens skola")
        self.assertContains(page, "av Anna Rektor")
        # The editor who submitted it has nothing to do: no notice.
        self.client.force_login(self.w.editor)
        self.assertNotContains(self.client.get(START), "Rapport inlämnad")

        notice = Notification.objects.get(user=self.approver)
        self.client.force_login(self.approver)
        response = self.client.post(reverse("followup:notification_read", args=[notice.pk]))
        self.assertRedirects(response, START)
        self.assertNotContains(self.client.get(START), "Rapport inlämnad")

    def test_the_returned_notice_shows_the_comment_on_the_start_page(self):
        self.fill()
        self.submit()
        self.post(self.approver, "followup:report_return", {"comment": "Komplettera <analysen>."})
        self.client.force_login(self.w.editor)
        page = self.client.get(START)
        self.assertContains(page, "Rapport återsänd")
        self.assertContains(page, "Komplettera &lt;analysen&gt;.")

    def test_nobody_marks_another_persons_notice_read(self):
        self.fill()
        self.submit()
        notice = Notification.objects.get(user=self.approver)
        for user in (self.w.editor, self.w.controller):
            self.client.force_login(user)
            response = self.client.post(reverse("followup:notification_read", args=[notice.pk]))
            self.assertEqual(response.status_code, 404)
            self.client.post(reverse("followup:notifications_read"))
        self.client.logout()
        self.client.post(reverse("followup:notification_read", args=[notice.pk]))
        notice.refresh_from_db()
        self.assertIsNone(notice.read_at)
        self.client.force_login(self.approver)
        self.assertEqual(
            self.client.get(reverse("followup:notification_read", args=[notice.pk])).status_code,
            405,
        )

    def test_all_notices_are_marked_read_at_once(self):
        self.fill()
        self.submit()
        later = open_round(self.w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
        other = Report.objects.get(round=later, org_unit=self.w.skola1)
        report_event(report=other, event=NotificationEvent.SUBMITTED, actor=self.w.editor)
        Notification.objects.create(
            user=self.w.editor,
            report=other,
            event=NotificationEvent.RETURNED,
            report_version=other.version,
            actor=self.approver,
            comment="Mer om matematiken.",
        )
        self.client.force_login(self.approver)
        self.assertEqual(
            self.client.get(START).content.decode().count("Rapport inlämnad</strong>"), 2
        )
        self.client.post(reverse("followup:notifications_read"))
        self.assertNotContains(self.client.get(START), "Rapport inlämnad")
        # The editor's own notice (returned) is untouched.
        self.client.force_login(self.w.editor)
        self.assertContains(self.client.get(START), "Rapport återsänd")

    def test_the_next_step_takes_the_earlier_steps_notices_off_the_start_page(self):
        # Walking the demo: the approver returned the report and still read "Rapport
        # inlämnad" about it; the unit manager submitted it again and still read
        # "Rapport återsänd" with the old comment; both stayed until clicked away.
        self.fill()
        self.submit()
        self.post(self.approver, "followup:report_return", {"comment": "Mer om matematiken."})
        self.client.force_login(self.approver)
        self.assertNotContains(self.client.get(START), "Rapport inlämnad")
        self.fill()
        self.submit()
        self.client.force_login(self.w.editor)
        page = self.client.get(START)
        self.assertNotContains(page, "Rapport återsänd")
        self.assertNotContains(page, "Mer om matematiken.")
        self.client.force_login(self.approver)
        self.assertEqual(
            self.client.get(START).content.decode().count("Rapport inlämnad</strong>"), 1
        )
        self.post(self.approver, "followup:report_approve")
        self.assertNotContains(self.client.get(START), "Rapport inlämnad")
        self.client.force_login(self.w.editor)
        self.assertContains(self.client.get(START), "Rapport godkänd")

    def test_an_undone_approval_takes_the_approved_notice_away(self):
        self.fill()
        self.submit()
        self.post(self.approver, "followup:report_approve")
        self.post(self.approver, "followup:report_unapprove")
        self.assertEqual(self.fresh().status, ReportStatus.SUBMITTED)
        self.client.force_login(self.w.editor)
        self.assertNotContains(self.client.get(START), "Rapport godkänd")

    def test_a_closed_rounds_notices_leave_the_start_page(self):
        self.fill()
        self.submit()
        round_close(rnd=self.rnd, user=self.w.controller)
        self.client.force_login(self.approver)
        self.assertNotContains(self.client.get(START), "Rapport inlämnad")

    def test_the_start_page_lists_the_newest_ten_and_counts_the_rest(self):
        # The start page reads the notices with raw SQL (followup.notifications.
        # _start_sql): the same ones as unread_for, newest first, at most ten.
        from django.utils import timezone

        from followup.notifications import unread_for

        start = timezone.now() - datetime.timedelta(days=1)
        for n in range(12):
            Notification.objects.create(
                user=self.approver,
                report=self.report,
                event=NotificationEvent.SUBMITTED,
                report_version=n + 1,
                actor=None if n == 11 else self.w.editor,
                created_at=start + datetime.timedelta(minutes=n),
            )
        read = Notification.objects.get(user=self.approver, report_version=5)
        read.read_at = timezone.now()
        read.save()
        self.client.force_login(self.approver)
        html = self.client.get(START).content.decode()
        shown = [int(p.split('"')[0]) for p in html.split('id="meddelande-')[1:]]
        self.assertEqual(shown, [n.pk for n in unread_for(self.approver)[:10]])
        self.assertIn("11 olästa", html)
        self.assertIn("… och 1 till.", html)
        self.assertIn("Ekbackens skola", html)
        # The newest has no actor: no "av …"; the others name the editor.
        self.assertEqual(html.count("av Anna Rektor"), 9)


class ApproverWithoutAddressTests(TestCase):
    def test_no_mail_without_an_address_but_the_notice_is_on_the_start_page(self):
        w = build_world()
        rnd = open_round(w)
        approver = UserFactory(username="noaddress", email="")
        grant(approver, w.bun, Role.APPROVER)
        report = Report.objects.get(round=rnd, org_unit=w.skola1)
        for a in report.assessments.all():
            a.chosen, a.analysis = a.proposed, "Bra."
            a.save()
        with self.captureOnCommitCallbacks(execute=True):
            report_submit(report=report, user=w.editor, expected_version=report.version)
        self.assertEqual(mail.outbox, [])
        self.client.force_login(approver)
        self.assertContains(self.client.get(START), "Rapport inlämnad")
        report.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            report_approve(report=report, user=approver, expected_version=report.version)
        self.assertEqual([m.to for m in mail.outbox], [[w.editor.email]])
