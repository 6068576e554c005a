"""Writing a goal's activities, inline on the goal page or on a page of their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from goals.access import can_edit_goal, get_activity_for_edit, get_goal_for_edit
from goals.forms import ActivityForm
from goals.models import GoalStatus
from goals.views.common import is_fragment
from ledmot.conflicts import save_form
from ledmot.services import versioned_save


def _render_activity_form(request, form, goal, activity=None, conflict=None, status=200):
    template = (
        "goals/activity_form.html#activity-form"
        if is_fragment(request)
        else "goals/activity_form.html"
    )
    return render(
        request,
        template,
        {"form": form, "goal": goal, "activity": activity, "conflict": conflict},
        status=status,
    )


def _render_activity_list(request, goal, note: str):
    """After an inline save: replace the whole activity section, not just the form, and
    say what happened."""
    response = render(
        request,
        "goals/goal_detail.html#activity-list",
        {
            "goal": goal,
            "activities": list(goal.activities.select_related("owner")),
            "can_edit": can_edit_goal(request.user, goal),
            "note": note,
        },
    )
    return reswap(retarget(response, "#activity-section"), "innerHTML")


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_edit(request, pk)
    if goal.status == GoalStatus.ENDED:
        raise PermissionDenied
    form = ActivityForm(request.POST or None, user=request.user, goal=goal)
    if request.method == "POST" and form.is_valid():
        activity = form.save(commit=False)
        versioned_save(activity, user=request.user, expected_version=None, reason=_("Skapad"))
        note = _("Aktiviteten är tillagd.")
        if is_fragment(request):
            return _render_activity_list(request, goal, note)
        messages.success(request, note)
        return redirect(reverse("goals:goal_detail", args=[goal.pk]) + "#aktiviteter")
    return _render_activity_form(request, form, goal)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_edit(request, pk)
    goal = activity.goal
    form = ActivityForm(request.POST or None, instance=activity, user=request.user, goal=goal)
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: versioned_save(
                form.instance, user=request.user, expected_version=form.cleaned_data.get("version")
            ),
        )
        if not outcome.ok:
            return _render_activity_form(
                request,
                form,
                goal,
                activity,
                outcome.conflict,
                status=200 if request.htmx else outcome.status,
            )
        note = _("Aktiviteten är sparad.")
        if is_fragment(request):
            return _render_activity_list(request, goal, note)
        messages.success(request, note)
        return redirect(reverse("goals:goal_detail", args=[goal.pk]) + "#aktiviteter")
    return _render_activity_form(request, form, goal, activity)
