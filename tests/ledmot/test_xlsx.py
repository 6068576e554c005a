import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from ledmot.lib.xlsx import Column, workbook_response


def test_user_text_is_never_a_formula_and_types_are_kept():
    columns = [Column("Text"), Column("Tal", number_format="0.0"), Column("Datum")]
    rows = [
        ['=HYPERLINK("http://evil","klicka")', Decimal("12.5"), datetime.date(2026, 8, 31)],
        ["+SUM(A1:A2)", 3, None],
        ["@cmd", 0.5, datetime.date(2026, 1, 1)],
    ]
    response = workbook_response("x.xlsx", "Blad", columns, rows)
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Blad"]
    assert [c.value for c in ws[1]] == ["Text", "Tal", "Datum"]
    first = ws["A2"]
    assert first.data_type == "s"
    assert first.value == '=HYPERLINK("http://evil","klicka")'
    assert ws["B2"].value == 12.5 and ws["B2"].data_type == "n"
    assert ws["C2"].value == datetime.datetime(2026, 8, 31)
    assert ws["A3"].data_type == "s"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
