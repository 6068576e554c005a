"""Planera <år>: the next year's or mandate period's plan built from this one."""

import datetime
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from goals.models import (
    Activity,
    ActivityStatus,
    Assignment,
    Goal,
    GoalLevel,
    GoalStatus,
    MandatePeriod,
    PlanStatus,
    Target,
    YearPlan,
    YearPlanJob,
)
from goals.planning import build_plan
from goals.planning_jobs import year_plan_job_run
from tests.conftest import build_world


def plan_url(year):
    return reverse("goals:plan_year", args=[year])


def snapshot():
    """Every row of the year before as it stands, with its history."""
    return {
        "goals": sorted(Goal.objects.values_list("pk", "title", "status", "parent_id", "version")),
        "goal_history": Goal.history.count(),
        "activities": sorted(
            Activity.objects.values_list("pk", "goal_id", "status", "start", "end")
        ),
        "targets": sorted(Target.objects.values_list("indicator_id", "year", "value")),
    }


class PlanningTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        w = cls.w
        cls.ended = Goal.objects.create(
            level=GoalLevel.UNIT,
            parent=w.committee_goal,
            owner=w.skola2,
            mandate_period=w.period,
            perspective=w.unit_goal.perspective,
            title="Ett mål som redan är avslutat",
            status=GoalStatus.ENDED,
        )
        w.activity.start = datetime.date(2026, 1, 10)
        w.activity.end = datetime.date(2026, 12, 15)
        w.activity.status = ActivityStatus.IN_PROGRESS
        w.activity.save()
        cls.done = Activity.objects.create(
            goal=w.unit_goal, owner=w.skola1, title="Klar aktivitet", status=ActivityStatus.DONE
        )
        Target.objects.create(indicator=w.indicator, year=2025, value=Decimal("70"))
        Target.objects.create(indicator=w.indicator, year=2026, value=Decimal("75"))

    def setUp(self):
        self.client.force_login(self.w.controller)

    def create_plan(self, year, *, follow=False):
        """Confirm the plan: the background job runs when the request commits (the
        immediate backend, as in the demo); ``follow``: then the page."""
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(plan_url(year), {"action": "create"})
        return self.client.get(plan_url(year)) if follow else response


class ScreenTests(PlanningTestCase):
    def test_controller_sees_every_live_goal_with_its_default(self):
        response = self.client.get(plan_url(2027), {"grupp": str(self.w.bun.pk)})
        self.assertContains(response, "Planera 2027")
        self.assertContains(response, "Ny mandatperiod")
        self.assertContains(response, self.w.unit_goal.title)
        self.assertContains(response, self.w.proposed_goal.title)
        self.assertNotContains(response, self.ended.title)
        self.assertContains(
            response, f'name="val-{self.w.unit_goal.pk}" value="continue" checked', html=False
        )

    def test_council_goals_are_the_first_group(self):
        response = self.client.get(plan_url(2027))
        self.assertContains(response, self.w.council_goal.title)
        self.assertNotContains(response, self.w.unit_goal.title)

    def test_the_periods_page_offers_next_years_plan_to_the_controller_only(self):
        from django.utils import timezone

        link = plan_url(timezone.localdate().year + 1)
        self.assertContains(self.client.get(reverse("goals:periods")), link)
        self.client.force_login(self.w.reader)
        self.assertNotContains(self.client.get(reverse("goals:periods")), link)

    def test_others_are_refused(self):
        for user in (self.w.editor, self.w.reader, self.w.other_editor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(plan_url(2027)).status_code, 403)
            self.assertEqual(
                self.client.post(plan_url(2027), {"action": "create"}).status_code, 403
            )
        self.assertFalse(YearPlan.objects.exists())
        self.assertFalse(MandatePeriod.objects.filter(start_year=2027).exists())

    def test_anonymous_is_sent_to_sign_in(self):
        self.client.logout()
        self.assertEqual(self.client.get(plan_url(2027)).status_code, 302)

    def test_ending_the_committee_goal_shows_the_broken_chains_in_the_preview(self):
        self.client.post(
            plan_url(2027), {"action": "save", f"val-{self.w.committee_goal.pk}": "end"}
        )
        response = self.client.get(plan_url(2027))
        self.assertContains(response, "Kedjor som bryts")
        self.assertEqual(response.context["counts"]["broken"], 2)
        self.assertEqual(response.context["counts"]["end"], 1)

    def test_a_goal_not_met_suggests_revision(self):
        from followup.models import GoalAssessment, Report, ReportStatus
        from tests.followup.helpers import open_round

        rnd = open_round(self.w)
        report = Report.objects.get(round=rnd, org_unit=self.w.skola1)
        GoalAssessment.objects.filter(report=report, goal=self.w.unit_goal).update(chosen="not_met")
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
        row = next(r for r in build_plan(2027).rows if r.pk == self.w.unit_goal.pk)
        self.assertEqual(row.choice, "revise")
        self.assertEqual(row.assessment, "not_met")


