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
from control.services import analysis_for, analysis_start_next, risk_delete, risk_save
from goals.models import GoalLevel, GoalStatus
from ledmot.models import OrgKind, Role
from ledmot.services import LockedError
from tests.conftest import build_world
from tests.control.helpers import adopt, make_risk
from tests.factories import GoalFactory, OrgUnitFactory, UserFactory, grant


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
            "create for unit": reverse("control:risk_create_unit", args=[self.w.skola1.pk]),
            "edit": reverse("control:risk_edit", args=[pk]),
            "analysis": reverse("control:analysis_detail", args=[a]),
        }

    def test_the_grid(self):
        w = self.w
        seen = {"list": 200, "export": 200, "detail": 200, "history": 200}
        refused = {"create": 403, "create for unit": 403, "edit": 403}
        grid = {
            "anonymous": (None, dict.fromkeys(self.urls(), 302)),
            "reader": (w.reader, {**seen, **refused, "analysis": 200}),
            # one unit: straight to its form
            "unit editor": (
                w.editor,
                {**seen, "create": 302, "create for unit": 200, "edit": 200, "analysis": 404},
            ),
            # another committee's editor does not see this unit's risks
            "other editor": (
                w.other_editor,
                {
                    "list": 200,
                    "export": 200,
                    "detail": 404,
                    "history": 404,
                    "create": 302,
                    "create for unit": 404,
                    "edit": 404,
                    "analysis": 404,
                },
            ),
            "committee approver": (w.bun_approver, {**seen, **refused, "analysis": 200}),
            # every committee: the choice of one first
            "controller": (
                w.controller,
                {**seen, "create": 200, "create for unit": 200, "edit": 200, "analysis": 200},
            ),
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
            reverse("control:risk_create_unit", args=[self.w.skola1.pk]),
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
            reverse("control:risk_create_unit", args=[self.w.skola1.pk]),
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
        page = self.client.get(reverse("control:risk_create"), follow=True)
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
    """A risk's form offers the goals of one unit's chain: it costs the same queries
    however many units and goals the municipality has (a controller's form listed every
    live goal, 7,800 at large size, a 1.8 MB page)."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def open_form(self):
        self.client.force_login(self.w.controller)
        with CaptureQueriesContext(connection) as queries:
            page = self.client.get(reverse("control:risk_create_unit", args=[self.w.skola1.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.w.unit_goal.title)
        return page, len(queries)

    def test_the_same_queries_and_goals_for_many_more_units_and_goals(self):
        w = self.w
        before, few = self.open_form()
        parents = [w.buf, w.skola1, w.vof]
        for i in range(520):
            unit = OrgUnitFactory(parent=parents[i % 3], name=f"Ny enhet {i}", code=f"NY{i}")
            if i % 10 == 0:
                GoalFactory(
                    level=GoalLevel.UNIT,
                    owner=unit,
                    mandate_period=w.period,
                    title=f"Ett annat mål {i}",
                    parent=w.committee_goal,
                )
        page, many = self.open_form()
        self.assertEqual(many, few)
        self.assertNotContains(page, "Ett annat mål")
        self.assertEqual(goal_boxes(page), goal_boxes(before))


def goal_boxes(page) -> list[str]:
    """The labels of the goals' checkboxes on a risk's form."""
    fieldset = re.search(r'<div id="risk-goals"[^>]*>(.*?)</fieldset>', page.content.decode(), re.S)
    return re.findall(r'<label for="id_goals_\d+">([^<]*)</label>', fieldset.group(1))


class RiskGoalChoiceTests(TestCase):
    """The unit comes first: the goals offered are its own and those above it (the
    committee's and the council's), and the server refuses any other on every path."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.sibling_goal = GoalFactory(
            level=GoalLevel.UNIT,
            parent=w.committee_goal,
            owner=w.skola2,
            mandate_period=w.period,
            title="Lindens skola ska ha fler behöriga lärare",
        )
        cls.other_goal = GoalFactory(
            level=GoalLevel.COMMITTEE,
            owner=w.von,
            mandate_period=w.period,
            title="Fler äldre ska känna sig trygga i sitt boende",
        )

    def data(self, **changes):
        return {
            "unit": self.w.skola1.pk,
            "year": 2025,
            "title": "Hög sjukfrånvaro bland personalen",
            "goals": [self.w.unit_goal.pk],
            "probability": 2,
            "consequence": 3,
            "owner": "Rektor",
            **changes,
        }

    def url(self, unit):
        return reverse("control:risk_create_unit", args=[unit.pk])

    def test_a_unit_is_offered_its_goals_and_those_above_it(self):
        w = self.w
        self.client.force_login(w.controller)
        page = self.client.get(self.url(w.skola1))
        self.assertEqual(
            goal_boxes(page),
            [
                f"Kommunfullmäktige: {w.council_goal.title}",
                f"Barn- och utbildningsnämnden: {w.committee_goal.title}",
                f"Ekbackens skola: {w.unit_goal.title}",
                f"Ekbackens skola: {w.proposed_goal.title}",
            ],
        )
        # a committee: its own and the council's, not its units'
        page = self.client.get(self.url(w.bun))
        self.assertEqual(
            goal_boxes(page),
            [
                f"Kommunfullmäktige: {w.council_goal.title}",
                f"Barn- och utbildningsnämnden: {w.committee_goal.title}",
            ],
        )
        # the unit can change within the committee, not to another committee's unit
        self.assertContains(page, f'<option value="{w.skola2.pk}">')
        self.assertNotContains(page, f'<option value="{w.boende1.pk}">')

    def test_a_goal_outside_the_units_chain_is_refused_and_nothing_saved(self):
        w = self.w
        self.client.force_login(w.controller)
        for goal in (self.sibling_goal, self.other_goal):
            with self.subTest(goal=goal.title):
                page = self.client.post(
                    self.url(w.skola1), self.data(goals=[w.unit_goal.pk, goal.pk])
                )
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "kan bara hota enhetens egna mål")
                self.assertContains(page, f"Inte: {goal.title}.")
                self.assertFalse(Risk.objects.exists())
        # the same rule in the service (an import or a command) ...
        analysis = analysis_for(committee=w.bun, year=2025, user=w.controller)
        risk = Risk(analysis=analysis, unit=w.skola1, title="X", probability=1, consequence=1)
        risk.owner = "Rektor"
        with self.assertRaises(ValidationError) as refused:
            risk_save(
                risk=risk, goals=[self.sibling_goal], user=w.controller, expected_version=None
            )
        self.assertIn("kan bara hota enhetens egna mål", refused.exception.message_dict["goals"][0])
        # ... and in the admin
        root = UserFactory(username="root", is_superuser=True, is_staff=True)
        self.client.force_login(root)
        page = self.client.post(
            reverse("admin:control_risk_add"),
            {**self.data(goals=[self.other_goal.pk]), "analysis": analysis.pk},
        )
        self.assertContains(page, "kan bara hota enhetens egna mål")
        self.assertFalse(Risk.objects.exists())

    def test_an_ended_goal_is_not_offered_to_a_new_risk(self):
        w = self.w
        w.unit_goal.status = GoalStatus.ENDED
        w.unit_goal.save()
        self.client.force_login(w.editor)
        self.assertNotIn(
            f"Ekbackens skola: {w.unit_goal.title}",
            " ".join(goal_boxes(self.client.get(self.url(w.skola1)))),
        )
        page = self.client.post(self.url(w.skola1), self.data())
        self.assertContains(page, f"Inte: {w.unit_goal.title}.")
        self.assertFalse(Risk.objects.exists())

    def test_without_javascript_the_button_shows_the_chosen_units_goals(self):
        w = self.w
        self.client.force_login(w.controller)
        page = self.client.post(
            self.url(w.bun),
            self.data(unit=w.skola2.pk, goals=[w.committee_goal.pk], visa_mal="1"),
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"Lindens skola: {self.sibling_goal.title}", goal_boxes(page))
        self.assertNotIn(f"Ekbackens skola: {w.unit_goal.title}", goal_boxes(page))
        # what was typed and ticked stays, no error, nothing saved
        self.assertContains(page, 'value="Hög sjukfrånvaro bland personalen"')
        self.assertContains(page, f'value="{w.committee_goal.pk}" id="id_goals_1" checked')
        self.assertContains(page, f'<option value="{w.skola2.pk}" selected>')
        self.assertNotContains(page, "field-error")
        self.assertFalse(Risk.objects.exists())

    def test_with_htmx_the_goals_follow_the_unit_select(self):
        w = self.w
        self.client.force_login(w.controller)
        page = self.client.get(self.url(w.bun))
        self.assertContains(page, f'hx-post="{self.url(w.bun)}"')
        fragment = self.client.post(
            self.url(w.bun),
            self.data(unit=w.skola2.pk, visa_mal="1"),
            headers={"HX-Request": "true"},
        )
        self.assertEqual(fragment.status_code, 200)
        self.assertTrue(fragment.content.decode().strip().startswith('<div id="risk-goals"'))
        self.assertIn(f"Lindens skola: {self.sibling_goal.title}", goal_boxes(fragment))
        self.assertFalse(Risk.objects.exists())

    def test_the_unit_is_chosen_first(self):
        w = self.w
        self.client.force_login(w.controller)
        page = self.client.get(reverse("control:risk_create"))
        self.assertContains(page, f'<option value="{w.bun.pk}">Barn- och utbildningsnämnden')
        self.assertContains(page, f'<option value="{w.von.pk}">Vård- och omsorgsnämnden')
        self.assertNotContains(page, "Ekbackens skola")
        self.assertNotContains(page, w.unit_goal.title)
        # Nothing chosen beforehand; the committees first, in their order, then companies
        # (in path order the municipal company came first and was preselected).
        company = OrgUnitFactory(
            parent=w.kf, kind=OrgKind.COMPANY, name="Åsbackahem AB", code="AAA"
        )
        options = re.findall(
            r'<option value="(\d*)">',
            self.client.get(reverse("control:risk_create")).content.decode(),
        )
        self.assertEqual(options[0], "")
        self.assertEqual(options[1:], [str(u.pk) for u in (w.bun, w.von, company)])
        empty = self.client.get(reverse("control:risk_create") + "?enhet=")
        self.assertContains(empty, 'name="enhet" id="id_enhet" required')
        # the choice (and the links with ?enhet= from the register and the analysis)
        self.assertRedirects(
            self.client.get(reverse("control:risk_create") + f"?enhet={w.bun.pk}"), self.url(w.bun)
        )
        # one unit: straight to its form
        self.client.force_login(w.editor)
        self.assertRedirects(self.client.get(reverse("control:risk_create")), self.url(w.skola1))

    def test_the_old_address_still_takes_a_posted_form(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(reverse("control:risk_create"), self.data())
        risk = Risk.objects.get()
        self.assertRedirects(response, reverse("control:risk_detail", args=[risk.pk]))
        self.assertEqual(list(risk.goals.all()), [self.w.unit_goal])

    def test_editing_keeps_a_goal_no_longer_live_but_not_another_units(self):
        w = self.w
        risk = make_risk(w)
        w.unit_goal.status = GoalStatus.ENDED
        w.unit_goal.save()
        self.client.force_login(w.editor)
        url = reverse("control:risk_edit", args=[risk.pk])
        page = self.client.get(url)
        self.assertIn(f"Ekbackens skola: {w.unit_goal.title} (Avslutat)", goal_boxes(page))
        self.assertContains(page, f'value="{w.unit_goal.pk}" id="id_goals_2" checked')
        edit = {**self.data(title="Brist på behöriga lärare och vikarier"), "version": risk.version}
        self.assertRedirects(
            self.client.post(url, edit), reverse("control:risk_detail", args=[risk.pk])
        )
        risk.refresh_from_db()
        self.assertEqual(risk.title, "Brist på behöriga lärare och vikarier")
        self.assertEqual(list(risk.goals.all()), [w.unit_goal])
        # moved (by the controller) to the other school: the first school's goal is
        # outside its chain
        self.client.force_login(w.controller)
        moved = {**edit, "unit": w.skola2.pk, "title": "Flyttad", "version": risk.version}
        page = self.client.post(url, moved)
        self.assertContains(page, f"Inte: {w.unit_goal.title}.")
        risk.refresh_from_db()
        self.assertEqual(
            (risk.unit, risk.title), (w.skola1, "Brist på behöriga lärare och vikarier")
        )


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
