"""The load test's own logic (bench/loadtest.py): the figures it reports, the merge into
bench/results.json, the mix of clients and pages, and the save it posts. Not timed."""

import datetime
import json
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from bench import loadtest
from followup.services import round_close
from goals.models import GoalLevel, Measurement
from tests.conftest import build_world
from tests.factories import GoalFactory, IndicatorFactory
from tests.followup.helpers import open_round

URL = reverse("goals:results")


def test_summarize_gives_nearest_rank_percentiles_per_kind_and_overall():
    samples = [("chain", ms / 1000, "ok") for ms in range(1, 101)]  # 1..100 ms
    samples += [("save", 0.5, "ok"), ("save", 2.0, "500"), ("save", 0.1, "refused")]
    figures = loadtest.summarize(samples, elapsed=10.3)

    chain = figures["pages"]["chain"]
    assert chain == {"requests": 100, "p50_ms": 50.0, "p95_ms": 95.0, "max_ms": 100.0}
    assert figures["pages"]["save"]["p50_ms"] == 500.0
    assert figures["pages"]["save"]["max_ms"] == 2000.0
    assert figures["requests"] == 103
    assert figures["throughput_rps"] == 10.0
    assert figures["errors"] == 2
    assert figures["errors_by_status"] == {"500": 1, "refused": 1}
    assert figures["p95_ms"] == 98.0  # rank ceil(0.95 × 103) = 98 of the sorted values
    assert figures["max_ms"] == 2000.0
    assert not loadtest.target_met(figures)  # errors, and 10 requests/s


def test_target_met_needs_no_error_p95_within_a_second_and_forty_requests_a_second():
    fast = loadtest.summarize([("chain", 0.2, "ok")] * 500, elapsed=10.0)
    assert loadtest.target_met(fast)
    slow = loadtest.summarize([("chain", 1.2, "ok")] * 500, elapsed=10.0)
    assert not loadtest.target_met(slow)
    few = loadtest.summarize([("chain", 0.2, "ok")] * 300, elapsed=10.0)
    assert not loadtest.target_met(few)
    assert not loadtest.target_met(loadtest.summarize([], elapsed=10.0))


def test_merge_keeps_the_other_cases_and_replaces_only_its_own_entry(tmp_path):
    path = tmp_path / "results.json"
    bench = {"cases": [{"name": "chain@large", "p95_ms": 50}], "size": {"goals": 1}, "jobs": []}
    path.write_text(json.dumps(bench))

    loadtest.merge_results(path, {"name": "loadtest@large", "p95_ms": 700})
    loadtest.merge_results(path, {"name": "loadtest@small-quick", "p95_ms": 90})
    loadtest.merge_results(path, {"name": "loadtest@large", "p95_ms": 600})

    data = json.loads(path.read_text())
    assert {k: data[k] for k in bench} == bench
    assert data["loadtest"] == [
        {"name": "loadtest@large", "p95_ms": 600},
        {"name": "loadtest@small-quick", "p95_ms": 90},
    ]


def test_merge_creates_the_file_when_there_is_none(tmp_path):
    path = tmp_path / "results.json"
    loadtest.merge_results(path, {"name": "loadtest@large"})
    assert json.loads(path.read_text()) == {"loadtest": [{"name": "loadtest@large"}]}


def test_fifty_clients_are_split_over_the_personas_with_unit_managers_the_most():
    assert loadtest.persona_counts(50) == {
        "unit_manager": 24,
        "politician": 12,
        "approver": 8,
        "controller": 6,
    }
    for n in range(4, 120):
        counts = loadtest.persona_counts(n)
        assert sum(counts.values()) == n
        assert min(counts.values()) >= 1
    assert sum(loadtest.persona_counts(2).values()) == 2


def test_each_persona_opens_only_its_pages_in_proportion_to_the_weights():
    rng = random.Random(1)
    for persona, weights in loadtest.MIX.items():
        drawn = Counter(loadtest.choose_kind(persona, rng) for _ in range(4000))
        assert set(drawn) == set(weights)
        total = sum(weights.values())
        for kind, weight in weights.items():
            assert abs(drawn[kind] / 4000 - weight / total) < 0.03, (persona, kind)
    assert "results_save" in loadtest.MIX["unit_manager"]


class ResultsSaveTests(TestCase):
    """The save a unit manager client posts is the page's own form with one change,
    and the server takes it: a value in an empty cell first, then only the comment."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def post_change(self, note):
        page = self.client.get(URL).content.decode()
        forms = [f for f in loadtest.post_forms(page) if "results-form" in f[0].get("class", "")]
        assert len(forms) == 1
        fields = loadtest.results_change(forms[0][1], note)
        return self.client.post(URL, dict(fields))

    def test_the_posted_change_is_saved_with_the_hidden_originals_as_loaded(self):
        self.client.force_login(self.w.editor)
        self.assertRedirects(self.post_change("Första"), URL)
        saved = Measurement.objects.get(indicator=self.w.indicator, gender="T")
        assert (saved.value, saved.comment) == (1, "Första")

        self.assertRedirects(self.post_change("Andra"), URL)
        saved.refresh_from_db()
        assert (saved.value, saved.comment) == (1, "Andra")
        assert Measurement.objects.filter(indicator=self.w.indicator).count() == 1


def test_a_locked_row_is_never_changed():
    fields = [
        ["csrfmiddlewaretoken", "t", False],
        ["p-7", "2026", False],
        ["v-7-T", "12", True],
        ["o-7-T", "12", False],
        ["c-7", "", True],
        ["oc-7", "", False],
    ]
    assert loadtest.results_change(fields, "x") is None
    fields[2][2] = fields[4][2] = False
    assert dict(loadtest.results_change(fields, "x")) == {
        "csrfmiddlewaretoken": "t",
        "p-7": "2026",
        "v-7-T": "12",
        "o-7-T": "12",
        "c-7": "x",
        "oc-7": "",
    }


class PlanTests(TestCase):
    """The clients the load test prepares can do what their persona does: every unit
    manager is given a unit whose /resultat/ has a row to save, not one whose values a
    closed round has locked (that save would count as an error of the run)."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        GoalFactory(
            level=GoalLevel.UNIT,
            parent=cls.w.committee_goal,
            owner=cls.w.skola2,
            mandate_period=cls.w.period,
        )
        open_ind = IndicatorFactory(responsible_unit=cls.w.skola2)
        last_year = str(timezone.localdate().year - 1)
        for indicator in (cls.w.indicator, open_ind):
            Measurement.objects.create(indicator=indicator, period=last_year, value=1)
        # The annual report of last year, closed: Ekbackens skola's yearly value is locked.
        annual = open_round(
            cls.w,
            kind="Årsredovisning",
            period_end=datetime.date(int(last_year), 12, 31),
            scope=[cls.w.skola1],
        )
        round_close(rnd=annual, user=cls.w.controller)
        open_round(cls.w, period_end=timezone.localdate().replace(month=4, day=30))

    def test_every_unit_manager_has_a_value_to_save(self):
        plans, _info = loadtest.prepare(len(loadtest.PERSONA_SHARES), "lösenord")
        managers = [p for p in plans if p.persona == "unit_manager"]
        assert managers
        for plan in managers:
            self.client.force_login(get_user_model().objects.get(username=plan.username))
            page = self.client.get(URL).content.decode()
            forms = [
                f for f in loadtest.post_forms(page) if "results-form" in f[0].get("class", "")
            ]
            fields = loadtest.results_change(forms[0][1], "Belastningstest")
            assert fields is not None, plan.username
            self.assertRedirects(self.client.post(URL, dict(fields)), URL)
