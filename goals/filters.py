"""The filters of the goals lists, declared once per list (django-filter, as NetBox does).

Each FilterSet is bound to the request's GET and used by the screen and by its
``?export=xlsx`` alike, so the export holds exactly the rows the screen lists.
A value that is not one of a filter's choices (a stale link, a hand-edited URL)
is a form error: that filter is left out and the rest still apply, never a 500.
The choices (periods, organisations, goals) are read once, in ``__init__``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import django_filters
from django.db.models import Q
from django.utils import timezone

from goals import rules
from goals.models import (
    OPEN_ACTIVITY_STATUSES,
    Activity,
    ActivityStatus,
    Frequency,
    Goal,
    GoalLevel,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    MandatePeriod,
    visible_goal_q,
)
from ledmot.models import PATH_SEPARATOR, OrgKind, OrgUnit

NBSP = "\u00a0"
TEXT_MAX = 100


def pick_period(periods: list[MandatePeriod], raw: str | None) -> MandatePeriod | None:
    """The period starting in year ``raw``, else the one containing today, else the latest."""
    if raw and raw.isdigit():
        for p in periods:
            if p.start_year == int(raw):
                return p
    year = timezone.localdate().year
    for p in periods:
        if p.contains(year):
            return p
    return periods[0] if periods else None


def paths_up_to(unit: OrgUnit) -> list[str]:
    """The paths of ``unit`` and of every unit above it, the council's first."""
    parts = unit.ancestor_codes()
    return ["".join(c + PATH_SEPARATOR for c in parts[:i]) for i in range(1, len(parts) + 1)]


@dataclass
class OrgChoice:
    unit: OrgUnit
    label: str


def org_choices(code: str) -> tuple[list[OrgChoice], OrgUnit | None]:
    """Organisations to filter on and the chosen one (``code``).

    Offered: the council and the committees under it; once one is chosen, also the
    units above it, beside it and directly below it, down to verksamhetsområde. One
    picks a committee, then narrows it down, so the list stays a few dozen long
    however large the municipality (every förvaltning and avdelning of a large one
    would be hundreds, and the page's cost would grow with them). A unit further down
    can still be chosen by code, e.g. from its unit page.
    """
    chosen = OrgUnit.objects.filter(code=code).first() if code else None
    top = OrgUnit.objects.filter(parent__isnull=True)
    offered = Q(parent__isnull=True) | Q(parent__in=top)
    if chosen is not None:
        offered |= Q(path__in=paths_up_to(chosen)) | Q(parent=chosen)
        if chosen.parent_id is not None:
            offered |= Q(parent_id=chosen.parent_id)
    units = list(
        OrgUnit.objects.filter(offered, active=True).exclude(kind=OrgKind.UNIT).order_by("path")
    )
    if chosen is not None and chosen not in units:
        units.append(chosen)
        units.sort(key=lambda u: u.path)
    choices = [OrgChoice(u, NBSP * 3 * (u.path.count("/") - 1) + u.name) for u in units]
    return choices, chosen


class ListFilter(django_filters.FilterSet):
    """What every goals list filters on: an organisation (its subtree) and a text."""

    org_field = ""
    text_field = ""

    org = django_filters.CharFilter(method="filter_org")
    sok = django_filters.CharFilter(method="filter_text")

    def __init__(self, data, queryset, *, today: datetime.date):
        super().__init__(data, queryset)
        self.today = today
        self.orgs, self.chosen_org = org_choices((data or {}).get("org", ""))

    def filter_org(self, queryset, name, value):
        if self.chosen_org is None:
            return queryset
        return queryset.filter(**{f"{self.org_field}__path__startswith": self.chosen_org.path})

    def filter_text(self, queryset, name, value):
        return queryset.filter(**{f"{self.text_field}__icontains": value[:TEXT_MAX]})

    def value(self, name: str):
        """The cleaned value of a filter, or ``""`` when absent or not valid."""
        self.is_valid()
        return self.form.cleaned_data.get(name) or ""

    def context(self) -> dict:
        return {"orgs": self.orgs, "org": self.chosen_org, "text": self.value("sok")[:TEXT_MAX]}


# --------------------------------------------------------------------------- activities


