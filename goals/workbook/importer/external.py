"""Rows matched on their external id, before the sheets are planned.

A row the workbook creates keeps the text it was known by (``Id`` ``ny-1``, or the
``Externt id`` column) as its external id (:mod:`goals.models.external`). Before the
planners run, every such text that names a row created earlier is replaced by that
row's number, in the row itself and in every reference to it (``Överordnat id``,
``Mål-id``, ``Indikator-id``). The planners then see an existing row and compare it
as they do for a numeric ``Id``: importing the same workbook again, or re-running a
migration from another system, changes nothing and creates nothing twice.

Which text is a row's external id: the ``Externt id`` cell when it is filled, else
the text in ``Id``. An empty ``Externt id`` leaves a row's stored one as it is.
The rule for what an external id may be is :func:`goals.rules.external_id_error`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from goals import rules
from goals.models import Activity, Goal, Indicator, visible_goal_q
from goals.workbook import columns as C
from goals.workbook.columns import Sheet
from goals.workbook.importer.context import Context, chunks
from goals.workbook.importer.reader import RawRow
from ledmot.access import Cap


@dataclass(frozen=True)
class Kind:
    sheet: Sheet
    model: type[models.Model]
    unit_field: str  # the org unit that decides who may change the row
    refs: tuple[tuple[Sheet, str], ...]  # the columns that refer to rows of this kind
    visible: bool = False  # references resolve only to rows the user may read (goals)


KINDS = (
    Kind(
        C.GOALS,
        Goal,
        "owner_id",
        ((C.GOALS, "parent"), (C.ACTIVITIES, "goal"), (C.INDICATORS, "goals")),
        visible=True,
    ),
    Kind(C.ACTIVITIES, Activity, "owner_id", ()),
    Kind(
        C.INDICATORS,
        Indicator,
        "responsible_unit_id",
        ((C.TARGETS, "indicator"), (C.RESULTS, "indicator")),
    ),
)


def match_external_ids(ctx: Context) -> None:
    """Replace external ids of existing rows by their numbers (see the module)."""
    for kind in KINDS:
        names = _match_rows(ctx, kind)
        _match_refs(ctx, kind, names)


def _key(ctx: Context, sheet: Sheet, r: RawRow) -> tuple[str | None, str]:
    """The row's external id (``None``: none given, or a problem recorded) and the
    column it was written in."""
    ident = r.values.get("id")
    text = rules.external_id_normalise(r.values.get("external_id"))
    column = "external_id"
    if not text and isinstance(ident, str):
        text, column = rules.external_id_normalise(ident), "id"
    if not text:
        r.values.pop("external_id", None)
        return None, column
    if message := rules.external_id_error(text):
        ctx.problem(sheet, r.row, column, message)
        _refuse(r, column)
        return None, column
    if ident is None:
        # A new row known only by its external id: other rows may refer to it by it.
        r.values["id"] = text
    r.values["external_id"] = text
    return text, column


def _match_rows(ctx: Context, kind: Kind) -> dict[str, int | None]:
    """Each row's external id matched with the database. Returns the sheet's own text
    ids (the names other rows refer to) → the matched row's number, or ``None`` for a
    row still to be created."""
    sheet = kind.sheet
    rows = [(r, *_key(ctx, sheet, r)) for r in ctx.raw.get(sheet.key, [])]
    found: dict[str, tuple[int, Any]] = {}
    for chunk in chunks({key for _r, key, _c in rows if key}):
        for pk, ext, unit_id in kind.model._default_manager.filter(
            external_id__in=chunk
        ).values_list("pk", "external_id", kind.unit_field):
            found[ext] = (pk, unit_id)
    numbered = {r.values["id"]: r.row for r, _k, _c in rows if isinstance(r.values.get("id"), int)}
    names: dict[str, int | None] = {}
    seen: dict[str, int] = {}
    for r, key, column in rows:
        ident = r.values.get("id")
        if isinstance(ident, str):
            # A refused row's name too: nothing may refer past it to another row.
            names.setdefault(ident, None)
        if key is None:
            continue
        if key in seen:
            ctx.problem(sheet, r.row, column, _duplicate(column) % {"id": key, "row": seen[key]})
            _refuse(r, column)
            continue
        seen[key] = r.row
        match = found.get(key)
        if match is None:
            continue
        pk, unit_id = match
        if isinstance(ident, int) and ident != pk:
            ctx.problem(
                sheet,
                r.row,
                column,
                _("Det externa id:t ”%(id)s” hör redan till en annan rad.") % {"id": key},
            )
            _refuse(r, column)
            continue
        if ident == pk:
            continue  # found by its number: compared, and its changes checked, as any
        if ctx.access is not None and not ctx.access.can(Cap.MANAGE, ctx.units.get(unit_id)):
            # Found only by its external id: refused whatever the row says, so nothing
            # of a row the user may not change (not even whether it matches) is shown.
            ctx.problem(
                sheet,
                r.row,
                column,
                _("Det externa id:t ”%(id)s” hör till en rad som du inte får ändra.") % {"id": key},
            )
            _refuse(r, column)
            continue
        if pk in numbered:
            # The same row twice: once by its number, once by its external id.
            ctx.problem(sheet, r.row, column, _duplicate(column) % {"id": key, "row": numbered[pk]})
            _refuse(r, column)
            continue
        if isinstance(ident, str):
            names[ident] = pk
        r.values["id"] = pk
    return names


def _duplicate(column: str) -> str:
    if column == "id":
        return _("Id %(id)s finns redan på rad %(row)s.")
    return _("Det externa id:t ”%(id)s” finns redan på rad %(row)s.")


def _refuse(r: RawRow, column: str) -> None:
    """A row with a problem in its identity: planned as invalid, and known by no name."""
    r.bad.add(column)
    if isinstance(r.values.get("id"), str):
        r.values["id"] = None
    r.values.pop("external_id", None)


def _match_refs(ctx: Context, kind: Kind, names: dict[str, int | None]) -> None:
    """References by text: a row of this workbook by its ``Id`` first, else a row
    created earlier by its external id (a goal only if the user may read it). What
    matches neither is left for the planners to report as unknown."""
    refs = [(sheet, key, r) for sheet, key in kind.refs for r in ctx.raw.get(sheet.key, [])]
    texts = set()
    for _sheet, key, r in refs:
        value = r.values.get(key)
        for ref in value if isinstance(value, list) else [value]:
            if isinstance(ref, str) and ref not in names:
                texts.add(rules.external_id_normalise(ref))
    found: dict[str, int] = {}
    qs = kind.model._default_manager.all()
    if kind.visible and ctx.user is not None:
        qs = qs.filter(visible_goal_q(ctx.user))
    for chunk in chunks(texts):
        found.update(qs.filter(external_id__in=chunk).values_list("external_id", "pk"))
    for _sheet, key, r in refs:
        value = r.values.get(key)
        if isinstance(value, list):
            r.values[key] = [_resolve(ref, names, found) for ref in value]
        else:
            r.values[key] = _resolve(value, names, found)


def _resolve(ref, names: dict[str, int | None], found: dict[str, int]):
    if not isinstance(ref, str):
        return ref
    if ref in names:
        return names[ref] if names[ref] is not None else ref
    return found.get(rules.external_id_normalise(ref)) or ref


def external_id_pair(row: dict, values: dict) -> tuple[str, Any, Any, Any, Any]:
    """The ``Externt id`` column of an existing row for :meth:`Context.diff`: a filled
    cell that differs from the stored id changes it; an empty one leaves it."""
    old = row["external_id"]
    new = values.get("external_id") or old
    return ("external_id", old, new, old, new)
