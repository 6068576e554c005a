"""Server-rendered SVG annual wheel (årshjul).

``wheel_svg(year, items, today=None)`` draws the twelve months as a ring (January at
the top, clockwise, each month as wide as its number of days) and places every item
at its date: a marker for a single day, an arc plus a marker at its start for a span
of days. Items are numbered 1, 2, … in the order given, so give them in the order of
the text list on the page, which shows the same numbers and is the accessible
equivalent of the picture.

Like :mod:`ledmot.lib.charts`:

- no JavaScript, no ``style`` attributes or ``<style>`` element (strict CSP), only
  presentation attributes; the SVG has an intrinsic size and a ``viewBox``;
- kinds are told apart by marker shape *and* colour, explained in a legend; every
  colour has at least 3:1 contrast against white and against the month fills;
- ``role="img"`` with ``<title>``/``<desc>`` (a summary in the active language), and a ``<title>``
  tooltip on every marker;
- all user text is escaped, and the same input always gives byte-identical output.

Kinds: the values of ``followup.wheel_models.WheelKind`` plus ``"deadline"`` (a
follow-up round's last day). An unknown kind is drawn as ``"annat"``.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ledmot.lib.svg import document as svg_document
from ledmot.lib.svg import element as _el
from ledmot.lib.svg import num as _num
from ledmot.lib.svg import text as _t

__all__ = ["KINDS", "format_span", "wheel_svg"]

INK, LINE, MUTED = "#1b1f24", "#8c959f", "#4a5560"
MONTH_FILLS = ("#e6eef6", "#f7f9fb")
DASH = "\u2013"


@dataclass(frozen=True)
class KindStyle:
    name: str  # lazily translated
    colour: str
    shape: str


KINDS: dict[str, KindStyle] = {
    "budgetdialog": KindStyle(_("Budgetdialog"), "#0b5394", "circle"),
    "mrp": KindStyle(_("Mål- och resursplan"), "#38761d", "square"),
    "tertial": KindStyle(_("Tertial"), "#b45f06", "diamond"),
    "delar": KindStyle(_("Delår"), "#741b47", "triangle"),
    "bokslut": KindStyle(_("Bokslut"), "#444444", "hexagon"),
    "arsredovisning": KindStyle(_("Årsredovisning"), "#1f6f78", "star"),
    "annat": KindStyle(_("Annat"), "#5b6570", "ring"),
    "deadline": KindStyle(_("Sista dag för uppföljning"), "#a1261b", "flag"),
}

# Geometry (viewBox units).
WIDTH = 470
SCALE = 1.25  # drawn a little larger than the viewBox; CSS shrinks it on small screens
CX, CY = 235.0, 235.0
R_OUT, R_IN = 212.0, 178.0  # the month ring
TRACKS = (158.0, 128.0, 98.0, 68.0)  # item tracks, outermost first
LABEL_INSET = 15.0  # the number sits this far inside its marker
MARK = 7.0  # marker half size
HUB = 36.0  # the hand starts outside the year in the middle
LEGEND_X, LEGEND_COLUMN, LEGEND_ROW = 12.0, 232.0, 24.0


def _text(text: str, x: float, y: float, anchor: str = "", size: float = 12, **kw) -> str:
    return _el("text", _t(text), x=x, y=y, text_anchor=anchor, fill=INK, font_size=size, **kw)


def format_day(day: datetime.date) -> str:
    """``12 feb``"""
    return f"{day.day} {MONTHS_3[day.month]}"


def format_span(start: datetime.date, end: datetime.date | None = None) -> str:
    """``12 feb``, ``12–16 feb``, ``28 feb–3 mar`` (month names in the active language)."""
    if end is None or end == start:
        return format_day(start)
    if (end.year, end.month) == (start.year, start.month):
        return f"{start.day}{DASH}{format_day(end)}"
    return f"{format_day(start)}{DASH}{format_day(end)}"


def _point(angle: float, r: float) -> tuple[float, float]:
    """Angle in degrees clockwise from the top."""
    rad = math.radians(angle)
    return CX + r * math.sin(rad), CY - r * math.cos(rad)


def _p(angle: float, r: float) -> str:
    x, y = _point(angle, r)
    return f"{_num(x)},{_num(y)}"


def _arc(a1: float, a2: float, r: float) -> str:
    """Clockwise arc from a1 to a2, in two halves so that a whole year still draws."""
    mid, rr = (a1 + a2) / 2, f"{_num(r)},{_num(r)}"
    return f"M{_p(a1, r)} A{rr} 0 0 1 {_p(mid, r)} A{rr} 0 0 1 {_p(a2, r)}"


def _segment(a1: float, a2: float) -> str:
    large = 1 if a2 - a1 > 180 else 0
    return (
        f"M{_p(a1, R_OUT)} A{_num(R_OUT)},{_num(R_OUT)} 0 {large} 1 {_p(a2, R_OUT)} "
        f"L{_p(a2, R_IN)} A{_num(R_IN)},{_num(R_IN)} 0 {large} 0 {_p(a1, R_IN)} Z"
    )


def _shape(shape: str, colour: str, x: float, y: float, size: float = MARK) -> str:
    """A marker centred on (x, y); white outline so it stands out on arcs and fills."""
    kw = {"fill": colour, "stroke": "#ffffff", "stroke_width": 1.5}
    s = size

    def poly(points) -> str:
        d = "M" + " L".join(f"{_num(x + dx)},{_num(y + dy)}" for dx, dy in points) + " Z"
        return _el("path", d=d, **kw)

    if shape == "circle":
        return _el("circle", cx=x, cy=y, r=s, **kw)
    if shape == "ring":
        return _el("circle", cx=x, cy=y, r=s - 1.5, fill="#ffffff", stroke=colour, stroke_width=3)
    if shape == "square":
        return _el("rect", x=x - s * 0.85, y=y - s * 0.85, width=s * 1.7, height=s * 1.7, **kw)
    if shape == "diamond":
        return poly([(0, -s * 1.2), (s * 1.2, 0), (0, s * 1.2), (-s * 1.2, 0)])
    if shape == "triangle":
        return poly([(0, -s * 1.15), (s * 1.1, s * 0.85), (-s * 1.1, s * 0.85)])
    if shape == "hexagon":
        return poly([(s * math.cos(math.radians(a)), s * math.sin(math.radians(a))) for a in
                     range(0, 360, 60)])  # fmt: skip
    if shape == "star":
        pts = []
        for i in range(10):
            r = s * 1.25 if i % 2 == 0 else s * 0.55
            a = math.radians(-90 + i * 36)
            pts.append((r * math.cos(a), r * math.sin(a)))
        return poly(pts)
    # flag: a downward triangle, the "due" pin of a deadline
    return poly([(-s * 1.1, -s * 0.85), (s * 1.1, -s * 0.85), (0, s * 1.15)])


@dataclass(frozen=True)
class _Item:
    number: int
    start: datetime.date
    end: datetime.date | None
    label: str
    kind: str
    style: KindStyle


def _angles(year: int, start: datetime.date, end: datetime.date | None):
    """(marker angle, arc start, arc end or None) for a day or a span in ``year``."""
    days = 366 if calendar.isleap(year) else 365
    first = datetime.date(year, 1, 1)
    s = (start - first).days
    mark = 360.0 * (s + 0.5) / days
    if end is None or end == start:
        return mark, None, None
    e = (end - first).days + 1
    return mark, 360.0 * s / days, 360.0 * e / days


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Angular intervals on the circle (each may run past 360 or below 0)."""
    return any(a[0] < b[1] + s and b[0] + s < a[1] for s in (-360.0, 0.0, 360.0))


