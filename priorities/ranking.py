"""The documented rules of priority setting: the suggested rank and the frame line.

Both are pure functions so the screens, the exports and the tests use the same rule,
and both are explained to users in Swedish (:func:`rank_rule_text`, :func:`frame_rule_text`).

Suggested rank (föreslagen rang), after Prioriteringscentrum's national model:

    points = 2 × (severity − 1)          svårighetsgrad 1–4   → 0–6
           + 2 × (effect − 1)            effekt 1–5           → 0–8
           + (4 − cost in relation to effect)  kostnad/effekt 1–4 → 3–0
           + (evidence − 1)              kunskapsläge 1–4     → 0–3
    (0–20 points)
    rank of the service = 10 − round(points × 9 / 20)   (20 points → 1, 0 points → 10)

Severity and effect weigh twice as much as cost-effectiveness and evidence, as the
need and the benefit come first in the ethical platform of Swedish priority setting
(människovärdesprincipen, behovs-solidaritetsprincipen, then
kostnadseffektivitetsprincipen).

For proposals that reduce or stop a service (ransonering, neddragning, icke-göra) the
fact sheet describes the service that is reduced: the less that service is worth,
the higher the priority of the proposal to reduce it, so the proposal's rank is
11 − the rank of the service.

The frame line (where the resource frame runs out): walking down the ranked list and
adding each proposal's net cost for the budget year (savings are negative), the line
is drawn after the last proposal at which the cumulative net cost is still within the
frame. The proposals above the line fit together within the frame; those below do
not. With a negative frame (a required saving) the line is where enough has been
saved; if even all proposals together do not reach the frame, there is no line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# The kinds of proposal that reduce or stop a service (ItemKind values): ransonering,
# neddragning, icke-göra. priorities.models.REDUCING_KINDS is built from this.
REDUCING = ("ransonering", "neddragning", "icke_gora")


def rank_points(severity: int, effect: int, cost_effect: int, evidence: int) -> int:
    """0–20 points; more points = a more important service."""
    return 2 * (severity - 1) + 2 * (effect - 1) + (4 - cost_effect) + (evidence - 1)


def suggested_rank(
    kind: str,
    severity: int | None,
    effect: int | None,
    cost_effect: int | None,
    evidence: int | None,
) -> int | None:
    """The suggested rank 1–10 (1 = highest priority), or None while an input is missing."""
    if None in (severity, effect, cost_effect, evidence):
        return None
    points = rank_points(severity, effect, cost_effect, evidence)
    step = (Decimal(points) * 9 / 20).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    service_rank = 10 - int(step)
    return 11 - service_rank if kind in REDUCING else service_rank


def rank_rule_text() -> list[str]:
    """The rule as shown beside the suggested rank."""
    return [
        _(
            "Poäng: 2 × (svårighetsgrad − 1) + 2 × (effekt − 1) + (4 − kostnad i förhållande "
            "till effekt) + (kunskapsläge − 1), alltså 0–20 poäng."
        ),
        _("Föreslagen rang = 10 − poäng × 9/20, avrundat: 20 poäng ger rang 1, 0 poäng rang 10."),
        _(
            "Svårighetsgrad och effekt väger dubbelt: behovet och nyttan går först, sedan "
            "kostnadseffektiviteten och kunskapsläget."
        ),
        _(
            "Ransonering, neddragning och icke-göra: bedömningarna gäller insatsen som minskas. "
            "Ju lägre den insatsen värderas, desto högre prioritet får förslaget: "
            "rang = 11 − insatsens rang."
        ),
    ]


# --------------------------------------------------------------------------- the frame


@dataclass
class FrameRow:
    item: object
    cost: int  # net cost for the budget year; a saving is negative
    cumulative: int
    within: bool  # above the frame line
    # The cumulative cost at this row passes the frame (above the line only thanks to
    # savings ranked below it).
    over: bool = False


@dataclass
class FrameResult:
    rows: list[FrameRow]
    frame: int
    line_after: int | None  # number of rows above the line; None: the frame is never met
    total: int

    @property
    def fits(self) -> int:
        return self.line_after or 0

    @property
    def left(self) -> int | None:
        """What is left of the frame at the line (None if the frame is never met)."""
        if self.line_after is None:
            return None
        cum = self.rows[self.line_after - 1].cumulative if self.line_after else 0
        return self.frame - cum


def frame_line(items, frame: int, cost_of=lambda i: i.cost_budget) -> FrameResult:
    """Cumulative net cost of ``items`` (already in rank order) against ``frame``."""
    rows: list[FrameRow] = []
    cumulative = 0
    line_after = 0 if frame >= 0 else None
    for n, item in enumerate(items, start=1):
        cost = int(cost_of(item) or 0)
        cumulative += cost
        rows.append(
            FrameRow(
                item=item, cost=cost, cumulative=cumulative, within=False, over=cumulative > frame
            )
        )
        if cumulative <= frame:
            line_after = n
    for row in rows[: line_after or 0]:
        row.within = True
    return FrameResult(rows=rows, frame=frame, line_after=line_after, total=cumulative)


def frame_rule_text() -> str:
    return _(
        "Förslagen läggs i rangordning och nettokostnaden för budgetåret summeras "
        "(besparingar räknas negativt). Linjen dras efter det sista förslaget där den "
        "sammanlagda nettokostnaden ryms inom ramen: förslagen ovanför linjen ryms "
        "tillsammans, förslagen nedanför gör det inte."
    )
