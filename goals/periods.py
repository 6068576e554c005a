"""Reporting periods of indicator values: a year (``2024``), a tertial (``2024-T1``)
or a month (``2024-03``).

One small value type that parses, orders, labels and dates them, so that
forms, imports, Kolada and the charts agree on what a period is.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ledmot.lib.limits import year_message, year_ok

_YEAR = re.compile(r"^(\d{4})$")
_TERTIAL = re.compile(r"^(\d{4})-T([123])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    year: int
    kind: str  # "year" | "tertial" | "month" (the Indicator.frequency values)
    index: int = 0  # tertial 1–3 or month 1–12; 0 for a year

    @classmethod
    def parse(cls, text: str) -> ReportingPeriod:
        text = (text or "").strip().upper()
        if m := _YEAR.match(text):
            return cls(int(m[1]), "year")
        if m := _TERTIAL.match(text):
            return cls(int(m[1]), "tertial", int(m[2]))
        if m := _MONTH.match(text):
            return cls(int(m[1]), "month", int(m[2]))
        raise ValueError(
            _("Ogiltig period ”%(p)s”: skriv 2024, 2024-T1 eller 2024-03.") % {"p": text}
        )

    @classmethod
    def entered(cls, text: str) -> ReportingPeriod:
        """A period a person typed or imported: :meth:`parse`, and a year within the
        range values may have (``ledmot.lib.limits``). Stored periods are read with
        :meth:`parse`."""
        period = cls.parse(text)
        if not year_ok(period.year):
            raise ValueError(year_message())
        return period

    @classmethod
    def containing(cls, day: datetime.date, kind: str) -> ReportingPeriod:
        if kind == "tertial":
            return cls(day.year, "tertial", (day.month - 1) // 4 + 1)
        if kind == "month":
            return cls(day.year, "month", day.month)
        return cls(day.year, "year")

    @property
    def key(self) -> str:
        if self.kind == "tertial":
            return f"{self.year}-T{self.index}"
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        return str(self.year)

    @property
    def sort_key(self) -> int:
        """Orders periods in time; a year sorts after its tertials and months."""
        if self.kind == "year":
            return self.year * 100 + 99
        if self.kind == "tertial":
            return self.year * 100 + self.index * 4
        return self.year * 100 + self.index

    @property
    def label(self) -> str:
        if self.kind == "tertial":
            return _("%(year)s T%(n)s") % {"year": self.year, "n": self.index}
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        return str(self.year)

    @property
    def start(self) -> datetime.date:
        if self.kind == "tertial":
            return datetime.date(self.year, self.index * 4 - 3, 1)
        if self.kind == "month":
            return datetime.date(self.year, self.index, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.kind == "tertial":
            month = self.index * 4
        elif self.kind == "month":
            month = self.index
        else:
            month = 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def previous(self) -> ReportingPeriod:
        if self.kind == "tertial":
            return ReportingPeriod(
                self.year - (self.index == 1), "tertial", (self.index - 2) % 3 + 1
            )
        if self.kind == "month":
            return ReportingPeriod(
                self.year - (self.index == 1), "month", (self.index - 2) % 12 + 1
            )
        return ReportingPeriod(self.year - 1, "year")

    def __str__(self) -> str:
        return self.key
