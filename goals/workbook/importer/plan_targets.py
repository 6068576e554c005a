"""The «Målvärden» sheet: targets matched on indicator and year."""

from __future__ import annotations

from django.utils.translation import gettext as _

from goals import rules
from goals.models import Target
from goals.services import council_target_locks, target_locks
from goals.workbook import columns as C
from goals.workbook.importer.context import Context, chunks
from goals.workbook.importer.plan import RowPlan


def plan_targets(ctx: Context) -> None:
    sheet = C.TARGETS
    rows = ctx.raw.get(sheet.key, [])
    ids = {r.values.get("indicator") for r in rows if isinstance(r.values.get("indicator"), int)}
    db: dict[tuple, tuple] = {}
    for chunk in chunks(ids):
        for pk, ind, year, value in Target.objects.filter(indicator_id__in=chunk).values_list(
            "pk", "indicator_id", "year", "value"
        ):
            db[(ind, year)] = (pk, value)
    unit_ids = {s["unit_id"] for s in ctx.indicator_state.values()}
    locked = target_locks(unit_ids) if rows else {}
    fixed = council_target_locks(ids, ctx.user) if rows else {}
    seen: dict = {}
    for r in rows:
        v = r.values
        rp = RowPlan(sheet.key, r.row)
        ok = not r.bad
        ind = (
            ctx.indicator_ref(sheet, r, v["indicator"]) if v.get("indicator") is not None else None
        )
        ok = ok and ind is not None
        key = (v.get("indicator"), v.get("year"))
        if ok and key in seen:
            ctx.problem(
                sheet,
                r.row,
                "year",
                _("Målvärdet för året finns redan på rad %(row)s.") % {"row": seen[key]},
            )
            ok = False
        seen.setdefault(key, r.row)
        rp.values = {
            "indicator": v.get("indicator"),
            "year": v.get("year"),
            "value": v.get("value"),
        }
        if ind:
            rp.label = f"{ind['name']} {v.get('year') or ''}".strip()
        existing = db.get(key)
        if existing:
            rp.pk = existing[0]
            if ok:
                ctx.diff(rp, sheet, [("value", existing[1], v["value"], existing[1], v["value"])])
        if ok and (rp.pk is None or rp.changes):
            lock = locked.get((ind["unit_id"], v.get("year")))
            if lock:
                ctx.problem(sheet, r.row, "value", rules.target_locked_message(v["year"], lock))
                ok = False
            elif council := fixed.get(key):
                ctx.problem(sheet, r.row, "value", council)
                ok = False
            else:
                ok = ctx.may_write(sheet, r, "indicator", ctx.units.get(ind["unit_id"]))
        ctx.finish(rp, ok)
        ctx.plan.rows[sheet.key].append(rp)


# -- results ------------------------------------------------------------------
