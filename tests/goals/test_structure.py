"""Målstrukturanalys: the weaknesses per committee, the goals behind each figure."""

from django.test import TestCase, override_settings
from django.urls import reverse

from goals.models import Goal, GoalLevel
from goals.structure import GOAL_CHECKS
from tests.conftest import build_world
from tests.factories import GoalFactory, OrgUnitFactory

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

    def listed(self, user, code, check, **params):
        """Everything the drill-down of ``code``/``check`` lists, over all its pages."""
        self.client.force_login(user)
        found, page = [], 1
        while True:
            response = self.client.get(URL, {"org": code, "brist": check, "sida": page, **params})
            self.assertEqual(response.status_code, 200)
            drill = response.context["drill"]
            found += list(drill["page"].object_list)
            if not drill["page"].has_next():
                return found
            page += 1

    def test_counts_goals_per_level_per_committee(self):
        _, rows = self.rows(self.w.reader)
        self.assertEqual(rows["KF"]["counts"][GoalLevel.COUNCIL], 1)
        self.assertEqual(rows["BUN"]["counts"][GoalLevel.COMMITTEE], 2)
        # The reader of KF sees the proposal too: it is in their scope.
        self.assertEqual(rows["BUN"]["counts"][GoalLevel.UNIT], 2)

    def test_lists_goals_without_indicator_activity_parent_or_smart(self):
        reader, bun = self.w.reader, "BUN"
        self.assertIn(self.orphan, self.listed(reader, bun, "no_parent"))
        self.assertIn(self.orphan, self.listed(reader, bun, "no_indicator"))
        no_activity = self.listed(reader, bun, "no_activity")
        self.assertIn(self.orphan, no_activity)
        self.assertIn(self.w.proposed_goal, no_activity)
        self.assertNotIn(self.w.unit_goal, no_activity)
        self.assertNotIn(self.w.unit_goal, self.listed(reader, bun, "no_indicator"))
        self.assertIn(self.w.unit_goal, self.listed(reader, bun, "smart_incomplete"))
        self.client.force_login(reader)
        response = self.client.get(URL, {"org": bun, "brist": "no_parent"})
        self.assertContains(response, "Nämndmål utan förälder")

    def test_every_figure_links_to_a_list_of_as_many_goals(self):
        response, rows = self.rows(self.w.reader)
        for code, row in rows.items():
            for check in GOAL_CHECKS:
                with self.subTest(code=code, check=check):
                    listed = self.listed(self.w.reader, code, check)
                    self.assertEqual(len(listed), row["weak"][check])
            self.assertEqual(len(self.listed(self.w.reader, code, "stale")), row["stale"])
        self.assertContains(response, 'href="?period=2023&amp;org=BUN&amp;brist=no_parent#lista"')

    def test_incomplete_smart_is_counted_per_missing_criterion(self):
        """Issue 13 point 9: not one "Ofullständig SMART" wall but the count per missing
        criterion, each linking to its goals; "Mätbart" is missing where no indicator
        measures the goal even if it is ticked."""
        goal = Goal.objects.get(pk=self.orphan.pk)
        goal.smart_specific = goal.smart_measurable = True
        goal.save()
        response, rows = self.rows(self.w.reader)
        self.assertContains(response, "Vad som saknas i SMART-checklistan")
        bun = rows["BUN"]["smart"]
        specific = self.listed(self.w.reader, "BUN", "smart_specific")
        measurable = self.listed(self.w.reader, "BUN", "smart_measurable")
        self.assertNotIn(self.orphan, specific)
        self.assertIn(self.orphan, measurable)  # ticked, but no indicator
        self.assertEqual((bun["smart_specific"], bun["smart_measurable"]),
                         (len(specific), len(measurable)))  # fmt: skip
        self.assertEqual(bun["smart_specific"] + 1, rows["BUN"]["weak"]["smart_incomplete"])
        self.assertContains(
            response, 'href="?period=2023&amp;org=BUN&amp;brist=smart_responsible#lista"'
        )

    def test_broken_chain_is_the_rule_of_the_goal_chain(self):
        broken = set(
            Goal.objects.in_period(self.w.period)
            .live()
            .with_chain_state()
            .filter(chain_broken=True)
        )
        listed = set()
        for code in ("KF", "BUN", "VON"):
            listed |= set(self.listed(self.w.reader, code, "no_parent"))
        self.assertEqual(listed, broken)

    def test_council_goal_no_committee_breaks_down_is_listed(self):
        lonely = GoalFactory(owner=self.w.kf, mandate_period=self.w.period, title="Ensamt mål")
        listed = self.listed(self.w.reader, "KF", "no_activity")
        self.assertIn(lonely, listed)
        self.assertNotIn(self.w.council_goal, listed)

    def test_council_comes_first_then_committees(self):
        _, rows = self.rows(self.w.reader)
        self.assertEqual(list(rows)[0], "KF")

    def test_indicator_without_a_due_value_is_listed_as_stale(self):
        _, rows = self.rows(self.w.reader)
        self.assertGreaterEqual(rows["BUN"]["stale"], 1)
        self.assertIn(self.w.indicator, self.listed(self.w.reader, "BUN", "stale"))
        response = self.client.get(URL, {"org": "BUN", "brist": "stale"})
        self.assertContains(response, "Indikatorer utan värde efter sista dag")
        self.assertContains(response, self.w.indicator.name)

    def test_proposals_outside_scope_are_not_counted(self):
        _, rows = self.rows(self.w.other_editor)
        self.assertEqual(rows["BUN"]["counts"][GoalLevel.UNIT], 1)

    def test_proposals_outside_scope_are_not_listed(self):
        # The reader of KF sees the proposal in the list; an editor of another committee
        # does not, though they may open the committee's list of public goals.
        self.assertIn(self.w.proposed_goal, self.listed(self.w.reader, "BUN", "no_activity"))
        listed = self.listed(self.w.other_editor, "BUN", "no_activity")
        self.assertNotIn(self.w.proposed_goal, listed)
        self.assertIn(self.orphan, listed)
        response = self.client.get(URL, {"org": "BUN", "brist": "no_activity"})
        self.assertNotContains(response, self.w.proposed_goal.title)

    def test_a_unit_below_a_committee_or_an_unknown_check_is_not_a_row(self):
        self.client.force_login(self.w.reader)
        for params in (
            {"org": "SKOLA1", "brist": "no_indicator"},
            {"org": "NOPE", "brist": "no_indicator"},
            {"org": "BUN", "brist": "nonsense"},
            {"org": "BUN"},
        ):
            with self.subTest(params=params):
                self.assertEqual(self.client.get(URL, params).status_code, 404)

    def test_the_list_is_paginated_fifty_a_page(self):
        for i in range(52):
            GoalFactory(
                level=GoalLevel.UNIT,
                owner=self.w.boende1,
                mandate_period=self.w.period,
                title=f"Omsorgsmål {i:02}",
            )
        self.client.force_login(self.w.reader)
        first = self.client.get(URL, {"org": "VON", "brist": "no_indicator"})
        self.assertEqual(len(first.context["drill"]["page"].object_list), 50)
        self.assertContains(first, "org=VON&amp;brist=no_indicator&amp;sida=2")
        second = self.client.get(URL, {"org": "VON", "brist": "no_indicator", "sida": 2})
        self.assertEqual(len(second.context["drill"]["page"].object_list), 2)
        self.assertEqual(len(self.listed(self.w.reader, "VON", "no_indicator")), 52)

    def test_the_period_filter_is_kept_in_the_links(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(URL, {"period": 2023, "org": "BUN", "brist": "no_indicator"})
        self.assertEqual(response.context["period"], self.w.period)
        self.assertContains(response, 'href="?period=2023&amp;org=KF&amp;brist=')

    @override_settings(LEDMOT_MAX_COMMITTEE_GOALS=1)
    def test_too_many_goals_is_flagged(self):
        response, rows = self.rows(self.w.reader)
        self.assertTrue(rows["BUN"]["too_many"])
        self.assertContains(response, "För många mål")

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(URL).status_code, 302)
        response = self.client.get(URL, {"org": "BUN", "brist": "no_indicator"})
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("Nämndmål utan förälder", response.content.decode())


