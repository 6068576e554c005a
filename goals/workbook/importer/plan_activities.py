"""The «Aktiviteter» sheet: each row planned against the goals as they will be."""

from __future__ import annotations

from django.utils.translation import gettext as _

from goals import rules
from goals.models import Activity
from goals.workbook import columns as C
from goals.workbook.columns import label_of
from goals.workbook.importer.context import Context, chunks
from goals.workbook.importer.external import external_id_pair
from goals.workbook.importer.plan import RowPlan
from ledmot.lib.numbers import kronor_text


def plan_activities(ctx: Context) -> None:
    sheet = C.ACTIVITIES
    rows = ctx.raw.get(sheet.key, [])
    ids = {r.values.get("id") for r in rows if isinstance(r.values.get("id"), int)}
    db: dict[int, dict] = {}
    for chunk in chunks(ids):
        for a in Activity.objects.filter(pk__in=chunk).values(
            "pk",
            "goal_id",
            "owner_id",
            "title",
            "responsible",
            "start",
            "end",
            "status",
            "version",
            "external_id",
            "cost",
        ):
            db[a["pk"]] = a
    seen: dict = {}
    for r in rows:
        v = r.values
        rp = RowPlan(sheet.key, r.row, label=v.get("title") or "")
        pk, name, ok = ctx.identity(
            sheet, r, db, seen, _("Det finns ingen aktivitet med id %(id)s.")
        )
        rp.pk, rp.name = pk, name
        ok = ok and not r.bad
        owner = ctx.unit(sheet, r, "owner")
        goal = ctx.goal_ref(sheet, r, "goal", v["goal"]) if v.get("goal") is not None else None
        ok = ok and owner is not None and goal is not None
        errors = rules.activity_errors(
            start=v.get("start"),
            end=v.get("end"),
            owner=owner,
            goal_owner=ctx.units[goal["owner_id"]] if ok else None,
        )
        for key, message in errors.items():
            ctx.problem(sheet, r.row, key, message)
            ok = False
        rp.values = {
            "goal": v.get("goal"),
            "owner": owner,
            "title": v.get("title") or "",
            "responsible": v.get("responsible") or "",
            "start": v.get("start"),
            "end": v.get("end"),
            "status": v.get("status"),
            "external_id": v.get("external_id"),
            # Without the column (an older workbook) the cost stays as it is.
            "cost": v["cost"] if "cost" in v else (db[pk]["cost"] if pk in db else None),
        }
        if ok and pk is not None:
            a = db[pk]
            rp.version = a["version"]
            ctx.diff(
                rp,
                sheet,
                [
                    ("goal", a["goal_id"], v["goal"], a["goal_id"], v["goal"]),
                    (
                        "owner",
                        a["owner_id"],
                        owner.pk,
                        ctx.units[a["owner_id"]].code,
                        owner.code,
                    ),
                    ("title", a["title"], v["title"], a["title"], v["title"]),
                    (
                        "responsible",
                        a["responsible"],
                        rp.values["responsible"],
                        a["responsible"],
                        rp.values["responsible"],
                    ),
                    ("start", a["start"], v.get("start"), a["start"], v.get("start")),
                    ("end", a["end"], v.get("end"), a["end"], v.get("end")),
                    (
                        "status",
                        a["status"],
                        v["status"],
                        label_of(C.ACTIVITY_STATUSES, a["status"]),
                        label_of(C.ACTIVITY_STATUSES, v["status"]),
                    ),
                    external_id_pair(a, v),
                    (
                        "cost",
                        a["cost"],
                        rp.values["cost"],
                        kronor_text(a["cost"]),
                        kronor_text(rp.values["cost"]),
                    ),
                ],
            )
        if ok and (pk is None or rp.changes):
            old_owner = ctx.units.get(db[pk]["owner_id"]) if pk else None
            ok = ctx.may_write(sheet, r, "owner", owner, old_owner)
        ctx.finish(rp, ok)
        ctx.plan.rows[sheet.key].append(rp)


# -- indicators ---------------------------------------------------------------
