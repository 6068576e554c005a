"""``manage.py seed_demo [--today ÅÅÅÅ-MM-DD]``: wipe and rebuild the demo municipality
Åsbacka kommun as it stands on that day (default: today)."""

import argparse
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import login_table, seed_demo


class Command(BaseCommand):
    help = (
        "Tömmer organisation, mål, aktiviteter, indikatorer, roller och demoanvändare och "
        "bygger upp demokommunen Åsbacka kommun på nytt (samma dag ger samma data)."
    )

    def add_arguments(self, parser):
        add_today(parser)
        add_wipe_guard(parser)

    def handle(self, *args, today=None, **options):
        refuse_wipe_in_production(options)
        result = seed_demo(today)
        write_summary(self.stdout, self.style, result)


def write_summary(stdout, style, result) -> None:
    counts = result.counts
    stdout.write(
        style.SUCCESS(
            f"Åsbacka kommun: {counts['org_units']} organisationsenheter, "
            f"{counts['goals']} mål ({counts['council_goals']} KF, "
            f"{counts['committee_goals']} nämnd, {counts['unit_goals']} enhet), "
            f"{counts['activities']} aktiviteter, {counts['indicators']} indikatorer."
        )
    )
    stdout.write("")
    stdout.write(login_table(result))


def iso_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def add_today(parser) -> None:
    parser.add_argument(
        "--today",
        type=iso_day,
        default=None,
        metavar="ÅÅÅÅ-MM-DD",
        help="Dagen demokommunen byggs för (förvalt: i dag). Årtalen flyttas så att det "
        "som pågår pågår den dagen.",
    )


def add_wipe_guard(parser) -> None:
    parser.add_argument(
        "--wipe-production",
        action="store_true",
        help="Kör även i produktion (DEBUG=0). Raderar kommunens riktiga data!",
    )


def refuse_wipe_in_production(options) -> None:
    """The seed wipes the organisation and all goals: never by mistake in production."""
    if not settings.LEDMOT_ALLOW_DEMO_SEED and not options.get("wipe_production"):
        raise CommandError(
            "Demodata raderar organisationen och alla mål. I produktion (DEBUG=0) körs "
            "kommandot bara med --wipe-production."
        )
