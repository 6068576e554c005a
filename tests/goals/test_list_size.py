"""/aktiviteter/ and /indikatorer/ cost what they show, not what the municipality holds
(issue 12, point 4): the organisation filter offers the committees and what lies next
to the chosen organisation, not every förvaltning and avdelning, and the rows are
counted only up to a cap past the page shown ("Fler än …"), paging on beyond it."""

import re
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.filters import IndicatorFilter
from goals.views import lists
from ledmot.models import OrgKind
from tests.conftest import build_world
from tests.factories import ActivityFactory, IndicatorFactory, OrgUnitFactory

LISTS = ("goals:activity_list", "goals:indicator_list")


def org_options(html: str) -> list[str]:
    """The organisations' codes offered by the organisation filter."""
    start = html.index('id="f-org"')
    select = html[start : html.index("</select>", start)]
    return [code for code in re.findall(r'<option value="([^"]*)"', select) if code]


class OrganisationChoicesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        # A förvaltning of a large municipality: many avdelningar, each with its units.
        cls.avdelningar = [
            OrgUnitFactory(
                name=f"Avdelning {n}", code=f"AVD{n}", kind=OrgKind.DEPARTMENT, parent=cls.w.buf
            )
            for n in range(3)
        ]

    def get(self, url_name: str, **params) -> str:
        self.client.force_login(self.w.controller)
        response = self.client.get(reverse(url_name), params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_without_a_choice_the_council_and_the_committees_are_offered(self):
        for url_name in LISTS:
            with self.subTest(url_name):
                self.assertEqual(org_options(self.get(url_name)), ["KF", "BUN", "VON"])

    def test_more_avdelningar_neither_lengthen_the_list_nor_add_queries(self):
        self.client.force_login(self.w.controller)
        urls = [reverse(url_name) for url_name in LISTS]
        before = {url: self._get(url) for url in urls}
        for n in range(3, 30):
            OrgUnitFactory(code=f"AVD{n}", kind=OrgKind.DEPARTMENT, parent=self.w.buf)
        for url in urls:
            with self.subTest(url):
                html, queries = self._get(url)
                self.assertEqual(org_options(html), org_options(before[url][0]))
                self.assertEqual(queries, before[url][1])

    def _get(self, url: str) -> tuple[str, int]:
        self.client.get(url)
        with CaptureQueriesContext(connection) as captured:
            html = self.client.get(url).content.decode()
        return html, len(captured)

    def test_a_chosen_committee_offers_what_lies_below_it_to_narrow_down(self):
        offered = org_options(self.get("goals:activity_list", org="BUN"))
        self.assertEqual(offered, ["KF", "BUN", "BUF", "VON"])
        offered = org_options(self.get("goals:activity_list", org="BUF"))
        self.assertEqual(offered, ["KF", "BUN", "BUF", "AVD0", "AVD1", "AVD2", "VON"])

    def test_a_chosen_avdelning_offers_those_beside_it_and_stays_chosen(self):
        html = self.get("goals:indicator_list", org="AVD1")
        self.assertEqual(org_options(html), ["KF", "BUN", "BUF", "AVD0", "AVD1", "AVD2", "VON"])
        self.assertIn('<option value="AVD1" selected>', html)

    def test_a_unit_chosen_from_its_unit_page_stays_chosen_and_filters(self):
        html = self.get("goals:activity_list", org="SKOLA1")
        self.assertIn('<option value="SKOLA1" selected>', html)
        self.assertIn(self.w.activity.title, html)
        html = self.get("goals:activity_list", org="BOENDE1")
        self.assertNotIn(self.w.activity.title, html)

    def test_the_list_tells_how_to_narrow_down(self):
        html = self.get("goals:activity_list")
        self.assertIn('aria-describedby="f-org-help"', html)
        self.assertIn("Välj en nämnd och tryck på Visa", html)

    def test_filter_and_list_agree_on_the_subtree(self):
        IndicatorFactory(name="Avdelningens indikator", responsible_unit=self.avdelningar[0])
        f = IndicatorFilter({"org": "BUF"}, user=self.w.controller, today=None)
        names = set(f.qs.values_list("name", flat=True))
        self.assertIn("Avdelningens indikator", names)
        self.assertIn(self.w.indicator.name, names)


@mock.patch.object(lists, "PAGE_SIZE", 2)
@mock.patch.object(lists, "COUNT_CAP", 5)
class CappedCountTests(TestCase):
    """With 2 rows a page and a cap of 5 (in production 50 and 1 000)."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        for n in range(11):  # 12 activities and 12 indicators with the world's own
            ActivityFactory(goal=cls.w.unit_goal, title=f"Aktivitet {n:02}")
            IndicatorFactory(name=f"Indikator {n:02}", responsible_unit=cls.w.skola1)

    def setUp(self):
        self.client.force_login(self.w.controller)

    def test_past_the_cap_the_list_says_more_than_and_pages_on(self):
        page = self.client.get(reverse("goals:activity_list"))
        self.assertContains(page, "Fler än 5 aktiviteter")
        self.assertContains(page, "Sida 1 av fler än 3")
        self.assertNotContains(page, "12 aktiviteter")
        page = self.client.get(reverse("goals:indicator_list"))
        self.assertContains(page, "Fler än 5 indikatorer")

    def test_following_next_page_shows_every_row_once_and_the_count_near_the_end(self):
        for url_name, expected in (
            ("goals:activity_list", "12 aktiviteter"),
            ("goals:indicator_list", "12 indikatorer"),
        ):
            with self.subTest(url_name):
                url = reverse(url_name)
                shown, n, page = [], 1, None
                while True:
                    page = self.client.get(url, {"sida": n})
                    shown += [row.pk for row in page.context["page"].object_list]
                    if not page.context["page"].has_next():
                        break
                    self.assertContains(page, f"sida={n + 1}")
                    n += 1
                self.assertEqual(n, 6)
                self.assertEqual(len(shown), 12)
                self.assertEqual(len(set(shown)), 12)
                # Near the end the rest fits under the cap: the exact count and the last page.
                self.assertContains(page, expected)
                self.assertContains(page, "Sida 6 av 6")

    def test_under_the_cap_the_exact_count_is_shown(self):
        page = self.client.get(reverse("goals:activity_list"), {"sok": "Aktivitet 1"})
        self.assertContains(page, "1 aktivitet")
        self.assertNotContains(page, "Fler än")

    def test_a_page_number_that_is_not_a_number_shows_the_first_page(self):
        for raw in ("x", "-1", "0", "99999999999"):
            with self.subTest(raw):
                page = self.client.get(reverse("goals:activity_list"), {"sida": raw})
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "Sida 1 av fler än 3")

    def test_a_page_past_the_end_shows_the_last(self):
        page = self.client.get(reverse("goals:activity_list"), {"sida": 40})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Sida 6 av 6")


class IndicatorPageReadTests(TestCase):
    """A page of /indikatorer/ is read in the list's order (the unit's path, the name)
    by walking the indexes and stopping after the page, not by sorting every indicator
    of the municipality first (issue 12, point 4)."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        for n in range(30):
            IndicatorFactory(name=f"Indikator {n:02}", responsible_unit=cls.w.skola2)

    def test_a_page_is_read_without_sorting_every_indicator(self):
        self.client.force_login(self.w.controller)
        with CaptureQueriesContext(connection) as captured:
            page = self.client.get(reverse("goals:indicator_list"))
        names = [i.name for i in page.context["page"].object_list]
        self.assertEqual(names[0], self.w.indicator.name)  # Ekbackens skola's, then Lindens
        self.assertEqual(names[1:], [f"Indikator {n:02}" for n in range(30)])
        if connection.vendor != "sqlite":
            return  # PostgreSQL sorts tables this small in memory whatever the indexes
        (sql,) = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith('SELECT "goals_indicator"."id"') and "LIMIT" in q["sql"]
        ]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = [row[-1] for row in cursor.fetchall()]
        self.assertFalse([step for step in plan if "TEMP B-TREE" in step], plan)
