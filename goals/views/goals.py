"""The goal page and its tabs, and writing goals: create, edit, change status."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goals.access import (
    can_edit_goal,
    can_edit_unit,
    editable_units,
    get_goal_for_edit,
    get_goal_for_view,
)
from goals.chain import child_rows
from goals.extensions import GOAL_PAGE_SECTIONS
from goals.filters import pick_period
from goals.forms import GoalForm, GoalStatusForm
from goals.fulfilment import combine, tolerance
from goals.models import (
    CHILD_LEVEL,
    OWNER_KINDS,
    Activity,
    Goal,
    GoalLevel,
    GoalStatus,
    MandatePeriod,
)
from goals.planning import goal_lineage
from goals.presentation import RECENT_PERIODS, by_kind, indicator_views
from goals.services import TRANSITIONS, goal_set_status
from goals.views.common import vision_of
from ledmot.access import Cap, access_for, refusal
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.history import build_entries, history_entries
from ledmot.models import OrgUnit
from ledmot.services import ConflictError, versioned_save


def _goal_page_queryset():
    return Goal.objects.select_related(
        "owner",
        "perspective",
        "mandate_period__vision",
        "parent__owner",
        "parent__parent__owner",
    )


def _visible_ancestors(user, goal: Goal) -> list[Goal]:
    access = access_for(user)
    return [a for a in reversed(goal.ancestors()) if a.is_public or access.can(Cap.VIEW, a.owner)]


@login_required
@require_GET
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # With the latest follow-up assessment (goals.extensions.CHAIN_COLUMNS), beside the
    # indicators' proposal.
    goal = get_goal_for_view(request, pk, _goal_page_queryset().with_chain_columns())
    user = request.user
    indicator_rows = by_kind(
        indicator_views(
            goal.indicators.select_related("responsible_unit").order_by("name"),
            recent=RECENT_PERIODS,
        )
    )
    context = {
        "goal": goal,
        "tab": "overview",
        "vision": vision_of(goal.mandate_period),
        "ancestors": _visible_ancestors(user, goal),
        "chain_problems": goal.chain_problems(),
        "children": child_rows(user, goal),
        "activities": list(goal.activities.select_related("owner")),
        "indicators": indicator_rows,
        "grouped_by_kind": True,
        "proposal": combine([v.outcome for v in indicator_rows]),
        "smart": goal.smart_checklist(measured=bool(indicator_rows)),
        "tolerance_percent": int(tolerance() * 100),
        "can_edit": can_edit_goal(user, goal),
        "transitions": _transition_buttons(goal),
        "child_level": CHILD_LEVEL.get(goal.level),
    }
    context["earlier"], context["later"] = goal_lineage(user, goal)
    context["sections"] = [s for make in GOAL_PAGE_SECTIONS if (s := make(goal, user))]
    return render(request, "goals/goal_detail.html", context)


def _transition_buttons(goal: Goal) -> list[tuple[str, str]]:
    labels = {
        GoalStatus.ADOPTED: _("Anta"),
        GoalStatus.REVISED: _("Registrera revidering"),
        GoalStatus.ENDED: _("Avsluta"),
    }
    return [
        (s, labels[s])
        for s in (GoalStatus.ADOPTED, GoalStatus.REVISED, GoalStatus.ENDED)
        if s in TRANSITIONS[goal.status]
    ]


def _goal_and_activity_history(goal: Goal):
    """The goal's own changes and its activities', merged newest first."""
    activity_records = Activity.history.filter(goal_id=goal.pk).select_related("history_user")
    entries = history_entries(goal) + build_entries(
        Activity, activity_records, subject_attr="title"
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)


@login_required
@require_GET
def goal_history(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_view(request, pk, _goal_page_queryset())
    context = {
        "goal": goal,
        "tab": "history",
        "vision": vision_of(goal.mandate_period),
        "ancestors": _visible_ancestors(request.user, goal),
        "entries": _goal_and_activity_history(goal),
        "can_edit": can_edit_goal(request.user, goal),
    }
    return render(request, "goals/goal_detail.html", context)


# --------------------------------------------------------------------------- writing goals


@dataclass
class _NewGoal:
    """What a new goal will be: its level and period, the goal it breaks down, the form's
    initial values, and the committee whose goals it may break down (from a unit page)."""

    level: str
    period: MandatePeriod
    parent: Goal | None
    initial: dict
    parent_owner: OrgUnit | None = None


def _new_goal(request: HttpRequest) -> _NewGoal | None:
    """The new goal the request asks for; 403 if the user may write none; None if no period."""
    user = request.user
    parent = None
    raw_parent = request.POST.get("parent") or request.GET.get("overordnat")
    if raw_parent and raw_parent.isdigit():
        parent = get_goal_for_view(request, int(raw_parent), _goal_page_queryset())
    if parent is not None:
        level = CHILD_LEVEL.get(parent.level)
        if level is None:
            raise PermissionDenied(
                _("Enhetsmål är den lägsta nivån; de nås genom aktiviteter, inte fler mål.")
            )
        period = parent.mandate_period
    else:
        level = request.GET.get("niva") or request.POST.get("niva") or GoalLevel.COUNCIL
        if level not in GoalLevel.values:
            level = GoalLevel.COUNCIL
        periods = list(MandatePeriod.objects.order_by("-start_year"))
        period = pick_period(periods, request.GET.get("period") or request.POST.get("period"))
        if period is None:
            return None
    # A unit goal is written by someone who may edit a unit under the parent's committee.
    within = None
    if parent is not None and level == GoalLevel.UNIT:
        within = parent.owner.committee() or parent.owner
    owners = list(editable_units(user, kinds=OWNER_KINDS[level], within=within)[:2])
    if not owners:
        raise refusal(Cap.EDIT, within)
    new = _NewGoal(level=level, period=period, parent=parent, initial={})
    if parent is not None:
        new.initial = {"parent": parent, "perspective": parent.perspective_id}
    if len(owners) == 1:
        new.initial["owner"] = owners[0].pk
    hint = request.GET.get("enhet", "")
    if hint.isdigit() and parent is None:
        # Started from a unit page: that unit owns the goal, if the user may write for it,
        # and the goals of its committee are the ones to break down.
        unit = OrgUnit.objects.filter(pk=int(hint)).first()
        if unit and unit.kind in OWNER_KINDS[level] and can_edit_unit(user, unit):
            new.initial["owner"] = unit.pk
            if level == GoalLevel.UNIT:
                new.parent_owner = unit.committee()
    return new


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    new = _new_goal(request)
    if new is None:
        messages.error(request, _("Det finns ingen mandatperiod att skapa mål i."))
        return redirect("goals:chain")
    level, parent, period = new.level, new.parent, new.period
    form = GoalForm(
        request.POST or None,
        user=user,
        level=level,
        period=period,
        initial=new.initial,
        parent_owner=new.parent_owner,
    )
    if request.method == "POST" and form.is_valid():
        goal = form.save(commit=False)
        with transaction.atomic():
            versioned_save(goal, user=user, expected_version=None, reason=_("Skapat"))
        messages.success(
            request, _("Målet ”%(title)s” är skapat som förslag.") % {"title": goal.title}
        )
        return redirect("goals:goal_detail", pk=goal.pk)
    return render(
        request,
        "goals/goal_form.html",
        {"form": form, "level": GoalLevel(level), "parent": parent, "period": period, "goal": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_edit(request, pk, _goal_page_queryset())
    if goal.status == GoalStatus.ENDED:
        messages.error(request, _("Ett avslutat mål kan inte ändras."))
        return redirect("goals:goal_detail", pk=goal.pk)
    form = GoalForm(
        request.POST or None,
        instance=goal,
        user=request.user,
        level=goal.level,
        period=goal.mandate_period,
    )
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: versioned_save(
                form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("goals:goal_detail", pk=goal.pk)
    conflict = outcome.conflict
    return render(
        request,
        "goals/goal_form.html",
        {
            "form": form,
            "level": GoalLevel(goal.level),
            "parent": goal.parent,
            "period": goal.mandate_period,
            "goal": goal,
            "conflict": conflict,
        },
        status=409 if conflict and not request.htmx else 200,
    )


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_edit(request, pk)
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ogiltig begäran."))
        return redirect("goals:goal_detail", pk=goal.pk)
    try:
        goal_set_status(
            goal=goal,
            status=form.cleaned_data["status"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
            decision_reference=form.cleaned_data["decision_reference"],
            decision_paragraph=form.cleaned_data["decision_paragraph"],
            decided_on=form.cleaned_data["decided_on"],
        )
    except ConflictError:
        messages.error(
            request,
            _(
                "Målet har ändrats av någon annan sedan du öppnade sidan. "
                "Läs den nya versionen och försök igen."
            ),
        )
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(
            request, _("Målet har nu status %(s)s.") % {"s": goal.get_status_display().lower()}
        )
    return redirect("goals:goal_detail", pk=goal.pk)
