"""Every bench case finds its page on a generated municipality (seed_scale, small size),
the page answers as the case's persona, and its floor runs on this database engine: the
floors' raw SQL is run on SQLite and on PostgreSQL alike (it had SQLite-only functions
and UNIONs of mixed column types that only PostgreSQL refuses)."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase

from bench import run
from demo import scale

# Cases that need what only the large size generates: the reason is their error.
LARGE_ONLY = {
    "goal_indicators@large": "inget enhetsmål med 20 indikatorer",
    "save_values@large": "har bara",
}


class BenchCasesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        scale.seed_scale(scale.SMALL)
        run._bench_round()  # as prepare_database opens it

    def test_every_case_opens_its_page_and_runs_its_floor(self):
        users = get_user_model().objects
        for case in run.CASES:
            with self.subTest(case.name):
                if case.name in LARGE_ONLY:
                    with self.assertRaisesMessage(RuntimeError, LARGE_ONLY[case.name]):
                        case.target()
                    continue
                target = case.target()
                if target.persona == run.ANONYMOUS:
                    self.client.logout()  # the public portal: nobody signed in
                else:
                    self.client.force_login(users.get(username=target.persona or run.PERSONA))
                if target.request is None:
                    response = self.client.get(target.path, headers=target.headers)
                    self.assertEqual(response.status_code, 200, target.path)
                with connection.cursor() as cursor:
                    if target.floor is not None:
                        self.assertGreater(target.floor(cursor), 0)
                    elif target.floor_sql:
                        cursor.execute(target.floor_sql, target.floor_params)
                        cursor.fetchall()
