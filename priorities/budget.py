"""The committee's budget beside a round's frame and a fact sheet's cost.

Priorities does not know where money is kept: an app that does (economy) registers a
lookup in :data:`goals.extensions.UNIT_BUDGETS`. Without one no budget is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from goals.extensions import UNIT_BUDGETS


def budgets(units: Iterable, year: int) -> dict[int, int]:
    """``{unit_pk: budget}`` for the ``units`` that have a budget for ``year`` (the first
    lookup that knows one wins)."""
    units = list(units)
    out: dict[int, int] = {}
    if not units:
        return out
    for lookup in UNIT_BUDGETS:
        for pk, amount in lookup(units, year).items():
            if amount is not None:
                out.setdefault(pk, amount)
    return out


def share_of_budget(amount: int | None, budget: int | None) -> float | None:
    """``amount`` as a percentage of ``budget`` (one decimal), or None when either is
    missing or the budget is not positive."""
    if amount is None or not budget or budget <= 0:
        return None
    return round(amount * 100 / budget, 1)
