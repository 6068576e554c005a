"""The demo's priority round and the large municipality's (seed_demo / seed_scale).

Each class seeds once (``setUpTestData``); each test runs in a transaction rolled back
after it.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo import scale
from demo.calendar import demo_year
from demo.seed import seed_demo
from priorities.models import Decision, ItemStatus, PriorityItem, PriorityRound, RoundStatus
from priorities.views import overview_data

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DAY = datetime.date(2027, 10, 5)
# The overview's queries, the same at demo and at scale size (two of them read the
# scope's budget from the economy figures, issue 16).
OVERVIEW_QUERIES = 9


def _overview_queries(rnd) -> int:
    client = Client()
    client.force_login(get_user_model().objects.get(username="politiker"))
    url = reverse("priorities:overview", args=[rnd.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class TestDemoRound(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(DAY)

    def test_a_round_under_review_for_next_year_with_about_twenty_items(self):
        rnd = PriorityRound.objects.get()
        assert (rnd.year, rnd.status, rnd.resource_frame) == (
            demo_year(DAY) + 1,
            RoundStatus.REVIEW,
            12_000_000,
        )
        assert str(rnd.year) in rnd.title
        assert rnd.deadline < DAY
        items = PriorityItem.objects.in_round(rnd)
        assert 18 <= items.count() <= 25
        committees = set(items.values_list("worksheet__committee__code", flat=True))
        assert committees == {"KS", "BUN", "VON", "SN", "SBN", "KFN", "MBN"}
        assert set(items.values_list("kind", flat=True)) == {
            "satsning", "ransonering", "effektivisering", "neddragning", "icke_gora",
        }  # fmt: skip
        assert not rnd.worksheets.exclude(status="submitted").exists()
        # The council's June decisions, and one item sent back to its committee.
        decisions = dict(items.exclude(decision="").values_list("title", "decision"))
        assert sorted(decisions.values()) == ["aterremitterad", "avslagen", "beslutad",
                                              "beslutad", "bordlagd"]  # fmt: skip
        assert {
            d.year for d in items.exclude(decision="").values_list("decided_on", flat=True)
        } == {demo_year(DAY)}
        back = items.get(decision=Decision.REFERRED_BACK)
        assert back.status == ItemStatus.DRAFT and "skola" in back.title.lower()
        # The frame runs out part way down the list.
        result = overview_data(rnd)["result"]
        assert 0 < result.line_after < len(result.rows)
        # Written by the committees' staff and the controller, with history.
        for item in items:
            assert item.suggested_rank and item.goals.exists()
            assert item.history.filter(history_type="+").get().history_user is not None

    def test_overview_query_count(self):
        assert _overview_queries(PriorityRound.objects.get()) == OVERVIEW_QUERIES

    def test_overview_shows_the_councils_budget_beside_the_frame(self):
        rnd = PriorityRound.objects.get()
        client = Client()
        client.force_login(get_user_model().objects.get(username="politiker"))
        budget = client.get(reverse("priorities:overview", args=[rnd.pk])).context["budget"]
        # Next year's budget is not decided yet: this year's, in the order of billions.
        assert budget.year == rnd.year - 1
        assert 1_000_000_000 < budget.amount < 10_000_000_000


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class TestScaleRound(TestCase):
    @classmethod
    def setUpTestData(cls):
        scale.seed_scale(scale.SMALL)

    def test_a_round_with_submitted_items_and_history(self):
        rnd = PriorityRound.objects.get()
        items = PriorityItem.objects.in_round(rnd)
        assert items.count() == scale.SMALL.priority_items
        assert not items.exclude(status=ItemStatus.SUBMITTED).exists()
        assert rnd.status == RoundStatus.REVIEW
        created = set(PriorityItem.history.filter(history_type="+").values_list("id", flat=True))
        assert set(items.values_list("pk", flat=True)) <= created
        # Bulk-created, yet each with the suggested rank of the item's own rule.
        for item in items:
            assert item.suggested_rank == item.compute_suggested_rank(), item
            assert item.missing() == {}, item
        result = overview_data(rnd)["result"]
        assert 0 < result.line_after < len(result.rows)

    def test_overview_query_count_is_the_same_as_at_demo_size(self):
        assert _overview_queries(PriorityRound.objects.get()) == OVERVIEW_QUERIES
