"""Opening rounds, the law check for delårsrapport, the controller's dashboard."""

import datetime
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from followup.models import FollowUpRound, GoalAssessment, Report, ReportStatus
from followup.services import report_submit
from tests.conftest import build_world
from tests.followup.helpers import open_round

NEW = reverse("followup:round_create")


class RoundOpenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def form(self, **overrides):
        from followup.models import RoundKind

        data = {
            "kind": RoundKind.objects.get(name="Tertialrapport").pk,
            "period_end": "2025-04-30",
            "deadline": "",
            "council_date": "",
        }
        data.update(overrides)
        return data

    def test_controller_opens_a_round_with_a_report_per_unit_with_goals(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(NEW, self.form())
        rnd = FollowUpRound.objects.get()
        self.assertRedirects(response, reverse("followup:round_dashboard", args=[rnd.pk]))
        self.assertEqual(rnd.deadline, datetime.date(2025, 5, 14))  # default: + 14 days
        units = set(rnd.reports.values_list("org_unit__code", flat=True))
        self.assertEqual(units, {"KF", "BUN", "SKOLA1"})
        # The proposal goes in; the proposed (not adopted) goal does not.
        goals = set(GoalAssessment.objects.values_list("goal__title", flat=True))
        self.assertIn(self.w.unit_goal.title, goals)
        self.assertNotIn(self.w.proposed_goal.title, goals)
        self.assertEqual(Report.objects.get(org_unit=self.w.skola1).activity_updates.count(), 1)

    def test_scope_limits_the_committees(self):
        from ledmot.models import OrgUnit

        rnd = open_round(self.w, scope=[OrgUnit.objects.get(code="VON")])
        self.assertEqual(set(rnd.reports.values_list("org_unit__code", flat=True)), {"KF"})

    def test_the_same_round_is_not_opened_twice_for_the_same_committees(self):
        from ledmot.models import OrgUnit

        self.client.force_login(self.w.controller)
        self.assertEqual(self.client.post(NEW, self.form()).status_code, 302)
        reports = Report.objects.count()

        response = self.client.post(NEW, self.form())  # a double click, or a colleague

        self.assertContains(response, 'id="id_period_end_error"')
        self.assertContains(response, "är redan öppnad för samma nämnder.")
        self.assertEqual(FollowUpRound.objects.count(), 1)
        self.assertEqual(Report.objects.count(), reports)
        # Another committee's round of the same kind and period is its own round.
        von = OrgUnit.objects.get(code="VON")
        FollowUpRound.objects.get().scope.set([OrgUnit.objects.get(code="BUN")])
        self.assertEqual(self.client.post(NEW, self.form(scope=[von.pk])).status_code, 302)
        self.assertEqual(FollowUpRound.objects.count(), 2)

    def test_delarsrapport_outside_the_law_is_warned_and_needs_confirmation(self):
        from followup.models import RoundKind

        self.client.force_login(self.w.controller)
        data = self.form(
            kind=RoundKind.objects.get(name="Delårsrapport").pk,
            period_end="2025-04-30",
            council_date="2025-09-30",
        )
        response = self.client.post(NEW, data)
        self.assertContains(response, "täcker mindre än halva året")
        self.assertContains(response, "senare än två månader")
        self.assertFalse(FollowUpRound.objects.exists())
        self.client.post(NEW, {**data, "confirm": "1"})
        self.assertTrue(FollowUpRound.objects.exists())

    def test_delarsrapport_per_august_is_accepted_without_warning(self):
        from followup.models import RoundKind

        self.client.force_login(self.w.controller)
        self.client.post(
            NEW,
            self.form(
                kind=RoundKind.objects.get(name="Delårsrapport").pk,
                period_end="2025-08-31",
                council_date="2025-10-20",
            ),
        )
        self.assertTrue(FollowUpRound.objects.exists())

    def test_deadline_before_period_end_is_refused_beside_the_field(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(NEW, self.form(deadline="2025-04-01"))
        self.assertContains(response, 'id="id_deadline_error"')
        self.assertFalse(FollowUpRound.objects.exists())

    def test_editor_reader_other_editor_and_anonymous_cannot_open_rounds(self):
        for user in (self.w.editor, self.w.reader, self.w.other_editor):
            self.client.force_login(user)
            self.assertEqual(self.client.post(NEW, self.form()).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(NEW, self.form()).status_code, 302)
        self.assertFalse(FollowUpRound.objects.exists())


class DashboardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)  # deadline 2025-05-14: long past, so drafts are late

    def url(self, **params):
        from django.utils.http import urlencode

        base = reverse("followup:round_dashboard", args=[self.rnd.pk])
        return f"{base}?{urlencode(params)}" if params else base

    def test_landing_counts_per_committee_with_the_list_one_click_away(self):
        self.client.force_login(self.w.controller)
        response = self.client.get(self.url())
        # The landing view counts; it lists no unit's report (it would grow with the
        # organisation).
        self.assertNotContains(response, "Ekbackens skola")
        self.assertContains(response, "<caption>Rapporter per nämnd</caption>", html=True)
        bun = next(r for r in response.context["per_committee"] if r["committee"] == self.w.bun)
        self.assertEqual(bun["total"], 2)
        self.assertEqual(bun["late"], 2)
        self.assertEqual(response.context["late_count"], 3)
        self.assertContains(response, 'href="?namnd=BUN&amp;status=not_started"')
        # One click: the committee's reports, each with its state as text.
        drilled = self.client.get(self.url(namnd="BUN", status="not_started"))
        self.assertContains(drilled, "Ekbackens skola")
        self.assertContains(drilled, "Ej påbörjad")
        self.assertContains(drilled, "row-late")
        self.assertEqual(len(drilled.context["rows"]), bun["total"])

    def test_counts_equal_the_lists_they_link_to(self):
        report = Report.objects.get(org_unit=self.w.skola1)
        report.started = True
        report.save()
        self.client.force_login(self.w.controller)
        landing = self.client.get(self.url()).context
        for row in landing["per_committee"]:
            if row["committee"] is None:
                continue
            code = row["committee"].code
            for _label, _symbol, state, n in row["states"]:
                listed = self.client.get(self.url(namnd=code, status=state)).context
                self.assertEqual(len(listed["rows"]), n, (code, state))
                self.assertTrue(all(r["state"] == state for r in listed["rows"]))
            late = self.client.get(self.url(namnd=code, sena=1)).context["rows"]
            self.assertEqual(len(late), row["late"])
            self.assertEqual(
                len(self.client.get(self.url(namnd=code)).context["rows"]), row["total"]
            )
        self.assertEqual(
            sum(r["total"] for r in landing["per_committee"]),
            Report.objects.filter(round=self.rnd).count(),
        )

    def test_the_list_says_how_many_it_holds_and_the_reminder_counts_the_round(self):
        """The list's length comes from the counts per state (not a second count): for
        every combination of committee, state and lateness it is the reports listed; a
        committee's list still says how many reports of the whole round a reminder
        would go to."""
        report = Report.objects.get(round=self.rnd, org_unit=self.w.skola1)
        report.started = True
        report.save()
        self.client.force_login(self.w.controller)
        not_submitted = Report.objects.filter(
            round=self.rnd, status__in=["draft", "returned"]
        ).count()
        for params in (
            {"namnd": "BUN"},
            {"namnd": "BUN", "status": "draft"},
            {"namnd": "BUN", "status": "not_started", "sena": 1},
            {"namnd": "BUN", "status": "submitted", "sena": 1},
            {"namnd": "BUN", "sena": 1},
            {"status": "draft"},
            {"sena": 1},
        ):
            response = self.client.get(self.url(**params))
            n = len(response.context["rows"])
            self.assertEqual(response.context["page"].paginator.count, n, params)
            self.assertContains(response, f"<caption>{n} rapport", msg_prefix=str(params))
            self.assertContains(response, f"{not_submitted} rapporter är inte inlämnade.")

    def test_filters_by_committee_and_status(self):
        self.client.force_login(self.w.controller)
        response = self.client.get(self.url(namnd="BUN"))
        self.assertEqual(
            {r["report"].org_unit.code for r in response.context["rows"]}, {"BUN", "SKOLA1"}
        )
        response = self.client.get(self.url(status="submitted"))
        self.assertEqual(response.context["rows"], [])

    def test_excel_export_is_exactly_what_is_shown_with_text_never_a_formula(self):
        skola = self.w.skola1
        skola.name = '=HYPERLINK("http://x")'
        skola.save()
        self.client.force_login(self.w.controller)
        response = self.client.get(self.url(namnd="BUN", export="xlsx"))
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), 2)
        cell = ws["A3"] if ws["A3"].value.startswith("=") else ws["A2"]
        self.assertEqual(cell.data_type, "s")
        self.assertTrue(any(r[0] == '=HYPERLINK("http://x")' for r in rows))

    def test_editor_sees_only_reports_in_scope(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(self.url(namnd="BUN"))
        self.assertEqual({r["report"].org_unit.code for r in response.context["rows"]}, {"SKOLA1"})
        landing = self.client.get(self.url()).context["per_committee"]
        self.assertEqual([(r["committee"], r["total"]) for r in landing], [(self.w.bun, 1)])

    def test_unit_editor_of_another_committee_drilling_down_sees_none_of_its_reports(self):
        self.client.force_login(self.w.other_editor)
        for params in (
            {},
            {"namnd": "BUN"},
            {"namnd": "BUN", "status": "not_started"},
            {"sena": 1},
        ):
            response = self.client.get(self.url(**params))
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "Ekbackens skola")
            self.assertEqual(response.context["rows"], [])
            self.assertFalse(
                any(r["committee"] == self.w.bun for r in response.context["per_committee"])
            )
        self.assertNotIn(
            b"Ekbackens", self.client.get(self.url(namnd="BUN", export="xlsx")).content
        )

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(self.url()).status_code, 302)
        self.assertEqual(self.client.get(self.url(namnd="BUN")).status_code, 302)

    def round_with_preschools(self, n: int):
        """An open round over ``n`` more preschools under BUF, each with a unit goal."""
        from tests.factories import GoalFactory, OrgUnitFactory

        for i in range(n):
            unit = OrgUnitFactory(parent=self.w.buf, name=f"Förskola {i:02}")
            GoalFactory(
                level="enhet",
                parent=self.w.committee_goal,
                owner=unit,
                mandate_period=self.w.period,
            )
        return open_round(self.w, period_end=datetime.date(2025, 8, 31))

    def test_drill_down_paginates_fifty_a_page_and_keeps_the_filters(self):
        rnd = self.round_with_preschools(55)
        base = reverse("followup:round_dashboard", args=[rnd.pk])
        self.client.force_login(self.w.controller)
        first = self.client.get(base + "?namnd=BUN&status=not_started")
        self.assertEqual(len(first.context["rows"]), 50)
        self.assertContains(first, "Sida 1 av 2")
        self.assertContains(first, 'href="?namnd=BUN&amp;status=not_started&amp;sida=2"')
        second = self.client.get(base + "?namnd=BUN&status=not_started&sida=2")
        self.assertEqual(len(second.context["rows"]), 57 - 50)
        shown = {r["report"].pk for r in first.context["rows"] + second.context["rows"]}
        self.assertEqual(len(shown), 57)
        # A page number out of range (a stale link) shows the last page, not an error.
        self.assertEqual(self.client.get(base + "?namnd=BUN&sida=99").context["page"].number, 2)

    def test_query_count_is_the_same_for_more_units(self):
        self.client.force_login(self.w.controller)
        urls = [
            self.url(),
            self.url(namnd="BUN"),
            self.url(namnd="BUN", status="not_started", sena=1),
        ]
        for url in urls:
            self.client.get(url)
        # Landing: session, user, access, round, committees, counts, report PDFs, and the
        # menu's count of the reports waiting for approval (two), the overdue assignments
        # (issue 15), the internal controls not reported (issue 17), and the glossary's
        # terms for the report form's help texts (one a request, issue 17): 12.
        # Drill-down: the committee's counts per state instead of every committee's (the
        # list's length is read from them), the page, and the round's reports not
        # submitted for the reminder (14).
        expected = [12, 14, 14]
        for url, n in zip(urls, expected, strict=True):
            with self.assertNumQueries(n):
                self.client.get(url)
        rnd = self.round_with_preschools(60)
        base = reverse("followup:round_dashboard", args=[rnd.pk])
        for query, n in zip(
            ["", "?namnd=BUN", "?namnd=BUN&status=not_started&sena=1"], expected, strict=True
        ):
            with self.assertNumQueries(n):
                response = self.client.get(base + query)
        self.assertEqual(response.context["page"].paginator.count, 62)
        self.assertEqual(len(response.context["rows"]), 50)

    def test_submitted_report_is_not_late(self):
        report = Report.objects.get(org_unit=self.w.skola1)
        for a in report.assessments.all():
            a.chosen, a.analysis = a.proposed, "Analys"
            a.save()
        report_submit(report=report, user=self.w.editor, expected_version=report.version)
        self.assertEqual(Report.objects.get(pk=report.pk).status, ReportStatus.SUBMITTED)
        self.client.force_login(self.w.controller)
        response = self.client.get(self.url(sena="1"))
        self.assertNotIn("SKOLA1", {r["report"].org_unit.code for r in response.context["rows"]})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_controllers_opening_the_same_round_at_once_open_it_once():
    from followup.models import RoundKind
    from ledmot.models import Role
    from tests.concurrency import signed_in_clients, together
    from tests.factories import UserFactory, grant

    w = build_world()
    other = UserFactory(username="controller2")
    grant(other, w.kf, Role.CONTROLLER)
    clients = signed_in_clients([w.controller, other])
    data = {
        "kind": RoundKind.objects.get(name="Tertialrapport").pk,
        "period_end": "2025-04-30",
        "deadline": "",
        "council_date": "",
    }

    responses = together(2, lambda i: clients[i].post(NEW, data))

    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = responses[0] if responses[0].status_code == 200 else responses[1]
    assert "är redan öppnad för samma nämnder." in loser.content.decode()
    rnd = FollowUpRound.objects.get()
    assert Report.objects.filter(round=rnd).count() == Report.objects.count()


