"""Priority workflows: opening a round, writing fact sheets, submitting a worksheet,
recording decisions, closing the round and turning adopted proposals into activities.

Every function takes keyword-only arguments and the acting user, runs in one
transaction and writes through ``versioned_save``/``attributed_save`` so that each
change has one history record with that user.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from goals.models import Activity, ActivityStatus, Goal, GoalStatus
from ledmot import clock
from ledmot.models import OrgKind, OrgUnit
from ledmot.services import (
    ConflictError,
    LockedError,
    attributed_delete,
    attributed_save,
    versioned_save,
)
from priorities.models import (
    FINAL_DECISIONS,
    Decision,
    ItemIndicator,
    ItemStatus,
    PriorityItem,
    PriorityRound,
    RoundStatus,
    Worksheet,
    WorksheetStatus,
)
from priorities.rules import decision_lock_reason, item_lock_reason, round_lock_reason


def committees_in_scope(scope: OrgUnit):
    """The active committees a round for ``scope`` asks for worksheets."""
    if scope.kind == OrgKind.COMMITTEE:
        return OrgUnit.objects.filter(pk=scope.pk)
    return OrgUnit.objects.filter(
        kind=OrgKind.COMMITTEE, active=True, path__startswith=scope.path
    ).order_by("order", "name")


@transaction.atomic
def round_open(
    *,
    title: str,
    year: int,
    plan_years: int,
    scope: OrgUnit,
    resource_frame: int,
    deadline: datetime.date | None = None,
    description: str = "",
    user,
) -> PriorityRound:
    """Open a round and give every committee in scope an empty worksheet."""
    rnd = PriorityRound(
        title=title,
        year=year,
        plan_years=plan_years,
        scope=scope,
        resource_frame=resource_frame,
        deadline=deadline,
        description=description,
    )
    rnd.full_clean()
    versioned_save(rnd, user=user, expected_version=None, reason=_("Öppnad"))
    for committee in committees_in_scope(scope):
        attributed_save(Worksheet(round=rnd, committee=committee), user=user, reason=_("Skapat"))
    return rnd


@transaction.atomic
def round_edit(*, rnd: PriorityRound, user, expected_version: int | None) -> PriorityRound:
    """Save the round's own fields (name, frame, deadline) with the version check."""
    stored = PriorityRound.objects.get(pk=rnd.pk)
    if reason := round_lock_reason(stored):
        raise LockedError(reason)
    return versioned_save(rnd, user=user, expected_version=expected_version)


@transaction.atomic
def round_start_review(*, rnd: PriorityRound, user, expected_version: int) -> PriorityRound:
    """Close the round for new proposals: what has been submitted goes to the politicians."""
    rnd = PriorityRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status != RoundStatus.OPEN:
        raise ValidationError(_("Bara en öppen omgång kan lämnas till beredning."))
    rnd.status = RoundStatus.REVIEW
    return versioned_save(
        rnd, user=user, expected_version=expected_version, reason=_("Till politisk beredning")
    )


def _require_item_editable(item: PriorityItem):
    """Refuse a change to a fact sheet that a decision, its round or its submission has
    frozen, saying why (the rule: :func:`priorities.rules.item_lock_reason`)."""
    if reason := item_lock_reason(item):
        raise LockedError(reason)


@transaction.atomic
def item_save(
    *,
    item: PriorityItem,
    user,
    expected_version: int | None,
    goals=None,
    indicators: list[tuple] | None = None,
) -> PriorityItem:
    """Create or change a draft fact sheet with its goals and expected indicator changes:
    the one writer of a fact sheet (screens, htmx panel and admin) and of its suggested rank.

    ``indicators`` is a list of (indicator, direction); it replaces the item's list.
    """
    worksheet = (
        Worksheet.objects.select_for_update().select_related("round").get(pk=item.worksheet_id)
    )
    item.worksheet = worksheet
    if item.pk is None:
        if worksheet.round.status != RoundStatus.OPEN:
            raise LockedError(_("Omgången tar inte emot nya förslag."))
        if worksheet.status == WorksheetStatus.SUBMITTED:
            raise LockedError(_("Arbetsbladet är inlämnat. Nya förslag kan inte läggas till."))
        last = worksheet.items.order_by("-order").values_list("order", flat=True).first()
        item.order = (last or 0) + 1
    else:
        stored = PriorityItem.objects.select_related("worksheet__round").get(pk=item.pk)
        _require_item_editable(stored)
    _require_item_editable(item)
    item.clean()
    item.suggested_rank = item.compute_suggested_rank()
    _save_with_goals(item, user=user, expected_version=expected_version, goals=goals)
    if indicators is not None:
        _save_indicator_links(item, indicators, user)
    return item


