"""What a unit's (or a committee's) report page shows (read model): the goals with
their assessment forms and the roll-up of the assessments below, the activities,
the reports below, what is missing before submission, and the period's values."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from followup.access import can_approve_report, can_edit_report, can_unapprove_report
from followup.assignments import asked_q
from followup.dashboard import PER_PAGE, count_cells, state_counts, state_row
from followup.extensions import REPORT_PAGE_SECTIONS, extra_sections
from followup.forms import ReturnForm
from followup.models import ActivityUpdate, AssignmentUpdate, GoalAssessment, Report
from followup.rules import (
    counted_assessment,
    late_states,
    report_missing,
    report_state,
    round_period,
    state_of,
)
from followup.submitted_values import submitted_rows
from goals.fulfilment import Assessment
from goals.models import Activity, Assignment, Goal, Indicator
from goals.results import build_rows
from goals.rules import measured_in
from ledmot.lib.prepared import prepared_rows
from ledmot.models import OrgKind, OrgUnit

#: What the page's value rows read of an indicator (``goals.results.build_rows``,
#: ``result_rows``, ``submitted_rows``): a committee has ~70 indicators, and model rows
#: (with their latest value's row) were a third of the value rows' time.
SHOWN_FIELDS = (
    "pk",
    "name",
    "unit",
    "frequency",
    "gender_breakdown",
    "ended_on",
    "latest__sort_key",
)


class _Latest(NamedTuple):
    sort_key: str | None


class ShownIndicator:
    """An indicator as the report page's value rows show it (read only)."""

    __slots__ = (
        "ended_on",
        "frequency",
        "gender_breakdown",
        "latest",
        "name",
        "pk",
        "responsible_unit",
        "unit",
    )

    def __init__(self, pk, name, unit, frequency, gender_breakdown, ended_on, sort_key, org_unit):
        self.pk, self.name, self.unit, self.frequency = pk, name, unit, frequency
        self.gender_breakdown, self.ended_on = gender_breakdown, ended_on
        self.latest = _Latest(sort_key)
        self.responsible_unit = org_unit

    @property
    def responsible_unit_id(self) -> int:
        return self.responsible_unit.pk

    def measured_in(self, period) -> bool:
        return measured_in(self.ended_on, period)


#: What the page shows of an assignment and of its update in the report.
SHOWN_ASSIGNMENT_FIELDS = (
    "pk",
    "title",
    "decision_reference",
    "due",
    "status",
    "giver__name",
    "goal__title",
    "mine__pk",
    "mine__status",
    "mine__comment",
    "mine__version",
)
#: How the page writes an assignment's due date.
DUE = "j F Y"

#: What the page shows of an assessment (in the model's order of fields: model instances
#: are made from them as the ORM makes them) and its goal (a committee has ~50).
SHOWN_ASSESSMENT_FIELDS = [
    f.attname
    for f in GoalAssessment._meta.concrete_fields
    if f.attname
    in {"id", "goal_id", "proposed", "chosen", "analysis", "measures", "justification", "version"}
]


def value_periods(report: Report):
    """The unit's indicators (``{pk: indicator}``, by name) and the round's period of each.
    Their unit is the report's (one object, not one per indicator)."""
    indicators = Indicator.objects.filter(responsible_unit=report.org_unit).select_related("latest")
    indicators = {ind.pk: ind for ind in indicators.order_by("name")}
    for ind in indicators.values():
        ind.responsible_unit = report.org_unit
    return indicators, _periods(report, indicators.values())


def _periods(report: Report, indicators) -> dict:
    return {ind.pk: round_period(report.round.period_end, ind.frequency) for ind in indicators}


def _unit_indicators(*, unit):
    indicators = Indicator.objects.filter(responsible_unit=unit)
    return indicators.order_by("name").values_list(*SHOWN_FIELDS)


def value_rows(report: Report):
    """The unit's indicators with the cells of the round's period (same rules as /resultat/)."""
    indicators = [
        ShownIndicator(*row, report.org_unit)
        for row in prepared_rows(("report-indicators",), _unit_indicators, unit=report.org_unit_id)
    ]
    periods = _periods(report, indicators)
    return build_rows(indicators, timezone.localdate(), periods=periods)


def _distribution(report: Report, own_goal_ids: list[int]) -> dict[int, Counter]:
    """Per own goal of a committee's or the council's report, the distribution of the
    assessments of the goals that break it down; one in a report that does not count yet
    (a draft) is "missing" (``followup.rules``)."""
    distribution: dict[int, Counter] = defaultdict(Counter)
    if not own_goal_ids:
        return distribution
    # Raw: the grouped queryset cost a third as much to build as the query to run.
    q = connection.ops.quote_name
    tables = [q(m._meta.db_table) for m in (GoalAssessment, Goal, Report)]
    in_list = ", ".join(["%s"] * len(own_goal_ids))
    # Only table names and placeholders are formatted in; values are parameters.
    sql = f"""
        SELECT g.parent_id, a.chosen, r.status, COUNT(*)
        FROM {tables[0]} a JOIN {tables[1]} g ON g.id = a.goal_id
        JOIN {tables[2]} r ON r.id = a.report_id
        WHERE r.round_id = %s AND g.parent_id IN ({in_list})
        GROUP BY g.parent_id, a.chosen, r.status
    """  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [report.round_id, *own_goal_ids])
        for parent_id, chosen, status, n in cursor.fetchall():
            distribution[parent_id][counted_assessment(status, chosen, missing="missing")] += n
    return distribution


