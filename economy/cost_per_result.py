"""Cost per result (kvalitet per krona) on a unit's page: for each indicator the unit is
responsible for that is marked as a result (``IndicatorKind.RESULT``) and counts
something (``economy.rules.cost_per_result_allowed``), the unit's outcome for the latest
year with a full-year outcome divided by the indicator's value that year: kronor per
pupil, per user, per visit.

Registered on the unit page through ``goals.extensions.UNIT_PAGE_SECTIONS``. One query
when the unit has no such indicator, four when it has (the indicators, their year
values, and the roll-up's two), whatever their number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from economy.figures import figures_over_years
from economy.rules import cost_per_result_allowed
from goals.models import Gender, Indicator, IndicatorKind, Measurement
from ledmot.lib.charts import format_number
from ledmot.models import OrgUnit

YEARS_BACK = 3


@dataclass
class CostRow:
    indicator: Indicator
    year: int
    value: Decimal
    cost: int

    @property
    def per_result(self) -> Decimal:
        return Decimal(self.cost) / self.value

    @property
    def per_result_text(self) -> str:
        return format_number(self.per_result.quantize(Decimal(1)), 0, "kr")

    @property
    def value_text(self) -> str:
        return format_number(self.value, self.indicator.decimals, self.indicator.unit)


def cost_rows(unit: OrgUnit, today: datetime.date) -> list[CostRow]:
    indicators = [
        i
        for i in Indicator.objects.filter(
            responsible_unit=unit, kind=IndicatorKind.RESULT, ended_on__isnull=True
        ).order_by("name", "pk")
        if cost_per_result_allowed(i.unit)
    ]
    if not indicators:
        return []
    years = list(range(today.year - YEARS_BACK, today.year + 1))
    values = {
        (m.indicator_id, m.year): m.value
        for m in Measurement.objects.filter(
            indicator__in=indicators,
            period__in=[str(y) for y in years],
            gender=Gender.TOTAL,
            value__gt=0,
        )
    }
    figures = figures_over_years([unit], years)[unit.pk]
    # The latest year whose outcome is the whole year's.
    full_years = [
        y for y in years if figures[y].outcome.amount and figures[y].outcome.period.kind == "year"
    ]
    rows = []
    for indicator in indicators:
        year = next((y for y in reversed(full_years) if (indicator.pk, y) in values), None)
        if year is not None:
            rows.append(
                CostRow(indicator, year, values[(indicator.pk, year)], figures[year].outcome.amount)
            )
    return rows


def cost_per_result_section(unit: OrgUnit, user, today: datetime.date) -> dict | None:
    rows = cost_rows(unit, today)
    if not rows:
        return None
    return {"template": "economy/_cost_per_result.html", "unit": unit, "rows": rows}
