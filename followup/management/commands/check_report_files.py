"""Check that every report PDF kept in LedMot is on disk and unchanged, e.g. after a
backup is restored (README, "Säkerhetskopiering och återställning"):

    python manage.py check_report_files

Each file is compared with the SHA-256 recorded when the report was made. Any missing
or changed file is named and the command fails, so a script or a person sees it.
"""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from followup.models import GeneratedReport


class Command(BaseCommand):
    help = "Kontrollerar att varje sparad rapport-PDF finns och är oförändrad (SHA-256)."

    def handle(self, *args, **options):
        problems = []
        checked = 0
        for report in GeneratedReport.objects.exclude(file="").order_by("pk"):
            checked += 1
            try:
                with report.file.open("rb") as stored:
                    digest = hashlib.file_digest(stored, "sha256").hexdigest()
            except FileNotFoundError:
                problems.append(f"saknas: {report.file.name} ({report.title})")
                continue
            if digest != report.sha256:
                problems.append(f"ändrad: {report.file.name} ({report.title})")
        if problems:
            raise CommandError(
                f"{len(problems)} av {checked} rapportfiler stämmer inte:\n" + "\n".join(problems)
            )
        self.stdout.write(f"{checked} rapportfiler finns och stämmer med sina kontrollsummor.")
