"""Carrying out a plan, through the services only, in one transaction."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from goals.models import Activity, ActivityStatus, Goal, GoalLevel, Indicator, IndicatorSource
from goals.services import ValueInput, measurements_save, targets_save
from goals.workbook import columns as C
from goals.workbook.columns import extensions
from goals.workbook.importer.context import chunks
from goals.workbook.importer.plan import CHANGE, CREATE, Plan
from goals.workbook.importer.reader import Progress
from ledmot.lib.db import refresh_statistics
from ledmot.services import ConflictError, versioned_save


class PlanNotApplicable(Exception):
    """The plan has problems: nothing was applied."""


def _save(obj, rp, *, user, reason: str):
    """``versioned_save`` of a planned row. A new row whose external id another import
    created in the meantime (the same workbook confirmed twice at the same moment) is
    a conflict like a row changed since the preview, not an error page."""
    if rp.pk is not None or not obj.external_id:
        return versioned_save(obj, user=user, expected_version=rp.version, reason=reason)
    try:
        with transaction.atomic():
            return versioned_save(obj, user=user, expected_version=None, reason=reason)
    except IntegrityError:
        current = type(obj)._default_manager.filter(external_id=obj.external_id).first()
        if current is None:
            raise
        raise ConflictError(current) from None


@transaction.atomic
def apply_plan(plan: Plan, *, user, reason: str = "", progress: Progress | None = None) -> dict:
    """Carry out ``plan`` in one transaction: all of it or, on any error, none of it.

    Rows changed since the plan was made raise ``ConflictError`` (from
    ``versioned_save``, or ``ValuesChanged`` from ``measurements_save`` for results)
    and roll everything back. Returns the counts.
    """
    if not plan.ok:
        raise PlanNotApplicable
    reason = reason or _("Import från Excel")
    total = sum(1 for rows in plan.rows.values() for r in rows if r.action in (CREATE, CHANGE))
    done = 0

    def step(n: int = 1):
        nonlocal done
        done += n
        if progress and (done % 500 == 0 or done == total):
            progress(done, total)

    names: dict[str, dict[str, int]] = {"goals": {}, "activities": {}, "indicators": {}}

    def resolve(kind: str, ref):
        return names[kind][ref] if isinstance(ref, str) else ref

    # Goals: new ones from the top of the chain down, so parents exist first.
    goal_rows = [r for r in plan.rows.get("goals", []) if r.action in (CREATE, CHANGE)]
    depth = {GoalLevel.COUNCIL: 0, GoalLevel.COMMITTEE: 1, GoalLevel.UNIT: 2}
    goal_rows.sort(key=lambda r: (depth[r.values["level"]], r.action != CREATE, r.row))
    existing = Goal.objects.in_bulk([r.pk for r in goal_rows if r.pk])
    for rp in goal_rows:
        v = rp.values
        goal = existing[rp.pk] if rp.pk else Goal()
        goal.level = v["level"]
        goal.owner = v["owner"]
        goal.title = v["title"]
        goal.description = v["description"]
        goal.perspective = v["perspective"]
        goal.mandate_period = v["mandate_period"]
        goal.status = v["status"]
        goal.goal_type = v["goal_type"]
        goal.parent_id = resolve("goals", v["parent"]) if v["parent"] is not None else None
        goal.external_id = v["external_id"] or goal.external_id
        _save(goal, rp, user=user, reason=reason)
        if rp.name:
            names["goals"][rp.name] = goal.pk
        step()

    activity_rows = [r for r in plan.rows.get("activities", []) if r.action in (CREATE, CHANGE)]
    existing = Activity.objects.in_bulk([r.pk for r in activity_rows if r.pk])
    for rp in activity_rows:
        v = rp.values
        activity = existing[rp.pk] if rp.pk else Activity()
        activity.goal_id = resolve("goals", v["goal"])
        activity.owner = v["owner"]
        activity.title = v["title"]
        activity.responsible = v["responsible"]
        activity.start, activity.end = v["start"], v["end"]
        activity.status = v["status"]
        if activity.status == ActivityStatus.DONE:
            activity.progress = 100
        activity.external_id = v["external_id"] or activity.external_id
        activity.cost = v["cost"]
        _save(activity, rp, user=user, reason=reason)
        if rp.name:
            names["activities"][rp.name] = activity.pk
        step()

    indicator_rows = [r for r in plan.rows.get("indicators", []) if r.action in (CREATE, CHANGE)]
    existing = Indicator.objects.in_bulk([r.pk for r in indicator_rows if r.pk])
    goals_heading = C.INDICATORS.column("goals").heading
    for rp in indicator_rows:
        v = rp.values
        ind = existing[rp.pk] if rp.pk else Indicator(source=IndicatorSource.MANUAL)
        for attr in ("name", "unit", "direction", "frequency", "kolada_id", "kind"):
            setattr(ind, attr, v[attr])
        ind.responsible_unit = v["responsible_unit"]
        ind.baseline_value, ind.baseline_year = v["baseline_value"], v["baseline_year"]
        ind.external_id = v["external_id"] or ind.external_id
        _save(ind, rp, user=user, reason=reason)
        if rp.pk is None or any(c.column == goals_heading for c in rp.changes):
            ind._history_user = user
            ind.goals.set([resolve("goals", g) for g in v["goals"]])
        if rp.name:
            names["indicators"][rp.name] = ind.pk
        step()

    target_rows = [r for r in plan.rows.get("targets", []) if r.action in (CREATE, CHANGE)]
    by_indicator: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for rp in target_rows:
        by_indicator[resolve("indicators", rp.values["indicator"])][rp.values["year"]] = rp.values[
            "value"
        ]
    indicators = {}
    for chunk in chunks(by_indicator):
        indicators.update(Indicator.objects.in_bulk(chunk))
    for pk, values in by_indicator.items():
        targets_save(indicator=indicators[pk], values=values, user=user)
        step(len(values))

    result_rows = [r for r in plan.rows.get("results", []) if r.action in (CREATE, CHANGE)]
    if result_rows:
        ids = {resolve("indicators", r.values["indicator"]) for r in result_rows}
        indicators = {}
        for chunk in chunks(ids):
            # What measurements_save's locks read (name and end: the ended-indicator
            # rule's message), so that it queries no indicator one by one.
            fields = ("pk", "name", "ended_on", "responsible_unit_id")
            indicators.update(Indicator.objects.only(*fields).in_bulk(chunk))
        measurements_save(
            values=[
                ValueInput(
                    indicator=indicators[resolve("indicators", r.values["indicator"])],
                    period=r.values["period"],
                    value=r.values["value"],
                    gender=r.values["gender"],
                    comment=r.values["comment"],
                    source=IndicatorSource.IMPORT,
                    seen=r.values["seen"],
                )
                for r in result_rows
            ],
            user=user,
            reason=reason,
        )
        step(len(result_rows))
    for extension in extensions():
        rows = [r for r in plan.rows.get(extension.sheet.key, []) if r.action in (CREATE, CHANGE)]
        if rows:
            extension.apply(rows, user=user, reason=reason)
            step(len(rows))
    refresh_statistics(total)  # a large import: fresh planner statistics once it commits
    return plan.counts()
