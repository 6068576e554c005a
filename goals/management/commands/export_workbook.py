"""Export the full workbook: goals, activities, indicators, targets and results.

    python manage.py export_workbook fil.xlsx
    python manage.py export_workbook mall.xlsx --empty

The file can be edited and read back with ``import_workbook``; exported and
imported unchanged, it changes nothing. ``--user`` limits the export to the org
units that user manages, as on the screen.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from goals.workbook.columns import all_sheets
from goals.workbook.export import export_workbook


class Command(BaseCommand):
    help = "Exportera mål, aktiviteter, indikatorer, målvärden och utfall till en Excel-fil."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Excel-fil (.xlsx) att skriva.")
        parser.add_argument("--user", help="Bara de enheter användaren är controller för.")
        parser.add_argument("--empty", action="store_true", help="Bara rubrikerna: en mall.")

    def handle(self, *args, file: Path, user: str | None, empty: bool, **kw):
        if file.suffix.lower() != ".xlsx":
            raise CommandError("Filnamnet ska sluta på .xlsx.")
        person = None
        if user:
            try:
                person = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Det finns ingen användare ”{user}”.") from None
        tmp = file.with_name(file.name + ".tmp")
        try:
            with tmp.open("wb") as fh:
                counts = export_workbook(fh, user=person, empty=empty)
            tmp.replace(file)
        finally:
            tmp.unlink(missing_ok=True)
        names = {s.key: s.name for s in all_sheets()}
        parts = ", ".join(f"{names[k]} {n}" for k, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{file}: {parts}"))