class RoundCloseStepTests(TestCase):
    """Walking the demo: "Stäng uppföljningen och lås rapporterna" sat bare at the foot
    of the dashboard, one click from locking 23 unsubmitted reports for good, with no
    word on what it does, while approving one report is a step that explains itself."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.url = reverse("followup:round_dashboard", args=[cls.rnd.pk])

    def test_closing_is_a_step_that_says_what_it_locks_and_that_it_cannot_be_undone(self):
        self.client.force_login(self.w.controller)
        response = self.client.get(self.url)
        unsubmitted = self.rnd.reports.count()
        self.assertContains(
            response,
            '<summary class="button button--secondary">Stäng uppföljningen …</summary>',
            html=True,
        )
        self.assertContains(response, "låses alla rapporter som de är")
        self.assertContains(response, f"{unsubmitted} rapporter är inte inlämnade.", count=2)
        self.assertContains(response, "Det går inte att ångra.")
        self.assertContains(response, 'aria-describedby="close-what"')

    def test_the_close_step_is_not_offered_to_a_reader_nor_on_a_closed_round(self):
        from followup.services import round_close

        self.client.force_login(self.w.reader)
        self.assertNotContains(self.client.get(self.url), "Stäng uppföljningen")
        round_close(rnd=self.rnd, user=self.w.controller)
        self.client.force_login(self.w.controller)
        self.assertNotContains(self.client.get(self.url), "Stäng uppföljningen …")
