"""Screens of the goal chain: Röda tråden, goal page, unit page, structure analysis."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from goals.access import (
    can_edit_goal,
    can_edit_unit,
    can_manage_periods,
    editable_units,
    get_activity_for_edit,
    get_goal_for_edit,
    get_goal_for_view,
    get_unit_for_view,
    require_period_manager,
)
from goals.exports import structure_sheet
from goals.forms import (
    ActivityForm,
    BudgetYearForm,
    GoalForm,
    GoalStatusForm,
    MandatePeriodForm,
    VisionForm,
)
from goals.fulfilment import combine, tolerance
from goals.models import (
    CHILD_LEVEL,
    OWNER_KINDS,
    SMART_FIELDS,
    Activity,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    MandatePeriod,
    Perspective,
    Vision,
)
from goals.presentation import indicator_views
from goals.results import is_stale
from goals.services import TRANSITIONS, goal_set_status
from ledmot.access import Cap, access_for
from ledmot.conflicts import conflict_context
from ledmot.history import build_entries, history_entries
from ledmot.lib.xlsx import sheets_response
from ledmot.models import OrgKind, OrgUnit
from ledmot.services import ConflictError, attributed_save, versioned_save


def _is_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _pick_period(periods: list[MandatePeriod], raw: str | None) -> MandatePeriod | None:
    if raw and raw.isdigit():
        for p in periods:
            if p.start_year == int(raw):
                return p
    year = timezone.localdate().year
    for p in periods:
        if p.contains(year):
            return p
    return periods[0] if periods else None


def _vision_of(period: MandatePeriod | None):
    try:
        return period.vision if period else None
    except MandatePeriod.vision.RelatedObjectDoesNotExist:
        return None


def _int_list(values) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:50]


# --------------------------------------------------------------------------- Röda tråden


@login_required
@require_GET
def chain(request: HttpRequest) -> HttpResponse:
    user = request.user
    periods = list(MandatePeriod.objects.select_related("vision").order_by("-start_year"))
    period = _pick_period(periods, request.GET.get("period"))
    perspectives = list(Perspective.objects.filter(active=True))
    committees = list(
        OrgUnit.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY], active=True).order_by(
            "order", "name"
        )
    )
    committee = next((c for c in committees if c.code == request.GET.get("namnd")), None)
    raw_perspective = request.GET.get("perspektiv", "")
    perspective = next((p for p in perspectives if str(p.pk) == raw_perspective), None)
    open_ids = set(_int_list(request.GET.getlist("oppna")))
    if request.GET.get("export") == "xlsx":
        from goals.list_views import chain_export

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
        "vision": _vision_of(period),
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


def _rows(goals) -> list[Goal]:
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
    if not _is_fragment(request):
        # Without JavaScript: the chain page with the whole path down to this goal open.
        path = [a.pk for a in reversed(goal.ancestors())] + [goal.pk]
        params = [("period", goal.mandate_period.start_year)] + [("oppna", pk) for pk in path]
        url = reverse("goals:chain") + "?" + urlencode(params)
        return redirect(f"{url}#mal-{goal.pk}")
    children = _rows(Goal.objects.filter(parent=goal).for_chain(request.user))
    activities = list(goal.activities.select_related("owner"))
    return render(
        request,
        "goals/chain.html#branch",
        {"goal": goal, "children": children, "activities": activities},
    )


# --------------------------------------------------------------------------- goal page


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
    goal = get_goal_for_view(request, pk, _goal_page_queryset())
    user = request.user
    indicator_rows = indicator_views(
        goal.indicators.select_related("responsible_unit").order_by("name")
    )
    context = {
        "goal": goal,
        "tab": "overview",
        "vision": _vision_of(goal.mandate_period),
        "ancestors": _visible_ancestors(user, goal),
        "chain_problems": goal.chain_problems(),
        "children": _rows(Goal.objects.filter(parent=goal).for_chain(user)),
        "activities": list(goal.activities.select_related("owner")),
        "indicators": indicator_rows,
        "proposal": combine([v.outcome for v in indicator_rows]),
        "tolerance_percent": int(tolerance() * 100),
        "can_edit": can_edit_goal(user, goal),
        "transitions": _transition_buttons(goal),
        "child_level": CHILD_LEVEL.get(goal.level),
    }
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
        "vision": _vision_of(goal.mandate_period),
        "ancestors": _visible_ancestors(request.user, goal),
        "entries": _goal_and_activity_history(goal),
        "can_edit": can_edit_goal(request.user, goal),
    }
    return render(request, "goals/goal_detail.html", context)


# --------------------------------------------------------------------------- writing goals


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    parent = None
    raw_parent = request.POST.get("parent") or request.GET.get("overordnat")
    if raw_parent and raw_parent.isdigit():
        parent = get_goal_for_view(request, int(raw_parent), _goal_page_queryset())
    if parent is not None:
        level = CHILD_LEVEL.get(parent.level)
        if level is None:
            raise PermissionDenied
        period = parent.mandate_period
    else:
        level = request.GET.get("niva") or request.POST.get("niva") or GoalLevel.COUNCIL
        if level not in GoalLevel.values:
            level = GoalLevel.COUNCIL
        periods = list(MandatePeriod.objects.order_by("-start_year"))
        period = _pick_period(periods, request.GET.get("period") or request.POST.get("period"))
        if period is None:
            messages.error(request, _("Det finns ingen mandatperiod att skapa mål i."))
            return redirect("goals:chain")
    # A unit goal is written by someone who may edit a unit under the parent's committee.
    within = None
    if parent is not None and level == GoalLevel.UNIT:
        within = parent.owner.committee() or parent.owner
    owners = list(editable_units(user, kinds=OWNER_KINDS[level], within=within)[:2])
    if not owners:
        raise PermissionDenied
    initial = {}
    if parent is not None:
        initial = {"parent": parent, "perspective": parent.perspective_id}
    if len(owners) == 1:
        initial["owner"] = owners[0].pk
    parent_owner = None
    hint = request.GET.get("enhet", "")
    if hint.isdigit() and parent is None:
        # Started from a unit page: that unit owns the goal, if the user may write for it,
        # and the goals of its committee are the ones to break down.
        unit = OrgUnit.objects.filter(pk=int(hint)).first()
        if unit and unit.kind in OWNER_KINDS[level] and can_edit_unit(user, unit):
            initial["owner"] = unit.pk
            if level == GoalLevel.UNIT:
                parent_owner = unit.committee()
    form = GoalForm(
        request.POST or None,
        user=user,
        level=level,
        period=period,
        initial=initial,
        parent_owner=parent_owner,
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
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            versioned_save(
                form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc.current)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("goals:goal_detail", pk=goal.pk)
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


# --------------------------------------------------------------------------- activities


def _render_activity_form(request, form, goal, activity=None, conflict=None, status=200):
    template = (
        "goals/activity_form.html#activity-form"
        if _is_fragment(request)
        else "goals/activity_form.html"
    )
    return render(
        request,
        template,
        {"form": form, "goal": goal, "activity": activity, "conflict": conflict},
        status=status,
    )


def _render_activity_list(request, goal):
    """After an inline save: replace the whole activity section, not just the form."""
    response = render(
        request,
        "goals/goal_detail.html#activity-list",
        {
            "goal": goal,
            "activities": list(goal.activities.select_related("owner")),
            "can_edit": can_edit_goal(request.user, goal),
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
        if _is_fragment(request):
            return _render_activity_list(request, goal)
        messages.success(request, _("Aktiviteten är tillagd."))
        return redirect(reverse("goals:goal_detail", args=[goal.pk]) + "#aktiviteter")
    return _render_activity_form(request, form, goal)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_edit(request, pk)
    goal = activity.goal
    form = ActivityForm(request.POST or None, instance=activity, user=request.user, goal=goal)
    if request.method == "POST" and form.is_valid():
        try:
            versioned_save(
                form.instance, user=request.user, expected_version=form.cleaned_data.get("version")
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc.current)
            return _render_activity_form(
                request, form, goal, activity, conflict, status=200 if request.htmx else 409
            )
        if _is_fragment(request):
            return _render_activity_list(request, goal)
        messages.success(request, _("Aktiviteten är sparad."))
        return redirect(reverse("goals:goal_detail", args=[goal.pk]) + "#aktiviteter")
    return _render_activity_form(request, form, goal, activity)


# --------------------------------------------------------------------------- units


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_view(request, pk)
    user = request.user
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=settings.LEDMOT_DUE_SOON_DAYS)
    periods = list(MandatePeriod.objects.order_by("-start_year"))
    period = _pick_period(periods, request.GET.get("period"))
    goals = _rows(
        Goal.objects.filter(owner=unit, mandate_period=period)
        .for_chain(user)
        .order_by("level", "perspective__order", "order", "pk")
    )
    activities = list(
        Activity.objects.visible_to(user)
        .filter(owner=unit, goal__mandate_period=period)
        .select_related("goal")
        .order_by("end", "pk")
    )
    due = [
        a
        for a in activities
        if a.is_overdue(today)
        or (a.end and a.end <= soon and a.status in ("not_started", "in_progress", "delayed"))
    ]
    live = [g for g in goals if g.status != GoalStatus.ENDED]
    ancestors = list(OrgUnit.objects.filter(code__in=unit.ancestor_codes()[:-1]).order_by("path"))
    context = {
        "unit": unit,
        "period": period,
        "periods": periods,
        "goals": goals,
        "activities": activities,
        "due": due,
        "goals_without_indicator": [g for g in live if not g.indicator_count],
        "goals_without_activity": [
            g for g in live if g.level == GoalLevel.UNIT and not g.activity_count
        ],
        "indicators": [
            (ind, is_stale(ind, today))
            for ind in Indicator.objects.filter(responsible_unit=unit)
            .select_related("latest")
            .order_by("name")
        ],
        "children": list(unit.children.filter(active=True).order_by("order", "name")),
        "ancestors": ancestors,
        "can_edit": can_edit_unit(user, unit),
        "child_level": _unit_goal_level(unit),
        "committee": next(
            (a for a in ancestors if a.kind == OrgKind.COMMITTEE),
            unit if unit.kind == OrgKind.COMMITTEE else None,
        ),
        "today": today,
        "soon_days": settings.LEDMOT_DUE_SOON_DAYS,
    }
    return render(request, "goals/unit_detail.html", context)


def _unit_goal_level(unit: OrgUnit) -> str | None:
    for level, kinds in OWNER_KINDS.items():
        if unit.kind in kinds:
            return level
    return None


@login_required
@require_GET
def my_unit(request: HttpRequest) -> HttpResponse:
    ids = access_for(request.user).home_unit_ids()
    if ids:
        return redirect("goals:unit_detail", pk=ids[0])
    return render(request, "goals/no_unit.html")


# --------------------------------------------------------------------------- Målstrukturanalys


@login_required
@require_GET
def structure(request: HttpRequest) -> HttpResponse:
    user = request.user
    periods = list(MandatePeriod.objects.order_by("-start_year"))
    period = _pick_period(periods, request.GET.get("period"))
    units = {
        u.code: u
        for u in OrgUnit.objects.filter(
            kind__in=[OrgKind.COUNCIL, OrgKind.COMMITTEE, OrgKind.COMPANY]
        )
    }
    rows: dict[str, dict] = {}
    if period is not None:
        goals = (
            Goal.objects.in_period(period)
            .live()
            .visible_to(user)
            .select_related("owner")
            .with_counts(user)
            .with_chain_state()
            .order_by("level", "order", "pk")
        )
        for g in goals:
            codes = g.owner.ancestor_codes()
            key = codes[1] if len(codes) > 1 else codes[0]
            row = rows.setdefault(
                key,
                {
                    "unit": units.get(key),
                    "counts": dict.fromkeys(GoalLevel.values, 0),
                    "no_indicator": [],
                    "no_activity": [],
                    "no_parent": [],
                    "smart_incomplete": [],
                    "stale": [],
                    "total": 0,
                },
            )
            row["counts"][g.level] += 1
            row["total"] += 1
            if not g.indicator_count:
                row["no_indicator"].append(g)
            if not g.activity_count and (g.level == GoalLevel.UNIT or not g.child_count):
                # A unit goal needs activities; a goal above it needs them or a breakdown.
                row["no_activity"].append(g)
            if g.chain_broken:
                row["no_parent"].append(g)
            if not (all(getattr(g, f) for f in SMART_FIELDS) and g.responsible):
                row["smart_incomplete"].append(g)
        # Indicators without a value whose reporting deadline has passed.
        today = timezone.localdate()
        for ind in Indicator.objects.select_related("latest", "responsible_unit").order_by("name"):
            codes = ind.responsible_unit.ancestor_codes()
            key = codes[1] if len(codes) > 1 else codes[0]
            if key in rows and is_stale(ind, today):
                rows[key]["stale"].append(ind)

    def place(row):
        unit = row["unit"]
        if unit is None:
            return (3, 0, "")
        rank = {OrgKind.COUNCIL: 0, OrgKind.COMMITTEE: 1}.get(unit.kind, 2)
        return (rank, unit.order, unit.name)

    ordered = sorted(rows.values(), key=place)
    for row in ordered:
        row["too_many"] = row["counts"][GoalLevel.COMMITTEE] > settings.LEDMOT_MAX_COMMITTEE_GOALS
        row["weak"] = len(
            {
                g.pk
                for k in ("no_indicator", "no_activity", "no_parent", "smart_incomplete")
                for g in row[k]
            }
        )
    if request.GET.get("export") == "xlsx":
        name = f"malstrukturanalys-{period.start_year}.xlsx" if period else "malstrukturanalys.xlsx"
        return sheets_response(name, [structure_sheet(ordered)])
    return render(
        request,
        "goals/structure.html",
        {
            "period": period,
            "periods": periods,
            "rows": ordered,
            "levels": GoalLevel,
            "max_committee_goals": settings.LEDMOT_MAX_COMMITTEE_GOALS,
        },
    )


# --------------------------------------------------------------------------- periods


@login_required
@require_GET
def periods(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "goals/periods.html",
        {
            "periods": MandatePeriod.objects.select_related("vision").prefetch_related("years"),
            "can_manage": can_manage_periods(request.user),
        },
    )


def _period_form_page(request, form, title, back=None):
    return render(request, "goals/period_form.html", {"form": form, "title": title, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    require_period_manager(request)
    form = MandatePeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = form.save(commit=False)
        attributed_save(period, user=request.user, reason=_("Skapad"))
        messages.success(request, _("Mandatperioden %(p)s är skapad.") % {"p": period})
        return redirect("goals:periods")
    return _period_form_page(request, form, _("Ny mandatperiod"))


@login_required
@require_http_methods(["GET", "POST"])
def year_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_period_manager(request)
    period = get_object_or_404(MandatePeriod, pk=pk)
    form = BudgetYearForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        year = form.save(commit=False)
        attributed_save(year, user=request.user, reason=_("Skapat"))
        messages.success(request, _("%(y)s är tillagt.") % {"y": year})
        return redirect("goals:periods")
    return _period_form_page(
        request, form, _("Nytt budgetår i mandatperioden %(p)s") % {"p": period}
    )


@login_required
@require_http_methods(["GET", "POST"])
def vision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_period_manager(request)
    period = get_object_or_404(MandatePeriod.objects.select_related("vision"), pk=pk)
    vision = _vision_of(period) or Vision(mandate_period=period)
    form = VisionForm(request.POST or None, instance=vision)
    if request.method == "POST" and form.is_valid():
        attributed_save(form.instance, user=request.user, reason=_("Vision"))
        messages.success(request, _("Visionen för %(p)s är sparad.") % {"p": period})
        return redirect("goals:periods")
    return _period_form_page(request, form, _("Vision för mandatperioden %(p)s") % {"p": period})