def _span(mark: float, a1: float | None, a2: float | None, number: int, r: float):
    """The angles an item's marker, arc and number take up on a track of radius ``r``."""
    half = max(MARK + 2, len(str(number)) * 3.6 + 2) + 3
    pad = math.degrees(half / (r - LABEL_INSET / 2))
    lo = mark if a1 is None else min(mark, a1)
    hi = mark if a2 is None else a2
    return lo - pad, hi + pad


def _place(year: int, items: list[_Item]) -> list[tuple[_Item, float, float, float | None, float]]:
    """Give each item a track so markers and numbers do not overlap where avoidable:
    the outermost free track, else the one with the fewest collisions."""
    taken: list[list[tuple[float, float]]] = [[] for _ in TRACKS]
    placed = []
    for item in items:
        mark, a1, a2 = _angles(year, item.start, item.end)
        best, best_hits = 0, -1
        for i, r in enumerate(TRACKS):
            span = _span(mark, a1, a2, item.number, r)
            hits = sum(_overlaps(span, other) for other in taken[i])
            if best_hits < 0 or hits < best_hits:
                best, best_hits = i, hits
            if hits == 0:
                break
        taken[best].append(_span(mark, a1, a2, item.number, TRACKS[best]))
        placed.append((item, mark, 0.0 if a1 is None else a1, a2, TRACKS[best]))
    return placed


