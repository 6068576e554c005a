"""Goal and activity workflows that touch several rows or check state."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from goals.models import Goal, GoalStatus
from ledmot.services import versioned_save

# Which lifecycle steps are allowed from which status.
TRANSITIONS: dict[str, set[str]] = {
    GoalStatus.PROPOSED: {GoalStatus.ADOPTED, GoalStatus.ENDED},
    GoalStatus.ADOPTED: {GoalStatus.REVISED, GoalStatus.ENDED},
    GoalStatus.REVISED: {GoalStatus.REVISED, GoalStatus.ENDED},
    GoalStatus.ENDED: set(),
}


@transaction.atomic
def goal_set_status(
    *,
    goal: Goal,
    status: str,
    user,
    expected_version: int,
    decision_reference: str = "",
    decision_paragraph: str = "",
    decided_on=None,
):
    """Move a goal through its lifecycle (adopt, revise, end) with its decision."""
    if status not in TRANSITIONS[goal.status]:
        raise ValidationError(
            _("Ett mål med status %(old)s kan inte få status %(new)s.")
            % {"old": goal.get_status_display().lower(), "new": GoalStatus(status).label.lower()}
        )
    if status in (GoalStatus.ADOPTED, GoalStatus.REVISED):
        if not (decision_reference or decision_paragraph or goal.decision_reference):
            raise ValidationError(
                {"decision_reference": _("Ange beslutet: diarienummer eller paragraf.")}
            )
        if not (decided_on or goal.decided_on):
            raise ValidationError({"decided_on": _("Ange beslutsdatum.")})
    goal.status = status
    if decision_reference:
        goal.decision_reference = decision_reference
    if decision_paragraph:
        goal.decision_paragraph = decision_paragraph
    if decided_on:
        goal.decided_on = decided_on
    reason = {
        GoalStatus.ADOPTED: _("Antaget"),
        GoalStatus.REVISED: _("Reviderat"),
        GoalStatus.ENDED: _("Avslutat"),
    }[status]
    return versioned_save(goal, user=user, expected_version=expected_version, reason=reason)
