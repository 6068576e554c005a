"""The «Indikatorer» sheet: each row planned; the indicators as they will be are
kept for the targets and results sheets."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from goals import rules
from goals.models import Indicator, IndicatorKind
from goals.workbook import columns as C
from goals.workbook.columns import label_of
from goals.workbook.importer.context import Context, chunks
from goals.workbook.importer.external import external_id_pair
from goals.workbook.importer.plan import RowPlan


def plan_indicators(ctx: Context) -> None:
    sheet = C.INDICATORS
    rows = ctx.raw.get(sheet.key, [])
    refs = {r.values.get("id") for r in rows}
    for other in ("targets", "results"):
        refs |= {r.values.get("indicator") for r in ctx.raw.get(other, [])}
    ids = {i for i in refs if isinstance(i, int)}
    ctx.db_indicators = {}
    goal_links: dict[int, list[int]] = defaultdict(list)
    through = Indicator.goals.through.objects
    for chunk in chunks(ids):
        for ind in Indicator.objects.filter(pk__in=chunk).values(
            "pk",
            "name",
            "unit",
            "direction",
            "frequency",
            "kolada_id",
            "responsible_unit_id",
            "baseline_value",
            "baseline_year",
            "version",
            "external_id",
            "ended_on",
            "kind",
        ):
            ctx.db_indicators[ind["pk"]] = ind
        for ind_id, goal_id in through.filter(indicator_id__in=chunk).values_list(
            "indicator_id", "goal_id"
        ):
            goal_links[ind_id].append(goal_id)
    # Indicators as they will be: responsible unit and frequency, for targets and results.
    ctx.indicator_state = {
        pk: {
            "unit_id": i["responsible_unit_id"],
            "frequency": i["frequency"],
            "name": i["name"],
            "ended_on": i["ended_on"],
        }
        for pk, i in ctx.db_indicators.items()
    }
    seen: dict = {}
    for r in rows:
        v = r.values
        rp = RowPlan(sheet.key, r.row, label=v.get("name") or "")
        pk, name, ok = ctx.identity(
            sheet, r, ctx.db_indicators, seen, _("Det finns ingen indikator med id %(id)s.")
        )
        rp.pk, rp.name = pk, name
        ok = ok and not r.bad
        unit = ctx.unit(sheet, r, "responsible_unit")
        ok = ok and unit is not None
        goal_refs = v.get("goals") or []
        for ref in goal_refs:
            if ctx.goal_ref(sheet, r, "goals", ref) is None:
                ok = False
        if len(set(goal_refs)) != len(goal_refs):
            goal_refs = list(dict.fromkeys(goal_refs))
        kolada_id = rules.kolada_id_normalise(v.get("kolada_id"))
        if message := rules.kolada_id_error(kolada_id):
            ctx.problem(sheet, r.row, "kolada_id", message)
            ok = False
        rp.values = {
            "name": v.get("name") or "",
            "unit": v.get("unit") or "",
            "direction": v.get("direction"),
            "frequency": v.get("frequency"),
            "goals": goal_refs,
            "kolada_id": kolada_id,
            "responsible_unit": unit,
            "baseline_value": v.get("baseline_value"),
            "baseline_year": v.get("baseline_year"),
            "external_id": v.get("external_id"),
            # An empty cell (or a workbook without the column) leaves the kind as it is.
            "kind": v.get("kind")
            or (ctx.db_indicators[pk]["kind"] if pk in ctx.db_indicators else IndicatorKind.RESULT),
        }
        if ok:
            key = pk if pk is not None else name
            if key is not None:
                ctx.indicator_state[key] = {
                    "unit_id": unit.pk,
                    "frequency": v["frequency"],
                    "name": rp.values["name"],
                    "ended_on": ctx.db_indicators[pk]["ended_on"] if pk is not None else None,
                }
        if ok and pk is not None:
            i = ctx.db_indicators[pk]
            rp.version = i["version"]
            old_goals = sorted(goal_links.get(pk, []))
            new_goals = (
                goal_refs if any(isinstance(g, str) for g in goal_refs) else sorted(goal_refs)
            )
            ctx.diff(
                rp,
                sheet,
                [
                    ("name", i["name"], rp.values["name"], i["name"], rp.values["name"]),
                    ("unit", i["unit"], rp.values["unit"], i["unit"], rp.values["unit"]),
                    (
                        "direction",
                        i["direction"],
                        v["direction"],
                        label_of(C.DIRECTIONS, i["direction"]),
                        label_of(C.DIRECTIONS, v["direction"]),
                    ),
                    (
                        "frequency",
                        i["frequency"],
                        v["frequency"],
                        label_of(C.FREQUENCIES, i["frequency"]),
                        label_of(C.FREQUENCIES, v["frequency"]),
                    ),
                    (
                        "kind",
                        i["kind"],
                        rp.values["kind"],
                        label_of(C.INDICATOR_KINDS, i["kind"]),
                        label_of(C.INDICATOR_KINDS, rp.values["kind"]),
                    ),
                    (
                        "goals",
                        old_goals,
                        new_goals,
                        ", ".join(map(str, old_goals)),
                        ", ".join(map(str, new_goals)),
                    ),
                    (
                        "kolada_id",
                        i["kolada_id"],
                        rp.values["kolada_id"],
                        i["kolada_id"],
                        rp.values["kolada_id"],
                    ),
                    (
                        "responsible_unit",
                        i["responsible_unit_id"],
                        unit.pk,
                        ctx.units[i["responsible_unit_id"]].code,
                        unit.code,
                    ),
                    (
                        "baseline_value",
                        i["baseline_value"],
                        v.get("baseline_value"),
                        i["baseline_value"],
                        v.get("baseline_value"),
                    ),
                    (
                        "baseline_year",
                        i["baseline_year"],
                        v.get("baseline_year"),
                        i["baseline_year"],
                        v.get("baseline_year"),
                    ),
                    external_id_pair(i, v),
                ],
            )
        if ok and (pk is None or rp.changes):
            old_unit = ctx.units.get(ctx.db_indicators[pk]["responsible_unit_id"]) if pk else None
            ok = ctx.may_write(sheet, r, "responsible_unit", unit, old_unit)
        ctx.finish(rp, ok)
        ctx.plan.rows[sheet.key].append(rp)
