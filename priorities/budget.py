"""The committee's budget beside a round's frame and a fact sheet's cost.

Priorities does not know where money is kept: an app that does (economy) registers a
lookup in :data:`goals.extensions.UNIT_BUDGETS`. Without one no budget is shown.

A round is usually prepared before its budget year's budget is decided, so when the
budget year has no budget yet the year before's is shown, labelled with its year.
"""

from __future__ import annotations

from dataclasses import dataclass

from goals.extensions import UNIT_BUDGETS


@dataclass(frozen=True)
class Budget:
    year: int
    amount: int

    def share(self, amount: int | None) -> float | None:
        """``amount`` as a percentage of the budget (one decimal), or None when there is
        no amount or the budget is not positive."""
        if amount is None or self.amount <= 0:
            return None
        return round(amount * 100 / self.amount, 1)


def budget_of(unit, year: int) -> Budget | None:
    """``unit``'s budget for ``year``, else for the year before; None when neither is
    known (the first lookup that knows one wins)."""
    for lookup in UNIT_BUDGETS:
        by_year = lookup([unit], [year - 1, year]).get(unit.pk, {})
        for y in (year, year - 1):
            if by_year.get(y) is not None:
                return Budget(year=y, amount=by_year[y])
    return None
