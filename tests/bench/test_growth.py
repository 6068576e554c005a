"""The growth check of ``make bench-growth`` (bench/run.py --growth): the exponent of a
page's time against the size of the database, and which pages it calls not flat."""

import math

import pytest

from bench.run import (
    CASES,
    MAX_FLAT_EXPONENT,
    database_size,
    growth_cases,
    growth_exponent,
    growth_verdicts,
)


def test_the_exponent_is_the_slope_of_log_time_against_log_size():
    sizes = [1_000, 4_000, 16_000]
    assert growth_exponent(sizes, [20.0, 20.0, 20.0]) == pytest.approx(0)
    assert growth_exponent(sizes, [10.0, 40.0, 160.0]) == pytest.approx(1)
    assert growth_exponent(sizes, [10.0, 20.0, 40.0]) == pytest.approx(0.5)
    assert growth_exponent(sizes, [50.0, 25.0, 12.5]) == pytest.approx(-0.5)
    # Least squares over uneven points: the slope of the fitted line.
    x = [math.log(s) for s in (100, 1_000, 4_000)]
    y = [math.log(t) for t in (5.0, 9.0, 30.0)]
    mx, my = sum(x) / 3, sum(y) / 3
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x
    )
    assert growth_exponent([100, 1_000, 4_000], [5.0, 9.0, 30.0]) == pytest.approx(slope)


def test_no_exponent_without_two_sizes():
    assert growth_exponent([1_000], [20.0]) is None
    assert growth_exponent([1_000, 1_000], [20.0, 30.0]) is None
    assert growth_exponent([], []) is None


def test_a_fixed_size_page_outside_the_band_is_not_flat_and_a_declared_one_is_reported():
    def page(name, times, grows=""):
        sizes = (2_000, 130_000, 520_000)
        measured = {
            s: {"size": n, "p50_ms": t}
            for s, n, t in zip(("demo", "large", "xlarge"), sizes, times, strict=True)
        }
        return {"name": name, "grows": grows, "measured": measured}

    flat, steep, declared = growth_verdicts(
        [
            page("chain", (20.0, 24.0, 25.0)),
            page("results", (20.0, 60.0, 200.0)),
            page("structure", (20.0, 60.0, 200.0), grows="räknar alla mål"),
        ]
    )
    assert abs(flat["exponent"]) <= MAX_FLAT_EXPONENT and flat["ok"]
    assert steep["exponent"] > MAX_FLAT_EXPONENT and not steep["ok"]
    assert declared["exponent"] == steep["exponent"] and declared["ok"]


def test_a_page_that_grows_between_the_two_largest_sizes_is_not_flat():
    """Demo is so small that every page costs Django's fixed overhead there: a page that
    doubles from large to xlarge (four times the data) is fitted flat over the three
    sizes, but its step at the top says it grows."""
    measured = {
        "demo": {"size": 800, "p50_ms": 18.0},
        "large": {"size": 128_000, "p50_ms": 28.0},
        "xlarge": {"size": 530_000, "p50_ms": 60.0},
    }
    (verdict,) = growth_verdicts([{"name": "chain", "grows": "", "measured": measured}])
    assert abs(verdict["exponent"]) <= MAX_FLAT_EXPONENT
    assert verdict["exponent_top"] == round(math.log(60 / 28) / math.log(530 / 128), 3)
    assert not verdict["ok"]


def test_a_size_that_failed_is_left_out_of_the_exponent():
    measured = {
        "demo": {"size": 1_000, "p50_ms": 10.0},
        "large": {"size": 4_000, "p50_ms": 40.0},
        "xlarge": {"size": 16_000, "p50_ms": None, "error": "RuntimeError: x"},
    }
    (verdict,) = growth_verdicts([{"name": "p", "grows": "", "measured": measured}])
    assert verdict["exponent"] == pytest.approx(1)
    assert not verdict["ok"]


def test_the_exponent_is_taken_of_the_measure_asked_for():
    measured = {
        "demo": {"size": 1_000, "p50_ms": 10.0, "cpu_p50_ms": 8.0},
        "large": {"size": 4_000, "p50_ms": 90.0, "cpu_p50_ms": 8.0},  # a busy moment
    }
    page = {"name": "p", "grows": "", "measured": measured}
    (cpu,) = growth_verdicts([page], "cpu_p50_ms")
    assert cpu["exponent"] == pytest.approx(0) and cpu["ok"] and cpu["measure"] == "cpu_p50_ms"
    (wall,) = growth_verdicts([page])
    assert wall["exponent"] > 1 and not wall["ok"]


def test_the_size_is_what_the_pages_list_and_count():
    counts = {"results": 100_000, "goals": 8_000, "activities": 11_000, "users": 5_000}
    assert database_size(counts) == 119_000


def test_growth_times_each_page_once_and_not_the_save():
    pages = [c.name.split("@")[0] for c in growth_cases()]
    assert len(pages) == len(set(pages))
    assert "save_values" not in pages
    assert {c.name.split("@")[0] for c in CASES} - set(pages) == {"save_values"}
    for case in CASES:
        assert case.grows == "" or len(case.grows) > 20, case.name  # a reason, not a flag
