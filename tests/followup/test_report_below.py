"""The reports below a unit's report: a unit with nothing under it does not look through
every report of the round (issue 12 point 4), and one with units under it (older data
made before the kinds' rules) still shows their reports."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Report
from tests.conftest import build_world
from tests.factories import GoalFactory, OrgUnitFactory
from tests.followup.helpers import open_round


class ReportsBelowAUnitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def open_report(self, unit):
        report = Report.objects.get(round=self.rnd, org_unit=unit)
        self.client.force_login(self.w.controller)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("followup:report_detail", args=[report.pk]))
        self.assertEqual(response.status_code, 200)
        return response, [q["sql"] for q in queries.captured_queries]

    def test_a_unit_with_nothing_under_it_reads_no_other_reports(self):
        self.rnd = open_round(self.w)
        response, queries = self.open_report(self.w.skola1)
        self.assertNotContains(response, 'id="below-h"')
        # No query of the reports under the unit's path.
        below = [q for q in queries if "followup_report" in q and self.w.skola1.path in q]
        self.assertEqual(below, [])

    def test_a_unit_with_a_unit_under_it_shows_its_report(self):
        # Made directly, as data from before the rule that nothing lies under a unit.
        below = OrgUnitFactory(name="Ekbackens fritids", code="FRITIDS", parent=self.w.skola1)
        GoalFactory(
            level="enhet", parent=self.w.committee_goal, owner=below, mandate_period=self.w.period
        )
        self.rnd = open_round(self.w)
        response, _queries = self.open_report(self.w.skola1)
        self.assertContains(response, 'id="below-h"')
        self.assertContains(response, "Ekbackens fritids")
