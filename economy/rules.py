"""The rules of economy figures, one plain function each, used by the entry screen, the
workbook's Ekonomi sheet, the service and the admin alike.

Periods: a figure belongs to the year (``2026``), a tertial (``2026-T1``), the interim
report's period (delår, per 31 August: ``2026-D``) or a month (``2026-03``). Outcome
(utfall) of a period is accumulated from the start of the year; a forecast (prognos) is
for the whole year, as made at the period; a budget is for the whole year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from goals.extensions import ApprovedReportLabel
from goals.periods import ReportingPeriod
from ledmot.lib.limits import year_message, year_ok
from ledmot.lib.numbers import kronor_text

_INTERIM = re.compile(r"^(\d{4})-(D|DELÅR)$")
INTERIM_MONTH = 8  # delår per 31 augusti (LKBR 13 kap.)


@dataclass(frozen=True, order=True)
class EconomyPeriod:
    """A period of economy figures: a :class:`goals.periods.ReportingPeriod` or delår."""

    sort_key: int
    key: str
    year: int
    kind: str  # "year" | "tertial" | "month" | "interim"

    @classmethod
    def parse(cls, text: str) -> EconomyPeriod:
        cleaned = str(text or "").strip().upper()
        if m := _INTERIM.match(cleaned):
            year = int(m[1])
            return cls(year * 100 + INTERIM_MONTH, f"{year}-D", year, "interim")
        try:
            p = ReportingPeriod.parse(cleaned)
        except ValueError:
            raise ValueError(
                _("Ogiltig period ”%(p)s”: skriv 2026, 2026-T1, 2026-D (delår) eller 2026-03.")
                % {"p": str(text or "").strip()}
            ) from None
        return cls(p.sort_key, p.key, p.year, p.kind)

    @classmethod
    def entered(cls, text: str) -> EconomyPeriod:
        """A period a person typed or imported: :meth:`parse` and a year in range."""
        period = cls.parse(text)
        if not year_ok(period.year):
            raise ValueError(year_message())
        return period

    @classmethod
    def of_year(cls, year: int) -> EconomyPeriod:
        return cls(year * 100 + 99, str(year), year, "year")

    @property
    def lock_key(self) -> str:
        """The indicator period whose lock (``goals.extensions.MEASUREMENT_LOCKS``) also
        locks this period's figures: a round that reports a period locks its figures as it
        locks its indicator values; delår is the month it ends in (August)."""
        if self.kind == "interim":
            return f"{self.year}-{INTERIM_MONTH:02d}"
        return self.key

    @property
    def label(self) -> str:
        if self.kind == "interim":
            return _("%(year)s delår") % {"year": self.year}
        return ReportingPeriod.parse(self.key).label

    def __str__(self) -> str:
        return self.key


def periods_of_year(year: int) -> list[EconomyPeriod]:
    """Every period of ``year`` a figure can have, in time order (the entry screen's
    period choice)."""
    keys = [f"{year}-{m:02d}" for m in range(1, 13)]
    keys += [f"{year}-T{t}" for t in (1, 2, 3)] + [f"{year}-D", str(year)]
    return sorted(EconomyPeriod.parse(k) for k in keys)


def figure_locked_message(period: EconomyPeriod, round_label: str) -> str:
    """Why a figure of a closed round's period (or an approved report's) cannot change."""
    if isinstance(round_label, ApprovedReportLabel):
        return _(
            "Ekonomin för %(period)s ingår i en godkänd rapport i %(round)s och kan inte ändras."
        ) % {"period": period.label, "round": round_label}
    return _("Ekonomin för %(period)s ingår i %(round)s, som är stängd, och kan inte ändras.") % {
        "period": period.label,
        "round": round_label,
    }


def figure_changed_message(*, who: str, amount: int | None) -> str:
    """Someone else saved the figure while this person typed."""
    if amount is None:
        return _("%(who)s har tömt beloppet medan du skrev. Kontrollera och spara igen.") % {
            "who": who or _("Någon annan")
        }
    return _(
        "%(who)s har ändrat beloppet till %(amount)s medan du skrev. Kontrollera och spara igen."
    ) % {
        "who": who or _("Någon annan"),
        "amount": kronor_text(amount),
    }


def net(amounts_by_kind: dict[str, int]) -> int:
    """The net (costs minus revenues) of category amounts ``{category kind: sum}``."""
    return amounts_by_kind.get("cost", 0) - amounts_by_kind.get("revenue", 0)


def judgement_locked_message(rnd) -> str | None:
    """Why the overall judgement of god ekonomisk hushållning of ``rnd`` cannot change:
    its round is closed, as its reports are."""
    if rnd.is_closed:
        return _("%(round)s är stängd: den samlade bedömningen kan inte ändras.") % {"round": rnd}
    return None


# Units of measure that count something (pupils, users, visits …): kronor per such a
# unit is a cost per result. Percentages, indexes, days and kronor are not counted.
COUNTED_UNITS = {
    "antal", "st", "st.", "elever", "elev", "barn", "brukare", "personer", "person",
    "invånare", "besök", "ärenden", "hushåll", "deltagare", "platser", "timmar",
}  # fmt: skip


def cost_per_result_allowed(unit_of_measure: str) -> bool:
    """Whether kronor per one of an indicator's ``unit_of_measure`` makes sense (a
    count, e.g. "antal" or "elever"), for cost per result (kvalitet per krona)."""
    text = (unit_of_measure or "").strip().casefold()
    return text in COUNTED_UNITS or text.startswith("antal")


def computed_indicator_error(measure: str, tax_category) -> str | None:
    """Why a computed indicator is incomplete: the result's share of tax revenue needs
    the category that holds the tax revenue."""
    if measure == "result_share" and tax_category is None:
        return _("Välj kategorin med skatteintäkter för att räkna ut resultatets andel.")
    return None


def computed_value(
    measure: str, *, budget: int | None, outcome: int | None, forecast: int | None, tax=None
) -> Decimal | None:
    """The value of a computed indicator (percent, one decimal) from a year's net
    figures (costs minus revenues), or None when a figure it needs is missing:
    budget deviation (budget − outcome) / |budget|, forecast deviation
    (budget − forecast) / |budget|, result (−net outcome) / tax revenue."""
    if measure == "result_share":
        if outcome is None or not tax:
            return None
        share = Decimal(-outcome) * 100 / Decimal(tax)
    else:
        compare = outcome if measure == "budget_deviation" else forecast
        if budget is None or compare is None or budget == 0:
            return None
        share = Decimal(budget - compare) * 100 / abs(Decimal(budget))
    return share.quantize(Decimal("0.1"))
