"""Röda tråden: the chain of goals, a branch opened by htmx, and its Excel export."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from goals import exports
from goals.access import (
    get_goal_for_view,
)
from goals.models import (
    Activity,
    Goal,
    GoalLevel,
    MandatePeriod,
    Perspective,
)
from goals.views.common import int_list, is_fragment, pick_period, vision_of
from ledmot.access import Cap, access_for
from ledmot.lib.xlsx import sheets_response
from ledmot.models import OrgKind, OrgUnit

# --------------------------------------------------------------------------- Röda tråden


@login_required
@require_GET
def chain(request: HttpRequest) -> HttpResponse:
    user = request.user
    periods = list(MandatePeriod.objects.select_related("vision").order_by("-start_year"))
    period = pick_period(periods, request.GET.get("period"))
    perspectives = list(Perspective.objects.filter(active=True))
    committees = list(
        OrgUnit.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY], active=True).order_by(
            "order", "name"
        )
    )
    committee = next((c for c in committees if c.code == request.GET.get("namnd")), None)
    raw_perspective = request.GET.get("perspektiv", "")
    perspective = next((p for p in perspectives if str(p.pk) == raw_perspective), None)
    open_ids = set(int_list(request.GET.getlist("oppna")))
    if request.GET.get("export") == "xlsx":
        return chain_export(request, period, committee, perspective)

    council: list[Goal] = []
    orphans: list[Goal] = []
    if period is not None:
        council_qs = Goal.objects.in_period(period).filter(level=GoalLevel.COUNCIL).for_chain(user)
        if perspective:
            council_qs = council_qs.filter(perspective=perspective)
        council = list(council_qs)
        council_ids = {g.pk for g in council}
        show_ids = open_ids | (council_ids if committee else set())
        if show_ids or committee:
            children_qs = Goal.objects.filter(parent_id__in=show_ids)
            if committee:
                # The committee's goals that have lost their council goal are shown too.
                children_qs |= Goal.objects.filter(
                    mandate_period=period, level=GoalLevel.COMMITTEE, parent__isnull=True
                )
                children_qs = children_qs.filter(owner__path__startswith=committee.path)
            by_parent: dict[int | None, list[Goal]] = defaultdict(list)
            for g in children_qs.for_chain(user):
                by_parent[g.parent_id].append(g)
            orphans = by_parent.pop(None, [])
        else:
            by_parent = {}
        activities_by_goal: dict[int, list[Activity]] = defaultdict(list)
        if open_ids - council_ids:
            for a in Activity.objects.filter(goal_id__in=open_ids - council_ids).select_related(
                "owner"
            ):
                activities_by_goal[a.goal_id].append(a)
        _attach_branches(council, by_parent, activities_by_goal, show_ids)

    groups = []
    for g in council:
        if not groups or groups[-1][0] != g.perspective:
            groups.append((g.perspective, []))
        groups[-1][1].append(g)

    context = {
        "periods": periods,
        "period": period,
        "vision": vision_of(period),
        "perspectives": perspectives,
        "perspective": perspective,
        "committees": committees,
        "committee": committee,
        "groups": groups,
        "orphans": orphans,
        "goal_count": len(council),
        "can_create_council_goal": access_for(user).can_at_root(Cap.EDIT),
        "filter_query": urlencode(
            {
                k: v
                for k, v in {
                    "period": period.start_year if period else "",
                    "namnd": committee.code if committee else "",
                    "perspektiv": perspective.pk if perspective else "",
                }.items()
                if v
            }
        ),
    }
    return render(request, "goals/chain.html", context)


def chain_rows(goals) -> list[Goal]:
    """Goals rendered as closed chain rows (see ``_attach_branches``)."""
    goals = list(goals)
    _attach_branches(goals, {}, {}, set())
    return goals


def _attach_branches(goals, by_parent, activities_by_goal, open_ids):
    """Hang loaded children and activities on their goals for the template, recursively."""
    for g in goals:
        g.is_open = g.pk in open_ids
        g.loaded_children = by_parent.get(g.pk, [])
        g.loaded_activities = activities_by_goal.get(g.pk, [])
        _attach_branches(g.loaded_children, by_parent, activities_by_goal, open_ids)


@login_required
@require_GET
def goal_branch(request: HttpRequest, pk: int) -> HttpResponse:
    """The children and activities of one goal: the htmx expansion of a chain row."""
    goal = get_goal_for_view(request, pk, Goal.objects.select_related("parent"))
    if not is_fragment(request):
        # Without JavaScript: the chain page with the whole path down to this goal open.
        path = [a.pk for a in reversed(goal.ancestors())] + [goal.pk]
        params = [("period", goal.mandate_period.start_year)] + [("oppna", pk) for pk in path]
        url = reverse("goals:chain") + "?" + urlencode(params)
        return redirect(f"{url}#mal-{goal.pk}")
    children = chain_rows(Goal.objects.filter(parent=goal).for_chain(request.user))
    activities = list(goal.activities.select_related("owner"))
    return render(
        request,
        "goals/chain.html#branch",
        {"goal": goal, "children": children, "activities": activities},
    )


def chain_export(
    request: HttpRequest,
    period: MandatePeriod | None,
    committee: OrgUnit | None,
    perspective: Perspective | None,
) -> HttpResponse:
    """Röda tråden with every branch open: the council goals the filters show, each
    followed by the goals under it (only the committee's, when one is chosen), and,
    with a committee, its goals that have lost their council goal — as on the screen."""
    rows: list[Goal] = []
    if period is not None:
        goals = list(Goal.objects.in_period(period).for_chain(request.user))
        by_pk = {g.pk: g for g in goals}
        by_parent: dict[int | None, list[Goal]] = defaultdict(list)
        for g in goals:
            by_parent[g.parent_id].append(g)
        committees = {
            u.code: u for u in OrgUnit.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY])
        }

        def shown(goal: Goal) -> bool:
            return committee is None or goal.owner.path.startswith(committee.path)

        def walk(goal: Goal) -> None:
            codes = goal.owner.ancestor_codes()
            goal.export_parent = by_pk.get(goal.parent_id)
            goal.export_committee = committees.get(codes[1]) if len(codes) > 1 else None
            rows.append(goal)
            for child in by_parent.get(goal.pk, []):
                if shown(child):
                    walk(child)

        for g in by_parent.get(None, []):
            if g.level == GoalLevel.COUNCIL and (
                perspective is None or g.perspective == perspective
            ):
                walk(g)
        if committee is not None:
            for g in by_parent.get(None, []):
                if g.level == GoalLevel.COMMITTEE and shown(g):
                    walk(g)
    name = f"roda-traden-{period.start_year}" if period else "roda-traden"
    if committee is not None:
        name += f"-{committee.code}"
    return sheets_response(f"{name}.xlsx", [exports.goal_sheet(rows)])
