"""``manage.py seed_scale --size {demo,small,large,xlarge}``: demo data, or a generated
municipality: small (for tests), the size of Sweden's largest (for benchmarks) or four
times that (for growth checks)."""

import time

from django.core.management.base import BaseCommand

from demo.management.commands.seed_demo import (
    add_today,
    add_wipe_guard,
    refuse_wipe_in_production,
    write_summary,
)
from demo.scale import LARGE, SMALL, XLARGE, seed_scale
from demo.seed import seed_demo

SIZES = {"demo": None, "small": SMALL, "large": LARGE, "xlarge": XLARGE}


class Command(BaseCommand):
    help = (
        "Bygger testdata i en viss storlek: 'demo' är samma som seed_demo, 'large' en kommun "
        "i storlek med Sveriges största efter några år (cirka 20 000 mål och aktiviteter, "
        "över 100 000 utfall, 5 000 användare, uppföljningar), 'xlarge' fyra gånger så stor "
        "och 'small' en liten för tester."
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
        if spec is not None:
            self.stdout.write(
                "\n" + ", ".join(f"{name}: {n}" for name, n in sorted(result.counts.items()))
            )
        self.stdout.write(f"\nKlart på {time.perf_counter() - started:.1f} s.")