def _save_with_goals(item: PriorityItem, *, user, expected_version, goals) -> None:
    """Save the item and its goals as one history record (the record copies the goals).

    The goals are set without history first, so that a change of goals does not add
    records of its own; then the save writes the one record, with the new goals.
    """
    creating = item.pk is None
    if creating:
        item.skip_history_when_saving = True
        try:
            versioned_save(item, user=user, expected_version=None)
            if goals:
                item.goals.set(list(goals))
        finally:
            del item.skip_history_when_saving
        item._change_reason = _("Skapat")
        post_save.send(
            sender=PriorityItem,
            instance=item,
            created=True,
            raw=False,
            using=router.db_for_write(PriorityItem),
        )
        return
    if goals is not None and {g.pk for g in goals} != set(item.goals.values_list("pk", flat=True)):
        item.skip_history_when_saving = True
        try:
            item.goals.set(list(goals))
        finally:
            del item.skip_history_when_saving
    versioned_save(item, user=user, expected_version=expected_version)


def _save_indicator_links(item: PriorityItem, indicators: list[tuple], user) -> None:
    wanted = {ind.pk: (ind, direction) for ind, direction in indicators}
    for link in list(item.indicator_links.all()):
        if link.indicator_id not in wanted:
            attributed_delete(link, user=user)
        elif link.direction != wanted[link.indicator_id][1]:
            link.direction = wanted[link.indicator_id][1]
            attributed_save(link, user=user)
        wanted.pop(link.indicator_id, None)
    for ind, direction in wanted.values():
        attributed_save(ItemIndicator(item=item, indicator=ind, direction=direction), user=user)


@transaction.atomic
def item_delete(*, item: PriorityItem, user) -> None:
    stored = PriorityItem.objects.select_related("worksheet__round").get(pk=item.pk)
    _require_item_editable(stored)
    if stored.decision:
        raise LockedError(_("Ett förslag med ett beslut kan inte tas bort."))
    attributed_delete(stored, user=user)


@transaction.atomic
def worksheet_submit(*, worksheet: Worksheet, user, expected_version: int) -> Worksheet:
    """Submit the committee's drafts to the round: all or nothing.

    While the round is open this is the worksheet; under review it resubmits the items
    that were sent back (återremitterade) and have been completed.
    """
    worksheet = Worksheet.objects.select_for_update().select_related("round").get(pk=worksheet.pk)
    if worksheet.version != expected_version:
        raise ConflictError(worksheet)
    rnd = worksheet.round
    drafts = list(worksheet.items.filter(status=ItemStatus.DRAFT).order_by("order", "pk"))
    if rnd.status == RoundStatus.DECIDED:
        raise LockedError(_("Omgången är beslutad."))
    if rnd.status == RoundStatus.REVIEW:
        # Closed for new proposals: only items sent back by the politicians come again.
        drafts = [i for i in drafts if i.decision == Decision.REFERRED_BACK]
        if not drafts:
            raise LockedError(_("Omgången är stängd för nya förslag."))
    elif worksheet.status == WorksheetStatus.SUBMITTED and not drafts:
        raise ValidationError(_("Arbetsbladet är redan inlämnat."))
    # What each fact sheet lacks: priorities.rules.fact_sheet_missing, as beside the fields.
    missing = [(i, p) for i in drafts if (p := i.missing())]
    if missing:
        raise ValidationError(
            [
                _("%(title)s: %(problems)s")
                % {"title": item.title, "problems": " ".join(str(p) for p in problems.values())}
                for item, problems in missing
            ]
        )
    now = clock.now()
    for item in drafts:
        resubmitted = item.decision == Decision.REFERRED_BACK
        item.status = ItemStatus.SUBMITTED
        if resubmitted:
            item.decision = ""
            item.decided_on = None
            item.decision_paragraph = item.decision_reference = item.decision_note = ""
            item.decided_by = None
        versioned_save(
            item,
            user=user,
            expected_version=None,
            reason=_("Inlämnad på nytt efter återremiss") if resubmitted else _("Inlämnad"),
        )
    worksheet.status = WorksheetStatus.SUBMITTED
    worksheet.submitted_at = now
    worksheet.submitted_by = user
    return versioned_save(
        worksheet, user=user, expected_version=expected_version, reason=_("Inlämnat")
    )


