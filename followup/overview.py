"""The politician's overview (Röda tråden's tab "Översikt"): per committee and for the
whole municipality, how many goals were met, partly met, not met and not assessed in a
round, with a small chart, each number a link to exactly the goals it counts.

The numbers are the report PDF's (:func:`followup.fulfilment_summary.fulfilment_summary`,
one count for both); the list behind a number is the same count's goals
(:func:`followup.fulfilment_summary.summary_goals`). A fixed number of queries
whatever the size of the municipality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from followup.fulfilment_summary import (
    ORDER,
    SummaryRow,
    fulfilment_summary,
    summary_goals,
)
from followup.models import FollowUpRound
from goals.fulfilment import SYMBOLS, Assessment
from goals.models import Goal
from ledmot.lib import svg
from ledmot.models import OrgUnit

#: Fill of each assessment's bar: the badges' text colours (ledmot.css), at least 3:1
#: against white; the word and symbol beside each bar say the same without colour.
FILLS = {
    Assessment.MET: "#1e6b34",
    Assessment.PARTLY: "#7a4a00",
    Assessment.NOT_MET: "#a1261b",
    Assessment.NOT_ASSESSED: "#4a5560",
}
INK = "#1f2328"


def overview_rounds() -> list[FollowUpRound]:
    """Every round, newest period first: what the overview can show."""
    return list(FollowUpRound.objects.select_related("kind").order_by("-period_end", "-pk"))


def pick_round(rounds: list[FollowUpRound], raw: str | None) -> FollowUpRound | None:
    """The round asked for (``?omgang=<id>``), else the latest closed round (its figures
    are final, as the council received them), else the latest round."""
    chosen = next((r for r in rounds if str(r.pk) == raw), None)
    return chosen or next((r for r in rounds if r.is_closed), None) or next(iter(rounds), None)


@dataclass
class Cell:
    value: str
    label: str
    symbol: str
    count: int
    url: str


@dataclass
class OverviewRow:
    name: str
    cells: list[Cell]
    total: int
    total_url: str
    bar: SafeString = SafeString("")


@dataclass
class Overview:
    round: FollowUpRound
    heading: str
    rows: list[OverviewRow] = field(default_factory=list)
    total: OverviewRow | None = None
    chart: str = ""


def goals_url(rnd: FollowUpRound, group: OrgUnit | None, assessment: str | None) -> str:
    """The list of the goals behind one number of the overview."""
    params = {"omgang": rnd.pk}
    if group is not None:
        params["namnd"] = group.code
    if assessment:
        params["bedomning"] = assessment
    return f"{reverse('overview:goals')}?{urlencode(params)}"


def _row(rnd: FollowUpRound, row: SummaryRow, labels: dict[str, str]) -> OverviewRow:
    return OverviewRow(
        name=row.name,
        cells=[
            Cell(value, labels[value], SYMBOLS[value], n, goals_url(rnd, row.org, value))
            for value, n in zip(ORDER, row.counts, strict=True)
        ],
        total=row.total,
        total_url=goals_url(rnd, row.org, None),
    )


def overview(rnd: FollowUpRound) -> Overview:
    """The overview of ``rnd``: the report PDF's summary for the whole municipality, with
    a link per number and the charts."""
    summary = fulfilment_summary(rnd)
    labels = {value: str(label) for value, label in Assessment.choices}
    result = Overview(round=rnd, heading=summary.heading)
    for row in summary.rows:
        shown = _row(rnd, row, labels)
        shown.bar = stacked_bar(shown)
        result.rows.append(shown)
    result.total = _row(rnd, summary.total, labels)
    result.chart = total_chart(result.total, _("Hela kommunen"))
    return result


# --------------------------------------------------------------------------- the charts

BAR_LEFT, BAR_RIGHT, ROW_HEIGHT, WIDTH = 150, 40, 30, 480


def total_chart(row: OverviewRow, title: str) -> str:
    """One horizontal bar per assessment, each with its symbol, word and number written
    beside it (never colour alone); scales to its container."""
    top = max((c.count for c in row.cells), default=0) or 1
    span = WIDTH - BAR_LEFT - BAR_RIGHT
    body = []
    for i, cell in enumerate(row.cells):
        y = 8 + i * ROW_HEIGHT
        length = span * cell.count / top
        body.append(
            svg.element(
                "text",
                svg.text(f"{cell.symbol} {cell.label}"),
                x=0,
                y=y + 15,
                fill=INK,
            )
        )
        if cell.count:
            body.append(
                svg.element(
                    "rect",
                    x=BAR_LEFT,
                    y=y + 2,
                    width=max(length, 2),
                    height=ROW_HEIGHT - 10,
                    fill=FILLS[cell.value],
                )
            )
        body.append(
            svg.element(
                "text", str(cell.count), x=BAR_LEFT + max(length, 2) + 6, y=y + 15, fill=INK
            )
        )
    desc = ", ".join(f"{c.label} {c.count}" for c in row.cells)
    return svg.document(
        "overview-chart",
        _("Måluppfyllelse: %(name)s") % {"name": title},
        desc,
        "".join(body),
        width=WIDTH,
        height=16 + ROW_HEIGHT * len(row.cells),
        display_width="100%",
    )


def stacked_bar(row: OverviewRow) -> SafeString:
    """A committee's assessments as one bar split in proportion, beside the numbers that
    say the same (hidden from screen readers, which read the numbers)."""
    if not row.total:
        return SafeString("")
    x, parts = 0.0, []
    for cell in row.cells:
        if not cell.count:
            continue
        width = 200 * cell.count / row.total
        parts.append(
            svg.element(
                "rect", x=x, y=0, width=width, height=14, fill=FILLS[cell.value], stroke="#fff"
            )
        )
        x += width
    return mark_safe(  # noqa: S308 - svg.element escapes every attribute
        svg.element(
            "svg",
            "".join(parts),
            xmlns="http://www.w3.org/2000/svg",
            viewBox="0 0 200 14",
            width="100%",
            height=14,
            preserveAspectRatio="none",
            aria_hidden="true",
            focusable="false",
        )
    )


# ------------------------------------------------------------- the goals behind a number


@dataclass
class CountedGoal:
    goal: Goal
    assessment: str
    label: str
    symbol: str


def overview_goals(user, rnd: FollowUpRound, group: OrgUnit | None, assessment: str | None):
    """The goals behind one number of :func:`overview` (``group`` None: every committee;
    ``assessment`` None: every assessment), in the chain's order, as a queryset to page
    through, and the assessment each was counted with (goal id → assessment)."""
    counted = summary_goals(rnd, group=group, assessment=assessment)
    goals = (
        Goal.objects.filter(pk__in=list(counted))
        .visible_to(user)
        .select_related("owner", "parent")
        .order_by("owner__order", "owner__name", "order", "pk")
    )
    return goals, counted


def counted_rows(goals, counted: dict[int, str]) -> list[CountedGoal]:
    """The goals of one page of :func:`overview_goals`, each with its assessment."""
    labels = {value: str(label) for value, label in Assessment.choices}
    return [
        CountedGoal(g, counted[g.pk], labels[counted[g.pk]], SYMBOLS[counted[g.pk]]) for g in goals
    ]
