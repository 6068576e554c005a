"""Röda tråden: the chain of goals, a branch opened by htmx, and its Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from goals import exports
from goals.access import get_goal_for_view
from goals.assignments import chain_assignments
from goals.chain import (
    branch_path,
    chain_filters,
    chain_tree,
    child_rows,
    export_name,
    export_rows,
)
from goals.extensions import START_NOTICES
from goals.models import Goal
from goals.views.common import is_fragment
from ledmot.access import Cap, access_for
from ledmot.lib.xlsx import sheets_response


@login_required
@require_GET
def chain(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = chain_filters(request.GET)
    if request.GET.get("export") == "xlsx":
        rows = export_rows(user, filters)
        return sheets_response(export_name(filters), [exports.goal_sheet(rows)])
    tree = chain_tree(user, filters)
    context = {
        "periods": filters.periods,
        "period": filters.period,
        "vision": filters.vision,
        "perspectives": filters.perspectives,
        "perspective": filters.perspective,
        "committees": filters.committees,
        "committee": filters.committee,
        "groups": tree.groups,
        "orphans": tree.orphans,
        "goal_count": tree.goal_count,
        "can_create_council_goal": access_for(user).can_at_root(Cap.EDIT),
        "filter_query": filters.query(),
        "start_notices": [html for notices in START_NOTICES if (html := notices(request))],
        "assignments": chain_assignments(filters.committee),
    }
    return render(request, "goals/chain.html", context)


@login_required
@require_GET
def goal_branch(request: HttpRequest, pk: int) -> HttpResponse:
    """The children and activities of one goal: the htmx expansion of a chain row."""
    goal = get_goal_for_view(request, pk, Goal.objects.select_related("parent"))
    if not is_fragment(request):
        # Without JavaScript: the chain page with the whole path down to this goal open.
        url = reverse("goals:chain") + "?" + urlencode(branch_path(goal))
        return redirect(f"{url}#mal-{goal.pk}")
    children = child_rows(request.user, goal)
    activities = list(goal.activities.select_related("owner"))
    return render(
        request,
        "goals/chain.html#branch",
        {"goal": goal, "children": children, "activities": activities},
    )
