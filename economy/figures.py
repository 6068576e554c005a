"""Reading economy figures: what a unit's page, the entry screen, the workbook export
and the report chapters show, in a fixed number of queries whatever the size of the
tree.

A unit's figure for a kind, period (and category) is the amount entered for the unit
itself; when none is entered it is the sum of its units' figures, each of them taken
the same way (so a förvaltning entered as a whole is counted once, not again through
its units). A total entered only as categories is their net (costs minus revenues).
Every figure says which it is: ``summed`` ("summerat från enheterna") or entered
("inmatat för nämnden").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from economy.models import EconomyCategory, EconomyFigure, FigureKind
from economy.rules import EconomyPeriod, net
from ledmot.lib.kept import kept
from ledmot.lib.numbers import kronor_text
from ledmot.models import OrgUnit

KINDS = tuple(FigureKind.values)  # budget, outcome, forecast


@dataclass
class Figure:
    """One amount of a unit: entered for it, or summed from ``units`` units below it."""

    amount: int | None = None
    period: EconomyPeriod | None = None
    summed: bool = False
    units: int = 0  # how many units below gave an amount to the sum

    @property
    def text(self) -> str:
        return kronor_text(self.amount)

    @property
    def source_text(self) -> str:
        if self.amount is None:
            return ""
        return _("summerat från enheterna") if self.summed else _("inmatat för enheten")


EMPTY = Figure()


@dataclass
class UnitFigures:
    """A unit's economy for a year: every (kind, period, category) figure (``figures``,
    category ``None`` = the net total), and the year's headline figures: the budget, the
    outcome (the year's, else the latest period's, accumulated) and the latest full-year
    forecast, up to ``until`` when given."""

    unit_id: int
    year: int
    figures: dict[tuple[str, str, int | None], Figure] = field(default_factory=dict)
    until: EconomyPeriod | None = None

    def get(self, kind: str, period: str, category_id: int | None = None) -> Figure:
        return self.figures.get((kind, period, category_id), EMPTY)

    def latest(self, kind: str, category_id: int | None = None) -> Figure:
        """The figure of ``kind`` for the latest period (up to ``until``); the year's own
        period wins a tie with delår, a tertial or a month ending at the same time."""
        best: Figure = EMPTY
        best_key: tuple = ()
        for (k, _p, c), fig in self.figures.items():
            if k != kind or c != category_id or fig.amount is None or fig.period is None:
                continue
            if self.until is not None and fig.period.sort_key > self.until.sort_key:
                continue
            rank = (
                fig.period.sort_key,
                self.until is not None and fig.period.key == self.until.key,
                {"year": 3, "interim": 2, "tertial": 1}.get(fig.period.kind, 0),
            )
            if rank > best_key:
                best, best_key = fig, rank
        return best

    @property
    def budget(self) -> Figure:
        year = self.get(FigureKind.BUDGET, str(self.year))
        return year if year.amount is not None else self.latest(FigureKind.BUDGET)

    @property
    def outcome(self) -> Figure:
        return self.latest(FigureKind.OUTCOME)

    @property
    def forecast(self) -> Figure:
        return self.latest(FigureKind.FORECAST)

    @property
    def outcome_deviation(self) -> int | None:
        """Budget minus outcome (positive: under budget), when both are known."""
        return _difference(self.budget, self.outcome)

    @property
    def forecast_deviation(self) -> int | None:
        """Budget minus the full-year forecast (positive: a forecast surplus)."""
        return _difference(self.budget, self.forecast)

    @property
    def empty(self) -> bool:
        return not any(f.amount is not None for f in self.figures.values())


def _difference(a: Figure, b: Figure) -> int | None:
    if a.amount is None or b.amount is None:
        return None
    return a.amount - b.amount


def _scope_q(paths: Iterable[str], prefix: str = "") -> Q:
    """Units under any of ``paths`` (the paths themselves included); a path under
    another one adds nothing."""
    kept: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}__pk__in": []})
    for p in kept:
        q |= Q(**{f"{prefix}__path__startswith" if prefix else "path__startswith": p})
    return q


def subtree(units: Iterable[OrgUnit]) -> list[OrgUnit]:
    """The units under ``units`` (themselves included), with the fields the roll-up
    needs (one query)."""
    return list(
        OrgUnit.objects.filter(_scope_q([u.path for u in units]))
        .order_by("path")
        .only("pk", "parent_id", "path", "name", "kind", "active", "order", "code")
    )


#: How long a roll-up is kept at most; any change to the figures, the categories or the
#: organisation makes a new one at once (:data:`ROLLUP_INPUTS`, ``ledmot.lib.kept``).
ROLLUP_SECONDS = 3600


#: What a roll-up is made from: the figures, the categories (their kind decides the
#: net) and the organisation (the tree decides what sums into what).
ROLLUP_INPUTS = (EconomyFigure, EconomyCategory, OrgUnit)


def figures_over_years(
    units: Iterable[OrgUnit],
    years: Iterable[int],
    *,
    until: str | None = None,
) -> dict[int, dict[int, UnitFigures]]:
    """``{unit_id: {year: UnitFigures}}`` for ``units`` (needs ``pk`` and ``path``), each
    rolled up from the units below it.

    A roll-up reads every figure under the units (a committee's: every unit's), so it is
    made once per version of its inputs (``ledmot.lib.kept``, one query) and kept in
    the cache: a page asks again in that one query, whatever the size of the tree. Inside
    a transaction (a service recomputing what it just wrote) it is made afresh and not
    kept: what it read may yet be rolled back. Made afresh: two queries whatever the size
    of the tree, the subtrees' units and their figures of the years."""
    units = list(units)
    years = sorted(set(years))
    if not units or not years:
        return {}
    return kept(
        "economy-rollup",
        (sorted(u.pk for u in units), years, until),
        ROLLUP_INPUTS,
        lambda: _roll_up(units, years, until),
        ROLLUP_SECONDS,
    )


