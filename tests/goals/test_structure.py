"""Målstrukturanalys: the weaknesses per committee."""

from django.test import TestCase, override_settings
from django.urls import reverse

from goals.models import GoalLevel
from tests.conftest import build_world
from tests.factories import GoalFactory

URL = reverse("goals:structure")


class StructureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.orphan = GoalFactory(
            level=GoalLevel.COMMITTEE,
            owner=cls.w.bun,
            mandate_period=cls.w.period,
            title="Nämndmål utan förälder",
        )

    def rows(self, user):
        self.client.force_login(user)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        return response, {r["unit"].code: r for r in response.context["rows"]}

    def test_counts_goals_per_level_per_committee(self):
        _, rows = self.rows(self.w.reader)
        self.assertEqual(rows["KF"]["counts"][GoalLevel.COUNCIL], 1)
        self.assertEqual(rows["BUN"]["counts"][GoalLevel.COMMITTEE], 2)
        # The reader of KF sees the proposal too: it is in their scope.
        self.assertEqual(rows["BUN"]["counts"][GoalLevel.UNIT], 2)

    def test_lists_goals_without_indicator_activity_parent_or_smart(self):
        response, rows = self.rows(self.w.reader)
        bun = rows["BUN"]
        self.assertIn(self.orphan, bun["no_parent"])
        self.assertIn(self.orphan, bun["no_indicator"])
        self.assertIn(self.orphan, bun["no_activity"])
        self.assertIn(self.w.proposed_goal, bun["no_activity"])
        self.assertNotIn(self.w.unit_goal, bun["no_activity"])
        self.assertNotIn(self.w.unit_goal, bun["no_indicator"])
        self.assertIn(self.w.unit_goal, bun["smart_incomplete"])
        self.assertContains(response, "Nämndmål utan förälder")

    def test_council_goal_no_committee_breaks_down_is_listed(self):
        lonely = GoalFactory(owner=self.w.kf, mandate_period=self.w.period, title="Ensamt mål")
        _, rows = self.rows(self.w.reader)
        self.assertIn(lonely, rows["KF"]["no_activity"])
        self.assertNotIn(self.w.council_goal, rows["KF"]["no_activity"])

    def test_council_comes_first_then_committees(self):
        _, rows = self.rows(self.w.reader)
        self.assertEqual(list(rows)[0], "KF")

    def test_indicator_without_a_due_value_is_listed_as_stale(self):
        response, rows = self.rows(self.w.reader)
        self.assertIn(self.w.indicator, rows["BUN"]["stale"])
        self.assertContains(response, "Indikatorer utan värde efter sista dag")

    def test_proposals_outside_scope_are_not_counted(self):
        _, rows = self.rows(self.w.other_editor)
        self.assertEqual(rows["BUN"]["counts"][GoalLevel.UNIT], 1)

    @override_settings(LEDMOT_MAX_COMMITTEE_GOALS=1)
    def test_too_many_goals_is_flagged(self):
        response, rows = self.rows(self.w.reader)
        self.assertTrue(rows["BUN"]["too_many"])
        self.assertContains(response, "För många mål")

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(URL).status_code, 302)
