"""The internal control plan (issue 17 point 2): controls picked from the adopted risk
analysis, each asked of its owner in the follow-up rounds on the report page, the
deviations listed for the committee, the controls not reported on the round's
dashboard and the internal control chapter in the report PDF."""

import io
import re

from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from control.models import Control, ControlResult
from control.services import control_result_save
from followup.models import GeneratedReport, Report, ReportStatus
from followup.report_document import report_document
from ledmot.models import JobStatus, Role
from ledmot.services import LockedError
from tests.conftest import build_world
from tests.control.helpers import adopt, make_control, make_risk
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round
from tests.followup.test_report_pdf import pdf_text


class ControlPlanGridTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.risk = make_risk(w)
        cls.analysis = adopt(w, cls.risk.analysis)
        cls.control = make_control(w, cls.risk)
        w.bun_editor = UserFactory(username="bun-editor")
        grant(w.bun_editor, w.bun, Role.EDITOR)

    def urls(self):
        a = self.analysis.pk
        return {
            "analysis": reverse("control:analysis_detail", args=[a]),
            "export": reverse("control:analysis_detail", args=[a]) + "?export=xlsx",
            "create": reverse("control:control_create", args=[a]),
            "edit": reverse("control:control_edit", args=[a, self.control.pk]),
        }

    def test_the_grid(self):
        w = self.w
        grid = {
            "anonymous": (None, dict.fromkeys(self.urls(), 302)),
            "reader": (w.reader, {"analysis": 200, "export": 200, "create": 403, "edit": 403}),
            # a unit's editor reports on its controls but does not see the committee's plan
            "unit editor": (w.editor, dict.fromkeys(self.urls(), 404)),
            "other editor": (w.other_editor, dict.fromkeys(self.urls(), 404)),
            "committee editor": (w.bun_editor, dict.fromkeys(self.urls(), 200)),
            "controller": (w.controller, dict.fromkeys(self.urls(), 200)),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name, url in self.urls().items():
                with self.subTest(persona=persona, url=name):
                    self.assertEqual(self.client.get(url).status_code, expected[name])

    def test_a_refused_write_changes_nothing(self):
        self.client.force_login(self.w.reader)
        response = self.client.post(
            reverse("control:control_edit", args=[self.analysis.pk, self.control.pk]),
            {"title": "Kapat"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Control.objects.get().title, self.control.title)

    def test_controls_come_from_an_adopted_analysis(self):
        risk = make_risk(self.w, year=2026)
        self.client.force_login(self.w.controller)
        url = reverse("control:control_create", args=[risk.analysis_id])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_committee_writes_a_control(self):
        self.client.force_login(self.w.bun_editor)
        response = self.client.post(
            reverse("control:control_create", args=[self.analysis.pk]),
            {
                "risk": self.risk.pk,
                "title": "Kontroll av registerutdrag",
                "method": "Genomgång av alla nyanställningar",
                "frequency": "year",
                "responsible": "Förvaltningschef",
                "owner": self.w.bun.pk,
                "round_kinds": [self.control.round_kinds.get().pk],
            },
        )
        self.assertRedirects(response, self.urls()["analysis"])
        self.assertTrue(Control.objects.filter(title="Kontroll av registerutdrag").exists())

    def test_the_excel_export_has_the_risks_and_the_plan(self):
        self.client.force_login(self.w.controller)
        response = self.client.get(self.urls()["export"])
        wb = load_workbook(io.BytesIO(response.content))
        self.assertEqual(wb.sheetnames, ["Riskregister", "Internkontrollplan"])
        rows = list(wb["Internkontrollplan"].iter_rows(values_only=True))
        self.assertEqual(rows[1][:2], (self.control.title, self.risk.title))


class ControlResultTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.risk = make_risk(w)
        adopt(w, cls.risk.analysis)
        cls.control = make_control(w, cls.risk)
        cls.other = make_control(w, cls.risk, title="Kontroll i delåret", kinds=("Delårsrapport",))
        cls.rnd = open_round(w)
        cls.report = Report.objects.get(round=cls.rnd, org_unit=w.skola1)
        cls.url = reverse("control:result_edit", args=[cls.report.pk, cls.control.pk])

    def post(self, **data):
        control_pk = self.url.rstrip("/").rsplit("/", 1)[1]
        data = {"outcome": "remarks", "comment": "Två saknade", "measures": "Rutin ses över"} | data
        return self.client.post(
            self.url, {f"kontroll-{control_pk}-{name}": value for name, value in data.items()}
        )

    def test_the_owners_report_asks_for_the_result(self):
        self.client.force_login(self.w.editor)
        page = self.client.get(reverse("followup:report_detail", args=[self.report.pk]))
        self.assertContains(page, "Intern kontroll")
        self.assertContains(page, self.control.title)
        self.assertNotContains(page, "Kontroll i delåret")  # another round's
        for word in ("Inga anmärkningar", "Anmärkningar", "Allvarliga anmärkningar"):
            self.assertContains(page, word)

    def test_the_owner_reports_it_and_the_committee_sees_the_deviation(self):
        self.client.force_login(self.w.editor)
        response = self.post()
        self.assertRedirects(
            response,
            reverse("followup:report_detail", args=[self.report.pk])
            + f"#kontroll-{self.control.pk}",
            fetch_redirect_response=False,
        )
        result = ControlResult.objects.get()
        self.assertEqual((result.outcome, result.comment), ("remarks", "Två saknade"))
        self.assertEqual(result.history.get().history_user, self.w.editor)
        self.client.force_login(self.w.controller)
        page = self.client.get(reverse("control:analysis_detail", args=[self.risk.analysis_id]))
        self.assertContains(page, "Två saknade")
        self.assertContains(page, "Rutin ses över")

    def test_each_control_shows_its_own_result(self):
        """The section draws each control from one shape per kind of result: every
        control's own title, risk, saved outcome, texts (escaped) and version, for the
        editor as a form and for a reader as text."""
        w = self.w
        third = make_control(w, self.risk, title="Tredje <b>kontrollen</b>", responsible="Rektor")
        self.client.force_login(w.editor)
        self.post(comment="Två <i>saknade</i>", measures="Rutin & lista")
        self.url = reverse("control:result_edit", args=[self.report.pk, third.pk])
        self.post(outcome="none", comment="", measures="")
        first = ControlResult.objects.get(control=self.control)
        detail = reverse("followup:report_detail", args=[self.report.pk])

        page = self.client.get(detail).content.decode()
        forms = page.split('<section class="assessment-block" aria-labelledby="kontroll-')[1:]
        by_pk = {int(f.split('"', 1)[0]): f for f in forms}
        mine, other = by_pk[self.control.pk], by_pk[third.pk]
        action = f"/kontroll/rapporter/{self.report.pk}/kontroller/{self.control.pk}/"
        self.assertIn(f'action="{action}"', mine)
        self.assertIn(f'name="kontroll-{self.control.pk}-version" value="{first.version}"', mine)
        mine_id, other_id = f"id_kontroll-{self.control.pk}", f"id_kontroll-{third.pk}"
        self.assertIn(f'value="remarks" id="{mine_id}-outcome_1" required checked', mine)
        self.assertIn("Två &lt;i&gt;saknade&lt;/i&gt;</textarea>", mine)
        self.assertIn("Rutin &amp; lista</textarea>", mine)
        self.assertIn("Tredje &lt;b&gt;kontrollen&lt;/b&gt;", other)
        self.assertIn("Vem: Rektor", other)
        self.assertIn(f'value="none" id="{other_id}-outcome_0" required checked', other)
        # Each control's fields have their own ids, and each label points at its own.
        ids = re.findall(r' id="([^"]+)"', page)
        self.assertEqual(len(ids), len(set(ids)), sorted(i for i in ids if ids.count(i) > 1))
        for target in re.findall(r'<label for="([^"]+)"', page):
            self.assertIn(target, ids)
        self.assertNotIn("saknade", other)

        self.client.force_login(w.reader)
        page = " ".join(self.client.get(detail).content.decode().split())
        self.assertNotIn('action="/kontroll/', page)
        self.assertIn(
            "Anmärkningar</span> – Två &lt;i&gt;saknade&lt;/i&gt; · Åtgärder: Rutin &amp; lista",
            page,
        )
        self.assertIn("Inga anmärkningar</span> </p>", page)

    def test_the_shapes_kept_between_requests_carry_this_pages_report_and_token(self):
        """The section's shapes are kept between requests (ledmot.lib.html.Stamp keep):
        another unit's report seen by another person gets its own report in the form's
        address and its own CSRF token, and a reader no form."""
        from django.middleware.csrf import CSRF_TOKEN_LENGTH

        w = self.w
        committees = make_control(w, self.risk, owner=w.bun, title="Nämndens")
        other = Report.objects.get(round=self.rnd, org_unit=w.bun)
        tokens = set()
        for user, report, control in (
            (w.editor, self.report, self.control),
            (w.controller, other, committees),
        ):
            self.client.force_login(user)
            html = self.client.get(reverse("followup:report_detail", args=[report.pk]))
            html = html.content.decode()
            self.assertIn(
                f'action="/kontroll/rapporter/{report.pk}/kontroller/{control.pk}/"', html
            )
            section = html[html.index('id="intern-kontroll"') :]
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', section).group(1)
            self.assertEqual(len(token), CSRF_TOKEN_LENGTH)
            tokens.add(token)
        self.assertEqual(len(tokens), 2)
        self.client.force_login(w.reader)
        page = self.client.get(reverse("followup:report_detail", args=[other.pk])).content.decode()
        self.assertIn("Nämndens", page)
        self.assertNotIn('action="/kontroll/', page)

    def test_the_pages_raw_read_asks_about_the_rules_controls(self):
        """The report page reads its controls in one raw query
        (control.registers.report_control_pieces): the same controls, in the same order,
        as the rule's queryset (control.extensions.report_controls), each with its own
        result or an unsaved one."""
        from control.extensions import report_controls
        from control.registers import report_control_pieces

        w = self.w
        third = make_control(w, self.risk, title="A först <b>", kinds=("Tertialrapport",))
        make_control(w, self.risk, title="Annan enhets", owner=w.skola2)
        self.client.force_login(w.editor)
        self.post(comment="Två saknade")
        for report in Report.objects.filter(round=self.rnd):
            with self.subTest(report=report.org_unit.code):
                pieces = report_control_pieces(report)
                self.assertEqual(
                    [c.pk for c, _r in pieces], [c.pk for c in report_controls(report)]
                )
        pieces = report_control_pieces(self.report)
        self.assertEqual([c.pk for c, _r in pieces], [third.pk, self.control.pk])
        (_c, fresh), (_c2, saved) = pieces
        self.assertIsNone(fresh.pk)
        result = ControlResult.objects.get()
        self.assertEqual(
            (saved.pk, saved.outcome, saved.comment, saved.version),
            (result.pk, "remarks", "Två saknade", result.version),
        )

    def test_a_remark_needs_a_comment(self):
        self.client.force_login(self.w.editor)
        self.post(comment="")
        self.assertFalse(ControlResult.objects.exists())

    def test_a_submitted_report_refuses_it(self):
        self.report.status = ReportStatus.SUBMITTED
        self.report.save()
        self.client.force_login(self.w.editor)
        self.assertEqual(self.post().status_code, 403)
        with self.assertRaises(LockedError):
            control_result_save(
                result=ControlResult(report=self.report, control=self.control, outcome="none"),
                user=self.w.editor,
                expected_version=None,
            )
        self.assertFalse(ControlResult.objects.exists())

    def test_another_units_editor_is_refused(self):
        self.client.force_login(self.w.other_editor)
        self.assertIn(self.post().status_code, (403, 404))
        self.assertFalse(ControlResult.objects.exists())

    def test_the_dashboard_shows_the_controls_not_reported(self):
        self.client.force_login(self.w.controller)
        url = reverse("followup:round_dashboard", args=[self.rnd.pk])
        self.assertContains(self.client.get(url), "Kontroller som inte är rapporterade (1)")
        self.client.force_login(self.w.editor)
        self.post()
        self.client.force_login(self.w.controller)
        self.assertNotContains(self.client.get(url), "Kontroller som inte är rapporterade")

    def test_the_report_has_an_internal_control_chapter(self):
        self.client.force_login(self.w.editor)
        self.post(outcome="serious", comment="Behörighet saknades i tre fall")
        doc = report_document(self.rnd, self.w.bun)
        self.assertIn("intern-kontroll", [s.anchor for s in doc.extra_sections])
        self.assertIsNone(
            next(
                (
                    s
                    for s in report_document(self.rnd, self.w.von).extra_sections
                    if s.anchor == "intern-kontroll"
                ),
                None,
            )
        )
        self.client.force_login(self.w.controller)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("followup:report_pdf_create", args=[self.rnd.pk]), {"org": ""})
        job = GeneratedReport.objects.get()
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        response = self.client.get(
            reverse("followup:report_pdf_download", args=[self.rnd.pk, job.pk])
        )
        text = pdf_text(b"".join(response.streaming_content))
        self.assertIn("Intern kontroll", text)
        self.assertIn(self.control.title, text)
        self.assertIn("Allvarliga anmärkningar", text)
        self.assertIn("Behörighet saknades i tre fall", text)
