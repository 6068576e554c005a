"""The activity list reads its page through ``ActivityFilter.page_qs`` (the period
matched through a join, so SQLite walks the units in order and stops after a page) and
counts through ``qs``: both must hold the same rows in the same order, page after page."""

import datetime
from unittest import mock

from django.test import TestCase
from django.urls import reverse

from demo import scale
from goals.filters import ActivityFilter
from goals.models import MandatePeriod


class ActivityListOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        scale.seed_scale(scale.SMALL)
        from django.contrib.auth import get_user_model

        cls.users = get_user_model().objects

    def filters(self, user, **data):
        return ActivityFilter(data, user=user, today=datetime.date(2026, 9, 1))

    def test_the_page_rows_are_the_listed_rows_in_the_same_order(self):
        for username in ("politiker", "enhetschef", "admin"):
            user = self.users.get(username=username)
            for data in ({}, {"org": "BUN"}, {"niva": "enhet", "sena": "1"}, {"ar": "2025"}):
                with self.subTest(user=username, data=data):
                    f = self.filters(user, **data)
                    listed = list(f.qs.values_list("pk", flat=True))
                    self.assertTrue(listed)
                    self.assertEqual(list(f.page_qs.values_list("pk", flat=True)), listed)

    def test_every_page_in_turn_shows_the_exported_order_and_the_full_count(self):
        user = self.users.get(username="politiker")
        expected = list(self.filters(user).qs.values_list("title", flat=True))
        self.client.force_login(user)
        url = reverse("goals:activity_list")
        shown = []
        with mock.patch("goals.views.lists.PAGE_SIZE", 40):
            for n in range(1, len(expected) // 40 + 2):
                response = self.client.get(url, {"sida": n})
                self.assertContains(response, f"{len(expected)} aktiviteter")
                shown += [a.title for a in response.context["page"].object_list]
        self.assertEqual(shown, expected)

    def test_a_period_without_activities_lists_none(self):
        MandatePeriod.objects.create(start_year=2031, end_year=2034)
        user = self.users.get(username="politiker")
        f = self.filters(user, period="2031")
        self.assertEqual(f.period.start_year, 2031)
        self.assertEqual(list(f.page_qs), [])
        self.assertEqual(f.qs.count(), 0)