class MandateBoundaryTests(PlanningTestCase):
    def create(self):
        return self.create_plan(2027)

    def test_confirming_creates_drafts_linked_to_their_predecessors(self):
        before = snapshot()
        response = self.create()
        self.assertRedirects(response, plan_url(2027) + "#plan-job", fetch_redirect_response=False)
        period = MandatePeriod.objects.get(start_year=2027)
        self.assertEqual(period.end_year, 2030)
        self.assertEqual(
            list(period.years.values_list("year", flat=True)), [2027, 2028, 2029, 2030]
        )
        new = {g.predecessor_id: g for g in Goal.objects.filter(mandate_period=period)}
        w = self.w
        self.assertEqual(
            set(new), {w.council_goal.pk, w.committee_goal.pk, w.unit_goal.pk, w.proposed_goal.pk}
        )
        self.assertTrue(all(g.status == GoalStatus.PROPOSED for g in new.values()))
        # The chain is rebuilt in the new period.
        self.assertEqual(new[w.committee_goal.pk].parent_id, new[w.council_goal.pk].pk)
        self.assertEqual(new[w.unit_goal.pk].parent_id, new[w.committee_goal.pk].pk)
        self.assertFalse(
            Goal.objects.filter(mandate_period=period).with_chain_state().filter(chain_broken=True)
        )
        # Indicators measure the new goals, next year's target from the latest one.
        self.assertIn(new[w.unit_goal.pk], w.indicator.goals.all())
        link_history = w.indicator.history.first()
        self.assertEqual(link_history.history_user, w.controller)
        self.assertIn(new[w.unit_goal.pk].pk, {g.goal_id for g in link_history.goals.all()})
        self.assertEqual(Target.objects.get(indicator=w.indicator, year=2027).value, Decimal("75"))
        # The open activity continues in 2027, the done one does not.
        moved = Activity.objects.get(predecessor=w.activity)
        self.assertEqual(moved.goal, new[w.unit_goal.pk])
        self.assertEqual(
            (moved.start, moved.end), (datetime.date(2027, 1, 10), datetime.date(2027, 12, 15))
        )
        self.assertEqual(moved.status, ActivityStatus.NOT_STARTED)
        self.assertFalse(Activity.objects.filter(predecessor=self.done).exists())
        # History: each new goal has one row by the controller.
        history = new[w.unit_goal.pk].history.get()
        self.assertEqual(history.history_user, w.controller)
        # Nothing of 2026 changed.
        after = snapshot()
        self.assertEqual(
            [p for p in after["goals"] if p[0] in {g[0] for g in before["goals"]}], before["goals"]
        )
        self.assertTrue(set(before["activities"]) <= set(after["activities"]))
        self.assertTrue(set(before["targets"]) <= set(after["targets"]))
        self.assertEqual(YearPlan.objects.get(year=2027).status, PlanStatus.CREATED)

    def test_running_it_twice_creates_nothing_twice(self):
        self.create()
        counts = (Goal.objects.count(), Activity.objects.count(), Target.objects.count())
        links = self.w.indicator.goals.count()
        history = Goal.history.count()
        response = self.create()
        self.assertRedirects(response, plan_url(2027) + "#plan-job", fetch_redirect_response=False)
        self.assertEqual(
            (Goal.objects.count(), Activity.objects.count(), Target.objects.count()), counts
        )
        self.assertEqual(self.w.indicator.goals.count(), links)
        self.assertEqual(Goal.history.count(), history)
        self.assertEqual(MandatePeriod.objects.filter(start_year=2027).count(), 1)

    def test_a_goal_ended_leaves_its_children_with_a_broken_chain(self):
        self.client.post(plan_url(2027), {"action": "save", f"val-{self.w.council_goal.pk}": "end"})
        self.create()
        period = MandatePeriod.objects.get(start_year=2027)
        self.assertFalse(Goal.objects.filter(predecessor=self.w.council_goal).exists())
        broken = dict(
            Goal.objects.filter(mandate_period=period)
            .with_chain_state()
            .values_list("predecessor_id", "chain_broken")
        )
        self.assertEqual(broken[self.w.committee_goal.pk], True)
        self.assertEqual(broken[self.w.unit_goal.pk], True)
        # The old council goal is not ended until the plan is adopted.
        self.assertEqual(Goal.objects.get(pk=self.w.council_goal.pk).status, GoalStatus.ADOPTED)

    def test_adoption_needs_a_decision_and_then_adopts_the_drafts(self):
        self.create()
        response = self.client.post(plan_url(2027), {"action": "adopt"}, follow=True)
        self.assertContains(response, "Ange beslutet")
        self.assertFalse(Goal.objects.filter(mandate_period__start_year=2027, status="adopted"))
        response = self.client.post(
            plan_url(2027),
            {"action": "adopt", "decision_reference": "KS 2026/99", "decided_on": "2026-11-20"},
            follow=True,
        )
        self.assertContains(response, "Planen för 2027 är antagen: 4 mål.")
        new = Goal.objects.filter(mandate_period__start_year=2027)
        self.assertEqual(set(new.values_list("status", flat=True)), {GoalStatus.ADOPTED})
        self.assertEqual(set(new.values_list("decision_reference", flat=True)), {"KS 2026/99"})
        self.assertEqual(new.first().history.first().history_user, self.w.controller)
        # Adopted: the choices and the creation are closed.
        response = self.create_plan(2027, follow=True)
        self.assertContains(response, "redan antagen")

    def test_a_too_long_decision_reference_is_refused_and_nothing_adopted(self):
        self.create()
        response = self.client.post(
            plan_url(2027),
            {"action": "adopt", "decision_reference": "K" * 61, "decided_on": "2026-11-20"},
            follow=True,
        )
        self.assertContains(response, "som mest 60 tecken")
        self.assertFalse(Goal.objects.filter(mandate_period__start_year=2027, status="adopted"))
        self.assertEqual(YearPlan.objects.get(year=2027).status, PlanStatus.CREATED)

    def test_the_goal_page_shows_its_history_across_periods(self):
        self.create()
        new = Goal.objects.get(predecessor=self.w.unit_goal)
        response = self.client.get(reverse("goals:goal_detail", args=[new.pk]))
        self.assertContains(response, "2023–2026")
        self.assertContains(response, reverse("goals:goal_detail", args=[self.w.unit_goal.pk]))
        response = self.client.get(reverse("goals:goal_detail", args=[self.w.unit_goal.pk]))
        self.assertContains(response, reverse("goals:goal_detail", args=[new.pk]))


