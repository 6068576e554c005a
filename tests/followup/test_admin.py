"""A closed round and its content cannot be undone from the Django admin (issue 11,
point 5): not by its change form, nor by "delete selected", nor by saving back a past
version from the history pages (simple_history's revert, whose button
``SIMPLE_HISTORY_REVERT_DISABLED`` only hides). Each refused post answers 403 with the
rule's Swedish message (``followup.rules``) and changes nothing: rows and history
counts as they were."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from followup.models import ActivityUpdate, FollowUpRound, GoalAssessment, Report, ReportStatus
from followup.services import assessment_save, report_approve, report_submit, round_close
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

APPROVED = "Rapporten är godkänd och kan inte ändras."
CLOSED = "Uppföljningen är stängd. Rapporten kan inte ändras."


class AdminLockTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        # The round as it was when open: what a revert from its history would restore.
        cls.open_version = cls.rnd.history.latest()
        cls.report = Report.objects.get(round=cls.rnd, org_unit=cls.w.skola1)
        cls.assessment = cls.report.assessments.get(goal=cls.w.unit_goal)
        cls.draft_assessment = cls.assessment.history.latest()
        a = cls.assessment
        a.chosen, a.analysis = a.proposed, "Resultaten förbättras."
        assessment_save(assessment=a, user=cls.w.editor, expected_version=None)
        cls.draft_report = Report.objects.get(pk=cls.report.pk).history.latest()
        approver = UserFactory(username="approver")
        grant(approver, cls.w.bun, Role.APPROVER)
        report = Report.objects.get(pk=cls.report.pk)
        report = report_submit(report=report, user=cls.w.editor, expected_version=report.version)
        report_approve(report=report, user=approver, expected_version=report.version)
        cls.admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")

    def setUp(self):
        self.client.force_login(self.admin)

    def snapshot(self):
        return [
            (
                model.objects.count(),
                model.history.count(),
                sorted(model.objects.values_list(*fields)),
            )
            for model, fields in (
                (FollowUpRound, ("pk", "status", "deadline")),
                (Report, ("pk", "status", "version")),
                (GoalAssessment, ("pk", "chosen", "analysis", "version")),
                (ActivityUpdate, ("pk", "status", "comment", "version")),
            )
        ]

    def assert_refused(self, response, message):
        self.assertContains(response, message, status_code=403)

    def round_data(self):
        return {
            "kind": self.rnd.kind_id,
            "year": 2025,
            "period_end": "2025-04-30",
            "deadline": "2025-06-30",
            "opened_by": self.w.controller.pk,
            "scope": [self.w.bun.pk],
        }

    def revert_url(self, model, obj, record):
        return reverse(f"admin:followup_{model}_simple_history", args=[obj.pk, record.history_id])

    # -- an approved report in an open round

    def test_an_approved_report_is_not_reverted_to_its_draft_from_the_history(self):
        before = self.snapshot()
        response = self.client.post(
            self.revert_url("report", self.report, self.draft_report),
            {"round": self.rnd.pk, "org_unit": self.w.skola1.pk, "version": 1},
        )
        self.assert_refused(response, APPROVED)
        response = self.client.post(
            self.revert_url("goalassessment", self.assessment, self.draft_assessment),
            {
                "report": self.report.pk,
                "goal": self.w.unit_goal.pk,
                "proposed": self.assessment.proposed,
                "chosen": "not_met",
                "analysis": "Efteråt",
                "version": 1,
            },
        )
        self.assert_refused(response, APPROVED)
        self.assertEqual(Report.objects.get(pk=self.report.pk).status, ReportStatus.APPROVED)
        self.assertEqual(self.snapshot(), before)

    def test_the_change_form_answers_a_post_with_the_message(self):
        before = self.snapshot()
        response = self.client.post(
            reverse("admin:followup_goalassessment_change", args=[self.assessment.pk]),
            {"chosen": "not_met", "analysis": "Efteråt"},
        )
        self.assert_refused(response, APPROVED)
        self.assertEqual(self.snapshot(), before)

    def test_bulk_delete_refuses_approved_reports_and_their_assessments(self):
        before = self.snapshot()
        for model, pk in (
            ("report", self.report.pk),
            ("goalassessment", self.assessment.pk),
            ("activityupdate", self.report.activity_updates.get().pk),
        ):
            for extra in ({}, {"post": "yes"}):
                response = self.client.post(
                    reverse(f"admin:followup_{model}_changelist"),
                    {"action": "delete_selected", "_selected_action": [pk], **extra},
                )
                self.assert_refused(response, APPROVED)
        self.assertEqual(self.snapshot(), before)

    # -- a closed round

    def test_a_closed_round_is_not_reopened_from_its_history(self):
        round_close(rnd=FollowUpRound.objects.get(pk=self.rnd.pk), user=self.w.controller)
        before = self.snapshot()
        response = self.client.post(
            self.revert_url("followupround", self.rnd, self.open_version), self.round_data()
        )
        self.assert_refused(response, CLOSED)
        self.assertEqual(FollowUpRound.objects.get(pk=self.rnd.pk).status, "closed")
        response = self.client.post(
            reverse("admin:followup_followupround_change", args=[self.rnd.pk]),
            {**self.round_data(), "status": "open"},
        )
        self.assert_refused(response, CLOSED)
        self.assertEqual(self.snapshot(), before)

    def test_a_closed_round_and_its_reports_are_not_deleted_in_bulk(self):
        round_close(rnd=FollowUpRound.objects.get(pk=self.rnd.pk), user=self.w.controller)
        before = self.snapshot()
        draft = Report.objects.filter(round=self.rnd, status=ReportStatus.DRAFT).first()
        for model, pks in (
            ("followupround", [self.rnd.pk]),
            ("report", [draft.pk]),
            ("report", [draft.pk, self.report.pk]),
        ):
            response = self.client.post(
                reverse(f"admin:followup_{model}_changelist"),
                {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
            )
            self.assert_refused(response, CLOSED)
        self.assert_refused(
            self.client.post(
                reverse("admin:followup_followupround_delete", args=[self.rnd.pk]), {"post": "yes"}
            ),
            CLOSED,
        )
        self.assertEqual(self.snapshot(), before)

    def test_the_history_pages_can_still_be_read(self):
        response = self.client.get(self.revert_url("report", self.report, self.draft_report))
        self.assertEqual(response.status_code, 200)
        response = self.client.get(reverse("admin:followup_report_history", args=[self.report.pk]))
        self.assertEqual(response.status_code, 200)


class OpenRoundAdminTests(TestCase):
    def test_a_draft_in_an_open_round_is_still_deleted_in_bulk(self):
        w = build_world()
        rnd = open_round(w)
        admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
        self.client.force_login(admin)
        response = self.client.post(
            reverse("admin:followup_followupround_changelist"),
            {"action": "delete_selected", "_selected_action": [rnd.pk], "post": "yes"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(FollowUpRound.objects.exists())
        self.assertFalse(Report.objects.exists())

    def test_a_stale_admin_page_of_an_assessment_is_refused_and_the_other_save_kept(self):
        """The admin is one more way to edit an assessment: a page loaded before a unit
        manager saved does not put the old analysis back."""
        w = build_world()
        rnd = open_round(w)
        assessment = Report.objects.get(round=rnd, org_unit=w.skola1).assessments.get(
            goal=w.unit_goal
        )
        root = get_user_model().objects.create_superuser("root2", "root2@example.org", "x")
        self.client.force_login(root)
        url = reverse("admin:followup_goalassessment_change", args=[assessment.pk])
        form = self.client.get(url).context["adminform"].form
        stale = {name: form[name].value() for name in form.fields}
        stale = {k: v for k, v in stale.items() if v not in (None, False)}
        assessment.analysis = "Enhetschefens analys."
        assessment_save(assessment=assessment, user=w.editor, expected_version=assessment.version)

        response = self.client.post(url, {**stale, "analysis": "Controllerns text."})

        self.assertContains(response, "Någon annan har sparat en ny version medan du skrev.")
        assessment.refresh_from_db()
        self.assertEqual(assessment.analysis, "Enhetschefens analys.")
