"""A malformed ``version`` posted to any edit form is a form error (status 200, one
Swedish message, nothing saved), never a 500; an action button with a malformed
version is refused as stale. One field (``ledmot.lib.forms.VersionField``) for all."""

from django.test import TestCase
from django.urls import reverse

from followup.models import GoalAssessment, Report, ReportStatus
from goals.models import Activity, Goal
from priorities.models import PriorityItem, Worksheet, WorksheetStatus
from tests.followup.helpers import open_round
from tests.goals.test_activities import activity_data
from tests.goals.test_goal_forms import goal_data
from tests.priorities.helpers import make_item, prio_world
from tests.priorities.test_worksheet import form_data as item_data

BAD_VERSIONS = ["abc", "", "-1", "0", "99999999999999999999"]
MESSAGE = "Formuläret kom med en ogiltig version och har inte sparats."


class MalformedVersionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = prio_world()
        cls.rnd = open_round(cls.w)
        cls.report = Report.objects.get(round=cls.rnd, org_unit=cls.w.skola1)
        cls.assessment = cls.report.assessments.get(goal=cls.w.unit_goal)
        cls.item = make_item(cls.w.bun_sheet, cls.w.bun_staff, title="Fler lärare")

    def assert_refused(self, user, url, data, model, pk, field, htmx=False):
        self.client.force_login(user)
        before = model.objects.filter(pk=pk).values().get()
        for version in BAD_VERSIONS:
            with self.subTest(version=version, htmx=htmx):
                headers = {"HX-Request": "true"} if htmx else {}
                response = self.client.post(url, {**data, "version": version}, headers=headers)
                self.assertContains(response, MESSAGE, status_code=200)
                self.assertEqual(model.objects.filter(pk=pk).values().get(), before)
                self.assertNotEqual(getattr(model.objects.get(pk=pk), field), "Ändrad")

    def test_goal_edit(self):
        goal = self.w.unit_goal
        url = reverse("goals:goal_edit", args=[goal.pk])
        data = goal_data(goal, title="Ändrad")
        data.pop("version")
        self.assert_refused(self.w.editor, url, data, Goal, goal.pk, "title")

    def test_activity_edit(self):
        activity = self.w.activity
        url = reverse("goals:activity_edit", args=[activity.pk])
        data = activity_data(activity, title="Ändrad")
        self.assert_refused(self.w.editor, url, data, Activity, activity.pk, "title")
        self.assert_refused(self.w.editor, url, data, Activity, activity.pk, "title", htmx=True)

    def test_report_assessment(self):
        a = self.assessment
        url = reverse("followup:assessment_edit", args=[self.report.pk, a.pk])
        data = {"chosen": a.proposed, "analysis": "Ändrad", "measures": "", "justification": ""}
        self.assert_refused(self.w.editor, url, data, GoalAssessment, a.pk, "analysis")
        self.assert_refused(self.w.editor, url, data, GoalAssessment, a.pk, "analysis", htmx=True)

    def test_priority_item(self):
        url = reverse("priorities:item_edit", args=[self.item.pk])
        data = item_data(title="Ändrad")
        self.assert_refused(self.w.bun_staff, url, data, PriorityItem, self.item.pk, "title")

    def test_a_good_version_still_saves(self):
        self.client.force_login(self.w.editor)
        goal = self.w.unit_goal
        self.client.post(
            reverse("goals:goal_edit", args=[goal.pk]), goal_data(goal, title="Ändrad")
        )
        self.assertEqual(Goal.objects.get(pk=goal.pk).title, "Ändrad")

    def test_action_buttons_refuse_a_malformed_version_as_stale(self):
        # A complete report and worksheet, so only the version can stop them.
        a = self.assessment
        self.client.force_login(self.w.editor)
        self.client.post(
            reverse("followup:assessment_edit", args=[self.report.pk, a.pk]),
            {"chosen": a.proposed, "analysis": "Bra.", "version": a.version},
        )
        self.assertEqual(GoalAssessment.objects.get(pk=a.pk).analysis, "Bra.")
        cases = [
            (self.w.editor, reverse("followup:report_submit", args=[self.report.pk])),
            (self.w.bun_staff, reverse("priorities:worksheet_submit", args=[self.w.round.pk,
                                                                             "BUN"])),
        ]  # fmt: skip
        for user, url in cases:
            self.client.force_login(user)
            for version in BAD_VERSIONS:
                with self.subTest(url=url, version=version):
                    response = self.client.post(url, {"version": version}, follow=True)
                    self.assertContains(response, "har ändrats av någon annan")
        self.assertEqual(Report.objects.get(pk=self.report.pk).status, ReportStatus.DRAFT)
        self.assertEqual(
            Worksheet.objects.get(pk=self.w.bun_sheet.pk).status, WorksheetStatus.DRAFT
        )