class NextYearInsidePeriodTests(PlanningTestCase):
    def test_next_year_keeps_the_goals_and_carries_targets_and_activities(self):
        Target.objects.filter(year=2026).delete()
        before_goals = Goal.objects.count()
        self.client.post(
            plan_url(2026),
            {"action": "save", f"val-{self.w.unit_goal.pk}": "revise"},
        )
        self.create_plan(2026)
        # Only the revised goal gets a draft successor, in the same period.
        self.assertEqual(Goal.objects.count(), before_goals + 1)
        draft = Goal.objects.get(predecessor=self.w.unit_goal)
        self.assertEqual(draft.mandate_period, self.w.period)
        self.assertEqual(draft.parent, self.w.committee_goal)
        self.assertEqual(Target.objects.get(indicator=self.w.indicator, year=2026).value, 70)
        self.client.post(
            plan_url(2026),
            {"action": "adopt", "decision_paragraph": "§ 12", "decided_on": "2025-11-20"},
        )
        self.assertEqual(Goal.objects.get(pk=self.w.unit_goal.pk).status, GoalStatus.REVISED)
        self.assertEqual(Goal.objects.get(pk=draft.pk).status, GoalStatus.ADOPTED)


class MandateMappingTests(PlanningTestCase):
    """Across a mandate boundary each committee goal kept is mapped to a council goal of
    the new period on the screen; the default is its old parent's successor."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        cls.next_period = MandatePeriod.objects.create(start_year=2027, end_year=2030)
        cls.new_council_goal = Goal.objects.create(
            level=GoalLevel.COUNCIL,
            owner=w.kf,
            mandate_period=cls.next_period,
            perspective=w.council_goal.perspective,
            title="Alla unga ska ha en meningsfull fritid",
            status=GoalStatus.ADOPTED,
        )
        cls.other_committee_goal = Goal.objects.create(
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=w.von,
            mandate_period=w.period,
            perspective=w.council_goal.perspective,
            title="Fler äldre ska känna sig trygga",
            status=GoalStatus.ADOPTED,
        )

    def test_the_screen_offers_the_new_periods_council_goals_for_committee_goals(self):
        response = self.client.get(plan_url(2027), {"grupp": str(self.w.bun.pk)})
        self.assertContains(response, f'name="parent-{self.w.committee_goal.pk}"')
        self.assertContains(response, "Efterträdaren till det gamla målet")
        self.assertContains(response, self.new_council_goal.title)
        # A unit goal follows its committee goal: nothing to pick.
        self.assertNotContains(response, f'name="parent-{self.w.unit_goal.pk}"')

    def test_a_mapped_goal_goes_under_the_picked_council_goal_the_other_follows_its_parent(self):
        w = self.w
        self.client.post(
            plan_url(2027),
            {"action": "save", f"parent-{w.committee_goal.pk}": str(self.new_council_goal.pk)},
        )
        response = self.client.get(plan_url(2027), {"grupp": str(w.bun.pk)})
        self.assertContains(
            response, f'<option value="{self.new_council_goal.pk}" selected>', html=False
        )
        self.create_plan(2027)
        mapped = Goal.objects.get(predecessor=w.committee_goal)
        self.assertEqual(mapped.parent, self.new_council_goal)
        default = Goal.objects.get(predecessor=self.other_committee_goal)
        self.assertEqual(default.parent, Goal.objects.get(predecessor=w.council_goal))
        # The unit goal follows its committee goal's successor.
        self.assertEqual(Goal.objects.get(predecessor=w.unit_goal).parent, mapped)
        self.assertFalse(
            Goal.objects.filter(mandate_period=self.next_period)
            .with_chain_state()
            .filter(chain_broken=True)
        )

    def test_a_committee_goal_mapped_keeps_its_chain_when_its_old_parent_ends(self):
        w = self.w
        self.client.post(
            plan_url(2027),
            {
                "action": "save",
                f"val-{w.council_goal.pk}": "end",
                f"parent-{w.committee_goal.pk}": str(self.new_council_goal.pk),
            },
        )
        plan = build_plan(2027)
        rows = {r.pk: r for r in plan.rows}
        self.assertFalse(rows[w.committee_goal.pk].breaks)
        self.assertTrue(rows[self.other_committee_goal.pk].breaks)

    def test_a_goal_that_is_not_a_council_goal_of_the_new_period_is_refused(self):
        w = self.w
        response = self.client.post(
            plan_url(2027),
            {"action": "save", f"parent-{w.committee_goal.pk}": str(w.council_goal.pk)},
            follow=True,
        )
        self.assertContains(response, "Välj ett av fullmäktiges mål i mandatperioden 2027–2030.")
        self.assertEqual(YearPlan.objects.filter(year=2027).exclude(parents={}).count(), 0)


class ChildrenFollowTheRevisedGoalTests(PlanningTestCase):
    """Inside a period, when a revised goal's successor is adopted, the goals under the
    old goal move to the successor, with history."""

    def test_the_children_move_to_the_successor_on_adoption(self):
        w = self.w
        history_before = w.unit_goal.history.count()
        self.client.post(plan_url(2026), {"action": "save", f"val-{w.committee_goal.pk}": "revise"})
        self.create_plan(2026)
        draft = Goal.objects.get(predecessor=w.committee_goal)
        # Not before the adoption.
        self.assertEqual(Goal.objects.get(pk=w.unit_goal.pk).parent_id, w.committee_goal.pk)
        response = self.client.post(
            plan_url(2026),
            {"action": "adopt", "decision_paragraph": "§ 12", "decided_on": "2025-11-20"},
            follow=True,
        )
        self.assertContains(response, "Planen för 2026 är antagen")
        moved = Goal.objects.get(pk=w.unit_goal.pk)
        self.assertEqual(moved.parent, draft)
        self.assertEqual(moved.version, w.unit_goal.version + 1)
        self.assertEqual(Goal.objects.get(pk=w.proposed_goal.pk).parent, draft)
        last = moved.history.first()
        self.assertEqual((last.history_user, last.parent_id), (w.controller, draft.pk))
        self.assertEqual(last.history_change_reason, "Antagen plan 2026")
        self.assertEqual(moved.history.count(), history_before + 1)
        self.assertEqual(Goal.objects.get(pk=w.committee_goal.pk).status, GoalStatus.REVISED)
        self.assertFalse(
            Goal.objects.filter(pk__in=[w.unit_goal.pk, draft.pk])
            .with_chain_state()
            .filter(chain_broken=True)
        )
        # The unit goal's page shows the new parent.
        response = self.client.get(reverse("goals:goal_detail", args=[moved.pk]))
        self.assertContains(response, reverse("goals:goal_detail", args=[draft.pk]))

    def test_a_child_that_is_ended_stays_where_it_was(self):
        w = self.w
        self.client.post(
            plan_url(2026),
            {
                "action": "save",
                f"val-{w.committee_goal.pk}": "revise",
                f"val-{w.unit_goal.pk}": "end",
            },
        )
        self.create_plan(2026)
        self.client.post(
            plan_url(2026),
            {"action": "adopt", "decision_paragraph": "§ 12", "decided_on": "2025-11-20"},
        )
        ended = Goal.objects.get(pk=w.unit_goal.pk)
        self.assertEqual((ended.status, ended.parent_id), ("ended", w.committee_goal.pk))


class AssignmentsCarriedTests(PlanningTestCase):
    """Assignments not done are carried into the next plan or ended, like goals."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from tests.goals.test_assignments import make_assignment

        w = cls.w
        cls.carried = make_assignment(
            w, owner=w.skola1, giver=w.bun, goal=w.unit_goal, title="Starta läsecirklar"
        )
        cls.ended_one = make_assignment(w, title="Utred skolskjutsarna", goal=None)
        cls.done = make_assignment(w, title="Redan klart uppdrag", status="done")

    def test_the_screen_lists_the_open_ones_with_continue_by_default(self):
        response = self.client.get(plan_url(2027))
        self.assertContains(response, "Starta läsecirklar")
        self.assertContains(response, "Utred skolskjutsarna")
        self.assertNotContains(response, "Redan klart uppdrag")
        self.assertContains(
            response, f'name="uppdrag-{self.carried.pk}" value="continue" checked', html=False
        )

    def test_carried_ones_follow_their_goal_and_ended_ones_will_not_be_done(self):
        self.client.post(plan_url(2027), {"action": "save", f"uppdrag-{self.ended_one.pk}": "end"})
        response = self.client.get(plan_url(2027))
        self.assertContains(
            response, f'name="uppdrag-{self.ended_one.pk}" value="end" checked', html=False
        )
        self.create_plan(2027)
        # Nothing changes before the adoption.
        self.assertEqual(Assignment.objects.get(pk=self.carried.pk).goal_id, self.w.unit_goal.pk)
        self.assertEqual(Assignment.objects.get(pk=self.ended_one.pk).status, "not_started")
        self.client.post(
            plan_url(2027),
            {"action": "adopt", "decision_reference": "KS 2026/99", "decided_on": "2026-11-20"},
        )
        carried = Assignment.objects.get(pk=self.carried.pk)
        self.assertEqual(carried.goal, Goal.objects.get(predecessor=self.w.unit_goal))
        self.assertEqual(carried.status, "not_started")
        self.assertEqual(carried.history.first().history_user, self.w.controller)
        ended = Assignment.objects.get(pk=self.ended_one.pk)
        self.assertEqual(ended.status, "wont_do")
        self.assertEqual(Assignment.objects.get(pk=self.done.pk).status, "done")
        # The carried one is in the unit's verksamhetsplan for 2027.
        response = self.client.get(reverse("goals:unit_plan", args=[self.w.skola1.pk, 2027]))
        self.assertContains(response, "Starta läsecirklar")


