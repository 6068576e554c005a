"""The risk register (issue 17 point 1): who may see and write risks, the matrix and the
table agreeing, the adopted analysis frozen on every path, next year's analysis started
from it, and the Excel export."""

import io
import re

from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from control.models import AnalysisAdopted, Risk, RiskAnalysis
from control.services import analysis_start_next, risk_delete, risk_save
from ledmot.models import Role
from ledmot.services import LockedError
from tests.conftest import build_world
from tests.control.helpers import adopt, make_risk
from tests.factories import OrgUnitFactory, UserFactory, grant


class RiskGridTests(TestCase):
    """Every persona against every risk URL (a GET): what answers, what is refused."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.risk = make_risk(w)
        w.bun_approver = UserFactory(username="bun-approver")
        grant(w.bun_approver, w.bun, Role.APPROVER)

    def urls(self):
        pk, a = self.risk.pk, self.risk.analysis_id
        return {
            "list": reverse("control:risk_list") + "?ar=2025",
            "export": reverse("control:risk_list") + "?ar=2025&export=xlsx",
            "detail": reverse("control:risk_detail", args=[pk]),
            "history": reverse("control:risk_detail", args=[pk]) + "?flik=historik",
            "create": reverse("control:risk_create"),
            "edit": reverse("control:risk_edit", args=[pk]),
            "analysis": reverse("control:analysis_detail", args=[a]),
        }

    def test_the_grid(self):
        w = self.w
        seen = {"list": 200, "export": 200, "detail": 200, "history": 200}
        grid = {
            "anonymous": (None, dict.fromkeys(self.urls(), 302)),
            "reader": (w.reader, {**seen, "create": 403, "edit": 403, "analysis": 200}),
            "unit editor": (w.editor, {**seen, "create": 200, "edit": 200, "analysis": 404}),
            # another committee's editor does not see this unit's risks
            "other editor": (
                w.other_editor,
                {
                    "list": 200,
                    "export": 200,
                    "detail": 404,
                    "history": 404,
                    "create": 200,
                    "edit": 404,
                    "analysis": 404,
                },
            ),
            "committee approver": (
                w.bun_approver,
                {**seen, "create": 403, "edit": 403, "analysis": 200},
            ),
            "controller": (w.controller, {**seen, "create": 200, "edit": 200, "analysis": 200}),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name, url in self.urls().items():
                with self.subTest(persona=persona, url=name):
                    self.assertEqual(self.client.get(url).status_code, expected[name])

    def test_the_other_committees_editor_sees_none_of_its_risks_in_the_list(self):
        self.client.force_login(self.w.other_editor)
        page = self.client.get(reverse("control:risk_list") + "?ar=2025")
        self.assertNotContains(page, "Brist på behöriga lärare")

    def test_a_refused_edit_changes_nothing(self):
        self.client.force_login(self.w.reader)
        response = self.client.post(
            reverse("control:risk_edit", args=[self.risk.pk]), self.form_data(title="Kapat")
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Risk.objects.get().title, "Brist på behöriga lärare")

    def form_data(self, **changes):
        return {
            "unit": self.w.skola1.pk,
            "year": 2025,
            "title": "Brist på behöriga lärare",
            "goals": [self.w.unit_goal.pk],
            "probability": 3,
            "consequence": 4,
            "owner": "Rektor",
            "version": self.risk.version,
            **changes,
        }


class RiskWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_an_editor_writes_a_risk_into_the_committees_analysis_with_history(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("control:risk_create"),
            {
                "unit": self.w.skola1.pk,
                "year": 2025,
                "title": "Hög sjukfrånvaro bland personalen",
                "goals": [self.w.unit_goal.pk],
                "probability": 2,
                "consequence": 3,
                "owner": "Rektor",
            },
        )
        risk = Risk.objects.get()
        self.assertRedirects(response, reverse("control:risk_detail", args=[risk.pk]))
        self.assertEqual((risk.analysis.committee, risk.analysis.year), (self.w.bun, 2025))
        self.assertEqual(list(risk.goals.all()), [self.w.unit_goal])
        # the risk and then its goals (simple_history writes the m2m as a second row)
        self.assertEqual({h.history_user for h in risk.history.all()}, {self.w.editor})

    def test_a_risk_threatens_goals_or_a_process(self):
        self.client.force_login(self.w.editor)
        page = self.client.post(
            reverse("control:risk_create"),
            {
                "unit": self.w.skola1.pk,
                "year": 2025,
                "title": "Okänt",
                "probability": 1,
                "consequence": 1,
                "owner": "Rektor",
            },
        )
        self.assertContains(page, "Ange vilka mål eller vilken process risken hotar.")
        self.assertFalse(Risk.objects.exists())

    def test_the_scale_has_its_words(self):
        self.client.force_login(self.w.editor)
        page = self.client.get(reverse("control:risk_create"))
        for word in (
            "Osannolik",
            "Mindre sannolik",
            "Möjlig",
            "Sannolik",
            "Försumbar",
            "Lindrig",
            "Kännbar",
            "Allvarlig",
        ):
            self.assertContains(page, f">{word}</label>")


class RiskFormSizeTests(TestCase):
    """The risk form of a controller (every unit of the municipality) costs the same
    queries however many units there are; one condition per unit in the goals' query
    made the page fail (SQLite: expression tree too large) at a few hundred units."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def open_form(self):
        self.client.force_login(self.w.controller)
        with CaptureQueriesContext(connection) as queries:
            page = self.client.get(reverse("control:risk_create"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.w.unit_goal.title)
        return len(queries)

    def test_the_same_queries_for_many_more_units(self):
        few = self.open_form()
        parents = [self.w.buf, self.w.skola1]
        for i in range(520):
            OrgUnitFactory(parent=parents[i % 2], name=f"Ny enhet {i}", code=f"NY{i}")
        self.assertEqual(self.open_form(), few)


class AdoptedAnalysisTests(TestCase):
    """An adopted risk analysis is frozen on every path."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.risk = make_risk(w)
        w.bun_approver = UserFactory(username="bun-approver")
        grant(w.bun_approver, w.bun, Role.APPROVER)

    def test_the_committees_approver_adopts_it_with_the_decision(self):
        self.client.force_login(self.w.bun_approver)
        analysis = self.risk.analysis
        url = reverse("control:analysis_adopt", args=[analysis.pk])
        self.client.post(
            url,
            {
                "decision_reference": "BUN 2025/17 § 12",
                "adopted_on": "2025-01-20",
                "version": analysis.version,
            },
        )
        analysis.refresh_from_db()
        self.assertEqual(analysis.decision_reference, "BUN 2025/17 § 12")
        page = self.client.get(reverse("control:analysis_detail", args=[analysis.pk]))
        self.assertContains(page, "Riskanalysen kan inte ändras.")

    def test_an_editor_cannot_adopt(self):
        self.client.force_login(self.w.editor)
        analysis = self.risk.analysis
        url = reverse("control:analysis_adopt", args=[analysis.pk])
        response = self.client.post(
            url,
            {"decision_reference": "X", "adopted_on": "2025-01-20", "version": analysis.version},
        )
        self.assertIn(response.status_code, (403, 404))
        self.assertIsNone(RiskAnalysis.objects.get().adopted_on)

    def test_every_path_refuses_a_change(self):
        w = self.w
        adopt(w, self.risk.analysis)
        risk = Risk.objects.get()
        # the screen
        self.client.force_login(w.editor)
        response = self.client.post(
            reverse("control:risk_edit", args=[risk.pk]),
            {
                "unit": w.skola1.pk,
                "year": 2025,
                "title": "Kapat",
                "goals": [w.unit_goal.pk],
                "probability": 1,
                "consequence": 1,
                "owner": "X",
                "version": risk.version,
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "antagen", status_code=403)
        self.assertEqual(
            self.client.get(reverse("control:risk_edit", args=[risk.pk])).status_code, 403
        )
        # a new risk into the adopted year
        self.client.post(
            reverse("control:risk_create"),
            {
                "unit": w.skola1.pk,
                "year": 2025,
                "title": "Ny",
                "process": "Skolskjuts",
                "probability": 1,
                "consequence": 1,
                "owner": "X",
            },
        )
        # deleting
        self.client.post(reverse("control:risk_delete", args=[risk.pk]), {"version": risk.version})
        # the service (any import or command goes through it)
        risk.title = "Kapat"
        with self.assertRaises(LockedError):
            risk_save(risk=risk, goals=[], user=w.controller, expected_version=risk.version)
        with self.assertRaises(LockedError):
            risk_delete(risk=Risk.objects.get(), user=w.controller, expected_version=1)
        # the model itself (shell)
        with self.assertRaises(AnalysisAdopted):
            Risk.objects.get().save()
        analysis = RiskAnalysis.objects.get()
        analysis.decision_reference = "Annat"
        with self.assertRaises(AnalysisAdopted):
            analysis.save()
        # the admin
        request = RequestFactory().get("/")
        request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
        for model, obj in ((Risk, Risk.objects.get()), (RiskAnalysis, analysis)):
            admin = site._registry[model]
            self.assertFalse(admin.has_change_permission(request, obj))
            self.assertFalse(admin.has_delete_permission(request, obj))
        # nothing changed
        self.assertEqual(
            list(Risk.objects.values_list("title", flat=True)), ["Brist på behöriga lärare"]
        )
        self.assertEqual(RiskAnalysis.objects.get().decision_reference, "BUN 2025/17 § 12")

    def test_next_year_starts_from_it(self):
        w = self.w
        self.client.force_login(w.controller)
        analysis = self.risk.analysis
        url = reverse("control:analysis_next", args=[analysis.pk])
        self.client.post(url)
        self.assertFalse(RiskAnalysis.objects.filter(year=2026).exists())  # not adopted yet
        adopt(w, analysis)
        response = self.client.post(url)
        following = RiskAnalysis.objects.get(year=2026)
        self.assertRedirects(response, reverse("control:analysis_detail", args=[following.pk]))
        copy = following.risks.get()
        self.assertEqual((copy.title, copy.predecessor), (self.risk.title, self.risk))
        self.assertEqual(list(copy.goals.all()), [w.unit_goal])
        self.assertIsNone(following.adopted_on)
        with self.assertRaises(ValidationError):  # only once
            analysis_start_next(analysis=analysis, user=w.controller)


class MatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        make_risk(w, title="Brist på behöriga lärare", probability=4, consequence=4)
        make_risk(
            w,
            title="Läckage av personuppgifter",
            probability=2,
            consequence=3,
            goals=[],
            process="Dokumenthantering",
        )
        make_risk(w, title="Fel i schemaläggningen", probability=2, consequence=3)
        make_risk(w, unit=w.boende1, title="Fallolyckor", probability=3, consequence=2)
        make_risk(w, title="Förra årets risk", year=2024)

    def test_the_matrix_and_the_table_agree(self):
        self.client.force_login(self.w.controller)
        html = self.client.get(reverse("control:risk_list") + "?ar=2025").content.decode()
        svg = html[html.index("<svg") : html.index("</svg>")]
        in_matrix = {}
        for p, c, cell in re.findall(
            r'<g data-probability="(\d)" data-consequence="(\d)"[^>]*>(.*?)</g>', svg
        ):
            for n in re.findall(r'data-risk="(\d+)"', cell):
                in_matrix[int(n)] = (int(p), int(c))
        table = html[html.index('id="risktabell"') :]
        in_table = {
            int(n): (int(p), int(c))
            for n, p, c in re.findall(
                r'<tr data-risk="(\d+)" data-probability="(\d)" data-consequence="(\d)">', table
            )
        }
        self.assertEqual(len(in_table), 4)  # this year's, the whole municipality
        self.assertEqual(in_matrix, in_table)
        # the highest risk is number 1, in its cell with the level in words
        self.assertEqual(in_table[1], (4, 4))
        self.assertIn("Mycket hög", svg)
        self.assertIn("Mycket hög (16)", table)
        # each number is a link to its risk
        first = Risk.objects.get(title="Brist på behöriga lärare")
        self.assertIn(f'href="{reverse("control:risk_detail", args=[first.pk])}"', svg)

    def test_a_committees_matrix_holds_only_its_risks(self):
        self.client.force_login(self.w.controller)
        page = self.client.get(reverse("control:risk_list") + f"?ar=2025&enhet={self.w.von.pk}")
        self.assertContains(page, "Fallolyckor")
        self.assertNotContains(page, "Brist på behöriga lärare")

    def test_the_excel_export_is_the_register_with_text_as_text(self):
        w = self.w
        make_risk(w, title='=HYPERLINK("http://x")', probability=1, consequence=1)
        self.client.force_login(w.controller)
        response = self.client.get(reverse("control:risk_list") + "?ar=2025&export=xlsx")
        self.assertEqual(response.status_code, 200)
        ws = load_workbook(io.BytesIO(response.content))["Riskregister"]
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("Nr", "Risk", "Enhet"))
        self.assertEqual(len(rows), 6)
        self.assertEqual(rows[1][1], "Brist på behöriga lärare")
        self.assertEqual(rows[1][7:11], ("Sannolik", "Allvarlig", 16, "Mycket hög"))
        formula = ws.cell(row=6, column=2)
        self.assertEqual((formula.value, formula.data_type), ('=HYPERLINK("http://x")', "s"))


class RegisterQueryTests(TestCase):
    """The register's queries do not grow with the number of risks."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def count(self):
        self.client.force_login(self.w.controller)
        url = reverse("control:risk_list") + "?ar=2025"
        self.client.get(url)
        with self.captureOnCommitCallbacks(), self.assertNumQueries(self.expected):
            self.client.get(url)

    def test_query_count_is_the_same_for_more_risks(self):
        # session, user, access; the risks and their goals; the years there are; whether
        # the user may write; the menu's count of the reports waiting for approval (two);
        # the committees of the filter; the analyses of the year: 11.
        w = self.w
        make_risk(w, title="En")
        self.expected = 11
        self.count()
        for i in range(8):
            make_risk(w, unit=w.skola2 if i % 2 else w.boende1, title=f"Risk {i}")
        self.count()

    def test_a_units_page_links_to_its_matrix(self):
        self.client.force_login(self.w.editor)
        page = self.client.get(reverse("goals:unit_detail", args=[self.w.skola1.pk]))
        self.assertContains(page, f"?ar=2026&amp;enhet={self.w.skola1.pk}")
        self.client.force_login(self.w.other_editor)
        page = self.client.get(reverse("goals:unit_detail", args=[self.w.skola1.pk]))
        self.assertNotContains(page, "Riskmatris och riskregister")