def _below(report: Report, page_number) -> dict:
    """The reports below a committee or the council, bounded whatever the size of the
    organisation: their counts per state; for the council per committee (the committee's
    report and the counts of the reports under it, each a link), for a committee (or an
    administration) the reports themselves, a page at a time."""
    late = late_states(report.round, timezone.localdate())
    unit = report.org_unit
    if unit.kind == OrgKind.UNIT and not unit.children.exists():
        # A unit (the kind nothing lies under) has no reports below: one probe of the
        # units under it, not every report of the round tested for its unit's path.
        return {"below_counts": count_cells(Counter(), late)}
    council = unit.kind == OrgKind.COUNCIL
    if council:  # per committee
        reports = report.round.reports.filter(org_unit__path__startswith=unit.path).exclude(
            pk=report.pk
        )
        counts = state_counts(reports)
        totals = sum(counts.values(), Counter())
    else:  # the totals only: no committee code to work out per report
        below_reports, totals = _BelowReports(report), Counter()
        for status, started, n in below_reports.counts():
            totals[state_of(status, started)] += n
    below = {"below_counts": count_cells(totals, late)}
    if not below["below_counts"]["total"]:
        return below
    if council:
        own = {
            r.org_unit.code: r
            for r in reports.filter(org_unit__kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY])
            .select_related("org_unit")
            .order_by("org_unit__order", "org_unit__name")
            if r.org_unit.committee_code == r.org_unit.code
        }
        below["below_committees"] = [
            {
                "committee": r.org_unit,
                "report": state_row(r),
                # the committee's own report is shown beside its name, not counted below it
                **count_cells(counts.get(code, Counter()) - Counter({report_state(r): 1}), late),
            }
            for code, r in own.items()
        ]
        return below
    # Only displayed: (pk, status, started, unit name) rows, no model objects.
    paginator = Paginator(below_reports, PER_PAGE)
    paginator.count = below["below_counts"]["total"]  # counted above: not a second time
    page = paginator.get_page(page_number)
    below.update(
        below=[
            state_row(BelowReport(pk, status, started, BelowUnit(name)))
            for pk, status, started, name in page.object_list
        ],
        page=page,
    )
    return below


class _BelowReports:
    """The reports below a committee's (or an administration's) report in its round, in
    the order of the organisation, read raw: their count per status (and whether
    started) and a page of them (sliced by the paginator). Their querysets cost more to
    build than to run on every report page."""

    def __init__(self, report: Report):
        q = connection.ops.quote_name
        self.tables = q(Report._meta.db_table), q(OrgUnit._meta.db_table)
        # The same LIKE as the ORM's startswith, on the indexed path.
        self.where = (
            f"r.round_id = %s AND r.id <> %s AND o.path {connection.operators['startswith']}"
        )
        path = connection.ops.prep_for_like_query(report.org_unit.path) + "%"
        self.params = [report.round_id, report.pk, path]

    def _rows(self, select: str, tail: str, params: list) -> list[tuple]:
        report, unit = self.tables
        # Only table names and placeholders are formatted in; values are parameters.
        sql = f"""
            SELECT {select} FROM {report} r JOIN {unit} o ON o.id = r.org_unit_id
            WHERE {self.where} {tail}
        """  # noqa: S608 - names from _meta
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, *params])
            return cursor.fetchall()

    def counts(self) -> list[tuple[str, bool, int]]:
        return self._rows("r.status, r.started, COUNT(*)", "GROUP BY r.status, r.started", [])

    def __getitem__(self, page: slice) -> list[tuple]:
        return self._rows(
            "r.id, r.status, r.started, o.name",
            "ORDER BY o.path, r.id LIMIT %s OFFSET %s",
            [page.stop - page.start, page.start],
        )


class BelowUnit(NamedTuple):
    name: str


class BelowReport(NamedTuple):
    """What the table of the reports below shows of one (``state_row``, ``below_rows``)."""

    pk: int
    status: str
    started: bool
    org_unit: BelowUnit


GOAL_NAMES = ("id", "title")


def _shown_assessments(*, report):
    return (
        GoalAssessment.objects.filter(report=report)
        .order_by("goal__level", "goal__order", "goal__pk")
        .values_list(*SHOWN_ASSESSMENT_FIELDS, "goal__title")
    )


