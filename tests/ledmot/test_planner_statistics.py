"""Fresh planner statistics after a bulk load (ledmot/lib/db.py): where data arrives in
bulk — the workbook import, the Kolada sync, seed_scale — the database is analysed once
the load commits, so the next pages are planned for the data as it now is."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from goals import kolada
from goals.models import KoladaValue, Measurement
from goals.services import ValueInput, measurements_save
from goals.workbook.importer import apply_plan
from ledmot.lib.db import refresh_statistics

from ..goals.workbook.helpers import edit, exported, find_row
from ..goals.workbook.test_workbook_import import plan_of

pytestmark = pytest.mark.django_db


def planner_rows(model) -> float | None:
    """The number of rows the planner believes ``model``'s table holds (None: it has no
    statistics for it)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            row = cursor.fetchone()
            return float(row[0].split()[0]) if row else None
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [table])
        (rows,) = cursor.fetchone()
        return None if rows < 0 else rows  # -1: never analysed


def kolada_rows(n: int) -> list[kolada.Row]:
    return [kolada.Row("N15428", f"{1000 + i:04d}", 2024, "T", Decimal(i)) for i in range(n)]


@override_settings(LEDMOT_ANALYZE_ROWS=5)
def test_a_large_kolada_sync_is_analysed_once_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        kolada.sync(kolada_rows(6), fetched_at=timezone.now(), own_code="0000")
    assert len(callbacks) == 1
    assert planner_rows(KoladaValue) == KoladaValue.objects.count() == 6


@override_settings(LEDMOT_ANALYZE_ROWS=5)
def test_a_small_kolada_sync_leaves_the_statistics_alone(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        kolada.sync(kolada_rows(4), fetched_at=timezone.now(), own_code="0000")
    assert callbacks == []


@override_settings(LEDMOT_ANALYZE_ROWS=1)
def test_an_import_is_analysed_once_it_commits(world, django_capture_on_commit_callbacks):
    value = ValueInput(indicator=world.indicator, period="2024", value=Decimal("71.5"))
    measurements_save(values=[value], user=world.editor)
    data = exported()
    data = edit(data, "Utfall", find_row(data, "Utfall", "Kön", "T"), "Värde", "72,5")
    plan = plan_of(data, user=world.controller)
    assert plan.ok
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apply_plan(plan, user=world.controller)
    assert len(callbacks) == 1
    assert planner_rows(Measurement) == Measurement.objects.count()


def test_seeding_always_asks_and_small_writes_do_not(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert refresh_statistics() is True
        assert refresh_statistics(999) is False
        assert refresh_statistics(1000) is True
    assert len(callbacks) == 2
