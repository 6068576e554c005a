"""Röda tråden's read model: its filters, the tree of rows it shows, and the export's rows.

The screen (:mod:`goals.views.chain`) and its ``?export=xlsx`` read their filters
through :func:`chain_filters`, so both show the same goals. The filters do not
narrow one queryset (the committee chooses which branches open, the perspective
which council goals show), so they are parsed here rather than by a FilterSet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils.http import urlencode

from goals.filters import pick_period
from goals.models import Activity, Goal, GoalLevel, MandatePeriod, Perspective, Vision
from goals.models.goals import attach_counts
from ledmot.models import OrgKind, OrgUnit

MAX_OPEN = 50


@dataclass
class ChainFilters:
    periods: list[MandatePeriod]
    period: MandatePeriod | None
    perspectives: list[Perspective]
    perspective: Perspective | None
    committees: list[OrgUnit]
    committee: OrgUnit | None
    open_ids: set[int]
    vision: Vision | None = None

    def query(self) -> str:
        """The filters as a query string (without the open branches)."""
        params = {
            "period": self.period.start_year if self.period else "",
            "namnd": self.committee.code if self.committee else "",
            "perspektiv": self.perspective.pk if self.perspective else "",
        }
        return urlencode({k: v for k, v in params.items() if v})


def chain_filters(data) -> ChainFilters:
    """The chain's filters from a GET: a value that names nothing is ignored."""
    periods, visions, perspectives, committees = _filter_lists()
    period = pick_period(periods, data.get("period"))
    raw_perspective = data.get("perspektiv", "")
    return ChainFilters(
        periods=periods,
        period=period,
        perspectives=perspectives,
        perspective=next((p for p in perspectives if str(p.pk) == raw_perspective), None),
        committees=committees,
        committee=next((c for c in committees if c.code == data.get("namnd")), None),
        open_ids=set(_int_list(data.getlist("oppna"))),
        vision=visions.get(period.pk) if period else None,
    )


def _filter_lists() -> tuple[list, dict, list, list]:
    """The periods (newest first) with their visions, the active perspectives and the
    active committees and companies (by order and name), in one raw query: three short
    lists on everyone's start page, whose querysets cost more to build than to run.
    The instances hold the fields read here (others would be read when asked for)."""
    q, order = connection.ops.quote_name, connection.ops.quote_name("order")
    # Columns: part, id, sort, name, code, path, start, end, and the vision: text,
    # reference, date, id.
    # Only table names and placeholders are formatted in; values are parameters.
    sql = f"""
        SELECT 0, m.id, -m.start_year, NULL, NULL, NULL, m.start_year, m.end_year,
               v.text, v.decision_reference, v.decided_on, v.id
        FROM {q(MandatePeriod._meta.db_table)} m
        LEFT JOIN {q(Vision._meta.db_table)} v ON v.mandate_period_id = m.id
        UNION ALL
        SELECT 1, p.id, p.{order}, p.name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM {q(Perspective._meta.db_table)} p WHERE p.active
        UNION ALL
        SELECT 2, u.id, u.{order}, u.name, u.code, u.path, NULL, NULL, NULL, NULL, NULL, NULL
        FROM {q(OrgUnit._meta.db_table)} u WHERE u.kind IN (%s, %s) AND u.active
        ORDER BY 1, 3, 4
    """  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [OrgKind.COMMITTEE.value, OrgKind.COMPANY.value])
        fetched = cursor.fetchall()
    decided_on = Vision._meta.get_field("decided_on")
    periods, visions, perspectives, committees = [], {}, [], []
    for part, pk, sort, name, code, path, start, end, text, ref, decided, vision_pk in fetched:
        if part == 0:
            periods.append(_loaded(MandatePeriod, id=pk, start_year=start, end_year=end))
            if vision_pk is not None:
                visions[pk] = _loaded(
                    Vision,
                    id=vision_pk,
                    mandate_period_id=pk,
                    text=text,
                    decision_reference=ref,
                    decided_on=decided_on.to_python(decided),
                )
        elif part == 1:
            perspectives.append(_loaded(Perspective, id=pk, order=sort, name=name))
        else:
            committees.append(_loaded(OrgUnit, id=pk, order=sort, name=name, code=code, path=path))
    return periods, visions, perspectives, committees


