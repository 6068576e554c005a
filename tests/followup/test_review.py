"""*Att granska* (issue 13 point 3): the reports waiting for the person's approval, oldest
first, a page at a time, reachable from the main menu with their number. A unit's report
waits for the approver nearest above it; a controller of the council (who may approve
every report) has the committees' own reports waiting and those whose line has no
approver below the council."""

import contextlib
import datetime
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Report, ReportStatus
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import GoalFactory, OrgUnitFactory, UserFactory, grant
from tests.followup.helpers import open_round

REVIEW = reverse("followup:review")


def _submitted(report: Report, day: int) -> Report:
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = datetime.datetime(2025, 5, day, 9, tzinfo=datetime.UTC)
    report.save()
    return report


def _menu(response) -> str:
    html = response.content.decode()
    return html[html.index('aria-label="Huvudmeny"') : html.index("</nav>")]


class ReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        w = cls.w
        GoalFactory(level="enhet", parent=w.committee_goal, owner=w.skola2, mandate_period=w.period)
        GoalFactory(
            level="enhet", parent=w.committee_goal, owner=w.boende1, mandate_period=w.period
        )
        cls.rnd = open_round(w)
        cls.approver = UserFactory(username="bunchef", first_name="Bo", last_name="Chef")
        grant(cls.approver, w.bun, Role.APPROVER)
        report = Report.objects.filter(round=cls.rnd)
        # Lindens skola submitted before Ekbackens; the committee's own and the care home
        # (whose committee has no approver) too; nothing else.
        cls.lindens = _submitted(report.get(org_unit=w.skola2), 2)
        cls.ekbacken = _submitted(report.get(org_unit=w.skola1), 4)
        cls.bun_report = _submitted(report.get(org_unit=w.bun), 3)
        cls.boende = _submitted(report.get(org_unit=w.boende1), 5)

    def names_on_page(self, user) -> list[str]:
        self.client.force_login(user)
        response = self.client.get(REVIEW)
        self.assertEqual(response.status_code, 200)
        return [r.org_unit.name for r in response.context["page"].object_list]

    def test_approver_finds_the_reports_waiting_for_them_from_the_menu_oldest_first(self):
        self.client.force_login(self.approver)
        menu = _menu(self.client.get(reverse("goals:chain")))
        self.assertIn(
            f'<a href="{REVIEW}" aria-label="Att granska: 2 rapporter väntar på ditt '
            'godkännande">Att granska <span class="nav__count">(2)</span></a>',
            menu,
        )
        response = self.client.get(REVIEW)
        self.assertContains(response, "2 inlämnade rapporter väntar på ditt godkännande.")
        html = response.content.decode()
        lindens = reverse("followup:report_detail", args=[self.lindens.pk])
        ekbacken = reverse("followup:report_detail", args=[self.ekbacken.pk])
        self.assertLess(html.index(lindens), html.index(ekbacken))  # oldest first
        # The committee's own report is approved from above the committee, and the care
        # home is another committee's.
        self.assertNotContains(response, "Barn- och utbildningsnämnden</a>")
        self.assertNotContains(response, "Solgårdens")
        self.assertContains(response, 'aria-current="page">Att granska')
        self.assertNotContains(response, 'aria-current="page">Uppföljning')
        self.assertEqual(self.client.get(ekbacken).status_code, 200)

    def test_controller_has_what_no_nearer_approver_has(self):
        # The committee's own report, and the care home, whose line has no approver
        # below the council; not the schools, which wait for the committee's approver.
        self.assertEqual(
            self.names_on_page(self.w.controller),
            ["Barn- och utbildningsnämnden", "Solgårdens vård- och omsorgsboende"],
        )
        # The round list's section follows the same rule.
        response = self.client.get(reverse("followup:round_list"))
        self.assertContains(response, "2 inlämnade rapporter väntar på ditt godkännande.")
        self.assertIn('>Att granska <span class="nav__count">(2)</span>', _menu(response))
        # The committee's approver leaves: the schools wait for the controller too.
        self.approver.is_active = False
        self.approver.save()
        self.assertEqual(len(self.names_on_page(self.w.controller)), 4)

    def test_two_approvers_on_one_committee_both_have_its_reports_waiting(self):
        second = UserFactory(username="bunchef2")
        grant(second, self.w.bun, Role.APPROVER)
        self.assertEqual(self.names_on_page(second), ["Lindens skola", "Ekbackens skola"])
        self.assertEqual(self.names_on_page(self.approver), ["Lindens skola", "Ekbackens skola"])

    def test_approver_nearer_than_their_own_other_role_keeps_the_report(self):
        # A controller of the council who is also the committee's approver.
        grant(self.w.controller, self.w.bun, Role.APPROVER)
        self.assertEqual(len(self.names_on_page(self.w.controller)), 4)

    def test_a_closed_round_leaves_nothing_waiting(self):
        from followup.services import round_close

        round_close(rnd=self.rnd, user=self.w.controller)
        self.client.force_login(self.approver)
        response = self.client.get(REVIEW)
        self.assertContains(response, "Ingen inlämnad rapport väntar på ditt godkännande.")
        self.assertIn(
            'aria-label="Att granska: ingen rapport väntar på ditt godkännande">Att granska</a>',
            _menu(self.client.get(reverse("goals:chain"))),
        )

    def test_many_waiting_reports_come_a_page_at_a_time(self):
        self.client.force_login(self.approver)
        with mock.patch("followup.review.PER_PAGE", 1):
            first = self.client.get(REVIEW)
            second = self.client.get(REVIEW, {"sida": 2})
        self.assertContains(first, "Lindens skola")
        self.assertNotContains(first, "Ekbackens skola")
        self.assertContains(first, "Sida 1 av 2")
        self.assertContains(second, "Ekbackens skola")

    def test_who_approves_nothing_has_no_entry_and_is_refused_the_page(self):
        for user in (self.w.editor, self.w.reader):
            self.client.force_login(user)
            self.assertNotIn("Att granska", _menu(self.client.get(reverse("goals:chain"))))
            response = self.client.get(REVIEW)
            self.assertEqual(response.status_code, 403)
            self.assertContains(response, "kräver rollen godkännare", status_code=403)

    def test_the_menus_count_per_round_is_the_lists_rule(self):
        # The count applies followup.access.waiting_for's rule to rows per approver unit;
        # for every kind of approver it is the number the list shows, round by round.
        from django.db.models import Count

        from followup.access import waiting_counts, waiting_for

        second = UserFactory(username="bunchef2")
        grant(second, self.w.bun, Role.APPROVER)
        both = UserFactory(username="bada")
        grant(both, self.w.bun, Role.APPROVER)
        grant(both, self.w.kf, Role.CONTROLLER)
        admin = UserFactory(username="admin", is_superuser=True)
        users = [self.approver, self.w.controller, second, both, admin, self.w.editor]
        for user in users:
            with self.subTest(user=user.username):
                fresh = type(user).objects.get(pk=user.pk)  # nothing cached from before
                expected = dict(
                    waiting_for(fresh)
                    .order_by()
                    .values_list("round_id")
                    .annotate(n=Count("pk"))
                    .values_list("round_id", "n")
                )
                self.assertEqual(waiting_counts(fresh), expected)
        self.assertEqual(
            [sum(waiting_counts(type(u).objects.get(pk=u.pk)).values()) for u in users],
            [2, 2, 2, 4, 0, 0],  # the council's controller is nearer than a superuser
        )

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(REVIEW)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])


