"""The SQL forms of two rules give what the rules give: a report's state on the dashboard
(``followup.rules.report_state``) and the committee a unit is under
(``OrgUnit.committee_code``), for every report and unit, so that the counts per committee
and state equal the lists they link to."""

from django.test import TestCase

from followup.dashboard import state_counts
from followup.models import Report, ReportStatus
from followup.rules import report_state, report_state_expr
from ledmot.models import OrgKind, OrgUnit
from tests.conftest import build_world
from tests.factories import OrgUnitFactory
from tests.followup.helpers import open_round


class SqlFormOfTheRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        OrgUnitFactory(name="Hamnbolaget", code="HAMN", kind=OrgKind.COMPANY, parent=cls.w.kf)
        OrgUnitFactory(
            name="Bolag under nämnd", code="BUNAB", kind=OrgKind.COMPANY, parent=cls.w.bun
        )
        cls.rnd = open_round(cls.w)

    def test_committee_code_in_sql_is_the_property_for_every_unit(self):
        units = OrgUnit.objects.annotate(in_sql=OrgUnit.committee_code_expr())
        self.assertGreater(len(units), 8)
        for unit in units:
            self.assertEqual(unit.in_sql, unit.committee_code, unit.path)

    def test_report_state_in_sql_is_the_rule_in_every_status(self):
        reports = list(Report.objects.filter(round=self.rnd))
        combos = [(s, started) for s in ReportStatus.values for started in (False, True)]
        for (status, started), report in zip(combos, reports * len(combos), strict=False):
            report.status, report.started = status, started
            report.save()
            in_sql = Report.objects.annotate(s=report_state_expr()).get(pk=report.pk).s
            self.assertEqual(in_sql, report_state(report), (status, started))

    def test_counts_per_committee_are_the_rules_applied_to_each_report(self):
        expected: dict = {}
        for report in Report.objects.filter(round=self.rnd).select_related("org_unit"):
            code = report.org_unit.committee_code
            expected.setdefault(code, {}).setdefault(report_state(report), 0)
            expected[code][report_state(report)] += 1
        counts = state_counts(Report.objects.filter(round=self.rnd))
        self.assertEqual({c: dict(n) for c, n in counts.items()}, expected)
