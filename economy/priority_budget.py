"""The committee's budget for the priorities (registered in
``goals.extensions.UNIT_BUDGETS``): the same figure the committee page shows,
entered for the committee or summed from its units."""

from __future__ import annotations

from economy.figures import figures_for


def budget_by_unit(units: list, year: int) -> dict[int, int | None]:
    return {pk: f.budget.amount for pk, f in figures_for(units, year).items()}
