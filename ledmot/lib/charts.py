"""Server-rendered SVG line charts for indicator trends.

``line_chart()`` returns a self-contained SVG 1.1 fragment that looks the same in a
browser and in a WeasyPrint PDF:

- no JavaScript, no ``style`` attributes or ``<style>`` element (the pages run under a
  strict Content-Security-Policy), only presentation attributes;
- ``width="100%"`` plus a ``viewBox``, so the chart scales with its container;
- series are told apart by colour *and* by line pattern / marker shape; every colour has
  at least 3:1 contrast against white (WCAG 1.4.11);
- ``role="img"`` with ``<title>``/``<desc>`` (an automatic summary in the active
  language unless a description is given), and a ``<title>`` tooltip on every data point;
- all user text is escaped, and the same input always gives byte-identical output.

Values: ``None`` is a missing value and breaks the line. A label that a series does not
mention at all is simply skipped, so e.g. a target series with only 2023 and 2026 is drawn
as one straight line between them.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ledmot.lib.svg import document as svg_document
from ledmot.lib.svg import element as _el
from ledmot.lib.svg import num as _num
from ledmot.lib.svg import text as _t

__all__ = ["Point", "Series", "format_number", "line_chart"]

NBSP = "\u00a0"
MINUS = "\u2212"  # typographic minus sign, as in Swedish official statistics
DASH = "\u2013"  # shown for a missing value
PALETTE = ("#0b5394", "#b45f06", "#38761d", "#741b47", "#444444")
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = {"actual": ("",), "target": ("7 4", "12 4", "7 3 2 3"), "comparison": ("2 3", "1 4")}
WIDTHS = {"actual": 2.5, "target": 2.0, "comparison": 1.5}
GRID, AXIS, INK = "#d9d9d9", "#767676", "#222222"
MARK_GAP = 14.0  # print: the least room between two markers of a series (px)


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | float | None


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]
    kind: str = "actual"  # "actual" | "target" | "comparison"


@dataclass(frozen=True)
class _Style:
    colour: str
    dash: str
    width: float
    marker: str | None
    hollow: bool


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return d if d.is_finite() else None


def format_number(value, decimals: int = 0, unit: str = "") -> str:
    """Swedish number format: ``1234.5`` → ``"1 234,5"`` (decimals=1), ``85`` → ``"85 %"``.

    Thousands separator and the space before the unit are non-breaking spaces; negative
    numbers get a real minus sign; ``None`` (or NaN) gives an en dash.
    """
    d = _decimal(value)
    if d is None:
        return DASH
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(q):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    if q < 0:  # a value that rounds to zero is never "−0"
        text = MINUS + text
    unit = str(unit or "").strip()
    return f"{text}{NBSP}{unit}" if unit else text


def _text_width(text: str, size: float) -> float:
    return len(text) * size * 0.6  # DejaVu Sans averages a little under 0.6 em


def _nice_scale(
    lo: Decimal, hi: Decimal, include_zero: bool = True
) -> tuple[Decimal, Decimal, Decimal]:
    """Axis (min, max, step) covering the data (and 0, unless told not to) with 3–5
    steps of 1/2/2,5/5 × 10ⁿ."""
    if include_zero or lo <= 0 or hi == lo:
        lo, hi = min(lo, Decimal(0)), max(hi, Decimal(0))
    else:
        # A trend far from zero: leave some air below the lowest value, never below 0.
        lo = max(Decimal(0), lo - (hi - lo) * Decimal("0.5"))
    if hi == lo:
        hi = lo + 1
    exp = ((hi - lo) / 5).adjusted() - 1
    while True:
        for mult in ("1", "2", "2.5", "5"):
            step = Decimal(mult).scaleb(exp)
            top = (hi / step).to_integral_value(rounding=ROUND_CEILING)
            bottom = (lo / step).to_integral_value(rounding=ROUND_FLOOR)
            if top - bottom <= 5:
                return bottom * step, top * step, step
        exp += 1


def _styles(series: list[Series]) -> list[_Style]:
    styles, seen = [], {"actual": 0, "target": 0, "comparison": 0}
    for i, s in enumerate(series):
        if s.kind not in seen:
            raise ValueError(f"Unknown series kind {s.kind!r}")
        n = seen[s.kind]
        seen[s.kind] += 1
        dashes = DASHES[s.kind]
        marker = MARKERS[n % len(MARKERS)] if s.kind == "actual" else None
        styles.append(
            _Style(
                colour=PALETTE[i % len(PALETTE)],
                dash=dashes[n % len(dashes)],
                width=WIDTHS[s.kind],
                marker=marker,
                hollow=s.kind == "actual" and n >= len(MARKERS),
            )
        )
    return styles


def _marker_paint(style: _Style) -> dict:
    fill, stroke, sw = (
        ("#ffffff", style.colour, 1.5) if style.hollow else (style.colour, "#ffffff", 1)
    )
    return {"fill": fill, "stroke": stroke, "stroke_width": sw}


def _marker_d(style: _Style, x: float, y: float) -> str:
    """The marker's outline as path data, so a series' markers can be one element."""
    if style.marker == "circle":
        return f"M{_num(x - 4.5)},{_num(y)} a4.5,4.5 0 1 0 9,0 a4.5,4.5 0 1 0 -9,0 Z"
    if style.marker == "square":
        return f"M{_num(x - 4)},{_num(y - 4)} h8 v8 h-8 Z"
    if style.marker == "triangle":
        pts = [(x, y - 5.5), (x + 5, y + 3.5), (x - 5, y + 3.5)]
    else:  # diamond
        pts = [(x, y - 5.5), (x + 5.5, y), (x, y + 5.5), (x - 5.5, y)]
    return "M" + " L".join(f"{_num(a)},{_num(b)}" for a, b in pts) + " Z"


def _marker(style: _Style, x: float, y: float, tip: str = "") -> str:
    kw = _marker_paint(style)
    title = _el("title", _t(tip)) if tip else ""
    if style.marker == "circle":
        return _el("circle", title, cx=x, cy=y, r=4.5, **kw)
    if style.marker == "square":
        return _el("rect", title, x=x - 4, y=y - 4, width=8, height=8, **kw)
    if style.marker == "triangle":
        pts = [(x, y - 5.5), (x + 5, y + 3.5), (x - 5, y + 3.5)]
    else:  # diamond
        pts = [(x, y - 5.5), (x + 5.5, y), (x, y + 5.5), (x - 5.5, y)]
    d = "M" + " L".join(f"{_num(a)},{_num(b)}" for a, b in pts) + " Z"
    return _el("path", title, d=d, **kw)


def _describe(title: str, labels: list[str], series, decimals: int, unit: str) -> str:
    span = f"{labels[0]}{DASH}{labels[-1]}" if len(labels) > 1 else labels[0]
    parts = [gettext("Diagram över %(title)s %(span)s.") % {"title": title, "span": span}]
    for s, values in series:
        last = next(((lab, v) for lab, v in reversed(values) if v is not None), None)
        if last is None:
            continue
        val = format_number(last[1], decimals, unit)
        if s.kind == "target":
            parts.append(f"{s.name} {last[0]}: {val}.")
        else:
            parts.append(
                gettext("%(name)s: senaste värde %(value)s (%(period)s).")
                % {"name": s.name, "value": val, "period": last[0]}
            )
    return " ".join(parts)


def _chart_id(title: str, series: list[Series]) -> str:
    h = hashlib.sha256(title.encode())
    for s in series:
        h.update(f"\x1e{s.kind}\x1f{s.name}".encode())
        for p in s.points:
            h.update(f"\x1d{p.label}={p.value}".encode())
    return "chart-" + h.hexdigest()[:10]


def _svg(cid: str, title: str, desc: str, width: int, height: float, body: str) -> SafeString:
    return svg_document(cid, title, desc, body, width=width, height=height)


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float, dash="") -> str:
    return _el("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, stroke_width=width,
               stroke_dasharray=dash)  # fmt: skip


def _label(text: str, x: float, y: float, anchor: str = "", size: int = 11) -> str:
    return _el("text", _t(text), x=x, y=y, text_anchor=anchor, fill=INK, font_size=size)


def line_chart(
    series: list[Series],
    *,
    title: str,
    unit: str = "",
    decimals: int = 0,
    width: int = 640,
    height: int = 280,
    description: str = "",
    chart_id: str = "",
    zero_based: bool = True,
    interactive: bool = True,
) -> SafeString:
    """Render ``series`` as an accessible SVG line chart (see the module docstring).

    ``interactive=False`` (print) leaves out the per-point tooltips, which paper
    cannot show, and where the points lie closer than ``MARK_GAP`` marks only every
    so many (the latest always): the same chart with fewer elements to draw.

    ``zero_based=False`` lets the y axis start near the data, so that a trend
    between 84 and 90 % is visible rather than a flat line at the top.
    """
    title, unit, series = str(title), str(unit or "").strip(), list(series)
    cid = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) if chart_id else _chart_id(title, series)
    labels: list[str] = []
    for s in series:
        labels.extend(str(p.label) for p in s.points if str(p.label) not in labels)
    data = [(s, [(str(p.label), _decimal(p.value)) for p in s.points]) for s in series]
    values = [v for _, vals in data for _, v in vals if v is not None]
    if not values:
        empty = gettext("Inga värden ännu")
        desc = description or gettext("Diagram över %(title)s. Inga värden ännu.") % {
            "title": title
        }
        return _svg(cid, title, desc, width, 60, _label(empty, width / 2, 36, "middle", 14))
    desc = description or _describe(title, labels, data, decimals, unit)
    styles = _styles(series)

    # Y scale and tick labels decide the left margin; "%" goes on every tick, longer
    # units once above the axis.
    lo, hi, step = _nice_scale(min(values), max(values), zero_based)
    tick_dec = max(decimals, -min(0, step.normalize().as_tuple().exponent))
    tick_unit = unit if unit == "%" else ""
    ticks = [lo + step * i for i in range(int((hi - lo) / step) + 1)]
    tick_text = [format_number(v, tick_dec, tick_unit) for v in ticks]
    left = max(32.0, max(_text_width(t, 11) for t in tick_text) + 14)
    right = width - max(12.0, _text_width(labels[-1], 11) / 2 - 2)

    # Legend rows above the plot: a line sample (with marker) and the name.
    legend, x, row = [], left, 0
    for s, st in zip(series, styles, strict=True):
        item_w = 52 + _text_width(s.name, 12)
        if x > left and x + item_w > width - 8:
            x, row = left, row + 1
        y = 16 + row * 20
        mark = _marker(st, x + 14, y) if st.marker else ""
        sample = _line(x, y, x + 28, y, st.colour, st.width, st.dash) + mark
        legend.append(_el("g", sample + _label(s.name, x + 34, y + 4, size=12)))
        x += item_w
    top = 16 + row * 20 + 18 + (16 if unit and not tick_unit else 0)
    height = max(float(height), top + 120)
    bottom = height - 30
    out = [_el("g", "".join(legend), id=f"{cid}-legend")]
    if unit and not tick_unit:
        out.append(_label(unit, 4, top - 10))

    def ypos(v: Decimal) -> float:
        return bottom - float((v - lo) / (hi - lo)) * (bottom - top)

    n, inset = len(labels), 14.0
    room = (right - left - 2 * inset) / (n - 1) if n > 1 else 0.0
    xs = {lab: left + inset + i * room for i, lab in enumerate(labels)}
    if n == 1:
        xs = {labels[0]: (left + right) / 2}

    # Grid, y tick labels, x tick labels (thinned so they never overlap; latest always shown).
    axis = []
    for v, text in zip(ticks, tick_text, strict=True):
        axis.append(_line(left, ypos(v), right, ypos(v), AXIS if v == 0 else GRID, 1))
        axis.append(_label(text, left - 8, ypos(v) + 4, "end"))
    every = math.ceil((max(_text_width(lab, 11) for lab in labels) + 10) / room) if n > 1 else 1
    if not interactive and n > 4:
        # Print: at most four period labels (the latest always); each text costs layout.
        every = max(every, math.ceil((n - 1) / 3))
    # Print: a marker at most every MARK_GAP px (the latest always, and every lone
    # value): a monthly series of ten years on a chart 55 mm wide would otherwise be a
    # band of overlapping markers, and each marker costs drawing time.
    mark_every = 1 if interactive or n < 2 else max(1, math.ceil(MARK_GAP / room))
    position = {lab: i for i, lab in enumerate(labels)}
    tick_d = []
    for i, lab in enumerate(labels):
        if interactive:
            axis.append(_line(xs[lab], bottom, xs[lab], bottom + 4, AXIS, 1))
        else:  # print: all tick marks in one element (fewer elements to draw)
            tick_d.append(f"M{_num(xs[lab])},{_num(bottom)} v4")
        if (n - 1 - i) % every == 0:
            axis.append(_label(lab, xs[lab], bottom + 18, "middle"))
    if tick_d:
        axis.append(_el("path", d=" ".join(tick_d), stroke=AXIS, stroke_width=1, fill="none"))
    out.append(_el("g", "".join(axis)))

    # Lines (one polyline per run without gaps; targets and comparisons underneath), then
    # every marker and tooltip on top so no line hides a point.
    lines, marks = {}, []
    for i, ((s, vals), st) in enumerate(zip(data, styles, strict=True)):
        runs: list[list] = [[]]
        for lab, v in vals:
            if v is None:
                runs.append([])
            else:
                runs[-1].append((lab, v, xs[lab], ypos(v)))
        parts, dots, marker_d = [], [], []
        for run in filter(None, runs):
            if len(run) > 1:
                pts = " ".join(f"{_num(px)},{_num(py)}" for _, _, px, py in run)
                parts.append(_el("polyline", points=pts, fill="none", stroke=st.colour,
                                 stroke_width=st.width, stroke_dasharray=st.dash,
                                 stroke_linejoin="round"))  # fmt: skip
            for lab, v, px, py in run:
                tip = f"{s.name} {lab}: {format_number(v, decimals, unit)}" if interactive else ""
                if st.marker and not interactive:  # print: one path per series, below
                    if len(run) == 1 or (n - 1 - position[lab]) % mark_every == 0:
                        marker_d.append(_marker_d(st, px, py))
                    continue
                if st.marker:
                    dots.append(_marker(st, px, py, tip))
                    continue
                if len(run) == 1:  # a lone target/comparison value: short horizontal bar
                    dots.append(_line(px - 8, py, px + 8, py, st.colour, 3))
                if not interactive:
                    continue
                hover = _el("title", _t(tip))
                dots.append(_el("circle", hover, cx=px, cy=py, r=7, fill="#ffffff",
                                fill_opacity=0))  # fmt: skip
        if marker_d:
            dots.append(_el("path", d=" ".join(marker_d), **_marker_paint(st)))
        lines[i] = _el("g", "".join(parts), id=f"{cid}-s{i}")
        marks.append(_el("g", "".join(dots), id=f"{cid}-m{i}"))
    order = sorted(lines, key=lambda i: series[i].kind == "actual")  # stable: keeps input order
    out += [lines[i] for i in order] + marks
    return _svg(cid, title, desc, width, height, "".join(out))