def _tip(item: _Item) -> str:
    return f"{item.number}. {format_span(item.start, item.end)}: {item.label} ({item.style.name})"


def _long_date(day: datetime.date) -> str:
    """``4 december`` (the month's full name in the active language)."""
    return f"{day.day} {MONTHS[day.month]}"


def _describe(year: int, items: list[_Item], today: datetime.date | None) -> str:
    parts = [
        gettext(
            "Årshjul för %(year)s: årets tolv månader i en cirkel, januari överst och sedan medurs."
        )
        % {"year": year}
    ]
    if items:
        counts: dict[str, int] = {}
        for item in items:
            name = str(item.style.name)
            counts[name] = counts.get(name, 0) + 1
        kinds = ", ".join(f"{name.lower()} {n}" for name, n in counts.items())
        first = min(items, key=lambda i: i.start)
        last = max(items, key=lambda i: i.end or i.start)
        parts.append(
            ngettext(
                "%(n)s händelse från %(first)s till %(last)s (%(kinds)s), numrerade i "
                "datumordning.",
                "%(n)s händelser från %(first)s till %(last)s (%(kinds)s), numrerade i "
                "datumordning.",
                len(items),
            )
            % {
                "n": len(items),
                "first": format_day(first.start),
                "last": format_day(last.end or last.start),
                "kinds": kinds,
            }
        )
    else:
        parts.append(gettext("Inga händelser ännu."))
    if today is not None:
        parts.append(
            gettext("Visaren pekar på dagens datum, %(date)s.") % {"date": _long_date(today)}
        )
    parts.append(gettext("Samma uppgifter finns som text i listan på sidan."))
    return " ".join(parts)


def _wheel_id(year: int, items: list[_Item], today: datetime.date | None) -> str:
    h = hashlib.sha256(f"{year}|{today}".encode())
    for i in items:
        h.update(f"\x1e{i.start}\x1f{i.end}\x1f{i.kind}\x1f{i.label}".encode())
    return "wheel-" + h.hexdigest()[:10]


def _sample(key: str, x: float, y: float) -> str:
    """The legend's picture for a kind, for an arc or for the hand, left of (x, y)."""
    if key == "arc":
        d = f"M{_num(x)},{_num(y)} Q{_num(x + 9)},{_num(y - 10)} {_num(x + 18)},{_num(y)}"
        return _el("path", d=d, fill="none", stroke=MUTED, stroke_width=5, stroke_linecap="round")
    if key == "hand":
        return _el("line", x1=x, y1=y - 4, x2=x + 18, y2=y - 4, stroke=INK, stroke_width=2.5)
    style = KINDS[key]
    return _shape(style.shape, style.colour, x + 9, y - 4)


