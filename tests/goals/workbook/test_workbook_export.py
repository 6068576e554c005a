"""The full export: readable by openpyxl, typed cells, text never a formula, constant queries."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from goals.models import Activity, Measurement
from goals.services import ValueInput, measurements_save
from goals.workbook.columns import SHEETS, all_sheets
from goals.workbook.export import export_workbook
from ledmot.models import Role
from tests.factories import IndicatorFactory, UserFactory, grant

from .helpers import exported, sheet_rows

pytestmark = pytest.mark.django_db


def test_every_sheet_reads_back_with_typed_cells(world):
    w = world
    Activity.objects.filter(pk=w.activity.pk).update(start=datetime.date(2025, 2, 1))
    measurements_save(
        values=[ValueInput(indicator=w.indicator, period="2024-T1", value=Decimal("12.5"))],
        user=w.editor,
    )
    data = exported()
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [s.name for s in all_sheets()]
    for sheet in all_sheets():
        assert [c.value for c in wb[sheet.name][1]] == sheet.headings
    goals = sheet_rows(data, "Mål")
    council = next(r for r in goals if r[0] == w.council_goal.pk)
    assert council[1:] == (
        "KF",
        None,
        "KF",
        w.council_goal.title,
        None,
        "Medborgare",
        "2023-2026",
        "Antaget",
        None,
        "Verksamhetsmål",
    )
    activity = sheet_rows(data, "Aktiviteter")[1]
    assert activity[5] == datetime.datetime(2025, 2, 1)
    result = sheet_rows(data, "Utfall")[1]
    assert result[:4] == (w.indicator.pk, "2024-T1", "T", 12.5)
    assert isinstance(result[3], float)


def test_text_that_looks_like_a_formula_stays_text(world):
    w = world
    w.unit_goal.title = '=HYPERLINK("http://evil.example","klicka")'
    w.unit_goal.description = "#N/A"
    w.unit_goal.save()
    data = exported()
    ws = load_workbook(io.BytesIO(data))["Mål"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == w.unit_goal.pk)
    assert row[4].value == '=HYPERLINK("http://evil.example","klicka")'
    assert row[4].data_type == "s"
    assert row[5].value == "#N/A"
    assert row[5].data_type == "s"


def test_a_controller_exports_only_what_they_manage(world):
    w = world
    ctl = UserFactory(username="vonctl")
    grant(ctl, w.von, Role.CONTROLLER)
    IndicatorFactory(name="Nöjdhet i äldreomsorgen", responsible_unit=w.boende1)
    data = exported(user=ctl)
    assert len(sheet_rows(data, "Mål")) == 1  # VON has no goals in the test world
    names = [r[1] for r in sheet_rows(data, "Indikatorer")[1:]]
    assert names == ["Nöjdhet i äldreomsorgen"]


def test_empty_template_has_headings_only(world):
    buf = io.BytesIO()
    counts = export_workbook(buf, empty=True)
    assert set(counts.values()) == {0}
    assert sheet_rows(buf.getvalue(), "Utfall") == [tuple(SHEETS[4].headings)]


def test_constant_number_of_queries(world, django_assert_num_queries):
    w = world

    def run():
        export_workbook(io.BytesIO())

    # One query per sheet, one for the indicators' goals; and the «Ekonomi» sheet.
    with django_assert_num_queries(7):
        run()
    for n in range(30):
        IndicatorFactory(responsible_unit=w.skola1, goals=[w.unit_goal])
    Measurement.objects.bulk_create(
        [
            Measurement(indicator=w.indicator, period=str(2000 + n), year=2000 + n, sort_key=n)
            for n in range(20)
        ]
    )
    with django_assert_num_queries(7):
        run()
