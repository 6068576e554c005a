"""The annual or interim report of a follow-up round, as data for a PDF.

``report_document(rnd, org)`` gathers what the council is given: the vision, a
summary of goal fulfilment, then per council goal its committee goals (and, in a
committee's report, the committee's unit goals), each with the assessment made in
the round, the analysis and measures, the indicators (table and trend chart, the
same as the goal page) and the activities. A fixed number of queries whatever the
size of the municipality.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.extensions import ReportSection, report_sections
from followup.fulfilment_summary import SummaryRow, fulfilment_summary
from followup.models import ActivityUpdate, AssignmentUpdate, FollowUpRound, GoalAssessment
from followup.rules import counted_assessment, counts
from goals.fulfilment import Assessment
from goals.models import (
    ActivityStatus,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    MandatePeriod,
    Vision,
)
from goals.periods import ReportingPeriod
from goals.presentation import IndicatorView, indicator_views
from ledmot.lib.pdf import image_url
from ledmot.models import OrgKind, OrgUnit

LIVE = [GoalStatus.ADOPTED, GoalStatus.REVISED]


@dataclass
class GoalSection:
    goal: Goal
    assessment: GoalAssessment | None = None
    indicators: list[IndicatorView] = field(default_factory=list)
    activities: list[ActivityUpdate] = field(default_factory=list)
    children: list[GoalSection] = field(default_factory=list)
    unit_counts: Counter = field(default_factory=Counter)
    unit_exceptions: list[GoalAssessment] = field(default_factory=list)
    # The page the goal begins on, where it is known before the contents are laid
    # out (a report laid out in parts, followup.report_pdf).
    page: int | None = None

    @property
    def unit_distribution(self) -> list[tuple[str, int]]:
        return [(v, self.unit_counts[v]) for v, _label in Assessment.choices if self.unit_counts[v]]

    @property
    def unit_total(self) -> int:
        return sum(self.unit_counts.values())

    @property
    def chosen(self) -> str:
        a = self.assessment
        return a.chosen if a and a.chosen else Assessment.NOT_ASSESSED

    def with_descendants(self) -> list[GoalSection]:
        """The section and the goal sections under it (committee goals, unit goals)."""
        return [self, *self.children, *(u for c in self.children for u in c.children)]

    @property
    def anchor(self) -> str:
        return f"mal-{self.goal.pk}"

    @property
    def exceptions(self) -> list[ActivityUpdate]:
        """The activities a reader must know about: delayed or cancelled."""
        return [
            u
            for u in self.activities
            if u.status in (ActivityStatus.DELAYED, ActivityStatus.CANCELLED)
        ]

    @property
    def activity_counts(self) -> list[tuple[str, int]]:
        counts = Counter(u.status for u in self.activities)
        return [(label, counts[value]) for value, label in ActivityStatus.choices if counts[value]]


@dataclass
class ReportDocument:
    round: FollowUpRound
    org: OrgUnit | None
    title: str
    subtitle: str
    vision: Vision | None
    sections: list[GoalSection]
    summary_heading: str
    summary: list[SummaryRow]
    summary_total: SummaryRow
    assessment_labels: list[tuple[str, str]]
    municipality: str = ""
    generated_at: object = None
    # The trend charts, drawn as images (ledmot.lib.pdf.image_url): key → SVG.
    images: dict[str, str] = field(default_factory=dict)
    units_in_full: bool = False
    # The assignments (uppdrag) asked about in the round, with the status reported.
    assignments: list[AssignmentUpdate] = field(default_factory=list)
    # Chapters other apps add (followup.extensions.REPORT_SECTIONS).
    extra_sections: list[ReportSection] = field(default_factory=list)
    # The page each chapter before the goals begins on (anchor → page), where it is known
    # before the contents are laid out (a report laid out in parts).
    front_pages: dict[str, int] = field(default_factory=dict)

    @property
    def front_anchors(self) -> list[str]:
        """The anchors of the chapters before the goals', in order."""
        return [
            *(["vision"] if self.vision else []),
            "sammanfattning",
            *(["uppdrag"] if self.assignments else []),
            *(x.anchor for x in self.extra_sections),
        ]

    @property
    def is_committee(self) -> bool:
        return self.org is not None


def report_title(rnd: FollowUpRound, org: OrgUnit | None) -> str:
    whole = _("hela kommunen")
    return f"{rnd.kind.name} {rnd.year} – {org.name if org else whole}"


