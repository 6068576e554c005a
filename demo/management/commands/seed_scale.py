"""``manage.py seed_scale --size {demo,large}``: demo data, or a municipality the size of
Sweden's largest for benchmarks."""

import time

from django.core.management.base import BaseCommand

from demo.management.commands.seed_demo import (
    add_today,
    add_wipe_guard,
    refuse_wipe_in_production,
    write_summary,
)
from demo.scale import LARGE, SMALL, seed_scale
from demo.seed import seed_demo

SIZES = {"demo": None, "large": LARGE, "small": SMALL}


class Command(BaseCommand):
    help = (
        "Bygger testdata i en viss storlek: 'demo' är samma som seed_demo, 'large' en kommun "
        "i storlek med Sveriges största (cirka 20 000 mål och aktiviteter)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="demo")
        add_today(parser)
        add_wipe_guard(parser)

    def handle(self, *args, size, today=None, **options):
        refuse_wipe_in_production(options)
        started = time.perf_counter()
        spec = SIZES[size]
        if spec is None:
            result = seed_demo(today)
        else:
            result = seed_scale(spec, progress=lambda line: self.stdout.write(f"  {line}"))
        write_summary(self.stdout, self.style, result)
        self.stdout.write(f"\nKlart på {time.perf_counter() - started:.1f} s.")
