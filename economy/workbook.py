"""The «Ekonomi» sheet of the full workbook: a finance system's export of budget,
outcome and forecast read in with the workbook's discipline (preview, problems by
sheet, row and column, the locks of closed rounds, all or nothing), and written out
in the same layout. Registered in ``goals.extensions.WORKBOOK_SHEETS``.

Rows are matched on organisation, period, kind and category: the same file imported
twice changes nothing the second time. An empty amount clears a saved one. Nothing is
deleted."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _

from economy import rules
from economy.models import EconomyCategory, EconomyFigure, FigureKind
from economy.services import FigureInput, figures_locked, figures_save
from goals.workbook.columns import CHOICE, NUMBER, TEXT, UNIT, Col, Sheet, SheetExtension
from ledmot.lib.numbers import parse_kronor
from ledmot.lib.xlsx import text_cell
from ledmot.models import OrgUnit

KINDS = {"Budget": FigureKind.BUDGET, "Utfall": FigureKind.OUTCOME, "Prognos": FigureKind.FORECAST}
KIND_LABELS = {v: k for k, v in KINDS.items()}

ECONOMY = Sheet(
    "Ekonomi",
    "economy",
    (
        Col("Organisation", "unit", UNIT, 16, required=True),
        Col("Period", "period", TEXT, 10, required=True, max_length=12),
        Col("Slag", "kind", CHOICE, 10, required=True, choices=KINDS),
        Col("Kategori", "category", TEXT, 14, max_length=100),
        Col("Belopp (kr)", "amount", NUMBER, 16),
    ),
)


def _figures(scope: Q):
    figures = EconomyFigure.objects.all()
    if scope:
        figures = figures.filter(org_unit__in=OrgUnit.objects.filter(scope).values("pk"))
    return figures


def export_rows(ws, scope: Q) -> Iterable[list]:
    rows = (
        _figures(scope)
        .order_by("org_unit__path", "sort_key", "period", "kind", "category__order", "category_id")
        .values_list("org_unit__code", "period", "kind", "category__code", "amount")
    )
    for code, period, kind, category, amount in rows.iterator(5000):
        yield [
            text_cell(ws, code),
            text_cell(ws, period),
            KIND_LABELS.get(kind, kind),
            text_cell(ws, category) if category else None,
            amount,
        ]


def export_count(scope: Q) -> int:
    return _figures(scope).count()


def plan_economy(ctx) -> None:
    """Plan the sheet's rows (see :mod:`goals.workbook.importer`): each matched with the
    saved figure, its change shown, and every problem by row and column."""
    from goals.workbook.importer.plan import RowPlan

    sheet = ECONOMY
    rows = ctx.raw.get(sheet.key, [])
    if not rows:
        return
    categories = {}
    for c in EconomyCategory.objects.all():
        categories[c.code.casefold()] = c
        categories[c.name.casefold()] = c
    planned = []
    for r in rows:
        v = r.values
        rp = RowPlan(sheet.key, r.row)
        ok = not r.bad
        unit = ctx.unit(sheet, r, "unit") if v.get("unit") else None
        ok = ok and unit is not None
        period = None
        try:
            period = rules.EconomyPeriod.entered(v.get("period") or "")
        except ValueError as exc:
            if "period" not in r.bad:
                ctx.problem(sheet, r.row, "period", str(exc))
            ok = False
        category = None
        if v.get("category"):
            category = categories.get(v["category"].casefold())
            if category is None:
                ctx.problem(
                    sheet,
                    r.row,
                    "category",
                    _("Okänd kategori ”%(name)s”: ange en kategoris kod eller namn.")
                    % {"name": v["category"]},
                )
                ok = False
        amount = None
        if "amount" not in r.bad:
            try:
                amount = parse_kronor(v.get("amount"))
            except ValueError as exc:
                ctx.problem(sheet, r.row, "amount", str(exc))
                ok = False
        rp.values = {
            "unit": unit,
            "period": period.key if period else None,
            "kind": v.get("kind"),
            "category": category,
            "amount": amount,
        }
        if unit and period:
            rp.label = f"{unit.name} {period.label} {KIND_LABELS.get(v.get('kind'), '')}"
            if category:
                rp.label += f" {category.name}"
        rp.ok = ok
        planned.append((r, rp))
    wanted = {
        (rp.values["unit"].pk, rp.values["period"])
        for _r, rp in planned
        if rp.ok and rp.values["unit"]
    }
    saved = {}
    units = sorted({u for u, _p in wanted})
    periods = sorted({p for _u, p in wanted})
    for i in range(0, len(units), 500):
        for f in EconomyFigure.objects.filter(
            org_unit_id__in=units[i : i + 500], period__in=periods
        ):
            saved[(f.org_unit_id, f.period, f.kind, f.category_id)] = f
    seen: dict = {}
    touched = []
    for r, rp in planned:
        ok = rp.ok
        v = rp.values
        if ok:
            key = (
                v["unit"].pk,
                v["period"],
                v["kind"],
                v["category"].pk if v["category"] else None,
            )
            if key in seen:
                ctx.problem(
                    sheet,
                    r.row,
                    "period",
                    _(
                        "Beloppet för organisationen, perioden, slaget och kategorin finns "
                        "redan på rad %(row)s."
                    )
                    % {"row": seen[key]},
                )
                ok = False
            seen.setdefault(key, r.row)
        if ok:
            existing = saved.get(key)
            v["seen_version"] = existing.version if existing else 0
            if existing is not None:
                rp.pk, rp.version = existing.pk, existing.version
                ctx.diff(
                    rp,
                    sheet,
                    [("amount", existing.amount, v["amount"], existing.amount, v["amount"])],
                )
            elif v["amount"] is None:
                rp.pk = 0  # nothing to record: an empty amount where none is saved
            if rp.pk is None or rp.changes:
                ok = ctx.may_write(sheet, r, "unit", v["unit"])
                if ok:
                    touched.append((r, rp))
        ctx.finish(rp, ok)
        ctx.plan.rows[sheet.key].append(rp)
    probes = {id(rp): _input(rp) for _r, rp in touched}
    locked = {id(f): message for f, message in figures_locked(list(probes.values()))}
    for r, rp in touched:
        if message := locked.get(id(probes[id(rp)])):
            ctx.problem(sheet, r.row, "amount", message)
            ctx.finish(rp, False)


def _input(rp) -> FigureInput:
    v = rp.values
    return FigureInput(
        v["unit"], v["period"], v["kind"], v["amount"], v["category"], v.get("seen_version")
    )


def apply_economy(rows, *, user, reason: str) -> None:
    figures_save(figures=[_input(rp) for rp in rows], user=user, reason=reason)


ECONOMY_SHEET = SheetExtension(
    sheet=ECONOMY, rows=export_rows, count=export_count, plan=plan_economy, apply=apply_economy
)
