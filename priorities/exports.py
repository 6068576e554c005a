"""Excel export of priority items: one row per item with every fact-sheet field, and
a totals row. The columns are declared once here; user text is always written as
text (see ledmot.lib.xlsx), never as a formula.

Each row says whether it counts against the resource frame (priorities.rules.
counts_against_frame). The overview's export sums only those rows, so its "Summa"
is the overview's total; a worksheet's export sums every row, like the worksheet."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from ledmot.lib.xlsx import KRONOR_FORMAT, Column, workbook_response
from priorities.models import ItemIndicator, PriorityItem, PriorityRound
from priorities.rules import counts_against_frame

STAFF = "0.0"


def item_labels(items) -> tuple[dict, dict]:
    """Goals and expected indicator changes per item, in two queries."""
    ids = [i.pk for i in items]
    goals: dict[int, list[str]] = defaultdict(list)
    for link in (
        PriorityItem.goals.through.objects.filter(priorityitem__in=ids)
        .select_related("goal")
        .order_by("goal__level", "goal__order", "goal__pk")
    ):
        goals[link.priorityitem_id].append(link.goal.title)
    indicators: dict[int, list[str]] = defaultdict(list)
    for link in ItemIndicator.objects.filter(item__in=ids).select_related("indicator"):
        indicators[link.item_id].append(f"{link.indicator.name} ({link.get_direction_display()})")
    return goals, indicators


def columns(rnd: PriorityRound) -> list[Column]:
    f = PriorityItem._meta.get_field

    def head(name):
        return str(f(name).verbose_name).capitalize()

    cols = [
        Column(_("Plats i rangordningen"), 10, "0"),
        Column(_("Nämnd"), 30),
        Column(head("title"), 40),
        Column(head("kind"), 18),
        Column(head("status"), 12),
        Column(head("decision"), 16),
        Column(head("decided_on"), 12),
        Column(head("decision_paragraph"), 10),
        Column(head("decision_reference"), 16),
        Column(head("decision_note"), 30),
        Column(head("description"), 50),
        Column(head("target_group"), 30),
        Column(head("situation"), 50),
        Column(head("severity"), 14),
        Column(head("effect"), 14),
        Column(head("cost_effect"), 16),
        Column(head("evidence"), 14),
        Column(_("Effekten uppstår för"), 24),
        Column(_("Mål"), 50),
        Column(_("Indikatorer (förväntad riktning)"), 50),
    ]
    cols += [Column(_("Kostnad %(year)s (kr)") % {"year": y}, 16, KRONOR_FORMAT) for y in rnd.years]
    cols += [
        Column(head("cost_type"), 14),
        Column(head("staff"), 12, STAFF),
        Column(head("consequences_citizens"), 40),
        Column(head("consequences_staff"), 40),
        Column(head("consequences_equality"), 40),
        Column(head("consequences_children"), 40),
        Column(head("risks"), 40),
        Column(head("suggested_rank"), 10, "0"),
        Column(head("rank"), 10, "0"),
        Column(head("rank_reason"), 40),
        Column(_("Räknas mot ramen"), 12),
        Column(_("Sammanlagd nettokostnad (kr)"), 18, KRONOR_FORMAT),
        Column(_("Inom ramen"), 10),
    ]
    return cols


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return str(_("Ja") if value else _("Nej"))


def rows(rnd: PriorityRound, items, *, counted_only: bool):
    """One row per item, then the totals of the rows that count (``counted_only``: the
    rows that count against the frame; else every row)."""
    goals, indicators = item_labels(items)
    totals = [0] * len(rnd.years)
    staff_total = 0
    summed = 0
    for item in items:
        frame_row = getattr(item, "frame_row", None)
        counts = counts_against_frame(item)
        costs = item.costs()
        if counts or not counted_only:
            summed += 1
            for i, cost in enumerate(costs):
                totals[i] += cost or 0
            staff_total += item.staff or 0
        yield [
            getattr(item, "position", None),
            item.worksheet.committee.name,
            item.title,
            item.get_kind_display(),
            item.get_status_display(),
            item.get_decision_display(),
            item.decided_on,
            item.decision_paragraph,
            item.decision_reference,
            item.decision_note,
            item.description,
            item.target_group,
            item.situation,
            item.get_severity_display() if item.severity else None,
            item.get_effect_display() if item.effect else None,
            item.get_cost_effect_display() if item.cost_effect else None,
            item.get_evidence_display() if item.evidence else None,
            ", ".join(item.effect_lands),
            "\n".join(goals.get(item.pk, [])),
            "\n".join(indicators.get(item.pk, [])),
            *costs,
            item.get_cost_type_display(),
            item.staff,
            item.consequences_citizens,
            item.consequences_staff,
            item.consequences_equality,
            item.consequences_children,
            item.risks,
            item.suggested_rank,
            item.rank,
            item.rank_reason,
            _yes_no(counts),
            frame_row.cumulative if frame_row else None,
            _yes_no(frame_row.within) if frame_row else None,
        ]
    n_before_costs = 20
    total_row = [None] * len(columns(rnd))
    if counted_only:
        total_row[2] = _("Summa, förslag som räknas mot ramen (%(n)s av %(total)s)") % {
            "n": summed,
            "total": len(items),
        }
    else:
        total_row[2] = _("Summa (%(n)s förslag)") % {"n": len(items)}
    for i, value in enumerate(totals):
        total_row[n_before_costs + i] = value
    total_row[n_before_costs + len(totals) + 1] = staff_total
    yield total_row


def items_workbook(rnd: PriorityRound, items, *, filename: str, counted_only: bool = False):
    items = list(items)
    return workbook_response(
        filename, _("Prioriteringar"), columns(rnd), rows(rnd, items, counted_only=counted_only)
    )
