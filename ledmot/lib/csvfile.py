"""CSV files for Swedish Excel: UTF-8 with BOM, semicolons, decimal comma, and user
text that can never run as a formula (the CSV counterpart of ``ledmot.lib.xlsx``'s
``text_cell``)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from ledmot.lib.text import clean_text

BOM = "\ufeff"

# A cell starting with one of these is read by Excel/LibreOffice as a formula (or DDE).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    """User text as a CSV cell: control characters removed (``clean_text``) and, when it
    would start a formula, an apostrophe in front so the spreadsheet shows it as text."""
    text = clean_text(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_number(value) -> str:
    """A number the Swedish way for a spreadsheet: decimal comma, no thousands separator,
    no trailing zeros ("78,4", "-3", "1200")."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return csv_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_text(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The file line by line (for a streaming response): BOM, header, rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield BOM + line([csv_text(h) for h in header])
    for row in rows:
        yield line([csv_cell(v) for v in row])
