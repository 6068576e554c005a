"""The political overview's read model: the submitted proposals of a round in rank
order with the frame line, the worksheets and the expected effect per goal, loaded in
a fixed number of queries. The overview screen, its Excel export and the decision
basis PDF all read it, so they show the same numbers."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as _

from priorities.budget import budget_of
from priorities.charts import frame_chart
from priorities.models import (
    DECISION_SYMBOLS,
    Decision,
    ItemStatus,
    PriorityItem,
    PriorityRound,
    WorksheetStatus,
)
from priorities.ranking import frame_line
from priorities.rules import counts_against_frame

# What the overview does not show: left out of its query (the exports load everything).
LONG_TEXTS = (
    "description",
    "target_group",
    "situation",
    "consequences_citizens",
    "consequences_staff",
    "consequences_equality",
    "consequences_children",
    "risks",
    "rank_reason",
    "decision_note",
)


def mark_frame_line(items, result) -> None:
    """Set ``line_before`` on the first of ``items`` that does not fit in the frame."""
    for item in items:
        item.line_before = False
    if result.line_after is None:
        return
    first = next((i for i in items if i.position and i.position > result.line_after), None)
    if first is not None:
        first.line_before = True


def overview_data(rnd: PriorityRound, *, full: bool = False) -> dict:
    """Everything the overview, its export and the decision basis PDF show, in a fixed
    number of queries: the submitted items in rank order with the frame line, the
    worksheets, the expected effect per goal, and the scope's budget beside the frame."""
    items = list(
        PriorityItem.objects.in_round(rnd)
        .filter(Q(status=ItemStatus.SUBMITTED) | Q(decision=Decision.REFERRED_BACK))
        .select_related("worksheet__committee")
        .defer(*([] if full else LONG_TEXTS))
        .ranked()
    )
    # Rejected items, and items sent back to their committee, do not count against the frame.
    counted = [i for i in items if counts_against_frame(i)]
    result = frame_line(counted, rnd.resource_frame)
    by_item = {r.item.pk: r for r in result.rows}
    positions = {}
    for pos, row in enumerate(result.rows, start=1):
        positions[row.item.pk] = pos
    for item in items:
        item.frame_row = by_item.get(item.pk)
        item.position = positions.get(item.pk)
    worksheets = list(
        rnd.worksheets.select_related("committee").order_by("committee__order", "committee__name")
    )
    decisions = Counter(i.decision for i in items)
    # The scope's budget beside the frame (issue 16): the same figure as the economy's.
    budget = budget_of(rnd.scope, rnd.year)
    return {
        "items": items,
        "result": result,
        "worksheets": worksheets,
        "goal_effects": goal_effects(counted),
        "decision_counts": [
            (DECISION_SYMBOLS[value], label, decisions.get(value, 0))
            for value, label in [("", _("Ej beslutade")), *Decision.choices]
        ],
        "submitted_count": sum(1 for w in worksheets if w.status == WorksheetStatus.SUBMITTED),
        "budget": budget,
        "frame_share": budget.share(rnd.resource_frame) if budget else None,
    }


def goal_effects(counted: list[PriorityItem]) -> list[dict]:
    """Per goal the counted proposals serve: how many, their effect, cost and decisions."""
    goals: dict[int, dict] = {}
    items_by_pk = {i.pk: i for i in counted}
    links = (
        PriorityItem.goals.through.objects.filter(priorityitem__in=list(items_by_pk))
        .order_by("goal__level", "goal__order", "goal__pk")
        .values_list("priorityitem_id", "goal_id", "goal__title", "goal__owner__name")
    )
    for item_id, goal_id, title, owner in links:
        item = items_by_pk[item_id]
        g = goals.setdefault(
            goal_id,
            {"pk": goal_id, "title": title, "owner": owner, "items": 0, "effect": 0, "cost": 0,
             "within": 0, "adopted": 0},
        )  # fmt: skip
        g["items"] += 1
        g["effect"] += item.effect or 0
        g["cost"] += item.cost_budget or 0
        g["within"] += 1 if item.frame_row and item.frame_row.within else 0
        g["adopted"] += 1 if item.decision == Decision.ADOPTED else 0
    return list(goals.values())


def filtered(data: dict, *, kinds: list[str], code: str) -> tuple[list, object]:
    """The overview's rows after the kind and committee filters, and the chosen committee.
    Filters hide rows; the ranking and the sums stay those of every proposal."""
    committee = next((w.committee for w in data["worksheets"] if w.committee.code == code), None)
    shown = [
        i
        for i in data["items"]
        if (not kinds or i.kind in kinds)
        and (committee is None or i.worksheet.committee == committee)
    ]
    return shown, committee


def chart(rnd: PriorityRound, result):
    """The frame chart of the overview and the decision basis."""
    return frame_chart(
        result,
        title=_("Sammanlagd nettokostnad mot resursramen, %(round)s") % {"round": rnd},
        label_of=lambda i: f"{i.title} ({i.worksheet.committee.code})",
    )
