"""The ranges of numbers and dates a person may enter, defined once.

Model fields take these validators, forms get them from the model (or name them
for fields that have no model field), and the workbook importer checks the same
bounds, so a year of 1850 or a date of 9999-12-31 is refused on every path with
the same message.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Years of indicator values, targets and baselines (statistics go back to 1990).
FIRST_YEAR, LAST_YEAR = 1990, 2100
# Years that are planned in: mandate periods, budget years, priority rounds, the wheel.
FIRST_PLAN_YEAR = 2000
FIRST_DATE = datetime.date(FIRST_YEAR, 1, 1)
LAST_DATE = datetime.date(LAST_YEAR, 12, 31)
# An indicator value, target or baseline: max_digits=18 with four decimals.
MAX_ABS = Decimal(10) ** 14

YEAR_MESSAGE = _("Ange ett år mellan %(first)s och %(last)s.")
DATE_MESSAGE = _("Ange ett datum mellan %(first)s och %(last)s.")


def year_message(first: int = FIRST_YEAR) -> str:
    return str(YEAR_MESSAGE) % {"first": first, "last": LAST_YEAR}


def date_message() -> str:
    return str(DATE_MESSAGE) % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()}


def year_ok(year: int, first: int = FIRST_YEAR) -> bool:
    return first <= year <= LAST_YEAR


def date_ok(day: datetime.date) -> bool:
    return FIRST_DATE <= day <= LAST_DATE


@deconstructible
class YearRange:
    """A model or form field validator: a year from ``first`` to ``LAST_YEAR``."""

    def __init__(self, first: int = FIRST_YEAR):
        self.first = first

    def __call__(self, value) -> None:
        if value is not None and not year_ok(value, self.first):
            raise ValidationError(year_message(self.first), code="year_range")

    def __eq__(self, other):
        return isinstance(other, YearRange) and other.first == self.first


@deconstructible
class DateRange:
    """A model or form field validator: a date from ``FIRST_DATE`` to ``LAST_DATE``."""

    def __call__(self, value) -> None:
        if value is not None and not date_ok(value):
            raise ValidationError(date_message(), code="date_range")

    def __eq__(self, other):
        return isinstance(other, DateRange)


# An amount in whole kronor (a frame, a cost): bigger than any municipal budget
# line, small enough for every database's bigint. Negative amounts are savings.
MAX_KRONOR = 10**12


@deconstructible
class KronorRange:
    """A model field validator: an amount under ``MAX_KRONOR`` either way."""

    def __call__(self, value) -> None:
        if value is not None and abs(value) >= MAX_KRONOR:
            raise ValidationError(_("Beloppet är orimligt stort."), code="max_value")

    def __eq__(self, other):
        return isinstance(other, KronorRange)
