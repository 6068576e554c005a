"""Goal and activity workflows that touch several rows or check state."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from goals import rules
from goals.extensions import MEASUREMENT_LOCKS, TARGET_LOCKS
from goals.models import (
    BudgetYear,
    Gender,
    Goal,
    GoalStatus,
    Indicator,
    IndicatorLatest,
    IndicatorSource,
    MandatePeriod,
    Measurement,
    Target,
    Vision,
)
from ledmot import clock
from ledmot.services import (
    ConflictError,
    LockedError,
    attributed_delete,
    attributed_save,
    versioned_save,
)

TRANSITIONS = rules.TRANSITIONS  # kept importable here


@transaction.atomic
def goal_set_status(
    *,
    goal: Goal,
    status: str,
    user,
    expected_version: int,
    decision_reference: str = "",
    decision_paragraph: str = "",
    decided_on=None,
):
    """Move a goal through its lifecycle (adopt, revise, end) with its decision."""
    if status not in TRANSITIONS[goal.status]:
        raise ValidationError(rules.goal_status_step_message(goal.status, status))
    if status in (GoalStatus.ADOPTED, GoalStatus.REVISED):
        if not (decision_reference or decision_paragraph or goal.decision_reference):
            raise ValidationError(
                {"decision_reference": _("Ange beslutet: diarienummer eller paragraf.")}
            )
        if not (decided_on or goal.decided_on):
            raise ValidationError({"decided_on": _("Ange beslutsdatum.")})
    goal.status = status
    if decision_reference:
        goal.decision_reference = decision_reference
    if decision_paragraph:
        goal.decision_paragraph = decision_paragraph
    if decided_on:
        goal.decided_on = decided_on
    reason = {
        GoalStatus.ADOPTED: _("Antaget"),
        GoalStatus.REVISED: _("Reviderat"),
        GoalStatus.ENDED: _("Avslutat"),
    }[status]
    return versioned_save(goal, user=user, expected_version=expected_version, reason=reason)


# --------------------------------------------------------------------------- periods


@transaction.atomic
def mandate_period_create(*, period: MandatePeriod, user) -> MandatePeriod:
    """Create a mandate period. The existing periods' rows are locked while its rules
    (no overlap, a first year not taken) are checked again, so two controllers creating
    the same or overlapping periods at the same moment get one period and one message,
    never two overlapping periods or a 500."""
    list(MandatePeriod.objects.select_for_update().values_list("pk", flat=True))
    return _create_checked(period, user=user, reason=_("Skapad"))


@transaction.atomic
def budget_year_create(*, year: BudgetYear, user) -> BudgetYear:
    """Add a budget year to a mandate period, with the period's row locked while the
    year's rules are checked again (a year exists once)."""
    MandatePeriod.objects.select_for_update().get(pk=year.mandate_period_id)
    return _create_checked(year, user=user, reason=_("Skapat"))


def _create_checked(obj, *, user, reason: str):
    obj.full_clean()
    try:
        with transaction.atomic():
            return attributed_save(obj, user=user, reason=reason)
    except IntegrityError:
        # Created by someone else in the same instant, before any row could be locked.
        obj.full_clean()
        raise


# --------------------------------------------------------------------------- vision


@transaction.atomic
def vision_save(*, vision: Vision, user, expected_version: int | None) -> Vision:
    """The one write path of a period's vision, with the version check.

    The period's row is locked first, so two controllers writing the period's first
    vision at the same moment cannot both create one: the second finds the first and
    gets the same conflict as any save based on an older version.
    """
    MandatePeriod.objects.select_for_update().get(pk=vision.mandate_period_id)
    if vision.pk is None:
        current = Vision.objects.filter(mandate_period_id=vision.mandate_period_id).first()
        if current is not None:
            raise ConflictError(current)
    return versioned_save(vision, user=user, expected_version=expected_version, reason=_("Vision"))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ValueInput:
    """One value to save: what a form row, an import row or a Kolada row carries.

    ``indicator`` needs ``pk`` and ``responsible_unit_id`` (the unit whose closed
    rounds lock the value).
    """

    indicator: Indicator
    period: str
    value: Decimal | None
    gender: str = Gender.TOTAL
    comment: str = ""
    source: str = IndicatorSource.MANUAL
    fetched_at: datetime.datetime | None = None


def measurement_locks(unit_ids) -> dict[tuple[int, str], str]:
    """``{(unit_id, period): round}``: the values the registered locks (closed rounds,
    see :data:`goals.extensions.MEASUREMENT_LOCKS`) freeze for the units' indicators."""
    locked: dict[tuple[int, str], str] = {}
    unit_ids = set(unit_ids)
    if unit_ids:
        for lock in MEASUREMENT_LOCKS:
            locked.update(lock(unit_ids))
    return locked


