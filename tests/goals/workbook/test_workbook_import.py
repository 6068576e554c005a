"""The importer: round trip, changes with history, new rows, every kind of problem."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from followup.models import Report, RoundStatus
from goals.models import (
    Activity,
    Gender,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    IndicatorLatest,
    Measurement,
    Target,
)
from goals.services import ValueInput, measurements_save
from goals.workbook.importer import CHANGE, CREATE, INVALID, UNCHANGED, apply_plan, read_plan
from ledmot.models import Role
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

from .helpers import edit, exported, find_row, sheet_rows, xlsx

pytestmark = pytest.mark.django_db


def plan_of(data: bytes, user=None):
    return read_plan(io.BytesIO(data), user=user)


def history_count() -> int:
    return (
        sum(m.history.count() for m in (Goal, Activity, Indicator, Target, Measurement))
        + Indicator.goals.through.objects.count()
    )


def messages(plan) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in plan.problems]


@pytest.fixture
def values(world):
    measurements_save(
        values=[
            ValueInput(indicator=world.indicator, period="2024", value=Decimal("71.5")),
            ValueInput(indicator=world.indicator, period="2024", value=Decimal("70"), gender="K"),
        ],
        user=world.editor,
    )
    world.target = Target.objects.create(indicator=world.indicator, year=2025, value=75)
    return world


def test_round_trip_changes_nothing(values):
    w = values
    data = exported()
    before = history_count()
    plan = plan_of(data, user=w.controller)
    assert plan.ok, messages(plan)
    assert not plan.has_changes
    counts = plan.counts()
    assert counts["goals"] == {CREATE: 0, CHANGE: 0, UNCHANGED: 4, INVALID: 0}
    assert counts["results"][UNCHANGED] == 2
    apply_plan(plan, user=w.controller)
    assert history_count() == before


def test_a_changed_value_is_saved_with_history_and_latest(values):
    w = values
    data = exported()
    row = find_row(data, "Utfall", "Kön", "T")
    data = edit(data, "Utfall", row, "Värde", "72,5")
    plan = plan_of(data, user=w.controller)
    assert plan.ok, messages(plan)
    [changed] = [r for r in plan.rows["results"] if r.action == CHANGE]
    assert [(c.column, c.old, c.new) for c in changed.changes] == [("Värde", "71,5", "72,5")]
    apply_plan(plan, user=w.controller)
    m = Measurement.objects.get(indicator=w.indicator, period="2024", gender=Gender.TOTAL)
    assert m.value == Decimal("72.5")
    record = m.history.first()
    assert record.history_user == w.controller
    assert "Import" in record.history_change_reason
    assert IndicatorLatest.objects.get(indicator=w.indicator).value == Decimal("72.5")


def test_goal_change_is_versioned_with_history_user(values):
    w = values
    data = exported()
    row = find_row(data, "Mål", "Id", w.unit_goal.pk)
    data = edit(data, "Mål", row, "Titel", '=HYPERLINK("x") ny titel')
    plan = plan_of(data, user=w.controller)
    assert plan.ok, messages(plan)
    apply_plan(plan, user=w.controller)
    w.unit_goal.refresh_from_db()
    assert w.unit_goal.title == '=HYPERLINK("x") ny titel'
    assert w.unit_goal.version == 2
    assert w.unit_goal.history.first().history_user == w.controller
    assert w.unit_goal.history.count() == 2


def test_new_chain_with_named_rows(world):
    w = world
    data = xlsx(
        {
            "Mål": [
                [
                    "ny-kf",
                    "KF",
                    None,
                    "KF",
                    "Trygg kommun",
                    "",
                    "Medborgare",
                    "2023-2026",
                    "Antaget",
                ],
                ["ny-n", "Nämnd", "ny-kf", "BUN", "Trygg skola", "", "Medborgare", 2024, "Förslag"],
                [
                    None,
                    "Enhet",
                    "ny-n",
                    "Ekbackens skola",
                    "Trygg skolgård",
                    "",
                    "medborgare",
                    "2023–2026",
                    "förslag",
                ],
            ],
            "Aktiviteter": [
                [
                    None,
                    "ny-n",
                    "SKOLA1",
                    "Rastvakter",
                    "Anna",
                    datetime.date(2025, 1, 1),
                    "2025-06-30",
                    "Pågår",
                ],
            ],
            "Indikatorer": [
                [
                    "ny-i",
                    "Andel trygga elever",
                    "%",
                    "Högre är bättre",
                    "År",
                    "ny-n, ny-kf",
                    "",
                    "BUN",
                    "81,5",
                    2022,
                ],
            ],
            "Målvärden": [["ny-i", 2026, "90"]],
            "Utfall": [["ny-i", "2024", None, "1 234,5", "Enkät"], ["ny-i", 2025, "K", 12.5, None]],
        }
    )
    plan = plan_of(data, user=w.controller)
    assert plan.ok, messages(plan)
    assert plan.counts()["goals"][CREATE] == 3
    apply_plan(plan, user=w.controller)
    council = Goal.objects.get(title="Trygg kommun")
    committee = Goal.objects.get(title="Trygg skola", parent=council, level=GoalLevel.COMMITTEE)
    unit_goal = Goal.objects.get(title="Trygg skolgård", parent=committee, owner=w.skola1)
    assert unit_goal.status == GoalStatus.PROPOSED
    assert council.history.first().history_user == w.controller
    activity = Activity.objects.get(title="Rastvakter")
    assert (activity.goal, activity.end) == (committee, datetime.date(2025, 6, 30))
    ind = Indicator.objects.get(name="Andel trygga elever")
    assert set(ind.goals.all()) == {committee, council}
    assert ind.baseline_value == Decimal("81.5")
    assert ind.targets.get(year=2026).value == 90
    values = {(m.period, m.gender): m.value for m in ind.measurements.all()}
    assert values == {("2024", "T"): Decimal("1234.5"), ("2025", "K"): Decimal("12.5")}
    assert ind.measurements.get(period="2024").comment == "Enkät"


def test_every_kind_of_problem_is_listed_and_nothing_saved(values):
    w = values
    before = (Goal.objects.count(), Measurement.objects.count(), history_count())
    closed = open_round(w)
    Report.objects.get_or_create(round=closed, org_unit=w.skola1)
    closed.status = RoundStatus.CLOSED
    closed.save()
    data = xlsx(
        {
            "Mål": [
                [
                    None,
                    "Nämnd",
                    999999,
                    "BUN",
                    "Okänd förälder",
                    "",
                    "Medborgare",
                    "2023-2026",
                    "Förslag",
                ],
                [
                    None,
                    "Enhet",
                    w.council_goal.pk,
                    "SKOLA1",
                    "Fel nivå",
                    "",
                    "Medborgare",
                    "2023-2026",
                    "Förslag",
                ],
                [
                    None,
                    "Nämnd",
                    w.council_goal.pk,
                    "SKOLA1",
                    "Fel ägare",
                    "",
                    "Medborgare",
                    "2023-2026",
                    "Förslag",
                ],
                [
                    None,
                    "KF",
                    None,
                    "FINNS-INTE",
                    "Okänd organisation",
                    "",
                    "Medborgare",
                    "2023-2026",
                    "Förslag",
                ],
                [
                    w.unit_goal.pk,
                    "Enhet",
                    w.committee_goal.pk,
                    "SKOLA1",
                    "A",
                    "",
                    "Medborgare",
                    "2023-2026",
                    "Antaget",
                ],
                [
                    w.unit_goal.pk,
                    "Enhet",
                    w.committee_goal.pk,
                    "SKOLA1",
                    "B",
                    "",
                    "Medborgare",
                    "2023-2026",
                    "Antaget",
                ],
                [None, "KF", None, "KF", "Fel period", "", "Medborgare", "1999-2002", "Förslag"],
            ],
            "Utfall": [
                [w.indicator.pk, "2024", "T", "tolv", None],
                [w.indicator.pk, "2024-13", "T", "12", None],
                [w.indicator.pk, "2024-T1", "T", "12", None],
                [w.indicator.pk, "2023", "T", "12", None],
                [w.indicator.pk, "2023", "T", "13", None],
                [w.indicator.pk, "2025", "X", "13", None],
            ],
        }
    )
    # A tertial round ending 2025-04-30 locks the yearly value of 2024 for SKOLA1.
    data2 = xlsx({"Utfall": [[w.indicator.pk, "2024", "T", "99", None]]})
    plan = plan_of(data, user=w.controller)
    got = messages(plan)
    text = "\n".join(m[3] for m in got)
    assert ("Mål", 2, "Överordnat id", "Okänt överordnat mål ”999999”.") in got
    assert any(m[1] == 3 and m[2] == "Överordnat id" and "Fel nivå" in m[3] for m in got)
    assert any(m[1] == 4 and m[2] == "Organisation" and "Fel nivå" in m[3] for m in got)
    assert ("Mål", 5, "Organisation", "Okänd organisation ”FINNS-INTE”.") in got
    assert ("Mål", 7, "Id", f"Id {w.unit_goal.pk} finns redan på rad 6.") in got
    assert ("Mål", 8, "Period", "Det finns ingen mandatperiod 1999-2002.") in got
    assert ("Utfall", 2, "Värde", "Skriv ett tal, t.ex. 12,5 eller 1 234.") in got
    assert any(m[1] == 3 and m[2] == "Period" and "Ogiltig period" in m[3] for m in got)
    assert any(m[1] == 4 and m[2] == "Period" and "finns inte för indikatorn" in m[3] for m in got)
    assert any(m[1] == 6 and m[2] == "Period" and "finns redan på rad 5" in m[3] for m in got)
    assert any(m[1] == 7 and m[2] == "Kön" for m in got)
    assert "Traceback" not in text
    with pytest.raises(Exception):
        apply_plan(plan, user=w.controller)
    locked = plan_of(data2, user=w.controller)
    assert messages(locked) == [
        (
            "Utfall",
            2,
            "Värde",
            "Värdet för 2024 ingår i Tertialrapport 2025, som är stängd, och kan inte ändras.",
        )
    ]
    assert (Goal.objects.count(), Measurement.objects.count(), history_count()) == before


def test_unknown_id_and_missing_column(world):
    data = xlsx(
        {"Aktiviteter": [[424242, world.unit_goal.pk, "SKOLA1", "X", "", None, None, "Pågår"]]}
    )
    assert messages(plan_of(data)) == [
        ("Aktiviteter", 2, "Id", "Det finns ingen aktivitet med id 424242.")
    ]
    headings = {"Målvärden": ["Indikator-id", "År"]}
    data = xlsx({"Målvärden": [[world.indicator.pk, 2025]]}, headings=headings)
    assert ("Målvärden", 1, "Målvärde", "Kolumnen saknas.") in messages(plan_of(data))


def test_a_controller_may_only_change_units_they_manage(values):
    w = values
    bun_controller = UserFactory(username="bunctl")
    grant(bun_controller, w.bun, Role.CONTROLLER)
    data = exported()
    # Unchanged rows outside the scope are fine; a change outside it is a problem.
    assert plan_of(data, user=bun_controller).ok
    data = xlsx(
        {
            "Aktiviteter": [[None, w.unit_goal.pk, "SKOLA1", "Inom", "", None, None, "Pågår"]],
            "Mål": [
                [
                    None,
                    "Nämnd",
                    w.council_goal.pk,
                    "VON",
                    "Utom",
                    "",
                    "Medborgare",
                    "2023-2026",
                    "Förslag",
                ]
            ],
        }
    )
    got = messages(plan_of(data, user=bun_controller))
    assert got == [
        (
            "Mål",
            2,
            "Organisation",
            "Du får inte ändra i Vård- och omsorgsnämnden: det kräver rollen controller där.",
        )
    ]
    # An editor (no MANAGE) may change nothing at all.
    got = messages(plan_of(data, user=w.editor))
    assert len(got) == 2


def test_swedish_numbers_and_excel_floats(world):
    w = world
    data = xlsx(
        {
            "Utfall": [
                [w.indicator.pk, "2021", "T", "12,5", None],
                [w.indicator.pk, "2022", "T", "1 234", None],
                [w.indicator.pk, "2023", "T", 0.1 + 0.2, None],
                [w.indicator.pk, "2024", "T", "−3", None],
            ]
        }
    )
    plan = plan_of(data, user=w.controller)
    assert plan.ok, messages(plan)
    apply_plan(plan, user=w.controller)
    got = dict(w.indicator.measurements.values_list("period", "value"))
    assert got == {
        "2021": Decimal("12.5"),
        "2022": Decimal("1234"),
        "2023": Decimal("0.3"),
        "2024": Decimal("-3"),
    }


def test_apply_is_all_or_nothing(values, monkeypatch):
    w = values
    data = xlsx(
        {
            "Mål": [[None, "KF", None, "KF", "Nytt", "", "Medborgare", "2023-2026", "Förslag"]],
            "Utfall": [[w.indicator.pk, "2020", "T", "1", None]],
        }
    )
    plan = plan_of(data, user=w.controller)
    assert plan.ok

    def boom(*args, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr("goals.workbook.importer.apply.measurements_save", boom)
    with pytest.raises(RuntimeError):
        apply_plan(plan, user=w.controller)
    assert not Goal.objects.filter(title="Nytt").exists()


def test_saving_imported_results_does_not_query_per_indicator(world):
    """The results of an import are saved in a number of queries that does not grow with
    the number of indicators: the locks read each indicator's name and end from the one
    bulk load (they were loaded one by one, twice per indicator: 4,000 queries for a
    large import)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import IndicatorFactory

    def queries_to_apply(n: int) -> int:
        indicators = [IndicatorFactory(responsible_unit=world.skola1) for _ in range(n)]
        rows = [[ind.pk, "2024", "T", 50 + i, None] for i, ind in enumerate(indicators)]
        rows += [[ind.pk, "2025", "T", 60 + i, "Ny"] for i, ind in enumerate(indicators)]
        plan = plan_of(xlsx({"Utfall": rows}), user=world.controller)
        assert plan.ok, messages(plan)
        with CaptureQueriesContext(connection) as queries:
            apply_plan(plan, user=world.controller)
        assert Measurement.objects.filter(indicator__in=indicators).count() == 2 * n
        return len(queries)

    assert queries_to_apply(2) == queries_to_apply(8)


