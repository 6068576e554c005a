"""Bottom-up goal proposals (the Burlöv model): the one write path of proposals, their
comments and the council's adoption. The rules are in :mod:`goals.rules`; the
council-fixed end target is guarded by ``goals.services.targets_save``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals import rules
from goals.access import can_edit_unit, can_manage_periods
from goals.models import (
    SMART_FIELDS,
    CouncilTarget,
    Goal,
    GoalLevel,
    GoalProposal,
    GoalStatus,
    Indicator,
    MandatePeriod,
    Perspective,
    ProposalComment,
    ProposalStatus,
)
from goals.services import targets_fill_linear, targets_save
from ledmot.models import OrgKind, OrgUnit
from ledmot.services import attributed_save, versioned_save


def planned_periods(today: datetime.date | None = None):
    """The mandate periods open for proposals (:func:`goals.rules.proposals_open`)."""
    today = today or timezone.localdate()
    return [
        p for p in MandatePeriod.objects.order_by("start_year") if rules.proposals_open(p, today)
    ]


def _check_open(period: MandatePeriod) -> None:
    if not rules.proposals_open(period, timezone.localdate()):
        raise ValidationError(rules.proposals_closed_message(period))


def _check_proposer(unit: OrgUnit, user) -> None:
    if message := rules.proposer_error(unit):
        raise ValidationError({"proposer": message})
    if not can_edit_unit(user, unit):
        raise PermissionDenied(_("Du kan inte lämna förslag för %(unit)s.") % {"unit": unit.name})


@transaction.atomic
def proposal_create(*, proposal: GoalProposal, user) -> GoalProposal:
    """A committee proposes a council goal for a planned mandate period."""
    _check_open(proposal.mandate_period)
    _check_proposer(proposal.proposer, user)
    proposal.status = ProposalStatus.PROPOSED
    proposal.created_by = user if getattr(user, "pk", None) else None
    proposal.full_clean()
    return versioned_save(proposal, user=user, expected_version=None, reason=_("Föreslaget"))


def _check_editable(proposal: GoalProposal, user) -> GoalProposal:
    """The proposal as it is now (its row locked): open, in a period still planned, and
    ``user`` an editor of the committee that proposed it."""
    current = (
        GoalProposal.objects.select_for_update()
        .select_related("mandate_period", "proposer")
        .get(pk=proposal.pk)
    )
    if not can_edit_unit(user, current.proposer):
        raise PermissionDenied(
            _("Bara %(unit)s ändrar eller återtar sitt förslag.") % {"unit": current.proposer.name}
        )
    if message := rules.proposal_locked_message(current):
        raise ValidationError(message)
    _check_open(current.mandate_period)
    return current


@transaction.atomic
def proposal_save(*, proposal: GoalProposal, user, expected_version: int) -> GoalProposal:
    """The proposing committee edits its proposal until the council acts on it; the
    proposer and the period stay as they were."""
    current = _check_editable(proposal, user)
    proposal.proposer_id, proposal.mandate_period_id = (
        current.proposer_id,
        current.mandate_period_id,
    )
    proposal.status = current.status
    proposal.full_clean()
    return versioned_save(
        proposal, user=user, expected_version=expected_version, reason=_("Ändrat")
    )


@transaction.atomic
def proposal_withdraw(*, proposal: GoalProposal, user, expected_version: int) -> GoalProposal:
    """The proposing committee withdraws its proposal; it stays visible as "Återtaget"."""
    current = _check_editable(proposal, user)
    current.status = ProposalStatus.WITHDRAWN
    return versioned_save(
        current, user=user, expected_version=expected_version, reason=_("Återtaget")
    )


@transaction.atomic
def proposal_comment_add(*, proposal: GoalProposal, unit: OrgUnit, text: str, user):
    """A committee comments on a proposal (its own or another committee's)."""
    _check_open(proposal.mandate_period)
    _check_proposer(unit, user)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    comment = ProposalComment(proposal=proposal, unit=unit, text=text, author=user)
    comment.full_clean()
    return attributed_save(comment, user=user, reason=_("Kommenterat"))


def _require_council(user) -> None:
    if not can_manage_periods(user):
        raise PermissionDenied(_("Bara kommunfullmäktiges controller behandlar målförslag."))


def _open_proposals(pks) -> list[GoalProposal]:
    proposals = list(
        GoalProposal.objects.select_for_update()
        .filter(pk__in=pks)
        .select_related("mandate_period", "proposer")
        .order_by("pk")
    )
    if not proposals:
        raise ValidationError(_("Välj minst ett förslag."))
    for p in proposals:
        if not p.is_open:
            raise ValidationError(
                _("Förslaget ”%(title)s” är redan behandlat.") % {"title": p.title}
            )
    if len({p.mandate_period_id for p in proposals}) > 1:
        raise ValidationError(_("Förslagen hör till olika mandatperioder."))
    return proposals


def council_unit() -> OrgUnit | None:
    return OrgUnit.objects.filter(kind=OrgKind.COUNCIL).order_by("path").first()


@transaction.atomic
def proposal_adopt(
    *,
    proposals: list[GoalProposal],
    title: str,
    description: str,
    perspective: Perspective,
    responsible_unit: OrgUnit,
    indicator_name: str,
    indicator_unit: str,
    direction: str,
    baseline_value: Decimal | None,
    baseline_year: int | None,
    end_target: Decimal | None,
    decision_reference: str,
    decided_on: datetime.date,
    user,
) -> Goal:
    """The council adopts one proposal, or several merged into one, as its own goal
    with the decision; a suggested indicator becomes the goal's indicator, owned by
    ``responsible_unit`` (the committee that sets the yearly progression), and the end
    target its target for the period's last year, fixed by the council
    (:class:`CouncilTarget`). With a baseline, the years before are filled linearly
    (the default progression the committee then adjusts)."""
    _require_council(user)
    proposals = _open_proposals([p.pk for p in proposals])
    period = proposals[0].mandate_period
    if not decision_reference:
        raise ValidationError(
            {"decision_reference": _("Ange beslutet: diarienummer eller paragraf.")}
        )
    if not decided_on:
        raise ValidationError({"decided_on": _("Ange beslutsdatum.")})
    if end_target is not None and not indicator_name:
        raise ValidationError({"indicator_name": _("Ett slutmål behöver en indikator.")})
    council = council_unit()
    if council is None:
        raise ValidationError(_("Det finns inget kommunfullmäktige i organisationen."))
    first = proposals[0]
    goal = Goal(
        level=GoalLevel.COUNCIL,
        owner=council,
        mandate_period=period,
        title=title,
        description=description,
        perspective=perspective,
        status=GoalStatus.ADOPTED,
        decision_reference=decision_reference[:60],
        decided_on=decided_on,
        responsible=first.responsible,
        **{f: all(getattr(p, f) for p in proposals) for f in SMART_FIELDS},
    )
    goal.full_clean()
    versioned_save(goal, user=user, expected_version=None, reason=_("Antaget från målförslag"))
    if indicator_name:
        indicator = Indicator(
            name=indicator_name,
            unit=indicator_unit,
            direction=direction,
            baseline_value=baseline_value,
            baseline_year=baseline_year,
            responsible_unit=responsible_unit,
        )
        indicator.full_clean()
        versioned_save(indicator, user=user, expected_version=None, reason=_("Skapad"))
        indicator._history_user = user
        indicator.goals.set([goal])
        if end_target is not None:
            if baseline_value is not None and baseline_year is not None:
                targets_fill_linear(
                    indicator=indicator, period=period, end_value=end_target, user=user
                )
            else:
                targets_save(indicator=indicator, values={period.end_year: end_target}, user=user)
            fixed = CouncilTarget(
                goal=goal,
                indicator=indicator,
                year=period.end_year,
                decision_reference=decision_reference,
                decided_on=decided_on,
            )
            attributed_save(fixed, user=user, reason=_("Fastställt av kommunfullmäktige"))
    status = ProposalStatus.ADOPTED if len(proposals) == 1 else ProposalStatus.MERGED
    for p in proposals:
        p.status, p.goal = status, goal
        p.decision_reference, p.decided_on = decision_reference, decided_on
        versioned_save(p, user=user, expected_version=p.version, reason=str(p.get_status_display()))
    return goal


_SMART = (
    "smart_specific",
    "smart_measurable",
    "smart_accepted",
    "smart_realistic",
    "smart_timebound",
)


@transaction.atomic
def proposal_decline(
    *, proposal: GoalProposal, user, decision_reference: str = "", decided_on=None
) -> GoalProposal:
    """The council does not adopt a proposal; it stays visible as "Inte antaget"."""
    _require_council(user)
    (proposal,) = _open_proposals([proposal.pk])
    proposal.status = ProposalStatus.NOT_ADOPTED
    proposal.decision_reference = decision_reference
    proposal.decided_on = decided_on
    return versioned_save(
        proposal, user=user, expected_version=proposal.version, reason=_("Inte antaget")
    )
