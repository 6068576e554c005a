"""A unit's verksamhetsplan (issue 15 point 4): the screen, its texts (nuläge,
grunduppdrag) with history and the version check, the PDF and the Excel export, and
who may read and write what."""

import datetime
import io
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from goals.models import GoalStatus, Target, UnitPlan
from goals.services import unit_plan_save
from tests.conftest import build_world
from tests.factories import ActivityFactory, GoalFactory, UserFactory

YEAR = 2026
CONFLICT = "Någon annan har sparat en ny version medan du skrev."
HOSTILE = '=HYPERLINK("http://evil.example/x") <img src="file:///etc/passwd"> <script>x</script>'


def plan_url(unit, year=YEAR, name="goals:unit_plan"):
    return reverse(name, args=[unit.pk, year])


def edit_url(unit, year=YEAR):
    return plan_url(unit, year, "goals:unit_plan_edit")


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


class UnitPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        Target.objects.create(indicator=w.indicator, year=YEAR, value=Decimal("78.5"))
        Target.objects.create(indicator=w.indicator, year=2025, value=Decimal("71"))
        w.indicator.decimals = 1
        w.indicator.save()
        cls.this_year = ActivityFactory(
            goal=w.unit_goal,
            title="Mattecoacher i årskurs 7–9",
            start=datetime.date(YEAR, 1, 10),
            end=datetime.date(YEAR, 6, 15),
        )
        cls.last_year = ActivityFactory(
            goal=w.unit_goal,
            title="Avslutad läsinsats 2024",
            start=datetime.date(2024, 1, 10),
            end=datetime.date(2024, 12, 15),
        )
        cls.ended = GoalFactory(
            level=w.unit_goal.level,
            parent=w.committee_goal,
            owner=w.skola1,
            mandate_period=w.period,
            status=GoalStatus.ENDED,
            title="Ett avslutat mål",
        )
        UnitPlan.objects.create(
            unit=w.skola1,
            year=YEAR,
            basic_mission="Grundskola för årskurs 7–9 enligt skollagen.",
            current_state="Meritvärdet har ökat två år i rad.",
        )

    # ----------------------------------------------------------------- screen

    def test_the_plan_shows_texts_goals_above_own_goals_targets_and_this_years_activities(self):
        w = self.w
        self.client.force_login(w.editor)
        response = self.client.get(plan_url(w.skola1))
        self.assertEqual(response.status_code, 200)
        for text in (
            "Verksamhetsplan 2026",
            "Grundskola för årskurs 7–9 enligt skollagen.",
            "Meritvärdet har ökat två år i rad.",
            w.council_goal.title,
            w.committee_goal.title,
            w.unit_goal.title,
            w.indicator.name,
            "78,5\xa0%",
            "Mattecoacher i årskurs 7–9",
        ):
            self.assertContains(response, text)
        self.assertNotContains(response, "Avslutad läsinsats 2024")
        self.assertNotContains(response, "Ett avslutat mål")
        self.assertNotContains(response, "71,0\xa0%")  # another year's target

    def test_a_committee_has_a_mal_och_resursplan_with_the_council_goals_above(self):
        w = self.w
        self.client.force_login(w.reader)
        response = self.client.get(plan_url(w.bun))
        self.assertContains(response, "Mål- och resursplan 2026")
        self.assertContains(response, w.committee_goal.title)
        self.assertContains(response, w.council_goal.title)
        self.assertContains(response, "78,5\xa0%")  # the indicator measures the committee goal too
        self.assertNotContains(response, w.unit_goal.title)

    def test_the_unit_page_links_to_this_years_plan_within_its_period(self):
        w = self.w
        self.client.force_login(w.editor)
        page = self.client.get(reverse("goals:unit_detail", args=[w.skola1.pk]))
        year = min(max(timezone.localdate().year, 2023), 2026)
        self.assertContains(page, f'href="{plan_url(w.skola1, year)}"')
        self.assertContains(page, f"Verksamhetsplan {year}")
        committee = self.client.get(reverse("goals:unit_detail", args=[w.bun.pk]))
        self.assertContains(committee, f"Mål- och resursplan {year}")

    def test_a_reader_outside_the_unit_does_not_see_its_proposed_goals(self):
        w = self.w
        self.client.force_login(w.other_editor)
        response = self.client.get(plan_url(w.skola1))
        self.assertContains(response, w.unit_goal.title)
        self.assertNotContains(response, w.proposed_goal.title)
        self.client.force_login(w.editor)
        self.assertContains(self.client.get(plan_url(w.skola1)), w.proposed_goal.title)

    def test_a_year_outside_every_mandate_period_is_not_found(self):
        self.client.force_login(self.w.editor)
        for name in ("goals:unit_plan", "goals:unit_plan_edit", "goals:unit_plan_pdf"):
            self.assertEqual(self.client.get(plan_url(self.w.skola1, 2031, name)).status_code, 404)
        self.assertEqual(
            self.client.get(f"/enheter/{self.w.skola1.pk}/verksamhetsplan/abc/").status_code, 404
        )
        self.assertEqual(
            self.client.get(
                plan_url(self.w.skola1).replace(str(self.w.skola1.pk), "999999")
            ).status_code,
            404,
        )

    def test_the_plan_is_read_in_a_fixed_number_of_queries(self):
        w = self.w
        self.client.force_login(w.editor)
        self.client.get(plan_url(w.skola1))
        with self.assertNumQueries(QUERIES) as small:
            self.client.get(plan_url(w.skola1))
        for n in range(5):
            goal = GoalFactory(
                level=w.unit_goal.level, parent=w.committee_goal, owner=w.skola1,
                mandate_period=w.period, title=f"Mål {n}",
            )  # fmt: skip
            ActivityFactory(goal=goal, start=datetime.date(YEAR, 2, 1))
            w.indicator.goals.add(goal)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(plan_url(w.skola1))

    def test_the_goals_above_are_read_by_their_ids(self):
        # "id IN (parents) OR id IN (SELECT parent_id …)" made PostgreSQL read every goal
        # of the municipality (a seq scan: 1,400 buffers at four times a large one) for
        # the two goals above; their ids come with the own goals' parents.
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        w = self.w
        self.client.force_login(w.editor)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(plan_url(w.skola1))
        self.assertContains(response, w.council_goal.title)  # the grandparent, still shown
        above = [q["sql"] for q in ctx.captured_queries if f"IN ({w.committee_goal.pk}" in q["sql"]
                 or f", {w.committee_goal.pk}" in q["sql"]]  # fmt: skip
        self.assertTrue(above)
        for sql in above:
            self.assertNotIn('OR "goals_goal"."id" IN (SELECT', sql)

    # ----------------------------------------------------------------- role × URL

    def test_role_grid(self):
        w = self.w
        outsider = UserFactory(username="ingen-roll")
        read_urls = [plan_url(w.skola1), plan_url(w.skola1) + "?export=xlsx"]
        # (user, may read, may edit)
        grid = [
            (w.editor, True, True),
            (w.controller, True, True),
            (w.reader, True, False),
            (w.other_editor, True, False),
            (outsider, True, False),
        ]
        for user, may_read, may_edit in grid:
            self.client.force_login(user)
            for url in read_urls:
                self.assertEqual(
                    self.client.get(url).status_code, 200 if may_read else 403, (user, url)
                )
            page = self.client.get(plan_url(w.skola1))
            self.assertEqual(edit_url(w.skola1) in page.content.decode(), may_edit, user)
            self.assertEqual(
                self.client.get(edit_url(w.skola1)).status_code, 200 if may_edit else 403, user
            )
            response = self.client.post(
                edit_url(w.skola1),
                {"basic_mission": f"Av {user.username}", "current_state": "x", "version": 1},
            )
            if may_edit:
                self.assertEqual(response.status_code, 302, user)
                UnitPlan.objects.filter(unit=w.skola1).update(version=1)  # next user's form
            else:
                self.assertEqual(response.status_code, 403, user)
                self.assertNotEqual(
                    UnitPlan.objects.get(unit=w.skola1).basic_mission, f"Av {user.username}"
                )
        self.client.logout()
        for url in [*read_urls, edit_url(w.skola1), plan_url(w.skola1, name="goals:unit_plan_pdf")]:
            self.assertEqual(self.client.get(url).status_code, 302, url)

    # ----------------------------------------------------------------- editing

    def test_an_edit_writes_one_history_row_with_the_editor(self):
        w = self.w
        self.client.force_login(w.editor)
        plan = UnitPlan.objects.get(unit=w.skola1)
        before = plan.history.count()
        response = self.client.post(
            edit_url(w.skola1),
            {
                "basic_mission": "Nytt grunduppdrag",
                "current_state": "Nytt nuläge",
                "version": plan.version,
            },
        )
        self.assertRedirects(response, plan_url(w.skola1))
        plan.refresh_from_db()
        self.assertEqual((plan.basic_mission, plan.version), ("Nytt grunduppdrag", 2))
        self.assertEqual(plan.history.count(), before + 1)
        self.assertEqual(plan.history.first().history_user, w.editor)
        self.assertContains(self.client.get(plan_url(w.skola1)), "Nytt nuläge")

    def test_the_first_plan_of_a_year_is_created(self):
        w = self.w
        self.client.force_login(w.editor)
        response = self.client.post(
            edit_url(w.skola1, 2025), {"basic_mission": "G", "current_state": "N"}
        )
        self.assertEqual(response.status_code, 302)
        plan = UnitPlan.objects.get(unit=w.skola1, year=2025)
        self.assertEqual((plan.current_state, plan.version), ("N", 1))
        self.assertEqual(plan.history.get().history_user, w.editor)

    def test_a_stale_form_is_a_conflict_and_the_saved_text_is_kept(self):
        w = self.w
        plan = UnitPlan.objects.get(unit=w.skola1)
        plan.basic_mission = "Sparat av Cecilia"
        unit_plan_save(plan=plan, user=w.controller, expected_version=plan.version)
        self.client.force_login(w.editor)
        response = self.client.post(
            edit_url(w.skola1), {"basic_mission": "Mitt", "current_state": "Mitt", "version": 1}
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, CONFLICT, status_code=409)
        self.assertContains(response, "Sparat av Cecilia", status_code=409)
        self.assertEqual(UnitPlan.objects.get(unit=w.skola1).basic_mission, "Sparat av Cecilia")

    def test_a_plan_written_while_the_form_had_none_is_a_conflict(self):
        w = self.w
        UnitPlan.objects.create(unit=w.skola1, year=2024, basic_mission="Först")
        self.client.force_login(w.editor)
        response = self.client.post(
            edit_url(w.skola1, 2024), {"basic_mission": "Sen", "current_state": ""}
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(UnitPlan.objects.get(unit=w.skola1, year=2024).basic_mission, "Först")

    def test_bad_input_is_refused_with_a_message_and_nothing_saved(self):
        w = self.w
        self.client.force_login(w.editor)
        plan = UnitPlan.objects.get(unit=w.skola1)
        too_long = "x" * 40_000
        response = self.client.post(
            edit_url(w.skola1),
            {"basic_mission": too_long, "current_state": "ok", "version": plan.version},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Texten är för lång: högst 32767 tecken")
        response = self.client.post(
            edit_url(w.skola1),
            {"basic_mission": "ok", "current_state": "ok", "version": "inte ett tal"},
        )
        self.assertEqual(response.status_code, 200)
        plan.refresh_from_db()
        self.assertEqual(plan.basic_mission, "Grundskola för årskurs 7–9 enligt skollagen.")
        self.assertEqual(plan.version, 1)

    # ----------------------------------------------------------------- PDF, Excel

    def test_the_pdf_is_tagged_for_a_screen_reader(self):
        from tests.pdf_tags import headings_in_order, read_tags

        self.client.force_login(self.w.reader)
        tags = read_tags(
            self.client.get(plan_url(self.w.skola1, name="goals:unit_plan_pdf")).content
        )
        self.assertEqual(tags.lang, "sv")
        self.assertTrue(tags.marked)
        self.assertTrue(headings_in_order(tags.headings), tags.headings)
        self.assertEqual(tags.figures_without_alt, 0)
        self.assertEqual(tags.pages_without_tags, [])

    def test_the_pdf_contains_the_units_goals_and_targets_and_user_text_is_only_text(self):
        w = self.w
        plan = UnitPlan.objects.get(unit=w.skola1)
        plan.current_state = HOSTILE
        plan.save()
        self.client.force_login(w.reader)
        response = self.client.get(plan_url(w.skola1, name="goals:unit_plan_pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(pdf_text(response).split())
        for expected in (
            "Verksamhetsplan 2026",
            w.skola1.name,
            "Grundskola för årskurs 7–9 enligt skollagen.",
            "Fler elever i årskurs 9 ska nå minst godkänt i matematik",
            "Andel elever i åk 9 med godkänt i matematik",
            "Mattecoacher i årskurs 7–9",
        ):
            self.assertIn(expected, text)
        self.assertIn("78,5", text)
        self.assertIn("<script>x</script>", text)
        self.assertIn("file:///etc/passwd", text)

    def test_the_excel_export_has_the_plan_and_user_text_is_never_a_formula(self):
        w = self.w
        plan = UnitPlan.objects.get(unit=w.skola1)
        plan.current_state = HOSTILE
        plan.save()
        self.client.force_login(w.editor)
        response = self.client.get(plan_url(w.skola1) + "?export=xlsx")
        self.assertEqual(response.status_code, 200)
        wb = load_workbook(io.BytesIO(response.content))
        self.assertEqual(
            wb.sheetnames,
            ["Verksamhetsplan", "Mål ovanför", "Egna mål", "Indikatorer", "Aktiviteter", "Uppdrag"],
        )
        about = {row[0]: row[1] for row in wb["Verksamhetsplan"].iter_rows(values_only=True)}
        self.assertEqual(about["Nuläge"], HOSTILE)
        self.assertEqual(wb["Verksamhetsplan"]["B6"].data_type, "s")
        above = [r[2] for r in wb["Mål ovanför"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(above, [w.council_goal.title, w.committee_goal.title])
        own = [r[2] for r in wb["Egna mål"].iter_rows(min_row=2, values_only=True)]
        self.assertIn(w.unit_goal.title, own)
        self.assertNotIn("Ett avslutat mål", own)
        rows = list(wb["Indikatorer"].iter_rows(values_only=True))
        self.assertEqual(rows[0][5], "Målvärde 2026")
        self.assertIn(
            (w.unit_goal.title, w.indicator.name, Decimal("78.5")),
            [(r[0], r[1], Decimal(str(r[5]))) for r in rows[1:]],
        )
        activities = [r[1] for r in wb["Aktiviteter"].iter_rows(min_row=2, values_only=True)]
        self.assertIn("Mattecoacher i årskurs 7–9", activities)
        self.assertNotIn("Avslutad läsinsats 2024", activities)


QUERIES = 12  # with the unit's assignments of the year


class UnitPlanSectionTests(TestCase):
    """Apps built on goals add a section (the assignments do) through
    ``goals.extensions.UNIT_PLAN_SECTIONS``: shown on the screen, in the PDF and as a
    sheet of the Excel export, with its text never a formula."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        from goals.extensions import UNIT_PLAN_SECTIONS

        def assignments(unit, year, user):
            if unit != self.w.skola1:
                return None
            return {
                "key": "risker",
                "title": "Risker",
                "columns": ["Risk", "Status"],
                "rows": [["Utred skolskjutsarna", "Pågår"], ["=1+1", "Ej påbörjat"]],
                "empty": "Inga risker.",
            }

        UNIT_PLAN_SECTIONS.append(assignments)
        self.addCleanup(UNIT_PLAN_SECTIONS.remove, assignments)

    def test_a_registered_section_is_on_the_screen_in_the_pdf_and_in_the_excel_export(self):
        w = self.w
        self.client.force_login(w.reader)
        page = self.client.get(plan_url(w.skola1))
        self.assertContains(page, '<h2 id="section-risker-h">Risker</h2>', html=True)
        self.assertContains(page, "Utred skolskjutsarna")
        self.assertNotContains(self.client.get(plan_url(w.boende1)), "Utred skolskjutsarna")
        text = pdf_text(self.client.get(plan_url(w.skola1, name="goals:unit_plan_pdf")))
        self.assertIn("Utred skolskjutsarna", text)
        wb = load_workbook(io.BytesIO(self.client.get(plan_url(w.skola1) + "?export=xlsx").content))
        rows = list(wb["Risker"].iter_rows(values_only=True))
        self.assertEqual(
            rows,
            [("Risk", "Status"), ("Utred skolskjutsarna", "Pågår"), ("=1+1", "Ej påbörjat")],
        )
        self.assertEqual(wb["Risker"]["A3"].data_type, "s")


class UnitPlanAssignmentTests(TestCase):
    """The unit's assignments (uppdrag) of the year are a section of its verksamhetsplan:
    on the screen, in the PDF and as a sheet of the Excel export."""

    @classmethod
    def setUpTestData(cls):
        from tests.goals.test_assignments import make_assignment

        cls.w = build_world()
        make_assignment(
            cls.w,
            giver=cls.w.bun,
            owner=cls.w.skola1,
            goal=None,
            title="Kartlägg elevernas skolvägar",
            decision_reference="BUN 2026/12",
            decided_on=datetime.date(YEAR, 1, 20),
            due=datetime.date(YEAR, 11, 30),
        )

    def test_the_units_assignments_of_the_year_are_in_its_plan(self):
        w = self.w
        self.client.force_login(w.reader)
        page = self.client.get(plan_url(w.skola1))
        self.assertContains(page, '<h2 id="section-uppdrag-h">Uppdrag</h2>', html=True)
        self.assertContains(page, "Kartlägg elevernas skolvägar")
        self.assertContains(page, "BUN 2026/12")
        self.assertContains(page, f"{YEAR}-11-30")  # due, in the Swedish date format
        other = self.client.get(plan_url(w.skola2))
        self.assertNotContains(other, "Kartlägg elevernas skolvägar")
        self.assertContains(other, f"Enheten har inga uppdrag {YEAR}.")
        text = pdf_text(self.client.get(plan_url(w.skola1, name="goals:unit_plan_pdf")))
        self.assertIn("Kartlägg elevernas skolvägar", text)
        wb = load_workbook(io.BytesIO(self.client.get(plan_url(w.skola1) + "?export=xlsx").content))
        rows = list(wb["Uppdrag"].iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Uppdrag", "Givet av", "Beslut", "Ska vara klart", "Status"))
        self.assertEqual(
            rows[1][:3],
            ("Kartlägg elevernas skolvägar", "Barn- och utbildningsnämnden", "BUN 2026/12"),
        )
