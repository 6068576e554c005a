"""What the follow-up freezes holds by every path (issue 10, point 1): the
assessments, activity statuses, texts and status of an approved report (and of a
report in a closed round), and a closed round itself — on the report page and
its htmx fragments, in the service functions, and in the admin. Each refused
write leaves the row and its history as they were."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from followup.models import ActivityUpdate, FollowUpRound, GoalAssessment, Report, ReportStatus
from followup.services import (
    activity_update_save,
    assessment_save,
    report_approve,
    report_return,
    report_submit,
    round_close,
)
from ledmot.models import Role
from ledmot.services import LockedError
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

APPROVED = "Rapporten är godkänd och kan inte ändras."
CLOSED = "Uppföljningen är stängd. Rapporten kan inte ändras."


class LockTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.report = Report.objects.get(round=cls.rnd, org_unit=cls.w.skola1)
        cls.assessment = cls.report.assessments.get(goal=cls.w.unit_goal)
        cls.update = cls.report.activity_updates.get()
        assessment_save(
            assessment=_filled(cls.assessment), user=cls.w.editor, expected_version=None
        )
        cls.approver = UserFactory(username="approver")
        grant(cls.approver, cls.w.bun, Role.APPROVER)
        cls.admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")

    def snapshot(self):
        """The rows and their history, to compare before and after a refused write."""
        a = GoalAssessment.objects.get(pk=self.assessment.pk)
        u = ActivityUpdate.objects.get(pk=self.update.pk)
        r = Report.objects.get(pk=self.report.pk)
        rnd = FollowUpRound.objects.get(pk=self.rnd.pk)
        return (
            (a.chosen, a.analysis, a.version, a.history.count()),
            (u.status, u.comment, u.version, u.history.count()),
            (r.status, r.return_comment, r.version, r.history.count()),
            (rnd.status, rnd.deadline, rnd.history.count()),
        )

    def post_assessment(self, user, htmx):
        a = GoalAssessment.objects.get(pk=self.assessment.pk)
        self.client.force_login(user)
        return self.client.post(
            reverse("followup:assessment_edit", args=[self.report.pk, a.pk]),
            {
                "chosen": "not_met",
                "analysis": "Efteråt",
                "justification": "x",
                "version": a.version,
            },
            headers={"HX-Request": "true"} if htmx else {},
        )

    def post_update(self, user):
        u = ActivityUpdate.objects.get(pk=self.update.pk)
        self.client.force_login(user)
        return self.client.post(
            reverse("followup:activity_update_edit", args=[self.report.pk, u.pk]),
            {"status": "cancelled", "comment": "Efteråt", "version": u.version},
        )

    def post_workflow(self, user, name, **data):
        self.client.force_login(user)
        version = Report.objects.get(pk=self.report.pk).version
        return self.client.post(reverse(name, args=[self.report.pk]), {"version": version, **data})

    def admin_post(self, model, pk, data):
        self.client.force_login(self.admin)
        return self.client.post(reverse(f"admin:followup_{model}_change", args=[pk]), data)

    def admin_delete(self, model, pk):
        self.client.force_login(self.admin)
        return self.client.post(
            reverse(f"admin:followup_{model}_delete", args=[pk]), {"post": "yes"}
        )

    def assert_every_path_refused(self, message):
        before = self.snapshot()
        # The report page and its htmx fragments: 403 with the message.
        for htmx in (False, True):
            response = self.post_assessment(self.w.editor, htmx)
            self.assertContains(response, message, status_code=403)
        self.assertContains(self.post_update(self.w.editor), message, status_code=403)
        self.assertContains(
            self.post_workflow(self.w.editor, "followup:report_submit"), message, status_code=403
        )
        for name, data in (
            ("followup:report_approve", {}),
            ("followup:report_return", {"comment": "Komplettera"}),
        ):
            response = self.post_workflow(self.approver, name, **data)
            self.assertContains(response, message, status_code=403)
        # The services, whatever calls them (a command, a shell, an import).
        for save in (
            lambda: assessment_save(
                assessment=_filled(GoalAssessment.objects.get(pk=self.assessment.pk), "Skal"),
                user=self.w.editor,
                expected_version=None,
            ),
            lambda: activity_update_save(
                update=ActivityUpdate.objects.get(pk=self.update.pk),
                user=self.w.editor,
                expected_version=None,
            ),
            lambda: report_submit(report=self.report, user=self.w.editor, expected_version=None),
            lambda: report_return(
                report=self.report, user=self.approver, comment="Mer", expected_version=None
            ),
            lambda: report_approve(report=self.report, user=self.approver, expected_version=None),
        ):
            with pytest.raises(LockedError, match=message):
                save()
        # The admin: read-only, with the message; a crafted post is refused.
        self.client.force_login(self.admin)
        page = self.client.get(
            reverse("admin:followup_goalassessment_change", args=[self.assessment.pk])
        )
        self.assertContains(page, message)
        self.assertNotContains(page, 'name="_save"')
        for model, pk, data in (
            ("goalassessment", self.assessment.pk, {"chosen": "met", "analysis": "Admin"}),
            ("activityupdate", self.update.pk, {"status": "done", "comment": "Admin"}),
            ("report", self.report.pk, {"return_comment": "Admin"}),
        ):
            self.assertEqual(self.admin_post(model, pk, data).status_code, 403, model)
            self.assertEqual(self.admin_delete(model, pk).status_code, 403, model)
        self.assertEqual(self.snapshot(), before)


def _filled(a, analysis="Resultaten förbättras."):
    a.chosen, a.analysis = a.proposed, analysis
    return a


class ApprovedReportTests(LockTestCase):
    def setUp(self):
        report = Report.objects.get(pk=self.report.pk)
        report = report_submit(report=report, user=self.w.editor, expected_version=report.version)
        report_approve(report=report, user=self.approver, expected_version=report.version)

    def test_an_approved_report_cannot_change_by_any_path(self):
        self.assert_every_path_refused(APPROVED)

    def test_the_admin_cannot_add_an_assessment_to_an_approved_report(self):
        before = GoalAssessment.objects.count()
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("admin:followup_goalassessment_add"),
            {
                "report": self.report.pk,
                "goal": self.w.proposed_goal.pk,
                "proposed": "not_assessed",
                "chosen": "met",
                "version": 1,
            },
        )
        self.assertContains(response, APPROVED)
        self.assertEqual(GoalAssessment.objects.count(), before)


class ClosedRoundTests(LockTestCase):
    def setUp(self):
        round_close(rnd=self.rnd, user=self.w.controller)

    def test_a_report_in_a_closed_round_cannot_change_by_any_path(self):
        self.assert_every_path_refused(CLOSED)

    def test_a_closed_round_is_read_only_in_the_admin(self):
        before = self.snapshot()
        self.client.force_login(self.admin)
        page = self.client.get(reverse("admin:followup_followupround_change", args=[self.rnd.pk]))
        self.assertContains(page, CLOSED)
        response = self.admin_post(
            "followupround",
            self.rnd.pk,
            {
                "kind": self.rnd.kind_id,
                "year": 2025,
                "period_end": "2025-04-30",
                "deadline": "2025-06-30",
                "status": "open",
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.admin_delete("followupround", self.rnd.pk).status_code, 403)
        self.assertEqual(self.snapshot(), before)


class OpenReportAdminTests(LockTestCase):
    def test_the_admin_saves_a_draft_through_the_service_with_history(self):
        a = GoalAssessment.objects.get(pk=self.assessment.pk)
        history = a.history.count()
        response = self.admin_post(
            "goalassessment",
            a.pk,
            {
                "report": self.report.pk,
                "goal": a.goal_id,
                "proposed": a.proposed,
                "chosen": a.proposed,
                "analysis": "Ändrad i admin",
                "version": a.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        a = GoalAssessment.objects.get(pk=a.pk)
        self.assertEqual(a.analysis, "Ändrad i admin")
        self.assertEqual(a.history.count(), history + 1)
        self.assertEqual(a.history.first().history_user, self.admin)


class ReportValuesRefusedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.report = Report.objects.get(round=cls.rnd, org_unit=cls.w.skola1)

    def test_a_refusal_from_measurements_save_is_shown_beside_the_values(self):
        from goals.models import Measurement

        ind = self.w.indicator
        self.client.force_login(self.w.editor)
        refusal = LockedError("Årsredovisning 2024 är stängd. Värdet för 2024 kan inte ändras.")
        with mock.patch("followup.views.report.measurements_save", side_effect=refusal):
            response = self.client.post(
                reverse("followup:report_values", args=[self.report.pk]),
                {f"p-{ind.pk}": "2024", f"v-{ind.pk}-T": "71,5"},
            )
        self.assertContains(response, "Värdena är inte sparade")
        self.assertContains(response, "Årsredovisning 2024 är stängd.")
        self.assertFalse(Measurement.objects.exists())
        self.assertEqual(Report.objects.get(pk=self.report.pk).status, ReportStatus.DRAFT)


class CraftedVersionTests(TestCase):
    def test_a_non_numeric_version_is_a_conflict_message_not_a_500(self):
        w = build_world()
        report = Report.objects.get(round=open_round(w), org_unit=w.skola1)
        assessment = report.assessments.get(goal=w.unit_goal)
        assessment_save(assessment=_filled(assessment), user=w.editor, expected_version=None)
        self.client.force_login(w.editor)
        response = self.client.post(
            reverse("followup:report_submit", args=[report.pk]), {"version": "abc"}, follow=True
        )
        self.assertContains(response, "Rapporten har ändrats av någon annan.")
        self.assertEqual(Report.objects.get(pk=report.pk).status, ReportStatus.DRAFT)
