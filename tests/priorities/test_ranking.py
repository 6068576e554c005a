"""The documented rules: the suggested rank and the frame line."""

from types import SimpleNamespace

import pytest

from priorities.ranking import frame_line, rank_points, suggested_rank


@pytest.mark.parametrize(
    ("inputs", "points", "rank"),
    [
        ((4, 5, 1, 4), 20, 1),  # very severe, very large effect, low cost, strong evidence
        ((1, 1, 4, 1), 0, 10),  # the opposite
        ((3, 4, 2, 3), 14, 4),  # 2*2 + 2*3 + 2 + 2 = 14 -> 10 - round(6.3) = 4
        ((2, 3, 2, 2), 9, 6),  # 2 + 4 + 2 + 1 = 9 -> 10 - round(4.05) = 6
    ],
)
def test_points_and_rank_follow_the_documented_formula(inputs, points, rank):
    severity, effect, cost_effect, evidence = inputs
    expected_points = 2 * (severity - 1) + 2 * (effect - 1) + (4 - cost_effect) + (evidence - 1)
    assert rank_points(*inputs) == expected_points == points
    assert suggested_rank("satsning", *inputs) == rank


def test_every_combination_gives_a_rank_from_1_to_10_and_more_points_never_rank_lower():
    seen = {}
    for s in range(1, 5):
        for e in range(1, 6):
            for c in range(1, 5):
                for v in range(1, 5):
                    rank = suggested_rank("satsning", s, e, c, v)
                    assert 1 <= rank <= 10
                    seen.setdefault(rank_points(s, e, c, v), set()).add(rank)
    # One rank per score, and it falls as the score rises.
    ranks = [seen[p].pop() for p in sorted(seen)]
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] == 10 and ranks[-1] == 1


def test_half_points_round_up_towards_the_higher_priority():
    # 10 points: 10 * 9 / 20 = 4.5 -> 5 -> rank 5
    assert rank_points(2, 3, 2, 3) == 10
    assert suggested_rank("satsning", 2, 3, 2, 3) == 5


@pytest.mark.parametrize("kind", ["ransonering", "neddragning", "icke_gora"])
def test_reducing_a_little_valued_service_gets_a_high_priority(kind):
    # The service cut is of low value (rank 10) -> the proposal to cut it ranks 1.
    assert suggested_rank(kind, 1, 1, 4, 1) == 1
    assert suggested_rank(kind, 4, 5, 1, 4) == 10


def test_efficiency_is_ranked_like_an_expansion():
    assert suggested_rank("effektivisering", 3, 4, 1, 4) == suggested_rank("satsning", 3, 4, 1, 4)


def test_no_suggestion_while_an_assessment_is_missing():
    assert suggested_rank("satsning", None, 4, 2, 3) is None
    assert suggested_rank("satsning", 3, 4, 2, None) is None


def _items(*costs):
    return [SimpleNamespace(pk=i, cost_budget=c) for i, c in enumerate(costs, start=1)]


def test_line_is_after_the_last_item_that_still_fits():
    result = frame_line(_items(1_000, 1_500, 800, 200), 3_000)
    assert [r.cumulative for r in result.rows] == [1_000, 2_500, 3_300, 3_500]
    assert result.line_after == 2
    assert [r.within for r in result.rows] == [True, True, False, False]
    assert result.left == 500


def test_a_saving_further_down_brings_the_proposals_above_it_back_within_the_frame():
    result = frame_line(_items(4_000, 2_000, -3_000, 500), 3_000)
    assert [r.cumulative for r in result.rows] == [4_000, 6_000, 3_000, 3_500]
    assert result.line_after == 3
    assert result.left == 0


def test_everything_fits():
    result = frame_line(_items(100, 200), 1_000)
    assert result.line_after == 2 and result.left == 700


def test_not_even_the_first_fits():
    result = frame_line(_items(5_000, 100), 1_000)
    assert result.line_after == 0 and not any(r.within for r in result.rows)


def test_a_required_saving_is_met_when_enough_has_been_saved():
    # Frame −5 000: the savings must come first.
    result = frame_line(_items(-3_000, -2_500, 1_000, -400), -5_000)
    assert [r.cumulative for r in result.rows] == [-3_000, -5_500, -4_500, -4_900]
    assert result.line_after == 2
    assert result.left == 500


def test_a_required_saving_that_is_never_met_has_no_line():
    result = frame_line(_items(-1_000, -1_000), -5_000)
    assert result.line_after is None and result.left is None
    assert not any(r.within for r in result.rows)


def test_missing_cost_counts_as_zero():
    result = frame_line(_items(None, 100), 50)
    assert [r.cumulative for r in result.rows] == [0, 100]
    assert result.line_after == 1
