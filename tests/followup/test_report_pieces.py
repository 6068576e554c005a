"""A goal's assessment or an activity's status saved from the report page without
JavaScript (issue 11, point 8): a conflict or an invalid form answers with the whole
report page, the form as posted and the message in it, never a bare fragment; with
htmx the same answer is the form alone, swapped in place. Nothing is saved."""

from django.test import TestCase
from django.urls import reverse

from followup.models import ActivityUpdate, GoalAssessment, Report
from followup.services import activity_update_save, assessment_save
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

CONFLICT = "Någon annan har sparat en ny version medan du skrev."
NOT_SAVED = "Ändringen är inte sparad."
WHOLE_PAGE = "<html"


class ReportPieceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.report = Report.objects.get(round=open_round(cls.w), org_unit=cls.w.skola1)
        cls.assessment = cls.report.assessments.get(goal=cls.w.unit_goal)
        cls.update = cls.report.activity_updates.get()
        cls.colleague = UserFactory(username="kollega", first_name="Kim", last_name="Kollega")
        grant(cls.colleague, cls.w.skola1, Role.EDITOR)

    def setUp(self):
        self.client.force_login(self.w.editor)

    def post_assessment(self, htmx, **fields):
        a = GoalAssessment.objects.get(pk=self.assessment.pk)
        data = {"chosen": a.proposed, "analysis": "Annas analys", "version": a.version, **fields}
        return self.client.post(
            reverse("followup:assessment_edit", args=[self.report.pk, a.pk]),
            data,
            headers={"HX-Request": "true"} if htmx else {},
        )

    def post_update(self, htmx, **fields):
        u = ActivityUpdate.objects.get(pk=self.update.pk)
        data = {
            "status": "in_progress",
            "comment": "Annas kommentar",
            "version": u.version,
            **fields,
        }
        return self.client.post(
            reverse("followup:activity_update_edit", args=[self.report.pk, u.pk]),
            data,
            headers={"HX-Request": "true"} if htmx else {},
        )

    def someone_else_saves_first(self):
        a = GoalAssessment.objects.get(pk=self.assessment.pk)
        a.analysis = "Kims analys"
        assessment_save(assessment=a, user=self.colleague, expected_version=a.version)
        u = ActivityUpdate.objects.get(pk=self.update.pk)
        u.comment = "Kims kommentar"
        activity_update_save(update=u, user=self.colleague, expected_version=u.version)
        return a.version - 1, u.version - 1

    def assert_whole_page(self, response, *texts):
        self.assertContains(response, WHOLE_PAGE)
        self.assertContains(response, self.w.unit_goal.title)  # the rest of the report
        self.assertContains(response, "Lämna in rapporten")
        for text in texts:
            self.assertContains(response, text)

    def assert_fragment(self, response, *texts):
        self.assertNotContains(response, WHOLE_PAGE)
        self.assertEqual(response["HX-Reswap"], "outerHTML")
        for text in texts:
            self.assertContains(response, text)

    def test_each_activity_shows_its_own_status_and_comment(self):
        """The activities are drawn from one shape per status (followup_rows.activity_blocks):
        each keeps its own title, status, comment (escaped), version and form address."""
        from tests.factories import ActivityFactory

        second = ActivityFactory(goal=self.w.unit_goal, title="Läsa <b>mer</b>")
        other = ActivityUpdate.objects.create(report=self.report, activity=second, status="done")
        self.post_update(False, comment="Anna & <i>Kim</i>")
        mine = ActivityUpdate.objects.get(pk=self.update.pk)
        page = self.client.get(reverse("followup:report_detail", args=[self.report.pk]))
        html = page.content.decode()
        blocks = {b.split('"', 1)[0]: b for b in html.split('aria-labelledby="act-')[1:]}
        first, later = blocks[str(mine.pk)], blocks[str(other.pk)]
        self.assertIn(f'name="version" value="{mine.version}"', first)
        self.assertIn('<option value="in_progress" selected>', first)
        self.assertIn("Anna &amp; &lt;i&gt;Kim&lt;/i&gt;</textarea>", first)
        self.assertIn(f"/uppfoljning/rapporter/{self.report.pk}/aktivitet/{other.pk}/", later)
        self.assertIn("Läsa &lt;b&gt;mer&lt;/b&gt;", later)
        self.assertIn('<option value="done" selected>', later)
        self.assertNotIn("Kim", later)
        self.client.force_login(self.w.reader)
        html = " ".join(
            self.client.get(reverse("followup:report_detail", args=[self.report.pk]))
            .content.decode()
            .split()
        )
        self.assertIn("– Anna &amp; &lt;i&gt;Kim&lt;/i&gt;</p>", html)

    def test_a_conflict_without_javascript_renders_the_whole_page(self):
        old_a, old_u = self.someone_else_saves_first()
        response = self.post_assessment(htmx=False, version=old_a)
        self.assert_whole_page(response, CONFLICT, NOT_SAVED, "Kims analys", "Annas analys")
        response = self.post_update(htmx=False, version=old_u)
        self.assert_whole_page(response, CONFLICT, NOT_SAVED, "Kims kommentar", "Annas kommentar")
        # The conflict is shown at the form it belongs to, once.
        self.assertContains(response, CONFLICT, count=1)
        self.assertEqual(GoalAssessment.objects.get(pk=self.assessment.pk).analysis, "Kims analys")
        self.assertEqual(ActivityUpdate.objects.get(pk=self.update.pk).comment, "Kims kommentar")

    def test_a_conflict_with_htmx_is_the_form_alone(self):
        old_a, old_u = self.someone_else_saves_first()
        self.assert_fragment(self.post_assessment(htmx=True, version=old_a), CONFLICT)
        self.assert_fragment(self.post_update(htmx=True, version=old_u), CONFLICT)
        self.assertEqual(GoalAssessment.objects.get(pk=self.assessment.pk).analysis, "Kims analys")

    def test_an_invalid_form_without_javascript_renders_the_whole_page(self):
        history = (GoalAssessment.history.count(), ActivityUpdate.history.count())
        response = self.post_assessment(htmx=False, chosen="bogus", analysis="Annas analys")
        self.assert_whole_page(response, NOT_SAVED, "Annas analys", "bogus")
        response = self.post_update(htmx=False, status="bogus", comment="Annas kommentar")
        self.assert_whole_page(response, NOT_SAVED, "Annas kommentar")
        self.assertEqual((GoalAssessment.history.count(), ActivityUpdate.history.count()), history)

    def test_an_invalid_form_with_htmx_is_the_form_alone(self):
        self.assert_fragment(self.post_assessment(htmx=True, chosen="bogus"), "bogus")
        self.assert_fragment(self.post_update(htmx=True, status="bogus"), "Annas kommentar")
        self.assertEqual(GoalAssessment.objects.get(pk=self.assessment.pk).analysis, "")

    def test_a_save_without_javascript_goes_back_to_the_report(self):
        response = self.post_assessment(htmx=False)
        report_url = reverse("followup:report_detail", args=[self.report.pk])
        self.assertRedirects(response, f"{report_url}#goal-{self.assessment.pk}")
        self.assertEqual(GoalAssessment.objects.get(pk=self.assessment.pk).analysis, "Annas analys")
        response = self.post_update(htmx=False)
        self.assertRedirects(response, f"{report_url}#act-{self.update.pk}")
        self.assertEqual(ActivityUpdate.objects.get(pk=self.update.pk).comment, "Annas kommentar")

    def test_the_same_text_posted_twice_from_one_version_is_saved_once_without_a_conflict(self):
        # The draft save and the "Spara" button (or a double click) sending the same
        # form from the version the page held: the second changes nothing, loses
        # nothing and is no conflict (issue 13, point 1).
        for htmx in (True, False):
            with self.subTest(htmx=htmx):
                a = GoalAssessment.objects.get(pk=self.assessment.pk)
                u = ActivityUpdate.objects.get(pk=self.update.pk)
                history = (a.history.count(), u.history.count())
                text = f"Annas analys {htmx}"
                comment = f"Annas kommentar {htmx}"
                for _ in range(2):
                    response = self.post_assessment(htmx, analysis=text, version=a.version)
                    self.assertNotContains(response, CONFLICT, status_code=response.status_code)
                    self.assertNotContains(response, NOT_SAVED, status_code=response.status_code)
                    response = self.post_update(htmx, comment=comment, version=u.version)
                    self.assertNotContains(response, CONFLICT, status_code=response.status_code)
                if htmx:  # the page's next save goes from the version now saved
                    self.assertContains(response, f'value="{u.version + 1}"')
                a.refresh_from_db()
                u.refresh_from_db()
                self.assertEqual((a.analysis, u.comment), (text, comment))
                self.assertEqual(
                    (a.history.count(), u.history.count()), (history[0] + 1, history[1] + 1)
                )

    def test_a_different_text_from_an_old_version_is_still_a_conflict(self):
        a = GoalAssessment.objects.get(pk=self.assessment.pk)
        self.post_assessment(htmx=True, analysis="Annas analys", version=a.version)
        response = self.post_assessment(htmx=True, analysis="Annas nya analys", version=a.version)
        self.assert_fragment(response, CONFLICT, "Annas analys", "Annas nya analys")
        self.assertEqual(GoalAssessment.objects.get(pk=a.pk).analysis, "Annas analys")

    def test_a_save_after_a_conflict_clears_it_from_the_page(self):
        old_a, _old_u = self.someone_else_saves_first()
        self.assert_fragment(self.post_assessment(htmx=True, version=old_a), CONFLICT)
        response = self.post_assessment(htmx=True)  # from the version the conflict showed
        self.assertContains(
            response, f'<div id="conflict-a{self.assessment.pk}" hx-swap-oob="true"></div>'
        )
        self.assertContains(response, "Sparat")
        self.assertEqual(GoalAssessment.objects.get(pk=self.assessment.pk).analysis, "Annas analys")

    def test_submitting_after_the_first_saves_of_a_new_report_is_no_conflict(self):
        # Walking the round: a committee's writer saved the first goal of a report not
        # yet started and clicked "Lämna in rapporten": "Rapporten har ändrats av någon
        # annan". The first save starts the report (a new version of it) and the submit
        # form still sent the version the page was loaded with.
        import re

        page = self.client.get(reverse("followup:report_detail", args=[self.report.pk]))
        loaded = Report.objects.get(pk=self.report.pk).version
        self.assertContains(page, f'value="{loaded}" id="report-version"')
        response = self.post_assessment(True)
        self.assertContains(response, "Sparat")
        response = self.post_update(True, status="done")
        self.assertContains(response, "Sparat")
        version = Report.objects.get(pk=self.report.pk).version
        self.assertNotEqual(version, loaded)
        sent = re.search(r'value="(\d+)" id="report-version" hx-swap-oob="true"', response.text)
        self.assertIsNotNone(sent, "the save does not update the submit form's version")
        self.assertEqual(int(sent[1]), version)
        response = self.client.post(
            reverse("followup:report_submit", args=[self.report.pk]),
            {"version": sent[1]},
            follow=True,
        )
        self.assertContains(response, "Rapporten är inlämnad.")
        self.assertNotContains(response, "ändrats av någon annan")
        self.assertEqual(Report.objects.get(pk=self.report.pk).status, "submitted")
