"""The controller's lists: activities and indicators, filtered, paged and exported.

Each list is one queryset built from the request's filters; the page shows one
page of it, ``?export=xlsx`` writes all of it (see :mod:`goals.exports`). Both
run a fixed number of queries whatever the number of rows. The Röda tråden
export lives here too, beside the chain screen's filters it mirrors.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from goals import exports, rules
from goals.fulfilment import classify
from goals.models import (
    OPEN_ACTIVITY_STATUSES,
    Activity,
    ActivityStatus,
    Frequency,
    Goal,
    GoalLevel,
    Indicator,
    IndicatorSource,
    MandatePeriod,
    Measurement,
    Perspective,
    Target,
    visible_goal_q,
)
from goals.results import is_stale
from ledmot.lib.xlsx import sheets_response
from ledmot.models import OrgKind, OrgUnit

PAGE_SIZE = 50
NBSP = "\u00a0"


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def _query_without(request: HttpRequest, *names: str) -> str:
    """The current filters as a query string, without paging or export."""
    params = [(k, v) for k, vs in request.GET.lists() for v in vs if k not in names and v]
    return urlencode(params)


def _period(request: HttpRequest) -> tuple[list[MandatePeriod], MandatePeriod | None]:
    periods = list(MandatePeriod.objects.order_by("-start_year"))
    raw = request.GET.get("period", "")
    chosen = next((p for p in periods if raw.isdigit() and p.start_year == int(raw)), None)
    if chosen is None:
        year = timezone.localdate().year
        chosen = next((p for p in periods if p.contains(year)), periods[0] if periods else None)
    return periods, chosen


@dataclass
class OrgChoice:
    unit: OrgUnit
    label: str


def _org_filter(request: HttpRequest) -> tuple[list[OrgChoice], OrgUnit | None]:
    """Organisations to filter on (down to verksamhetsområde) and the chosen one.

    A unit further down can still be chosen by code, e.g. from its unit page.
    """
    units = list(OrgUnit.objects.filter(active=True).exclude(kind=OrgKind.UNIT).order_by("path"))
    code = request.GET.get("org", "")
    chosen = next((u for u in units if u.code == code), None)
    if chosen is None and code:
        chosen = OrgUnit.objects.filter(code=code).first()
        if chosen is not None:
            units.append(chosen)
            units.sort(key=lambda u: u.path)
    choices = [OrgChoice(u, NBSP * 3 * (u.path.count("/") - 1) + u.name) for u in units]
    return choices, chosen


def _paged(request: HttpRequest, qs):
    paginator = Paginator(qs, PAGE_SIZE)
    return paginator.get_page(request.GET.get("sida"))


def _common_context(request: HttpRequest) -> dict:
    return {"filter_query": _query_without(request, "sida", "export")}


# --------------------------------------------------------------------------- activities


def activity_queryset(request: HttpRequest, today: datetime.date) -> tuple[QuerySet, dict]:
    """The activities the user may see, with the filters of the request applied."""
    periods, period = _period(request)
    orgs, org = _org_filter(request)
    qs = (
        Activity.objects.visible_to(request.user)
        .filter(goal__mandate_period=period)
        .select_related("goal__owner", "owner")
        .order_by("owner__path", "end", "pk")
    )
    if org is not None:
        qs = qs.filter(owner__path__startswith=org.path)
    status = request.GET.get("status", "")
    if status in ActivityStatus.values:
        qs = qs.filter(status=status)
    level = request.GET.get("niva", "")
    if level in GoalLevel.values:
        qs = qs.filter(goal__level=level)
    late = bool(request.GET.get("sena"))
    if late:
        qs = qs.filter(status__in=OPEN_ACTIVITY_STATUSES, end__lt=today)
    raw_year = request.GET.get("ar", "")
    year = (
        int(raw_year) if raw_year.isdigit() and period and period.contains(int(raw_year)) else None
    )
    if year is not None:
        qs = qs.filter(
            Q(start__isnull=True) | Q(start__lte=datetime.date(year, 12, 31)),
            Q(end__isnull=True) | Q(end__gte=datetime.date(year, 1, 1)),
        )
    text = request.GET.get("sok", "").strip()[:100]
    if text:
        qs = qs.filter(title__icontains=text)
    filters = {
        "periods": periods,
        "period": period,
        "orgs": orgs,
        "org": org,
        "statuses": ActivityStatus.choices,
        "status": status,
        "levels": GoalLevel.choices,
        "level": level,
        "late": late,
        "years": list(range(period.start_year, period.end_year + 1)) if period else [],
        "year": year,
        "text": text,
    }
    return qs, filters


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    qs, filters = activity_queryset(request, today)
    if wants_export(request):
        return sheets_response(
            f"aktiviteter-{today:%Y-%m-%d}.xlsx",
            [exports.activity_sheet(qs.iterator(chunk_size=2000), today)],
        )
    page = _paged(request, qs)
    for a in page.object_list:
        a.late = a.is_overdue(today)
    return render(
        request,
        "goals/activity_list.html",
        {**filters, **_common_context(request), "page": page, "today": today},
    )


# --------------------------------------------------------------------------- indicators


def _goal_choices(user) -> list[Goal]:
    period = MandatePeriod.objects.current()
    if period is None:
        return []
    return list(
        Goal.objects.visible_to(user)
        .in_period(period)
        .live()
        .filter(level__in=[GoalLevel.COUNCIL, GoalLevel.COMMITTEE])
        .order_by("level", "perspective__order", "order", "pk")
        .only("pk", "title", "level")
    )


def indicator_queryset(request: HttpRequest, today: datetime.date) -> tuple[QuerySet, dict]:
    user = request.user
    orgs, org = _org_filter(request)
    qs = Indicator.objects.select_related("responsible_unit", "latest").order_by(
        "responsible_unit__path", "name", "pk"
    )
    if org is not None:
        qs = qs.filter(responsible_unit__path__startswith=org.path)
    goals = _goal_choices(user)
    raw_goal = request.GET.get("mal", "")
    goal = None
    if raw_goal == "utan":
        qs = qs.exclude(goals__in=Goal.objects.filter(visible_goal_q(user)))
    elif raw_goal.isdigit():
        goal = next((g for g in goals if g.pk == int(raw_goal)), None)
        if goal is None:
            goal = Goal.objects.visible_to(user).filter(pk=int(raw_goal)).only("title").first()
        # A goal the user may not see filters to nothing rather than being ignored.
        qs = qs.filter(goals=goal) if goal is not None else qs.none()
    frequency = request.GET.get("frekvens", "")
    if frequency in Frequency.values:
        qs = qs.filter(frequency=frequency)
    source = request.GET.get("kalla", "")
    if source in IndicatorSource.values:
        qs = qs.filter(source=source)
    stale = bool(request.GET.get("inaktuell"))
    if stale:
        qs = qs.filter(rules.stale_q(today))
    text = request.GET.get("sok", "").strip()[:100]
    if text:
        qs = qs.filter(name__icontains=text)
    filters = {
        "orgs": orgs,
        "org": org,
        "goal_groups": [
            (label, [g for g in goals if g.level == level])
            for level, label in GoalLevel.choices
            if any(g.level == level for g in goals)
        ],
        "goal": goal,
        "raw_goal": raw_goal,
        "frequencies": Frequency.choices,
        "frequency": frequency,
        "sources": IndicatorSource.choices,
        "source": source,
        "stale": stale,
        "text": text,
    }
    return qs, filters


def _visible_goals(user) -> Prefetch:
    return Prefetch(
        "goals",
        queryset=Goal.objects.filter(visible_goal_q(user))
        .order_by("level", "order", "pk")
        .only("pk", "title", "level"),
        to_attr="export_goals",
    )


def _decorate(indicators, today: datetime.date) -> None:
    for ind in indicators:
        latest = getattr(ind, "latest", None)
        ind.stale = is_stale(ind, today)
        ind.outcome = classify(
            ind.direction,
            latest.value if latest else None,
            latest.target if latest else None,
        )


@login_required
@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Indicators with their latest value and target. Indicators and their results are
    public to every logged-in user (as on the indicator page); the goals listed beside
    them are only those the user may see."""
    today = timezone.localdate()
    qs, filters = indicator_queryset(request, today)
    if wants_export(request):
        indicators = list(qs.prefetch_related(_visible_goals(request.user)))
        _decorate(indicators, today)
        ids = qs.values("pk")
        order = ("indicator__responsible_unit__path", "indicator__name", "indicator_id")
        targets = (
            Target.objects.filter(indicator__in=ids)
            .select_related("indicator")
            .order_by(*order, "year")
        )
        measurements = (
            Measurement.objects.filter(indicator__in=ids)
            .select_related("indicator", "entered_by")
            .order_by(*order, "sort_key", "gender")
        )
        return sheets_response(
            f"indikatorer-{today:%Y-%m-%d}.xlsx",
            exports.indicator_sheets(
                indicators,
                targets.iterator(chunk_size=2000),
                measurements.iterator(chunk_size=2000),
            ),
        )
    page = _paged(request, qs.prefetch_related(_visible_goals(request.user)))
    _decorate(page.object_list, today)
    return render(
        request,
        "goals/indicator_list.html",
        {**filters, **_common_context(request), "page": page, "today": today},
    )


# --------------------------------------------------------------------------- Röda tråden


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
