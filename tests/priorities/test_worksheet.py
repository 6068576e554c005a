"""A committee's worksheet: the table, writing fact sheets (with and without htmx),
validation beside the field, optimistic locking, history, and submitting."""

from django.test import TestCase
from django.urls import reverse

from priorities.models import (
    Decision,
    ItemIndicator,
    ItemStatus,
    PriorityItem,
    PriorityRound,
    RoundStatus,
    Worksheet,
    WorksheetStatus,
)
from priorities.services import round_start_review
from tests.priorities.helpers import make_item, prio_world, submit

HX = {"HX-Request": "true"}


def form_data(**overrides):
    data = {
        "kind": "satsning",
        "title": "Fler lärare i lågstadiet",
        "description": "Två lärare till i årskurs 1–3.",
        "target_group": "Elever i årskurs 1–3",
        "situation": "Stora klasser.",
        "severity": "3",
        "effect": "4",
        "cost_effect": "2",
        "evidence": "3",
        "cost_budget": "1 250 000",
        "cost_plan1": "1 300 000",
        "cost_plan2": "1 350 000",
        "cost_type": "varaktig",
        "staff": "2,0",
        "rank": "",
        "rank_reason": "",
    }
    data.update(overrides)
    return data


class WorksheetPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = prio_world()
        cls.item = make_item(cls.w.bun_sheet, cls.w.bun_staff, title="Läxhjälp <script>x</script>")
        cls.url = reverse("priorities:worksheet", args=[cls.w.round.pk, "BUN"])

    def test_committee_staff_sees_the_table_with_add_and_edit(self):
        self.client.force_login(self.w.bun_staff)
        response = self.client.get(self.url)
        self.assertContains(response, "Läxhjälp &lt;script&gt;x&lt;/script&gt;")
        self.assertNotContains(response, "<script>x</script>")
        self.assertContains(
            response, reverse("priorities:item_create", args=[self.w.round.pk, "BUN"])
        )
        self.assertContains(response, reverse("priorities:item_edit", args=[self.item.pk]))
        self.assertContains(response, "1\u00a0000\u00a0000\u00a0kr")

    def test_reader_reads_without_edit_links(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, reverse("priorities:item_edit", args=[self.item.pk]))
        self.assertNotContains(response, "Lämna in arbetsbladet</button>")

    def test_unit_editor_and_other_committee_get_404_and_anonymous_is_sent_to_login(self):
        for user in (self.w.editor, self.w.other_editor, self.w.von_staff):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404, user)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_sorting_by_cost_descending_and_the_htmx_table_fragment(self):
        make_item(self.w.bun_sheet, self.w.bun_staff, title="Dyrt", cost_budget=9_000_000)
        self.client.force_login(self.w.bun_staff)
        response = self.client.get(self.url, {"sort": "-kostnad"})
        titles = [i.title for i in response.context["items"]]
        self.assertEqual(titles[0], "Dyrt")
        self.assertContains(response, 'aria-sort="descending"')
        fragment = self.client.get(self.url, {"sort": "rubrik", "del": "tabell"}, headers=HX)
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, 'id="item-table"')

    def test_query_count_is_constant(self):
        self.client.force_login(self.w.bun_staff)
        self.client.get(self.url)
        with self.assertNumQueries(5):
            self.client.get(self.url)
        for n in range(8):
            make_item(self.w.bun_sheet, self.w.bun_staff, title=f"Förslag {n}")
        with self.assertNumQueries(5):
            self.client.get(self.url)


class FactSheetFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = prio_world()
        cls.create_url = reverse("priorities:item_create", args=[cls.w.round.pk, "BUN"])

    def test_staff_adds_a_fact_sheet_with_goals_and_indicators(self):
        self.client.force_login(self.w.bun_staff)
        data = form_data(
            goals=[self.w.council_goal.pk, self.w.committee_goal.pk],
            indicator_0=self.w.indicator.pk,
            direction_0="up",
        )
        response = self.client.post(self.create_url, data)
        self.assertRedirects(
            response, reverse("priorities:worksheet", args=[self.w.round.pk, "BUN"])
        )
        item = PriorityItem.objects.get()
        self.assertEqual(item.cost_budget, 1_250_000)
        self.assertEqual(item.cost_plan2, 1_350_000)
        self.assertEqual(item.suggested_rank, 4)  # 14 points
        self.assertEqual(set(item.goals.all()), {self.w.council_goal, self.w.committee_goal})
        self.assertEqual(
            list(ItemIndicator.objects.values_list("indicator", "direction")),
            [(self.w.indicator.pk, "up")],
        )
        # One "created" history record, by the editor, holding the goals.
        record = item.history.get()
        self.assertEqual((record.history_type, record.history_user), ("+", self.w.bun_staff))
        self.assertEqual(record.goals.count(), 2)

    def test_htmx_form_and_save_swap_the_worksheet(self):
        self.client.force_login(self.w.bun_staff)
        form = self.client.get(self.create_url, headers=HX)
        self.assertContains(form, 'id="factsheet-form"')
        self.assertNotContains(form, "<html")
        response = self.client.post(self.create_url, form_data(), headers=HX)
        self.assertEqual(response["HX-Retarget"], "#worksheet-body")
        self.assertContains(response, "Fler lärare i lågstadiet")
        self.assertContains(response, "klart för inlämning")

    def test_a_cost_that_is_not_a_number_is_refused_beside_the_field(self):
        self.client.force_login(self.w.bun_staff)
        response = self.client.post(self.create_url, form_data(cost_budget="en miljon"))
        self.assertContains(response, 'id="id_cost_budget_error"')
        self.assertContains(response, "Skriv beloppet i hela kronor")
        self.assertFalse(PriorityItem.objects.exists())

    def test_a_rank_out_of_range_is_refused_beside_the_field(self):
        self.client.force_login(self.w.bun_staff)
        for bad in ("11", "0", "tre"):
            response = self.client.post(self.create_url, form_data(rank=bad), headers=HX)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["HX-Retarget"], "#factsheet-panel")
            self.assertContains(response, 'id="id_rank_error"')
            self.assertContains(response, "från 1 till 10")
        self.assertFalse(PriorityItem.objects.exists())

    def test_a_rank_that_differs_from_the_suggestion_needs_a_reason(self):
        self.client.force_login(self.w.bun_staff)
        response = self.client.post(self.create_url, form_data(rank="1"))
        self.assertContains(response, 'id="id_rank_reason_error"')
        self.client.post(self.create_url, form_data(rank="1", rank_reason="Lagkrav."))
        self.assertEqual(PriorityItem.objects.get().rank, 1)

    def test_ready_check_requires_severity_effect_evidence_and_cost_beside_the_fields(self):
        self.client.force_login(self.w.bun_staff)
        data = form_data(severity="", effect="", evidence="", cost_budget="", klar="1")
        response = self.client.post(self.create_url, data)
        for name in ("severity", "effect", "evidence", "cost_budget"):
            self.assertContains(response, f'id="id_{name}_error"')
        self.assertFalse(PriorityItem.objects.exists())
        # A plain save keeps it as an incomplete draft.
        self.client.post(self.create_url, {k: v for k, v in data.items() if k != "klar"})
        item = PriorityItem.objects.get()
        self.assertEqual(set(item.missing()), {"severity", "effect", "evidence", "cost_budget"})
        # The check link from the worksheet shows the same messages, saving nothing.
        check = self.client.get(reverse("priorities:item_edit", args=[item.pk]), {"klar": "1"})
        self.assertContains(check, 'id="id_severity_error"')
        self.assertContains(check, "Det här saknas innan faktabladet kan lämnas in")

    def test_the_ready_check_and_the_submission_give_the_same_messages(self):
        # One definition of a complete fact sheet (priorities.rules.fact_sheet_missing):
        # the form beside the fields, the item and the worksheet's submission agree.
        item = make_item(self.w.bun_sheet, self.w.bun_staff, title="Halvfärdig", severity=None,
                         effect=None, description="")  # fmt: skip
        self.client.force_login(self.w.bun_staff)
        check = self.client.get(reverse("priorities:item_edit", args=[item.pk]), {"klar": "1"})
        form = check.context["form"]
        beside = {name: form.errors[name][0] for name in form.errors}
        self.assertEqual(beside, {k: str(v) for k, v in item.missing().items()})
        self.assertEqual(beside["severity"], "Välj svårighetsgrad.")
        self.assertEqual(beside["description"], "Beskriv förslaget.")
        submit_url = reverse("priorities:worksheet_submit", args=[self.w.round.pk, "BUN"])
        sheet = Worksheet.objects.get(pk=self.w.bun_sheet.pk)
        response = self.client.post(submit_url, {"version": sheet.version}, follow=True)
        for message in beside.values():
            self.assertContains(response, message)

    def test_stale_edit_is_refused_with_the_conflict_shown(self):
        item = make_item(self.w.bun_sheet, self.w.bun_staff, title="Original")
        url = reverse("priorities:item_edit", args=[item.pk])
        self.client.force_login(self.w.bun_staff)
        self.client.post(url, form_data(title="Först", version=item.version))
        response = self.client.post(url, form_data(title="Sen", version=item.version))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Någon annan har sparat", status_code=409)
        self.assertEqual(PriorityItem.objects.get().title, "Först")

    def test_one_edit_writes_one_history_record_with_the_user(self):
        item = make_item(self.w.bun_sheet, self.w.bun_staff, title="Original")
        self.client.force_login(self.w.controller)
        before = item.history.count()
        self.client.post(
            reverse("priorities:item_edit", args=[item.pk]),
            form_data(title="Ändrad", version=item.version, goals=[self.w.council_goal.pk]),
        )
        self.assertEqual(item.history.count(), before + 1)
        latest = item.history.first()
        self.assertEqual((latest.title, latest.history_user), ("Ändrad", self.w.controller))
        self.assertEqual(
            list(latest.goals.values_list("goal", flat=True)), [self.w.council_goal.pk]
        )

    def test_reader_unit_editor_and_other_committee_cannot_write(self):
        item = make_item(self.w.bun_sheet, self.w.bun_staff, title="Original")
        edit = reverse("priorities:item_edit", args=[item.pk])
        self.client.force_login(self.w.reader)
        self.assertEqual(self.client.post(self.create_url, form_data()).status_code, 403)
        self.assertEqual(self.client.post(edit, form_data(version=1)).status_code, 403)
        for user in (self.w.editor, self.w.other_editor, self.w.von_staff):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.create_url, form_data()).status_code, 404)
            self.assertEqual(self.client.post(edit, form_data(version=1)).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.post(self.create_url, form_data()).status_code, 302)
        self.assertEqual(PriorityItem.objects.get().title, "Original")

    def test_draft_can_be_deleted_by_staff_only(self):
        item = make_item(self.w.bun_sheet, self.w.bun_staff)
        url = reverse("priorities:item_delete", args=[item.pk])
        self.client.force_login(self.w.reader)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.w.bun_staff)
        self.client.post(url)
        self.assertFalse(PriorityItem.objects.exists())


class SubmitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = prio_world()

    def url(self):
        return reverse("priorities:worksheet_submit", args=[self.w.round.pk, "BUN"])

    def test_incomplete_fact_sheet_stops_the_whole_worksheet(self):
        make_item(self.w.bun_sheet, self.w.bun_staff, title="Komplett")
        make_item(self.w.bun_sheet, self.w.bun_staff, title="Halvfärdig", severity=None)
        self.client.force_login(self.w.bun_staff)
        response = self.client.post(self.url(), {"version": self.w.bun_sheet.version}, follow=True)
        self.assertContains(response, "Halvfärdig: Välj svårighetsgrad.")
        self.assertContains(response, "?klar=1")
        self.assertFalse(PriorityItem.objects.filter(status=ItemStatus.SUBMITTED).exists())
        self.assertEqual(
            Worksheet.objects.get(pk=self.w.bun_sheet.pk).status, WorksheetStatus.DRAFT
        )

    def test_submitting_locks_the_items(self):
        item = make_item(self.w.bun_sheet, self.w.bun_staff)
        self.client.force_login(self.w.bun_staff)
        self.client.post(self.url(), {"version": self.w.bun_sheet.version})
        sheet = Worksheet.objects.get(pk=self.w.bun_sheet.pk)
        self.assertEqual(
            (sheet.status, sheet.submitted_by), (WorksheetStatus.SUBMITTED, self.w.bun_staff)
        )
        item.refresh_from_db()
        self.assertEqual(item.status, ItemStatus.SUBMITTED)
        self.assertEqual(item.history.first().history_change_reason, "Inlämnad")
        edit = reverse("priorities:item_edit", args=[item.pk])
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.assertEqual(self.client.post(edit, form_data(version=item.version)).status_code, 403)
        create = reverse("priorities:item_create", args=[self.w.round.pk, "BUN"])
        self.assertEqual(self.client.post(create, form_data()).status_code, 403)

    def test_stale_submit_is_refused(self):
        make_item(self.w.bun_sheet, self.w.bun_staff)
        self.client.force_login(self.w.bun_staff)
        response = self.client.post(self.url(), {"version": 99}, follow=True)
        self.assertContains(response, "har ändrats av någon annan")
        self.assertFalse(PriorityItem.objects.filter(status=ItemStatus.SUBMITTED).exists())

    def test_reader_and_outsiders_cannot_submit(self):
        make_item(self.w.bun_sheet, self.w.bun_staff)
        for user, status in ((self.w.reader, 403), (self.w.editor, 404), (self.w.von_staff, 404)):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.url(), {"version": 1}).status_code, status)
        self.assertFalse(PriorityItem.objects.filter(status=ItemStatus.SUBMITTED).exists())

    def test_referred_back_item_is_completed_and_submitted_again_under_review(self):
        from priorities.services import item_decide

        item = make_item(self.w.bun_sheet, self.w.bun_staff)
        submit(self.w.bun_sheet, self.w.bun_staff)
        round_start_review(
            rnd=self.w.round, user=self.w.controller, expected_version=self.w.round.version
        )
        item.refresh_from_db()
        item_decide(
            item=item, user=self.w.kf_approver, decision=Decision.REFERRED_BACK,
            decided_on="2026-06-15", paragraph="§ 88", expected_version=item.version,
        )  # fmt: skip
        item.refresh_from_db()
        self.assertEqual(item.status, ItemStatus.DRAFT)
        self.client.force_login(self.w.bun_staff)
        edit = reverse("priorities:item_edit", args=[item.pk])
        self.client.post(edit, form_data(title="Kompletterat", version=item.version))
        self.client.post(
            self.url(), {"version": Worksheet.objects.get(pk=self.w.bun_sheet.pk).version}
        )
        item.refresh_from_db()
        self.assertEqual(
            (item.status, item.decision, item.title), (ItemStatus.SUBMITTED, "", "Kompletterat")
        )
        self.assertEqual(self.w.round.__class__.objects.get().status, RoundStatus.REVIEW)


class MalformedVersionTests(TestCase):
    """A version that is not a number (a tampered or broken form) is refused with a
    message, never a server error, and nothing changes."""

    @classmethod
    def setUpTestData(cls):
        cls.w = prio_world()
        make_item(cls.w.bun_sheet, cls.w.bun_staff, title="Läxhjälp")

    def test_submitting_the_worksheet(self):
        self.client.force_login(self.w.bun_staff)
        url = reverse("priorities:worksheet_submit", args=[self.w.round.pk, "BUN"])
        response = self.client.post(url, {"version": "abc"}, follow=True)
        self.assertContains(
            response, "Arbetsbladet har ändrats av någon annan. Läs det och försök igen."
        )
        sheet = Worksheet.objects.get(pk=self.w.bun_sheet.pk)
        self.assertEqual(sheet.status, WorksheetStatus.DRAFT)

    def test_sending_the_round_to_review(self):
        self.client.force_login(self.w.controller)
        url = reverse("priorities:round_review", args=[self.w.round.pk])
        response = self.client.post(url, {"version": "1x"}, follow=True)
        self.assertContains(response, "Omgången har ändrats av någon annan. Försök igen.")
        self.assertEqual(PriorityRound.objects.get().status, RoundStatus.OPEN)
