"""``ledmot.lib.prepared.prepared_rows``: a values queryset compiled once per process and
run with new values gives what the queryset gives (rows, types, order), in one query;
a value that would not reach the SQL as a parameter is refused when it is compiled."""

import datetime

from django.db.models import Q
from django.test import TestCase

from goals.models import Assignment
from ledmot.lib.prepared import prepared_rows
from tests.conftest import build_world
from tests.goals.test_assignments import make_assignment


def due_since(*, owner, since, title):
    return (
        Assignment.objects.filter(Q(owner=owner) | Q(title=title), due__gte=since)
        .order_by("-due", "pk")
        .values_list("pk", "due", "title", "giver__name")
    )


class PreparedRowsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        for owner, title, due in (
            (w.bun, "Utred lokalerna", datetime.date(2025, 6, 30)),
            (w.bun, "Se över taxorna", datetime.date(2026, 3, 31)),
            (w.von, "Plan för välfärdsteknik", datetime.date(2025, 12, 31)),
            (w.von, "Se över <taxorna>", datetime.date(2024, 12, 31)),
        ):
            make_assignment(w, owner=owner, title=title, due=due, goal=None, decided_on=None)

    def test_the_same_rows_as_the_queryset_for_every_value_in_one_query(self):
        calls = []

        def build(**values):
            calls.append(values)
            return due_since(**values)

        key = ("test-due-since",)
        for owner, since, title in (
            (self.w.bun.pk, datetime.date(2025, 1, 1), "Plan för välfärdsteknik"),
            (self.w.von.pk, datetime.date(2024, 1, 1), "Utred lokalerna"),
            (self.w.bun.pk, datetime.date(2026, 1, 1), "Se över <taxorna>"),
            (self.w.kf.pk, datetime.date(2020, 1, 1), "ingen"),
        ):
            with self.subTest(owner=owner, since=since, title=title):
                expected = list(due_since(owner=owner, since=since, title=title))
                with self.assertNumQueries(1):
                    rows = prepared_rows(key, build, owner=owner, since=since, title=title)
                self.assertEqual(rows, expected)
                self.assertTrue(all(isinstance(r[1], datetime.date) for r in rows))
        self.assertEqual(len(calls), 1)  # compiled once, with stand-ins
        self.assertNotIn(self.w.bun.pk, calls[0].values())
        self.assertEqual(
            [r[2] for r in prepared_rows(key, build, owner=self.w.von.pk, since=datetime.date(
                2024, 1, 1), title="")],
            ["Plan för välfärdsteknik", "Se över <taxorna>"],
        )  # fmt: skip

    def test_a_value_that_is_not_a_parameter_is_refused(self):
        def starts(*, prefix):  # startswith adds a wildcard to the value
            return Assignment.objects.filter(title__startswith=prefix).values_list("pk")

        def in_year(*, year):  # the year becomes two dates
            return Assignment.objects.filter(due__year=year).values_list("pk")

        def flag(*, open_):
            return Assignment.objects.filter(pk__isnull=open_).values_list("pk")

        for key, build, values in (
            (("test-starts",), starts, {"prefix": "Se över"}),
            (("test-year",), in_year, {"year": 2025}),
            (("test-flag",), flag, {"open_": True}),
        ):
            with self.subTest(key=key), self.assertRaises(ValueError):
                prepared_rows(key, build, **values)

    def test_a_list_of_values_of_the_length_in_the_key(self):
        def titles(*, pks):
            return Assignment.objects.filter(pk__in=pks).order_by("title").values_list("title")

        pks = sorted(Assignment.objects.values_list("pk", flat=True))
        for chosen in (pks[:2], pks[2:], [pks[3], pks[0]]):
            with self.subTest(chosen=chosen):
                rows = prepared_rows(("test-titles", len(chosen)), titles, pks=chosen)
                self.assertEqual(rows, list(titles(pks=chosen)))
        with self.assertRaises(ValueError):  # three values where the SQL has places for two
            prepared_rows(("test-titles", 2), titles, pks=pks[:3])
