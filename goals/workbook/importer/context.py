"""The planners' shared context and helpers (see :mod:`goals.workbook.importer`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from goals.models import MandatePeriod, Perspective
from goals.workbook.columns import Sheet, all_sheets
from goals.workbook.importer.plan import (
    CHANGE,
    CREATE,
    INVALID,
    UNCHANGED,
    Change,
    Plan,
    Problem,
    RowPlan,
    show,
)
from goals.workbook.importer.reader import RawRow
from ledmot.access import Cap, access_for
from ledmot.models import OrgUnit

IN_CHUNK = 2000  # ids per IN (…) query


def chunks(ids) -> Iterable[list]:
    ids = sorted(ids)
    for i in range(0, len(ids), IN_CHUNK):
        yield ids[i : i + IN_CHUNK]


class Context:
    """What the sheets' planners share: the user's access, the org units, the plan
    with its problems, and the rows as they will be (``goal_state``,
    ``indicator_state``), filled in sheet by sheet."""

    def __init__(self, user, raw: dict[str, list[RawRow]], problems: list[Problem]):
        self.user = user
        self.access = access_for(user) if user is not None else None
        self.raw = raw
        self.plan = Plan(sheets=[s.key for s in all_sheets() if s.key in raw])
        self.plan.problems = problems
        units = list(OrgUnit.objects.only("pk", "code", "name", "path", "kind", "active"))
        self.units = {u.pk: u for u in units}
        self.unit_by_code = {u.code.casefold(): u for u in units}
        self.units_by_name: dict[str, list[OrgUnit]] = defaultdict(list)
        for u in units:
            self.units_by_name[u.name.strip().casefold()].append(u)
        self.perspectives = {p.name.casefold(): p for p in Perspective.objects.all()}
        self.perspective_names = {p.pk: p.name for p in self.perspectives.values()}
        self.periods = list(MandatePeriod.objects.all())
        self.period_names = {p.pk: f"{p.start_year}-{p.end_year}" for p in self.periods}
        # Filled by the goals and indicators sheets' planners, read by the later sheets.
        self.db_goals: dict[int, dict] = {}
        self.goal_state: dict[Any, dict] = {}
        self.db_indicators: dict[int, dict] = {}
        self.indicator_state: dict[Any, dict] = {}

    # -- helpers ----------------------------------------------------------------

    def problem(self, sheet: Sheet, row: int, key: str | None, message: str) -> None:
        heading = sheet.column(key).heading if key else ""
        self.plan.problems.append(Problem(sheet.name, row, heading, message))

    def unit(self, sheet: Sheet, r: RawRow, key: str) -> OrgUnit | None:
        text = r.values.get(key)
        if not text:
            return None
        found = self.unit_by_code.get(text.casefold())
        if found is None:
            named = self.units_by_name.get(text.casefold(), [])
            if len(named) > 1:
                self.problem(
                    sheet,
                    r.row,
                    key,
                    _("Flera organisationer heter ”%(name)s”: ange koden.") % {"name": text},
                )
                return None
            found = named[0] if named else None
        if found is None:
            self.problem(sheet, r.row, key, _("Okänd organisation ”%(unit)s”.") % {"unit": text})
        return found

    def may_write(self, sheet: Sheet, r: RawRow, key: str, *units: OrgUnit | None) -> bool:
        if self.access is None:
            return True
        for unit in {u.pk: u for u in units if u is not None}.values():
            if not self.access.can(Cap.MANAGE, unit):
                self.problem(
                    sheet,
                    r.row,
                    key,
                    _("Du får inte ändra i %(unit)s: det kräver rollen controller där.")
                    % {"unit": unit.name},
                )
                return False
        return True

    def identity(self, sheet: Sheet, r: RawRow, existing: dict, seen: dict, unknown: str):
        """(pk, name) of the row from its Id; a problem for an unknown or repeated id.
        ``unknown``: the message for an id that does not exist, with ``%(id)s``."""
        ident = r.values.get("id")
        if ident is None:
            return None, None, True
        if ident in seen:
            self.problem(
                sheet,
                r.row,
                "id",
                _("Id %(id)s finns redan på rad %(row)s.") % {"id": ident, "row": seen[ident]},
            )
            return None, None, False
        seen[ident] = r.row
        if isinstance(ident, int):
            if ident not in existing:
                self.problem(
                    sheet,
                    r.row,
                    "id",
                    unknown % {"id": ident},
                )
                return None, None, False
            return ident, None, True
        return None, ident, True

    @staticmethod
    def diff(rp: RowPlan, sheet: Sheet, pairs: list[tuple[str, Any, Any, Any, Any]]) -> None:
        """Record changes: (column key, old value, new value, old shown, new shown)."""
        for key, old, new, old_shown, new_shown in pairs:
            if old != new:
                rp.changes.append(
                    Change(sheet.column(key).heading, show(old_shown), show(new_shown))
                )

    def finish(self, rp: RowPlan, ok: bool) -> None:
        rp.ok = ok
        if not ok:
            rp.action = INVALID
        elif rp.pk is None:
            rp.action = CREATE
        elif rp.changes:
            rp.action = CHANGE
        else:
            rp.action = UNCHANGED

    # -- goals ------------------------------------------------------------------

    def goal_ref(self, sheet, r: RawRow, key: str, ref) -> dict | None:
        """The goal (as it will be) a row refers to, or a problem."""
        goal = self.goal_state.get(ref)
        if goal is None or "owner_id" not in goal:
            self.problem(sheet, r.row, key, _("Okänt mål ”%(id)s”.") % {"id": ref})
            return None
        return goal

    # -- activities ---------------------------------------------------------------

    def indicator_ref(self, sheet, r: RawRow, ref) -> dict | None:
        ind = self.indicator_state.get(ref)
        if ind is None:
            self.problem(sheet, r.row, "indicator", _("Okänd indikator ”%(id)s”.") % {"id": ref})
        return ind

    # -- targets ------------------------------------------------------------------
