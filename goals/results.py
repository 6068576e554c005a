"""Entering indicator values: the unit manager's results page.

Many values are entered in one form and saved in one transaction; one bad cell
stops the whole form, with the message beside that cell.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils.translation import gettext as _

from goals import rules
from goals.models import Frequency, Gender, Indicator, Measurement
from goals.periods import ReportingPeriod
from goals.services import Seen, ValueInput, ValuesChanged, measurement_locks
from ledmot.lib.numbers import parse_number
from ledmot.lib.prepared import prepared_rows
from ledmot.lib.text import clean_text, field_length, too_long_message

due_period = rules.due_period  # kept importable here


def is_stale(indicator: Indicator, today: datetime.date) -> bool:
    """No value for a period whose reporting deadline has passed (see
    :func:`goals.rules.is_stale`, the one definition). Needs ``indicator.latest``
    (select_related)."""
    latest = getattr(indicator, "latest", None)
    return rules.is_stale(
        indicator.frequency, latest.sort_key if latest else None, today, indicator.ended_on
    )


def genders_of(indicator: Indicator) -> list[str]:
    if indicator.gender_breakdown:
        return [Gender.TOTAL, Gender.WOMEN, Gender.MEN]
    return [Gender.TOTAL]


show = rules.value_text  # kept importable here


class Saved(NamedTuple):
    """What a row shows of a saved value (a committee's report draws ~130 of them: model
    instances were a fifth of its rows' time)."""

    value: Decimal | None
    comment: str


@dataclass
class Cell:
    gender: str
    label: str
    name: str
    original_name: str
    current: Saved | None
    text: str = ""
    original: str = ""
    error: str = ""
    value: Decimal | None = None


@dataclass
class Row:
    indicator: Indicator
    period: ReportingPeriod
    cells: list[Cell] = field(default_factory=list)
    comment: str = ""
    original_comment: str = ""  # the comment as the page was loaded
    saved_comment: str | None = None  # someone else's comment, saved while this was typed
    stale: bool = False
    locked: str = ""  # why a closed round has frozen this row's values, or ""
    comment_error: str = ""

    @property
    def comment_name(self) -> str:
        return f"c-{self.indicator.pk}"

    @property
    def original_comment_name(self) -> str:
        return f"oc-{self.indicator.pk}"

    @property
    def comment_max_length(self) -> int:
        return field_length(Measurement, "comment")

    @property
    def period_name(self) -> str:
        return f"p-{self.indicator.pk}"

    @property
    def empty(self) -> bool:
        return any(c.current is None or c.current.value is None for c in self.cells)

    @property
    def has_error(self) -> bool:
        return bool(self.comment_error) or any(c.error for c in self.cells)


def row_periods(
    today: datetime.date, override: ReportingPeriod | None = None
) -> dict[str, ReportingPeriod]:
    """The period a row asks for, per frequency: the one due now, or ``override`` for
    indicators of its frequency (as :func:`build_rows` picks it)."""
    periods = {f: due_period(f, today) for f in Frequency.values}
    if override is not None:
        periods[override.kind] = override
    return periods


def in_entry_order(
    indicators: QuerySet[Indicator],
    today: datetime.date,
    *,
    override: ReportingPeriod | None = None,
) -> QuerySet[Indicator]:
    """``indicators`` as :func:`build_rows` lists them, worked out in the database so that
    a page of them can be cut out: only those asked for a value in their row's period
    (not ended before it starts), the ones with an empty cell first, then by unit and
    name. Rows of one page are sorted the same way by :func:`build_rows`."""
    periods = row_periods(today, override)
    asked = Q(ended_on__isnull=True)
    for f, period in periods.items():
        asked |= Q(frequency=f, ended_on__gte=period.start)
    due_key = Case(*(When(frequency=f, then=Value(p.key)) for f, p in periods.items()))
    filled = Measurement.objects.filter(
        indicator=OuterRef("pk"), period=OuterRef("due_key"), value__isnull=False
    )
    filled_cells = filled.order_by().values("indicator").annotate(n=Count("pk")).values("n")
    some_empty = LessThan(Coalesce(Subquery(filled_cells), 0), len(Gender))
    empty_first = Case(
        When(gender_breakdown=True, then=some_empty),
        default=~Exists(filled.filter(gender=Gender.TOTAL)),
        output_field=BooleanField(),
    )
    return (
        indicators.filter(asked)
        .alias(due_key=due_key)
        .annotate(has_empty=empty_first)
        .order_by("-has_empty", "responsible_unit__path", "name", "pk")
    )


def _saved(*, ids, keys):
    return Measurement.objects.filter(indicator_id__in=ids, period__in=keys).values_list(
        "indicator_id", "period", "gender", "value", "comment"
    )


def build_rows(
    indicators,
    today: datetime.date,
    *,
    override: ReportingPeriod | None = None,
    periods: dict[int, ReportingPeriod] | None = None,
) -> list[Row]:
    """One row per indicator with a cell per gender, in one query for the values.

    The period of a row is the one due now, or ``override`` for indicators of
    its frequency, or (when a form comes back) the one the form was for. An
    indicator ended before that period starts gets no row.
    """
    rows = []
    due = row_periods(today, override)
    for ind in indicators:
        period = due[ind.frequency]
        if periods and ind.pk in periods:
            period = periods[ind.pk]
        if not ind.measured_in(period):
            continue  # ended before the period starts: no value is asked for
        rows.append(Row(indicator=ind, period=period, stale=is_stale(ind, today)))
    ids, keys = [r.indicator.pk for r in rows], sorted({r.period.key for r in rows})
    existing = {
        (pk, period, gender): Saved(value, comment)
        for pk, period, gender, value, comment in (
            prepared_rows(("entered-values", len(ids), len(keys)), _saved, ids=ids, keys=keys)
            if rows
            else ()
        )
    }
    labels = {g: str(label) for g, label in Gender.choices}  # words once, not per cell
    locks = measurement_locks({r.indicator.responsible_unit_id for r in rows})
    said: dict[tuple, str] = {}  # a lock's message once per period and round, not per row
    for row in rows:
        pk = row.indicator.pk
        if label := locks.get((row.indicator.responsible_unit_id, row.period.key)):
            lock = (row.period.key, label, type(label))  # an approved report's label is a str
            if lock not in said:
                said[lock] = rules.value_locked_message(row.period.key, label)
            row.locked = said[lock]
        for g in genders_of(row.indicator):
            current = existing.get((pk, row.period.key, g))
            cell = Cell(
                gender=g,
                label=labels[g],
                name=f"v-{pk}-{g}",
                original_name=f"o-{pk}-{g}",
                current=current,
            )
            cell.text = cell.original = show(current.value) if current else ""
            if g == Gender.TOTAL and current:
                row.comment = row.original_comment = current.comment
            row.cells.append(cell)
    rows.sort(key=lambda r: (not r.empty, r.indicator.responsible_unit.path, r.indicator.name))
    return rows


def bind(rows: list[Row], data) -> list[ValueInput]:
    """Read the posted cells into the rows; set ``cell.error`` where a value cannot be right.

    Returns the values the person changed, each with what it was when the page was
    loaded (the hidden ``o-``/``oc-`` fields), so that ``measurements_save`` refuses
    it if someone else saved it since. The caller saves nothing if any cell has an error.
    """
    values = []
    for row in rows:
        ind = row.indicator
        row.comment = clean_text(data.get(row.comment_name, "")).strip()
        row.original_comment = data.get(row.original_comment_name, "")
        limit = row.comment_max_length
        if len(row.comment) > limit:
            # Refused with the text kept in the form, never cut behind the person's back.
            row.comment_error = too_long_message(limit, len(row.comment))
        for cell in row.cells:
            cell.text = data.get(cell.name, "").strip()
            # The page's baseline stays the one the person loaded, also when the form
            # comes back with an error: only a conflict moves it (mark_changed).
            cell.original = data.get(cell.original_name, "")
            try:
                cell.value = parse_number(cell.text)
            except ValueError:
                cell.error = _("Skriv ett tal, t.ex. 12,5 eller 1 234.")
                continue
            if cell.value is not None:
                cell.error = rules.indicator_number_error(cell.value, unit=ind.unit) or ""
            if cell.error or row.comment_error:
                continue
            try:
                loaded = parse_number(cell.original)
            except ValueError:
                loaded = None  # a tampered baseline: compared as an empty cell
            if cell.gender == Gender.TOTAL:
                seen = Seen(loaded, row.original_comment)
                comment = row.comment
            else:
                seen = Seen(loaded, comment=None)  # the comment is the total's
                comment = None
            if cell.value == seen.value and (
                comment is None or rules.same_comment(comment, seen.comment)
            ):
                continue  # the person changed nothing here
            values.append(
                ValueInput(
                    indicator=ind,
                    period=row.period.key,
                    value=cell.value,
                    gender=cell.gender,
                    comment=comment,
                    seen=seen,
                )
            )
    return values


def changed_message() -> str:
    """Above the form after a conflict (the cells say which values and who)."""
    return _(
        "Någon annan har sparat medan du skrev. Inget har sparats; jämför med de sparade "
        "värdena och spara igen."
    )


def mark_changed(rows: list[Row], exc: ValuesChanged) -> None:
    """After a conflict: the message beside each cell someone else saved, and the page's
    baseline moved to what is saved now, so that saving again (after comparing) goes
    through. What the person typed stays in the cells."""
    changed = {
        (v.indicator.pk, v.gender): (m, message)
        for (v, m), message in zip(exc.changed, exc.messages, strict=True)
    }
    for row in rows:
        for cell in row.cells:
            if (row.indicator.pk, cell.gender) not in changed:
                continue
            current, message = changed[(row.indicator.pk, cell.gender)]
            cell.error = message
            cell.original = show(current.value if current else None)
            if cell.gender == Gender.TOTAL:
                saved = current.comment if current else ""
                if not rules.same_comment(saved, row.original_comment):
                    row.saved_comment = saved
                row.original_comment = saved


def mark_locked(rows: list[Row], exc) -> None:
    """Put the message of each value a closed round has locked (``ValuesLocked``)
    beside its cell."""
    by_cell = {(v.indicator.pk, v.gender): message for v, message in exc.locked}
    for row in rows:
        for cell in row.cells:
            if message := by_cell.get((row.indicator.pk, cell.gender)):
                cell.error = message


def typed_after_end(data, periods, indicators: dict[int, Indicator]) -> list[str]:
    """Why values typed for an indicator ended before its row's period starts cannot be
    saved: the indicator was ended while the page was open, so its row is no longer
    built and ``bind`` would silently drop what was typed there. Empty when nothing was
    typed. ``/resultat/`` and the report page ask this before saving."""
    out = []
    for pk, period in periods.items():
        ind = indicators[pk]
        if ind.measured_in(period):
            continue
        typed = any(
            data.get(key, "").strip() != data.get(f"o-{key[2:]}", "").strip()
            for key in data
            if key.startswith(f"v-{pk}-")
        ) or not rules.same_comment(data.get(f"c-{pk}", ""), data.get(f"oc-{pk}", ""))
        if typed:
            out.append(rules.indicator_ended_value_message(ind.name, ind.ended_on, period.label))
    return out