def assessment_pieces(report: Report) -> list[GoalAssessment]:
    """The report's assessments in the order of their goals, each with its goal's title
    (compiled once per process, as the activities)."""
    pieces = []
    for *values, title in prepared_rows(
        ("report-assessments",), _shown_assessments, report=report.pk
    ):
        a = GoalAssessment.from_db(None, SHOWN_ASSESSMENT_FIELDS, values)  # as the ORM does
        a.report, a.goal = report, Goal.from_db(None, GOAL_NAMES, (a.goal_id, title))
        pieces.append(a)
    return pieces


def _shown_updates(*, report):
    return (
        ActivityUpdate.objects.filter(report=report)
        .order_by("activity__end", "activity__pk")
        .values_list("pk", "status", "comment", "version", "activity_id", "activity__title")
    )


def activity_pieces(report: Report) -> list[dict]:
    """The report's activities, each with its update in the report (compiled once per
    process, as the assignments). Their forms are drawn from the updates
    (``followup_rows.activity_blocks``)."""
    pieces = []
    for pk, status, comment, version, activity, title in prepared_rows(
        ("report-activities",), _shown_updates, report=report.pk
    ):
        update = ActivityUpdate(
            pk=pk, report=report, status=status, comment=comment, version=version
        )
        update.activity = Activity(pk=activity, title=title)
        pieces.append({"update": update, "form": None})
    return pieces


def _shown_assignments(*, report, year, unit=None, period_end=None):
    mine = FilteredRelation("updates", condition=Q(updates__report=report))
    return (
        Assignment.objects.filter(asked_q(report, unit=unit, year=year, period_end=period_end))
        .annotate(mine=mine)
        .order_by("due", "pk")
        .values_list(*SHOWN_ASSIGNMENT_FIELDS)
    )


def assignment_pieces(report: Report, editable: bool) -> list[dict]:
    """The report's assignments (uppdrag) in one query: each with its update in this
    report (an unsaved one, at the assignment's current status, for an assignment given
    while the round is open; only while the report can change) and its due date as the
    page writes it (compiled once per process: the ORM took 60 times as long as the
    query). Their forms are drawn from the updates (``followup_rows.assignment_blocks``)."""
    rnd = report.round
    values = {"report": report.pk}
    if editable:
        values.update(unit=report.org_unit_id, period_end=rnd.period_end)
    rows = prepared_rows(
        ("report-assignments", editable, rnd.year),
        lambda **v: _shown_assignments(year=rnd.year, **v),
        **values,
    )
    pieces = []
    for pk, title, reference, due, status, giver, goal, u_pk, u_status, comment, version in rows:
        assignment = Assignment(
            pk=pk, title=title, decision_reference=reference, due=due, status=status
        )
        assignment.giver = OrgUnit(name=giver)
        assignment.goal = None if goal is None else Goal(title=goal)
        update = AssignmentUpdate(
            pk=u_pk,
            report=report,
            assignment=assignment,
            status=status if u_pk is None else u_status,
            comment=comment or "",
            version=version or 1,
        )
        pieces.append({"assignment_update": update, "form": None, "due": date_format(due, DUE)})
    return pieces


def report_page(report: Report, user, value_rows_=None, page_number=None) -> dict:
    """The template context of the report page (``page_number``: of the reports below)."""
    editable = can_edit_report(user, report)
    # "form": only a posted one that comes back (an error, a conflict); the page's forms
    # are drawn from the assessments (followup_rows.assessment_blocks).
    items = [{"assessment": a, "form": None} for a in assessment_pieces(report)]
    distribution = _distribution(report, [i["assessment"].goal_id for i in items])
    labels = [(v, str(label)) for v, label in Assessment.choices]  # words once, not per goal
    labels.append(("missing", str(_("Ej bedömt ännu"))))
    for item in items:
        counts = distribution.get(item["assessment"].goal_id, Counter())
        item["distribution"] = [
            (value, label, n) for value, label in labels if (n := counts.get(value, 0))
        ]  # only the counts there are: the page joins them with commas
        item["has_children"] = bool(counts)
    updates = activity_pieces(report)
    value_rows_ = value_rows_ if value_rows_ is not None else value_rows(report)
    return {
        "report": report,
        "items": items,
        "updates": updates,
        "assignments": assignment_pieces(report, editable),
        "extra_sections": extra_sections(REPORT_PAGE_SECTIONS, report, user, editable),
        "editable": editable,
        "can_approve": can_approve_report(user, report),
        **_below(report, page_number),
        "missing": report_missing(i["assessment"] for i in items) if editable else [],
        "return_form": ReturnForm(initial={"version": report.version}),
        "value_rows": value_rows_,
        "submitted_rows": submitted_rows(report, value_rows_),
        "can_unapprove": can_unapprove_report(user, report),
    }
