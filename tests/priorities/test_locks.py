"""A decided proposal is frozen by every path: the service, the screens (with and
without htmx), the admin and the model itself (a shell or a command). Each refusal
says why, leaves the row as it was and writes no history."""

import datetime

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import TestCase
from django.urls import reverse

from ledmot.services import LockedError
from priorities.models import PriorityItem, PriorityRound, RoundStatus
from priorities.services import item_decide, item_delete, item_save, round_start_review
from tests.factories import UserFactory
from tests.priorities.helpers import make_item, prio_world, submit

ADOPTED_MESSAGE = "Förslaget är beslutat (beslutad 2026-11-03, § 45) och kan inte ändras."


def admin_form_data(item: PriorityItem, **changes) -> dict:
    """What the admin's change form posts for ``item``."""
    data = {**model_to_dict(item), "version": item.version}
    data.update(changes)
    post = {}
    for name, value in data.items():
        if value is None or value is False:
            continue
        if isinstance(value, list):
            post[name] = [getattr(v, "pk", v) for v in value]
        elif value is True:
            post[name] = "on"
        else:
            post[name] = value
    return post


class DecidedItemLockTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        cls.adopted = make_item(w.bun_sheet, w.bun_staff, title="Fler lärare")
        cls.waiting = make_item(w.bun_sheet, w.bun_staff, title="Skolskjuts")
        submit(w.bun_sheet, w.bun_staff)
        rnd = PriorityRound.objects.get()
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)
        item = PriorityItem.objects.get(pk=cls.adopted.pk)
        item_decide(item=item, user=w.kf_approver, decision="beslutad",
                    decided_on=datetime.date(2026, 11, 3), paragraph="§ 45",
                    expected_version=item.version)  # fmt: skip
        cls.admin = UserFactory(username="sysadmin", is_staff=True, is_superuser=True)

    def setUp(self):
        self.before = PriorityItem.objects.get(pk=self.adopted.pk)
        self.history = self.before.history.count()

    def assertUnchanged(self):
        item = PriorityItem.objects.get(pk=self.adopted.pk)
        self.assertEqual((item.title, item.version, item.severity, item.decision),
                         (self.before.title, self.before.version, self.before.severity,
                          self.before.decision))  # fmt: skip
        self.assertEqual(item.history.count(), self.history)

    def test_the_service_refuses_and_says_when_and_by_which_paragraph(self):
        item = PriorityItem.objects.get(pk=self.adopted.pk)
        item.title = "Ändrad"
        with self.assertRaises(LockedError) as caught:
            item_save(item=item, user=self.w.controller, expected_version=item.version)
        self.assertEqual(caught.exception.messages, [ADOPTED_MESSAGE])
        self.assertIsInstance(caught.exception, ValidationError)
        with self.assertRaisesMessage(LockedError, ADOPTED_MESSAGE):
            item_delete(item=item, user=self.w.controller)
        with self.assertRaisesMessage(LockedError, ADOPTED_MESSAGE):
            item_decide(item=item, user=self.w.kf_approver, decision="avslagen",
                        decided_on=datetime.date(2026, 12, 1), paragraph="§ 1",
                        expected_version=item.version)  # fmt: skip
        self.assertUnchanged()

    def test_the_model_refuses_a_save_from_a_shell_or_command(self):
        item = PriorityItem.objects.get(pk=self.adopted.pk)
        item.title = "Ändrad i skalet"
        with self.assertRaisesMessage(LockedError, ADOPTED_MESSAGE):
            item.save()
        with self.assertRaisesMessage(LockedError, ADOPTED_MESSAGE):
            item.delete()
        self.assertUnchanged()

    def test_the_fact_sheet_screen_and_its_htmx_panel_refuse(self):
        edit = reverse("priorities:item_edit", args=[self.adopted.pk])
        data = {"kind": "satsning", "title": "Ändrad", "severity": "1", "effect": "1",
                "cost_effect": "4", "evidence": "1", "cost_budget": "0",
                "version": self.before.version}  # fmt: skip
        for user in (self.w.bun_staff, self.w.controller):
            self.client.force_login(user)
            page = self.client.get(edit)
            self.assertContains(page, ADOPTED_MESSAGE, status_code=403)
            self.assertContains(self.client.post(edit, data), ADOPTED_MESSAGE, status_code=403)
            self.assertEqual(
                self.client.post(edit, data, headers={"HX-Request": "true"}).status_code, 403
            )
            delete = reverse("priorities:item_delete", args=[self.adopted.pk])
            self.assertEqual(self.client.post(delete).status_code, 403)
        self.assertUnchanged()

    def test_the_fact_sheet_page_says_why_it_is_locked(self):
        self.client.force_login(self.w.bun_staff)
        response = self.client.get(reverse("priorities:item_detail", args=[self.adopted.pk]))
        self.assertContains(response, ADOPTED_MESSAGE)
        self.assertNotContains(response, reverse("priorities:item_edit", args=[self.adopted.pk]))

    def test_the_admin_shows_a_decided_item_read_only_and_refuses_a_change(self):
        self.client.force_login(self.admin)
        url = reverse("admin:priorities_priorityitem_change", args=[self.adopted.pk])
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="title"')
        response = self.client.post(url, admin_form_data(self.before, title="Ändrad i admin"))
        self.assertEqual(response.status_code, 403)
        delete = reverse("admin:priorities_priorityitem_delete", args=[self.adopted.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertUnchanged()

    def test_the_admin_refuses_a_submitted_item_with_the_services_message(self):
        waiting = PriorityItem.objects.get(pk=self.waiting.pk)
        history = waiting.history.count()
        self.client.force_login(self.admin)
        url = reverse("admin:priorities_priorityitem_change", args=[waiting.pk])
        response = self.client.post(url, admin_form_data(waiting, title="Ändrad i admin"))
        self.assertContains(response, "Förslaget är inlämnat och kan inte ändras.")
        self.assertEqual(PriorityItem.objects.get(pk=waiting.pk).title, "Skolskjuts")
        self.assertEqual(waiting.history.count(), history)


class DecidedRoundLockTests(TestCase):
    """Once every submitted proposal is decided the round is decided: a draft that was
    never submitted is frozen with it."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        rejected = make_item(w.bun_sheet, w.bun_staff, title="Avslås")
        submit(w.bun_sheet, w.bun_staff)
        cls.draft = make_item(w.von_sheet, w.von_staff, title="Aldrig inlämnat")
        rnd = PriorityRound.objects.get()
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)
        item = PriorityItem.objects.get(pk=rejected.pk)
        item_decide(item=item, user=w.kf_approver, decision="avslagen",
                    decided_on=datetime.date(2026, 11, 3), reference="KS 2026/1",
                    expected_version=item.version)  # fmt: skip
        cls.rejected = item
        cls.admin = UserFactory(username="sysadmin", is_staff=True, is_superuser=True)

    def test_the_round_is_decided_and_its_items_refuse_every_write(self):
        self.assertEqual(PriorityRound.objects.get().status, RoundStatus.DECIDED)
        draft = PriorityItem.objects.get(pk=self.draft.pk)
        history = draft.history.count()
        draft.title = "Ändrad"
        message = (
            "Omgången ”Prioriteringar inför budget 2026” är beslutad och avslutad. "
            "Dess förslag kan inte ändras."
        )
        with self.assertRaisesMessage(LockedError, message):
            item_save(item=draft, user=self.w.von_staff, expected_version=draft.version)
        with self.assertRaisesMessage(LockedError, message):
            draft.save()
        rejected = PriorityItem.objects.get(pk=self.rejected.pk)
        with self.assertRaisesMessage(
            LockedError, "Förslaget är avslaget (avslagen 2026-11-03, KS 2026/1)"
        ):
            item_save(item=rejected, user=self.w.controller, expected_version=rejected.version)
        self.client.force_login(self.w.von_staff)
        edit = reverse("priorities:item_edit", args=[draft.pk])
        self.assertEqual(
            self.client.post(edit, {"title": "Ändrad", "kind": "satsning"}).status_code, 403
        )
        self.client.force_login(self.admin)
        url = reverse("admin:priorities_priorityitem_change", args=[draft.pk])
        stored = PriorityItem.objects.get(pk=draft.pk)
        self.assertEqual(
            self.client.post(url, admin_form_data(stored, title="Ändrad")).status_code, 403
        )
        round_url = reverse(
            "admin:priorities_priorityround_change", args=[stored.worksheet.round_id]
        )
        self.assertEqual(self.client.post(round_url, {"title": "Ny"}).status_code, 403)
        self.assertEqual(PriorityItem.objects.get(pk=draft.pk).title, "Aldrig inlämnat")
        self.assertEqual(draft.history.count(), history)
        self.assertEqual(PriorityRound.objects.get().title, "Prioriteringar inför budget 2026")


class AdminWritesThroughTheServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        cls.item = make_item(w.bun_sheet, w.bun_staff, title="Läxhjälp", goals=[w.council_goal])
        cls.admin = UserFactory(username="sysadmin", is_staff=True, is_superuser=True)

    def test_a_draft_changed_in_the_admin_gets_its_suggested_rank_and_one_history_row(self):
        item = PriorityItem.objects.get(pk=self.item.pk)
        self.assertEqual(item.suggested_rank, 4)  # severity 3, effect 4, cost 2, evidence 3
        history = item.history.count()
        self.client.force_login(self.admin)
        url = reverse("admin:priorities_priorityitem_change", args=[item.pk])
        response = self.client.post(
            url, admin_form_data(item, severity=4, effect=5, cost_effect=1, evidence=4)
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        item = PriorityItem.objects.get(pk=item.pk)
        self.assertEqual(item.suggested_rank, 1)
        self.assertEqual(item.suggested_rank, item.compute_suggested_rank())
        self.assertEqual(item.history.count(), history + 1)
        self.assertEqual(item.history.first().history_user, self.admin)
        self.assertEqual(list(item.goals.all()), [self.w.council_goal])

    def test_an_own_rank_without_a_reason_is_refused_in_the_admin_with_the_forms_message(self):
        item = PriorityItem.objects.get(pk=self.item.pk)
        self.client.force_login(self.admin)
        url = reverse("admin:priorities_priorityitem_change", args=[item.pk])
        response = self.client.post(url, admin_form_data(item, rank=9))
        self.assertContains(
            response, "Motivera varför nämndens rang (9) skiljer sig från den föreslagna (4)."
        )
        self.assertIsNone(PriorityItem.objects.get(pk=item.pk).rank)

    def test_a_round_added_in_the_admin_is_opened_with_its_worksheets(self):
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("admin:priorities_priorityround_add"),
            {
                "title": "Omgång från admin",
                "year": "2027",
                "plan_years": "1",
                "scope": self.w.kf.pk,
                "resource_frame": "1000000",
                "deadline": "",
                "description": "",
            },  # fmt: skip
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        rnd = PriorityRound.objects.get(title="Omgång från admin")
        self.assertEqual(rnd.worksheets.count(), self.w.round.worksheets.count())
        self.assertEqual(rnd.history.get().history_user, self.admin)
