"""Strategies for the property tests of odd input (issue 11 point 4): text with NUL,
the control characters Word pastes, line separators, emoji, right-to-left text and
lengths around each field's limit; numbers and dates far outside any sane range.

Each form test posts such input through HTTP as a person who may save, and asserts
what :func:`assert_stored_as_accepted` says: never a 500, and either the page says
"saved" (a redirect) and exactly the cleaned input is stored, or the page shows an
error and nothing changed.
"""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from ledmot.lib.text import clean_text, field_length

# Modest: the whole suite must stay a few minutes. Each example is one request.
PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ODD = st.sampled_from(
    [
        "\x00", "\x0b", "\x0c", "\x1b", "\x07", "\x7f", "\x85", "\x9f", "\u2028", "\u2029",
        "\r\n", "\r", "\t", "\n", "\ufffe", "\uffff", " ", "\xa0",
        "🙂", "👩🏽‍🏫", "שלום", "مرحبا", "\u202e", "\u200f", "\u0301", "å", "Ä",
        "=1+1", "+SUM(A1)", "@cmd", "<script>x</script>", "'; DROP TABLE x; --", "%s", "{{ x }}",
    ]
)  # fmt: skip
SHORT_TEXT = st.lists(st.one_of(st.text(max_size=12), ODD), max_size=12).map("".join)


def around(limit: int):
    """Text of about ``limit`` characters, just under or over once cleaned."""
    unit = st.sampled_from(["x", "å", "🙂", "x\x00", "a\x0b", "\r\n", "b\x1b"])
    return st.builds(lambda u, d: u * max(0, (limit + d) // len(u)), unit, st.integers(-2, 2))


def text_for(model, name: str):
    """Odd text for a model's text field: short and strange, or around its length."""
    return st.one_of(SHORT_TEXT, around(field_length(model, name)))


NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(["1e400", "-0", "NaN", "12,5", "1 234", "−3", "85 %", "0,00001", ""]),
    SHORT_TEXT,
)
DATES = st.one_of(
    st.dates(datetime.date(2024, 1, 1), datetime.date(2027, 12, 31)).map(datetime.date.isoformat),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "1850-06-30", "2025-02-30", "31/12/2025"]),
    SHORT_TEXT,
)


def expected(value: str) -> str:
    """What a form stores for posted text: cleaned, then stripped."""
    return clean_text(value).strip()


def assert_stored_as_accepted(
    response, model, before, after, posted: dict, required=(), form=lambda c: c["form"]
):
    """Never a 500; a redirect stores exactly the cleaned text, a page with an error
    stores nothing. Text is refused only when it is empty but required or too long.
    ``form`` finds the bound form in the response's context."""
    assert response.status_code in (200, 302), response.status_code
    event(f"HTTP {response.status_code}")  # --hypothesis-show-statistics: saved or refused
    wanted = {name: expected(value) for name, value in posted.items()}
    valid = all(
        (v or name not in required) and len(v) <= field_length(model, name)
        for name, v in wanted.items()
    )
    if response.status_code == 302:
        assert valid, wanted
        assert {n: getattr(after, n) for n in wanted} == wanted
    else:
        errors = form(response.context).errors
        assert not valid and errors, errors
        assert {n: getattr(after, n) for n in wanted} == {n: getattr(before, n) for n in wanted}