class ActivityFilter(ListFilter):
    """``/aktiviteter/``: always one mandate period (the current one unless chosen)."""

    org_field = "owner"
    text_field = "title"

    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices)
    niva = django_filters.ChoiceFilter(field_name="goal__level", choices=GoalLevel.choices)
    ar = django_filters.ChoiceFilter(method="filter_year", choices=[])
    sena = django_filters.CharFilter(method="filter_late")

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, data, *, user, today: datetime.date):
        self.periods = list(MandatePeriod.objects.order_by("-start_year"))
        self.period = pick_period(self.periods, (data or {}).get("period"))
        self.user = user
        super().__init__(data, self._activities(goal__mandate_period=self.period), today=today)
        self.years = (
            list(range(self.period.start_year, self.period.end_year + 1)) if self.period else []
        )
        self.filters["ar"].extra["choices"] = [(str(y), y) for y in self.years]

    def _activities(self, **period):
        return (
            Activity.objects.visible_to(self.user)
            .filter(**period)
            .select_related("goal__owner", "owner")
            .order_by("owner__path", "end", "pk")
        )

    @property
    def page_qs(self):
        """The rows of ``qs`` in the same order, for reading one page of them: the period
        matched through its start year (a join) instead of its id. Given the id, SQLite
        reads every goal of the period and sorts all their activities before taking the
        first page; through the join it walks the units in path order and each unit's
        activities by end date (the indexes of ``OrgUnit.path`` and ``Activity(owner,
        end)``) and stops after a page, whatever the size of the municipality. ``qs``
        stays as it was for the count (unordered, up to ``goals.views.lists.COUNT_CAP``
        rows past the page) and the export, which the id makes cheaper."""
        self.is_valid()
        start_year = self.period.start_year if self.period else None
        return self.filter_queryset(self._activities(goal__mandate_period__start_year=start_year))

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(
            Q(start__isnull=True) | Q(start__lte=datetime.date(year, 12, 31)),
            Q(end__isnull=True) | Q(end__gte=datetime.date(year, 1, 1)),
        )

    def filter_late(self, queryset, name, value):
        return queryset.filter(status__in=OPEN_ACTIVITY_STATUSES, end__lt=self.today)

    def context(self) -> dict:
        year = self.value("ar")
        return {
            **super().context(),
            "periods": self.periods,
            "period": self.period,
            "statuses": ActivityStatus.choices,
            "status": self.value("status"),
            "levels": GoalLevel.choices,
            "level": self.value("niva"),
            "late": bool(self.value("sena")),
            "years": self.years,
            "year": int(year) if year else None,
        }


# --------------------------------------------------------------------------- indicators


def _goal_choices(user, org: OrgUnit | None) -> list[Goal]:
    """The goals offered in the goal filter: the council's, and the committee goals of
    the chosen organisation's committee (owned by the organisation or a unit above it).
    Every committee goal of a large municipality (over a thousand) would make a list no
    one can use and a page whose cost grows with the municipality."""
    period = MandatePeriod.objects.current()
    if period is None:
        return []
    level = Q(level=GoalLevel.COUNCIL)
    if org is not None:
        level |= Q(level=GoalLevel.COMMITTEE, owner__path__in=paths_up_to(org))
    return list(
        Goal.objects.visible_to(user)
        .in_period(period)
        .live()
        .filter(level)
        .order_by("level", "perspective__order", "order", "pk")
        .only("pk", "title", "level")
    )


class IndicatorFilter(ListFilter):
    """``/indikatorer/``: every indicator (they are public to logged-in users)."""

    org_field = "responsible_unit"
    text_field = "name"

    mal = django_filters.CharFilter(method="filter_goal")
    frekvens = django_filters.ChoiceFilter(field_name="frequency", choices=Frequency.choices)
    kalla = django_filters.ChoiceFilter(field_name="source", choices=IndicatorSource.choices)
    # Motala's model: resources, performance (prestationer) and results side by side.
    typ = django_filters.ChoiceFilter(field_name="kind", choices=IndicatorKind.choices)
    inaktuell = django_filters.CharFilter(method="filter_stale")

    class Meta:
        model = Indicator
        fields: list[str] = []

    def __init__(self, data, *, user, today: datetime.date):
        queryset = Indicator.objects.select_related("responsible_unit", "latest").order_by(
            "responsible_unit__path", "name", "pk"
        )
        super().__init__(data, queryset, today=today)
        self.user = user
        self.goals = _goal_choices(user, self.chosen_org)
        self.raw_goal = (data or {}).get("mal", "")
        self.goal = None
        if self.raw_goal.isdigit():
            pk = int(self.raw_goal)
            self.goal = next((g for g in self.goals if g.pk == pk), None)
            if self.goal is None:
                self.goal = Goal.objects.visible_to(user).filter(pk=pk).only("title").first()

    def filter_goal(self, queryset, name, value):
        if value == "utan":
            return queryset.exclude(goals__in=Goal.objects.filter(visible_goal_q(self.user)))
        if not value.isdigit():
            return queryset
        # A goal the user may not see filters to nothing rather than being ignored.
        return queryset.filter(goals=self.goal) if self.goal is not None else queryset.none()

    def filter_stale(self, queryset, name, value):
        return queryset.filter(rules.stale_q(self.today))

    def context(self) -> dict:
        return {
            **super().context(),
            "goal_groups": [
                (label, [g for g in self.goals if g.level == level])
                for level, label in GoalLevel.choices
                if any(g.level == level for g in self.goals)
            ],
            "goal": self.goal,
            # A goal chosen by link that the list does not offer (a unit goal, or a
            # committee goal of another organisation) is still shown as chosen.
            "goal_outside": self.goal is not None and self.goal not in self.goals,
            "raw_goal": self.raw_goal,
            "frequencies": Frequency.choices,
            "frequency": self.value("frekvens"),
            "sources": IndicatorSource.choices,
            "source": self.value("kalla"),
            "kinds": IndicatorKind.choices,
            "kind": self.value("typ"),
            "stale": bool(self.value("inaktuell")),
        }
