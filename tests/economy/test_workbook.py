"""The «Ekonomi» sheet of the workbook: round trip, changes with history, problems by
sheet, row and column, the locks of closed rounds, all or nothing; and the import
screen's preview and confirm."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from economy.models import EconomyCategory, EconomyFigure, FigureKind
from economy.services import FigureInput, figures_save
from followup.services import round_close
from goals.workbook.importer import CHANGE, CREATE, INVALID, UNCHANGED, apply_plan, read_plan
from tests.followup.helpers import open_round
from tests.goals.workbook.helpers import edit, exported, find_row, sheet_rows, xlsx

pytestmark = pytest.mark.django_db

B, OUT, F = FigureKind.BUDGET, FigureKind.OUTCOME, FigureKind.FORECAST
HEADINGS = ("Organisation", "Period", "Slag", "Kategori", "Belopp (kr)")


def plan_of(data: bytes, user=None):
    return read_plan(io.BytesIO(data), user=user)


def problems(plan) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in plan.problems]


@pytest.fixture
def figures(world):
    world.staff = EconomyCategory.objects.create(name="Personal", code="personal", order=1)
    figures_save(
        figures=[
            FigureInput(world.skola1, "2025", B, 44_000_000),
            FigureInput(world.skola1, "2025", OUT, 44_512_300),
            FigureInput(world.skola1, "2026-D", F, -150_000),
            FigureInput(world.skola1, "2026", B, 30_000_000, world.staff),
        ],
        user=world.controller,
    )
    return world


def test_the_export_writes_the_sheet_as_the_import_reads_it(figures):
    rows = sheet_rows(exported(), "Ekonomi")
    assert rows == [
        HEADINGS,
        ("SKOLA1", "2025", "Budget", None, 44_000_000),
        ("SKOLA1", "2025", "Utfall", None, 44_512_300),
        ("SKOLA1", "2026-D", "Prognos", None, -150_000),
        ("SKOLA1", "2026", "Budget", "personal", 30_000_000),
    ]


def test_round_trip_changes_nothing(figures):
    w = figures
    data = exported()
    before = EconomyFigure.history.count()
    plan = plan_of(data, user=w.controller)
    assert plan.ok, problems(plan)
    assert plan.counts()["economy"] == {CREATE: 0, CHANGE: 0, UNCHANGED: 4, INVALID: 0}
    apply_plan(plan, user=w.controller)
    assert EconomyFigure.history.count() == before


def test_a_finance_export_is_read_in_with_swedish_numbers_and_history(figures):
    w = figures
    data = xlsx(
        {
            "Ekonomi": [
                ["SKOLA2", "2026", "Budget", None, "31 500 000"],
                ["Lindens skola", "2026-T1", "utfall", "", "\u221210 250"],
                ["SKOLA1", "2025", "Utfall", None, 44_600_000],
                ["BUN", "2026", "Prognos", "Personal", 1_000_000.0],
            ]
        }
    )
    plan = plan_of(data, user=w.controller)
    assert plan.ok, problems(plan)
    assert plan.counts()["economy"] == {CREATE: 3, CHANGE: 1, UNCHANGED: 0, INVALID: 0}
    apply_plan(plan, user=w.controller)
    saved = {
        (f.org_unit.code, f.period, f.kind, f.category_id): f.amount
        for f in EconomyFigure.objects.select_related("org_unit")
    }
    assert saved[("SKOLA2", "2026", B, None)] == 31_500_000
    assert saved[("SKOLA2", "2026-T1", OUT, None)] == -10_250
    assert saved[("SKOLA1", "2025", OUT, None)] == 44_600_000
    assert saved[("BUN", "2026", F, w.staff.pk)] == 1_000_000
    changed = EconomyFigure.objects.get(org_unit=w.skola1, period="2025", kind=OUT)
    assert changed.version == 2
    assert changed.history.first().history_user == w.controller


def test_every_problem_is_named_by_row_and_column_and_nothing_is_saved(figures):
    w = figures
    data = xlsx(
        {
            "Ekonomi": [
                ["OKÄND", "2026", "Budget", None, 1],
                ["SKOLA1", "2026-Q1", "Budget", None, 1],
                ["SKOLA1", "2026", "Kostnad", None, 1],
                ["SKOLA1", "2026", "Budget", "Lokaler", 1],
                ["SKOLA1", "2026", "Budget", None, "12,5"],
                ["SKOLA2", "2026", "Budget", None, 1],
                ["SKOLA2", "2026", "Budget", None, 2],
            ]
        }
    )
    before = EconomyFigure.history.count()
    plan = plan_of(data, user=w.controller)
    found = problems(plan)
    assert ("Ekonomi", 2, "Organisation", "Okänd organisation ”OKÄND”.") in found
    assert any(p[1:3] == (3, "Period") and "2026-D" in p[3] for p in found)
    assert any(p[1:3] == (4, "Slag") and "Budget, Utfall, Prognos" in p[3] for p in found)
    assert any(p[1:3] == (5, "Kategori") and "Lokaler" in p[3] for p in found)
    assert ("Ekonomi", 6, "Belopp (kr)", "Ange beloppet i hela kronor, utan ören.") in found
    assert any(p[1:3] == (8, "Period") and "rad 7" in p[3] for p in found)
    with pytest.raises(Exception):  # noqa: B017 - PlanNotApplicable
        apply_plan(plan, user=w.controller)
    assert EconomyFigure.history.count() == before


def test_a_closed_rounds_figures_are_refused_in_the_preview(figures):
    w = figures
    rnd = open_round(w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
    round_close(rnd=rnd, user=w.controller)
    data = exported()
    row = find_row(data, "Ekonomi", "Belopp (kr)", 44_512_300)
    plan = plan_of(edit(data, "Ekonomi", row, "Belopp (kr)", 1), user=w.controller)
    assert problems(plan) == [
        (
            "Ekonomi",
            row,
            "Belopp (kr)",
            "Ekonomin för 2025 ingår i Årsredovisning 2025, som är stängd, och kan inte ändras.",
        )
    ]


def test_an_editor_without_the_controller_role_may_not_import_figures(figures):
    w = figures
    plan = plan_of(xlsx({"Ekonomi": [["SKOLA1", "2027", "Budget", None, 1]]}), user=w.editor)
    assert [p[2] for p in problems(plan)] == ["Organisation"]


def test_the_import_screen_previews_and_applies_the_sheet(figures, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = figures
    client.force_login(w.controller)
    data = xlsx({"Ekonomi": [["SKOLA2", "2027", "Budget", None, "32 000 000"]]})
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = client.post(
        "/import/", {"file": SimpleUploadedFile("ekonomi.xlsx", data, content_type=xlsx_type)}
    )
    page = client.get(response["Location"]).content.decode()
    assert "Ekonomi" in page and "Lindens skola 2027 Budget" in page
    assert not EconomyFigure.objects.filter(period="2027").exists()
    client.post(response["Location"] + "genomfor/")
    assert EconomyFigure.objects.get(period="2027").amount == 32_000_000
