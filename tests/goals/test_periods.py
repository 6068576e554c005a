"""Mandate periods, budget years and the vision: read by all, managed at the council."""

import pytest
from django.test import TestCase
from django.urls import reverse

from goals.models import BudgetYear, MandatePeriod, Vision
from ledmot.models import Role
from tests.concurrency import signed_in_clients, together
from tests.conftest import build_world
from tests.factories import UserFactory, grant

PERIODS = reverse("goals:periods")
NEW_PERIOD = reverse("goals:period_create")


class PeriodTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_everyone_logged_in_reads_periods_and_vision(self):
        for user in (self.w.reader, self.w.editor, self.w.other_editor):
            self.client.force_login(user)
            response = self.client.get(PERIODS)
            self.assertContains(response, "2023–2026")
            self.assertContains(response, self.w.vision.text)
            self.assertNotContains(response, NEW_PERIOD)

    def test_controller_creates_period_and_budget_year_with_history(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(NEW_PERIOD, {"start_year": 2027, "end_year": 2030})
        self.assertRedirects(response, PERIODS)
        period = MandatePeriod.objects.get(start_year=2027)
        self.assertEqual(period.history.get().history_user, self.w.controller)
        url = reverse("goals:year_create", args=[period.pk])
        self.assertEqual(self.client.get(url).context["form"].initial["year"], 2027)
        self.client.post(url, {"year": 2027, "plan_years": 2})
        year = BudgetYear.objects.get(year=2027)
        self.assertEqual(str(year), "Budget 2027 med plan 2028–2029")

    def test_overlapping_period_is_refused_beside_the_field(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(NEW_PERIOD, {"start_year": 2025, "end_year": 2028})
        self.assertContains(response, "överlappar mandatperioden 2023–2026")
        self.assertContains(response, 'id="id_start_year_error"')
        self.assertFalse(MandatePeriod.objects.filter(start_year=2025).exists())

    def test_year_outside_the_period_is_refused(self):
        self.client.force_login(self.w.controller)
        url = reverse("goals:year_create", args=[self.w.period.pk])
        response = self.client.post(url, {"year": 2031, "plan_years": 2})
        self.assertContains(response, "inom mandatperioden")
        self.assertFalse(BudgetYear.objects.exists())

    def test_controller_writes_the_vision(self):
        self.client.force_login(self.w.controller)
        url = reverse("goals:vision_edit", args=[self.w.period.pk])
        self.client.post(
            url,
            {
                "text": "Åsbacka – tryggt, grönt och nära.",
                "decision_reference": "KF 2022/318",
                "version": self.w.vision.version,
            },
        )
        self.assertEqual(Vision.objects.get().text, "Åsbacka – tryggt, grönt och nära.")

    def test_editor_reader_and_other_editor_are_refused_and_nothing_changes(self):
        vision_url = reverse("goals:vision_edit", args=[self.w.period.pk])
        year_url = reverse("goals:year_create", args=[self.w.period.pk])
        for user in (self.w.editor, self.w.reader, self.w.other_editor):
            self.client.force_login(user)
            self.assertEqual(
                self.client.post(NEW_PERIOD, {"start_year": 2031, "end_year": 2034}).status_code,
                403,
            )
            self.assertEqual(self.client.post(vision_url, {"text": "Kapad"}).status_code, 403)
            self.assertEqual(self.client.post(year_url, {"year": 2024}).status_code, 403)
        self.assertEqual(MandatePeriod.objects.count(), 1)
        self.assertEqual(Vision.objects.get().text, self.w.vision.text)
        self.assertFalse(BudgetYear.objects.exists())

    def test_anonymous_is_sent_to_login(self):
        for url in (PERIODS, NEW_PERIOD):
            self.assertEqual(self.client.get(url).status_code, 302)


def _second_controller(w):
    user = UserFactory(username="controller2", first_name="Karin", last_name="Kvalitet")
    grant(user, w.kf, Role.CONTROLLER)
    return user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_controllers_creating_overlapping_periods_at_once_get_one_period_and_one_message():
    w = build_world()
    clients = signed_in_clients([w.controller, _second_controller(w)])
    forms = [{"start_year": 2027, "end_year": 2030}, {"start_year": 2027, "end_year": 2028}]

    responses = together(2, lambda i: clients[i].post(NEW_PERIOD, forms[i]))

    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = responses[0] if responses[0].status_code == 200 else responses[1]
    assert 'id="id_start_year_error"' in loser.content.decode()
    assert MandatePeriod.objects.filter(start_year__gte=2027).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_controllers_adding_the_same_budget_year_at_once_get_one_year_and_one_message():
    w = build_world()
    clients = signed_in_clients([w.controller, _second_controller(w)])
    url = reverse("goals:year_create", args=[w.period.pk])

    responses = together(2, lambda i: clients[i].post(url, {"year": 2025, "plan_years": i + 1}))

    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = responses[0] if responses[0].status_code == 200 else responses[1]
    assert 'id="id_year_error"' in loser.content.decode()
    assert BudgetYear.objects.filter(year=2025).count() == 1
