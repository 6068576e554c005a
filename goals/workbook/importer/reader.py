"""Reading a workbook: the known sheets' rows with every cell converted, and the
problems of cells and headings. Nothing is looked up in the database here."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from goals.periods import ReportingPeriod
from goals.workbook import columns as C
from goals.workbook.columns import Col, all_sheets
from goals.workbook.importer.plan import Problem
from goals.workbook.safety import UnsafeWorkbook, is_xml_attack, limit
from ledmot.lib.limits import MAX_ABS, date_message, date_ok, year_message, year_ok
from ledmot.lib.numbers import parse_kronor, parse_number
from ledmot.lib.text import clean_text, too_long_message

QUANTUM = Decimal("0.0001")
Progress = Callable[[int, int], None]


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


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return clean_text(str(value)).strip()


def _ref(value):
    """An id (int) of an existing row, or the name (str) of a new one."""
    number = _as_int(value)
    if number is not None:
        return number
    text = as_text(value)
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
        if not number.is_finite():  # a number too big for a double is read as inf
            raise _CellError(_("Talet är för stort."))
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
    if year is None:
        raise _CellError(_("Skriv ett år, t.ex. 2025."))
    if not year_ok(year):
        raise _CellError(year_message())
    return year


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        try:
            day = datetime.date.fromisoformat(as_text(value)[:10])
        except ValueError:
            raise _CellError(_("Skriv ett datum, t.ex. 2025-03-31.")) from None
    if not date_ok(day):
        raise _CellError(date_message())
    return day


def _choice(col: Col, value) -> str | None:
    text = as_text(value)
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
    text = as_text(value)
    if not text:
        return None
    if m := _MANDATE.match(text):
        return (int(m[1]), int(m[2]))
    if text.isdigit() and len(text) == 4:
        return int(text)
    raise _CellError(_("Skriv mandatperioden som 2023-2026 eller ett år inom den."))


def _period(value) -> str | None:
    text = as_text(value)
    if not text:
        return None
    try:
        return ReportingPeriod.entered(text).key
    except ValueError as exc:
        raise _CellError(str(exc)) from None


def _convert(col: Col, value):
    if col.kind in (C.ID, C.REF):
        return None if as_text(value) == "" else _ref(value)
    if col.kind == C.REFS:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return [_ref(value)]
        parts = [p.strip() for p in re.split(r"[,;]", as_text(value))]
        return [_ref(p) for p in parts if p]
    if col.kind == C.NUMBER:
        return _number(value)
    if col.kind == C.KRONOR:
        try:
            return parse_kronor(value)
        except ValueError as exc:
            raise _CellError(str(exc)) from None
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
    text = as_text(value)
    if col.max_length and len(text) > col.max_length:
        raise _CellError(too_long_message(col.max_length, len(text)))
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
    by_name = {s.name.casefold(): s for s in all_sheets()}
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
                name = as_text(heading).casefold()
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
