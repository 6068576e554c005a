"""The API for other systems (issue 18 points 3 and 5): tokens, the role × URL grid,
what each token sees, filters and pages, the results write through the one write path,
and every response checked against the OpenAPI description the app serves."""

import datetime
import json
from decimal import Decimal

import jsonschema
import pytest
from django.test import TestCase
from django.urls import reverse

from api.models import ApiToken, TokenScope
from api.services import token_revoke
from followup.models import GoalAssessment
from goals.models import Measurement
from goals.services import ValueInput, measurements_save, targets_save
from ledmot.models import Role
from tests.api.helpers import get, post, system_token
from tests.conftest import build_world
from tests.followup.helpers import open_round

READS = ["organisation", "goals", "indicators", "targets", "results", "assessments"]


def url(name):
    return f"/api/v1/{name}"


def one_value(w, value="71.5", period="2025", **extra):
    return {"values": [{"indicator": w.indicator.pk, "period": period, "value": value, **extra}]}


class GridTests(TestCase):
    """Every kind of caller against every URL; a refused write changes nothing."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.reader, cls.reader_key = system_token("intranat", unit=w.kf, role=Role.READER)
        cls.writer, cls.writer_key = system_token(
            "skolsystem", unit=w.skola1, role=Role.EDITOR, scope=TokenScope.RESULTS
        )
        # Its scope allows writing, its user's roles do not cover SKOLA1.
        cls.other, cls.other_key = system_token(
            "omsorgssystem", unit=w.boende1, role=Role.EDITOR, scope=TokenScope.RESULTS
        )
        # A read-only token whose user could write on SKOLA1 on the screens.
        cls.read_only, cls.read_only_key = system_token(
            "bi-verktyg", unit=w.skola1, role=Role.EDITOR
        )
        cls.revoked, cls.revoked_key = system_token(
            "gammalt", unit=w.skola1, role=Role.EDITOR, scope=TokenScope.RESULTS
        )
        token_revoke(token=cls.revoked, user=w.controller)

    def test_the_grid(self):
        callers = {
            # the public: what the portal shows (tests/api/test_public.py); never a write
            "no token": (None, 200, 401),
            "unknown key": ("lm_deadbeef_nothing", 401, 401),
            "malformed key": ("hemligt", 401, 401),
            "revoked token": (self.revoked_key, 401, 401),
            "read token": (self.reader_key, 200, 403),
            "read-only token of an editor": (self.read_only_key, 200, 403),
            "results token, other unit": (self.other_key, 200, 403),
            "results token": (self.writer_key, 200, 200),
        }
        for caller, (key, read, write) in callers.items():
            for name in READS:
                with self.subTest(caller=caller, url=name):
                    self.assertEqual(get(self.client, url(name), key).status_code, read)
            with self.subTest(caller=caller, url="POST results"):
                before = Measurement.history.count()
                response = post(self.client, url("results"), key, one_value(self.w))
                self.assertEqual(response.status_code, write, response.content)
                if write != 200:
                    self.assertEqual(Measurement.history.count(), before)
                    self.assertIn("detail", response.json())
        self.assertEqual(Measurement.objects.count(), 1)

    def test_the_description_is_public(self):
        response = self.client.get(url("openapi.json"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("/api/v1/results", response.json()["paths"])

    def test_a_signed_in_person_without_token_is_refused(self):
        # The API is for systems: a browser session is no key (nor a CSRF risk).
        self.client.force_login(self.w.controller)
        # read as the public: not the proposed goal the controller sees on the screens
        goals = [g["id"] for g in self.client.get(url("goals")).json()["results"]]
        self.assertNotIn(self.w.proposed_goal.pk, goals)
        response = post(self.client, url("results"), None, one_value(self.w))
        self.assertEqual(response.status_code, 401)
        self.assertFalse(Measurement.objects.exists())

    def test_the_refusal_says_which_role_is_missing(self):
        response = post(self.client, url("results"), self.other_key, one_value(self.w))
        errors = response.json()["errors"]
        self.assertIn("Ekbackens skola", errors["values[0].indicator"][0])

    def test_a_read_only_token_is_told_so(self):
        response = post(self.client, url("results"), self.read_only_key, one_value(self.w))
        self.assertIn("bara läsa", response.json()["detail"])


class TokenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_the_key_is_stored_only_as_a_hash(self):
        token, key = system_token("intranat", unit=self.w.kf, role=Role.READER)
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        self.assertNotIn(key, json.dumps(stored, default=str))
        self.assertNotIn(key.split("_", 2)[2], json.dumps(stored, default=str))

    def test_the_last_use_is_shown(self):
        token, key = system_token("intranat", unit=self.w.kf, role=Role.READER)
        self.assertIsNone(ApiToken.objects.get(pk=token.pk).last_used_at)
        get(self.client, url("goals"), key)
        self.assertIsNotNone(ApiToken.objects.get(pk=token.pk).last_used_at)

    def test_only_a_superuser_reaches_the_tokens_in_the_admin(self):
        token, _key = system_token("intranat", unit=self.w.kf, role=Role.READER)
        urls = [
            reverse("admin:api_apitoken_changelist"),
            reverse("admin:api_apitoken_add"),
            reverse("admin:api_apitoken_change", args=[token.pk]),
        ]
        for user in (None, self.w.controller, self.w.editor):
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for address in urls:
                with self.subTest(user=str(user), url=address):
                    response = self.client.get(address)
                    self.assertEqual(response.status_code, 302)
                    self.assertIn("/admin/login/", response["Location"])
        self.client.force_login(self.w.controller)
        self.client.post(
            reverse("admin:api_apitoken_changelist"),
            {"action": "revoke", "_selected_action": [token.pk]},
        )
        self.assertIsNone(ApiToken.objects.get(pk=token.pk).revoked_at)

    def test_an_admin_creates_a_token_and_sees_the_key_once(self):
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.create_superuser("root", "root@example.se", "x")
        system = get_user_model().objects.create_user("bi-system")
        self.client.force_login(admin)
        response = self.client.post(
            reverse("admin:api_apitoken_add"),
            {"name": "BI-verktyget", "user": system.pk, "scope": TokenScope.READ},
            follow=True,
        )
        self.assertEqual(response.status_code, 200)
        token = ApiToken.objects.get(name="BI-verktyget")
        self.assertEqual(token.created_by, admin)
        shown = [str(m) for m in response.context["messages"]]
        key = next(m.split(": ")[-1] for m in shown if "visas bara nu" in m)
        self.client.logout()
        self.assertEqual(get(self.client, url("goals"), key).status_code, 200)
        # Listed with its last use; revoked by the action, and then refused.
        self.client.force_login(admin)
        page = self.client.get(reverse("admin:api_apitoken_changelist"))
        self.assertContains(page, "BI-verktyget")
        self.assertNotContains(page, key)
        self.client.post(
            reverse("admin:api_apitoken_changelist"),
            {"action": "revoke", "_selected_action": [token.pk]},
        )
        self.client.logout()
        self.assertEqual(get(self.client, url("goals"), key).status_code, 401)


class ReadTests(TestCase):
    """What a token reads is what its system user reads on the screens."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        measurements_save(
            values=[
                ValueInput(w.indicator, "2024", Decimal("64")),
                ValueInput(w.indicator, "2025", Decimal("70")),
            ],
            user=w.controller,
        )
        targets_save(indicator=w.indicator, values={2025: Decimal("80")}, user=w.controller)
        cls.council, cls.council_key = system_token("intranat", unit=w.kf, role=Role.READER)
        cls.care, cls.care_key = system_token("omsorg", unit=w.boende1, role=Role.READER)
        cls.nobody, cls.nobody_key = system_token("publikt")

    def ids(self, name, key, **params):
        response = get(self.client, url(name), key, **params)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]

    def test_proposed_goals_only_for_a_role_that_covers_them(self):
        w = self.w
        self.assertIn(w.proposed_goal.pk, self.ids("goals", self.council_key))
        self.assertNotIn(w.proposed_goal.pk, self.ids("goals", self.care_key))
        self.assertNotIn(w.proposed_goal.pk, self.ids("goals", self.nobody_key))
        self.assertIn(w.unit_goal.pk, self.ids("goals", self.nobody_key))

    def test_filters_by_committee_unit_and_period(self):
        w = self.w
        in_bun = self.ids("goals", self.council_key, committee=w.bun.pk)
        self.assertNotIn(w.council_goal.pk, in_bun)
        self.assertIn(w.unit_goal.pk, in_bun)
        self.assertEqual(self.ids("goals", self.council_key, unit=w.bun.pk), [w.committee_goal.pk])
        self.assertEqual(self.ids("goals", self.council_key, committee=w.von.pk), [])
        self.assertEqual(self.ids("goals", self.council_key, period="2030"), [])
        results = get(self.client, url("results"), self.council_key, period="2025").json()
        self.assertEqual([r["period"] for r in results["results"]], ["2025"])
        self.assertEqual(results["results"][0]["value"], "70.0000")
        self.assertEqual(self.ids("results", self.council_key, committee=w.von.pk), [])
        targets = get(self.client, url("targets"), self.council_key, committee=w.bun.pk)
        self.assertEqual(targets.json()["results"][0]["year"], 2025)
        self.assertEqual(
            self.ids("organisation", self.council_key, committee=w.von.pk),
            [w.von.pk, w.vof.pk, w.boende1.pk],
        )
        indicator = get(self.client, url("indicators"), self.council_key).json()["results"][0]
        self.assertEqual(
            sorted(indicator["goal_ids"]), sorted([w.unit_goal.pk, w.committee_goal.pk])
        )

    def test_pages(self):
        first = get(self.client, url("organisation"), self.council_key, limit=3).json()
        self.assertEqual(first["count"], 8)
        self.assertEqual(len(first["results"]), 3)
        self.assertIsNone(first["previous"])
        second = self.client.get(
            first["next"], headers={"Authorization": f"Bearer {self.council_key}"}
        ).json()
        self.assertEqual(len(second["results"]), 3)
        self.assertNotIn(first["results"][0]["id"], [r["id"] for r in second["results"]])

    def test_bad_filters_are_told_per_field(self):
        response = get(
            self.client, url("results"), self.council_key, limit=5000, period="förra året"
        )
        self.assertEqual(response.status_code, 400)
        errors = response.json()["errors"]
        self.assertEqual(list(errors), ["period"])
        response = get(self.client, url("results"), self.council_key, limit=5000)
        self.assertEqual(response.json()["errors"], {"limit": ["Ange ett tal från 1 till 1000."]})
        response = get(self.client, url("goals"), self.council_key, committee="BUN")
        self.assertEqual(response.json()["errors"], {"committee": ["Ange ett heltal."]})
        response = get(self.client, url("goals"), self.council_key, committee=99999)
        self.assertEqual(
            response.json()["errors"], {"committee": ["Organisationen 99999 finns inte."]}
        )

    def test_assessments_as_on_the_report_page(self):
        w = self.w
        rnd = open_round(w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
        assessment = GoalAssessment.objects.filter(
            report__round=rnd, report__org_unit=w.skola1
        ).first()
        self.assertIsNotNone(assessment)
        self.assertIn(assessment.pk, self.ids("assessments", self.council_key, period="2025"))
        # The care home's system may not read the school's report.
        self.assertNotIn(assessment.pk, self.ids("assessments", self.care_key))
        self.assertEqual(self.ids("assessments", self.council_key, period="2024"), [])


@pytest.mark.django_db
def test_every_response_matches_the_served_description(client, world):
    """Each read and each answer of the write, validated with jsonschema against the
    OpenAPI description at /api/v1/openapi.json."""
    w = world
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("70"))], user=w.controller)
    targets_save(indicator=w.indicator, values={2025: Decimal("80")}, user=w.controller)
    open_round(w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
    _token, key = system_token("kalla", unit=w.kf, role=Role.CONTROLLER, scope=TokenScope.RESULTS)
    doc = client.get(url("openapi.json")).json()

    def check(path, method, response):
        spec = doc["paths"][path][method]["responses"][str(response.status_code)]
        schema = spec["content"]["application/json"]["schema"]
        jsonschema.validate(response.json(), {**schema, "components": doc["components"]})

    for name in READS:
        response = get(client, url(name), key)
        assert response.status_code == 200
        assert response.json()["results"], name
        check(url(name), "get", response)
    check(url("results"), "post", post(client, url("results"), key, one_value(w)))
    check(url("results"), "post", post(client, url("results"), key, one_value(w, value="x")))
    bad = {"values": [{"indicator": w.indicator.pk, "period": "2025", "value": "1", "gender": "X"}]}
    check(url("results"), "post", post(client, url("results"), key, bad))
