"""The frame chart: cumulative net cost of the ranked proposals against the resource frame.

Server-rendered SVG built from :mod:`ledmot.lib.svg` like the other charts: presentation
attributes only (the pages run under a strict CSP), every text escaped, ``role="img"``
with ``<title>`` and ``<desc>``, a tooltip per column, and the same output for the same
input. Proposals within the frame are filled columns, those beyond it outlined and
dashed, so the two are told apart without colour; the frame is a labelled dashed line
and the place where it runs out a labelled vertical line. The ranked table beside the
chart holds the same numbers.
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ledmot.lib.charts import format_number
from ledmot.lib.svg import document as svg_document
from ledmot.lib.svg import element as el
from ledmot.lib.svg import text as t
from priorities.ranking import FrameResult

WITHIN, BEYOND, FRAME, INK, GRID, AXIS = (
    "#1f4e79",
    "#a1261b",
    "#222222",
    "#222222",
    "#d9d9d9",
    "#767676",
)
MILLION = Decimal(1_000_000)


def mnkr(value) -> str:
    """Kronor as millions with one decimal: 12 500 000 → "12,5 mnkr"."""
    return format_number(Decimal(value) / MILLION, 1, "mnkr")


def kronor(value) -> str:
    return format_number(value, 0, "kr")


def _scale(lo: int, hi: int) -> tuple[Decimal, Decimal, Decimal]:
    lo_d, hi_d = Decimal(min(lo, 0)), Decimal(max(hi, 0))
    if hi_d == lo_d:
        hi_d = lo_d + MILLION
    exp = ((hi_d - lo_d) / 5).adjusted()
    while True:
        for mult in ("1", "2", "2.5", "5"):
            step = Decimal(mult).scaleb(exp)
            top = (hi_d / step).to_integral_value(rounding=ROUND_CEILING) * step
            bottom = (lo_d / step).to_integral_value(rounding=ROUND_FLOOR) * step
            if (top - bottom) / step <= 6:
                return bottom, top, step
        exp += 1


def describe(result: FrameResult) -> str:
    n = len(result.rows)
    parts = [
        _("Sammanlagd nettokostnad i rangordning för %(n)s förslag mot resursramen %(frame)s.")
        % {"n": n, "frame": kronor(result.frame)}
    ]
    if result.line_after is None:
        parts.append(
            _("Ramen nås inte: alla förslag tillsammans ger %(total)s.")
            % {"total": kronor(result.total)}
        )
    elif result.line_after == n:
        parts.append(
            _("Alla förslag ryms inom ramen; %(left)s återstår.") % {"left": kronor(result.left)}
        )
    elif result.line_after == 0:
        parts.append(_("Redan det första förslaget ryms inte inom ramen."))
    else:
        parts.append(
            _(
                "Ramen räcker till och med förslag %(k)s; därefter överskrids den. "
                "Vid linjen återstår %(left)s."
            )
            % {"k": result.line_after, "left": kronor(result.left)}
        )
    return " ".join(parts)


def frame_chart(result: FrameResult, *, title: str, label_of=str, width: int = 760) -> SafeString:
    """The chart for ``result`` (see :func:`priorities.ranking.frame_line`)."""
    rows = result.rows
    h = hashlib.sha256(title.encode())
    for r in rows:
        h.update(f"{r.item.pk}:{r.cost}".encode())
    cid = "frame-" + h.hexdigest()[:10]
    desc = describe(result)
    height, top, left, right = 300.0, 36.0, 78.0, width - 16.0
    bottom = height - 34
    if not rows:
        body = el("text", t(_("Inga inlämnade förslag ännu.")), x=width / 2, y=40,
                  text_anchor="middle", fill=INK, font_size=14)  # fmt: skip
        return svg_document(cid, title, desc, body, width=width, height=70)

    values = [r.cumulative for r in rows] + [result.frame]
    lo, hi, step = _scale(min(values), max(values))

    def y(v) -> float:
        return bottom - float((Decimal(v) - lo) / (hi - lo)) * (bottom - top)

    out = []
    # Grid and y ticks
    tick = lo
    while tick <= hi:
        out.append(el("line", x1=left, y1=y(tick), x2=right, y2=y(tick),
                      stroke=AXIS if tick == 0 else GRID, stroke_width=1))  # fmt: skip
        out.append(el("text", t(mnkr(tick)), x=left - 6, y=y(tick) + 4, text_anchor="end",
                      fill=INK, font_size=11))  # fmt: skip
        tick += step
    n = len(rows)
    slot = (right - left) / n
    bar = max(slot * 0.7, 1.0)
    zero = y(0)
    cols = []
    for i, r in enumerate(rows):
        x = left + i * slot + (slot - bar) / 2
        y1 = y(r.cumulative)
        tip = _("%(pos)s. %(label)s: %(cost)s, sammanlagt %(cum)s%(state)s") % {
            "pos": i + 1,
            "label": label_of(r.item),
            "cost": kronor(r.cost),
            "cum": kronor(r.cumulative),
            "state": "" if r.within else _(" (utanför ramen)"),
        }
        attrs = {"fill": WITHIN} if r.within else {
            "fill": "#ffffff", "stroke": BEYOND, "stroke_width": 1.2 if bar > 3 else 0.6,
            "stroke_dasharray": "3 2" if bar > 3 else "",
        }  # fmt: skip
        cols.append(el("rect", el("title", t(tip)), x=x, y=min(y1, zero), width=bar,
                       height=max(abs(zero - y1), 0.8), **attrs))  # fmt: skip
    out.append(el("g", "".join(cols), id=f"{cid}-cols"))
    # X labels: position in the ranking, thinned to fit
    every = max(1, int(28 // slot) + 1)
    labels = []
    for i in range(n):
        if i % every == 0 or i == n - 1:
            labels.append(el("text", str(i + 1), x=left + (i + 0.5) * slot, y=bottom + 16,
                             text_anchor="middle", fill=INK, font_size=10))  # fmt: skip
    out.append(el("g", "".join(labels)))
    out.append(el("text", t(_("Förslag i rangordning")), x=(left + right) / 2, y=height - 4,
                  text_anchor="middle", fill=INK, font_size=11))  # fmt: skip
    # The frame
    fy = y(result.frame)
    out.append(el("line", x1=left, y1=fy, x2=right, y2=fy, stroke=FRAME, stroke_width=2,
                  stroke_dasharray="8 4"))  # fmt: skip
    # Where the frame runs out
    if result.line_after is not None and 0 < result.line_after < n:
        lx = left + result.line_after * slot
        out.append(el("line", x1=lx, y1=top - 14, x2=lx, y2=bottom, stroke=BEYOND,
                      stroke_width=2.5))  # fmt: skip
        label = _("Ramen räcker till förslag %(k)s") % {"k": result.line_after}
        anchor = "start" if lx < (left + right) / 2 else "end"
        dx = 5 if anchor == "start" else -5
        out.append(el("text", t(label), x=lx + dx, y=top - 18 + 12, text_anchor=anchor,
                      fill=BEYOND, font_size=12, font_weight="bold"))  # fmt: skip
    legend = (
        el("rect", x=left, y=6, width=12, height=12, fill=WITHIN)
        + el("text", t(_("Ryms inom ramen")), x=left + 17, y=16, fill=INK, font_size=11)
        + el("rect", x=left + 150, y=6, width=12, height=12, fill="#ffffff", stroke=BEYOND,
             stroke_dasharray="3 2")
        + el("text", t(_("Ryms inte")), x=left + 167, y=16, fill=INK, font_size=11)
        + el("line", x1=left + 260, y1=12, x2=left + 290, y2=12, stroke=FRAME, stroke_width=2,
             stroke_dasharray="8 4")
        + el("text", t(_("Resursram %(frame)s") % {"frame": mnkr(result.frame)}), x=left + 296,
             y=16, fill=INK, font_size=11, font_weight="bold")
    )  # fmt: skip
    out.insert(0, el("g", legend))
    return svg_document(cid, title, desc, "".join(out), width=width, height=height)
