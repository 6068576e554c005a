"""Make a follow-up round's report PDF from the command line, e.g. for scheduled
archiving:

    python manage.py render_report --round 12 [--org BUN] [--pdfa] --out rapport.pdf

The report is also kept under the round (made by "the command line"), as one made
in the browser is.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from followup.models import FollowUpRound, GeneratedReport
from followup.report_document import report_title
from followup.report_pdf import generated_report_render, report_orgs


class Command(BaseCommand):
    help = "Tar fram en uppföljnings rapport som PDF (hela kommunen eller en nämnd)."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, help="uppföljningens id")
        parser.add_argument("--org", default="", help="nämndens kod; utelämnad = hela kommunen")
        parser.add_argument("--pdfa", action="store_true", help="PDF/A-3u för arkivet")
        parser.add_argument(
            "--units-in-full",
            action="store_true",
            help="en nämnds rapport med varje enhetsmål i sin helhet",
        )
        parser.add_argument("--out", required=True, type=Path, help="filen att skriva")

    def handle(self, *args, round, org, pdfa, out, units_in_full, **options):
        rnd = FollowUpRound.objects.select_related("kind").filter(pk=round).first()
        if rnd is None:
            raise CommandError(f"Ingen uppföljning med id {round}.")
        unit = None
        if org:
            unit = report_orgs().filter(code=org).first()
            if unit is None:
                codes = ", ".join(report_orgs().values_list("code", flat=True))
                raise CommandError(f"Ingen nämnd med koden {org!r}. Välj en av: {codes}.")
        if units_in_full and unit is None:
            raise CommandError("--units-in-full gäller bara en nämnds rapport (--org).")
        if out.parent and not out.parent.is_dir():
            raise CommandError(f"Katalogen {out.parent} finns inte.")
        job = GeneratedReport.objects.create(
            round=rnd,
            org_unit=unit,
            pdfa=pdfa,
            units_in_full=units_in_full,
            title=report_title(rnd, unit),
        )
        with translation.override("sv"):
            ok = generated_report_render(job)
        job.refresh_from_db()
        if not ok:
            raise CommandError(job.error)
        with job.file.open("rb") as src:
            out.write_bytes(src.read())
        self.stdout.write(
            f"{job.title}: {job.pages} sidor, {job.size} byte, SHA-256 {job.sha256} → {out}"
        )
