"""Creating and editing indicators and linking them to goals, for every persona."""

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from goals.models import Indicator
from tests.conftest import build_world

NEW = reverse("goals:indicator_create")


def data(w, **overrides):
    d = {
        "name": "Andel elever som känner sig trygga i skolan",
        "unit": "%",
        "decimals": "1",
        "direction": "higher",
        "frequency": "year",
        "kind": "resultat",
        "source": "manual",
        "kolada_id": "",
        "baseline_value": "84,5",
        "baseline_year": "2022",
        "responsible_unit": w.skola1.pk,
        "goals": [w.unit_goal.pk],
    }
    d.update(overrides)
    return d


class IndicatorFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_editor_creates_an_indicator_on_their_goal(self):
        self.client.force_login(self.w.editor)
        page = self.client.get(f"{NEW}?mal={self.w.unit_goal.pk}")
        self.assertEqual(page.context["form"].initial["goals"], [self.w.unit_goal.pk])
        response = self.client.post(NEW, data(self.w))
        ind = Indicator.objects.get(name="Andel elever som känner sig trygga i skolan")
        self.assertRedirects(response, reverse("goals:indicator_detail", args=[ind.pk]))
        self.assertEqual(ind.baseline_value, Decimal("84.5"))
        self.assertEqual(list(ind.goals.all()), [self.w.unit_goal])
        self.assertEqual(ind.history.first().history_user, self.w.editor)

    def test_bad_input_is_refused_beside_the_field(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(
            NEW, data(self.w, baseline_value="120", kolada_id="X1", source="kolada")
        )
        self.assertContains(response, "En andel måste ligga mellan 0 och 100 %")
        self.assertContains(response, "Ett Kolada-id är en bokstav och fem siffror")
        self.assertFalse(Indicator.objects.filter(name__startswith="Andel elever som").exists())

    def test_cannot_link_a_goal_outside_ones_roles(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(NEW, data(self.w, goals=[self.w.committee_goal.pk]))
        self.assertContains(response, "Välj ett giltigt alternativ")

    def test_editing_keeps_links_to_goals_the_editor_may_not_change(self):
        ind = self.w.indicator  # measures the committee goal (BUN) and the unit goal (SKOLA1)
        self.client.force_login(self.w.editor)
        form = data(self.w, name="Ny rubrik", goals=[], version=ind.version)
        self.client.post(reverse("goals:indicator_edit", args=[ind.pk]), form)
        ind.refresh_from_db()
        self.assertEqual(ind.name, "Ny rubrik")
        self.assertEqual(list(ind.goals.all()), [self.w.committee_goal])

    def test_stale_edit_is_refused(self):
        ind = self.w.indicator
        self.client.force_login(self.w.editor)
        url = reverse("goals:indicator_edit", args=[ind.pk])
        self.client.post(url, data(self.w, name="Först", version=ind.version))
        response = self.client.post(url, data(self.w, name="Sen", version=ind.version))
        self.assertContains(response, "Någon annan har sparat", status_code=409)
        ind.refresh_from_db()
        self.assertEqual(ind.name, "Först")

    def test_reader_other_editor_and_anonymous_are_refused(self):
        url = reverse("goals:indicator_edit", args=[self.w.indicator.pk])
        for user in (self.w.reader, self.w.other_editor):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url, data(self.w, name="Kapad")).status_code, 403)
        self.client.force_login(self.w.reader)
        self.assertEqual(self.client.get(NEW).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(NEW, data(self.w)).status_code, 302)
        self.assertFalse(Indicator.objects.filter(name="Kapad").exists())