def report_document(
    rnd: FollowUpRound, org: OrgUnit | None, *, units_in_full: bool = False, details: bool = True
) -> ReportDocument:
    """Everything the report shows, for the whole municipality (``org`` None) or for
    one committee (``org`` a committee or company). A committee's unit goals are
    summarised (how they were assessed, and those not met); ``units_in_full`` shows
    each one as the committee goals are shown. Only assessments of submitted and
    approved reports are shown and counted (``followup.rules.counts``).

    ``details=False``: the goals without their indicators, charts and activities,
    which :func:`attach_details` adds chapter by chapter (a report laid out in parts
    holds one part's at a time, not the whole municipality's)."""
    period = (
        MandatePeriod.objects.filter(start_year__lte=rnd.year, end_year__gte=rnd.year)
        .select_related("vision")
        .first()
    )
    vision = getattr(period, "vision", None) if period else None

    # The round's assessments of the committee goals the report covers.
    assessments = GoalAssessment.objects.filter(
        report__round=rnd, goal__level=GoalLevel.COMMITTEE
    ).select_related("goal__owner", "report")
    if org is not None:
        assessments = assessments.filter(report__org_unit__path__startswith=org.path)

    council_goals = list(
        Goal.objects.filter(mandate_period=period, level=GoalLevel.COUNCIL, status__in=LIVE)
        .select_related("owner")
        .order_by("order", "pk")
    )
    # The council's own assessment of its goals, whatever the report's scope.
    council_assessments = {
        a.goal_id: a
        for a in GoalAssessment.objects.filter(
            report__round=rnd, goal__level=GoalLevel.COUNCIL
        ).select_related("report")
    }
    sections: dict[int, GoalSection] = {
        g.pk: GoalSection(goal=g, assessment=_counted(council_assessments.get(g.pk)))
        for g in council_goals
    }
    committee_goals: dict[int, GoalSection] = {}
    for a in assessments.order_by("goal__owner__path", "goal__order", "goal__pk"):
        section = GoalSection(goal=a.goal, assessment=_counted(a))
        committee_goals[a.goal_id] = section
        if a.goal.parent_id in sections:
            sections[a.goal.parent_id].children.append(section)

    units: dict[int, GoalSection] = {}
    if org is not None:
        units = _attach_unit_goals(rnd, committee_goals, in_full=units_in_full)

    shown = [s for s in sections.values() if s.children or org is None]
    labels = [(value, str(label)) for value, label in Assessment.choices]
    # The same count as the overview's (followup.fulfilment_summary).
    summary = fulfilment_summary(rnd, org)
    doc = ReportDocument(
        round=rnd,
        org=org,
        title=f"{rnd.kind.name} {rnd.year}",
        subtitle=org.name if org else _("Hela kommunen"),
        vision=vision,
        sections=shown,
        summary_heading=summary.heading,
        summary=summary.rows,
        summary_total=summary.total,
        assessment_labels=labels,
        municipality=settings.LEDMOT_MUNICIPALITY_NAME,
        generated_at=timezone.localtime(),
        units_in_full=bool(units) and units_in_full,
        assignments=report_assignments(rnd, org),
        extra_sections=report_sections(rnd, org),
    )
    if details:
        attach_details(doc, list(sections.values()))
    return doc


def attach_details(doc: ReportDocument, sections: list[GoalSection]) -> None:
    """The indicators (their charts into ``doc.images``) and the activities of the
    goal sections ``sections`` and those under them: four queries, whatever their
    number. :func:`forget_details` lets them go again."""
    goals = [g for s in sections for g in s.with_descendants()]
    doc.images.update(_attach_indicators(goals, doc.round))
    by_level = {GoalLevel.COMMITTEE: {}, GoalLevel.UNIT: {}}
    for g in goals:
        by_level.get(g.goal.level, {})[g.goal.pk] = g
    _attach_activities(doc.round, doc.org, by_level[GoalLevel.COMMITTEE], by_level[GoalLevel.UNIT])


def forget_details(doc: ReportDocument, sections: list[GoalSection]) -> None:
    """What :func:`attach_details` added, let go once laid out."""
    for g in (g for s in sections for g in s.with_descendants()):
        g.indicators, g.activities = [], []
    doc.images.clear()


