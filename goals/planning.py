"""Planning the next year or mandate period: the read model of the "Planera <år>" screen.

The plan of a year is built from the goals of the mandate period that holds the year
before (the *source*), into the period that holds the year (the *target*: the same
period for a year inside it, the next one across a mandate boundary). Every live goal
gets a choice (continue, revise, end) defaulting from its latest assessment; the
controller's changes are kept on the :class:`~goals.models.YearPlan`. Across a mandate
boundary each committee goal kept is mapped to a council goal of the new period (by
default its old parent's successor; the controller may pick another, e.g. one adopted
from a proposal). The open assignments are listed too, each carried on or ended. The
services
(``goals.services.year_plan_create`` / ``year_plan_adopt``) read the same rows, so the
preview shows exactly what confirming creates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from goals.models import (
    OPEN_ACTIVITY_STATUSES,
    Activity,
    Assignment,
    Goal,
    GoalLevel,
    GoalStatus,
    MandatePeriod,
    PlanChoice,
    YearPlan,
)
from ledmot.models import OrgKind, OrgUnit

LEVEL_ORDER = (GoalLevel.COUNCIL, GoalLevel.COMMITTEE, GoalLevel.UNIT)


def default_choice(assessment: str | None) -> str:
    """The suggestion from the goal's latest assessment: a goal met continues, one
    partly or not met is revised, one never assessed continues."""
    if assessment in ("partly", "not_met"):
        return PlanChoice.REVISE
    return PlanChoice.CONTINUE


@dataclass
class PlanRow:
    pk: int
    level: str
    title: str
    status: str
    owner_id: int
    owner_name: str
    owner_path: str
    parent_id: int | None
    assessment: str | None
    assessment_round: str | None
    default: str
    choice: str
    successor_id: int | None = None
    breaks: bool = False  # its chain would be broken in the new plan
    committee_id: int | None = None
    new_parent_id: int | None = None  # a council goal of the new period picked for it

    @property
    def level_label(self) -> str:
        return GoalLevel(self.level).label

    @property
    def assessment_label(self) -> str:
        from goals.fulfilment import Assessment

        return Assessment(self.assessment).label if self.assessment else _("Ej bedömt")


@dataclass
class AssignmentRow:
    """An open assignment and whether it is carried into the new plan."""

    pk: int
    title: str
    owner_name: str
    goal_id: int | None
    due: object
    status: str
    choice: str

    @property
    def status_label(self) -> str:
        from goals.models import AssignmentStatus

        return AssignmentStatus(self.status).label


#: The choices for an assignment: carried on into the new plan, or ended.
ASSIGNMENT_CHOICES = (PlanChoice.CONTINUE, PlanChoice.END)


@dataclass
class Plan:
    """What a plan for ``year`` holds and will create."""

    year: int
    source: MandatePeriod | None
    target: MandatePeriod | None  # None: the next period does not exist yet (created)
    target_span: tuple[int, int]
    plan: YearPlan | None
    rows: list[PlanRow] = field(default_factory=list)
    #: Across a mandate boundary: the council goals of the new period a committee goal
    #: can be mapped to (pk, title), when the new period exists.
    council_options: list[tuple[int, str]] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)

    @property
    def crosses_mandate(self) -> bool:
        return self.source is not None and not self.source.contains(self.year)

    def creates_goal(self, row: PlanRow) -> bool:
        """A new draft goal for ``row``: every continued or revised goal across a mandate
        boundary, a revised one inside a period."""
        if row.choice == PlanChoice.END:
            return False
        return self.crosses_mandate or row.choice == PlanChoice.REVISE

    def counts(self) -> dict[str, int]:
        by = dict.fromkeys(PlanChoice.values, 0)
        for r in self.rows:
            by[r.choice] += 1
        return {
            **by,
            "new_goals": sum(self.creates_goal(r) for r in self.rows),
            "broken": sum(r.breaks for r in self.rows),
        }

    def broken_rows(self) -> list[PlanRow]:
        return [r for r in self.rows if r.breaks]

    def maps_parent(self, row: PlanRow) -> bool:
        """The committee goal's new council goal is chosen on the screen: across a
        mandate boundary, for a committee goal that is kept."""
        return (
            self.crosses_mandate
            and row.level == GoalLevel.COMMITTEE
            and row.choice != PlanChoice.END
        )

    def assignment_counts(self) -> dict[str, int]:
        ended = sum(a.choice == PlanChoice.END for a in self.assignments)
        return {"continue": len(self.assignments) - ended, "end": ended}


def periods_for(year: int) -> tuple[MandatePeriod | None, MandatePeriod | None, tuple[int, int]]:
    """The source period (holding ``year - 1``), the target period (holding ``year``;
    None if not created yet) and the target's years (a new period as long as the
    source)."""
    source = MandatePeriod.objects.filter(start_year__lte=year - 1, end_year__gte=year - 1).first()
    target = MandatePeriod.objects.filter(start_year__lte=year, end_year__gte=year).first()
    if target is not None:
        span = (target.start_year, target.end_year)
    elif source is not None:
        span = (year, year + source.end_year - source.start_year)
    else:
        span = (year, year + 3)
    return source, target, span


def build_plan(year: int) -> Plan:
    """Every live goal of the source period with its choice, successor and whether its
    chain would break: a handful of queries whatever the number of goals."""
    source, target, span = periods_for(year)
    plan = YearPlan.objects.filter(year=year).first()
    result = Plan(year=year, source=source, target=target, target_span=span, plan=plan)
    if source is None:
        return result
    chosen = plan.choices if plan else {}
    rows = (
        Goal.objects.filter(mandate_period=source)
        .exclude(status=GoalStatus.ENDED)
        .with_chain_columns()
        .values_list(
            "pk",
            "level",
            "title",
            "status",
            "owner_id",
            "owner__name",
            "owner__path",
            "parent_id",
            "followup_assessment",
            "followup_round",
        )
        .order_by("owner__path", "order", "pk")
    )
    for pk, level, title, status, owner, name, path, parent, assessment, rnd in rows.iterator(
        chunk_size=2000
    ):
        default = default_choice(assessment)
        result.rows.append(
            PlanRow(
                pk=pk,
                level=level,
                title=title,
                status=status,
                owner_id=owner,
                owner_name=name,
                owner_path=path,
                parent_id=parent,
                assessment=assessment,
                assessment_round=rnd,
                default=default,
                choice=chosen.get(str(pk), default),
            )
        )
    if target is not None and result.crosses_mandate:
        result.council_options = list(
            Goal.objects.filter(mandate_period=target, level=GoalLevel.COUNCIL)
            .exclude(status=GoalStatus.ENDED)
            .order_by("order", "pk")
            .values_list("pk", "title")
        )
        options = {pk for pk, _title in result.council_options}
        parents = plan.parents if plan else {}
        for r in result.rows:
            picked = parents.get(str(r.pk))
            if r.level == GoalLevel.COMMITTEE and picked in options:
                r.new_parent_id = picked
    result.assignments = assignment_rows(year, plan)
    if target is not None:
        successors = dict(
            Goal.objects.filter(mandate_period=target, predecessor__mandate_period=source)
            .exclude(predecessor=None)
            .values_list("predecessor_id", "pk")
        )
        for r in result.rows:
            r.successor_id = successors.get(r.pk)
    _mark_breaks(result)
    _mark_committees(result.rows)
    return result


def _mark_breaks(plan: Plan) -> None:
    """A goal kept (continued or revised) whose parent is ended or not in the plan, or
    whose parent's chain breaks, would have a broken chain in the new plan."""
    by_pk = {r.pk: r for r in plan.rows}
    for level in LEVEL_ORDER:
        for r in plan.rows:
            if r.level != level or r.choice == PlanChoice.END or level == GoalLevel.COUNCIL:
                continue
            if r.new_parent_id is not None:
                r.breaks = False  # mapped to a council goal of the new period
                continue
            parent = by_pk.get(r.parent_id)
            r.breaks = parent is None or parent.choice == PlanChoice.END or parent.breaks


