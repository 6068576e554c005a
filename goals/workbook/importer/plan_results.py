"""The «Utfall» sheet: results matched on indicator, period and gender."""

from __future__ import annotations

from django.utils.translation import gettext as _

from goals import rules
from goals.models import Gender, Measurement
from goals.services import Seen, measurement_locks, measurement_pairs_q
from goals.workbook import columns as C
from goals.workbook.columns import label_of
from goals.workbook.importer.context import Context
from goals.workbook.importer.plan import RowPlan


def plan_results(ctx: Context) -> None:
    sheet = C.RESULTS
    rows = ctx.raw.get(sheet.key, [])
    pairs = {
        (r.values["indicator"], r.values["period"])
        for r in rows
        if isinstance(r.values.get("indicator"), int) and r.values.get("period")
    }
    db: dict[tuple, tuple] = {}
    # Only the stored values of the rows' indicators and periods, not whole series.
    for match in measurement_pairs_q(pairs):
        for pk, ind, period, gender, value, comment in Measurement.objects.filter(
            match
        ).values_list("pk", "indicator_id", "period", "gender", "value", "comment"):
            db[(ind, period, gender)] = (pk, value, comment)
    unit_ids = {s["unit_id"] for s in ctx.indicator_state.values()}
    locked = measurement_locks(unit_ids) if rows else {}
    frequencies = dict(C.FREQUENCIES)
    seen: dict = {}
    for r in rows:
        v = r.values
        gender = v.get("gender") or Gender.TOTAL
        rp = RowPlan(sheet.key, r.row)
        ok = not r.bad
        ref = v.get("indicator")
        ind = ctx.indicator_ref(sheet, r, ref) if ref is not None else None
        ok = ok and ind is not None
        period = v.get("period")
        if ok and period and not rules.period_fits_frequency(period, ind["frequency"]):
            ctx.problem(
                sheet,
                r.row,
                "period",
                _("Perioden ”%(period)s” finns inte för indikatorn, som mäts per %(freq)s.")
                % {
                    "period": period,
                    "freq": label_of(frequencies, ind["frequency"]).lower(),
                },
            )
            ok = False
        key = (ref, period, gender)
        if ok and key in seen:
            ctx.problem(
                sheet,
                r.row,
                "period",
                _("Utfallet för perioden och könet finns redan på rad %(row)s.")
                % {"row": seen[key]},
            )
            ok = False
        seen.setdefault(key, r.row)
        comment = v.get("comment") or ""
        rp.values = {
            "indicator": ref,
            "period": period,
            "gender": gender,
            "value": v.get("value"),
            "comment": comment,
        }
        if ind:
            rp.label = f"{ind['name']} {period or ''} {gender}"
        existing = db.get(key)
        # What the row is now: applying refuses (ValuesChanged) if it changes meanwhile.
        rp.values["seen"] = Seen(existing[1], existing[2]) if existing else Seen(None, "")
        if existing:
            rp.pk = existing[0]
            if ok:
                ctx.diff(
                    rp,
                    sheet,
                    [
                        ("value", existing[1], v.get("value"), existing[1], v.get("value")),
                        ("comment", existing[2], comment, existing[2], comment),
                    ],
                )
        elif ok and v.get("value") is None and not comment:
            # Nothing to record: an empty row for a period without a value.
            rp.pk = 0
        if ok and (rp.pk is None or rp.changes):
            lock = locked.get((ind["unit_id"], period))
            ended = rules.ended_value_refusal(ind["name"], ind.get("ended_on"), period)
            if lock:
                ctx.problem(sheet, r.row, "value", rules.value_locked_message(period, lock))
                ok = False
            elif ended:
                ctx.problem(sheet, r.row, "period", ended)
                ok = False
            else:
                ok = ctx.may_write(sheet, r, "indicator", ctx.units.get(ind["unit_id"]))
        ctx.finish(rp, ok)
        ctx.plan.rows[sheet.key].append(rp)
