"""The demo's priority round and the large municipality's (seed_demo / seed_scale)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from priorities.models import Decision, ItemStatus, PriorityItem, PriorityRound, RoundStatus
from priorities.views import overview_data


@pytest.mark.django_db
def test_demo_has_a_round_under_review_with_about_twenty_items_across_the_committees():
    from demo.seed import seed_demo

    seed_demo()
    rnd = PriorityRound.objects.get()
    assert (rnd.year, rnd.status, rnd.resource_frame) == (2027, RoundStatus.REVIEW, 12_000_000)
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
    assert sorted(decisions.values()) == ["aterremitterad", "avslagen", "beslutad", "beslutad",
                                          "bordlagd"]  # fmt: skip
    back = items.get(decision=Decision.REFERRED_BACK)
    assert back.status == ItemStatus.DRAFT and "skola" in back.title.lower()
    # The frame runs out part way down the list.
    result = overview_data(rnd)["result"]
    assert 0 < result.line_after < len(result.rows)
    # Written by the committees' staff and the controller, with history.
    for item in items:
        assert item.suggested_rank and item.goals.exists()
        assert item.history.filter(history_type="+").get().history_user is not None
    seed_demo()  # idempotent
    assert PriorityRound.objects.count() == 1
    assert PriorityItem.objects.count() == items.count()


@pytest.mark.django_db
def test_scale_generator_builds_a_round_with_submitted_items_and_history():
    from demo import scale

    scale.seed_scale(scale.SMALL)
    rnd = PriorityRound.objects.get()
    items = PriorityItem.objects.in_round(rnd)
    assert items.count() == scale.SMALL.priority_items
    assert not items.exclude(status=ItemStatus.SUBMITTED).exists()
    assert rnd.status == RoundStatus.REVIEW
    created = set(PriorityItem.history.filter(history_type="+").values_list("id", flat=True))
    assert set(items.values_list("pk", flat=True)) <= created
    result = overview_data(rnd)["result"]
    assert 0 < result.line_after < len(result.rows)


def _overview_queries(rnd) -> int:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="politiker"))
    url = reverse("priorities:overview", args=[rnd.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_overview_query_count_is_the_same_at_demo_and_scale_size():
    from demo import scale
    from demo import seed as demo

    demo.seed_demo()
    at_demo = _overview_queries(PriorityRound.objects.get())
    scale.seed_scale(scale.SMALL)
    at_scale = _overview_queries(PriorityRound.objects.get())
    assert at_demo == at_scale == 7
