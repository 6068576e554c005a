"""The demo's dates, decided from the day it is run.

The files in ``demo/data/`` describe Åsbacka as it stands in the autumn of their base
year (``basar`` in ``kalender.toml``): last year's annual report closed, this year's
tertial report closed, this year's interim report (delårsrapport) under way, the
priorities for next year's budget decided in June. :func:`calendar_for` picks the
demo's year from ``today`` and every date, period and year in the content moves by the
same number of years, so that what is closed lies in the past and what is ongoing is
ongoing today:

- from 1 July (the tertial report closed and the June council held) the interim
  report of this year is the ongoing round; before that, last year's;
- the interim round's deadline is always at least a week ahead: the day in the files
  when it is, else two weeks from today; its story (opened, written, returned) is
  moved back so that nothing in it happens after today.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# The day from which the current year's interim report is the ongoing round.
SWITCH = (7, 1)
# The ongoing round's deadline is at least this far ahead, else this far from today.
MIN_AHEAD = datetime.timedelta(days=7)
NEW_DEADLINE = datetime.timedelta(days=14)
_YEAR = re.compile(r"\b20[0-3]\d\b")


def shift_date(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved by whole years (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DemoCalendar:
    today: datetime.date
    base: int  # the year the files are written for
    year: int  # the demo's year: its interim report is the ongoing round

    @property
    def shift(self) -> int:
        return self.year - self.base

    def y(self, year: int) -> int:
        """A year of the files, as the demo's year."""
        return year + self.shift

    def date(self, day: datetime.date) -> datetime.date:
        return shift_date(day, self.shift)

    def text(self, text: str) -> str:
        """Every year in ``text`` (diarienummer, periods, "budget 2027 med plan 2028–2029")
        moved like the dates."""
        if not self.shift:
            return text
        return _YEAR.sub(lambda m: str(int(m.group()) + self.shift), text)

    def deep(self, value, keep: frozenset[str] = frozenset()):
        """Text and dates anywhere in a table of a file moved; the keys in ``keep``
        (measured values) left as they are."""
        if isinstance(value, dict):
            return {self.text(k): v if k in keep else self.deep(v, keep) for k, v in value.items()}
        if isinstance(value, list):
            return [self.deep(v, keep) for v in value]
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, datetime.date):
            return self.date(value)
        return value


def demo_year(today: datetime.date) -> int:
    return today.year if today >= datetime.date(today.year, *SWITCH) else today.year - 1


def calendar_for(today: datetime.date, base: int) -> DemoCalendar:
    return DemoCalendar(today=today, base=base, year=demo_year(today))
