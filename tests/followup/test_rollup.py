"""One rule for the roll-up of unit assessments (followup.rules.counts): only
assessments of submitted or approved reports count, drafts never — on the
committee's report page, in Röda tråden and in the report PDF alike."""

import re
from collections import Counter

from django.test import TestCase
from django.urls import reverse

from followup.models import GoalAssessment, Report, ReportStatus
from followup.report_document import report_document
from goals.models import GoalLevel
from tests.conftest import build_world
from tests.factories import GoalFactory, OrgUnitFactory
from tests.followup.helpers import open_round

# The unit assessments a politician must see: the draft's "not_met" is the unit's
# work in progress and is not shown as its assessment anywhere.
EXPECTED = Counter({"met": 1, "partly": 1})


class RollUpRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = w = build_world()
        forskola = OrgUnitFactory(parent=w.buf, name="Förskolan Eken", code="EKEN")
        for unit, title in ((w.skola2, "Lindens mål"), (forskola, "Ekens mål")):
            GoalFactory(
                level=GoalLevel.UNIT,
                parent=w.committee_goal,
                owner=unit,
                mandate_period=w.period,
                title=title,
            )
        cls.rnd = open_round(w)
        for unit, chosen, status in (
            (w.skola1, "met", ReportStatus.SUBMITTED),
            (w.skola2, "partly", ReportStatus.APPROVED),
            (forskola, "not_met", ReportStatus.DRAFT),
        ):
            report = Report.objects.get(round=cls.rnd, org_unit=unit)
            a = report.assessments.get(goal__level=GoalLevel.UNIT, goal__status="adopted")
            a.chosen, a.analysis, a.justification = chosen, f"Analys {chosen}", "Motivering"
            a.save()
            report.status, report.started = status, True
            report.save()
        cls.committee_report = Report.objects.get(round=cls.rnd, org_unit=w.bun)

    def page_counts(self) -> Counter:
        """The committee report page's "Underliggande bedömningar" of its goal."""
        self.client.force_login(self.w.reader)
        html = self.client.get(
            reverse("followup:report_detail", args=[self.committee_report.pk])
        ).content.decode()
        line = re.search(r"Underliggande bedömningar: (.*?)</p>", html).group(1)
        labels = {"Uppfyllt": "met", "Delvis uppfyllt": "partly", "Ej uppfyllt": "not_met"}
        counts = Counter()
        for label, n in re.findall(r"([A-ZÅÄÖ][a-zåäö ]+?) (\d+)", line):
            if label in labels:
                counts[labels[label]] += int(n)
        return counts

    def chain_counts(self) -> Counter:
        """The unit goals' assessments shown in Röda tråden."""
        self.client.force_login(self.w.reader)
        html = self.client.get(
            reverse("goals:chain"), {"oppna": [self.w.council_goal.pk, self.w.committee_goal.pk]}
        ).content.decode()
        return Counter(re.findall(r"assessment--(\w+) assessment--decided", html))

    def pdf_counts(self) -> Counter:
        """The committee's report PDF: the unit goals' distribution under the committee goal."""
        doc = report_document(self.rnd, self.w.bun)
        (section,) = [c for s in doc.sections for c in s.children]
        return Counter({k: n for k, n in section.unit_counts.items() if k != "not_assessed"})

    def test_page_roda_traden_and_pdf_show_the_same_numbers(self):
        self.assertEqual(self.page_counts(), EXPECTED)
        self.assertEqual(self.chain_counts(), EXPECTED)
        self.assertEqual(self.pdf_counts(), EXPECTED)

    def test_the_page_lists_the_counts_without_a_trailing_comma(self):
        """Issue 13 point 9: "Delvis uppfyllt 4," — a comma after the last count."""
        draft = Report.objects.get(round=self.rnd, org_unit__code="EKEN")
        draft.status = ReportStatus.SUBMITTED
        draft.save()
        self.client.force_login(self.w.reader)
        html = self.client.get(
            reverse("followup:report_detail", args=[self.committee_report.pk])
        ).content.decode()
        line = re.search(r"Underliggande bedömningar: (.*?)</p>", html).group(1)
        self.assertEqual(line, "Uppfyllt 1, Delvis uppfyllt 1, Ej uppfyllt 1")

    def test_the_draft_is_not_assessed_in_the_pdf_summary(self):
        doc = report_document(self.rnd, self.w.bun)
        labels = [value for value, _label in doc.assessment_labels]
        total = dict(zip(labels, doc.summary_total.counts, strict=True))
        self.assertEqual(total["not_met"], 0)
        self.assertEqual((total["met"], total["partly"]), (1, 1))
        # …although the draft has one in the database.
        self.assertTrue(GoalAssessment.objects.filter(chosen="not_met").exists())


class RollUpLineTests(TestCase):
    def test_the_roll_up_line_ends_with_its_last_count(self):
        """With every report below counted, the roll-up line of a committee's goal lists
        its counts without a dangling comma (it ended "Uppfyllt 1, ")."""
        w = build_world()
        rnd = open_round(w)
        report = Report.objects.get(round=rnd, org_unit=w.skola1)
        a = report.assessments.get(goal=w.unit_goal)
        a.chosen, a.analysis = "met", "Analys"
        a.save()
        report.status, report.started = ReportStatus.SUBMITTED, True
        report.save()
        self.client.force_login(w.reader)
        committee = Report.objects.get(round=rnd, org_unit=w.bun)
        html = self.client.get(
            reverse("followup:report_detail", args=[committee.pk])
        ).content.decode()
        self.assertIn("Underliggande bedömningar: Uppfyllt 1</p>", html)
