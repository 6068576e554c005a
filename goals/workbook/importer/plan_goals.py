"""The «Mål» sheet: each row planned, then checked against the chain rules
(:func:`goals.rules.goal_chain_errors`) once every goal of the sheet is known."""

from __future__ import annotations

from django.utils.translation import gettext as _

from goals import rules
from goals.models import Goal, GoalLevel, GoalType
from goals.workbook import columns as C
from goals.workbook.columns import label_of
from goals.workbook.importer.context import Context, chunks
from goals.workbook.importer.external import external_id_pair
from goals.workbook.importer.plan import RowPlan
from goals.workbook.importer.reader import RawRow, as_text


def plan_goals(ctx: Context) -> None:
    sheet = C.GOALS
    rows = ctx.raw.get(sheet.key, [])
    refs = {r.values.get("id") for r in rows} | {r.values.get("parent") for r in rows}
    for other in ("activities", "indicators"):
        for r in ctx.raw.get(other, []):
            refs.add(r.values.get("goal"))
            refs.update(r.values.get("goals") or ())
    ids = {i for i in refs if isinstance(i, int)}
    ctx.db_goals = {}
    for chunk in chunks(ids):
        for g in Goal.objects.filter(pk__in=chunk).values(
            "pk",
            "level",
            "parent_id",
            "owner_id",
            "title",
            "description",
            "perspective_id",
            "mandate_period_id",
            "status",
            "version",
            "external_id",
            "goal_type",
        ):
            ctx.db_goals[g["pk"]] = g
    # The goals as they will be: existing ones overlaid by the sheet, new ones by name.
    ctx.goal_state = {pk: dict(g) for pk, g in ctx.db_goals.items()}
    seen: dict = {}
    planned: list[tuple[RawRow, RowPlan]] = []
    for r in rows:
        v = r.values
        rp = RowPlan(sheet.key, r.row, label=v.get("title") or "")
        pk, name, ok = ctx.identity(
            sheet, r, ctx.db_goals, seen, _("Det finns inget mål med id %(id)s.")
        )
        rp.pk, rp.name = pk, name
        ok = ok and not r.bad
        owner = ctx.unit(sheet, r, "owner")
        ok = ok and owner is not None
        level = v.get("level")
        if owner and level and (message := rules.goal_owner_error(level, owner)):
            ctx.problem(sheet, r.row, "owner", message)
            ok = False
        perspective = None
        if v.get("perspective"):
            perspective = ctx.perspectives.get(v["perspective"].casefold())
            if perspective is None:
                ctx.problem(
                    sheet,
                    r.row,
                    "perspective",
                    _("Okänt perspektiv ”%(name)s”.") % {"name": v["perspective"]},
                )
                ok = False
        period = None
        if v.get("mandate_period") is not None:
            period = _mandate_period(ctx, v["mandate_period"])
            if period is None:
                ctx.problem(
                    sheet,
                    r.row,
                    "mandate_period",
                    _("Det finns ingen mandatperiod %(period)s.")
                    % {"period": as_text(_mandate_text(v["mandate_period"]))},
                )
                ok = False
        rp.values = {
            "level": level,
            "owner": owner,
            "title": v.get("title") or "",
            "description": v.get("description") or "",
            "perspective": perspective,
            "mandate_period": period,
            "status": v.get("status"),
            "parent": v.get("parent"),
            "external_id": v.get("external_id"),
            # An empty cell (or a workbook without the column) leaves the type as it is.
            "goal_type": v.get("goal_type")
            or (ctx.db_goals[pk]["goal_type"] if pk in ctx.db_goals else GoalType.OPERATIONAL),
        }
        if ok:
            state = {
                "level": level,
                "owner_id": owner.pk,
                "mandate_period_id": period.pk,
                "status": v.get("status"),
                "title": v.get("title") or "",
            }
            key = pk if pk is not None else name
            if key is not None:
                ctx.goal_state[key] = {**ctx.goal_state.get(key, {}), **state}
        rp.ok = ok
        planned.append((r, rp))
    # Second pass: the chain, now that every goal of the sheet is known.
    for r, rp in planned:
        ok = rp.ok
        v = rp.values
        parent_ref = v["parent"]
        if ok:
            ok = _chain_ok(ctx, sheet, r, rp)
        if ok:
            _goal_changes(ctx, sheet, r, rp, parent_ref)
            if rp.pk is not None:
                old_status = ctx.db_goals[rp.pk]["status"]
                if message := rules.goal_status_change_error(old_status, v["status"]):
                    ctx.problem(sheet, r.row, "status", message)
                    ok = False
            if ok and (rp.pk is None or rp.changes):
                old_owner = ctx.units.get(ctx.db_goals[rp.pk]["owner_id"]) if rp.pk else None
                ok = ctx.may_write(sheet, r, "owner", v["owner"], old_owner)
        ctx.finish(rp, ok)
        ctx.plan.rows[sheet.key].append(rp)


