"""The full workbook export: every sheet of :mod:`goals.workbook.columns`, streamed.

A write-only workbook is written row by row to a file, from one query per sheet
(plus one for the indicators' goals) iterated in chunks, so the number of
queries and the memory stay the same whatever the size of the municipality.
Numbers are written as numbers, dates as dates, and every piece of text as a
text cell: never a formula, whatever it starts with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from goals.models import Activity, Goal, Indicator, Measurement, Target
from goals.workbook.columns import (
    ACTIVITIES,
    ACTIVITY_STATUSES,
    DIRECTIONS,
    FREQUENCIES,
    GOAL_STATUSES,
    GOAL_TYPES,
    GOALS,
    INDICATOR_KINDS,
    INDICATORS,
    LEVELS,
    RESULTS,
    TARGETS,
    Sheet,
    all_sheets,
    extensions,
    label_of,
)
from ledmot.access import Cap, access_for
from ledmot.lib.xlsx import KRONOR_FORMAT, cell, text_cell

CHUNK = 5000
PROGRESS_ROWS = 1000  # progress is reported every this many rows

# progress(done, total, label), as :class:`ledmot.jobs.Progress`.
Progress = Callable[..., None]


def export_scope(user) -> Q:
    """Org units whose rows ``user`` exports: where they manage, or everything for
    ``None`` (the command line) and superusers."""
    if user is None:
        return Q()
    return access_for(user).units_q(Cap.MANAGE, field="")


def _text(ws, value):
    """A text cell that stays text (see :func:`ledmot.lib.xlsx.text_cell`); empty for
    no text."""
    if value is None or value == "":
        return None
    return text_cell(ws, value)


def _heading(ws, sheet: Sheet) -> None:
    for i, col in enumerate(sheet.columns):
        letter = chr(ord("A") + i)
        ws.column_dimensions[letter].width = col.width
    ws.freeze_panes = "A2"
    cells = []
    for col in sheet.columns:
        cell = WriteOnlyCell(ws, value=col.heading)
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)


def _unit_q(scope: Q, field: str) -> Q:
    """``scope`` (a filter on OrgUnit) moved onto the foreign key ``field``."""
    if not scope:
        return Q()
    return Q(**{f"{field}__in": _units(scope)})


def _units(scope: Q):
    from ledmot.models import OrgUnit

    return OrgUnit.objects.filter(scope).values("pk")


# Each sheet's rows: the model and the foreign key to the org unit that scopes them.
SOURCES = {
    GOALS.key: (Goal, "owner"),
    ACTIVITIES.key: (Activity, "owner"),
    INDICATORS.key: (Indicator, "responsible_unit"),
    TARGETS.key: (Target, "indicator__responsible_unit"),
    RESULTS.key: (Measurement, "indicator__responsible_unit"),
}


def _rows_of(key: str, scope: Q):
    """The rows of sheet ``key`` in ``scope``, unordered: one filter for the rows
    written and their count."""
    model, field = SOURCES[key]
    return model.objects.filter(_unit_q(scope, field))


def _goal_rows(ws, scope: Q) -> Iterable[list]:
    levels = {v: k for k, v in LEVELS.items()}
    qs = (
        _rows_of(GOALS.key, scope)
        .order_by("pk")
        .values_list(
            "pk",
            "level",
            "parent_id",
            "owner__code",
            "title",
            "description",
            "perspective__name",
            "mandate_period__start_year",
            "mandate_period__end_year",
            "status",
            "external_id",
            "goal_type",
        )
    )
    rows = qs.iterator(CHUNK)
    for pk, level, parent, owner, title, desc, persp, start, end, status, ext, gtype in rows:
        yield [
            pk,
            levels.get(level, level),
            parent,
            _text(ws, owner),
            _text(ws, title),
            _text(ws, desc),
            _text(ws, persp),
            f"{start}-{end}",
            label_of(GOAL_STATUSES, status),
            _text(ws, ext),
            label_of(GOAL_TYPES, gtype),
        ]


def _activity_rows(ws, scope: Q) -> Iterable[list]:
    qs = (
        _rows_of(ACTIVITIES.key, scope)
        .order_by("pk")
        .values_list(
            "pk",
            "goal_id",
            "owner__code",
            "title",
            "responsible",
            "start",
            "end",
            "status",
            "external_id",
            "cost",
        )
    )
    for pk, goal, owner, title, responsible, start, end, status, ext, cost in qs.iterator(CHUNK):
        yield [
            pk,
            goal,
            _text(ws, owner),
            _text(ws, title),
            _text(ws, responsible),
            start,
            end,
            label_of(ACTIVITY_STATUSES, status),
            _text(ws, ext),
            cell(ws, cost, KRONOR_FORMAT),
        ]


def _indicator_rows(ws, scope: Q) -> Iterable[list]:
    through = Indicator.goals.through.objects.filter(_unit_q(scope, "indicator__responsible_unit"))
    goal_ids: dict[int, list[int]] = defaultdict(list)
    for indicator_id, goal_id in through.order_by("indicator_id", "goal_id").values_list(
        "indicator_id", "goal_id"
    ):
        goal_ids[indicator_id].append(goal_id)
    qs = (
        _rows_of(INDICATORS.key, scope)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "unit",
            "direction",
            "frequency",
            "kolada_id",
            "responsible_unit__code",
            "baseline_value",
            "baseline_year",
            "external_id",
            "kind",
        )
    )
    rows = qs.iterator(CHUNK)
    for pk, name, unit, direction, freq, kolada, owner, base, base_year, ext, kind in rows:
        yield [
            pk,
            _text(ws, name),
            _text(ws, unit),
            label_of(DIRECTIONS, direction),
            label_of(FREQUENCIES, freq),
            _text(ws, ", ".join(str(g) for g in goal_ids.get(pk, ()))),
            _text(ws, kolada),
            _text(ws, owner),
            base,
            base_year,
            _text(ws, ext),
            label_of(INDICATOR_KINDS, kind),
        ]


def _target_rows(ws, scope: Q) -> Iterable[list]:
    qs = (
        _rows_of(TARGETS.key, scope)
        .order_by("indicator_id", "year")
        .values_list("indicator_id", "year", "value")
    )
    for indicator, year, value in qs.iterator(CHUNK):
        yield [indicator, year, value]


def _result_rows(ws, scope: Q) -> Iterable[list]:
    qs = (
        _rows_of(RESULTS.key, scope)
        .order_by("indicator_id", "sort_key", "gender")
        .values_list("indicator_id", "period", "gender", "value", "comment")
    )
    for indicator, period, gender, value, comment in qs.iterator(CHUNK):
        yield [indicator, period, gender, value, _text(ws, comment)]


ROWS = {
    GOALS.key: _goal_rows,
    ACTIVITIES.key: _activity_rows,
    INDICATORS.key: _indicator_rows,
    TARGETS.key: _target_rows,
    RESULTS.key: _result_rows,
}


def export_workbook(target, *, user=None, empty: bool = False, progress: Progress | None = None):
    """Write the full workbook to ``target`` (a path or a binary file).

    ``user``: only rows of the org units they manage (``None``: everything).
    ``empty``: the headings only, a template to fill in. ``progress``: called as
    ``progress(done, total, label)`` with the rows written so far, the rows in all
    sheets (counted first, one query per sheet) and the sheet being written. Returns
    the number of data rows written per sheet.
    """
    scope = export_scope(user)
    extra = {e.sheet.key: e for e in extensions()}
    total = 0
    if progress and not empty:
        total = sum(
            extra[sheet.key].count(scope)
            if sheet.key in extra
            else _rows_of(sheet.key, scope).count()
            for sheet in all_sheets()
        )
    wb = Workbook(write_only=True)
    counts = {}
    written = 0
    for sheet in all_sheets():
        ws = wb.create_sheet(sheet.name)
        _heading(ws, sheet)
        n = 0
        if progress:
            progress(written, total, _("Skriver bladet %(sheet)s") % {"sheet": sheet.name})
        if not empty:
            rows = extra[sheet.key].rows if sheet.key in extra else ROWS[sheet.key]
            for row in rows(ws, scope):
                ws.append(row)
                n += 1
                if progress and n % PROGRESS_ROWS == 0:
                    progress(written + n)
        counts[sheet.key] = n
        written += n
    if progress:
        # Rows may have been added while writing: the total is never below what was done.
        progress(written, max(total, written), _("Sparar filen"))
    wb.save(target)
    return counts
