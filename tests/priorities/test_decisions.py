"""Political decisions: who may record them, validation, locking by every path, the
round closing when everything is decided, and adopted satsningar becoming activities."""

import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from goals.models import Activity
from priorities.models import (
    Decision,
    ItemStatus,
    LockedError,
    PriorityItem,
    PriorityRound,
    RoundStatus,
)
from priorities.services import item_decide, item_save, round_start_review
from tests.priorities.helpers import make_item, prio_world, submit


def decision(**overrides):
    data = {
        "decision": "beslutad",
        "decided_on": "2026-06-15",
        "paragraph": "§ 88",
        "reference": "KS 2026/318",
        "note": "",
    }
    data.update(overrides)
    return data


class DecisionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        cls.item = make_item(w.bun_sheet, w.bun_staff, title="Fler lärare",
                             goals=[w.council_goal, w.committee_goal])  # fmt: skip
        cls.other = make_item(w.bun_sheet, w.bun_staff, title="Skolskjuts",
                              kind="neddragning", cost_budget=-400_000)  # fmt: skip
        submit(w.bun_sheet, w.bun_staff)
        rnd = PriorityRound.objects.get()
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)

    def url(self, item=None):
        return reverse("priorities:item_decide", args=[(item or self.item).pk])

    def post(self, user, item=None, **data):
        item = PriorityItem.objects.get(pk=(item or self.item).pk)
        self.client.force_login(user)
        return self.client.post(self.url(item), decision(version=item.version, **data))

    def test_approver_records_a_decision_which_locks_the_item(self):
        response = self.post(self.w.kf_approver)
        self.assertRedirects(response, reverse("priorities:item_detail", args=[self.item.pk]))
        item = PriorityItem.objects.get(pk=self.item.pk)
        self.assertEqual((item.decision, item.decided_on), ("beslutad", datetime.date(2026, 6, 15)))
        self.assertEqual((item.decision_paragraph, item.decided_by), ("§ 88", self.w.kf_approver))
        self.assertEqual(item.history.first().history_user, self.w.kf_approver)
        # Locked: no second decision, no edit through the view, the service or the model.
        self.assertEqual(self.post(self.w.kf_approver, decision="avslagen").status_code, 403)
        self.client.force_login(self.w.controller)
        edit = reverse("priorities:item_edit", args=[item.pk])
        self.assertEqual(self.client.get(edit).status_code, 403)
        with self.assertRaises(LockedError):
            item_decide(item=item, user=self.w.controller, decision="avslagen",
                        decided_on=datetime.date(2026, 7, 1), paragraph="§ 1",
                        expected_version=item.version)  # fmt: skip
        with self.assertRaises(LockedError):
            item_save(item=item, user=self.w.controller, expected_version=item.version)
        item.title = "Ändrad i skalet"
        with self.assertRaises(LockedError):
            item.save()
        self.assertEqual(PriorityItem.objects.get(pk=item.pk).title, "Fler lärare")

    def test_date_and_paragraph_or_reference_are_required_beside_the_fields(self):
        response = self.post(self.w.kf_approver, decided_on="", paragraph="", reference="")
        self.assertContains(response, 'id="id_decided_on_error"')
        self.assertContains(response, 'id="id_paragraph_error"')
        self.assertEqual(PriorityItem.objects.get(pk=self.item.pk).decision, "")

    def test_reader_committee_staff_and_outsiders_cannot_decide(self):
        for user, status in (
            (self.w.reader, 403),
            (self.w.bun_staff, 403),
            (self.w.editor, 404),
            (self.w.other_editor, 404),
        ):
            self.assertEqual(self.post(user).status_code, status, user)
        self.client.logout()
        self.assertEqual(self.client.post(self.url(), decision(version=1)).status_code, 302)
        self.assertEqual(PriorityItem.objects.get(pk=self.item.pk).decision, "")

    def test_stale_decision_is_refused(self):
        self.client.force_login(self.w.kf_approver)
        response = self.client.post(self.url(), decision(version=99), follow=True)
        self.assertContains(response, "har ändrats av någon annan")
        self.assertEqual(PriorityItem.objects.get(pk=self.item.pk).decision, "")

    def test_tabled_item_can_be_decided_later(self):
        self.post(self.w.kf_approver, decision="bordlagd")
        item = PriorityItem.objects.get(pk=self.item.pk)
        self.assertEqual((item.decision, item.status), (Decision.TABLED, ItemStatus.SUBMITTED))
        self.post(self.w.kf_approver, decision="avslagen", decided_on="2026-11-23")
        self.assertEqual(PriorityItem.objects.get(pk=self.item.pk).decision, Decision.REJECTED)

    def test_round_closes_when_all_are_decided_and_then_everything_is_locked(self):
        self.post(self.w.kf_approver, decision="beslutad")
        self.assertEqual(PriorityRound.objects.get().status, RoundStatus.REVIEW)
        response = self.post(self.w.kf_approver, item=self.other, decision="avslagen")
        rnd = PriorityRound.objects.get()
        self.assertEqual(rnd.status, RoundStatus.DECIDED)
        self.assertIsNotNone(rnd.decided_at)
        overview = self.client.get(reverse("priorities:overview", args=[rnd.pk]))
        self.assertContains(overview, "Omgången är avslutad och låst")
        self.assertEqual(response.status_code, 302)
        # A rejected item is not counted against the frame.
        self.assertEqual([r.item.title for r in overview.context["result"].rows], ["Fler lärare"])

    def test_decisions_wait_until_the_round_is_under_review(self):
        w = self.w
        rnd = PriorityRound.objects.get()
        rnd.status = RoundStatus.OPEN
        rnd.save()
        self.assertEqual(self.post(w.kf_approver).status_code, 403)

    def test_adopted_satsning_becomes_activities_under_its_goals(self):
        self.post(self.w.kf_approver, decision="beslutad")
        url = reverse("priorities:item_activities", args=[self.item.pk])
        # The reader may not; the controller may, for the goals it can edit.
        self.client.force_login(self.w.reader)
        self.assertEqual(
            self.client.post(url, {"goals": [self.w.council_goal.pk]}).status_code, 403
        )
        self.client.force_login(self.w.controller)
        page = self.client.get(reverse("priorities:item_detail", args=[self.item.pk]))
        self.assertContains(page, "Skapa aktiviteter under målen")
        goals = [self.w.council_goal.pk, self.w.committee_goal.pk]
        self.client.post(url, {"goals": goals})
        activities = Activity.objects.filter(priority_items=self.item).order_by("goal__level")
        self.assertEqual(
            [a.goal_id for a in activities], [self.w.council_goal.pk, self.w.committee_goal.pk]
        )
        for activity in activities:
            self.assertEqual(activity.owner, self.w.bun)  # the committee carries it out
            self.assertEqual(
                (activity.start, activity.end),
                (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
            )
            self.assertEqual(activity.history.get().history_user, self.w.controller)
        # Once only per goal.
        self.client.post(url, {"goals": goals})
        self.assertEqual(Activity.objects.filter(priority_items=self.item).count(), 2)

    def test_reductions_and_undecided_items_do_not_become_activities(self):
        from priorities.services import item_create_activities

        with self.assertRaises(ValidationError):
            item_create_activities(
                item=self.item, user=self.w.controller, goals=[self.w.council_goal]
            )
        self.post(self.w.kf_approver, item=self.other, decision="beslutad")
        self.client.force_login(self.w.controller)
        url = reverse("priorities:item_activities", args=[self.other.pk])
        self.assertEqual(
            self.client.post(url, {"goals": [self.w.council_goal.pk]}).status_code, 403
        )


class RoundTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = prio_world()

    def test_controller_opens_a_round_with_a_worksheet_per_committee(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("priorities:round_create"),
            {"title": "Budget 2027", "year": "2027", "plan_years": "2", "scope": self.w.kf.pk,
             "resource_frame": "−4 000 000", "deadline": "2027-03-13", "description": ""},
        )  # fmt: skip
        rnd = PriorityRound.objects.get(title="Budget 2027")
        self.assertRedirects(response, reverse("priorities:overview", args=[rnd.pk]))
        self.assertEqual(rnd.resource_frame, -4_000_000)
        self.assertEqual(
            set(rnd.worksheets.values_list("committee__code", flat=True)), {"BUN", "VON"}
        )
        self.assertEqual(rnd.history.get().history_user, self.w.controller)

    def test_bad_frame_is_refused_beside_the_field(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("priorities:round_create"),
            {"title": "X", "year": "2027", "plan_years": "9", "scope": self.w.kf.pk,
             "resource_frame": "mycket"},
        )  # fmt: skip
        self.assertContains(response, 'id="id_resource_frame_error"')
        self.assertContains(response, 'id="id_plan_years_error"')
        self.assertEqual(PriorityRound.objects.count(), 1)

    def test_only_managers_open_rounds_and_send_them_to_review(self):
        review = reverse("priorities:round_review", args=[self.w.round.pk])
        for user in (self.w.reader, self.w.bun_staff, self.w.kf_approver, self.w.editor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("priorities:round_create")).status_code, 403)
            self.assertIn(self.client.post(review, {"version": 1}).status_code, (403, 404))
        self.assertEqual(PriorityRound.objects.get().status, RoundStatus.OPEN)
        self.client.force_login(self.w.controller)
        self.client.post(review, {"version": self.w.round.version})
        self.assertEqual(PriorityRound.objects.get().status, RoundStatus.REVIEW)

    def test_round_list_shows_each_persona_its_worksheets(self):
        self.client.force_login(self.w.bun_staff)
        response = self.client.get(reverse("priorities:round_list"))
        self.assertEqual(
            [ws.committee.code for ws in response.context["rows"][0]["worksheets"]], ["BUN"]
        )
        self.assertFalse(response.context["rows"][0]["can_overview"])
        self.client.force_login(self.w.reader)
        response = self.client.get(reverse("priorities:round_list"))
        self.assertTrue(response.context["rows"][0]["can_overview"])
        self.client.force_login(self.w.other_editor)
        response = self.client.get(reverse("priorities:round_list"))
        self.assertEqual(response.context["rows"][0]["worksheets"], [])