def target_locks(unit_ids) -> dict[tuple[int, int], str]:
    """``{(unit_id, year): round}``: the years whose targets are frozen for the units'
    indicators (see :data:`goals.extensions.TARGET_LOCKS`)."""
    locked: dict[tuple[int, int], str] = {}
    unit_ids = set(unit_ids)
    if unit_ids:
        for lock in TARGET_LOCKS:
            locked.update(lock(unit_ids))
    return locked


def measurements_locked(values) -> list[tuple[ValueInput, str]]:
    """The values a closed round has frozen, each with the message that says so.

    For a caller that skips them instead of failing (Kolada); ``measurements_save``
    refuses them with the same message.
    """
    return _locked([(v, rules.measurement_keys(v.period).period) for v in values])


def _locked(values: list[tuple[ValueInput, str]]) -> list[tuple[ValueInput, str]]:
    """``values``: (value, normalised period) pairs."""
    locked = measurement_locks({v.indicator.responsible_unit_id for v, _period in values})
    out = []
    for v, period in values:
        label = locked.get((v.indicator.responsible_unit_id, period))
        if label:
            out.append((v, rules.value_locked_message(period, label)))
    return out


class ValuesLocked(LockedError):
    """Some values to save belong to a closed round. ``locked``: those values with
    their messages, so a screen can show each beside its cell."""

    def __init__(self, locked: list[tuple[ValueInput, str]]):
        super().__init__(list(dict.fromkeys(message for _v, message in locked)))
        self.locked = locked


MEASUREMENT_FIELDS = ["value", "comment", "source", "fetched_at", "entered_by", "entered_at"]


@transaction.atomic
def measurements_save(*, values: list[ValueInput], user, reason: str = "") -> list[Measurement]:
    """The one write path of indicator values (screens, report page, import, Kolada).

    Saves many values in one transaction, in bulk, each changed row with its history
    record naming ``user``, then refreshes the changed indicators' latest value once.
    An unchanged value writes nothing (no empty history). A value of a period that a
    closed round has locked is refused with :class:`ValuesLocked` and nothing is
    written. Returns the rows written.
    """
    wanted: dict[tuple[int, str, str], tuple[ValueInput, rules.MeasurementKeys]] = {}
    for v in values:
        keys = rules.measurement_keys(v.period)
        wanted[(v.indicator.pk, keys.period, v.gender)] = (v, keys)
    if not wanted:
        return []
    existing: dict[tuple[int, str, str], Measurement] = {}
    periods = {k[1] for k in wanted}
    for chunk in _chunks({k[0] for k in wanted}):
        for m in Measurement.objects.filter(indicator_id__in=chunk, period__in=periods):
            existing[(m.indicator_id, m.period, m.gender)] = m
    now = clock.now()
    creates, updates, changed = [], [], []
    for key, (v, keys) in wanted.items():
        m = existing.get(key)
        if m is None:
            m = Measurement(
                indicator_id=v.indicator.pk,
                period=keys.period,
                year=keys.year,
                sort_key=keys.sort_key,
                gender=v.gender,
            )
            creates.append(m)
        elif m.value == v.value and m.comment == v.comment and m.source == v.source:
            continue
        else:
            updates.append(m)
        m.value, m.comment, m.source, m.fetched_at = v.value, v.comment, v.source, v.fetched_at
        m.entered_by, m.entered_at = user, now
        changed.append((v, keys.period))
    locked = _locked(changed)
    if locked:
        raise ValuesLocked(locked)
    history = {
        "default_user": user,
        "default_change_reason": reason or None,
        "default_date": now,
        "batch_size": 1000,
    }
    if updates:
        _update_many(Measurement, updates, MEASUREMENT_FIELDS)
        Measurement.history.bulk_history_create(updates, update=True, **history)
    if creates:
        creates = bulk_create_with_history(creates, Measurement, **history)
    indicator_refresh_latest({v.indicator.pk for v, _period in changed})
    return [*updates, *creates]


def _chunks(ids, size: int = 2000):
    ids = sorted(ids)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _update_many(model, objs, names: list[str]) -> None:
    """One parameterised UPDATE by primary key, executed for every object.

    What ``bulk_update_with_history`` does, minus Django's ``bulk_update``, which builds
    a CASE expression per object and field and takes seconds for thousands of rows.
    The caller writes the history records (``bulk_history_create``) right after.
    """
    fields = [model._meta.get_field(n) for n in names]
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(f.column)} = %s" for f in fields)
    table, pk = q(model._meta.db_table), q(model._meta.pk.column)
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 - names from _meta
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class TargetsLocked(LockedError):
    """Some years' targets are frozen. ``locked``: ``{year: message}``."""

    def __init__(self, locked: dict[int, str]):
        super().__init__(list(locked.values()))
        self.locked = locked


class TargetsConflict(ConflictError):
    """Someone else saved some years' targets after the editor loaded them.
    ``current``: ``{year: Target or None}``, those years as saved now."""


