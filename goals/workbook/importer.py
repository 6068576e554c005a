"""Importing the full workbook: parse → validate → plan → apply.

:func:`read_plan` reads an uploaded workbook (already passed by
:mod:`goals.workbook.safety`) and plans every row: created, changed (which
columns, from what to what) or unchanged, and lists every problem with its
sheet, row, column and a Swedish message. It writes nothing. :func:`apply_plan`
carries out a plan without problems in one transaction, through the same save
paths as the screens (``versioned_save``, ``targets_save``) and, for the results,
which can be tens of thousands of rows, simple_history's bulk helpers with the
importing user, then ``indicator_refresh_latest``: every changed row gets a history
record with the importing user and the indicators' latest values stay right.

Rules:

- Rows are matched on ``Id``. An empty ``Id`` creates a row; a whole number
  changes the row with that id (it must exist); any other text (``ny-1``) creates
  a row that other rows of the same workbook may refer to by that name, e.g. a new
  committee goal whose ``Överordnat id`` is a new council goal.
  Targets are matched on indicator and year, results on indicator, period and
  gender.
- Nothing is ever deleted: rows missing from the workbook, and sheets left out,
  are left alone.
- Access: a row may be created or changed only in an org unit the importing user
  manages (controller or administrator there or above); for a row that moves, both
  the old and the new unit. Unchanged rows and rows only referred to (a parent goal
  owned by the council) need no right. ``user=None`` (the command line without
  ``--user``) may change everything.
- A value of a period whose follow-up round is closed cannot change (see
  :data:`goals.extensions.MEASUREMENT_LOCKS`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from goals import rules
from goals.models import (
    OWNER_KINDS,
    PARENT_LEVEL,
    Activity,
    ActivityStatus,
    Gender,
    Goal,
    GoalLevel,
    Indicator,
    IndicatorSource,
    MandatePeriod,
    Measurement,
    Perspective,
    Target,
)
from goals.periods import ReportingPeriod
from goals.services import (
    TRANSITIONS,
    ValueInput,
    measurement_locks,
    measurements_save,
    target_locks,
    targets_save,
)
from goals.workbook import columns as C
from goals.workbook.columns import SHEETS, Col, Sheet, label_of
from goals.workbook.safety import UnsafeWorkbook, is_xml_attack, limit
from ledmot.access import Cap, access_for
from ledmot.lib.charts import format_number
from ledmot.lib.numbers import parse_number
from ledmot.models import OrgKind, OrgUnit
from ledmot.services import versioned_save

CREATE, CHANGE, UNCHANGED, INVALID = "create", "change", "unchanged", "invalid"
MAX_ABS = Decimal(10) ** 14
QUANTUM = Decimal("0.0001")
IN_CHUNK = 2000  # ids per IN (…) query
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- the plan


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowPlan:
    sheet: str  # Sheet.key
    row: int
    action: str = UNCHANGED
    label: str = ""
    changes: list[Change] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # resolved values to save
    pk: int | None = None  # the existing row
    name: str | None = None  # a new row's name in the workbook (the Id text)
    version: int | None = None  # the existing row's version when planned
    ok: bool = True


@dataclass
class Plan:
    sheets: list[str] = field(default_factory=list)  # Sheet.key of the sheets read
    rows: dict[str, list[RowPlan]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, dict[str, int]]:
        out = {}
        for key in self.sheets:
            c = {CREATE: 0, CHANGE: 0, UNCHANGED: 0, INVALID: 0}
            for r in self.rows.get(key, ()):
                c[r.action] += 1
            out[key] = c
        return out

    @property
    def has_changes(self) -> bool:
        return any(r.action in (CREATE, CHANGE) for rows in self.rows.values() for r in rows)

    def fingerprint(self) -> str:
        """Changes when the plan would do anything different: confirm compares it with
        the preview's, so nothing is applied that the user did not see."""
        digest = hashlib.sha256()
        for key in sorted(self.rows):
            for r in self.rows[key]:
                if r.action not in (CREATE, CHANGE):
                    continue
                item = [key, r.row, r.action, r.pk, r.version]
                item += [(c.column, c.old, c.new) for c in r.changes]
                digest.update(json.dumps(item, default=str, ensure_ascii=False).encode())
        for p in self.problems:
            digest.update(json.dumps(p.as_dict(), ensure_ascii=False).encode())
        return digest.hexdigest()

    def summary(self, max_rows: int = 1000) -> dict:
        """What the preview page shows, as JSON: counts, problems and the rows that
        would be created or changed (at most ``max_rows`` of them listed)."""
        listed = []
        total = 0
        for sheet in SHEETS:
            for r in self.rows.get(sheet.key, ()):
                if r.action not in (CREATE, CHANGE):
                    continue
                total += 1
                if len(listed) < max_rows:
                    listed.append(
                        {
                            "sheet": sheet.name,
                            "row": r.row,
                            "action": r.action,
                            "label": r.label,
                            "changes": [[c.column, c.old, c.new] for c in r.changes],
                        }
                    )
        return {
            "counts": self.counts(),
            "problems": [p.as_dict() for p in self.problems],
            "rows": listed,
            "rows_total": total,
            "row_count": self.row_count,
            "fingerprint": self.fingerprint(),
        }