# Session, user, periods, units, the goal figures, the stale figures, and the access of
# the user (roles); a drill-down adds its unit, its count and its page.
PAGE_QUERIES = 7
DRILL_QUERIES = PAGE_QUERIES + 3


class StructureQueryCountTests(TestCase):
    """The page costs the same number of queries whatever the size of the organisation."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def grow(self, committees: int, goals: int):
        start = OrgUnitFactory._meta.model.objects.count()
        for c in range(start, start + committees):
            committee = OrgUnitFactory(
                name=f"Nämnd {c}", code=f"N{c}", kind="committee", parent=self.w.kf
            )
            unit = OrgUnitFactory(name=f"Enhet {c}", code=f"E{c}", parent=committee)
            for _ in range(goals):
                GoalFactory(level=GoalLevel.UNIT, owner=unit, mandate_period=self.w.period)

    def assert_queries(self, expected: int, params=None):
        self.client.force_login(self.w.reader)
        self.client.get(URL, params)  # warm-up: sessions, caches
        with self.assertNumQueries(expected):
            response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 200)

    def test_constant_in_the_size_of_the_organisation(self):
        for size in ("small", "larger"):
            with self.subTest(size=size):
                self.assert_queries(PAGE_QUERIES)
                self.assert_queries(DRILL_QUERIES, {"org": "BUN", "brist": "no_activity"})
                self.assert_queries(DRILL_QUERIES, {"org": "BUN", "brist": "stale"})
                second_page = {"org": "BUN", "brist": "no_activity", "sida": 2}
                self.assert_queries(DRILL_QUERIES, second_page)
                self.grow(committees=4, goals=15)
