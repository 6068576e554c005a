"""Import a full workbook (the layout of ``export_workbook``) from the command line.

    python manage.py import_workbook fil.xlsx --dry-run
    python manage.py import_workbook fil.xlsx --user controller

Prints the preview (what would be created, changed, left alone) and every
problem with sheet, row and column. With any problem nothing is applied and the
exit status is 1; ``--dry-run`` never applies anything. ``--user`` is the user
the history records name, and whose rights are checked (a controller may change
only the org units they manage); without it the import may change everything
and the history names no user.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from goals.workbook.columns import all_sheets
from goals.workbook.importer import apply_plan, read_plan
from goals.workbook.safety import UnsafeWorkbook, check_upload
from ledmot.services import ConflictError

MAX_LISTED = 200


class Command(BaseCommand):
    help = "Importera mål, aktiviteter, indikatorer, målvärden och utfall från en Excel-fil."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Excel-fil (.xlsx) i exportens format.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa bara vad som skulle ändras."
        )
        parser.add_argument("--user", help="Användarnamn som står i historiken.")

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, verbosity: int, **kw):
        person = None
        if user:
            try:
                person = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Det finns ingen användare ”{user}”.") from None
        if not file.is_file():
            raise CommandError(f"Filen {file} finns inte.")
        with file.open("rb") as fh:
            try:
                check_upload(file.name, fh)
                plan = read_plan(fh, user=person)
            except UnsafeWorkbook as exc:
                raise CommandError(str(exc)) from None

        summary = plan.summary(max_rows=MAX_LISTED if verbosity < 2 else 10**9)
        names = {s.key: s.name for s in all_sheets()}
        self.stdout.write(f"{file.name}: {plan.row_count} rader")
        for key, c in summary["counts"].items():
            self.stdout.write(
                f"  {names[key]}: {c['create']} nya, {c['change']} ändrade, "
                f"{c['unchanged']} oförändrade"
                + (f", {c['invalid']} med fel" if c["invalid"] else "")
            )
        if verbosity >= 1 and summary["rows"]:
            self.stdout.write("\nÄndringar:")
            for row in summary["rows"]:
                verb = "ny" if row["action"] == "create" else "ändras"
                self.stdout.write(f"  {row['sheet']} rad {row['row']} ({verb}): {row['label']}")
                for column, old, new in row["changes"]:
                    self.stdout.write(f"      {column}: {old} → {new}")
            more = summary["rows_total"] - len(summary["rows"])
            if more > 0:
                self.stdout.write(f"  … och {more} rader till (-v 2 visar alla)")
        if plan.problems:
            self.stderr.write(f"\n{len(plan.problems)} fel:")
            for p in plan.problems:
                column = f", {p.column}" if p.column else ""
                self.stderr.write(f"  {p.sheet} rad {p.row}{column}: {p.message}")
            raise CommandError("Inget har importerats: rätta felen och försök igen.")
        if dry_run:
            self.stdout.write(self.style.SUCCESS("\nProvkörning: inget har sparats."))
            return
        if not plan.has_changes:
            self.stdout.write(self.style.SUCCESS("\nInget att ändra."))
            return
        try:
            apply_plan(plan, user=person, reason=f"Import från Excel ({file.name})")
        except ConflictError as exc:
            raise CommandError(f"Inget har importerats: {exc}") from None
        self.stdout.write(self.style.SUCCESS("\nImporten är genomförd."))
