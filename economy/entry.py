"""The entry screen's rows: a unit and the units directly under it, each with a cell per
kind (budget, outcome, forecast) for one period and category, what is saved, what the
roll-up gives where nothing is entered, and why a cell is locked.

Bound from a posted form all or nothing: one bad cell stops the whole form, with the
message beside that cell (as the results page does)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from economy import rules
from economy.figures import Figure, figures_for
from economy.models import EconomyCategory, EconomyFigure, FigureKind
from economy.services import FigureInput, FiguresChanged, FiguresLocked, figures_locked
from ledmot.access import Cap, access_for
from ledmot.lib.numbers import kronor_text, parse_kronor
from ledmot.models import OrgKind, OrgUnit


def source_text(figure: Figure, unit: OrgUnit) -> str:
    """Where ``unit``'s figure comes from, as the screens say it."""
    if figure.amount is None:
        return ""
    if figure.summed:
        return _("summerat från enheterna")
    if unit.kind in (OrgKind.COMMITTEE, OrgKind.COUNCIL):
        return _("inmatat för nämnden")
    return _("inmatat för enheten")


@dataclass
class EntryCell:
    unit: OrgUnit
    kind: str
    label: str
    text: str = ""  # what the input holds
    version: int = 0  # the saved row's version as the page was loaded (0: none)
    rolled: Figure | None = None  # the roll-up, when nothing is entered for the unit
    error: str = ""
    locked: str = ""
    amount: int | None = None

    @property
    def name(self) -> str:
        return f"a-{self.unit.pk}-{self.kind}"

    @property
    def version_name(self) -> str:
        return f"v-{self.unit.pk}-{self.kind}"

    @property
    def rolled_text(self) -> str:
        if self.rolled is None or self.rolled.amount is None or not self.rolled.summed:
            return ""
        return _("Summa av enheterna: %(amount)s kr") % {"amount": self.rolled.text}


@dataclass
class EntryRow:
    unit: OrgUnit
    editable: bool
    cells: list[EntryCell] = field(default_factory=list)
    is_parent: bool = False

    @property
    def has_error(self) -> bool:
        return any(c.error for c in self.cells)


def build_rows(
    unit: OrgUnit, user, period: rules.EconomyPeriod, category: EconomyCategory | None
) -> list[EntryRow]:
    """The unit and its active units directly below, with their cells. A fixed number
    of queries: the units, the saved rows, the roll-up (two) and the locks."""
    units = [unit, *unit.children.filter(active=True).order_by("order", "name")]
    access = access_for(user)
    saved = {
        (f.org_unit_id, f.kind): f
        for f in EconomyFigure.objects.filter(
            org_unit__in=units, period=period.key, category=category
        )
    }
    rolled = figures_for(units, period.year)
    labels = dict(FigureKind.choices)
    rows = []
    for u in units:
        row = EntryRow(unit=u, editable=access.can(Cap.EDIT, u), is_parent=u.pk == unit.pk)
        for kind in FigureKind.values:
            stored = saved.get((u.pk, kind))
            cell = EntryCell(unit=u, kind=kind, label=str(labels[kind]))
            if stored is not None:
                cell.text = kronor_text(stored.amount)
                cell.version = stored.version
                cell.amount = stored.amount
            cell.rolled = rolled[u.pk].get(kind, period.key, category.pk if category else None)
            row.cells.append(cell)
        rows.append(row)
    probes = [
        FigureInput(c.unit, period.key, c.kind, None, category) for r in rows for c in r.cells
    ]
    locked = {(f.org_unit.pk, f.kind): message for f, message in figures_locked(probes)}
    for row in rows:
        for cell in row.cells:
            cell.locked = locked.get((row.unit.pk, cell.kind), "")
    return rows


def bind(
    rows: list[EntryRow], data, period: rules.EconomyPeriod, category: EconomyCategory | None
) -> list[FigureInput]:
    """The figures a posted form asks to save; a cell that cannot be read gets its
    message. Cells of rows the user may not edit, and locked cells, are not read (the
    service refuses them anyway)."""
    out = []
    for row in rows:
        for cell in row.cells:
            if cell.name not in data:
                continue
            cell.text = data.get(cell.name, "")
            raw_version = data.get(cell.version_name, "0")
            cell.version = int(raw_version) if raw_version.isdigit() else 0
            try:
                cell.amount = parse_kronor(cell.text)
            except ValueError as exc:
                cell.error = str(exc)
                continue
            out.append(
                FigureInput(
                    row.unit,
                    period.key,
                    cell.kind,
                    cell.amount,
                    category,
                    seen_version=cell.version,
                )
            )
    return out


def mark_locked(rows: list[EntryRow], exc: FiguresLocked) -> None:
    by_cell = {(f.org_unit.pk, f.kind): message for f, message in exc.locked}
    for row in rows:
        for cell in row.cells:
            if message := by_cell.get((row.unit.pk, cell.kind)):
                cell.error = message


def mark_changed(rows: list[EntryRow], exc: FiguresChanged) -> None:
    """The message beside each cell someone else saved, and the page's baseline moved to
    the saved version, so that saving again (after comparing) goes through. What the
    person typed stays in the cell."""
    by_cell = {
        (f.org_unit.pk, f.kind): (row, message)
        for (f, row), message in zip(exc.changed, exc.messages, strict=True)
    }
    for row in rows:
        for cell in row.cells:
            if (row.unit.pk, cell.kind) in by_cell:
                current, message = by_cell[(row.unit.pk, cell.kind)]
                cell.error = message
                cell.version = current.version if current is not None else 0
