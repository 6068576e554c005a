"""Röda tråden: the chain page, its htmx branches, filters and query counts."""

from django.test import TestCase
from django.urls import reverse

from goals.models import Goal, GoalLevel, GoalStatus
from tests.conftest import build_world
from tests.factories import ActivityFactory, GoalFactory, OrgUnitFactory

CHAIN = reverse("goals:chain")


class ChainPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(CHAIN)
        self.assertRedirects(response, f"{reverse('login')}?next={CHAIN}")

    def test_reader_sees_vision_and_council_goals_grouped_by_perspective(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(CHAIN)
        self.assertContains(response, self.w.vision.text)
        self.assertContains(response, self.w.council_goal.title)
        self.assertContains(response, '<h2 id="persp-', count=1)
        self.assertContains(response, "Medborgare")
        # Committee goals are folded away until asked for.
        self.assertNotContains(response, self.w.committee_goal.title)

    def test_row_shows_owner_lifecycle_and_counts(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(CHAIN)
        self.assertContains(response, "Ägare: Kommunfullmäktige")
        self.assertContains(response, "Antaget")
        self.assertContains(response, "1 nämndmål")
        self.assertContains(response, "0 indikatorer")

    def test_council_goal_without_indicator_is_flagged(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(CHAIN)
        self.assertContains(response, "Saknar indikator")

    def test_committee_filter_shows_that_committees_breakdown_only(self):
        GoalFactory(
            level=GoalLevel.COMMITTEE,
            parent=self.w.council_goal,
            owner=self.w.von,
            mandate_period=self.w.period,
            title="Omsorgens eget nämndmål",
        )
        self.client.force_login(self.w.reader)
        response = self.client.get(CHAIN, {"namnd": "BUN"})
        self.assertContains(response, self.w.committee_goal.title)
        self.assertNotContains(response, "Omsorgens eget nämndmål")

    def test_committee_filter_says_where_the_committee_has_no_goal(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(CHAIN, {"namnd": "VON"})
        self.assertContains(response, "Vård- och omsorgsnämnden har inget mål under detta mål.")

    def test_perspective_filter_hides_other_perspectives(self):
        from goals.models import Perspective

        economy = Perspective.objects.get(name="Ekonomi")
        GoalFactory(
            owner=self.w.kf,
            mandate_period=self.w.period,
            perspective=economy,
            title="God ekonomisk hushållning",
        )
        self.client.force_login(self.w.reader)
        response = self.client.get(CHAIN, {"perspektiv": economy.pk})
        self.assertContains(response, "God ekonomisk hushållning")
        self.assertNotContains(response, self.w.council_goal.title)

    def test_open_without_javascript_shows_children_and_activities(self):
        self.client.force_login(self.w.reader)
        w = self.w
        response = self.client.get(
            CHAIN, {"oppna": [w.council_goal.pk, w.committee_goal.pk, w.unit_goal.pk]}
        )
        self.assertContains(response, w.committee_goal.title)
        self.assertContains(response, w.unit_goal.title)
        self.assertContains(response, w.activity.title)

    def test_proposed_goal_is_hidden_from_reader_of_other_unit(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.get(
            CHAIN, {"oppna": [self.w.council_goal.pk, self.w.committee_goal.pk]}
        )
        self.assertContains(response, self.w.unit_goal.title)
        self.assertNotContains(response, self.w.proposed_goal.title)

    def test_editor_of_the_unit_sees_its_proposal(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(
            CHAIN, {"oppna": [self.w.council_goal.pk, self.w.committee_goal.pk]}
        )
        self.assertContains(response, self.w.proposed_goal.title)

    def test_broken_chain_is_flagged(self):
        w = self.w
        w.committee_goal.status = GoalStatus.ENDED
        w.committee_goal.save()
        self.client.force_login(w.reader)
        response = self.client.get(CHAIN, {"oppna": [w.council_goal.pk, w.committee_goal.pk]})
        self.assertContains(response, "Bruten kedja")

    def test_user_text_is_escaped(self):
        GoalFactory(
            owner=self.w.kf, mandate_period=self.w.period, title="<script>alert('x')</script>"
        )
        self.client.force_login(self.w.reader)
        response = self.client.get(CHAIN)
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert")


class BranchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self, goal):
        return reverse("goals:goal_branch", args=[goal.pk])

    def test_htmx_branch_returns_children_fragment(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.get(self.url(self.w.committee_goal), headers={"HX-Request": "true"})
        self.assertContains(response, self.w.unit_goal.title)
        self.assertNotContains(response, "<html")
        self.assertNotContains(response, self.w.proposed_goal.title)

    def test_branch_of_unit_goal_lists_its_activities(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url(self.w.unit_goal), headers={"HX-Request": "true"})
        self.assertContains(response, self.w.activity.title)

    def test_without_htmx_the_branch_link_opens_the_chain_page_down_to_the_goal(self):
        w = self.w
        self.client.force_login(w.reader)
        response = self.client.get(self.url(w.committee_goal))
        self.assertRedirects(
            response,
            f"{CHAIN}?period=2023&oppna={w.council_goal.pk}&oppna={w.committee_goal.pk}"
            f"#mal-{w.committee_goal.pk}",
            fetch_redirect_response=False,
        )
        page = self.client.get(response["Location"].split("#")[0])
        self.assertContains(page, w.unit_goal.title)

    def test_branch_of_hidden_proposal_is_404_for_other_editor(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.get(self.url(self.w.proposed_goal), headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 404)

    def test_anonymous_gets_no_fragment(self):
        response = self.client.get(self.url(self.w.council_goal), headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 302)


def _grow(w, committees=3, goals_per=4, units_per=3):
    """Add more of everything, to prove query counts do not grow with the tree."""
    for c in range(committees):
        committee = OrgUnitFactory(kind="namnd", parent=w.kf, name=f"Nämnd {c}")
        units = [OrgUnitFactory(parent=committee, name=f"Enhet {c}-{u}") for u in range(units_per)]
        for _ in range(goals_per):
            council = GoalFactory(owner=w.kf, mandate_period=w.period)
            cg = GoalFactory(
                level=GoalLevel.COMMITTEE, parent=council, owner=committee, mandate_period=w.period
            )
            for unit in units:
                ug = GoalFactory(
                    level=GoalLevel.UNIT, parent=cg, owner=unit, mandate_period=w.period
                )
                ActivityFactory(goal=ug)


class ChainQueryCountTests(TestCase):
    """The chain page costs the same number of queries whatever the size of the tree."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def _count(self, params):
        self.client.force_login(self.w.reader)
        self.client.get(CHAIN, params)  # warm the session
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(CHAIN, params)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_query_count_is_pinned_at_two_sizes(self):
        small_default = self._count({})
        small_committee = self._count({"namnd": "BUN"})
        _grow(self.w)
        self.assertGreater(Goal.objects.count(), 40)
        # Session, user and roles; the filters' lists (periods with their visions,
        # perspectives, committees) in one query (goals.chain._filter_lists); the
        # goals, then their counts in one grouped query (goals.models.goals.
        # attach_counts); with a committee the council goals and the open branches
        # come in the same query. One more: the person's unread notices (followup's
        # start_notices, goals.extensions.START_NOTICES). One more: the open
        # assignments (issue 15), a bounded section.
        self.assertEqual(small_default, 8)
        self.assertEqual(small_committee, 8)
        self.assertEqual(self._count({}), small_default)
        self.assertEqual(self._count({"namnd": "BUN"}), small_committee)

    def test_branch_query_count_is_constant(self):
        self.client.force_login(self.w.reader)
        url = reverse("goals:goal_branch", args=[self.w.committee_goal.pk])
        # session, user, roles, goal, children, their counts, activities
        with self.assertNumQueries(7):
            self.client.get(url, headers={"HX-Request": "true"})
        for n in range(10):
            GoalFactory(
                level=GoalLevel.UNIT,
                parent=self.w.committee_goal,
                owner=self.w.skola2,
                mandate_period=self.w.period,
                title=f"Extra {n}",
            )
        with self.assertNumQueries(7):
            self.client.get(url, headers={"HX-Request": "true"})


COUNTS = (
    "child_count",
    "activity_count",
    "indicator_count",
    "assessed_count",
    "met_count",
    "partly_count",
)


class ChainCountsTests(TestCase):
    """The chain's counts come from one grouped query over the goals shown
    (goals.models.goals.attach_counts) and equal the per-row annotations."""

    @classmethod
    def setUpTestData(cls):
        from decimal import Decimal

        from goals.models import Measurement, Target
        from goals.services import indicator_refresh_latest
        from tests.factories import IndicatorFactory

        cls.w = w = build_world()
        _grow(w, committees=2, goals_per=2, units_per=2)
        # Indicators met, partly met, not met and without a value, on goals of every level.
        cases = [("higher", 80, 80), ("higher", 73, 80), ("lower", 7, 6), ("target", 93, 100)]
        goals = list(Goal.objects.order_by("pk"))
        for n, goal in enumerate(goals):
            direction, value, target = cases[n % len(cases)]
            for k in range(n % 3):
                ind = IndicatorFactory(responsible_unit=w.kf, direction=direction, goals=[goal])
                if k:
                    Measurement.objects.create(indicator=ind, period="2025", value=Decimal(value))
                    Target.objects.create(indicator=ind, year=2025, value=Decimal(target))
                indicator_refresh_latest({ind.pk})
            for _ in range(n % 2):
                ActivityFactory(goal=goal)
        GoalFactory(
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=w.von,
            mandate_period=w.period,
            status=GoalStatus.PROPOSED,
            title="Omsorgens förslag",
        )

    def test_counts_equal_the_per_row_annotations_for_every_user(self):
        for user in (self.w.reader, self.w.editor, self.w.other_editor, self.w.controller):
            expected = {
                g.pk: tuple(getattr(g, n) for n in COUNTS)
                for g in Goal.objects.visible_to(user).with_counts(user).with_proposal()
            }
            got = {g.pk: tuple(getattr(g, n) for n in COUNTS) for g in Goal.objects.for_chain(user)}
            self.assertEqual(got, expected)
            self.assertTrue(any(c[0] for c in got.values()))
            self.assertTrue(any(c[1] for c in got.values()))
            self.assertTrue(any(c[3] for c in got.values()))
            self.assertTrue(any(c[4] for c in got.values()))
            self.assertTrue(any(c[5] for c in got.values()))

    def test_counts_are_the_same_when_the_goals_are_counted_in_slices(self):
        """A chain export holds every goal: the counts query is cut in slices to stay
        under the databases' parameter limits, with the same numbers."""
        from unittest import mock  # noqa: TID251 - patching one module constant

        from goals.models import goals as goal_models

        user = self.w.controller
        whole = {g.pk: tuple(getattr(g, n) for n in COUNTS) for g in Goal.objects.for_chain(user)}
        with mock.patch.object(goal_models, "COUNT_SLICE", 1):
            sliced = {
                g.pk: tuple(getattr(g, n) for n in COUNTS) for g in Goal.objects.for_chain(user)
            }
        self.assertEqual(sliced, whole)
        self.assertGreater(len(whole), 1)

    def test_chain_page_counts_with_one_grouped_query_not_per_row(self):
        """The goals' query holds no count; the counts are one query over the shown ids."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.w.reader)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(CHAIN, {"namnd": "BUN"})
        self.assertContains(response, "1 nämndmål")
        # The goals' query is raw SQL (goals.chain._chain_goals): it selects g.title.
        goal_queries = [q["sql"] for q in ctx.captured_queries if "g.title" in q["sql"]]
        self.assertEqual(len(goal_queries), 1)
        self.assertNotIn("COUNT(", goal_queries[0])
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
        self.assertEqual(len(counts), 1)


class ChainFilterListsTests(TestCase):
    """The filters' lists and the vision, read in one query (goals.chain._filter_lists):
    every period newest first with its own vision, only active perspectives and only
    active committees and companies."""

    @classmethod
    def setUpTestData(cls):
        import datetime

        from goals.models import Perspective
        from ledmot.models import OrgKind
        from tests.factories import MandatePeriodFactory

        cls.w = w = build_world()
        w.vision.decision_reference = "KF 2022/301 § 12"
        w.vision.decided_on = datetime.date(2023, 1, 30)
        w.vision.save()
        MandatePeriodFactory(start_year=2027, end_year=2030)  # no vision yet
        Perspective.objects.create(name="Nedlagt perspektiv", active=False)
        OrgUnitFactory(
            name="Nedlagda nämnden", code="NED", kind=OrgKind.COMMITTEE, parent=w.kf, active=False
        )
        OrgUnitFactory(name="Åsbacka Energi AB", code="ENERGI", kind=OrgKind.COMPANY, parent=w.kf)

    def setUp(self):
        self.client.force_login(self.w.reader)

    def test_the_chosen_period_shows_its_vision_with_the_decision(self):
        page = self.client.get(CHAIN, {"period": "2023"})
        self.assertContains(page, self.w.vision.text)
        self.assertContains(page, "Beslut: KF 2022/301 § 12, 30 januari 2023")
        self.assertContains(page, '<option value="2023" selected>2023–2026</option>', html=True)
        self.assertContains(page, '<option value="2027">2027–2030</option>', html=True)
        # Newest first.
        html = page.content.decode()
        self.assertLess(html.index('value="2027"'), html.index('value="2023"'))

    def test_a_period_without_a_vision_says_so(self):
        page = self.client.get(CHAIN, {"period": "2027"})
        self.assertContains(page, "Ingen vision är beslutad för mandatperioden.")
        self.assertNotContains(page, self.w.vision.text)
        self.assertContains(page, '<option value="2027" selected>2027–2030</option>', html=True)

    def test_only_active_perspectives_committees_and_companies_are_offered(self):
        page = self.client.get(CHAIN, {"namnd": "ENERGI"})
        self.assertContains(page, "Medborgare")
        self.assertNotContains(page, "Nedlagt perspektiv")
        self.assertNotContains(page, "Nedlagda nämnden")
        self.assertContains(
            page, '<option value="BUN">Barn- och utbildningsnämnden</option>', html=True
        )
        self.assertContains(
            page, '<option value="ENERGI" selected>Åsbacka Energi AB</option>', html=True
        )
        # A committee that is no longer active is no filter.
        self.assertContains(
            self.client.get(CHAIN, {"namnd": "NED"}),
            '<option value="" >Alla nämnder</option>',
            html=True,
        )


class ChainAssignmentsTests(TestCase):
    """Röda tråden's assignments section (goals.assignments.chain_assignments): the open
    assignments the council gave, or with a committee those of the committee and its
    units, by due date, at most 20 and a link to the rest."""

    @classmethod
    def setUpTestData(cls):
        import datetime

        from goals.models import AssignmentStatus
        from tests.goals.test_assignments import make_assignment

        cls.w = w = build_world()
        day = datetime.date(2099, 6, 30)
        make_assignment(w, title="Utred fler platser i fritidshem", due=day)
        make_assignment(
            w,
            giver=w.bun,
            owner=w.skola1,
            goal=None,
            title="Skolans egen kartläggning",
            decided_on=datetime.date(2019, 5, 2),
            due=datetime.date(2020, 1, 31),
        )
        make_assignment(w, owner=w.von, goal=None, title="Omsorgens uppdrag", due=day)
        make_assignment(
            w, title="Redan genomfört", status=AssignmentStatus.DONE, due=day, goal=None
        )

    def setUp(self):
        self.client.force_login(self.w.reader)

    def test_a_committees_own_and_its_units_open_assignments(self):
        page = self.client.get(CHAIN, {"namnd": "BUN"})
        self.assertContains(page, "Uppdrag till Barn- och utbildningsnämnden")
        html = page.content.decode()
        section = html[html.index('id="chain-assignments"') :]
        self.assertIn("Utred fler platser i fritidshem</a> – Barn- och utbildningsnämnden", section)
        self.assertIn(f"(Mål: {self.w.council_goal.title})", section)
        self.assertIn("Skolans egen kartläggning</a> – Ekbackens skola", section)
        self.assertIn("Försenat", section)  # due 2020
        self.assertNotIn("Omsorgens uppdrag", section)
        self.assertNotIn("Redan genomfört", section)
        # By due date: the overdue one first.
        self.assertLess(section.index("Skolans egen"), section.index("Utred fler"))
        self.assertIn("Till uppdragen", section)

    def test_without_a_committee_the_councils_assignments(self):
        page = self.client.get(CHAIN)
        self.assertContains(page, "Kommunfullmäktiges uppdrag")
        self.assertContains(page, "Utred fler platser i fritidshem")
        self.assertContains(page, "Omsorgens uppdrag")
        self.assertNotContains(page, "Skolans egen kartläggning")  # given by the committee
        self.assertNotContains(page, "Redan genomfört")

    def test_at_most_twenty_and_a_link_to_all(self):
        import datetime

        from tests.goals.test_assignments import make_assignment

        for n in range(20):
            make_assignment(
                self.w, title=f"Extra uppdrag {n:02}", goal=None, due=datetime.date(2098, 1, 1)
            )
        page = self.client.get(CHAIN, {"namnd": "BUN"})
        self.assertContains(page, "Extra uppdrag", count=19)  # the overdue one comes first
        self.assertContains(page, "Alla uppdrag")
        self.assertNotContains(page, "Utred fler platser i fritidshem")
