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


def test_several_sheets_and_a_number_format_per_cell():
    from ledmot.lib.xlsx import Formatted, Sheet, decimals_format, sheets_response

    assert [decimals_format(n) for n in (0, 1, 3)] == ["0", "0.0", "0.000"]
    response = sheets_response(
        "x.xlsx",
        [
            Sheet(
                "Ett",
                [Column("Värde", number_format="0")],
                [[Formatted(Decimal("1.25"), "0.00")], [7]],
            ),
            Sheet("Två", [Column("Text")], [["=1+1"]]),
        ],
    )
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Ett", "Två"]
    assert (wb["Ett"]["A2"].value, wb["Ett"]["A2"].number_format) == (1.25, "0.00")
    assert (wb["Ett"]["A3"].value, wb["Ett"]["A3"].number_format) == (7, "0")
    assert wb["Två"]["A2"].data_type == "s"
    assert wb["Ett"].freeze_panes == "A2"
