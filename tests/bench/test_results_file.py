"""``make bench`` with ``--only`` measures some cases: the results file keeps the
others, the jobs and the load test's figures instead of being overwritten."""

import json

from bench.run import forget_old_layout, merge_results


def test_a_partial_run_replaces_its_own_cases_and_keeps_the_rest(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(
        json.dumps(
            {
                "cases": [
                    {"name": "chain@large", "p95_ms": 80},
                    {"name": "home@large", "p95_ms": 40},
                ],
                "jobs": [{"name": "pdf_municipality", "seconds": 30}],
                "loadtest": [{"name": "loadtest@large", "errors": 0}],
            }
        )
    )

    data = merge_results(
        path, "cases", [{"name": "home@large", "p95_ms": 35}], order=["chain@large", "home@large"]
    )

    assert data["cases"] == [
        {"name": "chain@large", "p95_ms": 80},
        {"name": "home@large", "p95_ms": 35},
    ]
    assert data["jobs"] == [{"name": "pdf_municipality", "seconds": 30}]
    assert data["loadtest"] == [{"name": "loadtest@large", "errors": 0}]
    assert json.loads(path.read_text()) == data


def test_a_value_that_is_not_a_list_replaces_the_key(tmp_path):
    path = tmp_path / "results.json"
    merge_results(path, "size", {"results": 109827})
    assert json.loads(path.read_text()) == {"size": {"results": 109827}}


def test_each_engine_keeps_its_own_figures_and_a_partial_run_keeps_the_rest(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"loadtest": [{"name": "loadtest@large", "errors": 0}]}))
    order = ["chain@large", "home_politiker@large"]
    sqlite = [{"name": "chain@large", "p95_ms": 30}, {"name": "home_politiker@large", "p95_ms": 60}]
    merge_results(path, ("sqlite", "cases"), sqlite, order=order)
    merge_results(path, ("postgresql", "cases"), [{"name": "chain@large", "p95_ms": 45}])
    merge_results(path, ("sqlite", "sizes", "large"), {"results": 109827})
    data = merge_results(
        path, ("sqlite", "cases"), [{"name": "home_politiker@large", "p95_ms": 55}], order=order
    )

    assert data["sqlite"]["cases"] == [
        {"name": "chain@large", "p95_ms": 30},
        {"name": "home_politiker@large", "p95_ms": 55},
    ]
    assert data["postgresql"] == {"cases": [{"name": "chain@large", "p95_ms": 45}]}
    assert data["sqlite"]["sizes"] == {"large": {"results": 109827}}
    assert data["loadtest"] == [{"name": "loadtest@large", "errors": 0}]
    assert json.loads(path.read_text()) == data


def test_the_layout_before_engines_were_kept_apart_is_dropped_and_the_rest_kept(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(
        json.dumps(
            {
                "cases": [{"name": "chain@large"}],
                "size": {"goals": 1},
                "jobs": [],
                "loadtest": [{"name": "loadtest@large"}],
                "sqlite": {"cases": []},
            }
        )
    )
    forget_old_layout(path)
    assert json.loads(path.read_text()) == {
        "loadtest": [{"name": "loadtest@large"}],
        "sqlite": {"cases": []},
    }
    forget_old_layout(tmp_path / "none.json")
    assert not (tmp_path / "none.json").exists()