class ReviewCostTests(TestCase):
    """The menu's count is two small queries on every page (the units where someone
    approves, and the count), for approvers only, whatever the number of reports and
    roles; the page's cost does not grow with them either."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.approver = UserFactory(username="bunchef")
        grant(cls.approver, cls.w.bun, Role.APPROVER)

    def queries(self, user, url, *, menu=True) -> int:
        self.client.force_login(user)
        self.client.get(url)
        # Without the entries apps add to the menu: the page as it cost before.
        no_entries = mock.patch("ledmot.context_processors.MENU_ENTRIES", [])
        with (
            no_entries if not menu else contextlib.nullcontext(),
            CaptureQueriesContext(connection) as ctx,
        ):
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def add_submitted_reports(self, n: int) -> None:
        for i in range(n):
            unit = OrgUnitFactory(parent=self.w.buf, name=f"Förskola {i}")
            Report.objects.create(
                round=self.rnd,
                org_unit=unit,
                status=ReportStatus.SUBMITTED,
                submitted_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
            )

    def test_the_menu_count_is_two_queries_for_approvers_and_none_for_others(self):
        start = reverse("goals:chain")
        for user, cost in ((self.approver, 2), (self.w.controller, 2), (self.w.editor, 0)):
            with self.subTest(user=user.username):
                without = self.queries(user, start, menu=False)
                self.assertEqual(self.queries(user, start), without + cost)
                self.add_submitted_reports(3)
                grant(UserFactory(), self.w.buf, Role.APPROVER)  # one more line of approval
                self.assertEqual(self.queries(user, start), without + cost)

    def test_the_count_narrows_by_the_reports_unit_path_not_by_a_computed_one(self):
        # A LIKE on the approver path (parent's or own, an expression) has no planner
        # statistics: PostgreSQL took it for a few rows and read every unit's reports of
        # every round (33,000 buffers on every page at four times a large municipality).
        # The report's own unit path is an indexed column; the rule stays exact (the
        # committee's own report is not the committee approver's: test above).
        self.client.force_login(self.approver)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(reverse("goals:chain"))
        count = next(q["sql"] for q in ctx.captured_queries if '"approver"' in q["sql"])
        where = count[count.index(" WHERE ") :]
        self.assertIn(
            f'"ledmot_orgunit"."path"::text LIKE \'{self.w.bun.path}%\'',
            where.replace('"ledmot_orgunit"."path" LIKE', '"ledmot_orgunit"."path"::text LIKE'),
        )
        self.assertNotIn("COALESCE", where)

    def test_the_page_costs_the_same_for_few_and_many_reports(self):
        self.add_submitted_reports(1)
        self.client.force_login(self.approver)
        self.client.get(REVIEW)
        # session, user, roles; the units with an approver, the count per approver unit
        # (the menu's and the paginator's), the page of reports, the open rounds.
        with self.assertNumQueries(7):
            self.client.get(REVIEW)
        self.add_submitted_reports(60)
        with self.assertNumQueries(7):
            response = self.client.get(REVIEW)
        self.assertContains(response, "61 inlämnade rapporter väntar på ditt godkännande.")
        self.assertEqual(len(response.context["page"].object_list), 50)


class KeptWaitingCountTests(TransactionTestCase):
    """Outside a transaction (as in production) the menu's count of reports waiting for
    an approver is kept between requests: one query (the version of what it depends on)
    instead of reading every submitted report and every approver's role on every page.
    Whatever it depends on changes, the next page shows the new count at once."""

    serialized_rollback = True  # the perspectives and round kinds the migrations made

    def setUp(self):
        cache.clear()
        w = self.w = build_world()
        GoalFactory(level="enhet", parent=w.committee_goal, owner=w.skola2, mandate_period=w.period)
        self.rnd = open_round(w)
        self.approver = UserFactory(username="bunchef")
        grant(self.approver, w.bun, Role.APPROVER)
        self.reports = {r.org_unit_id: r for r in Report.objects.filter(round=self.rnd)}
        _submitted(self.reports[w.bun.pk], 3)  # waits for the council's controller
        _submitted(self.reports[w.skola1.pk], 4)  # waits for the committee's approver

    def count(self, user) -> str:
        self.client.force_login(user)
        menu = _menu(self.client.get(reverse("goals:chain")))
        if "ingen rapport väntar" in menu:
            return "0"
        return menu.split('<span class="nav__count">(')[1].split(")")[0]

    def menu_queries(self, user) -> int:
        self.client.force_login(user)
        self.client.get(reverse("goals:chain"))
        with CaptureQueriesContext(connection) as with_menu:
            self.client.get(reverse("goals:chain"))
        with (
            mock.patch("ledmot.context_processors.MENU_ENTRIES", []),
            CaptureQueriesContext(connection) as without,
        ):
            self.client.get(reverse("goals:chain"))
        return len(with_menu.captured_queries) - len(without.captured_queries)

    def test_kept_it_costs_one_query(self):
        self.assertEqual(self.count(self.w.controller), "1")
        self.assertEqual(self.menu_queries(self.w.controller), 1)
        self.assertEqual(self.menu_queries(self.approver), 1)

    def test_a_report_submitted_or_approved_shows_at_once(self):
        self.assertEqual(self.count(self.approver), "1")
        _submitted(self.reports[self.w.skola2.pk], 5)
        self.assertEqual(self.count(self.approver), "2")
        report = self.reports[self.w.skola1.pk]
        report.status = ReportStatus.APPROVED
        report.save()
        self.assertEqual(self.count(self.approver), "1")

    def test_an_approver_leaving_or_losing_the_role_moves_the_reports_up_at_once(self):
        from ledmot.models import RoleAssignment
        from ledmot.services import person_set_active, role_grant, role_revoke

        admin = UserFactory(username="admin", is_superuser=True)
        self.assertEqual(self.count(self.w.controller), "1")
        person_set_active(person=self.approver, active=False, user=admin)
        self.assertEqual(self.count(self.w.controller), "2")  # the school's too
        person_set_active(person=self.approver, active=True, user=admin)
        self.assertEqual(self.count(self.w.controller), "1")
        role_revoke(
            assignment=RoleAssignment.objects.get(user=self.approver, org_unit=self.w.bun),
            user=admin,
        )
        self.assertEqual(self.count(self.w.controller), "2")
        role_grant(person=self.approver, unit=self.w.bun, role=Role.APPROVER, user=admin)
        self.assertEqual(self.count(self.w.controller), "1")
        self.assertEqual(self.count(self.approver), "1")

    def test_a_closed_round_shows_at_once(self):
        from followup.services import round_close

        self.assertEqual(self.count(self.approver), "1")
        round_close(rnd=self.rnd, user=self.w.controller)
        self.assertEqual(self.count(self.approver), "0")