@transaction.atomic
def targets_save(
    *,
    indicator: Indicator,
    values: dict[int, Decimal | None],
    user,
    expected: dict[int, Decimal | None] | None = None,
) -> None:
    """The one write path of targets: set (or with ``None`` remove) the targets of some
    years. A year whose annual report is closed (see :func:`target_locks`) is refused
    with ``LockedError`` and nothing is written.

    ``expected``: what the editor's form showed for the years in ``values`` (a form
    sends only the years the person changed). A year saved since as something else, and
    not as the same new value, is refused with ``TargetsConflict`` and nothing is
    written; years not in ``values`` are left as they are. The indicator's row is locked
    first, so simultaneous saves of one indicator's targets run one after the other.
    """
    list(Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk"))
    too_large = [
        message
        for value in values.values()
        if value is not None and (message := rules.number_storage_error(value))
    ]
    if too_large:
        raise ValidationError(too_large)
    existing = {t.year: t for t in Target.objects.filter(indicator_id=indicator.pk)}
    if expected is not None:
        conflicts = {
            year: existing.get(year)
            for year, value in values.items()
            if year in expected and _target_value(existing.get(year)) not in (expected[year], value)
        }
        if conflicts:
            raise TargetsConflict(conflicts)
    changes = []
    for year, value in sorted(values.items()):
        target = existing.get(year)
        if value is None and target is None:
            continue
        if target is not None and value is not None and target.value == value:
            continue
        changes.append((year, value, target))
    if not changes:
        return
    locked = target_locks({indicator.responsible_unit_id})
    refused = {
        year: rules.target_locked_message(year, locked[(indicator.responsible_unit_id, year)])
        for year, _value, _target in changes
        if (indicator.responsible_unit_id, year) in locked
    }
    if refused:
        raise TargetsLocked(refused)
    for year, value, target in changes:
        if value is None:
            attributed_delete(target, user=user)
            continue
        target = target or Target(indicator=indicator, year=year)
        target.value = value
        attributed_save(target, user=user)
    indicator_refresh_latest({indicator.pk})


def _target_value(target: Target | None) -> Decimal | None:
    return target.value if target is not None else None


def linear_progression(
    *, baseline: Decimal, baseline_year: int, end_value: Decimal, end_year: int, decimals: int
) -> dict[int, Decimal]:
    """Årsvis progressionstakt: equal steps from the baseline to the end target.

    The years between are rounded to the indicator's decimals; the end year gets the
    end target exactly as given (what the person typed is what is stored)."""
    if end_year <= baseline_year:
        raise ValidationError(_("Slutåret måste ligga efter utgångsåret."))
    step = (end_value - baseline) / (end_year - baseline_year)
    quantum = Decimal(1).scaleb(-decimals)
    years = {
        year: (baseline + step * (year - baseline_year)).quantize(quantum)
        for year in range(baseline_year + 1, end_year)
    }
    years[end_year] = end_value
    return years


def targets_fill_linear(*, indicator: Indicator, period: MandatePeriod, end_value: Decimal, user):
    """Fill the years of the mandate period linearly from the baseline to the end target."""
    if indicator.baseline_value is None or indicator.baseline_year is None:
        raise ValidationError(_("Ange utgångsvärde och utgångsår innan målvärdena fylls i."))
    if error := rules.indicator_number_error(end_value, unit=indicator.unit):
        raise ValidationError(error)
    years = linear_progression(
        baseline=indicator.baseline_value,
        baseline_year=indicator.baseline_year,
        end_value=end_value,
        end_year=period.end_year,
        decimals=indicator.decimals,
    )
    in_period = {y: v for y, v in years.items() if y >= period.start_year}
    targets_save(indicator=indicator, values=in_period, user=user)
    return in_period


def indicator_refresh_latest(indicator_ids) -> None:
    """Keep IndicatorLatest in step: latest total value and the target of its year."""
    ids = set(indicator_ids)
    latest: dict[int, Measurement] = {}
    for m in (
        Measurement.objects.filter(indicator_id__in=ids, gender=Gender.TOTAL, value__isnull=False)
        .order_by("indicator_id", "-sort_key")
        .only("indicator_id", "period", "year", "value", "sort_key")
    ):
        latest.setdefault(m.indicator_id, m)
    targets = {
        (t.indicator_id, t.year): t.value
        for t in Target.objects.filter(
            indicator_id__in=ids, year__in={m.year for m in latest.values()}
        )
    }
    # A derived cache without history: one upsert, not two queries per indicator.
    IndicatorLatest.objects.bulk_create(
        [
            IndicatorLatest(
                indicator_id=pk,
                period=m.period if m else "",
                year=m.year if m else None,
                sort_key=m.sort_key if m else None,
                value=m.value if m else None,
                target=targets.get((pk, m.year)) if m else None,
            )
            for pk in ids
            for m in [latest.get(pk)]
        ],
        update_conflicts=True,
        unique_fields=["indicator"],
        update_fields=["period", "year", "sort_key", "value", "target"],
        batch_size=500,
    )
