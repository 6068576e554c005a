"""Resultat for users whose roles cover many units: one unit's indicators, a page at a time."""

import re
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from goals.models import Measurement
from goals.results import due_period
from goals.services import ValueInput, measurements_save
from goals.views.lists import PAGE_SIZE
from ledmot.models import OrgKind
from tests.conftest import build_world
from tests.factories import IndicatorFactory, OrgUnitFactory, grant
from tests.goals.test_results import _hidden_fields

URL = reverse("goals:results")


def _row_names(response) -> list[str]:
    """The indicators of the form's rows, in the order shown."""
    html = response.content.decode()
    return re.findall(r'<a href="/indikatorer/\d+/">([^<]+)</a>', html)


class ScopeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.care = IndicatorFactory(name="Nöjdhet i omsorgen", responsible_unit=cls.w.boende1)
        cls.period = due_period("year", timezone.localdate()).key

    def test_controller_chooses_among_the_committees_and_the_whole_municipality(self):
        self.client.force_login(self.w.controller)
        page = self.client.get(URL)
        self.assertContains(page, '<select id="f-enhet" name="enhet">')
        for unit in (self.w.kf, self.w.bun, self.w.von):
            self.assertContains(page, f'<option value="{unit.pk}"')
        self.assertNotContains(page, f'<option value="{self.w.skola1.pk}"')
        # A role on the council: the page opens on the first committee.
        self.assertContains(page, f'<option value="{self.w.bun.pk}" selected>')
        self.assertEqual(_row_names(page), [self.w.indicator.name])

        page = self.client.get(URL, {"enhet": self.w.kf.pk})
        self.assertContains(page, f'<option value="{self.w.kf.pk}" selected>')
        self.assertEqual(set(_row_names(page)), {self.w.indicator.name, self.care.name})

        page = self.client.get(URL, {"enhet": self.w.von.pk})
        self.assertContains(page, f'<option value="{self.w.von.pk}" selected>')
        self.assertContains(page, self.care.name)
        self.assertNotContains(page, self.w.indicator.name)
        self.assertContains(page, "1 indikator på Vård- och omsorgsnämnden")

    def test_a_unit_further_down_can_be_chosen_by_link(self):
        self.client.force_login(self.w.controller)
        page = self.client.get(URL, {"enhet": self.w.skola1.pk})
        self.assertContains(page, f'<option value="{self.w.skola1.pk}" selected>')
        self.assertEqual(_row_names(page), [self.w.indicator.name])

    def test_editor_of_one_unit_gets_no_chooser(self):
        self.client.force_login(self.w.editor)
        page = self.client.get(URL)
        self.assertNotContains(page, 'name="enhet"')
        self.assertContains(page, self.w.indicator.name)

    def test_a_unit_outside_the_users_roles_is_refused_and_nothing_is_saved(self):
        self.client.force_login(self.w.editor)
        self.assertEqual(self.client.get(URL, {"enhet": self.w.boende1.pk}).status_code, 403)
        self.assertEqual(self.client.get(URL, {"enhet": "999999"}).status_code, 404)
        self.assertEqual(self.client.get(URL, {"enhet": "x"}).status_code, 404)
        form = _hidden_fields(self.client.get(URL))
        form[f"v-{self.w.indicator.pk}-T"] = "60"
        response = self.client.post(f"{URL}?enhet={self.w.boende1.pk}", form)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Measurement.objects.exists())

    def test_user_without_any_editing_role_sees_no_indicators(self):
        self.client.force_login(self.w.reader)
        page = self.client.get(URL)
        self.assertContains(page, "Du ansvarar inte för någon indikator.")
        self.assertNotContains(page, 'name="enhet"')


class PagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.period = due_period("year", timezone.localdate()).key
        cls.extra = [
            IndicatorFactory(name=f"Extra {n:03}", responsible_unit=cls.w.skola1)
            for n in range(PAGE_SIZE + 5)
        ]

    def test_rows_come_a_page_at_a_time_with_the_empty_ones_first(self):
        # The first extra indicator has its value: it comes after every empty one.
        measurements_save(
            values=[ValueInput(self.extra[0], self.period, Decimal("40"))], user=self.w.editor
        )
        self.client.force_login(self.w.editor)
        first = self.client.get(URL)
        self.assertEqual(len(_row_names(first)), PAGE_SIZE)
        self.assertContains(first, "Sida 1 av 2")
        self.assertContains(first, 'href="?sida=2"')
        self.assertNotIn("Extra 000", _row_names(first))
        second = self.client.get(URL, {"enhet": self.w.skola1.pk, "sida": 2})
        names = _row_names(second)
        self.assertEqual(len(names), len(self.extra) + 1 - PAGE_SIZE)
        self.assertEqual(names[-1], "Extra 000")
        self.assertFalse(set(names) & set(_row_names(first)))

    def test_a_value_saved_on_page_two_is_saved_and_the_page_stays(self):
        self.client.force_login(self.w.editor)
        url = f"{URL}?sida=2"
        page = self.client.get(url)
        last = self.extra[-1]
        self.assertIn(last.name, _row_names(page))
        form = _hidden_fields(page)
        self.assertNotIn(f"p-{self.extra[0].pk}", form)  # only the rows of this page
        form[f"v-{last.pk}-T"] = "12,5"
        response = self.client.post(url, form)
        self.assertRedirects(response, url, fetch_redirect_response=False)
        saved = Measurement.objects.get()
        self.assertEqual((saved.indicator, saved.period), (last, self.period))
        self.assertEqual(saved.value, Decimal("12.5"))
        self.assertContains(self.client.get(url), "1 värde sparat.")


class QueryCountTests(TestCase):
    """The page reads the same number of queries whatever the size of the organisation."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def queries(self) -> int:
        self.client.force_login(self.w.controller)
        self.client.get(URL)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def test_query_count_does_not_grow_with_units_and_indicators(self):
        few = self.queries()
        self.assertEqual(few, 10)  # with the menu's count of what waits for approval (two)
        for n in range(3):
            committee = OrgUnitFactory(kind=OrgKind.COMMITTEE, parent=self.w.kf)
            for _ in range(12):
                unit = OrgUnitFactory(parent=committee)
                IndicatorFactory(responsible_unit=unit, gender_breakdown=bool(n % 2))
                IndicatorFactory(responsible_unit=unit, frequency="month")
        self.assertEqual(self.queries(), few)

    def test_editor_query_count_does_not_grow_with_the_organisation(self):
        self.client.force_login(self.w.editor)
        self.client.get(URL)
        with self.assertNumQueries(8):
            self.client.get(URL)
        for _ in range(20):
            IndicatorFactory(responsible_unit=OrgUnitFactory(parent=self.w.buf))
        grant(self.w.editor, self.w.skola2)
        with self.assertNumQueries(8):
            self.client.get(URL)


class FromTheUnitPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.care = IndicatorFactory(name="Nöjdhet i omsorgen", responsible_unit=cls.w.boende1)

    def test_mata_in_resultat_on_a_unit_page_opens_that_units_indicators(self):
        self.client.force_login(self.w.controller)
        unit_page = self.client.get(reverse("goals:unit_detail", args=[self.w.boende1.pk]))
        link = re.search(
            r'href="(/resultat/[^"]*)">Mata in resultat</a></p>', unit_page.content.decode()
        )
        page = self.client.get(link.group(1).replace("&amp;", "&"))
        self.assertContains(page, f'<option value="{self.w.boende1.pk}" selected>')
        self.assertEqual(_row_names(page), [self.care.name])
