"""Odd input on the priority screens (issue 11 point 4), as property tests: random text,
amounts and dates through HTTP as the person who may save; never a 500, and what is
stored is exactly what was accepted (see tests/odd_input.py)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from hypothesis import given
from hypothesis.extra.django import TestCase

from ledmot.lib.limits import FIRST_PLAN_YEAR, LAST_YEAR, MAX_KRONOR, date_ok
from priorities.models import PriorityItem, PriorityRound
from priorities.services import round_start_review
from tests.odd_input import (
    DATES,
    NUMBERS,
    PROPERTY,
    assert_stored_as_accepted,
    expected,
    text_for,
)
from tests.priorities.helpers import make_item, prio_world, submit
from tests.priorities.test_decisions import decision
from tests.priorities.test_worksheet import form_data


def round_data(rnd: PriorityRound, **overrides):
    data = {
        "title": rnd.title,
        "year": rnd.year,
        "plan_years": rnd.plan_years,
        "resource_frame": rnd.resource_frame,
        "deadline": "",
        "description": rnd.description,
        "version": rnd.version,
    }
    data.update(overrides)
    return data


class PriorityFormsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = prio_world()
        cls.item = make_item(cls.w.bun_sheet, cls.w.bun_staff, title="Läxhjälp")

    @PROPERTY
    @given(
        title=text_for(PriorityItem, "title"),
        description=text_for(PriorityItem, "description"),
        risks=text_for(PriorityItem, "risks"),
        consequences_children=text_for(PriorityItem, "consequences_children"),
    )
    def test_fact_sheet_text(self, **posted):
        before = PriorityItem.objects.get(pk=self.item.pk)
        self.client.force_login(self.w.bun_staff)
        response = self.client.post(
            reverse("priorities:item_edit", args=[before.pk]),
            form_data(**posted, version=before.version),
        )
        after = PriorityItem.objects.get(pk=before.pk)
        assert_stored_as_accepted(response, PriorityItem, before, after, posted, required={"title"})

    @PROPERTY
    @given(cost_budget=NUMBERS, cost_plan1=NUMBERS, staff=NUMBERS)
    def test_fact_sheet_amounts(self, cost_budget, cost_plan1, staff):
        before = PriorityItem.objects.get(pk=self.item.pk)
        self.client.force_login(self.w.bun_staff)
        response = self.client.post(
            reverse("priorities:item_edit", args=[before.pk]),
            form_data(
                cost_budget=cost_budget, cost_plan1=cost_plan1, staff=staff, version=before.version
            ),
        )
        assert response.status_code in (200, 302)
        after = PriorityItem.objects.get(pk=before.pk)
        if response.status_code == 302:
            for amount in (after.cost_budget, after.cost_plan1):
                assert amount is None or abs(amount) < MAX_KRONOR
            assert after.staff is None or abs(after.staff) < Decimal(10**6)
        else:
            assert (after.cost_budget, after.cost_plan1, after.staff) == (
                before.cost_budget,
                before.cost_plan1,
                before.staff,
            )

    @PROPERTY
    @given(
        title=text_for(PriorityRound, "title"),
        description=text_for(PriorityRound, "description"),
    )
    def test_round_text(self, **posted):
        before = PriorityRound.objects.get(pk=self.w.round.pk)
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("priorities:round_edit", args=[before.pk]), round_data(before, **posted)
        )
        after = PriorityRound.objects.get(pk=before.pk)
        assert_stored_as_accepted(
            response, PriorityRound, before, after, posted, required={"title"}
        )

    @PROPERTY
    @given(resource_frame=NUMBERS, year=NUMBERS, deadline=DATES)
    def test_round_numbers_and_dates(self, resource_frame, year, deadline):
        before = PriorityRound.objects.get(pk=self.w.round.pk)
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("priorities:round_edit", args=[before.pk]),
            round_data(before, resource_frame=resource_frame, year=year, deadline=deadline),
        )
        assert response.status_code in (200, 302)
        after = PriorityRound.objects.get(pk=before.pk)
        if response.status_code == 302:
            # A negative frame is a savings requirement (the field's help text).
            assert abs(after.resource_frame) < MAX_KRONOR
            assert FIRST_PLAN_YEAR <= after.year <= LAST_YEAR
            assert after.deadline is None or date_ok(after.deadline)
        else:
            assert (after.resource_frame, after.year, after.deadline) == (
                before.resource_frame,
                before.year,
                before.deadline,
            )


class DecisionFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        cls.item = make_item(w.bun_sheet, w.bun_staff, title="Fler lärare")
        submit(w.bun_sheet, w.bun_staff)
        rnd = PriorityRound.objects.get()
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)

    @PROPERTY
    @given(
        decided_on=DATES,
        paragraph=text_for(PriorityItem, "decision_paragraph"),
        note=text_for(PriorityItem, "decision_note"),
    )
    def test_decision(self, decided_on, paragraph, note):
        before = PriorityItem.objects.get(pk=self.item.pk)
        self.client.force_login(self.w.kf_approver)
        response = self.client.post(
            reverse("priorities:item_decide", args=[before.pk]),
            decision(decided_on=decided_on, paragraph=paragraph, note=note, version=before.version),
        )
        assert response.status_code in (200, 302)
        after = PriorityItem.objects.get(pk=before.pk)
        if response.status_code == 302:
            assert date_ok(after.decided_on)
            assert after.decided_on.isoformat() == expected(decided_on)
            posted = {"decision_paragraph": paragraph, "decision_note": note}
            assert_stored_as_accepted(response, PriorityItem, before, after, posted)
        else:
            assert (after.decision, after.decided_on) == (before.decision, before.decided_on)