def _mandate_period(ctx: Context, value):
    for p in ctx.periods:
        if isinstance(value, tuple):
            if (p.start_year, p.end_year) == value:
                return p
        elif p.start_year <= value <= p.end_year:
            return p
    return None


def _mandate_text(value) -> str:
    return f"{value[0]}-{value[1]}" if isinstance(value, tuple) else str(value)


def _goal_changes(ctx: Context, sheet, r, rp: RowPlan, parent_ref) -> None:
    v = rp.values
    if rp.pk is None:
        return
    g = ctx.db_goals[rp.pk]
    rp.version = g["version"]
    new_parent = parent_ref if isinstance(parent_ref, int) else parent_ref
    units = ctx.units
    ctx.diff(
        rp,
        sheet,
        [
            (
                "level",
                g["level"],
                v["level"],
                label_of(C.LEVELS, g["level"]),
                label_of(C.LEVELS, v["level"]),
            ),
            ("parent", g["parent_id"], new_parent, g["parent_id"], new_parent),
            (
                "owner",
                g["owner_id"],
                v["owner"].pk,
                units[g["owner_id"]].code if g["owner_id"] in units else "",
                v["owner"].code,
            ),
            ("title", g["title"], v["title"], g["title"], v["title"]),
            (
                "description",
                g["description"],
                v["description"],
                g["description"],
                v["description"],
            ),
            (
                "perspective",
                g["perspective_id"],
                v["perspective"].pk,
                ctx.perspective_names.get(g["perspective_id"]),
                v["perspective"].name,
            ),
            (
                "mandate_period",
                g["mandate_period_id"],
                v["mandate_period"].pk,
                ctx.period_names.get(g["mandate_period_id"]),
                ctx.period_names[v["mandate_period"].pk],
            ),
            (
                "status",
                g["status"],
                v["status"],
                label_of(C.GOAL_STATUSES, g["status"]),
                label_of(C.GOAL_STATUSES, v["status"]),
            ),
            (
                "goal_type",
                g["goal_type"],
                v["goal_type"],
                label_of(C.GOAL_TYPES, g["goal_type"]),
                label_of(C.GOAL_TYPES, v["goal_type"]),
            ),
            external_id_pair(g, v),
        ],
    )


def _chain_goal(ctx: Context, state: dict, ref) -> rules.ChainGoal:
    return rules.ChainGoal(
        level=state.get("level"),
        owner=ctx.units.get(state.get("owner_id")),
        mandate_period_id=state.get("mandate_period_id"),
        status=state.get("status"),
        title=state.get("title") or str(ref),
    )


def _chain_ok(ctx: Context, sheet, r: RawRow, rp: RowPlan) -> bool:
    """The chain rules over the goal and its parent as they will be; a problem for an
    unknown parent and for every rule broken (the same messages as the screens)."""
    v = rp.values
    parent_ref = v["parent"]
    parent = None
    if parent_ref is not None:
        state = ctx.goal_state.get(parent_ref)
        if state is not None and "level" in state:
            parent = _chain_goal(ctx, state, parent_ref)
            db = ctx.db_goals.get(rp.pk) if rp.pk is not None else None
            if db and db["parent_id"] == parent_ref and db["status"] == v["status"]:
                # A goal left as it was under a parent ended since is not refused: the
                # rule is about linking to, or reviving under, an ended goal.
                parent.status = None
        elif v["level"] != GoalLevel.COUNCIL:
            ctx.problem(
                sheet, r.row, "parent", _("Okänt överordnat mål ”%(id)s”.") % {"id": parent_ref}
            )
            return False
        else:
            parent = rules.ChainGoal(level=None, title=str(parent_ref))
    goal = rules.ChainGoal(
        level=v["level"],
        owner=v["owner"],
        mandate_period_id=v["mandate_period"].pk,
        status=v["status"],
        title=v["title"],
        parent=parent,
        adding=rp.pk is None,
    )
    errors = rules.goal_chain_errors(goal, check_owner=False)
    for field, messages in errors.items():
        for message in messages:
            ctx.problem(sheet, r.row, field, message)
    return not errors
