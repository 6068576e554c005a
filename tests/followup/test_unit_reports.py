"""*Min enhet* shows the unit's report in the open round first: its deadline, its state
(word and symbol), whether it is late, and a link to write it (issue 13 point 3)."""

import datetime

from django.test import TestCase
from django.urls import reverse

from followup.models import Report
from followup.services import report_return, report_submit, round_close
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round


def _section(response) -> str:
    html = response.content.decode()
    start = html.find('aria-labelledby="open-reports-h"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


class MyUnitReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.report = Report.objects.get(round=cls.rnd, org_unit=cls.w.skola1)
        cls.report_url = reverse("followup:report_detail", args=[cls.report.pk])

    def my_unit(self, user):
        self.client.force_login(user)
        return self.client.get(reverse("goals:my_unit"), follow=True)

    def test_the_open_report_comes_first_with_deadline_state_and_a_link_to_write_it(self):
        response = self.my_unit(self.w.editor)
        section = _section(response)
        self.assertIn("Tertialrapport 2025", section)
        self.assertIn('<span aria-hidden="true">○ </span>Ej påbörjad', section)
        self.assertIn("sista dag 14 maj 2025", section)
        self.assertIn("Sen</span>", section)  # the deadline of 2025 is long past
        self.assertIn(
            f'<a class="button" href="{self.report_url}">Skriv rapporten för Tertialrapport '
            "2025</a>",
            section,
        )
        html = response.content.decode()
        self.assertLess(html.index('id="open-reports-h"'), html.index('id="due-h"'))
        self.assertEqual(self.client.get(self.report_url).status_code, 200)

    def test_a_report_not_yet_due_says_the_days_left(self):
        rnd = self.rnd
        rnd.deadline = datetime.date.today() + datetime.timedelta(days=3)
        rnd.save()
        self.assertIn("(3 dagar kvar)", _section(self.my_unit(self.w.editor)))

    def test_a_submitted_report_is_read_not_written_and_a_returned_one_says_why(self):
        approver = UserFactory(username="bunchef")
        grant(approver, self.w.bun, Role.APPROVER)
        for a in self.report.assessments.all():
            a.chosen, a.analysis = a.proposed, "Analys"
            a.save()
        report = report_submit(report=self.report, user=self.w.editor, expected_version=1)
        section = _section(self.my_unit(self.w.editor))
        self.assertIn('<span aria-hidden="true">➜ </span>Inlämnad', section)
        self.assertIn(f'<a href="{self.report_url}">Läs rapporten för', section)
        self.assertNotIn("Sen</span>", section)
        report_return(
            report=report,
            user=approver,
            comment="Analysen av matematiken saknas.",
            expected_version=report.version,
        )
        section = _section(self.my_unit(self.w.editor))
        self.assertIn('<span aria-hidden="true">↩ </span>Återsänd', section)
        self.assertIn("Återsänd med kommentaren: Analysen av matematiken saknas.", section)
        self.assertIn("Skriv rapporten för", section)

    def test_nothing_when_no_round_is_open(self):
        round_close(rnd=self.rnd, user=self.w.controller)
        response = self.my_unit(self.w.editor)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(_section(response), "")

    def test_who_may_not_read_the_units_reports_sees_none_of_them(self):
        # The unit page is public within the municipality; its reports are not.
        self.client.force_login(self.w.other_editor)
        response = self.client.get(reverse("goals:unit_detail", args=[self.w.skola1.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(_section(response), "")
        self.assertNotContains(response, self.report_url)
        # A reader of the council reads it, but is not offered to write it.
        self.client.force_login(self.w.reader)
        response = self.client.get(reverse("goals:unit_detail", args=[self.w.skola1.pk]))
        self.assertIn(f'<a href="{self.report_url}">Läs rapporten för', _section(response))