def _roll_up(
    units: list[OrgUnit], years: list[int], until: str | None
) -> dict[int, dict[int, UnitFigures]]:
    stop = EconomyPeriod.parse(until) if until else None
    paths = [u.path for u in units]
    tree = subtree(units)
    rows = (
        # The units as a subquery: joined on the path instead, SQLite reads every figure
        # of the municipality (a LIKE cannot use the path's index) to find one school's.
        EconomyFigure.objects.filter(
            org_unit__in=OrgUnit.objects.filter(_scope_q(paths)).values("pk"), year__in=years
        )
        .exclude(amount=None)
        .order_by()
        .values_list(
            "org_unit_id",
            "year",
            "period",
            "sort_key",
            "kind",
            "category_id",
            "category__kind",
            "amount",
        )
    )
    # entered[unit][(year, kind, period, category)] = amount; a total from categories
    # is kept apart, used only where no total was entered.
    entered: dict[int, dict[tuple, int]] = defaultdict(dict)
    from_categories: dict[int, dict[tuple, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    periods: dict[str, EconomyPeriod] = {}
    for unit_id, year, period, _sort, kind, category_id, category_kind, amount in rows:
        if period not in periods:
            periods[period] = EconomyPeriod.parse(period)
        entered[unit_id][(year, kind, period, category_id)] = amount
        if category_id is not None:
            from_categories[unit_id][(year, kind, period)][category_kind] += amount
    for unit_id, by_key in from_categories.items():
        for (year, kind, period), sums in by_key.items():
            entered[unit_id].setdefault((year, kind, period, None), net(sums))

    children: dict[int, list[int]] = defaultdict(list)
    depth = {}
    for u in tree:
        children[u.parent_id].append(u.pk)
        depth[u.pk] = u.path.count("/")
    wanted = {u.pk for u in units}
    rolled: dict[int, dict[tuple, Figure]] = {}
    for pk in sorted(depth, key=depth.__getitem__, reverse=True):
        mine: dict[tuple, Figure] = {
            key: Figure(amount, periods[key[2]]) for key, amount in entered.get(pk, {}).items()
        }
        sums: dict[tuple, Figure] = {}
        for child in children.get(pk, ()):
            for key, fig in rolled.get(child, {}).items():
                if key in mine:
                    continue
                s = sums.get(key)
                if s is None:
                    s = sums[key] = Figure(0, fig.period, summed=True)
                s.amount += fig.amount
                s.units += fig.units if fig.summed else 1
        mine.update(sums)
        rolled[pk] = mine
        # What a unit needs from below is its children's figures: free the grandchildren.
        for child in children.get(pk, ()):
            if child not in wanted:
                rolled.pop(child, None)
    out: dict[int, dict[int, UnitFigures]] = {}
    for pk in wanted:
        per_year = {y: UnitFigures(pk, y, until=stop) for y in years}
        for (year, kind, period, category), fig in rolled.get(pk, {}).items():
            per_year[year].figures[(kind, period, category)] = fig
        out[pk] = per_year
    return out


def figures_for(
    units: Iterable[OrgUnit], year: int, *, until: str | None = None
) -> dict[int, UnitFigures]:
    """``{unit_id: UnitFigures}`` for ``year``: each unit's budget, outcome and forecast,
    entered or summed from its units (see the module's docstring). ``until``: a period
    (e.g. ``"2026-D"``): the headline figures are those known at its end (the interim
    report's outcome and forecast). Two queries."""
    return {pk: years[year] for pk, years in figures_over_years(units, [year], until=until).items()}