# --------------------------------------------------------------------------- parse


_LOCAL_NAME = re.compile(r"^[^\s].{0,39}$")


class _CellError(ValueError):
    pass


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return str(value).strip()


def _ref(value):
    """An id (int) of an existing row, or the name (str) of a new one."""
    number = _as_int(value)
    if number is not None:
        return number
    text = _as_text(value)
    if not _LOCAL_NAME.match(text):
        raise _CellError(
            _("Skriv ett id (ett heltal) eller namnet på en ny rad (högst 40 tecken).")
        )
    return text


def _number(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _CellError(_("Skriv ett tal, t.ex. 12,5 eller 1 234."))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # Excel stores binary floating point: 0.1 + 0.2 is 0.30000000000000004.
        number = Decimal(repr(value))
        if number.as_tuple().exponent < -4:
            number = number.quantize(QUANTUM)
    else:
        try:
            number = parse_number(str(value))
        except (ValueError, InvalidOperation):
            raise _CellError(_("Skriv ett tal, t.ex. 12,5 eller 1 234.")) from None
        if number is not None and number.as_tuple().exponent < -4:
            raise _CellError(_("Högst fyra decimaler."))
    if number is not None and abs(number) >= MAX_ABS:
        raise _CellError(_("Talet är för stort."))
    return number


def _year(value) -> int | None:
    if value is None or value == "":
        return None
    year = _as_int(value)
    if year is None or not 1990 <= year <= 2100:
        raise _CellError(_("Skriv ett år, t.ex. 2025."))
    return year


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_as_text(value)[:10])
    except ValueError:
        raise _CellError(_("Skriv ett datum, t.ex. 2025-03-31.")) from None


def _choice(col: Col, value) -> str | None:
    text = _as_text(value)
    if not text:
        return None
    wanted = text.casefold()
    for label, code in col.choices.items():
        if wanted in (label.casefold(), str(code).casefold()):
            return code
    raise _CellError(
        _("Okänt värde ”%(value)s”: välj %(choices)s.")
        % {"value": text, "choices": ", ".join(col.choices)}
    )


_MANDATE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")


def _mandate(value):
    text = _as_text(value)
    if not text:
        return None
    if m := _MANDATE.match(text):
        return (int(m[1]), int(m[2]))
    if text.isdigit() and len(text) == 4:
        return int(text)
    raise _CellError(_("Skriv mandatperioden som 2023-2026 eller ett år inom den."))


def _period(value) -> str | None:
    text = _as_text(value)
    if not text:
        return None
    try:
        return ReportingPeriod.parse(text).key
    except ValueError as exc:
        raise _CellError(str(exc)) from None


def _convert(col: Col, value):
    if col.kind in (C.ID, C.REF):
        return None if _as_text(value) == "" else _ref(value)
    if col.kind == C.REFS:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return [_ref(value)]
        parts = [p.strip() for p in re.split(r"[,;]", _as_text(value))]
        return [_ref(p) for p in parts if p]
    if col.kind == C.NUMBER:
        return _number(value)
    if col.kind == C.YEAR:
        return _year(value)
    if col.kind == C.DATE:
        return _date(value)
    if col.kind == C.CHOICE:
        return _choice(col, value)
    if col.kind == C.PERIOD:
        return _period(value)
    if col.kind == C.MANDATE:
        return _mandate(value)
    text = _as_text(value)
    if col.max_length and len(text) > col.max_length:
        raise _CellError(_("Texten är för lång: högst %(n)s tecken.") % {"n": col.max_length})
    return text


@dataclass
class RawRow:
    row: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)  # keys of cells that could not be read


