"""Access helpers for goals and activities: 404 out of scope, 403 read-only.

Every goals view fetches its object through one of these; the rules themselves
live in :mod:`ledmot.access`.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from goals.models import Activity, Assignment, Goal
from ledmot.access import Cap, access_for, refusal
from ledmot.models import OrgUnit


def can_edit_unit(user, unit: OrgUnit) -> bool:
    return access_for(user).can(Cap.EDIT, unit)


def can_edit_goal(user, goal: Goal) -> bool:
    return can_edit_unit(user, goal.owner)


def get_goal_for_view(request, pk, queryset=None) -> Goal:
    qs = queryset if queryset is not None else Goal.objects.select_related("owner", "perspective")
    return get_object_or_404(qs.visible_to(request.user), pk=pk)


def get_goal_for_edit(request, pk, queryset=None) -> Goal:
    goal = get_goal_for_view(request, pk, queryset)
    if not can_edit_goal(request.user, goal):
        raise refusal(Cap.EDIT, goal.owner)
    return goal


def get_activity_for_edit(request, pk) -> Activity:
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("goal__owner", "owner"), pk=pk
    )
    if not (
        can_edit_unit(request.user, activity.owner) or can_edit_goal(request.user, activity.goal)
    ):
        raise refusal(Cap.EDIT, activity.owner)
    return activity


def get_unit_for_view(request, pk) -> OrgUnit:
    # The organisation itself is public to every logged-in user.
    if not request.user.is_authenticated:  # pragma: no cover - views are login_required
        raise Http404
    return get_object_or_404(OrgUnit.objects.select_related("parent"), pk=pk)


def editable_units(user, kinds=None, within: OrgUnit | None = None):
    """Units where ``user`` may write, optionally limited to kinds and a subtree."""
    access = access_for(user)
    qs = OrgUnit.objects.filter(access.units_q(Cap.EDIT, field=""))
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs.filter(active=True).order_by("path")


def can_manage_periods(user) -> bool:
    """Periods and the vision belong to the whole municipality: managed at the council."""
    return access_for(user).can_at_root(Cap.MANAGE)


def require_period_manager(request) -> None:
    if not can_manage_periods(request.user):
        raise refusal(Cap.MANAGE, at_root=True)


# --------------------------------------------------------------------------- assignments


def can_give_assignments(user) -> bool:
    """Whether ``user`` manages a unit that gives assignments (the council, a committee)."""
    from goals import rules

    return editable_units(user, kinds=rules.ASSIGNMENT_GIVER_KINDS).exists()


def can_edit_assignment(user, assignment: Assignment) -> bool:
    """Those who manage the giving unit write the assignment."""
    return can_edit_unit(user, assignment.giver)


def get_assignment_for_view(request, pk) -> Assignment:
    """Assignments are decisions of the council or a committee: every signed-in user
    reads them (the views are login_required)."""
    qs = Assignment.objects.select_related("giver", "owner", "goal__owner")
    return get_object_or_404(qs, pk=pk)


def get_assignment_for_edit(request, pk) -> Assignment:
    assignment = get_assignment_for_view(request, pk)
    if not can_edit_assignment(request.user, assignment):
        raise refusal(Cap.EDIT, assignment.giver)
    return assignment