class PlanJobTests(PlanningTestCase):
    """Confirming starts a background job (like the report PDF): the page shows its
    progress, then what it created; a second click starts no second job; a refusal is
    shown in Swedish."""

    def test_the_page_shows_the_queued_job_then_the_result(self):
        with self.captureOnCommitCallbacks(execute=False):
            response = self.client.post(plan_url(2027), {"action": "create"})
            self.client.post(plan_url(2027), {"action": "create"})  # a second click
        self.assertRedirects(response, plan_url(2027) + "#plan-job", fetch_redirect_response=False)
        job = YearPlanJob.objects.get()  # one job for both clicks
        self.assertEqual((job.year, job.created_by), (2027, self.w.controller))
        self.assertFalse(Goal.objects.filter(mandate_period__start_year=2027).exists())
        poll = reverse("goals:plan_year_job", args=[2027, job.pk])
        page = self.client.get(plan_url(2027))
        self.assertContains(page, "I kö – arbetet startar strax.")
        self.assertContains(page, f'hx-get="{poll}"')
        self.assertNotContains(page, "Skapa planen för 2027 som utkast")
        fragment = self.client.get(poll, headers={"HX-Request": "true"})
        self.assertContains(fragment, "I kö")
        self.assertNotContains(fragment, "<html")
        # The worker runs it.
        self.assertTrue(year_plan_job_run(job))
        fragment = self.client.get(poll, headers={"HX-Request": "true"})
        self.assertContains(fragment, "Klar.")
        self.assertContains(
            fragment,
            "Planen för 2027 är skapad som utkast: 4 nya mål, 1 målvärden och 1 aktiviteter.",
        )
        self.assertNotContains(fragment, "hx-get")  # finished: no more polling
        self.assertEqual(Goal.objects.filter(mandate_period__start_year=2027).count(), 4)
        page = self.client.get(plan_url(2027))
        self.assertContains(page, "Skapad som utkast – inte antagen")
        # Without htmx the job's address leads to the page.
        self.assertRedirects(
            self.client.get(poll), plan_url(2027) + "#plan-job", fetch_redirect_response=False
        )

    def test_a_second_job_creates_nothing_twice(self):
        self.create_plan(2027)
        counts = (Goal.objects.count(), Activity.objects.count(), Target.objects.count())
        page = self.create_plan(2027, follow=True)
        self.assertEqual(YearPlanJob.objects.count(), 2)
        self.assertContains(page, "0 nya mål, 0 målvärden och 0 aktiviteter")
        self.assertEqual(
            (Goal.objects.count(), Activity.objects.count(), Target.objects.count()), counts
        )

    def test_a_refusal_is_shown_in_swedish_and_nothing_is_created(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(plan_url(2030), {"action": "create"})
        job = YearPlanJob.objects.get(year=2030)
        self.assertEqual(job.status, "failed")
        page = self.client.get(plan_url(2030))
        self.assertContains(page, "Misslyckades:")
        self.assertContains(page, "Det finns ingen mandatperiod för 2029.")
        self.assertFalse(MandatePeriod.objects.filter(start_year__gte=2027).exists())

    def test_only_a_period_manager_follows_the_job(self):
        self.create_plan(2027)
        job = YearPlanJob.objects.get()
        poll = reverse("goals:plan_year_job", args=[2027, job.pk])
        for user in (self.w.reader, self.w.editor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(poll, headers={"HX-Request": "true"}).status_code, 403)
        self.client.force_login(self.w.controller)
        other = reverse("goals:plan_year_job", args=[2028, job.pk])
        self.assertEqual(self.client.get(other, headers={"HX-Request": "true"}).status_code, 404)