def test_an_activitys_cost_goes_out_and_back_in_kronor(world):
    """The cost a unit typed on the activity's form is in the workbook as a number, and a
    controller can correct it there the Swedish way, with history."""
    w = world
    w.activity.cost = 1_250_000
    w.activity.save()
    data = exported()
    row = find_row(data, "Aktiviteter", "Id", w.activity.pk)
    assert sheet_rows(data, "Aktiviteter")[row - 1][-1] == 1_250_000
    plan = plan_of(edit(data, "Aktiviteter", row, "Kostnad (kr)", "−800 000"), user=w.controller)
    assert plan.ok, messages(plan)
    (change,) = [r for r in plan.rows["activities"] if r.action == CHANGE]
    assert [(c.column, c.old, c.new) for c in change.changes] == [
        ("Kostnad (kr)", "1\u00a0250\u00a0000", "\u2212800\u00a0000")
    ]
    apply_plan(plan, user=w.controller)
    w.activity.refresh_from_db()
    assert w.activity.cost == -800_000
    assert w.activity.history.latest().history_user == w.controller


def test_a_cost_in_ore_or_words_is_refused_beside_its_cell(world):
    w = world
    data = exported()
    row = find_row(data, "Aktiviteter", "Id", w.activity.pk)
    for text, message in (
        ("12,50", "Ange beloppet i hela kronor, utan ören."),
        ("en miljon", "Skriv beloppet i hela kronor, t.ex. 1 250 000 eller −800 000."),
    ):
        plan = plan_of(edit(data, "Aktiviteter", row, "Kostnad (kr)", text), user=w.controller)
        assert ("Aktiviteter", row, "Kostnad (kr)", message) in messages(plan)
        assert not plan.ok


def test_a_workbook_without_the_cost_column_leaves_costs_as_they_are(world):
    """Workbooks written before the column existed still import: the cost stays."""
    w = world
    w.activity.cost = 300_000
    w.activity.save()
    data = exported()
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Aktiviteter"]
    ws.delete_cols(ws.max_column)
    buf = io.BytesIO()
    wb.save(buf)
    plan = plan_of(buf.getvalue(), user=w.controller)
    assert plan.ok, messages(plan)
    assert not plan.has_changes
    apply_plan(plan, user=w.controller)
    w.activity.refresh_from_db()
    assert w.activity.cost == 300_000
