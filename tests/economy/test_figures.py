"""The economy figures' core: periods, amounts, the roll-up and the one write path."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from economy.figures import figures_for
from economy.models import CategoryKind, EconomyCategory, EconomyFigure, FigureKind
from economy.rules import EconomyPeriod
from economy.services import FigureInput, FiguresChanged, figures_save
from ledmot.lib.numbers import parse_kronor
from ledmot.services import org_unit_move
from tests.conftest import build_world

B, OUT, F = FigureKind.BUDGET, FigureKind.OUTCOME, FigureKind.FORECAST


def put(unit, period, kind, amount, category=None, user=None):
    return figures_save(figures=[FigureInput(unit, period, kind, amount, category)], user=user)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1 250 000", 1_250_000),
        ("−40 000", -40_000),
        ("-40\u00a0000", -40_000),
        ("12,0", 12),
        ("", None),
        (45_000_000, 45_000_000),
        (-3.0, -3),
    ],
)
def test_amounts_are_read_as_swedes_type_them(text, amount):
    assert parse_kronor(text) == amount


@pytest.mark.parametrize("text", ["tolv", "12,5", "10 %", "1e20", True])
def test_odd_amounts_are_refused_with_a_message(text):
    with pytest.raises(ValueError, match="kronor"):
        parse_kronor(text)


def test_periods_include_the_interim_report():
    d = EconomyPeriod.entered("2026-d")
    assert (d.key, d.kind, d.lock_key) == ("2026-D", "interim", "2026-08")
    assert EconomyPeriod.parse("2026-T1") < d < EconomyPeriod.parse("2026")
    with pytest.raises(ValueError, match="2026-D"):
        EconomyPeriod.entered("2026-Q1")


def test_a_committee_is_the_sum_of_its_units_unless_entered(world):
    put(world.skola1, "2026", B, 45_000_000)
    put(world.skola2, "2026", B, 30_000_000)
    put(world.skola1, "2026-T2", OUT, 20_000_000)
    rows = figures_for([world.bun, world.skola1, world.kf], 2026)
    bun = rows[world.bun.pk]
    assert (bun.budget.amount, bun.budget.summed, bun.budget.units) == (75_000_000, True, 2)
    assert rows[world.skola1.pk].budget.summed is False
    assert bun.outcome.amount == 20_000_000 and bun.outcome.period.key == "2026-T2"
    assert bun.outcome_deviation == 55_000_000

    # Entered for the förvaltning: counted once, not again through its schools.
    put(world.buf, "2026", B, 80_000_000)
    put(world.bun, "2026", F, -2_000_000)
    rows = figures_for([world.bun, world.kf], 2026)
    assert rows[world.bun.pk].budget.amount == 80_000_000
    assert rows[world.bun.pk].forecast.summed is False
    assert rows[world.kf.pk].budget.amount == 80_000_000


def test_categories_net_into_the_total_where_no_total_is_entered(world):
    staff = EconomyCategory.objects.create(name="Personal", code="personal")
    fees = EconomyCategory.objects.create(
        name="Avgifter", code="avgifter", kind=CategoryKind.REVENUE
    )
    put(world.skola1, "2026", B, 40_000_000, staff)
    put(world.skola1, "2026", B, 1_000_000, fees)
    rows = figures_for([world.skola1, world.bun], 2026)
    assert rows[world.skola1.pk].budget.amount == 39_000_000
    assert rows[world.skola1.pk].get(B, "2026", staff.pk).amount == 40_000_000
    assert rows[world.bun.pk].budget.amount == 39_000_000


def test_the_interim_view_stops_at_its_period(world):
    put(world.skola1, "2026-D", F, 46_000_000)
    put(world.skola1, "2026-T3", F, 47_000_000)
    put(world.skola1, "2026-D", OUT, 30_000_000)
    put(world.skola1, "2026-T2", OUT, 29_000_000)
    row = figures_for([world.skola1], 2026, until="2026-D")[world.skola1.pk]
    assert (row.forecast.amount, row.outcome.amount) == (46_000_000, 30_000_000)
    assert figures_for([world.skola1], 2026)[world.skola1.pk].forecast.amount == 47_000_000


def test_the_roll_up_takes_two_queries(world, django_assert_num_queries):
    put(world.skola1, "2026", B, 1)
    with django_assert_num_queries(2):
        figures_for([world.kf, world.bun, world.von], 2026)


def test_one_save_writes_one_history_row_with_the_user(world):
    [row] = put(world.skola1, "2026", B, 45_000_000, user=world.editor)
    assert row.history.count() == 1
    assert row.history.first().history_user == world.editor
    figures_save(
        figures=[FigureInput(world.skola1, "2026", B, 46_000_000, seen_version=1)],
        user=world.editor,
    )
    row.refresh_from_db()
    assert (row.amount, row.version, row.history.count()) == (46_000_000, 2, 2)


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    put(world.skola1, "2026", B, 45_000_000, user=world.editor)
    with pytest.raises(FiguresChanged) as caught:
        figures_save(
            figures=[
                FigureInput(world.skola2, "2026", B, 1, seen_version=0),
                FigureInput(world.skola1, "2026", B, 44_000_000, seen_version=0),
            ],
            user=world.controller,
        )
    assert "45" in caught.value.messages[0]
    assert list(EconomyFigure.objects.values_list("amount", flat=True)) == [45_000_000]


def test_an_editor_of_another_unit_is_refused(world):
    with pytest.raises(PermissionDenied):
        put(world.skola1, "2026", B, 1, user=world.other_editor)
    assert not EconomyFigure.objects.exists()


def test_the_model_checks_the_same_rules(world):
    from django.core.exceptions import ValidationError

    figure = EconomyFigure(org_unit=world.skola1, period="2026-Q1", kind=B, amount=10**14)
    with pytest.raises(ValidationError) as caught:
        figure.full_clean()
    assert set(caught.value.message_dict) == {"period", "amount"}


def test_a_closed_interim_round_locks_the_interim_figures_only(world):
    import datetime

    from economy.services import FiguresLocked
    from followup.services import round_close
    from tests.followup.helpers import open_round

    rnd = open_round(world, kind="Delårsrapport", period_end=datetime.date(2026, 8, 31))
    round_close(rnd=rnd, user=world.controller)
    with pytest.raises(FiguresLocked) as caught:
        put(world.skola1, "2026-D", F, 1, user=world.controller)
    assert "2026 delår ingår i Delårsrapport 2026, som är stängd" in caught.value.messages[0]
    put(world.skola1, "2026", F, 1, user=world.controller)  # the year is still open
    assert list(EconomyFigure.objects.values_list("period", flat=True)) == ["2026"]


def test_a_schools_figures_are_looked_up_by_its_units_not_read_for_every_unit(world):
    """The figures of one school's subtree are looked up by its units (on SQLite: the
    index on year and unit), not read for every unit of the municipality and joined to
    each unit's path: a LIKE on the path cannot use an index, so the school's page grew
    with the municipality (issue 12, point 4)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from economy.figures import figures_over_years

    for n, unit in enumerate([world.skola1, world.skola2, world.boende1, world.buf, world.vof]):
        put(unit, "2026", B, 1_000_000 * (n + 1))
    with CaptureQueriesContext(connection) as captured:
        rolled = figures_over_years([world.skola1, world.buf], [2026])
    assert rolled[world.skola1.pk][2026].budget.amount == 1_000_000
    assert rolled[world.buf.pk][2026].budget.amount == 4_000_000
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans tables this small as a sequential scan either way
    (sql,) = [q["sql"] for q in captured.captured_queries if "economy_economyfigure" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = [row[-1] for row in cursor.fetchall()]
    figures = [step for step in plan if "economy_economyfigure" in step]
    assert figures and all("org_unit_id=?" in step for step in figures), plan


class KeptRollUpTests(TransactionTestCase):
    serialized_rollback = True  # the perspectives and round kinds the migrations made

    """A roll-up reads every figure under its units, so outside a transaction it is made
    once per version of what it depends on and kept: asked again, it costs one query
    whatever the size of the tree; any figure saved, category changed or unit moved
    makes the next one afresh, never a stale sum."""

    def setUp(self):
        cache.clear()
        self.w = build_world()

    def budget(self):
        return figures_for([self.w.bun], 2026)[self.w.bun.pk].budget

    def save(self, unit, amount):
        figures_save(
            figures=[FigureInput(unit, "2026", FigureKind.BUDGET, amount)], user=self.w.controller
        )

    def test_kept_until_a_figure_changes(self):
        self.save(self.w.skola1, 40_000_000)
        assert self.budget().amount == 40_000_000
        with CaptureQueriesContext(connection) as ctx:
            assert self.budget().amount == 40_000_000
        assert len(ctx.captured_queries) == 1  # the version
        self.save(self.w.skola1, 41_000_000)
        assert self.budget().amount == 41_000_000
        self.save(self.w.skola2, 5_000_000)
        assert self.budget().amount == 46_000_000

    def test_a_unit_moved_away_leaves_the_sum(self):
        self.save(self.w.skola1, 40_000_000)
        self.save(self.w.boende1, 7_000_000)
        assert self.budget().amount == 40_000_000
        org_unit_move(unit=self.w.boende1, parent=self.w.buf, user=None)  # as a command
        assert self.budget().amount == 47_000_000

    def test_inside_a_transaction_it_is_made_afresh_and_not_kept(self):
        self.save(self.w.skola1, 40_000_000)
        with transaction.atomic():
            self.save(self.w.skola1, 1)
            assert self.budget().amount == 1
            transaction.set_rollback(True)
        assert self.budget().amount == 40_000_000
