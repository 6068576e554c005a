"""Workbooks built in the tests: from rows, from the export, and deliberately bad ones."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook, load_workbook

from goals.workbook.columns import all_sheets
from goals.workbook.export import export_workbook

HEADINGS = {s.name: s.headings for s in all_sheets()}


def xlsx(sheets: dict[str, list[list]], headings: dict[str, list[str]] | None = None) -> bytes:
    """A workbook with the given sheets: the standard headings, then ``rows``."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append((headings or HEADINGS).get(name, HEADINGS.get(name, [])))
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def exported(user=None) -> bytes:
    buf = io.BytesIO()
    export_workbook(buf, user=user)
    return buf.getvalue()


def sheet_rows(data: bytes, name: str) -> list[tuple]:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return list(wb[name].iter_rows(values_only=True))


def edit(data: bytes, name: str, row: int, column: str, value) -> bytes:
    """``data`` with one cell changed (row 1 is the headings)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[name]
    col = HEADINGS[name].index(column) + 1
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "="
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def find_row(data: bytes, name: str, column: str, value) -> int:
    rows = sheet_rows(data, name)
    i = HEADINGS[name].index(column)
    for n, row in enumerate(rows, start=1):
        if row[i] == value:
            return n
    raise AssertionError(f"{value!r} not in {name}.{column}")


def with_member(data: bytes, member: str, content: bytes) -> bytes:
    """``data`` with one zip member replaced (or added)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != member:
                dst.writestr(item, src.read(item.filename))
        dst.writestr(member, content)
    return out.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Id</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&lol3;</t></is></c></row>
</sheetData></worksheet>"""


def zip_bomb() -> bytes:
    """A valid-looking xlsx with one sheet member that expands 200 MB of zeros."""
    data = xlsx({"Mål": []})
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        info = zipfile.ZipInfo("xl/media/padding.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                fh.write(chunk)
    return out.getvalue()
