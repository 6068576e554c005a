"""HTML built in Python, for the long tables and trees where the template engine was
measured too slow (see the row renderers in ``goals/``, ``followup/`` and
``priorities/`` ``templatetags/*_rows.py``).

One discipline for all of them:

- markup is put together with :func:`format_html` / :func:`format_html_join` (every
  argument is escaped unless it is already safe markup) and :func:`join`; never an
  f-string around user text;
- URLs come from :class:`PkUrl` (reversed once per table, filled per row, with an
  encoded query string and fragment); they are plain text and get escaped where
  ``format_html`` inserts them;
- labels (translated words, choice labels) are built once per render with
  :func:`per_render`, which keeps them on the template ``Context``: one render, the
  request's language, nothing left in process memory between requests.
"""

from collections.abc import Callable, Iterable
from html import escape as _escape_text
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.template import Context
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

__all__ = [
    "PkUrl",
    "Stamp",
    "format_html",
    "format_html_join",
    "hidden_symbol",
    "join",
    "per_render",
]

_MARKER = 987654321


def _escaped(value: Any) -> str:
    """``django.utils.html.conditional_escape`` without its per-call check for lazy
    arguments (a third of a long table's time): safe markup as it is, anything else as
    text through ``html.escape`` with quotes, exactly as Django's ``escape`` does."""
    cls = value.__class__
    if cls is SafeString:  # the most common argument: markup built before (its __html__)
        return value
    if cls is str:
        return _escape_text(value)
    if cls is int:  # a primary key, a count: nothing to escape
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_text(str(value))


def format_html(format_string: str, *args: Any, **kwargs: Any) -> SafeString:
    """``django.utils.html.format_html`` with the same escaping (see :func:`_escaped`):
    every argument is escaped unless it is already safe markup."""
    if not kwargs:
        return SafeString(format_string.format(*map(_escaped, args)))
    return SafeString(
        format_string.format(
            *map(_escaped, args), **{name: _escaped(v) for name, v in kwargs.items()}
        )
    )


def format_html_join(sep: str, format_string: str, args_generator: Iterable) -> SafeString:
    """``django.utils.html.format_html_join`` on :func:`format_html`."""
    return SafeString(
        _escaped(sep).join(format_html(format_string, *args) for args in args_generator)
    )


def join(parts: Iterable[Any], sep: str = "") -> SafeString:
    """The parts one after the other; plain text among them is escaped."""
    return SafeString(_escaped(sep).join(map(_escaped, parts)))


class PkUrl:
    """The URL of a route whose only argument is a primary key, reversed once and filled
    in per row (``reverse`` per row was a large part of a long table's time)."""

    __slots__ = ("prefix", "suffix")

    def __init__(self, name: str):
        self.prefix, self.suffix = reverse(name, args=[_MARKER]).split(str(_MARKER))

    def __call__(self, pk: int, *, query: dict | None = None, fragment: str = "") -> str:
        """The URL of ``pk``; ``query`` is encoded (empty values left out), ``fragment``
        (``"#beslut"``) goes last."""
        if not query:
            return f"{self.prefix}{int(pk)}{self.suffix}{fragment}"
        pairs = {k: v for k, v in query.items() if v not in (None, "")}
        search = f"?{urlencode(pairs)}" if pairs else ""
        return f"{self.prefix}{int(pk)}{self.suffix}{search}{fragment}"


def hidden_symbol(symbol: str) -> SafeString:
    """A symbol beside a word (``⚠ Sen``): read by sight, skipped by screen readers."""
    return format_html('<span aria-hidden="true">{} </span>', symbol)


def per_render(context: Context | None, key: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per template render and language: kept on the template
    ``Context``, which every row of one page shares and which is gone after it."""
    if context is None:
        return build()
    store = context.__dict__.setdefault("_ledmot_html", {})
    full_key = (key, get_language())
    if full_key not in store:
        store[full_key] = build()
    return store[full_key]


#: Shapes of stamps kept between requests (:class:`Stamp` ``keep``): (keep, language,
#: key) → the shape. A few per fragment; made anew when the process starts.
_KEPT_SHAPES: dict[tuple, str] = {}


class Stamp:
    """A template fragment repeated per row (a form per item of a list), rendered by the
    template engine once per *shape* with markers where a row's own values go, then
    filled in per row with one :func:`format_html`: the same markup, escaped the same
    way, for a fraction of a render per row.

    ``render(key, markers)`` renders the fragment of shape ``key`` for a stand-in row
    whose values are the given markers (text: ``"\\x01name\\x01"``; an ``int``, such as
    a primary key in a URL route: a large number). Whatever else the fragment tests
    (``{% if %}`` on a value, a choice that is checked) belongs in the shape's ``key``.
    Values must be used as they are (no filter that would change the marker).

    ``keep``: the shapes are kept between requests under ``keep`` and the language
    (not while ``DEBUG``, where templates change under a running server). Then
    *everything* the fragment shows that is not the same on every page — the CSRF
    token, the id of the page's object in a URL — must be one of the values, and
    whatever else it depends on (may the user edit) part of ``keep``."""

    __slots__ = ("keep", "render", "shapes")

    def __init__(self, render: Callable[[Any, dict[str, Any]], Any], keep: tuple | None = None):
        self.render = render
        self.keep = keep if keep is not None and not settings.DEBUG else None
        self.shapes: dict[Any, str] = {}

    def __call__(self, key: Any, **values: Any) -> SafeString:
        shape = self.shapes.get(key)
        if shape is None:
            kept = None if self.keep is None else (self.keep, get_language(), key)
            shape = _KEPT_SHAPES.get(kept) if kept else None
            if shape is None:
                shape = self._made(key, values)
                if kept:
                    _KEPT_SHAPES[kept] = shape
            self.shapes[key] = shape
        return format_html(shape, **values)

    def _made(self, key: Any, values: dict[str, Any]) -> str:
        markers = {
            name: _MARKER * 10 + i if value.__class__ is int else f"\x01{name}\x01"
            for i, (name, value) in enumerate(values.items())
        }
        shape = str(self.render(key, markers)).replace("{", "{{").replace("}", "}}")
        for name, marker in markers.items():
            shape = shape.replace(str(marker), f"{{{name}}}")
        return shape
