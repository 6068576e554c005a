"""What is public: the one place that decides it.

The public portal (``/oppen/``), its open data (CSV, JSON, DCAT-AP-SE) and the API's
anonymous access all read through these functions, so they show exactly the same
things. Nothing is public by default; a controller publishes (``portal.services``).

- a **round** is public when it is closed and published (``published_rounds``);
- a **goal** is public when it is adopted and a council or committee goal
  (``public_goals``): proposals, drafts, revised and ended goals and the units' own
  goals are not;
- an **assessment** is public when it belongs to an approved report of a public round
  and to a public goal (``public_assessments``); only its chosen assessment, analysis
  and measures are shown — never the proposal, the justification, return comments
  or who wrote it;
- an **indicator** is public when it measures a public goal (``public_indicators``);
  its **values** when their period ended by the latest public round's period end
  (``public_measurements``; the values' comments and who entered them are not);
- a **report PDF** is public when it is finished, published and its round is public
  (``published_reports``);
- the **vision** of the current mandate period (``public_vision``).

Names of officials never appear: a goal's ``responsible`` (a role or function, as the
form asks) is the only person-like field shown.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, QuerySet

from followup.models import (
    FollowUpRound,
    GeneratedReport,
    GoalAssessment,
    ReportStatus,
    RoundStatus,
)
from goals.models import (
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    KoladaValue,
    MandatePeriod,
    Measurement,
    Target,
    Vision,
)
from ledmot.models import JobStatus
from portal.models import ReportPublication, RoundPublication

#: The goal levels the public sees: the council's and the committees' goals.
PUBLIC_LEVELS = (GoalLevel.COUNCIL, GoalLevel.COMMITTEE)

#: The fields of each kind of object that may be shown to the public (portal, open
#: data, anonymous API). Anything not listed stays internal.
PUBLIC_FIELDS = {
    "goal": (
        "id",
        "level",
        "title",
        "description",
        "perspective",
        "owner",
        "parent",
        "shared",
        "decision_reference",
        "decision_paragraph",
        "decided_on",
        "responsible",
        "mandate_period",
    ),
    "assessment": ("goal", "round", "chosen", "analysis", "measures"),
    "indicator": (
        "id",
        "name",
        "description",
        "unit",
        "decimals",
        "direction",
        "frequency",
        "kind",
        "kolada_id",
        "gender_breakdown",
        "baseline_value",
        "baseline_year",
    ),
    "measurement": ("indicator", "period", "gender", "value"),
    "target": ("indicator", "year", "value"),
    "report": ("id", "title", "round", "org_unit", "pages", "size", "sha256", "created_at"),
}


def portal_enabled() -> bool:
    """``LEDMOT_PUBLIC_PORTAL`` (default on): off answers every public address with 404,
    and the API's anonymous access with nothing."""
    return bool(getattr(settings, "LEDMOT_PUBLIC_PORTAL", True))


def published_rounds() -> QuerySet[FollowUpRound]:
    """Closed rounds a controller has published, newest first."""
    return (
        FollowUpRound.objects.filter(
            status=RoundStatus.CLOSED,
            publication__published=True,
        )
        .select_related("kind")
        .order_by("-period_end", "kind__order", "pk")
    )


def latest_published_round() -> FollowUpRound | None:
    return published_rounds().first()


def public_goals(*, mandate_period: MandatePeriod | None = None) -> QuerySet[Goal]:
    """Adopted council and committee goals (of one mandate period when given)."""
    goals = Goal.objects.filter(status=GoalStatus.ADOPTED, level__in=PUBLIC_LEVELS)
    if mandate_period is not None:
        goals = goals.filter(mandate_period=mandate_period)
    return goals


def public_assessments(*, rounds: QuerySet[FollowUpRound] | None = None) -> QuerySet:
    """The chosen assessments of approved reports in published rounds, for public goals."""
    rounds = published_rounds() if rounds is None else rounds
    return GoalAssessment.objects.filter(
        report__status=ReportStatus.APPROVED,
        report__round__in=rounds.values("pk"),
        goal__in=public_goals().values("pk"),
    ).exclude(chosen="")


def latest_public_assessments(goals) -> dict[int, GoalAssessment]:
    """Per goal id, its latest public assessment (the latest published round's), in
    two queries whatever the number of goals. The goal's owner's own report wins when
    several reports assess the same goal in a round."""
    goal_ids = [g.pk for g in goals]
    if not goal_ids:
        return {}
    rows = (
        public_assessments()
        .filter(goal_id__in=goal_ids)
        .select_related("report__round__kind", "report")
        .only(
            "goal_id",
            "chosen",
            "analysis",
            "measures",
            "report__org_unit_id",
            "report__round__period_end",
            "report__round__year",
            "report__round__kind__name",
        )
        .order_by("goal_id", "-report__round__period_end", "-report__round__pk")
    )
    owners = {g.pk: g.owner_id for g in goals}
    latest: dict[int, GoalAssessment] = {}
    for row in rows:
        seen = latest.get(row.goal_id)
        if seen is None or (
            seen.report.round_id == row.report.round_id
            and seen.report.org_unit_id != owners[row.goal_id]
            and row.report.org_unit_id == owners[row.goal_id]
        ):
            latest[row.goal_id] = row
    return latest


