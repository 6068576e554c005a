"""Write the values of the indicators computed from the economy figures (budget and
forecast deviation, result as a share of tax revenue) for this year and last."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from economy.services import computed_values_update


class Command(BaseCommand):
    help = "Räkna ut värdena för indikatorer som beräknas ur ekonomin (i år och i fjol)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="År (kan upprepas).")

    def handle(self, *args, year=None, **options):
        today = timezone.localdate()
        years = year or [today.year - 1, today.year]
        changed = computed_values_update(years=years, user=None)
        self.stdout.write(f"{changed} värden ändrade.")
