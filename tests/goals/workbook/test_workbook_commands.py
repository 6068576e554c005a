"""import_workbook and export_workbook from the command line: output and exit status."""

import pytest
from django.core.management import CommandError, call_command

from goals.models import Goal

from .helpers import BILLION_LAUGHS, edit, find_row, with_member, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_file(world, tmp_path):
    path = tmp_path / "alla.xlsx"
    call_command("export_workbook", str(path))
    return path


def test_export_then_import_unchanged(export_file, capsys):
    call_command("import_workbook", str(export_file))
    out = capsys.readouterr().out
    assert "Mål: 0 nya, 0 ändrade, 4 oförändrade" in out
    assert "Inget att ändra." in out


def test_dry_run_applies_nothing(world, export_file, capsys):
    data = export_file.read_bytes()
    row = find_row(data, "Mål", "Id", world.unit_goal.pk)
    export_file.write_bytes(edit(data, "Mål", row, "Titel", "Ny titel"))
    call_command("import_workbook", str(export_file), "--dry-run")
    out = capsys.readouterr().out
    assert "Titel: Fler elever i årskurs 9 ska nå minst godkänt i matematik → Ny titel" in out
    assert "Provkörning: inget har sparats." in out
    world.unit_goal.refresh_from_db()
    assert world.unit_goal.title != "Ny titel"
    call_command("import_workbook", str(export_file), "--user", "controller")
    world.unit_goal.refresh_from_db()
    assert world.unit_goal.title == "Ny titel"
    assert world.unit_goal.history.first().history_user == world.controller


def test_errors_exit_non_zero_and_apply_nothing(world, tmp_path, capsys):
    path = tmp_path / "fel.xlsx"
    path.write_bytes(
        xlsx(
            {
                "Mål": [
                    [None, "KF", None, "KF", "Bra mål", "", "Medborgare", "2023-2026", "Förslag"],
                    [
                        None,
                        "KF",
                        None,
                        "NIX",
                        "Dåligt mål",
                        "",
                        "Medborgare",
                        "2023-2026",
                        "Förslag",
                    ],
                ]
            }
        )
    )
    with pytest.raises(CommandError, match="Inget har importerats"):
        call_command("import_workbook", str(path))
    assert "Mål rad 3, Organisation: Okänd organisation ”NIX”." in capsys.readouterr().err
    assert not Goal.objects.filter(title="Bra mål").exists()


def test_refused_file_exits_non_zero(world, tmp_path):
    path = tmp_path / "lol.xlsx"
    path.write_bytes(with_member(xlsx({"Mål": []}), "xl/worksheets/sheet1.xml", BILLION_LAUGHS))
    with pytest.raises(CommandError, match="DOCTYPE/ENTITY"):
        call_command("import_workbook", str(path))


def test_exit_status_of_the_process(world, tmp_path):
    """The status a script sees: non-zero on errors (CommandError → 1 via the runner)."""
    from django.core.management import ManagementUtility

    path = tmp_path / "fel.xlsx"
    path.write_bytes(xlsx({"Utfall": [[world.indicator.pk, "2024", "T", "tolv", None]]}))
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_workbook", str(path)]).execute()
    assert exc.value.code == 1
