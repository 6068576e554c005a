"""Odd input on the follow-up screens (issue 11 point 4), as property tests: random
text and dates through HTTP as the person who may save; never a 500, and what is
stored is exactly what was accepted (see tests/odd_input.py)."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from followup.models import FollowUpRound, GoalAssessment, Report, RoundKind
from followup.wheel_models import WheelStep
from ledmot.lib.limits import date_ok
from tests.conftest import build_world
from tests.followup.helpers import open_round
from tests.followup.test_wheel import step_data
from tests.odd_input import DATES, PROPERTY, assert_stored_as_accepted, expected, text_for


def posted_assessment_form(context):
    """The assessment form that came back with the report page (the one posted)."""
    return next(i["form"] for i in context["items"] if i["form"] is not None)


class FollowUpFormsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)
        cls.report = Report.objects.get(round=cls.rnd, org_unit=cls.w.skola1)
        cls.assessment = cls.report.assessments.get(goal=cls.w.unit_goal)
        cls.step = WheelStep.objects.create(
            year=2026, title="Tertialrapport 1", kind="tertial", start="2026-05-20"
        )

    @PROPERTY
    @given(
        analysis=text_for(GoalAssessment, "analysis"),
        measures=text_for(GoalAssessment, "measures"),
    )
    def test_assessment(self, **posted):
        before = GoalAssessment.objects.get(pk=self.assessment.pk)
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("followup:assessment_edit", args=[self.report.pk, before.pk]),
            {"chosen": before.chosen, "justification": "", "version": before.version, **posted},
        )
        after = GoalAssessment.objects.get(pk=before.pk)
        assert_stored_as_accepted(
            response, GoalAssessment, before, after, posted, form=posted_assessment_form
        )

    @PROPERTY
    @given(title=text_for(WheelStep, "title"), description=text_for(WheelStep, "description"))
    def test_wheel_step(self, **posted):
        before = WheelStep.objects.get(pk=self.step.pk)
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("followup:wheel_step_edit", args=[before.pk]),
            step_data(**posted, start="2026-05-20", end="", version=before.version),
        )
        after = WheelStep.objects.get(pk=before.pk)
        assert_stored_as_accepted(response, WheelStep, before, after, posted, required={"title"})

    @PROPERTY
    @given(
        period_end=DATES,
        deadline=st.one_of(st.just(""), DATES),
        council_date=st.one_of(st.just(""), DATES),
    )
    def test_round_dates(self, period_end, deadline, council_date):
        self.client.force_login(self.w.controller)
        count = FollowUpRound.objects.count()
        response = self.client.post(
            reverse("followup:round_create"),
            {
                "kind": RoundKind.objects.get(name="Tertialrapport").pk,
                "period_end": period_end,
                "deadline": deadline,
                "council_date": council_date,
            },
        )
        assert response.status_code in (200, 302)
        event(f"HTTP {response.status_code}")
        if response.status_code == 302:
            rnd = FollowUpRound.objects.latest("pk")
            for day in (rnd.period_end, rnd.deadline, rnd.council_date):
                assert day is None or date_ok(day)
            assert rnd.period_end.isoformat() == expected(period_end)
        else:
            assert FollowUpRound.objects.count() == count
