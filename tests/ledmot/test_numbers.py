from decimal import Decimal

import pytest

from ledmot.lib.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1 234", Decimal("1234")),
        ("1\u00a0234,75", Decimal("1234.75")),
        ("85 %", Decimal("85")),
        ("85%", Decimal("85")),
        ("\u22123,2", Decimal("-3.2")),
        ("-0,5", Decimal("-0.5")),
        (",5", Decimal("0.5")),
        ("  7  ", Decimal("7")),
        ("", None),
        ("   ", None),
    ],
)
def test_swedish_input_is_understood(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["tolv", "12,5,3", "1.234,5", "12 kr", "1e5", "--3", "%"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)
