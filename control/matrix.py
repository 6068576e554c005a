"""The risk matrix (4×4: probability × consequence) as an accessible SVG drawn with the
shared SVG builder, and the table that says the same (the page shows both): each risk
numbered once, so a number in the matrix and a row of the table are the same risk."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from control.models import Consequence, Probability
from control.rules import risk_level
from ledmot.lib import svg

#: Fill of each level (with a dark text: contrast above 4.5:1); the word is always written too.
FILLS = {"low": "#d8f0dc", "medium": "#fff1c2", "high": "#ffd8b0", "very-high": "#f7c1c1"}
#: How many risk numbers a cell lists before "+n more".
SHOWN_PER_CELL = 6

CELL_W, CELL_H, LEFT, TOP = 150, 84, 140, 30


@dataclass
class MatrixRow:
    number: int
    risk: object
    level: str
    level_label: str


def numbered(risks) -> list[MatrixRow]:
    """The risks numbered 1… in the order shown (highest score first)."""
    ordered = sorted(risks, key=lambda r: (-r.score, -r.probability, r.title, r.pk))
    return [MatrixRow(i, r, *risk_level(r.score)) for i, r in enumerate(ordered, start=1)]


def cells(rows: list[MatrixRow]) -> dict[tuple[int, int], list[MatrixRow]]:
    """The rows in each cell (probability, consequence) of the matrix."""
    found: dict[tuple[int, int], list[MatrixRow]] = {
        (p, c): [] for p in Probability.values for c in Consequence.values
    }
    for row in rows:
        found[(row.risk.probability, row.risk.consequence)].append(row)
    return found


def matrix_svg(rows: list[MatrixRow], title: str) -> SafeString:
    """The matrix: consequence across, probability up; in each cell the level word and
    the numbers of its risks, each a link to the risk."""
    body = []
    for (p, c), in_cell in cells(rows).items():
        x = LEFT + (c - 1) * CELL_W
        y = TOP + (4 - p) * CELL_H
        key, word = risk_level(p * c)
        parts = [
            svg.element(
                "rect", x=x, y=y, width=CELL_W, height=CELL_H, fill=FILLS[key], stroke="#555"
            ),
            svg.element("text", svg.text(word), x=x + 6, y=y + 16, font_size=11, fill="#222"),
        ]
        for i, row in enumerate(in_cell[:SHOWN_PER_CELL]):
            cx, cy = x + 20 + (i % 3) * 44, y + 40 + (i // 3) * 28
            link = reverse("control:risk_detail", args=[row.risk.pk])
            label = _("Risk %(n)s: %(title)s") % {"n": row.number, "title": row.risk.title}
            parts.append(
                svg.element(
                    "a",
                    svg.element("circle", cx=cx, cy=cy, r=12, fill="#fff", stroke="#222")
                    + svg.element(
                        "text",
                        str(row.number),
                        x=cx,
                        y=cy + 4,
                        text_anchor="middle",
                        font_size=11,
                        fill="#000",
                    ),
                    href=link,
                    aria_label=label,
                    data_risk=row.number,
                )
            )
        if len(in_cell) > SHOWN_PER_CELL:
            more = _("+%(n)s till") % {"n": len(in_cell) - SHOWN_PER_CELL}
            parts.append(
                svg.element(
                    "text",
                    svg.text(more),
                    x=x + CELL_W - 6,
                    y=y + 16,
                    text_anchor="end",
                    font_size=11,
                    fill="#222",
                )
            )
        body.append(
            svg.element(
                "g",
                "".join(parts),
                data_probability=p,
                data_consequence=c,
                data_count=len(in_cell),
            )
        )
    for p, label in Probability.choices:
        y = TOP + (4 - p) * CELL_H + CELL_H / 2 + 4
        body.append(svg.element("text", svg.text(label), x=LEFT - 8, y=y, text_anchor="end"))
    for c, label in Consequence.choices:
        x = LEFT + (c - 1) * CELL_W + CELL_W / 2
        body.append(
            svg.element("text", svg.text(label), x=x, y=TOP + 4 * CELL_H + 18, text_anchor="middle")
        )
    body.append(svg.element("text", svg.text(_("Sannolikhet")), x=4, y=18, font_weight="bold"))
    body.append(
        svg.element(
            "text",
            svg.text(_("Konsekvens")),
            x=LEFT + 2 * CELL_W,
            y=TOP + 4 * CELL_H + 40,
            text_anchor="middle",
            font_weight="bold",
        )
    )
    desc = _(
        "%(n)s risker efter sannolikhet och konsekvens. Samma uppgifter finns i tabellen "
        "under bilden."
    ) % {"n": len(rows)}
    width, height = LEFT + 4 * CELL_W + 10, TOP + 4 * CELL_H + 50
    return svg.document(
        "riskmatris",
        title,
        desc,
        "".join(body),
        width=width,
        height=height,
        role="group",
        display_width=width,
    )