def report_assignments(rnd: FollowUpRound, org: OrgUnit | None) -> list[AssignmentUpdate]:
    """The assignments (uppdrag) of the round's reports: in a committee's report those of
    the committee and its units, in the whole municipality's those the council gave. A
    status counts (``counted``) once its report is submitted (``followup.rules``)."""
    updates = AssignmentUpdate.objects.filter(report__round=rnd).select_related(
        "assignment__owner", "report"
    )
    if org is not None:
        updates = updates.filter(report__org_unit__path__startswith=org.path)
    else:
        updates = updates.filter(assignment__giver__kind=OrgKind.COUNCIL)
    shown = list(updates.order_by("assignment__due", "assignment__owner__path", "assignment_id"))
    for u in shown:
        u.counted = counts(u.report.status)
        u.shown_comment = u.comment if u.counted else ""
    return shown


def _counted(a: GoalAssessment | None) -> GoalAssessment | None:
    """The assessment as the report shows it: none while its report is a draft
    (``followup.rules``: only submitted and approved reports count)."""
    return a if a is not None and counts(a.report.status) else None


def _attach_indicators(sections: list[GoalSection], rnd: FollowUpRound) -> dict[str, str]:
    """Each goal's indicators, as on the goal page: three queries for all of them.
    Values of periods ending after the round's period are left out: the report
    shows what was known for the period it covers."""
    by_goal = {s.goal.pk: s for s in sections}
    links = list(
        Indicator.goals.through.objects.filter(goal_id__in=by_goal)
        .select_related("indicator")
        .order_by("indicator__name", "indicator_id")
    )
    views = {v.indicator.pk: v for v in indicator_views({link.indicator for link in links})}
    images = {}
    for v in views.values():
        v.measurements = [
            m for m in v.measurements if ReportingPeriod.parse(m.period).end <= rnd.period_end
        ]
        v.for_print = True
        key = f"chart-{v.indicator.pk}.svg"
        # Drawn narrower than on screen, so its text stays readable at 55 mm wide.
        images[key] = str(v.chart(width=320, height=210))
        v.chart_image_url = image_url(key)
    for link in links:
        by_goal[link.goal_id].indicators.append(views[link.indicator_id])
    return images


def _attach_activities(rnd, org, committee_goals, units) -> None:
    """The status each activity was given in the round, under its goal; where unit
    goals are not shown one by one, an activity under a unit goal counts for the
    committee goal it breaks down."""
    updates = ActivityUpdate.objects.filter(
        Q(activity__goal_id__in=[*committee_goals, *units])
        | Q(activity__goal__parent_id__in=committee_goals),
        report__round=rnd,
        activity__goal__level__in=[GoalLevel.COMMITTEE, GoalLevel.UNIT],
    ).select_related("activity__owner", "activity__goal")
    if org is not None:
        updates = updates.filter(report__org_unit__path__startswith=org.path)
    for u in updates.order_by("activity__end", "activity__pk"):
        goal = u.activity.goal
        target = (
            units.get(goal.pk)
            or committee_goals.get(goal.pk)
            or committee_goals.get(goal.parent_id)
        )
        if target is not None:
            target.activities.append(u)


def _attach_unit_goals(rnd, committee_goals, *, in_full: bool) -> dict[int, GoalSection]:
    """A committee's report: per committee goal, how its unit goals were assessed,
    and the unit goals not met (with analysis and measures) — the deviations the
    committee must act on. Listing every unit goal in full would make a large
    committee's report run to hundreds of pages, so it is a choice (``in_full``):
    then every unit goal gets its own section and they are returned by goal id."""
    rows = (
        GoalAssessment.objects.filter(
            report__round=rnd, goal__level=GoalLevel.UNIT, goal__parent_id__in=committee_goals
        )
        .select_related("goal__owner", "report")
        .order_by("goal__owner__path", "goal__order", "goal__pk")
    )
    units = {}
    for a in rows:
        section = committee_goals[a.goal.parent_id]
        chosen = counted_assessment(a.report.status, a.chosen)
        section.unit_counts[chosen] += 1
        if in_full:
            units[a.goal_id] = GoalSection(goal=a.goal, assessment=_counted(a))
            section.children.append(units[a.goal_id])
        elif chosen == Assessment.NOT_MET:
            section.unit_exceptions.append(a)
    return units
