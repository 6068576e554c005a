"""Fetch the indicators' Kolada key figures and store them.

    python manage.py kolada_sync
    python manage.py kolada_sync --years 2019-2025 --kpi N15428 N15419
    python manage.py kolada_sync --from-file svar1.json --from-file svar2.json

Without ``--kpi`` every KPI an indicator is linked to is fetched, for the own
municipality (``LEDMOT_KOLADA_MUNICIPALITY``) and the comparison ones
(``LEDMOT_KOLADA_COMPARE``). ``--from-file`` reads responses saved from the API
(one response object or a list of them per file) instead of the network; then
``--kpi`` and ``--years``, when given, pick which of the saved rows to keep.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from goals import kolada, rules

YEARS_HELP = "År att hämta: 2019-2025, 2023 eller 2021,2023 (standard: de senaste sju åren)."


def parse_years(text: str) -> list[int]:
    """``2019-2025``, ``2023`` or ``2021,2023`` → a sorted list of years."""
    years: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", part)
        if m:
            first, last = int(m[1]), int(m[2])
            if last < first:
                raise CommandError(
                    f"Ogiltigt årsintervall ”{part}”: sista året är före det första."
                )
            years.update(range(first, last + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.add(int(part))
        else:
            raise CommandError(f"Ogiltiga år ”{text}”: skriv t.ex. 2019-2025.")
    if not years:
        raise CommandError(f"Ogiltiga år ”{text}”: skriv t.ex. 2019-2025.")
    return sorted(years)


def default_years(today=None) -> list[int]:
    """The current year − 7 … the current year − 1."""
    year = (today or timezone.localdate()).year
    return list(range(year - 7, year))


def read_responses(path: str) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise CommandError(f"Kunde inte läsa {path}: {e.strerror or e}") from e
    except ValueError as e:
        raise CommandError(f"{path} är inte giltig JSON: {e}") from e
    responses = data if isinstance(data, list) else [data]
    if not all(isinstance(r, dict) for r in responses):
        raise CommandError(f"{path} ska innehålla ett Kolada-svar eller en lista av svar.")
    return responses


class Command(BaseCommand):
    help = "Hämtar nyckeltal från Kolada för indikatorer som är kopplade till Kolada."

    def add_arguments(self, parser):
        parser.add_argument("--years", help=YEARS_HELP)
        parser.add_argument(
            "--from-file",
            dest="from_file",
            action="append",
            default=[],
            metavar="PATH",
            help="Läs sparade svar från Kolada i stället för att fråga nätet (kan upprepas).",
        )
        parser.add_argument(
            "--kpi",
            dest="kpi",
            action="extend",
            nargs="+",
            default=[],
            metavar="KPI",
            help="Bara dessa nyckeltal (standard: alla som indikatorer är kopplade till).",
        )

    def handle(self, *args, **options):
        own = kolada.normalise_municipality(settings.LEDMOT_KOLADA_MUNICIPALITY)
        compare = [kolada.normalise_municipality(c) for c in settings.LEDMOT_KOLADA_COMPARE]
        municipalities = kolada.unique([own, *compare])
        chosen_kpis = kolada.unique(kolada.normalise_kpi(k) for k in options["kpi"])
        for kpi in chosen_kpis:
            if rules.kolada_id_error(kpi):
                raise CommandError(kolada.bad_kpi_message(kpi))
        years = parse_years(options["years"]) if options["years"] else None
        summary = kolada.SyncSummary()

        if options["from_file"]:
            responses = [r for path in options["from_file"] for r in read_responses(path)]
            rows = self._from_files(responses, chosen_kpis, years, summary)
            origin = ", ".join(options["from_file"])
        else:
            kpis = chosen_kpis or kolada.linked_kpis(summary)
            if not kpis:
                self.stdout.write("Inga indikatorer är kopplade till Kolada. Inget att hämta.")
                return
            years = years or default_years()
            rows = kolada.iter_rows(kpis, municipalities, years, summary=summary)
            origin = (
                f"Kolada ({len(kpis)} nyckeltal, {len(municipalities)} kommuner, "
                f"{years[0]}–{years[-1]})"
            )

        try:
            kolada.sync(rows, fetched_at=timezone.now(), own_code=own, summary=summary)
        except kolada.KoladaError as e:
            raise CommandError(str(e)) from e
        self._report(summary, origin)

    @staticmethod
    def _from_files(responses, kpis, years, summary):
        wanted_kpis, wanted_years = set(kpis), set(years or [])
        for row in kolada.iter_response_rows(responses, summary=summary):
            if wanted_kpis and row.kpi not in wanted_kpis:
                continue
            if wanted_years and row.year not in wanted_years:
                continue
            yield row

    def _report(self, summary: kolada.SyncSummary, origin: str) -> None:
        out = self.stdout
        out.write(f"Källa: {origin}")
        out.write(f"Lästa värden: {summary.rows_read}")
        out.write(f"Borttagna i Kolada (hoppades över): {summary.deleted_skipped}")
        if summary.invalid_skipped:
            out.write(f"Ogiltiga rader (hoppades över): {summary.invalid_skipped}")
        out.write(f"Sparade Kolada-värden: {summary.values_stored}")
        out.write(f"Sparade utfall: {summary.measurements_saved}")
        out.write(f"Behållna egna utfall (skrevs inte över): {summary.kept_manual}")
        if summary.kpis_not_found:
            self.stderr.write(
                "Nyckeltal som Kolada inte känner till: " + ", ".join(summary.kpis_not_found)
            )
        for message in summary.messages:
            self.stderr.write(message)
        out.write(self.style.SUCCESS("Klart."))
