"""``make bench`` with ``--only`` measures some cases: the results file keeps the
others, the jobs and the load test's figures instead of being overwritten."""

import json

from bench.run import merge_results


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
