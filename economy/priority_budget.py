"""Units' budgets for the priorities (registered in ``goals.extensions.UNIT_BUDGETS``):
the same figure the committee page shows, entered for the unit or summed from its units.
"""

from __future__ import annotations

from economy.figures import figures_over_years


def budget_by_unit(units: list, years: list[int]) -> dict[int, dict[int, int | None]]:
    return {
        pk: {year: f.budget.amount for year, f in by_year.items()}
        for pk, by_year in figures_over_years(units, years).items()
    }
