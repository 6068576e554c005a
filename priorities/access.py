"""Access helpers for priority setting: 404 out of scope, 403 read-only.

The rules (roles inherited down the organisation tree) live in :mod:`ledmot.access`:

- a round is seen by anyone with a role inside its scope or above it;
- a committee's worksheet (with its drafts) is read with VIEW on the committee and
  written with EDIT on it, while the round is open (or an item has been sent back);
- the political overview, and every submitted item in it, is read with VIEW on the
  round's scope: the council for the whole municipality;
- decisions are recorded with APPROVE on the round's scope, while it is under review;
- rounds are opened and moved on with MANAGE on the scope (controllers).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ledmot.access import Cap, access_for, refusal
from ledmot.models import OrgUnit
from priorities.models import (
    FINAL_DECISIONS,
    ItemStatus,
    PriorityItem,
    PriorityRound,
    RoundStatus,
    Worksheet,
)
from priorities.rules import item_lock_reason


def can_view_overview(user, rnd: PriorityRound) -> bool:
    return access_for(user).can(Cap.VIEW, rnd.scope)


def can_manage_round(user, rnd: PriorityRound) -> bool:
    return access_for(user).can(Cap.MANAGE, rnd.scope)


def can_open_rounds(user) -> bool:
    return access_for(user).can_anywhere(Cap.MANAGE)


def can_decide(user, rnd: PriorityRound) -> bool:
    return rnd.status == RoundStatus.REVIEW and access_for(user).can(Cap.APPROVE, rnd.scope)


def can_view_worksheet(user, worksheet: Worksheet) -> bool:
    return access_for(user).can(Cap.VIEW, worksheet.committee)


def can_edit_worksheet(user, worksheet: Worksheet) -> bool:
    """May add and change draft items (and submit them) in the committee's worksheet."""
    rnd = worksheet.round
    if rnd.status == RoundStatus.DECIDED:
        return False
    return access_for(user).can(Cap.EDIT, worksheet.committee)


def worksheet_is_open(worksheet: Worksheet) -> bool:
    """New items only while the round is open for proposals and the sheet not submitted."""
    return worksheet.round.status == RoundStatus.OPEN


def can_edit_item(user, item: PriorityItem) -> bool:
    """A draft nothing has frozen (priorities.rules.item_lock_reason), by the committee."""
    if item_lock_reason(item) is not None:
        return False
    return access_for(user).can(Cap.EDIT, item.worksheet.committee)


def can_view_item(user, item: PriorityItem) -> bool:
    if can_view_worksheet(user, item.worksheet):
        return True
    return item.status == ItemStatus.SUBMITTED and can_view_overview(user, item.worksheet.round)


def can_decide_item(user, item: PriorityItem) -> bool:
    return (
        item.status == ItemStatus.SUBMITTED
        and item.decision not in FINAL_DECISIONS
        and can_decide(user, item.worksheet.round)
    )


# --------------------------------------------------------------------------- fetchers


def get_round(request, pk) -> PriorityRound:
    return get_object_or_404(
        PriorityRound.objects.visible_to(request.user).select_related("scope"), pk=pk
    )


def get_round_for_overview(request, pk) -> PriorityRound:
    rnd = get_round(request, pk)
    if not can_view_overview(request.user, rnd):
        raise refusal(Cap.VIEW, rnd.scope)
    return rnd


def get_round_for_manage(request, pk) -> PriorityRound:
    rnd = get_round(request, pk)
    if not can_manage_round(request.user, rnd):
        raise refusal(Cap.MANAGE, rnd.scope)
    return rnd


def get_worksheet_for_view(request, round_pk, code) -> Worksheet:
    worksheet = get_object_or_404(
        Worksheet.objects.select_related("round__scope", "committee", "submitted_by"),
        round_id=round_pk,
        committee__code=code,
    )
    if not can_view_worksheet(request.user, worksheet):
        raise Http404
    return worksheet


def get_worksheet_for_edit(request, round_pk, code) -> Worksheet:
    worksheet = get_worksheet_for_view(request, round_pk, code)
    if not can_edit_worksheet(request.user, worksheet):
        raise refusal(Cap.EDIT, worksheet.committee)
    return worksheet


def _item_queryset():
    return PriorityItem.objects.select_related(
        "worksheet__round__scope", "worksheet__committee", "decided_by"
    )


def get_item_for_view(request, pk) -> PriorityItem:
    item = get_object_or_404(_item_queryset(), pk=pk)
    if not can_view_item(request.user, item):
        raise Http404
    return item


class ItemLocked(PermissionDenied):
    """The item can be read but no longer changed; ``reason`` says why, for the page."""

    def __init__(self, item: PriorityItem, reason: str):
        super().__init__(reason)
        self.item, self.reason = item, reason


def get_item_for_edit(request, pk) -> PriorityItem:
    item = get_item_for_view(request, pk)
    if reason := item_lock_reason(item):
        raise ItemLocked(item, reason)
    if not can_edit_item(request.user, item):
        raise refusal(Cap.EDIT, item.worksheet.committee)
    return item


def get_item_for_decision(request, pk) -> PriorityItem:
    item = get_item_for_view(request, pk)
    if not access_for(request.user).can(Cap.APPROVE, item.worksheet.round.scope):
        raise refusal(Cap.APPROVE, item.worksheet.round.scope)
    if not can_decide_item(request.user, item):
        raise PermissionDenied(
            _(
                "Förslaget kan inte beslutas nu: det är inte inlämnat, redan beslutat, "
                "eller omgången är inte under beredning."
            )
        )
    return item


def manageable_scopes(user):
    """Units a user may open a round for: the council or committees under MANAGE."""
    from ledmot.models import OrgKind

    access = access_for(user)
    return (
        OrgUnit.objects.filter(access.units_q(Cap.MANAGE, field=""))
        .filter(kind__in=[OrgKind.COUNCIL, OrgKind.COMMITTEE], active=True)
        .order_by("path")
    )
