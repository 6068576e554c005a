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

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    heading: str
    width: int = 18
    number_format: str | None = None  # e.g. "0", "0.0", "yyyy-mm-dd"


def _cell(ws, value, number_format=None):
    cell = WriteOnlyCell(ws, value=None)
    if value is None:
        return cell
    if isinstance(value, bool):
        cell.value = "Ja" if value else "Nej"
        cell.data_type = "s"
    elif isinstance(value, (int, float, Decimal)):
        cell.value = value
    elif isinstance(value, (datetime.date, datetime.datetime)):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        cell.value = value
        cell.number_format = number_format or "yyyy-mm-dd"
        return cell
    else:
        # Assigning a string that starts with "=" makes openpyxl write a formula;
        # set the type afterwards so the text is stored as text, whatever it says.
        cell.value = str(value)
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def workbook_response(
    filename: str, sheet: str, columns: Sequence[Column], rows: Iterable[Sequence]
) -> HttpResponse:
    """One sheet with bold Swedish headings and typed cells, as a download."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    for i, col in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = col.width
    heading = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.heading)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        heading.append(cell)
    ws.append(heading)
    for row in rows:
        ws.append([_cell(ws, v, c.number_format) for v, c in zip(row, columns, strict=True)])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
