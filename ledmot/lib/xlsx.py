"""Excel exports: write-only workbooks where user text is always text, never a formula."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ledmot.lib.text import clean_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    heading: str
    width: int = 18
    number_format: str | None = None  # e.g. "0", "0.0", "yyyy-mm-dd"


@dataclass(frozen=True)
class Formatted:
    """A value with its own number format, for columns whose format varies by row
    (an indicator's value with that indicator's decimals)."""

    value: object
    number_format: str | None = None


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


def decimals_format(decimals: int) -> str:
    """The number format for a value shown with ``decimals`` decimals: "0", "0.0", …"""
    return "0." + "0" * decimals if decimals > 0 else "0"


def text_cell(ws, value: str) -> WriteOnlyCell:
    """A cell holding ``value`` as text, whatever it says: never a formula (``=…``) or
    an error code, and without the control characters a workbook cannot hold (text
    stored before input was cleaned, e.g. pasted from Word, must not break an export)."""
    cell = WriteOnlyCell(ws, value=None)
    # Assigning a string that starts with "=" makes openpyxl write a formula;
    # set the type afterwards so the text is stored as text.
    cell.value = clean_text(str(value))
    cell.data_type = "s"
    return cell


# Whole kronor with thousands grouped. The file stores Excel's neutral code ("," groups);
# Excel and LibreOffice show the reader's own separator, a space in Swedish.
KRONOR_FORMAT = "#,##0"


def cell(ws, value, number_format=None) -> WriteOnlyCell:
    """The one cell writer of every export: numbers as numbers, dates as dates, yes/no
    as "Ja"/"Nej" and everything else through :func:`text_cell`."""
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format or number_format
    if value is None:
        return WriteOnlyCell(ws, value=None)
    if isinstance(value, bool):
        result = text_cell(ws, "Ja" if value else "Nej")
    elif isinstance(value, (int, float, Decimal)):
        result = WriteOnlyCell(ws, value=value)
    elif isinstance(value, (datetime.date, datetime.datetime)):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        result = WriteOnlyCell(ws, value=value)
        number_format = number_format or "yyyy-mm-dd"
    else:
        result = text_cell(ws, value)
    if number_format:
        result.number_format = number_format
    return result


def _write_sheet(wb, sheet: Sheet) -> None:
    ws = wb.create_sheet(str(sheet.title)[:31])
    columns = sheet.columns
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    heading = []
    for col in columns:
        heading_cell = text_cell(ws, col.heading)
        heading_cell.font = Font(bold=True)
        heading.append(heading_cell)
    ws.append(heading)
    for row in sheet.rows:
        ws.append([cell(ws, v, c.number_format) for v, c in zip(row, columns, strict=True)])


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A write-only workbook of one or more sheets with bold headings and typed cells."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(wb, sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheets_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """Several sheets as one download."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workbook_response(
    filename: str, sheet: str, columns: Sequence[Column], rows: Iterable[Sequence]
) -> HttpResponse:
    """One sheet with bold Swedish headings and typed cells, as a download."""
    return sheets_response(filename, [Sheet(sheet, columns, rows)])