def _mark_committees(rows: list[PlanRow]) -> None:
    """The committee (or company) above each goal's owner; None for the council."""
    committees = dict(
        OrgUnit.objects.filter(kind__in=(OrgKind.COMMITTEE, OrgKind.COMPANY)).values_list(
            "path", "pk"
        )
    )
    for r in rows:
        parts = r.owner_path.split("/")
        for k in range(2, len(parts)):
            found = committees.get("/".join(parts[:k]) + "/")
            if found:
                r.committee_id = found
                break


def open_assignments(year: int):
    """The assignments the plan of ``year`` carries on or ends: those still open and
    given before the year."""
    from django.db.models import Q

    return Assignment.objects.open().filter(Q(decided_on=None) | Q(decided_on__year__lt=year))


def assignment_rows(year: int, plan: YearPlan | None) -> list[AssignmentRow]:
    chosen = plan.assignment_choices if plan else {}
    return [
        AssignmentRow(
            pk=pk,
            title=title,
            owner_name=owner,
            goal_id=goal,
            due=due,
            status=status,
            choice=chosen.get(str(pk), PlanChoice.CONTINUE),
        )
        for pk, title, owner, goal, due, status in open_assignments(year)
        .order_by("owner__path", "due", "pk")
        .values_list("pk", "title", "owner__name", "goal_id", "due", "status")
    ]


def open_activities(source: MandatePeriod, goal_ids: set[int]) -> list[Activity]:
    """The activities that continue with their goal (``goal_ids``): those still open
    and not continued yet."""
    return [
        a
        for a in Activity.objects.filter(
            goal__mandate_period=source, status__in=OPEN_ACTIVITY_STATUSES, successors=None
        ).order_by("pk")
        if a.goal_id in goal_ids
    ]


def goal_lineage(user, goal: Goal, *, depth: int = 10) -> tuple[list[Goal], list[Goal]]:
    """The goal's history across years and periods: the goals it continues (nearest
    first) and those that continue it, as ``user`` may see them."""
    from goals.models import visible_goal_q

    earlier, node = [], goal
    while node.predecessor_id and len(earlier) < depth:
        node = (
            Goal.objects.filter(pk=node.predecessor_id)
            .select_related("mandate_period")
            .filter(visible_goal_q(user))
            .first()
        )
        if node is None:
            break
        earlier.append(node)
    later = list(
        goal.successors.filter(visible_goal_q(user))
        .select_related("mandate_period")
        .order_by("mandate_period__start_year", "pk")
    )
    return earlier, later
