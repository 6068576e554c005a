"""What the screens read of assignments (uppdrag): a unit's for a year (the
verksamhetsplan, the committee report), the list with its filters, the chain's
section. One query each, whatever the number of assignments."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db import connection
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from goals.chain import like_prefix
from goals.models import Assignment, Goal
from goals.models.assignments import OPEN_ASSIGNMENT_STATUSES
from ledmot.models import OrgUnit

#: The list's filters: ?status=… (the default shows the open ones).
STATUS_FILTERS = ("open", "overdue", "closed", "all")


def assignments_for(unit: OrgUnit, year: int, *, below: bool = False):
    """The assignments ``unit`` carries out that are live in ``year`` (given by the
    year's end, not finished before it began), by due date; ``below``: also those of
    the units under it (a committee's report). With the giver and the goal loaded."""
    owner_q = Q(owner__path__startswith=unit.path) if below else Q(owner=unit)
    return (
        Assignment.objects.filter(owner_q)
        .in_year(year)
        .select_related("giver", "owner", "goal")
        .order_by("due", "pk")
    )


def assignment_plan_section(unit: OrgUnit, year: int, user) -> dict:
    """The assignments the unit carries out in ``year``, as a section of its
    verksamhetsplan (``goals.extensions.UNIT_PLAN_SECTIONS``): on its screen, in its PDF
    and as a sheet of its Excel export. Assignments are public decisions: everyone who
    may read the plan reads them."""
    rows = [
        [
            a.title,
            a.giver.name,
            a.decision_reference or None,
            formats.date_format(a.due, "SHORT_DATE_FORMAT"),
            a.get_status_display(),
        ]
        for a in assignments_for(unit, year)
    ]
    return {
        "key": "uppdrag",
        "title": _("Uppdrag"),
        "columns": [_("Uppdrag"), _("Givet av"), _("Beslut"), _("Ska vara klart"), _("Status")],
        "rows": rows,
        "empty": _("Enheten har inga uppdrag %(year)s.") % {"year": year},
    }


def assignment_list(
    *,
    status: str = "open",
    giver: OrgUnit | None = None,
    owner: OrgUnit | None = None,
    today: datetime.date | None = None,
):
    """The assignments list's rows for its filters."""
    today = today or timezone.localdate()
    qs = Assignment.objects.select_related("giver", "owner", "goal")
    if status == "open":
        qs = qs.open()
    elif status == "overdue":
        qs = qs.overdue(today)
    elif status == "closed":
        qs = qs.exclude(pk__in=Assignment.objects.open())
    if giver is not None:
        qs = qs.filter(giver=giver)
    if owner is not None:
        qs = qs.filter(owner__path__startswith=owner.path)
    return qs.order_by("due", "pk")


#: How many assignments Röda tråden shows (the rest: a link to the list).
CHAIN_SHOWN = 20


class ChainAssignment(NamedTuple):
    """What Röda tråden shows of an assignment (``goal_rows.chain_assignment_rows``)."""

    pk: int
    title: str
    due: datetime.date
    status: str
    owner_name: str
    goal_title: str | None
    overdue: bool


def chain_assignments(committee: OrgUnit | None, today: datetime.date | None = None):
    """Röda tråden's section (one query, bounded whatever the size): the open
    assignments the council gave, or with a committee chosen those given to it or its
    units, by due date (:class:`ChainAssignment` rows, each marked ``overdue``).

    Raw SQL (the rule of :meth:`AssignmentQuerySet.open`, the statuses as parameters)
    read as plain rows: on everyone's start page, building the queryset with its joins
    cost three times the query, and a model object per row as much again."""
    today = today or timezone.localdate()
    q = connection.ops.quote_name
    unit = q(OrgUnit._meta.db_table)
    if committee is not None:
        where, params = "o.path LIKE %s ESCAPE '\\'", [like_prefix(committee.path)]
    else:
        where, params = "gv.parent_id IS NULL", []  # given by the council, at the root
    marks = ", ".join(["%s"] * len(OPEN_ASSIGNMENT_STATUSES))
    # Only table names, aliases and placeholders are formatted in; values are parameters.
    sql = f"""
        SELECT a.id, a.title, a.due, a.status, o.name AS owner_name, mal.title AS goal_title
        FROM {q(Assignment._meta.db_table)} a
        JOIN {unit} o ON o.id = a.owner_id
        JOIN {unit} gv ON gv.id = a.giver_id
        LEFT JOIN {q(Goal._meta.db_table)} mal ON mal.id = a.goal_id
        WHERE a.status IN ({marks}) AND {where}
        ORDER BY a.due, a.id
        LIMIT {CHAIN_SHOWN + 1}
    """  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [*map(str, OPEN_ASSIGNMENT_STATUSES), *params])
        found = cursor.fetchall()
    rows = []
    for pk, title, due, status, owner_name, goal_title in found[:CHAIN_SHOWN]:
        if isinstance(due, str):  # SQLite gives dates as text
            due = datetime.date.fromisoformat(due)
        rows.append(ChainAssignment(pk, title, due, status, owner_name, goal_title, due < today))
    return {"rows": rows, "more": len(found) > CHAIN_SHOWN}
