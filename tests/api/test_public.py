"""The API without a token (issue 18 point 3): only what the public portal shows, with
only the fields it shows (``portal.publication``), and nothing while the portal is off.
Every list is read to its last page and searched for what may never be public."""

import json

from django.test import override_settings

from api.models import TokenScope
from goals.models import Measurement
from ledmot.models import Role
from tests.api.helpers import get, post, system_token
from tests.portal.test_portal import PortalTestCase
from tests.portal.world import NAMES, SECRET

READS = ["organisation", "goals", "indicators", "targets", "results", "assessments"]


class PublicApiTests(PortalTestCase):
    def read_all(self, name, key=None):
        rows, url = [], f"/api/v1/{name}?limit=2"
        while url:
            response = get(self.client, url, key)
            self.assertEqual(response.status_code, 200, response.content)
            body = response.json()
            rows += body["results"]
            url = body["next"]
        return rows

    def test_nothing_public_leaks_and_the_public_parts_are_there(self):
        w = self.w
        seen = {name: self.read_all(name) for name in READS}
        text = json.dumps(seen, ensure_ascii=False)
        self.assertNotIn(SECRET, text)
        for name in NAMES:
            self.assertNotIn(name, text)
        self.assertEqual({g["id"] for g in seen["goals"]}, {w.council_goal.pk, w.committee_goal.pk})
        self.assertEqual(
            [(a["goal_id"], a["chosen"], a["round_year"]) for a in seen["assessments"]],
            [(w.committee_goal.pk, "partly", 2025)],
        )
        self.assertEqual(sorted(r["period"] for r in seen["results"]), ["2024", "2025"])
        # Only the fields the portal shows: no comments, who or row ids.
        self.assertEqual({r["comment"] for r in seen["results"]}, {None})
        self.assertEqual({a["proposed"] for a in seen["assessments"]}, {None})
        self.assertEqual({g["status"] for g in seen["goals"]}, {None})
        self.assertEqual({u["id"] for u in seen["organisation"]}, {w.kf.pk, w.bun.pk})
        indicator = seen["indicators"][0]
        self.assertEqual(indicator["goal_ids"], [w.committee_goal.pk])

    def test_a_token_reads_more_than_the_public(self):
        _token, key = system_token("intranat", unit=self.w.kf, role=Role.READER)
        goals = {g["id"] for g in self.read_all("goals", key)}
        self.assertIn(self.w.unit_goal.pk, goals)
        comments = {r["comment"] for r in self.read_all("results", key)}
        self.assertIn(f"{SECRET}-KOMMENTAR om värdet", comments)

    def test_the_public_cannot_write(self):
        before = list(Measurement.objects.values_list("pk", "value"))
        body = {"values": [{"indicator": self.w.indicator.pk, "period": "2027", "value": "1"}]}
        self.assertEqual(post(self.client, "/api/v1/results", None, body).status_code, 401)
        self.assertEqual(list(Measurement.objects.values_list("pk", "value")), before)

    def test_a_bad_key_is_refused_not_read_as_the_public(self):
        self.assertEqual(get(self.client, "/api/v1/goals", "lm_x_y").status_code, 401)
        _token, key = system_token("gammalt", scope=TokenScope.READ)
        self.assertEqual(get(self.client, "/api/v1/goals", key).status_code, 200)

    @override_settings(LEDMOT_PUBLIC_PORTAL=False)
    def test_with_the_portal_off_the_public_reads_nothing(self):
        for name in READS:
            with self.subTest(name):
                self.assertEqual(get(self.client, f"/api/v1/{name}").status_code, 401)