def _legend(kinds: list[str], has_arc: bool, today: bool, top: float) -> tuple[str, float]:
    """The legend under the wheel in two columns; returns its markup and its bottom."""
    samples = [(k, KINDS[k].name) for k in kinds]
    if has_arc:
        samples.append(("arc", gettext("Båge: pågår flera dagar")))
    if today:
        samples.append(("hand", gettext("Visare: i dag")))
    if not samples:
        return "", top
    out = [_text(gettext("Förklaring"), LEGEND_X, top + 14, size=13, font_weight="bold")]
    rows = max(1, math.ceil(len(samples) / 2))
    for i, (key, name) in enumerate(samples):
        x = LEGEND_X + (i // rows) * LEGEND_COLUMN
        y = top + 40 + (i % rows) * LEGEND_ROW
        out.append(_sample(key, x, y) + _text(name, x + 26, y))
    bottom = top + 40 + (rows - 1) * LEGEND_ROW + (26 if samples else 0)
    out.append(_text(gettext("Numren hänvisar till listan på sidan."), LEGEND_X, bottom, size=11))
    return _el("g", "".join(out)), bottom + 10


def wheel_svg(
    year: int,
    items: Sequence[tuple[datetime.date, datetime.date | None, str, str]],
    today: datetime.date | None = None,
) -> SafeString:
    """Render the annual wheel of ``year`` (see the module docstring).

    ``items`` are ``(start, end or None, label, kind)``; parts outside ``year`` are
    cut off and items wholly outside it left out (numbers still count them, so they
    match the list). ``today`` draws the hand when it falls in ``year``.
    """
    year = int(year)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    today = today if today is not None and today.year == year else None
    shown: list[_Item] = []
    for number, (start, end, label, kind) in enumerate(items, start=1):
        end = end if end is not None and end != start else None
        if (end or start) < first or start > last:
            continue
        start, end = max(start, first), min(end, last) if end is not None else None
        style = KINDS.get(kind) or KINDS["annat"]
        shown.append(_Item(number, start, end, str(label), kind if kind in KINDS else "annat",
                           style))  # fmt: skip
    cid = _wheel_id(year, shown, today)
    title = gettext("Årshjul %(year)s") % {"year": year}
    desc = _describe(year, shown, today)

    # The month ring, with the month's short name in the middle of its segment.
    days = 366 if calendar.isleap(year) else 365
    ring, a = [], 0.0
    for m in range(12):
        span = 360.0 * calendar.monthrange(year, m + 1)[1] / days
        seg = _el("path", d=_segment(a, a + span), fill=MONTH_FILLS[m % 2], stroke=LINE,
                  stroke_width=1)  # fmt: skip
        x, y = _point(a + span / 2, (R_OUT + R_IN) / 2)
        ring.append(seg + _text(MONTHS_3[m + 1], x, y + 4.5, "middle", 13))
        a += span
    guides = "".join(
        _el(
            "circle",
            cx=CX,
            cy=CY,
            r=r,
            fill="none",
            stroke="#d9dee3",
            stroke_width=1,
            stroke_dasharray="2 4",
        )
        for r in TRACKS
    )
    out = [_el("g", "".join(ring), id=f"{cid}-months"), _el("g", guides)]
    out.append(_text(str(year), CX, CY + 8, "middle", 24, font_weight="bold"))

    if today is not None:
        angle, _a1, _a2 = _angles(year, today, None)
        (hx, hy), (tx, ty) = _point(angle, HUB), _point(angle, R_OUT + 6)
        tip = _el("title", _t(gettext("I dag: %(date)s") % {"date": f"{_long_date(today)} {year}"}))
        hand = _el("line", x1=hx, y1=hy, x2=tx, y2=ty, stroke=INK, stroke_width=2.5,
                   stroke_linecap="round")  # fmt: skip
        hub = _el("circle", cx=hx, cy=hy, r=3.5, fill=INK)
        out.append(_el("g", tip + hand + hub, id=f"{cid}-today"))

    arcs, marks = [], []
    for item, mark, a1, a2, r in _place(year, shown):
        colour = item.style.colour
        tip = _el("title", _t(_tip(item)))
        if a2 is not None:
            arcs.append(_el("path", tip, d=_arc(a1, a2, r), fill="none", stroke=colour,
                            stroke_width=4, stroke_linecap="round"))  # fmt: skip
        x, y = _point(mark, r)
        lx, ly = _point(mark, r - LABEL_INSET - 1)
        number = _text(str(item.number), lx, ly + 4, "middle", 11, font_weight="bold",
                       stroke="#ffffff", stroke_width=3, paint_order="stroke")  # fmt: skip
        marks.append(_el("g", tip + _shape(item.style.shape, colour, x, y) + number,
                         id=f"{cid}-i{item.number}"))  # fmt: skip
    out.append(_el("g", "".join(arcs)))
    out.append(_el("g", "".join(marks)))
    if not shown:
        out.append(_text(gettext("Inga händelser ännu"), CX, CY + 32, "middle", 13))

    used = [k for k in KINDS if any(i.kind == k for i in shown)]
    legend, height = _legend(used, any(i.end for i in shown), today is not None, CY + R_OUT + 12)
    out.append(legend)
    return svg_document(
        cid,
        title,
        desc,
        "".join(out),
        width=WIDTH,
        height=height,
        display_width=WIDTH * SCALE,
        display_height=height * SCALE,
    )