def _loaded(model, **values):
    """An instance of ``model`` as the database gave it, with only ``values`` loaded."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[n] for n in names])


def _int_list(values) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:MAX_OPEN]


# --------------------------------------------------------------------------- the screen


@dataclass
class ChainTree:
    """What the screen shows: council goals grouped by perspective, branches hung on them."""

    groups: list[tuple[Perspective, list[ChainRow]]] = field(default_factory=list)
    orphans: list[ChainRow] = field(default_factory=list)
    goal_count: int = 0


class ChainRow:
    """A goal as a row of Röda tråden shows it: the attributes the row renderer
    (``goals.templatetags.goal_rows``) reads on a :class:`Goal` of ``for_chain()``,
    read with one raw query. A model instance per row (and its owner and
    perspective) cost more than the rest of the page's Python."""

    __slots__ = (
        "pk",
        "level",
        "status",
        "title",
        "parent_id",
        "shared",
        "goal_type",
        "owner",
        "perspective",
        "chain_broken",
        "child_count",
        "activity_count",
        "indicator_count",
        "assessed_count",
        "met_count",
        "partly_count",
        "is_open",
        "loaded_children",
        "loaded_activities",
        "__dict__",  # the chain columns of other apps (goals.extensions.CHAIN_COLUMNS)
    )

    @property
    def proposal(self) -> str:
        from goals.fulfilment import combine_counts

        return combine_counts(self.assessed_count, self.met_count, self.partly_count)


@dataclass(frozen=True)
class _Named:
    """The owner or perspective of a row: what the row and the headings show."""

    pk: int
    name: str


def _chain_goals(user, where: str, params: list) -> list[ChainRow]:
    """The goals matching ``where`` (SQL on ``g``, the goal, and ``o``, its owner) that
    ``user`` may read, in the chain's order, with what their rows show but the counts."""
    from goals.extensions import CHAIN_COLUMNS
    from goals.models.goals import chain_broken, visible_goal_sql

    q = connection.ops.quote_name
    visible, visible_params = visible_goal_sql(user, "g")
    extra_names, extra_sql, extra_params = [], [], []
    for columns in CHAIN_COLUMNS:
        for name, (sql, col_params) in columns("g.id").items():
            extra_names.append(name)
            extra_sql.append(f", {sql}")
            extra_params += col_params
    goal, order = q(Goal._meta.db_table), q("order")
    # Only table names, aliases, the apps' columns and placeholders are formatted in.
    sql = f"""
        SELECT g.id, g.level, g.status, g.title, g.parent_id, g.shared, g.goal_type,
               g.owner_id, o.name,
               g.perspective_id, p.name, pa.status, gp.status{"".join(extra_sql)}
        FROM {goal} g
        JOIN {q(OrgUnit._meta.db_table)} o ON o.id = g.owner_id
        JOIN {q(Perspective._meta.db_table)} p ON p.id = g.perspective_id
        LEFT JOIN {goal} pa ON pa.id = g.parent_id
        LEFT JOIN {goal} gp ON gp.id = pa.parent_id
        WHERE {visible} AND ({where})
        ORDER BY p.{order}, g.{order}, g.id
    """  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [*extra_params, *visible_params, *params])
        fetched = cursor.fetchall()
    owners: dict[int, _Named] = {}
    perspectives: dict[int, _Named] = {}
    rows = []
    for (
        pk,
        level,
        status,
        title,
        parent_id,
        shared,
        goal_type,
        owner_id,
        owner,
        persp_id,
        persp,
        *rest,
    ) in fetched:
        row = ChainRow()
        row.pk, row.level, row.status, row.title = pk, level, status, title
        row.parent_id, row.shared, row.goal_type = parent_id, bool(shared), goal_type
        row.owner = owners.get(owner_id) or owners.setdefault(owner_id, _Named(owner_id, owner))
        row.perspective = perspectives.get(persp_id) or perspectives.setdefault(
            persp_id, _Named(persp_id, persp)
        )
        row.chain_broken = chain_broken(level, rest[0], rest[1])
        for name, value in zip(extra_names, rest[2:], strict=True):
            setattr(row, name, value)
        rows.append(row)
    return rows


def like_prefix(prefix: str) -> str:
    """The parameter of ``LIKE %s ESCAPE '\\'`` for "starts with ``prefix``"."""
    return connection.ops.prep_for_like_query(prefix) + "%"


