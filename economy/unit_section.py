"""Money beside the goals: a unit's (or committee's) budget, outcome and forecast on its
page, for this year and the three before, as a chart (the shared SVG chart builder) and
the same numbers as a table; for a unit with units below it, also theirs for this year.

Registered on the unit page through ``goals.extensions.UNIT_PAGE_SECTIONS``. A fixed
number of queries whatever the size of the tree: the units directly below, and the
roll-up's two (see :mod:`economy.figures`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from economy.access import can_enter_figures
from economy.entry import source_text
from economy.figures import Figure, UnitFigures, figures_over_years
from ledmot.lib.charts import Point, Series, format_number, line_chart
from ledmot.models import OrgUnit

YEARS_SHOWN = 4
CHILDREN_SHOWN = 60
MILLION = Decimal(1_000_000)


def mnkr(amount: int | None) -> str:
    """Kronor as millions with one decimal, as the budget documents write them."""
    if amount is None:
        return format_number(None)
    return format_number(Decimal(amount) / MILLION, 1, "mnkr")


def _million(amount: int | None) -> Decimal | None:
    return None if amount is None else Decimal(amount) / MILLION


@dataclass
class YearRow:
    year: int
    budget: Figure
    outcome: Figure  # the year's own outcome, else the latest period's (accumulated)
    forecast: Figure
    deviation: int | None  # budget − (full-year outcome, else forecast)
    source: str

    @property
    def full_year(self) -> bool:
        return self.outcome.period is not None and self.outcome.period.kind == "year"

    @property
    def outcome_note(self) -> str:
        if self.outcome.amount is None or self.full_year:
            return ""
        return _("t.o.m. %(period)s") % {"period": self.outcome.period.label}

    @property
    def cells(self) -> list[str]:
        """Budget, outcome and forecast as shown; a year with its whole outcome has no
        forecast left to show."""
        forecast = None if self.full_year else self.forecast.amount
        return [mnkr(self.budget.amount), mnkr(self.outcome.amount), mnkr(forecast)]

    @property
    def deviation_text(self) -> str:
        return mnkr(self.deviation)


def year_row(figures: UnitFigures, unit: OrgUnit) -> YearRow:
    budget, outcome, forecast = figures.budget, figures.outcome, figures.forecast
    full = outcome.period is not None and outcome.period.kind == "year"
    compare = outcome if full else forecast
    deviation = (
        None if budget.amount is None or compare.amount is None else budget.amount - compare.amount
    )
    sources = dict.fromkeys(
        source_text(f, unit) for f in (budget, outcome, forecast) if f.amount is not None
    )
    return YearRow(figures.year, budget, outcome, forecast, deviation, ", ".join(sources))


def economy_chart(unit: OrgUnit, rows: list[YearRow], *, interactive: bool = True) -> str:
    labels = [str(r.year) for r in rows]
    series = [
        Series(
            _("Budget"),
            tuple(
                Point(lab, _million(r.budget.amount)) for lab, r in zip(labels, rows, strict=True)
            ),
            kind="target",
        ),
        Series(
            _("Utfall (helår)"),
            tuple(
                Point(lab, _million(r.outcome.amount if r.full_year else None))
                for lab, r in zip(labels, rows, strict=True)
            ),
        ),
        Series(
            _("Prognos"),
            tuple(
                Point(lab, _million(None if r.full_year else r.forecast.amount))
                for lab, r in zip(labels, rows, strict=True)
            ),
            kind="comparison",
        ),
    ]
    return line_chart(
        series,
        title=_("Ekonomi för %(unit)s") % {"unit": unit.name},
        unit="mnkr",
        decimals=1,
        chart_id=f"ekonomi{unit.pk}",
        zero_based=False,
        interactive=interactive,
    )


def economy_section(unit: OrgUnit, user, today: datetime.date) -> dict | None:
    """The section of ``unit``'s page; None when there are no figures and the person
    cannot enter any."""
    year = today.year
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    children = list(
        OrgUnit.objects.filter(parent=unit, active=True)
        .order_by("order", "name")
        .only("pk", "parent_id", "path", "name", "kind", "active", "order", "code")[
            : CHILDREN_SHOWN + 1
        ]
    )
    more_children = len(children) > CHILDREN_SHOWN
    children = children[:CHILDREN_SHOWN]
    rolled = figures_over_years([unit, *children], years)
    rows = [year_row(rolled[unit.pk][y], unit) for y in years]
    can_enter = can_enter_figures(user, unit)
    if all(rolled[unit.pk][y].empty for y in years) and not can_enter:
        return None
    child_rows = [
        (child, year_row(rolled[child.pk][year], child))
        for child in children
        if not rolled[child.pk][year].empty
    ]
    return {
        "template": "economy/_unit_section.html",
        "unit": unit,
        "year": year,
        "rows": rows,
        "current": rows[-1],
        "chart": economy_chart(unit, rows)
        if any(r.budget.amount is not None for r in rows)
        else "",
        "children": child_rows,
        "more_children": more_children,
        "entry_url": reverse("economy:entry", args=[unit.pk]) if can_enter else "",
    }
