"""Files refused before anything in them is read: zip bombs, XML entities, other formats."""

import io

import pytest
from django.test import override_settings

from goals.models import Goal
from goals.workbook.importer import read_plan
from goals.workbook.safety import UnsafeWorkbook, check_upload, estimate_rows

from .helpers import BILLION_LAUGHS, exported, with_member, xlsx, zip_bomb

pytestmark = pytest.mark.django_db


def refuse(name: str, data: bytes) -> str:
    with pytest.raises(UnsafeWorkbook) as exc:
        check_upload(name, io.BytesIO(data))
        read_plan(io.BytesIO(data), user=None)
    return str(exc.value)


def test_a_zip_bomb_is_refused_before_openpyxl(world):
    assert "hårt packad" in refuse("bomb.xlsx", zip_bomb())


def test_total_uncompressed_size_is_limited(world):
    with override_settings(LEDMOT_IMPORT_MAX_UNCOMPRESSED=10_000):
        assert "packas upp till för mycket" in refuse("stor.xlsx", exported())


def test_an_xml_entity_declaration_is_refused(world):
    data = with_member(xlsx({"Mål": []}), "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    assert "DOCTYPE/ENTITY" in refuse("lol.xlsx", data)


def test_defusedxml_refuses_entities_even_past_the_prefix_check(world):
    """The prefix check looks at the first 4 kB; defusedxml (through openpyxl) is the real guard."""
    padded = BILLION_LAUGHS.replace(b"<!DOCTYPE", b"<!--" + b" " * 5000 + b"-->\n<!DOCTYPE", 1)
    data = with_member(xlsx({"Mål": []}), "xl/worksheets/sheet1.xml", padded)
    check_upload("lol.xlsx", io.BytesIO(data))  # passes the cheap check …
    with pytest.raises(UnsafeWorkbook) as exc:
        read_plan(io.BytesIO(data), user=None)  # … and is refused by defusedxml
    assert "DOCTYPE/ENTITY" in str(exc.value)
    assert Goal.objects.count() == 4


def test_only_xlsx(world):
    assert "xlsx" in refuse("data.csv", b"a,b\n")
    assert "inte en Excel-fil" in refuse("data.xlsx", b"PK not really a zip")


def test_size_limit(world):
    with override_settings(LEDMOT_IMPORT_MAX_BYTES=1000):
        assert "för stor" in refuse("stor.xlsx", exported())


def test_row_limit(world):
    rows = [[world.indicator.pk, str(2000 + n), "T", n, None] for n in range(30)]
    with (
        override_settings(LEDMOT_IMPORT_MAX_ROWS=20),
        pytest.raises(UnsafeWorkbook, match="fler än 20 rader"),
    ):
        read_plan(io.BytesIO(xlsx({"Utfall": rows})), user=None)


def test_estimate_rows(world):
    rows = [[world.indicator.pk, str(2000 + n), "T", n, None] for n in range(30)]
    assert estimate_rows(io.BytesIO(xlsx({"Utfall": rows}))) == 30
