"""Creating, editing and ending goals: personas, bad input, lost updates, history."""

from django.test import TestCase
from django.urls import reverse

from goals.models import Goal, GoalLevel, GoalStatus
from tests.conftest import build_world


def goal_data(goal, **overrides):
    data = {
        "title": goal.title,
        "description": goal.description,
        "parent": goal.parent_id or "",
        "owner": goal.owner_id,
        "perspective": goal.perspective_id,
        "responsible": goal.responsible,
        "decision_reference": goal.decision_reference,
        "decision_paragraph": goal.decision_paragraph,
        "decided_on": "",
        "order": goal.order,
        "version": goal.version,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class GoalCreateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self, parent=None):
        base = reverse("goals:goal_create")
        return f"{base}?overordnat={parent.pk}" if parent else base

    def post(self, parent, **fields):
        data = {
            "title": "Alla elever ska erbjudas läxhjälp",
            "parent": parent.pk,
            "owner": self.w.skola1.pk,
            "perspective": parent.perspective_id,
            "responsible": "Anna Rektor",
            "order": 0,
        }
        data.update(fields)
        return self.client.post(self.url(parent), data)

    def test_editor_creates_unit_goal_as_proposal_with_history(self):
        self.client.force_login(self.w.editor)
        response = self.post(self.w.committee_goal, smart_specific="on")
        goal = Goal.objects.get(title="Alla elever ska erbjudas läxhjälp")
        self.assertRedirects(response, reverse("goals:goal_detail", args=[goal.pk]))
        self.assertEqual(goal.level, GoalLevel.UNIT)
        self.assertEqual(goal.status, GoalStatus.PROPOSED)
        self.assertEqual(goal.mandate_period, self.w.period)
        self.assertTrue(goal.smart_specific)
        self.assertEqual(goal.history.count(), 1)
        self.assertEqual(goal.history.get().history_user, self.w.editor)

    def test_form_offers_only_units_the_editor_may_write(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(self.url(self.w.committee_goal))
        self.assertContains(response, "Ekbackens skola")
        self.assertNotContains(response, "Lindens skola")

    def test_editor_cannot_create_goal_for_a_unit_outside_their_roles(self):
        self.client.force_login(self.w.editor)
        before = Goal.objects.count()
        response = self.post(self.w.committee_goal, owner=self.w.skola2.pk)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Välj ett giltigt alternativ")
        self.assertEqual(Goal.objects.count(), before)

    def test_unit_goal_must_sit_under_the_parents_committee(self):
        self.client.force_login(self.w.controller)
        before = Goal.objects.count()
        response = self.post(self.w.committee_goal, owner=self.w.boende1.pk)
        self.assertContains(response, "Välj ett giltigt alternativ")
        self.assertEqual(Goal.objects.count(), before)

    def test_missing_title_gets_a_message_beside_the_field_and_nothing_saved(self):
        self.client.force_login(self.w.editor)
        before = Goal.objects.count()
        response = self.post(self.w.committee_goal, title="")
        self.assertContains(response, 'id="id_title_error"')
        self.assertContains(response, "Detta fält måste fyllas i.")
        self.assertContains(response, "Inget har sparats")
        self.assertEqual(Goal.objects.count(), before)

    def test_other_editor_is_refused(self):
        self.client.force_login(self.w.other_editor)
        before = Goal.objects.count()
        response = self.post(self.w.committee_goal)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Goal.objects.count(), before)

    def test_reader_is_refused(self):
        self.client.force_login(self.w.reader)
        self.assertEqual(self.client.get(self.url(self.w.committee_goal)).status_code, 403)
        self.assertEqual(self.post(self.w.committee_goal).status_code, 403)

    def test_anonymous_is_sent_to_login_and_nothing_saved(self):
        before = Goal.objects.count()
        response = self.post(self.w.committee_goal)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Goal.objects.count(), before)

    def test_controller_creates_council_goal(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(
            f"{reverse('goals:goal_create')}?niva=kf&period=2023",
            {
                "title": "Trygg och hållbar kommun",
                "owner": self.w.kf.pk,
                "perspective": self.w.council_goal.perspective_id,
                "order": 3,
                "shared": "on",
            },
        )
        goal = Goal.objects.get(title="Trygg och hållbar kommun")
        self.assertRedirects(response, reverse("goals:goal_detail", args=[goal.pk]))
        self.assertEqual(goal.level, GoalLevel.COUNCIL)
        self.assertTrue(goal.shared)

    def test_started_from_the_unit_page_the_unit_and_its_committees_goals_are_offered(self):
        from tests.factories import GoalFactory

        GoalFactory(
            level=GoalLevel.COMMITTEE,
            parent=self.w.council_goal,
            owner=self.w.von,
            mandate_period=self.w.period,
            title="Omsorgsnämndens mål",
        )
        self.client.force_login(self.w.controller)
        response = self.client.get(
            f"{reverse('goals:goal_create')}?niva=enhet&period=2023&enhet={self.w.skola1.pk}"
        )
        form = response.context["form"]
        self.assertEqual(form.initial["owner"], self.w.skola1.pk)
        self.assertEqual(list(form.fields["parent"].queryset), [self.w.committee_goal])

    def test_editor_of_a_school_cannot_create_council_goals(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(f"{reverse('goals:goal_create')}?niva=kf")
        self.assertEqual(response.status_code, 403)


class GoalEditTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self, goal):
        return reverse("goals:goal_edit", args=[goal.pk])

    def test_editor_edits_and_one_history_row_is_written_with_the_user(self):
        goal = self.w.unit_goal
        self.client.force_login(self.w.editor)
        rows_before = goal.history.count()
        response = self.client.post(self.url(goal), goal_data(goal, title="Nytt namn på målet"))
        self.assertRedirects(response, reverse("goals:goal_detail", args=[goal.pk]))
        goal.refresh_from_db()
        self.assertEqual(goal.title, "Nytt namn på målet")
        self.assertEqual(goal.version, 2)
        self.assertEqual(goal.history.count(), rows_before + 1)
        self.assertEqual(goal.history.first().history_user, self.w.editor)

    def test_stale_save_is_refused_with_what_the_other_person_saved(self):
        goal = self.w.unit_goal
        self.client.force_login(self.w.editor)
        stale = goal_data(goal, title="Min ändring")
        first = goal_data(goal, title="Den andras ändring")
        self.client.post(self.url(goal), first)
        response = self.client.post(self.url(goal), stale)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Någon annan har sparat", status_code=409)
        self.assertContains(response, "Den andras ändring", status_code=409)
        goal.refresh_from_db()
        self.assertEqual(goal.title, "Den andras ändring")

    def test_non_numeric_version_is_a_form_error_not_a_500(self):
        goal = self.w.unit_goal
        self.client.force_login(self.w.editor)
        data = {**goal_data(goal, title="Med trasig version"), "version": "abc"}
        response = self.client.post(self.url(goal), data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].has_error("version"))
        goal.refresh_from_db()
        self.assertNotEqual(goal.title, "Med trasig version")

    def test_other_editor_gets_403_and_nothing_changes(self):
        goal = self.w.unit_goal
        self.client.force_login(self.w.other_editor)
        response = self.client.post(self.url(goal), goal_data(goal, title="Kapat"))
        self.assertEqual(response.status_code, 403)
        goal.refresh_from_db()
        self.assertNotEqual(goal.title, "Kapat")

    def test_reader_gets_403(self):
        self.client.force_login(self.w.reader)
        self.assertEqual(self.client.get(self.url(self.w.unit_goal)).status_code, 403)

    def test_hidden_proposal_is_404_for_other_editor(self):
        self.client.force_login(self.w.other_editor)
        self.assertEqual(self.client.get(self.url(self.w.proposed_goal)).status_code, 404)

    def test_anonymous_is_sent_to_login(self):
        response = self.client.post(
            self.url(self.w.unit_goal), goal_data(self.w.unit_goal, title="x")
        )
        self.assertEqual(response.status_code, 302)
        self.w.unit_goal.refresh_from_db()
        self.assertNotEqual(self.w.unit_goal.title, "x")

    def test_parent_of_wrong_level_is_refused(self):
        goal = self.w.unit_goal
        self.client.force_login(self.w.controller)
        response = self.client.post(self.url(goal), goal_data(goal, parent=self.w.council_goal.pk))
        self.assertContains(response, "Välj ett giltigt alternativ")
        goal.refresh_from_db()
        self.assertEqual(goal.parent, self.w.committee_goal)


class GoalStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self, goal):
        return reverse("goals:goal_status", args=[goal.pk])

    def test_adopting_requires_a_decision(self):
        goal = self.w.proposed_goal
        self.client.force_login(self.w.editor)
        response = self.client.post(
            self.url(goal), {"status": "adopted", "version": goal.version}, follow=True
        )
        self.assertContains(response, "Ange beslutet")
        goal.refresh_from_db()
        self.assertEqual(goal.status, GoalStatus.PROPOSED)

    def test_adopt_with_decision(self):
        goal = self.w.proposed_goal
        self.client.force_login(self.w.editor)
        self.client.post(
            self.url(goal),
            {
                "status": "adopted",
                "version": goal.version,
                "decision_reference": "BUN 2024/17",
                "decision_paragraph": "§ 45",
                "decided_on": "2024-02-20",
            },
        )
        goal.refresh_from_db()
        self.assertEqual(goal.status, GoalStatus.ADOPTED)
        self.assertEqual(goal.decision_paragraph, "§ 45")
        self.assertEqual(goal.history.first().history_change_reason, "Antaget")

    def test_end_goal_breaks_childrens_chain(self):
        goal = self.w.committee_goal
        self.client.force_login(self.w.controller)
        self.client.post(self.url(goal), {"status": "ended", "version": goal.version})
        goal.refresh_from_db()
        self.assertEqual(goal.status, GoalStatus.ENDED)
        self.assertTrue(Goal.objects.with_chain_state().get(pk=self.w.unit_goal.pk).chain_broken)

    def test_ended_goal_cannot_be_reopened_or_edited(self):
        goal = self.w.unit_goal
        self.client.force_login(self.w.editor)
        self.client.post(self.url(goal), {"status": "ended", "version": goal.version})
        goal.refresh_from_db()
        self.client.post(
            self.url(goal),
            {
                "status": "adopted",
                "version": goal.version,
                "decision_reference": "x",
                "decided_on": "2024-01-01",
            },
        )
        goal.refresh_from_db()
        self.assertEqual(goal.status, GoalStatus.ENDED)
        response = self.client.get(reverse("goals:goal_edit", args=[goal.pk]))
        self.assertEqual(response.status_code, 302)

    def test_non_numeric_version_is_refused_not_a_500(self):
        goal = self.w.unit_goal
        self.client.force_login(self.w.editor)
        data = {"status": "ended", "version": "x"}
        response = self.client.post(self.url(goal), data, follow=True)
        self.assertContains(response, "Ogiltig begäran.")
        goal.refresh_from_db()
        self.assertEqual(goal.status, GoalStatus.ADOPTED)

    def test_stale_status_change_is_refused(self):
        goal = self.w.unit_goal
        self.client.force_login(self.w.editor)
        response = self.client.post(
            self.url(goal), {"status": "ended", "version": goal.version - 1 or 99}, follow=True
        )
        self.assertContains(response, "ändrats av någon annan")
        goal.refresh_from_db()
        self.assertEqual(goal.status, GoalStatus.ADOPTED)

    def test_other_editor_and_reader_cannot_end(self):
        goal = self.w.unit_goal
        for user in (self.w.other_editor, self.w.reader):
            self.client.force_login(user)
            response = self.client.post(
                self.url(goal), {"status": "ended", "version": goal.version}
            )
            self.assertEqual(response.status_code, 403)
        goal.refresh_from_db()
        self.assertEqual(goal.status, GoalStatus.ADOPTED)

    def test_get_is_not_allowed(self):
        self.client.force_login(self.w.editor)
        self.assertEqual(self.client.get(self.url(self.w.unit_goal)).status_code, 405)