def read_rows(
    fileobj: IO[bytes], progress: Progress | None = None
) -> tuple[dict[str, list[RawRow]], list[Problem], int]:
    """The known sheets' rows with their cells converted; problems with cells and
    headings. Raises :class:`UnsafeWorkbook` for a file that cannot or may not be read."""
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:
        if is_xml_attack(exc):
            from goals.workbook.safety import ENTITY_MESSAGE

            raise UnsafeWorkbook(_(ENTITY_MESSAGE)) from exc
        raise UnsafeWorkbook(_("Filen kunde inte läsas som en Excel-fil (.xlsx).")) from exc
    by_name = {s.name.casefold(): s for s in SHEETS}
    sheets: dict[str, list[RawRow]] = {}
    problems: list[Problem] = []
    max_rows = limit("LEDMOT_IMPORT_MAX_ROWS")
    count = 0
    try:
        for ws in wb.worksheets:
            sheet = by_name.get(ws.title.strip().casefold())
            if sheet is None or sheet.key in sheets:
                continue
            rows_iter = ws.iter_rows(values_only=True)
            header = next(rows_iter, None) or ()
            index = {}
            for i, heading in enumerate(header):
                name = _as_text(heading).casefold()
                if name:
                    index.setdefault(name, i)
            cols = []
            for col in sheet.columns:
                i = index.get(col.heading.casefold())
                if i is None:
                    if col.required:
                        problems.append(Problem(sheet.name, 1, col.heading, _("Kolumnen saknas.")))
                    continue
                cols.append((col, i))
            rows = sheets[sheet.key] = []
            for number, cells in enumerate(rows_iter, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                    continue
                count += 1
                if count > max_rows:
                    raise UnsafeWorkbook(
                        _("Filen har fler än %(n)s rader. Dela upp den i flera filer.")
                        % {"n": f"{max_rows:,}".replace(",", "\u00a0")}
                    )
                raw = RawRow(number, {})
                for col, i in cols:
                    value = cells[i] if i < len(cells) else None
                    try:
                        raw.values[col.key] = _convert(col, value)
                    except _CellError as exc:
                        problems.append(Problem(sheet.name, number, col.heading, str(exc)))
                        raw.bad.add(col.key)
                        raw.values[col.key] = None
                        continue
                    if col.required and raw.values[col.key] in (None, "", []):
                        problems.append(
                            Problem(sheet.name, number, col.heading, _("Värdet saknas."))
                        )
                        raw.bad.add(col.key)
                rows.append(raw)
                if progress and count % 1000 == 0:
                    progress(count, 0)
    except UnsafeWorkbook:
        raise
    except Exception as exc:
        if is_xml_attack(exc):
            from goals.workbook.safety import ENTITY_MESSAGE

            raise UnsafeWorkbook(_(ENTITY_MESSAGE)) from exc
        raise UnsafeWorkbook(_("Filen kunde inte läsas som en Excel-fil (.xlsx).")) from exc
    finally:
        wb.close()
    return sheets, problems, count


# --------------------------------------------------------------------------- validate + plan


def _chunks(ids) -> Iterable[list]:
    ids = sorted(ids)
    for i in range(0, len(ids), IN_CHUNK):
        yield ids[i : i + IN_CHUNK]


def _show(value) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        return format_number(value, decimals=max(0, -exponent if isinstance(exponent, int) else 0))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Planner:
    def __init__(self, user, raw: dict[str, list[RawRow]], problems: list[Problem]):
        self.user = user
        self.access = access_for(user) if user is not None else None
        self.raw = raw
        self.plan = Plan(sheets=[s.key for s in SHEETS if s.key in raw])
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
                    Change(sheet.column(key).heading, _show(old_shown), _show(new_shown))
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

    def goals(self) -> None:
        sheet = C.GOALS
        rows = self.raw.get(sheet.key, [])
        refs = {r.values.get("id") for r in rows} | {r.values.get("parent") for r in rows}
        for other in ("activities", "indicators"):
            for r in self.raw.get(other, []):
                refs.add(r.values.get("goal"))
                refs.update(r.values.get("goals") or ())
        ids = {i for i in refs if isinstance(i, int)}
        self.db_goals: dict[int, dict] = {}
        for chunk in _chunks(ids):
            for g in Goal.objects.filter(pk__in=chunk).values(
                "pk",
                "level",
                "parent_id",
                "owner_id",
                "title",
                "description",
                "perspective_id",
                "mandate_period_id",
                "status",
                "version",
            ):
                self.db_goals[g["pk"]] = g
        # The goals as they will be: existing ones overlaid by the sheet, new ones by name.
        self.goal_state: dict[Any, dict] = {pk: dict(g) for pk, g in self.db_goals.items()}
        seen: dict = {}
        planned: list[tuple[RawRow, RowPlan]] = []
        for r in rows:
            v = r.values
            rp = RowPlan(sheet.key, r.row, label=v.get("title") or "")
            pk, name, ok = self.identity(
                sheet, r, self.db_goals, seen, _("Det finns inget mål med id %(id)s.")
            )
            rp.pk, rp.name = pk, name
            ok = ok and not r.bad
            owner = self.unit(sheet, r, "owner")
            ok = ok and owner is not None
            level = v.get("level")
            if owner and level and owner.kind not in OWNER_KINDS[level]:
                allowed = ", ".join(str(OrgKind(k).label) for k in sorted(OWNER_KINDS[level]))
                self.problem(
                    sheet,
                    r.row,
                    "owner",
                    _(
                        "Fel nivå: ett mål på nivån %(level)s ska ägas av %(kinds)s, "
                        "men %(unit)s är en %(kind)s."
                    )
                    % {
                        "level": label_of(C.LEVELS, level),
                        "kinds": allowed.lower(),
                        "unit": owner.name,
                        "kind": str(OrgKind(owner.kind).label).lower(),
                    },
                )
                ok = False
            perspective = None
            if v.get("perspective"):
                perspective = self.perspectives.get(v["perspective"].casefold())
                if perspective is None:
                    self.problem(
                        sheet,
                        r.row,
                        "perspective",
                        _("Okänt perspektiv ”%(name)s”.") % {"name": v["perspective"]},
                    )
                    ok = False
            period = None
            if v.get("mandate_period") is not None:
                period = self._mandate_period(v["mandate_period"])
                if period is None:
                    self.problem(
                        sheet,
                        r.row,
                        "mandate_period",
                        _("Det finns ingen mandatperiod %(period)s.")
                        % {"period": _as_text(self._mandate_text(v["mandate_period"]))},
                    )
                    ok = False
            rp.values = {
                "level": level,
                "owner": owner,
                "title": v.get("title") or "",
                "description": v.get("description") or "",
                "perspective": perspective,
                "mandate_period": period,
                "status": v.get("status"),
                "parent": v.get("parent"),
            }
            if ok:
                state = {
                    "level": level,
                    "owner_id": owner.pk,
                    "mandate_period_id": period.pk,
                    "status": v.get("status"),
                }
                key = pk if pk is not None else name
                if key is not None:
                    self.goal_state[key] = {**self.goal_state.get(key, {}), **state}
            rp.ok = ok
            planned.append((r, rp))
        # Second pass: the parent, now that every goal of the sheet is known.
        for r, rp in planned:
            ok = rp.ok
            v = rp.values
            level, parent_ref = v["level"], v["parent"]
            parent = None
            if ok and level == GoalLevel.COUNCIL and parent_ref is not None:
                self.problem(
                    sheet,
                    r.row,
                    "parent",
                    _("Kommunfullmäktiges mål har inget överordnat mål."),
                )
                ok = False
            elif ok and level != GoalLevel.COUNCIL:
                if parent_ref is None:
                    self.problem(sheet, r.row, "parent", _("Ange id för det överordnade målet."))
                    ok = False
                else:
                    parent = self.goal_state.get(parent_ref)
                    if parent is None or "level" not in parent:
                        self.problem(
                            sheet,
                            r.row,
                            "parent",
                            _("Okänt överordnat mål ”%(id)s”.") % {"id": parent_ref},
                        )
                        ok = False
                    elif parent["level"] != PARENT_LEVEL[level]:
                        self.problem(
                            sheet,
                            r.row,
                            "parent",
                            _(
                                "Fel nivå: ett mål på nivån %(level)s ska ha ett överordnat "
                                "mål på nivån %(expected)s, men mål %(id)s är på nivån %(actual)s."
                            )
                            % {
                                "level": label_of(C.LEVELS, level),
                                "expected": label_of(C.LEVELS, PARENT_LEVEL[level]),
                                "id": parent_ref,
                                "actual": label_of(C.LEVELS, parent["level"]),
                            },
                        )
                        ok = False
                    elif parent["mandate_period_id"] != v["mandate_period"].pk:
                        self.problem(
                            sheet,
                            r.row,
                            "parent",
                            _("Det överordnade målet hör till en annan mandatperiod."),
                        )
                        ok = False
                    elif level == GoalLevel.UNIT and not v["owner"].is_within(
                        self.units[parent["owner_id"]]
                    ):
                        self.problem(
                            sheet,
                            r.row,
                            "owner",
                            _("Enheten måste ligga under %(unit)s, som äger det överordnade målet.")
                            % {"unit": self.units[parent["owner_id"]].name},
                        )
                        ok = False
            if ok:
                self._goal_changes(sheet, r, rp, parent_ref)
                if rp.pk is not None:
                    old_status, new_status = self.db_goals[rp.pk]["status"], v["status"]
                    if old_status != new_status and new_status not in TRANSITIONS[old_status]:
                        self.problem(
                            sheet,
                            r.row,
                            "status",
                            _("Status kan inte ändras från %(old)s till %(new)s.")
                            % {
                                "old": label_of(C.GOAL_STATUSES, old_status),
                                "new": label_of(C.GOAL_STATUSES, new_status),
                            },
                        )
                        ok = False
                if ok and (rp.pk is None or rp.changes):
                    old_owner = self.units.get(self.db_goals[rp.pk]["owner_id"]) if rp.pk else None
                    ok = self.may_write(sheet, r, "owner", v["owner"], old_owner)
            self.finish(rp, ok)
            self.plan.rows[sheet.key].append(rp)

    def _mandate_period(self, value):
        for p in self.periods:
            if isinstance(value, tuple):
                if (p.start_year, p.end_year) == value:
                    return p
            elif p.start_year <= value <= p.end_year:
                return p
        return None

    @staticmethod
    def _mandate_text(value) -> str:
        return f"{value[0]}-{value[1]}" if isinstance(value, tuple) else str(value)

    def _goal_changes(self, sheet, r, rp: RowPlan, parent_ref) -> None:
        v = rp.values
        if rp.pk is None:
            return
        g = self.db_goals[rp.pk]
        rp.version = g["version"]
        new_parent = parent_ref if isinstance(parent_ref, int) else parent_ref
        units = self.units
        self.diff(
            rp,
            sheet,
            [
                (
                    "level",
                    g["level"],
                    v["level"],
                    label_of(C.LEVELS, g["level"]),
                    label_of(C.LEVELS, v["level"]),
                ),
                ("parent", g["parent_id"], new_parent, g["parent_id"], new_parent),
                (
                    "owner",
                    g["owner_id"],
                    v["owner"].pk,
                    units[g["owner_id"]].code if g["owner_id"] in units else "",
                    v["owner"].code,
                ),
                ("title", g["title"], v["title"], g["title"], v["title"]),
                (
                    "description",
                    g["description"],
                    v["description"],
                    g["description"],
                    v["description"],
                ),
                (
                    "perspective",
                    g["perspective_id"],
                    v["perspective"].pk,
                    self.perspective_names.get(g["perspective_id"]),
                    v["perspective"].name,
                ),
                (
                    "mandate_period",
                    g["mandate_period_id"],
                    v["mandate_period"].pk,
                    self.period_names.get(g["mandate_period_id"]),
                    self.period_names[v["mandate_period"].pk],
                ),
                (
                    "status",
                    g["status"],
                    v["status"],
                    label_of(C.GOAL_STATUSES, g["status"]),
                    label_of(C.GOAL_STATUSES, v["status"]),
                ),
            ],
        )

    def goal_ref(self, sheet, r: RawRow, key: str, ref) -> dict | None:
        """The goal (as it will be) a row refers to, or a problem."""
        goal = self.goal_state.get(ref)
        if goal is None or "owner_id" not in goal:
            self.problem(sheet, r.row, key, _("Okänt mål ”%(id)s”.") % {"id": ref})
            return None
        return goal

    # -- activities ---------------------------------------------------------------

    def activities(self) -> None:
        sheet = C.ACTIVITIES
        rows = self.raw.get(sheet.key, [])
        ids = {r.values.get("id") for r in rows if isinstance(r.values.get("id"), int)}
        db: dict[int, dict] = {}
        for chunk in _chunks(ids):
            for a in Activity.objects.filter(pk__in=chunk).values(
                "pk",
                "goal_id",
                "owner_id",
                "title",
                "responsible",
                "start",
                "end",
                "status",
                "version",
            ):
                db[a["pk"]] = a
        seen: dict = {}
        for r in rows:
            v = r.values
            rp = RowPlan(sheet.key, r.row, label=v.get("title") or "")
            pk, name, ok = self.identity(
                sheet, r, db, seen, _("Det finns ingen aktivitet med id %(id)s.")
            )
            rp.pk, rp.name = pk, name
            ok = ok and not r.bad
            owner = self.unit(sheet, r, "owner")
            goal = self.goal_ref(sheet, r, "goal", v["goal"]) if v.get("goal") is not None else None
            ok = ok and owner is not None and goal is not None
            if ok and not owner.is_within(self.units[goal["owner_id"]]):
                self.problem(
                    sheet,
                    r.row,
                    "owner",
                    _("Utförande enhet måste vara %(unit)s eller en enhet under den.")
                    % {"unit": self.units[goal["owner_id"]].name},
                )
                ok = False
            if v.get("start") and v.get("end") and v["end"] < v["start"]:
                self.problem(sheet, r.row, "end", _("Slutdatum kan inte vara före startdatum."))
                ok = False
            rp.values = {
                "goal": v.get("goal"),
                "owner": owner,
                "title": v.get("title") or "",
                "responsible": v.get("responsible") or "",
                "start": v.get("start"),
                "end": v.get("end"),
                "status": v.get("status"),
            }
            if ok and pk is not None:
                a = db[pk]
                rp.version = a["version"]
                self.diff(
                    rp,
                    sheet,
                    [
                        ("goal", a["goal_id"], v["goal"], a["goal_id"], v["goal"]),
                        (
                            "owner",
                            a["owner_id"],
                            owner.pk,
                            self.units[a["owner_id"]].code,
                            owner.code,
                        ),
                        ("title", a["title"], v["title"], a["title"], v["title"]),
                        (
                            "responsible",
                            a["responsible"],
                            rp.values["responsible"],
                            a["responsible"],
                            rp.values["responsible"],
                        ),
                        ("start", a["start"], v.get("start"), a["start"], v.get("start")),
                        ("end", a["end"], v.get("end"), a["end"], v.get("end")),
                        (
                            "status",
                            a["status"],
                            v["status"],
                            label_of(C.ACTIVITY_STATUSES, a["status"]),
                            label_of(C.ACTIVITY_STATUSES, v["status"]),
                        ),
                    ],
                )
            if ok and (pk is None or rp.changes):
                old_owner = self.units.get(db[pk]["owner_id"]) if pk else None
                ok = self.may_write(sheet, r, "owner", owner, old_owner)
            self.finish(rp, ok)
            self.plan.rows[sheet.key].append(rp)

    # -- indicators ---------------------------------------------------------------

    def indicators(self) -> None:
        sheet = C.INDICATORS
        rows = self.raw.get(sheet.key, [])
        refs = {r.values.get("id") for r in rows}
        for other in ("targets", "results"):
            refs |= {r.values.get("indicator") for r in self.raw.get(other, [])}
        ids = {i for i in refs if isinstance(i, int)}
        self.db_indicators: dict[int, dict] = {}
        goal_links: dict[int, list[int]] = defaultdict(list)
        through = Indicator.goals.through.objects
        for chunk in _chunks(ids):
            for ind in Indicator.objects.filter(pk__in=chunk).values(
                "pk",
                "name",
                "unit",
                "direction",
                "frequency",
                "kolada_id",
                "responsible_unit_id",
                "baseline_value",
                "baseline_year",
                "version",
            ):
                self.db_indicators[ind["pk"]] = ind
            for ind_id, goal_id in through.filter(indicator_id__in=chunk).values_list(
                "indicator_id", "goal_id"
            ):
                goal_links[ind_id].append(goal_id)
        # Indicators as they will be: responsible unit and frequency, for targets and results.
        self.indicator_state: dict[Any, dict] = {
            pk: {
                "unit_id": i["responsible_unit_id"],
                "frequency": i["frequency"],
                "name": i["name"],
            }
            for pk, i in self.db_indicators.items()
        }
        seen: dict = {}
        for r in rows:
            v = r.values
            rp = RowPlan(sheet.key, r.row, label=v.get("name") or "")
            pk, name, ok = self.identity(
                sheet, r, self.db_indicators, seen, _("Det finns ingen indikator med id %(id)s.")
            )
            rp.pk, rp.name = pk, name
            ok = ok and not r.bad
            unit = self.unit(sheet, r, "responsible_unit")
            ok = ok and unit is not None
            goal_refs = v.get("goals") or []
            for ref in goal_refs:
                if self.goal_ref(sheet, r, "goals", ref) is None:
                    ok = False
            if len(set(goal_refs)) != len(goal_refs):
                goal_refs = list(dict.fromkeys(goal_refs))
            rp.values = {
                "name": v.get("name") or "",
                "unit": v.get("unit") or "",
                "direction": v.get("direction"),
                "frequency": v.get("frequency"),
                "goals": goal_refs,
                "kolada_id": v.get("kolada_id") or "",
                "responsible_unit": unit,
                "baseline_value": v.get("baseline_value"),
                "baseline_year": v.get("baseline_year"),
            }
            if ok:
                key = pk if pk is not None else name
                if key is not None:
                    self.indicator_state[key] = {
                        "unit_id": unit.pk,
                        "frequency": v["frequency"],
                        "name": rp.values["name"],
                    }
            if ok and pk is not None:
                i = self.db_indicators[pk]
                rp.version = i["version"]
                old_goals = sorted(goal_links.get(pk, []))
                new_goals = (
                    goal_refs if any(isinstance(g, str) for g in goal_refs) else sorted(goal_refs)
                )
                self.diff(
                    rp,
                    sheet,
                    [
                        ("name", i["name"], rp.values["name"], i["name"], rp.values["name"]),
                        ("unit", i["unit"], rp.values["unit"], i["unit"], rp.values["unit"]),
                        (
                            "direction",
                            i["direction"],
                            v["direction"],
                            label_of(C.DIRECTIONS, i["direction"]),
                            label_of(C.DIRECTIONS, v["direction"]),
                        ),
                        (
                            "frequency",
                            i["frequency"],
                            v["frequency"],
                            label_of(C.FREQUENCIES, i["frequency"]),
                            label_of(C.FREQUENCIES, v["frequency"]),
                        ),
                        (
                            "goals",
                            old_goals,
                            new_goals,
                            ", ".join(map(str, old_goals)),
                            ", ".join(map(str, new_goals)),
                        ),
                        (
                            "kolada_id",
                            i["kolada_id"],
                            rp.values["kolada_id"],
                            i["kolada_id"],
                            rp.values["kolada_id"],
                        ),
                        (
                            "responsible_unit",
                            i["responsible_unit_id"],
                            unit.pk,
                            self.units[i["responsible_unit_id"]].code,
                            unit.code,
                        ),
                        (
                            "baseline_value",
                            i["baseline_value"],
                            v.get("baseline_value"),
                            i["baseline_value"],
                            v.get("baseline_value"),
                        ),
                        (
                            "baseline_year",
                            i["baseline_year"],
                            v.get("baseline_year"),
                            i["baseline_year"],
                            v.get("baseline_year"),
                        ),
                    ],
                )
            if ok and (pk is None or rp.changes):
                old_unit = (
                    self.units.get(self.db_indicators[pk]["responsible_unit_id"]) if pk else None
                )
                ok = self.may_write(sheet, r, "responsible_unit", unit, old_unit)
            self.finish(rp, ok)
            self.plan.rows[sheet.key].append(rp)

    def indicator_ref(self, sheet, r: RawRow, ref) -> dict | None:
        ind = self.indicator_state.get(ref)
        if ind is None:
            self.problem(sheet, r.row, "indicator", _("Okänd indikator ”%(id)s”.") % {"id": ref})
        return ind

    # -- targets ------------------------------------------------------------------

    def targets(self) -> None:
        sheet = C.TARGETS
        rows = self.raw.get(sheet.key, [])
        ids = {
            r.values.get("indicator") for r in rows if isinstance(r.values.get("indicator"), int)
        }
        db: dict[tuple, tuple] = {}
        for chunk in _chunks(ids):
            for pk, ind, year, value in Target.objects.filter(indicator_id__in=chunk).values_list(
                "pk", "indicator_id", "year", "value"
            ):
                db[(ind, year)] = (pk, value)
        unit_ids = {s["unit_id"] for s in self.indicator_state.values()}
        locked = target_locks(unit_ids) if rows else {}
        seen: dict = {}
        for r in rows:
            v = r.values
            rp = RowPlan(sheet.key, r.row)
            ok = not r.bad
            ind = (
                self.indicator_ref(sheet, r, v["indicator"])
                if v.get("indicator") is not None
                else None
            )
            ok = ok and ind is not None
            key = (v.get("indicator"), v.get("year"))
            if ok and key in seen:
                self.problem(
                    sheet,
                    r.row,
                    "year",
                    _("Målvärdet för året finns redan på rad %(row)s.") % {"row": seen[key]},
                )
                ok = False
            seen.setdefault(key, r.row)
            rp.values = {
                "indicator": v.get("indicator"),
                "year": v.get("year"),
                "value": v.get("value"),
            }
            if ind:
                rp.label = f"{ind['name']} {v.get('year') or ''}".strip()
            existing = db.get(key)
            if existing:
                rp.pk = existing[0]
                if ok:
                    self.diff(
                        rp, sheet, [("value", existing[1], v["value"], existing[1], v["value"])]
                    )
            if ok and (rp.pk is None or rp.changes):
                lock = locked.get((ind["unit_id"], v.get("year")))
                if lock:
                    self.problem(
                        sheet, r.row, "value", rules.target_locked_message(v["year"], lock)
                    )
                    ok = False
                else:
                    ok = self.may_write(sheet, r, "indicator", self.units.get(ind["unit_id"]))
            self.finish(rp, ok)
            self.plan.rows[sheet.key].append(rp)

    # -- results ------------------------------------------------------------------

    def results(self) -> None:
        sheet = C.RESULTS
        rows = self.raw.get(sheet.key, [])
        ids = {
            r.values.get("indicator") for r in rows if isinstance(r.values.get("indicator"), int)
        }
        db: dict[tuple, tuple] = {}
        for chunk in _chunks(ids):
            for pk, ind, period, gender, value, comment in Measurement.objects.filter(
                indicator_id__in=chunk
            ).values_list("pk", "indicator_id", "period", "gender", "value", "comment"):
                db[(ind, period, gender)] = (pk, value, comment)
        unit_ids = {s["unit_id"] for s in self.indicator_state.values()}
        locked = measurement_locks(unit_ids) if rows else {}
        frequencies = dict(C.FREQUENCIES)
        seen: dict = {}
        for r in rows:
            v = r.values
            gender = v.get("gender") or Gender.TOTAL
            rp = RowPlan(sheet.key, r.row)
            ok = not r.bad
            ref = v.get("indicator")
            ind = self.indicator_ref(sheet, r, ref) if ref is not None else None
            ok = ok and ind is not None
            period = v.get("period")
            kind = ReportingPeriod.parse(period).kind if period else None
            if ok and kind not in (None, "year", ind["frequency"]):
                self.problem(
                    sheet,
                    r.row,
                    "period",
                    _("Perioden ”%(period)s” finns inte för indikatorn, som mäts per %(freq)s.")
                    % {
                        "period": period,
                        "freq": label_of(frequencies, ind["frequency"]).lower(),
                    },
                )
                ok = False
            key = (ref, period, gender)
            if ok and key in seen:
                self.problem(
                    sheet,
                    r.row,
                    "period",
                    _("Utfallet för perioden och könet finns redan på rad %(row)s.")
                    % {"row": seen[key]},
                )
                ok = False
            seen.setdefault(key, r.row)
            comment = v.get("comment") or ""
            rp.values = {
                "indicator": ref,
                "period": period,
                "gender": gender,
                "value": v.get("value"),
                "comment": comment,
            }
            if ind:
                rp.label = f"{ind['name']} {period or ''} {gender}"
            existing = db.get(key)
            if existing:
                rp.pk = existing[0]
                if ok:
                    self.diff(
                        rp,
                        sheet,
                        [
                            ("value", existing[1], v.get("value"), existing[1], v.get("value")),
                            ("comment", existing[2], comment, existing[2], comment),
                        ],
                    )
            elif ok and v.get("value") is None and not comment:
                # Nothing to record: an empty row for a period without a value.
                rp.pk = 0
            if ok and (rp.pk is None or rp.changes):
                lock = locked.get((ind["unit_id"], period))
                if lock:
                    self.problem(sheet, r.row, "value", rules.value_locked_message(period, lock))
                    ok = False
                else:
                    ok = self.may_write(sheet, r, "indicator", self.units.get(ind["unit_id"]))
            self.finish(rp, ok)
            self.plan.rows[sheet.key].append(rp)


def plan_rows(
    raw: dict[str, list[RawRow]], problems: list[Problem], *, user, row_count: int = 0
) -> Plan:
    planner = _Planner(user, raw, problems)
    planner.goals()
    planner.activities()
    planner.indicators()
    planner.targets()
    planner.results()
    plan = planner.plan
    plan.row_count = row_count
    order = {s.name: i for i, s in enumerate(SHEETS)}
    plan.problems.sort(key=lambda p: (order.get(p.sheet, 99), p.row))
    return plan


def read_plan(fileobj: IO[bytes], *, user, progress: Progress | None = None) -> Plan:
    """Parse, validate and plan a workbook; nothing is written."""
    raw, problems, count = read_rows(fileobj, progress)
    return plan_rows(raw, problems, user=user, row_count=count)


# --------------------------------------------------------------------------- apply


class PlanNotApplicable(Exception):
    """The plan has problems: nothing was applied."""


@transaction.atomic
def apply_plan(plan: Plan, *, user, reason: str = "", progress: Progress | None = None) -> dict:
    """Carry out ``plan`` in one transaction: all of it or, on any error, none of it.

    Rows changed since the plan was made raise ``ConflictError`` (from
    ``versioned_save``) and roll everything back. Returns the counts.
    """
    if not plan.ok:
        raise PlanNotApplicable
    reason = reason or _("Import från Excel")
    total = sum(1 for rows in plan.rows.values() for r in rows if r.action in (CREATE, CHANGE))
    done = 0

    def step(n: int = 1):
        nonlocal done
        done += n
        if progress and (done % 500 == 0 or done == total):
            progress(done, total)

    names: dict[str, dict[str, int]] = {"goals": {}, "activities": {}, "indicators": {}}

    def resolve(kind: str, ref):
        return names[kind][ref] if isinstance(ref, str) else ref

    # Goals: new ones from the top of the chain down, so parents exist first.
    goal_rows = [r for r in plan.rows.get("goals", []) if r.action in (CREATE, CHANGE)]
    depth = {GoalLevel.COUNCIL: 0, GoalLevel.COMMITTEE: 1, GoalLevel.UNIT: 2}
    goal_rows.sort(key=lambda r: (depth[r.values["level"]], r.action != CREATE, r.row))
    existing = Goal.objects.in_bulk([r.pk for r in goal_rows if r.pk])
    for rp in goal_rows:
        v = rp.values
        goal = existing[rp.pk] if rp.pk else Goal()
        goal.level = v["level"]
        goal.owner = v["owner"]
        goal.title = v["title"]
        goal.description = v["description"]
        goal.perspective = v["perspective"]
        goal.mandate_period = v["mandate_period"]
        goal.status = v["status"]
        goal.parent_id = resolve("goals", v["parent"]) if v["parent"] is not None else None
        versioned_save(goal, user=user, expected_version=rp.version, reason=reason)
        if rp.name:
            names["goals"][rp.name] = goal.pk
        step()

    activity_rows = [r for r in plan.rows.get("activities", []) if r.action in (CREATE, CHANGE)]
    existing = Activity.objects.in_bulk([r.pk for r in activity_rows if r.pk])
    for rp in activity_rows:
        v = rp.values
        activity = existing[rp.pk] if rp.pk else Activity()
        activity.goal_id = resolve("goals", v["goal"])
        activity.owner = v["owner"]
        activity.title = v["title"]
        activity.responsible = v["responsible"]
        activity.start, activity.end = v["start"], v["end"]
        activity.status = v["status"]
        if activity.status == ActivityStatus.DONE:
            activity.progress = 100
        versioned_save(activity, user=user, expected_version=rp.version, reason=reason)
        if rp.name:
            names["activities"][rp.name] = activity.pk
        step()

    indicator_rows = [r for r in plan.rows.get("indicators", []) if r.action in (CREATE, CHANGE)]
    existing = Indicator.objects.in_bulk([r.pk for r in indicator_rows if r.pk])
    goals_heading = C.INDICATORS.column("goals").heading
    for rp in indicator_rows:
        v = rp.values
        ind = existing[rp.pk] if rp.pk else Indicator(source=IndicatorSource.MANUAL)
        for attr in ("name", "unit", "direction", "frequency", "kolada_id"):
            setattr(ind, attr, v[attr])
        ind.responsible_unit = v["responsible_unit"]
        ind.baseline_value, ind.baseline_year = v["baseline_value"], v["baseline_year"]
        versioned_save(ind, user=user, expected_version=rp.version, reason=reason)
        if rp.pk is None or any(c.column == goals_heading for c in rp.changes):
            ind._history_user = user
            ind.goals.set([resolve("goals", g) for g in v["goals"]])
        if rp.name:
            names["indicators"][rp.name] = ind.pk
        step()

    target_rows = [r for r in plan.rows.get("targets", []) if r.action in (CREATE, CHANGE)]
    by_indicator: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for rp in target_rows:
        by_indicator[resolve("indicators", rp.values["indicator"])][rp.values["year"]] = rp.values[
            "value"
        ]
    indicators = {}
    for chunk in _chunks(by_indicator):
        indicators.update(Indicator.objects.in_bulk(chunk))
    for pk, values in by_indicator.items():
        targets_save(indicator=indicators[pk], values=values, user=user)
        step(len(values))

    result_rows = [r for r in plan.rows.get("results", []) if r.action in (CREATE, CHANGE)]
    if result_rows:
        ids = {resolve("indicators", r.values["indicator"]) for r in result_rows}
        indicators = {}
        for chunk in _chunks(ids):
            indicators.update(Indicator.objects.only("pk", "responsible_unit_id").in_bulk(chunk))
        measurements_save(
            values=[
                ValueInput(
                    indicator=indicators[resolve("indicators", r.values["indicator"])],
                    period=r.values["period"],
                    value=r.values["value"],
                    gender=r.values["gender"],
                    comment=r.values["comment"],
                    source=IndicatorSource.IMPORT,
                )
                for r in result_rows
            ],
            user=user,
            reason=reason,
        )
        step(len(result_rows))
    return plan.counts()