def chain_tree(user, filters: ChainFilters) -> ChainTree:
    """The council goals the filters show, with the branches that are open.

    With a committee chosen, every council goal is open down to that committee's
    goals, and the committee's goals that have lost their council goal are shown
    too (``orphans``). Fixed number of queries whatever the number of goals.
    """
    period, committee, perspective = filters.period, filters.committee, filters.perspective
    open_ids = filters.open_ids
    if period is None:
        return ChainTree()

    # One query for the council goals and the open branches' goals: with a committee,
    # every council goal the filters show is open, so its children are those whose
    # parent is such a council goal. Each alternative of the OR has a column with an
    # index (period and level, or parent), so the database reads only those goals.
    def council(alias: str) -> tuple[str, list]:
        sql = f"{alias}.mandate_period_id = %s AND {alias}.level = %s"
        if perspective:
            sql += f" AND {alias}.perspective_id = %s"
        return sql, [period.pk, GoalLevel.COUNCIL.value] + ([perspective.pk] if perspective else [])

    # Only aliases, a table name and placeholders are formatted in; values are parameters.
    where, params = council("g")
    marks = ", ".join(["%s"] * len(open_ids))
    in_committee = "o.path LIKE %s ESCAPE '\\'"
    if committee:
        council_pks, council_params = council("c")
        table = connection.ops.quote_name(Goal._meta.db_table)
        where += (
            f" OR ({in_committee} AND g.parent_id IN (SELECT c.id FROM {table} c"  # noqa: S608
            f" WHERE {council_pks}))"
            # The committee's goals that have lost their council goal are shown too.
            f" OR ({in_committee} AND g.mandate_period_id = %s AND g.level = %s"
            " AND g.parent_id IS NULL)"
        )
        params += [like_prefix(committee.path), *council_params]
        params += [like_prefix(committee.path), period.pk, GoalLevel.COMMITTEE.value]
        if open_ids:
            where += f" OR ({in_committee} AND g.parent_id IN ({marks}))"
            params += [like_prefix(committee.path), *open_ids]
    elif open_ids:
        where += f" OR g.parent_id IN ({marks})"
        params += list(open_ids)
    goals = _chain_goals(user, where, params)
    attach_counts(goals, user)
    # A council goal has no parent, so it never is another goal's child here.
    council_rows = [g for g in goals if g.level == GoalLevel.COUNCIL]
    council_ids = {g.pk for g in council_rows}
    show_ids = open_ids | (council_ids if committee else set())
    by_parent: dict[int | None, list[ChainRow]] = defaultdict(list)
    for g in goals:
        if g.level != GoalLevel.COUNCIL:
            by_parent[g.parent_id].append(g)
    orphans = by_parent.pop(None, [])
    activities_by_goal: dict[int, list[Activity]] = defaultdict(list)
    if open_ids - council_ids:
        for a in Activity.objects.filter(goal_id__in=open_ids - council_ids).select_related(
            "owner"
        ):
            activities_by_goal[a.goal_id].append(a)
    _attach_branches(council_rows, by_parent, activities_by_goal, show_ids)

    groups: list[tuple[Perspective, list[ChainRow]]] = []
    for g in council_rows:
        if not groups or groups[-1][0] != g.perspective:
            groups.append((g.perspective, []))
        groups[-1][1].append(g)
    return ChainTree(groups=groups, orphans=orphans, goal_count=len(council_rows))


def chain_rows(goals) -> list[Goal]:
    """Goals rendered as closed chain rows (see ``_attach_branches``)."""
    goals = list(goals)
    _attach_branches(goals, {}, {}, set())
    return goals


def child_rows(user, goal: Goal) -> list[ChainRow]:
    """The goals under ``goal`` that ``user`` may read, as closed chain rows: the goal
    page and the chain's expanded branch. One raw query and one for the counts, as the
    chain reads them (:func:`_chain_goals`); model instances per child cost more than
    the rest of a committee goal's page."""
    rows = _chain_goals(user, "g.parent_id = %s", [goal.pk])
    attach_counts(rows, user)
    return chain_rows(rows)


def _attach_branches(goals, by_parent, activities_by_goal, open_ids):
    """Hang loaded children and activities on their goals for the template, recursively."""
    for g in goals:
        g.is_open = g.pk in open_ids
        g.loaded_children = by_parent.get(g.pk, [])
        g.loaded_activities = activities_by_goal.get(g.pk, [])
        _attach_branches(g.loaded_children, by_parent, activities_by_goal, open_ids)


def branch_path(goal: Goal) -> list[tuple[str, int]]:
    """The chain's query opening every branch down to ``goal`` (the page without htmx)."""
    path = [a.pk for a in reversed(goal.ancestors())] + [goal.pk]
    return [("period", goal.mandate_period.start_year)] + [("oppna", pk) for pk in path]


# --------------------------------------------------------------------------- the export


def export_rows(user, filters: ChainFilters) -> list[Goal]:
    """Röda tråden with every branch open: the council goals the filters show, each
    followed by the goals under it (only the committee's, when one is chosen), and,
    with a committee, its goals that have lost their council goal — as on the screen."""
    period, committee, perspective = filters.period, filters.committee, filters.perspective
    rows: list[Goal] = []
    if period is None:
        return rows
    goals = list(Goal.objects.in_period(period).for_chain(user))
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
        if g.level == GoalLevel.COUNCIL and (perspective is None or g.perspective == perspective):
            walk(g)
    if committee is not None:
        for g in by_parent.get(None, []):
            if g.level == GoalLevel.COMMITTEE and shown(g):
                walk(g)
    return rows


def export_name(filters: ChainFilters) -> str:
    name = f"roda-traden-{filters.period.start_year}" if filters.period else "roda-traden"
    if filters.committee is not None:
        name += f"-{filters.committee.code}"
    return f"{name}.xlsx"
