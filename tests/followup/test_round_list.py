"""The follow-up round list: the person's own reports first, the reports waiting for their
approval (the oldest few, the rest one click away on the dashboard), each round's counts
per state linking to its dashboard — never every report of every round (issue 13 point 3,
issue 12 point 4)."""

import datetime
from unittest import mock

from django.test import TestCase
from django.urls import reverse

from followup.models import Report, ReportStatus
from followup.services import report_submit
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import GoalFactory, OrgUnitFactory, UserFactory, grant
from tests.followup.helpers import open_round

LIST = reverse("followup:round_list")


def _submit(report: Report, user) -> None:
    for a in report.assessments.all():
        a.chosen, a.analysis = a.proposed, "Analys"
        a.save()
    report_submit(report=report, user=user, expected_version=report.version)


def _section(response, heading_id: str) -> str:
    """The HTML of the page's section labelled by ``heading_id`` ('' when absent)."""
    html = response.content.decode()
    start = html.find(f'aria-labelledby="{heading_id}"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


class RoundListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        w = cls.w
        # A second school under the committee, with a goal, so it has a report too.
        GoalFactory(level="enhet", parent=w.committee_goal, owner=w.skola2, mandate_period=w.period)
        cls.rnd = open_round(w)
        cls.approver = UserFactory(username="bunchef", first_name="Bo", last_name="Chef")
        grant(cls.approver, w.bun, Role.APPROVER)
        cls.dashboard = reverse("followup:round_dashboard", args=[cls.rnd.pk])

    def report(self, unit) -> Report:
        return Report.objects.get(round=self.rnd, org_unit=unit)

    def test_editor_sees_own_report_first_with_its_state_and_nothing_of_other_units(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(LIST)
        mine = _section(response, "mine-h")
        self.assertIn(reverse("followup:report_detail", args=[self.report(self.w.skola1).pk]), mine)
        self.assertIn("Tertialrapport 2025 – Ekbackens skola", mine)
        self.assertIn("Ej påbörjad", mine)
        self.assertIn("Sen", mine)  # the deadline of 2025 is long past
        # Own reports come before the list of rounds.
        html = response.content.decode()
        self.assertLess(html.index('id="mine-h"'), html.index("<caption>Uppföljningar"))
        for other in ("Lindens skola", "Solgårdens", "Barn- och utbildningsnämnden"):
            self.assertNotContains(response, other)
        # The counts are of the reports the editor may read: their own only.
        self.assertContains(response, "Ej påbörjad: 1")

    def test_controller_gets_counts_linking_to_the_dashboard_not_a_list_of_reports(self):
        self.client.force_login(self.w.controller)
        response = self.client.get(LIST)
        self.assertNotContains(response, "Ekbackens skola")
        self.assertNotContains(response, "Lindens skola")
        total = Report.objects.filter(round=self.rnd).count()
        self.assertContains(response, f"Ej påbörjad: {total}")
        self.assertContains(response, f'href="{self.dashboard}"')
        # A report not on the list is one click away: the count's link lists it.
        link = f"{self.dashboard}?status=not_started"
        self.assertContains(response, f'href="{link}"')
        listed = self.client.get(link)
        self.assertContains(listed, "Ekbackens skola")
        self.assertContains(listed, "Lindens skola")
        self.assertEqual(len(listed.context["rows"]), total)

    def test_own_report_of_the_controller_is_the_councils(self):
        self.client.force_login(self.w.controller)
        mine = _section(self.client.get(LIST), "mine-h")
        self.assertIn("Kommunfullmäktige", mine)
        self.assertNotIn("Barn- och utbildningsnämnden", mine)

    def test_approver_sees_the_submitted_reports_waiting_for_them(self):
        _submit(self.report(self.w.skola1), self.w.editor)
        self.client.force_login(self.approver)
        response = self.client.get(LIST)
        waiting = _section(response, "waiting-h")
        self.assertIn("1 inlämnad rapport väntar på ditt godkännande.", waiting)
        url = reverse("followup:report_detail", args=[self.report(self.w.skola1).pk])
        self.assertIn(url, waiting)
        self.assertNotIn("Lindens skola", waiting)  # not submitted
        self.assertEqual(self.client.get(url).status_code, 200)
        # The approver of another committee has nothing to review here.
        von_approver = UserFactory(username="vonchef")
        grant(von_approver, self.w.von, Role.APPROVER)
        self.client.force_login(von_approver)
        response = self.client.get(LIST)
        self.assertEqual(_section(response, "waiting-h"), "")
        self.assertNotContains(response, "Ekbackens skola")

    def test_waiting_reports_beyond_those_shown_are_one_click_away(self):
        _submit(self.report(self.w.skola1), self.w.editor)
        lindens = UserFactory(username="lindens")
        grant(lindens, self.w.skola2, Role.EDITOR)
        _submit(self.report(self.w.skola2), lindens)
        self.client.force_login(self.approver)
        with mock.patch("followup.round_list.WAITING_SHOWN", 1):
            response = self.client.get(LIST)
        waiting = _section(response, "waiting-h")
        self.assertIn("2 inlämnade rapporter väntar på ditt godkännande.", waiting)
        self.assertIn("Den äldsta visas här.", waiting)
        self.assertIn("Ekbackens skola", waiting)  # submitted first
        self.assertNotIn("Lindens skola", waiting)
        link = f"{self.dashboard}?status=submitted"
        self.assertIn(f'href="{link}"', waiting)
        self.assertContains(self.client.get(link), "Lindens skola")

    def test_reader_and_editor_of_another_committee_see_no_report_they_may_not_read(self):
        _submit(self.report(self.w.skola1), self.w.editor)
        self.client.force_login(self.w.other_editor)
        response = self.client.get(LIST)
        for name in ("Ekbackens skola", "Lindens skola", "Barn- och utbildningsnämnden"):
            self.assertNotContains(response, name)
        self.assertNotContains(response, "Inlämnad: 1")
        self.assertEqual(_section(response, "waiting-h"), "")
        # A reader of the council reads every report's count but has none of their own.
        self.client.force_login(self.w.reader)
        response = self.client.get(LIST)
        self.assertEqual(_section(response, "mine-h"), "")
        self.assertContains(response, "Inlämnad: 1")
        self.assertNotContains(response, "Ekbackens skola")

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_closed_round_links_to_its_dashboard(self):
        from followup.services import round_close

        round_close(rnd=self.rnd, user=self.w.controller)
        self.client.force_login(self.w.controller)
        response = self.client.get(LIST)
        self.assertContains(response, f'<a href="{self.dashboard}">Se översikten</a>', html=True)
        self.assertEqual(_section(response, "mine-h"), "")  # nothing left to write

    def test_query_count_and_page_do_not_grow_with_the_number_of_reports(self):
        _submit(self.report(self.w.skola1), self.w.editor)
        personas = [self.w.controller, self.approver, self.w.editor, self.w.reader]
        # session, user, access, rounds, counts; + own reports (for those who write);
        # + the units with an approver and the waiting reports counted per round and
        # approver unit (the menu's count too: read once per request) for those who
        # approve, and the oldest waiting if any wait (none for the controller here).
        expected = [8, 8, 6, 5]

        def measure():
            sizes = []
            for user, n in zip(personas, expected, strict=True):
                self.client.force_login(user)
                self.client.get(LIST)
                with self.assertNumQueries(n):
                    response = self.client.get(LIST)
                sizes.append(len(response.content))
            return sizes

        few = measure()
        # Sixty more units below the committee, each with a submitted report.
        for n in range(60):
            unit = OrgUnitFactory(parent=self.w.buf, name=f"Förskola {n}")
            Report.objects.create(
                round=self.rnd,
                org_unit=unit,
                status=ReportStatus.SUBMITTED,
                submitted_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
            )
        many = measure()
        # The page of each persona stays the same size but for the digits of the counts
        # and the waiting list capped at its length.
        for user, a, b in zip(personas, few, many, strict=True):
            self.assertLess(abs(b - a), 2000, user)
        self.client.force_login(self.approver)
        waiting = _section(self.client.get(LIST), "waiting-h")
        self.assertIn("61 inlämnade rapporter väntar på ditt godkännande.", waiting)
        self.assertEqual(waiting.count("/uppfoljning/rapporter/"), 10)
