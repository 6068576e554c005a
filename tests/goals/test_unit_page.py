"""The unit page and "Min enhet"."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from goals.models import ActivityStatus, GoalLevel
from tests.conftest import build_world
from tests.factories import ActivityFactory, GoalFactory, IndicatorFactory, OrgUnitFactory


class UnitPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        today = timezone.localdate()
        cls.late = ActivityFactory(
            goal=cls.w.unit_goal,
            title="Kartläggning av läsförmåga",
            end=today - datetime.timedelta(days=3),
            status=ActivityStatus.IN_PROGRESS,
        )
        cls.soon = ActivityFactory(
            goal=cls.w.unit_goal,
            title="Föräldramöte om läxor",
            end=today + datetime.timedelta(days=5),
        )
        cls.done = ActivityFactory(
            goal=cls.w.unit_goal,
            title="Avslutad insats",
            end=today - datetime.timedelta(days=9),
            status=ActivityStatus.DONE,
            progress=100,
        )

    def url(self, unit):
        return reverse("goals:unit_detail", args=[unit.pk])

    def test_unit_page_shows_goals_activities_and_what_is_due(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(self.url(self.w.skola1))
        self.assertContains(response, self.w.unit_goal.title)
        self.assertContains(response, self.w.proposed_goal.title)
        self.assertContains(response, "Försenad")
        self.assertContains(response, "Kartläggning av läsförmåga")
        self.assertContains(response, "Föräldramöte om läxor")
        due = response.context["due"]
        self.assertIn(self.late, due)
        self.assertIn(self.soon, due)
        self.assertNotIn(self.done, due)

    def test_unit_page_flags_indicators_without_a_due_value(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(self.url(self.w.skola1))
        self.assertContains(response, self.w.indicator.name)
        self.assertContains(response, "Värde saknas efter sista dag")

    def test_reader_sees_public_goals_but_not_proposals_outside_scope(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.get(self.url(self.w.skola1))
        self.assertContains(response, self.w.unit_goal.title)
        self.assertNotContains(response, self.w.proposed_goal.title)

    def test_my_unit_redirects_to_the_users_unit(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(reverse("goals:my_unit"))
        self.assertRedirects(response, self.url(self.w.skola1))

    def test_my_unit_without_roles_explains(self):
        from tests.factories import UserFactory

        self.client.force_login(UserFactory(username="ny"))
        response = self.client.get(reverse("goals:my_unit"))
        self.assertContains(response, "ingen roll")

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(self.url(self.w.skola1)).status_code, 302)
        self.assertEqual(self.client.get(reverse("goals:my_unit")).status_code, 302)

    def test_unknown_unit_is_404(self):
        self.client.force_login(self.w.reader)
        self.assertEqual(
            self.client.get(reverse("goals:unit_detail", args=[99999])).status_code, 404
        )


class CommitteeUnitPageSizeTests(TestCase):
    """A committee responsible for many indicators: its page shows the first ones, says
    how many there are and links to the list of all; its cost does not grow with them."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.url = reverse("goals:unit_detail", args=[cls.w.bun.pk])

    def test_many_indicators_are_counted_and_linked_not_all_listed(self):
        from goals.unit_page import SHOWN_INDICATORS

        for n in range(SHOWN_INDICATORS + 4):
            IndicatorFactory(name=f"Nämndindikator {n:03}", responsible_unit=self.w.bun)
        self.client.force_login(self.w.controller)
        response = self.client.get(self.url)
        html = response.content.decode()
        self.assertEqual(html.count("Nämndindikator "), SHOWN_INDICATORS)
        self.assertContains(response, f"Visar de första {SHOWN_INDICATORS} av 54 indikatorer.")
        self.assertContains(response, '<a href="/indikatorer/?org=BUN">Alla i listform')
        self.assertContains(response, 'href="/indikatorer/?org=BUN&amp;inaktuell=1"')

    def test_a_committee_with_few_indicators_lists_them_all(self):
        IndicatorFactory(name="Nämndindikator ensam", responsible_unit=self.w.bun)
        self.client.force_login(self.w.controller)
        response = self.client.get(self.url)
        self.assertContains(response, "Nämndindikator ensam")
        self.assertNotContains(response, "Visar de första")

    def test_query_count_does_not_grow_with_the_committees_units_and_indicators(self):
        self.client.force_login(self.w.controller)
        self.client.get(self.url)
        # 22: session, user, unit, periods, roles, a page of goals, their count and their
        # counts, goals without indicator, without activity, activities, ancestors, the
        # unit's reports in open rounds, the economy section's units below and its
        # roll-up's subtree and figures (made afresh inside the test's transaction;
        # outside one, a kept roll-up costs one query: ledmot.lib.kept),
        # the cost-per-result section's result indicators, the first indicators, their
        # number, sub-units; the menu's count of reports waiting for the controller's
        # approval (the units with an approver, the count).
        with self.assertNumQueries(22) as few:
            self.client.get(self.url)
        for n in range(60):
            unit = OrgUnitFactory(parent=self.w.buf)
            IndicatorFactory(responsible_unit=unit)
            IndicatorFactory(responsible_unit=self.w.bun, gender_breakdown=bool(n % 2))
            GoalFactory(
                level=GoalLevel.COMMITTEE,
                parent=self.w.council_goal,
                owner=self.w.bun,
                mandate_period=self.w.period,
            )
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(self.url)

    def test_many_goals_come_a_page_at_a_time_and_what_needs_attention_covers_all(self):
        from goals.unit_page import SHOWN_GOALS

        goals = [
            GoalFactory(
                level=GoalLevel.COMMITTEE,
                parent=self.w.council_goal,
                owner=self.w.bun,
                mandate_period=self.w.period,
                title=f"Nämndmål {n:03}",
                order=n + 1,
            )
            for n in range(SHOWN_GOALS + 5)
        ]
        # Every goal but the last has an indicator: the last one, on page 2, needs one.
        for g in goals[:-1]:
            IndicatorFactory(responsible_unit=self.w.bun, goals=[g])
        self.client.force_login(self.w.controller)
        first = self.client.get(self.url)
        total = len(goals) + 1  # and the committee goal of the world
        self.assertContains(first, f"Mål 1–{SHOWN_GOALS} av {total}")
        self.assertContains(first, "Sida 1 av 2")
        self.assertContains(first, "Mål som saknar indikator")
        self.assertContains(first, goals[-1].title)  # in the list of what needs attention
        second = self.client.get(self.url, {"sida": 2})
        self.assertContains(second, f"Mål {SHOWN_GOALS + 1}–{total} av {total}")
        html = second.content.decode()
        self.assertIn(goals[-1].title, html)
        self.assertNotIn(goals[0].title + "<", html)
