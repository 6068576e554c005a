"""An assignment's (uppdrag's) status in its owner's follow-up report (issue 15 point 3):
saved as you type with the version check, like an activity's; refused once the report
is submitted or the round closed; an assignment given while the round is open is asked
about too."""

import datetime
import re

from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse

from followup.models import AssignmentUpdate, FollowUpRound, Report, RoundStatus
from followup.report_document import report_document
from followup.services import LockedError, assignment_update_save, report_submit
from goals.assignments import assignments_for
from goals.models import Assignment
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round
from tests.goals.test_assignments import make_assignment


class AssignmentUpdateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.assignment = make_assignment(
            w, giver=w.bun, owner=w.skola1, goal=w.committee_goal, title="Starta läsecirklar"
        )
        cls.rnd = open_round(w)
        cls.report = Report.objects.get(round=cls.rnd, org_unit=w.skola1)
        cls.url = reverse(
            "followup:assignment_update_edit", args=[cls.report.pk, cls.assignment.pk]
        )
        cls.colleague = UserFactory(username="kollega", first_name="Kim", last_name="Kollega")
        grant(cls.colleague, w.skola1, Role.EDITOR)

    def setUp(self):
        self.client.force_login(self.w.editor)

    def post(self, htmx=True, **fields):
        u = AssignmentUpdate.objects.filter(report=self.report).first()
        data = {"status": "ongoing", "comment": "Två cirklar i gång", **fields}
        if u is not None and "version" not in fields:
            data["version"] = u.version
        return self.client.post(self.url, data, headers={"HX-Request": "true"} if htmx else {})

    def test_the_round_asks_the_owner_and_the_page_shows_the_form(self):
        u = AssignmentUpdate.objects.get(report=self.report)
        self.assertEqual((u.assignment, u.status), (self.assignment, "not_started"))
        page = self.client.get(reverse("followup:report_detail", args=[self.report.pk]))
        self.assertContains(page, "Starta läsecirklar")
        self.assertContains(page, f'id="id_g{self.assignment.pk}_status"')
        self.assertContains(page, "Kommer inte att genomföras")

    def test_a_save_as_you_type_updates_the_report_but_not_yet_the_assignment(self):
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Sparat")
        u = AssignmentUpdate.objects.get(report=self.report)
        self.assertEqual((u.status, u.comment, u.version), ("ongoing", "Två cirklar i gång", 2))
        self.assertContains(response, 'value="2"')
        self.assertEqual(u.history.first().history_user, self.w.editor)
        self.assertTrue(Report.objects.get(pk=self.report.pk).started)
        # A draft is the owner's work in progress: the assignment's status is unchanged
        # on its page and in the list until the report counts.
        a = Assignment.objects.get()
        self.assertEqual((a.status, a.history.count()), ("not_started", 1))
        self.client.force_login(self.w.reader)
        page = self.client.get(reverse("goals:assignment_detail", args=[a.pk]))
        self.assertContains(page, "Ej påbörjat")
        self.assertNotContains(page, "Pågår")

    def test_the_status_becomes_the_assignments_when_the_report_is_submitted(self):
        self.post()
        report = Report.objects.get(pk=self.report.pk)
        a = report.assessments.get()
        a.chosen, a.analysis = a.proposed, "Analys"
        a.save()
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("followup:report_submit", args=[report.pk]), {"version": report.version}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get(pk=report.pk).status, "submitted")
        assignment = Assignment.objects.get()
        self.assertEqual(assignment.status, "ongoing")
        self.assertEqual(assignment.history.first().history_user, self.w.editor)
        self.client.force_login(self.w.reader)
        page = self.client.get(reverse("goals:assignment_detail", args=[assignment.pk]))
        self.assertContains(page, "Pågår")

    def test_a_stale_save_is_a_conflict_and_saves_nothing(self):
        u = AssignmentUpdate.objects.get(report=self.report)
        u.comment = "Kims text"
        assignment_update_save(update=u, user=self.colleague, expected_version=u.version)
        response = self.post(version=1, comment="Annas text")
        self.assertContains(response, "Någon annan har sparat en ny version medan du skrev.")
        self.assertEqual(AssignmentUpdate.objects.get(report=self.report).comment, "Kims text")

    def test_without_javascript_a_save_goes_back_to_the_assignment(self):
        response = self.post(htmx=False)
        self.assertRedirects(
            response,
            reverse("followup:report_detail", args=[self.report.pk])
            + f"#uppdrag-{self.assignment.pk}",
            fetch_redirect_response=False,
        )

    def test_an_assignment_given_while_the_round_is_open_is_created_by_its_first_save(self):
        late = make_assignment(
            self.w, giver=self.w.bun, owner=self.w.skola1, goal=None, title="Sen uppdrag"
        )
        page = self.client.get(reverse("followup:report_detail", args=[self.report.pk]))
        self.assertContains(page, "Sen uppdrag")
        url = reverse("followup:assignment_update_edit", args=[self.report.pk, late.pk])
        response = self.client.post(
            url, {"status": "done", "comment": "Klart"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, "Sparat")
        u = AssignmentUpdate.objects.get(report=self.report, assignment=late)
        self.assertEqual((u.status, u.version), ("done", 1))
        self.assertEqual(Assignment.objects.get(pk=late.pk).status, "not_started")  # a draft

    def test_an_assignment_reported_in_an_earlier_round_is_saved_in_the_next(self):
        """An assignment running over several rounds has an update in each round's
        report: the save in the next round finds it once (it was a 500: the earlier
        reports' updates made the assignment match several times)."""
        self.post()
        FollowUpRound.objects.filter(pk=self.rnd.pk).update(status=RoundStatus.CLOSED)
        later = open_round(self.w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
        report = Report.objects.get(round=later, org_unit=self.w.skola1)
        update = AssignmentUpdate.objects.get(report=report)
        url = reverse("followup:assignment_update_edit", args=[report.pk, self.assignment.pk])
        response = self.client.post(
            url,
            {"status": "done", "comment": "Klart i juni", "version": update.version},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "Sparat")
        update.refresh_from_db()
        self.assertEqual((update.status, update.comment), ("done", "Klart i juni"))
        # The earlier round's report keeps what it said.
        earlier = AssignmentUpdate.objects.get(report=self.report)
        self.assertEqual((earlier.status, earlier.comment), ("ongoing", "Två cirklar i gång"))
        page = self.client.get(reverse("followup:report_detail", args=[report.pk]))
        self.assertContains(page, 'id="uppdrag-form-', count=1)

    def test_the_kept_shapes_carry_this_pages_report_token_and_texts(self):
        """The blocks are drawn once per shape and kept between requests (Stamp keep):
        another report seen by another person gets its own report in the form's address,
        its own CSRF token and its own texts; a reader gets no form."""
        from django.middleware.csrf import CSRF_TOKEN_LENGTH

        w = self.w
        self.post(comment="Två <b>cirklar</b>")
        given = make_assignment(w, owner=w.bun, title="Se över <taxorna>", goal=None)
        bun = Report.objects.get(round=self.rnd, org_unit=w.bun)
        tokens = set()
        for user, report, a in (
            (w.editor, self.report, self.assignment),
            (w.controller, bun, given),
        ):
            self.client.force_login(user)
            html = self.client.get(reverse("followup:report_detail", args=[report.pk]))
            html = html.content.decode()
            url = reverse("followup:assignment_update_edit", args=[report.pk, a.pk])
            self.assertIn(f'action="{url}"', html)
            self.assertEqual(html.count('id="uppdrag-form-'), 1)
            section = html[html.index('id="uppdrag"') :]
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', section).group(1)
            self.assertEqual(len(token), CSRF_TOKEN_LENGTH)
            tokens.add(token)
        self.assertEqual(len(tokens), 2)
        self.assertIn("Se över &lt;taxorna&gt;</a>", html)
        self.assertIn(
            "Från Kommunfullmäktige · KF 2025/87 § 41 · Ska vara klart 31 december 2025<", html
        )
        self.client.force_login(w.reader)
        page = self.client.get(reverse("followup:report_detail", args=[self.report.pk]))
        page = page.content.decode()
        self.assertIn("Starta läsecirklar", page)
        self.assertNotIn('id="uppdrag-form-', page)
        self.assertIn("<p>Pågår – Två &lt;b&gt;cirklar&lt;/b&gt;</p>", page)

    def test_another_units_assignment_is_404(self):
        other = make_assignment(self.w, giver=self.w.von, owner=self.w.boende1, goal=None)
        url = reverse("followup:assignment_update_edit", args=[self.report.pk, other.pk])
        response = self.client.post(url, {"status": "done"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(AssignmentUpdate.objects.filter(assignment=other).exists())

    def test_another_units_editor_is_refused(self):
        self.client.force_login(self.w.other_editor)
        response = self.post()
        self.assertIn(response.status_code, (403, 404))
        self.assertEqual(AssignmentUpdate.objects.get(report=self.report).status, "not_started")

    def test_a_submitted_report_is_locked(self):
        report = Report.objects.get(pk=self.report.pk)
        a = report.assessments.get()
        a.chosen, a.analysis = a.proposed, "Analys"
        a.save()
        report_submit(report=report, user=self.w.editor, expected_version=report.version)
        response = self.post()
        self.assertEqual(response.status_code, 403)
        self.assertEqual(AssignmentUpdate.objects.get(report=self.report).status, "not_started")
        self.assertEqual(Assignment.objects.get().status, "not_started")

    def test_a_closed_round_is_locked_on_every_path(self):
        FollowUpRound.objects.filter(pk=self.rnd.pk).update(status=RoundStatus.CLOSED)
        response = self.post()
        self.assertEqual(response.status_code, 403)
        u = AssignmentUpdate.objects.get(report=self.report)
        u.status = "done"
        with self.assertRaises(LockedError):
            assignment_update_save(update=u, user=self.w.editor, expected_version=u.version)
        self.assertEqual(AssignmentUpdate.objects.get(report=self.report).status, "not_started")


class AssignmentsInFollowUpTests(TestCase):
    """Where the assignments' status is read: the round dashboard (overdue ones), the
    report PDF's data, Röda tråden, and ``assignments_for`` (the verksamhetsplan)."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.late = make_assignment(
            w, title="Utred skolskjutsarna", due=datetime.date(2025, 3, 31), goal=None
        )
        cls.later = make_assignment(w, title="Ny lokalplan", due=datetime.date(2099, 3, 31))
        cls.rnd = open_round(w)

    def test_the_dashboard_lists_the_overdue_ones(self):
        self.client.force_login(self.w.controller)
        page = self.client.get(reverse("followup:round_dashboard", args=[self.rnd.pk]))
        self.assertContains(page, "Försenade uppdrag (1)")
        self.assertContains(page, "Utred skolskjutsarna")
        self.assertNotContains(page, "Ny lokalplan")

    def test_the_report_document_shows_the_status_once_the_report_counts(self):
        report = Report.objects.get(round=self.rnd, org_unit=self.w.bun)
        u = report.assignment_updates.get(assignment=self.late)
        u.status, u.comment = "done", "Redovisat i KS"
        assignment_update_save(update=u, user=self.w.controller, expected_version=u.version)
        doc = report_document(self.rnd, self.w.bun)
        shown = {x.assignment.title: x for x in doc.assignments}
        self.assertEqual(set(shown), {"Utred skolskjutsarna", "Ny lokalplan"})
        self.assertFalse(shown["Utred skolskjutsarna"].counted)  # a draft does not count
        Report.objects.filter(pk=report.pk).update(status="submitted")
        doc = report_document(self.rnd, None)  # the council's: the council's assignments
        shown = {x.assignment.title: x for x in doc.assignments}
        self.assertTrue(shown["Utred skolskjutsarna"].counted)
        html = render_to_string("followup/report_pdf.html", {"doc": doc})
        self.assertIn("Utred skolskjutsarna", html)
        self.assertIn("Genomfört", html)
        self.assertIn("Redovisat i KS", html)

    def test_the_chain_shows_the_councils_open_assignments(self):
        self.client.force_login(self.w.reader)
        page = self.client.get(reverse("goals:chain"))
        self.assertContains(page, "Kommunfullmäktiges uppdrag")
        self.assertContains(page, "Utred skolskjutsarna")
        self.assertContains(page, "Försenat")

    def test_assignments_for_a_unit_and_year(self):
        self.assertEqual(
            [a.title for a in assignments_for(self.w.bun, 2025)],
            ["Utred skolskjutsarna", "Ny lokalplan"],
        )
        self.assertEqual(list(assignments_for(self.w.skola1, 2025)), [])
        self.assertEqual(len(assignments_for(self.w.kf, 2025, below=True)), 2)


class AssignmentReportedDoneTests(TestCase):
    def test_an_assignment_due_last_year_reported_done_can_still_be_corrected(self):
        w = build_world()
        a = make_assignment(
            w, due=datetime.date(2024, 12, 31), decided_on=datetime.date(2024, 2, 1)
        )
        report = Report.objects.get(round=open_round(w), org_unit=w.bun)
        url = reverse("followup:assignment_update_edit", args=[report.pk, a.pk])
        self.client.force_login(w.controller)
        u = report.assignment_updates.get()
        self.client.post(
            url, {"status": "done", "version": u.version}, headers={"HX-Request": "true"}
        )
        u.refresh_from_db()
        response = self.client.post(
            url,
            {"status": "done", "comment": "Redovisat", "version": u.version},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "Sparat")
        self.assertEqual(report.assignment_updates.get().comment, "Redovisat")
