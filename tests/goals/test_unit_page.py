"""The unit page and "Min enhet"."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from goals.models import ActivityStatus
from tests.conftest import build_world
from tests.factories import ActivityFactory


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
