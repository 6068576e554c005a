"""The rules of priority setting as plain functions, one definition each, called by
the models, the forms, the services, the screens, the exports and the admin alike,
with the same Swedish message wherever they fire.

- :func:`item_lock_reason`: why a proposal can no longer change (decided, rejected,
  its round decided, or submitted);
- :func:`fact_sheet_missing` and :func:`rank_reason_missing`: what a fact sheet lacks
  before it can be submitted;
- :func:`counts_against_frame`: which proposals count against the resource frame.

The suggested rank itself is :func:`priorities.ranking.suggested_rank`, reached through
``PriorityItem.compute_suggested_rank()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from priorities.models import Decision, ItemStatus, RoundStatus

if TYPE_CHECKING:
    from priorities.models import PriorityItem

# --------------------------------------------------------------------------- the lock


def _decided_when(item: PriorityItem) -> str:
    parts = [item.decided_on.isoformat() if item.decided_on else ""]
    parts.append(item.decision_paragraph or item.decision_reference)
    return ", ".join(p for p in parts if p)


def decision_lock_reason(item: PriorityItem) -> str | None:
    """Why a decision has frozen ``item`` for good, or None. Beslutad and avslagen are
    final; so is every proposal of a decided round."""
    when = _decided_when(item)
    if item.decision == Decision.ADOPTED:
        return _(
            "Förslaget är beslutat (beslutad %(when)s) och kan inte ändras."
        ) % {"when": when}  # fmt: skip
    if item.decision == Decision.REJECTED:
        return _(
            "Förslaget är avslaget (avslagen %(when)s) och kan inte ändras."
        ) % {"when": when}  # fmt: skip
    rnd = item.worksheet.round
    if rnd.status == RoundStatus.DECIDED:
        return _("Omgången ”%(round)s” är beslutad och avslutad. Dess förslag kan inte ändras.") % {
            "round": rnd.title
        }
    return None


def round_lock_reason(rnd) -> str | None:
    """Why a round's own fields (name, frame, deadline) can no longer change, or None."""
    if rnd.is_decided:
        return _("Omgången är beslutad och kan inte ändras.")
    return None


def item_lock_reason(item: PriorityItem) -> str | None:
    """Why the committee can no longer change ``item``'s fact sheet, or None: a final
    decision (see :func:`decision_lock_reason`), or it has been submitted."""
    reason = decision_lock_reason(item)
    if reason is None and item.status != ItemStatus.DRAFT:
        reason = _("Förslaget är inlämnat och kan inte ändras.")
    return reason


# --------------------------------------------------------------------------- fact sheets

# What a submission needs, by field, with the message shown beside the field.
REQUIRED_TO_SUBMIT = {
    "severity": gettext_lazy("Välj svårighetsgrad."),
    "effect": gettext_lazy("Välj förväntad effekt."),
    "cost_effect": gettext_lazy("Välj kostnad i förhållande till effekt."),
    "evidence": gettext_lazy("Välj kunskapsläge."),
    "cost_budget": gettext_lazy("Ange kostnaden eller besparingen för budgetåret (0 om ingen)."),
}


def rank_reason_missing(*, rank: int | None, suggested: int | None, reason: str) -> str | None:
    """An own rank that differs from the suggested one needs a reason: the message, or None."""
    if rank and suggested and rank != suggested and not (reason or "").strip():
        return _(
            "Motivera varför nämndens rang (%(rank)s) skiljer sig från den föreslagna "
            "(%(suggested)s)."
        ) % {"rank": rank, "suggested": suggested}
    return None


def fact_sheet_missing(item: PriorityItem) -> dict[str, str]:
    """What stops ``item``'s fact sheet from being submitted, by field (empty: complete).
    ``item`` may be unsaved: the form passes its instance with the posted values."""
    problems = {
        name: str(message)
        for name, message in REQUIRED_TO_SUBMIT.items()
        if getattr(item, name) is None
    }
    if not (item.description or "").strip():
        problems["description"] = _("Beskriv förslaget.")
    message = rank_reason_missing(
        rank=item.rank, suggested=item.compute_suggested_rank(), reason=item.rank_reason
    )
    if message:
        problems["rank_reason"] = message
    return problems


# --------------------------------------------------------------------------- the frame


def counts_against_frame(item: PriorityItem) -> bool:
    """A proposal counts against the resource frame once submitted, unless rejected;
    proposals sent back to their committee (återremitterade) are drafts again and do
    not count. The same rule as ``PriorityItem.objects.counted_against_frame()``."""
    return item.status == ItemStatus.SUBMITTED and item.decision != Decision.REJECTED