@transaction.atomic
def item_decide(
    *,
    item: PriorityItem,
    user,
    decision: str,
    decided_on: datetime.date,
    paragraph: str = "",
    reference: str = "",
    note: str = "",
    expected_version: int,
) -> PriorityItem:
    """Record the political decision on a submitted item.

    Beslutad and avslagen are final and lock the item; bordlagd waits for a later
    meeting; återremitterad sends it back to the committee as a draft. When every
    submitted item of the round has a final decision, the round is decided.
    """
    item = (
        PriorityItem.objects.select_for_update().select_related("worksheet__round").get(pk=item.pk)
    )
    rnd = item.worksheet.round
    if rnd.status != RoundStatus.REVIEW:
        raise LockedError(_("Beslut registreras när omgången är under beredning."))
    if reason := decision_lock_reason(item):
        raise LockedError(reason)
    if item.status != ItemStatus.SUBMITTED:
        raise LockedError(_("Bara inlämnade förslag kan beslutas."))
    if item.version != expected_version:
        raise ConflictError(item)
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = _("Välj beslut.")
    if decided_on is None:
        errors["decided_on"] = _("Ange beslutsdatum.")
    if not (paragraph.strip() or reference.strip()):
        errors["paragraph"] = _("Ange paragraf (§) eller diarienummer.")
    if errors:
        raise ValidationError(errors)
    item.decision = decision
    item.decided_on = decided_on
    item.decision_paragraph = paragraph.strip()
    item.decision_reference = reference.strip()
    item.decision_note = note.strip()
    item.decided_by = user
    if decision == Decision.REFERRED_BACK:
        item.status = ItemStatus.DRAFT
    versioned_save(
        item,
        user=user,
        expected_version=expected_version,
        reason=Decision(decision).label,
    )
    _close_if_all_decided(rnd, user)
    return item


def _close_if_all_decided(rnd: PriorityRound, user) -> None:
    items = PriorityItem.objects.in_round(rnd)
    pending = items.exclude(decision__in=FINAL_DECISIONS).filter(
        status=ItemStatus.SUBMITTED
    ) | items.filter(status=ItemStatus.DRAFT, decision=Decision.REFERRED_BACK)
    if pending.exists() or not items.filter(decision__in=FINAL_DECISIONS).exists():
        return
    rnd = PriorityRound.objects.select_for_update().get(pk=rnd.pk)
    rnd.status = RoundStatus.DECIDED
    rnd.decided_at = clock.now()
    versioned_save(rnd, user=user, expected_version=None, reason=_("Alla förslag beslutade"))


def activity_owner(item: PriorityItem, goal: Goal) -> OrgUnit:
    """Who carries out the activity: the committee, if the goal is its own or above it;
    otherwise the goal's owner (a unit goal in the committee)."""
    committee = item.worksheet.committee
    return committee if committee.is_within(goal.owner) else goal.owner


@transaction.atomic
def item_create_activities(*, item: PriorityItem, user, goals) -> list[Activity]:
    """Turn an adopted satsning into one activity under each of ``goals`` it serves.

    Goals that already have an activity from this item are skipped, so the action can
    be repeated safely. The view passes only goals the user may edit.
    """
    item = PriorityItem.objects.select_related("worksheet__committee", "worksheet__round").get(
        pk=item.pk
    )
    if item.decision != Decision.ADOPTED or item.is_reducing:
        raise ValidationError(_("Bara beslutade satsningar blir aktiviteter."))
    done = set(item.activities.values_list("goal_id", flat=True))
    year = item.worksheet.round.year
    reference = ", ".join(p for p in (item.decision_reference, item.decision_paragraph) if p)
    created = []
    for goal in goals:
        if goal.pk in done or goal.status not in (GoalStatus.ADOPTED, GoalStatus.REVISED):
            continue
        activity = Activity(
            goal=goal,
            owner=activity_owner(item, goal),
            title=item.title[:300],
            description=_("Beslutad satsning i %(round)s (%(ref)s).")
            % {"round": item.worksheet.round, "ref": reference or item.decided_on}
            + (f"\n\n{item.description}" if item.description else ""),
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
            status=ActivityStatus.NOT_STARTED,
            cost=item.cost_budget,
        )
        activity.full_clean()
        versioned_save(activity, user=user, expected_version=None, reason=_("Från prioriteringen"))
        created.append(activity)
    if created:
        item.activities.add(*created)
    return created
