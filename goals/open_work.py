"""The goals' part of "work still open on a unit" (``ledmot.extensions``): counted
before a unit is deactivated, and handed over to the unit that takes it over."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from goals import rules
from goals.models import LIVE_STATUSES, OPEN_ACTIVITY_STATUSES, Activity, Goal, Indicator
from ledmot.services import versioned_save


def _open(unit_ids):
    return (
        Goal.objects.filter(owner_id__in=unit_ids, status__in=LIVE_STATUSES),
        Activity.objects.filter(owner_id__in=unit_ids, status__in=OPEN_ACTIVITY_STATUSES),
        Indicator.objects.filter(responsible_unit_id__in=unit_ids, ended_on__isnull=True),
    )


def goals_open_work(unit_ids: list[int]) -> list[tuple[str, int]]:
    goals, activities, indicators = _open(unit_ids)
    return [
        (_("mål som gäller"), goals.count()),
        (_("aktiviteter som pågår"), activities.count()),
        (_("indikatorer som mäts"), indicators.count()),
    ]


@transaction.atomic
def goals_open_work_transfer(*, unit_ids: list[int], to_unit, user) -> None:
    """Hand the live goals, open activities and measured indicators of the units over to
    ``to_unit``, each saved with its version bumped and the user and reason in its
    history. Refused whole (nothing moved) if a goal's level or an activity's goal does
    not fit the receiving unit (the rules of ``goals.rules``)."""
    goals, activities, indicators = _open(unit_ids)
    reason = _("Övertaget av %(unit)s") % {"unit": to_unit.name}
    errors = []
    moved_goals = {}
    for goal in goals.select_for_update():
        if error := rules.goal_owner_error(goal.level, to_unit):
            errors.append(f"{goal.title}: {error}")
            continue
        goal.owner = to_unit
        moved_goals[goal.pk] = versioned_save(goal, user=user, expected_version=None, reason=reason)
    for activity in activities.select_related("goal__owner").select_for_update(of=("self",)):
        goal_owner = (
            moved_goals[activity.goal_id].owner
            if activity.goal_id in moved_goals
            else activity.goal.owner
        )
        if error := rules.activity_errors(
            start=None, end=None, owner=to_unit, goal_owner=goal_owner
        ).get("owner"):
            errors.append(f"{activity.title}: {error}")
            continue
        activity.owner = to_unit
        versioned_save(activity, user=user, expected_version=None, reason=reason)
    for indicator in indicators.select_for_update():
        indicator.responsible_unit = to_unit
        versioned_save(indicator, user=user, expected_version=None, reason=reason)
    if errors:
        raise ValidationError(errors)