def public_indicators() -> QuerySet[Indicator]:
    """Indicators that measure at least one public goal."""
    through = Indicator.goals.through
    return Indicator.objects.filter(
        Exists(
            through.objects.filter(
                indicator_id=OuterRef("pk"), goal__in=public_goals().values("pk")
            )
        )
    )


def measurement_cutoff(rnd: FollowUpRound | None) -> int | None:
    """The last ``Measurement.sort_key`` whose period has ended by the round's period
    end (a year sorts after its months and tertials: see ``goals.periods``)."""
    if rnd is None:
        return None
    end: datetime.date = rnd.period_end
    return end.year * 100 + (99 if end.month == 12 and end.day == 31 else end.month)


def public_measurements(*, latest_round: FollowUpRound | None = None) -> QuerySet[Measurement]:
    """Values of public indicators for periods that ended by the latest published
    round's period end. None while nothing is published."""
    rnd = latest_round if latest_round is not None else latest_published_round()
    cutoff = measurement_cutoff(rnd)
    if cutoff is None:
        return Measurement.objects.none()
    return Measurement.objects.filter(
        indicator__in=public_indicators().values("pk"),
        sort_key__lte=cutoff,
        value__isnull=False,
    )


def public_targets() -> QuerySet[Target]:
    """The adopted targets of public indicators."""
    return Target.objects.filter(indicator__in=public_indicators().values("pk"))


def public_kolada_values(kpis) -> QuerySet[KoladaValue]:
    """Kolada's own published figures for comparison (already public at Kolada)."""
    return KoladaValue.objects.filter(kpi__in=[k for k in kpis if k])


def published_reports() -> QuerySet[GeneratedReport]:
    """Finished report PDFs that a controller published, of published rounds."""
    return (
        GeneratedReport.objects.filter(
            publication__published=True,
            status=JobStatus.DONE,
            round__in=published_rounds().values("pk"),
        )
        .exclude(file="")
        .select_related("round__kind", "org_unit")
    )


def public_vision() -> Vision | None:
    """The vision of the current mandate period, if adopted."""
    period = MandatePeriod.objects.current()
    if period is None:
        return None
    return Vision.objects.filter(mandate_period=period).first()


def is_public(obj) -> bool:
    """Whether one object may be shown to the public (portal, open data, anonymous API)."""
    if not portal_enabled():
        return False
    checks = {
        FollowUpRound: published_rounds,
        Goal: public_goals,
        GoalAssessment: public_assessments,
        Indicator: public_indicators,
        Measurement: public_measurements,
        Target: public_targets,
        GeneratedReport: published_reports,
    }
    for model, queryset in checks.items():
        if isinstance(obj, model):
            return obj.pk is not None and queryset().filter(pk=obj.pk).exists()
    if isinstance(obj, Vision):
        vision = public_vision()
        return vision is not None and vision.pk == obj.pk
    return False


def last_changed() -> datetime.datetime | None:
    """When what the public sees last changed (for Last-Modified and ETag): the latest
    publication or withdrawal, change to a public goal, to an indicator or a target
    (their history), or Kolada sync (the comparison values, and the municipality's own
    values it writes). A closed round's values are locked, so publishing is what changes
    assessments and entered values. Each is one indexed MAX: the cost does not grow with
    the data."""
    stamps = [
        RoundPublication.objects.aggregate(t=Max("changed_at"))["t"],
        ReportPublication.objects.aggregate(t=Max("changed_at"))["t"],
        public_goals().aggregate(t=Max("updated_at"))["t"],
        Vision.objects.aggregate(t=Max("decided_on"))["t"],
        Indicator.history.aggregate(t=Max("history_date"))["t"],
        Target.history.aggregate(t=Max("history_date"))["t"],
        KoladaValue.objects.aggregate(t=Max("fetched_at"))["t"],
    ]
    stamps = [
        t if isinstance(t, datetime.datetime) else _midnight(t) for t in stamps if t is not None
    ]
    return max(stamps) if stamps else None


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


__all__ = [
    "PUBLIC_FIELDS",
    "PUBLIC_LEVELS",
    "is_public",
    "last_changed",
    "latest_public_assessments",
    "latest_published_round",
    "measurement_cutoff",
    "portal_enabled",
    "public_assessments",
    "public_goals",
    "public_indicators",
    "public_kolada_values",
    "public_measurements",
    "public_targets",
    "public_vision",
    "published_reports",
    "published_rounds",
]
