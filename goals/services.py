"""Goal and activity workflows that touch several rows or check state."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from goals import rules
from goals.extensions import MEASUREMENT_LOCKS, TARGET_LOCKS
from goals.models import (
    Assignment,
    AssignmentStatus,
    BudgetYear,
    Gender,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    IndicatorLatest,
    IndicatorSource,
    MandatePeriod,
    Measurement,
    PlanChoice,
    PlanStatus,
    Target,
    UnitPlan,
    Vision,
    YearPlan,
)
from ledmot import clock
from ledmot.models import OrgUnit
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


# --------------------------------------------------------------------------- verksamhetsplan


@transaction.atomic
def unit_plan_save(*, plan: UnitPlan, user, expected_version: int | None) -> UnitPlan:
    """The one write path of a unit's verksamhetsplan texts (nuläge, grunduppdrag),
    with the version check. The unit's row is locked first, so two editors writing the
    year's first plan at once cannot both create one: the second gets a conflict."""
    OrgUnit.objects.select_for_update().get(pk=plan.unit_id)
    if plan.pk is None:
        current = UnitPlan.objects.filter(unit_id=plan.unit_id, year=plan.year).first()
        if current is not None:
            raise ConflictError(current)
    plan.full_clean()
    return versioned_save(
        plan, user=user, expected_version=expected_version, reason=_("Verksamhetsplan")
    )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Seen:
    """A value as the person (or the import's preview, or Kolada's read) saw it before
    changing it: no row counts as an empty value without comment. ``comment=None``:
    the comment is not compared (the caller does not edit it)."""

    value: Decimal | None
    comment: str | None = ""


@dataclass(frozen=True)
class ValueInput:
    """One value to save: what a form row, an import row or a Kolada row carries.

    ``indicator`` needs ``pk`` and ``responsible_unit_id`` (the unit whose closed
    rounds lock the value). ``comment=None`` keeps the stored comment. ``seen``: what
    the value was when the person loaded it; if the stored value (or comment) is no
    longer that, someone else saved in between and :func:`measurements_save` refuses
    with :class:`ValuesChanged`. ``None`` skips that check (a caller that overwrites
    on purpose); a value someone else enters at the same moment into an empty cell is
    a conflict either way.
    """

    indicator: Indicator
    period: str
    value: Decimal | None
    gender: str = Gender.TOTAL
    comment: str | None = ""
    source: str = IndicatorSource.MANUAL
    fetched_at: datetime.datetime | None = None
    seen: Seen | None = None


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


def council_target_locks(indicator_ids, user) -> dict[tuple[int, int], str]:
    """``{(indicator_id, year): message}``: the council-fixed end targets among the
    indicators that ``user`` may not change (:func:`goals.rules.council_target_error`).
    ``user=None``: a command or the demo acting as the system, which may."""
    from goals.models import CouncilTarget
    from ledmot.access import Cap, access_for

    if user is None:
        return {}
    access = access_for(user)
    locked: dict[tuple[int, int], str] = {}
    ids = list(set(indicator_ids))
    for chunk in _chunks(ids):
        for fixed in CouncilTarget.objects.filter(indicator_id__in=chunk).select_related(
            "goal__owner"
        ):
            message = rules.council_target_error(
                year=fixed.year,
                fixed_year=fixed.year,
                goal_title=fixed.goal.title,
                council_editor=access.can(Cap.EDIT, fixed.goal.owner),
            )
            if message:
                locked[(fixed.indicator_id, fixed.year)] = message
    return locked


def measurements_locked(values) -> list[tuple[ValueInput, str]]:
    """The values a closed round has frozen, each with the message that says so.

    For a caller that skips them instead of failing (Kolada); ``measurements_save``
    refuses them with the same message.
    """
    return _locked([(v, rules.measurement_keys(v.period).period) for v in values])


def _locked(values: list[tuple[ValueInput, str]]) -> list[tuple[ValueInput, str]]:
    """``values``: (value, normalised period) pairs. Frozen are the values of a closed
    round's period, and those of a period that starts after the indicator was ended
    (``Indicator.measured_in``): no path — screen, report, import, Kolada — writes one."""
    locked = measurement_locks({v.indicator.responsible_unit_id for v, _period in values})
    out = []
    for v, period in values:
        label = locked.get((v.indicator.responsible_unit_id, period))
        if label:
            out.append((v, rules.value_locked_message(period, label)))
            continue
        if message := rules.ended_value_refusal(v.indicator.name, v.indicator.ended_on, period):
            out.append((v, message))
    return out


def indicator_delete_refusal(indicator: Indicator) -> str | None:
    """Why ``indicator`` cannot be deleted (None when it can): it has a value of a period,
    or a target of a year, that a closed round has locked (the registered locks, as for
    ``measurements_save`` and ``targets_save``). Asked by ``indicator_delete``, the
    model's ``delete()`` and the admin."""
    unit = indicator.responsible_unit_id
    values = {p: label for (u, p), label in measurement_locks({unit}).items() if u == unit}
    years = {y: label for (u, y), label in target_locks({unit}).items() if u == unit}
    first = (
        Measurement.objects.filter(indicator=indicator, period__in=values)
        .order_by("sort_key")
        .values_list("period", flat=True)
        .first()
    )
    if first is not None:
        return rules.indicator_delete_locked_message(indicator.name, values[first])
    year = (
        Target.objects.filter(indicator=indicator, year__in=years)
        .order_by("year")
        .values_list("year", flat=True)
        .first()
    )
    if year is not None:
        return rules.indicator_delete_locked_message(indicator.name, years[year])
    from goals.models import CouncilTarget

    fixed = CouncilTarget.objects.filter(indicator=indicator).select_related("goal").first()
    if fixed is not None:
        return rules.council_target_delete_message(indicator.name, fixed.goal.title)
    return None


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user) -> None:
    """Delete an indicator with its values and targets, refused (``LockedError``) while a
    closed round has locked any of them."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if message := indicator_delete_refusal(indicator):
        raise LockedError(message)
    attributed_delete(indicator, user=user)


@transaction.atomic
def indicator_end(
    *, indicator: Indicator, user, ended_on: datetime.date | None, expected_version: int | None
) -> Indicator:
    """End an indicator on ``ended_on`` (the last day it is measured), or resume it
    (``ended_on=None``). Its values and targets stay; new values are not asked for
    periods that start after the end. Refused (``ValidationError``) by the one rule,
    ``goals.rules.indicator_end_error``; a stale version is a ``ConflictError``."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if message := indicator.end_error(ended_on):
        raise ValidationError({"ended_on": message})
    indicator.ended_on = ended_on
    reason = _("Avslutad") if ended_on else _("Återupptagen")
    return versioned_save(indicator, user=user, expected_version=expected_version, reason=reason)


class ValuesLocked(LockedError):
    """Some values to save belong to a closed round. ``locked``: those values with
    their messages, so a screen can show each beside its cell."""

    def __init__(self, locked: list[tuple[ValueInput, str]]):
        super().__init__(list(dict.fromkeys(message for _v, message in locked)))
        self.locked = locked


class ValuesChanged(ConflictError):
    """Someone else saved some of the values after they were loaded. ``changed``: each
    such value with the row as it is now saved (``None``: no row), so a screen can show
    the other person's value beside the cell; ``messages``: what to say about each."""

    def __init__(self, changed: list[tuple[ValueInput, Measurement | None]]):
        super().__init__([m for _v, m in changed])
        self.changed = changed
        self.messages = [value_changed_message(v, m) for v, m in changed]


def value_changed_message(v: ValueInput, current: Measurement | None) -> str:
    """The one message for a value someone else saved while this one was typed."""
    who = current.entered_by if current is not None else None
    value = current.value if current is not None else None
    comment = current.comment if current is not None else ""
    return rules.value_changed_message(
        who=(who.get_full_name() or who.get_username()) if who else "",
        value=rules.value_text(value),
        value_changed=v.seen is None or value != v.seen.value,
        comment_changed=v.seen is not None
        and v.seen.comment is not None
        and not rules.same_comment(comment, v.seen.comment),
    )


MEASUREMENT_FIELDS = ["value", "comment", "source", "fetched_at", "entered_by", "entered_at"]


@transaction.atomic
def measurements_save(*, values: list[ValueInput], user, reason: str = "") -> list[Measurement]:
    """The one write path of indicator values (screens, report page, import, Kolada).

    Saves many values in one transaction, in bulk, each changed row with its history
    record naming ``user``, then refreshes the changed indicators' latest value once.
    An unchanged value writes nothing (no empty history). A value of a period that a
    closed round has locked is refused with :class:`ValuesLocked` and nothing is
    written.

    The stored rows are read locked (``SELECT … FOR UPDATE``), so the check that
    nobody saved since a value was loaded (``ValueInput.seen``) and the write are one
    step: of simultaneous saves of a value one wins and the others get
    :class:`ValuesChanged`, with nothing written. A first value that someone else
    enters into the same empty cell at the same moment (the one-value-per-period
    constraint) is the same conflict. Returns the rows written.
    """
    wanted: dict[tuple[int, str, str], tuple[ValueInput, rules.MeasurementKeys]] = {}
    for v in values:
        keys = rules.measurement_keys(v.period)
        wanted[(v.indicator.pk, keys.period, v.gender)] = (v, keys)
    if not wanted:
        return []
    periods = {k[1] for k in wanted}
    existing = _existing(wanted, periods, lock=True)
    now = clock.now()
    creates, updates, changed, stale, touched = [], [], [], [], []
    for key, (v, keys) in wanted.items():
        m = existing.get(key)
        comment = v.comment if v.comment is not None else (m.comment if m else "")
        if m is not None and (m.value, m.comment, m.source) == (v.value, comment, v.source):
            continue
        if _saved_since(v, m, comment):
            stale.append((v, m))
            touched.append((v, keys.period))
            continue
        if m is None:
            m = Measurement(
                indicator_id=v.indicator.pk,
                period=keys.period,
                year=keys.year,
                sort_key=keys.sort_key,
                gender=v.gender,
            )
            creates.append(m)
        else:
            updates.append(m)
        m.value, m.comment, m.source, m.fetched_at = v.value, comment, v.source, v.fetched_at
        m.entered_by, m.entered_at = user, now
        changed.append((v, keys.period))
    touched += changed
    locked = _locked(touched)
    if locked:
        raise ValuesLocked(locked)
    if stale:
        raise ValuesChanged(stale)
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
        try:
            with transaction.atomic():
                creates = bulk_create_with_history(creates, Measurement, **history)
        except IntegrityError:
            # Someone entered a first value into one of these cells at the same moment
            # (measurement_one_per_period): a conflict like any other, shown with the
            # value they saved.
            now_saved = _existing(wanted, periods, lock=False)
            raced = [
                (v, now_saved[(m.indicator_id, m.period, m.gender)])
                for m in creates
                for v, _keys in [wanted[(m.indicator_id, m.period, m.gender)]]
                if (m.indicator_id, m.period, m.gender) in now_saved
            ]
            if not raced:
                raise
            raise ValuesChanged(raced) from None
    indicator_refresh_latest({v.indicator.pk for v, _period in changed})
    return [*updates, *creates]


def _existing(wanted, periods, *, lock: bool) -> dict[tuple[int, str, str], Measurement]:
    """The stored rows of the wanted values' indicators and periods, locked for the
    rest of the transaction when ``lock`` (in one order, by indicator and row, so that
    two saves of overlapping values cannot deadlock).

    Each query asks for the (indicator, period) pairs wanted, grouped by period, for a
    run of whole indicators in id order: not every wanted period of every wanted
    indicator, which read (and locked) ten times the rows a large import changes."""
    existing: dict[tuple[int, str, str], Measurement] = {}
    for match in measurement_pairs_q({(k[0], k[1]) for k in wanted}):
        rows = Measurement.objects.filter(match)
        if lock:
            rows = rows.select_for_update().order_by("indicator_id", "pk")
        for m in rows:
            existing[(m.indicator_id, m.period, m.gender)] = m
    return existing


def measurement_pairs_q(pairs, size: int = 2000):
    """Filters (``Q``) for the values of (indicator id, period) ``pairs``, one per query:
    about ``size`` pairs of whole indicators in id order, grouped by period."""
    chunk: list[tuple[int, str]] = []
    for pair in sorted(pairs):
        if len(chunk) >= size and pair[0] != chunk[-1][0]:
            yield _pairs_q(chunk)
            chunk = []
        chunk.append(pair)
    if chunk:
        yield _pairs_q(chunk)


def _pairs_q(pairs) -> Q:
    by_period: dict[str, list[int]] = defaultdict(list)
    for indicator_id, period in pairs:
        by_period[period].append(indicator_id)
    match = Q()
    for period, ids in by_period.items():
        match |= Q(period=period, indicator_id__in=ids)
    return match


def _saved_since(v: ValueInput, m: Measurement | None, comment: str) -> bool:
    """Has someone else saved this value since ``v.seen``? Not if what is stored is
    already what ``v`` asks for (two people typing the same value)."""
    if v.seen is None:
        return False
    value, stored_comment = (m.value, m.comment) if m is not None else (None, "")
    if value == v.value and rules.same_comment(stored_comment, comment):
        return False
    if value != v.seen.value:
        return True
    return v.seen.comment is not None and not rules.same_comment(stored_comment, v.seen.comment)


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


def indicator_target_locks(indicator: Indicator) -> dict[int, str]:
    """``{year: message}``: the years whose targets of ``indicator`` are frozen, with the
    message that says why (refused by ``targets_save``; the targets form shows them
    read-only with the same message before anyone types)."""
    unit = indicator.responsible_unit_id
    return {
        year: rules.target_locked_message(year, label)
        for (u, year), label in target_locks({unit}).items()
        if u == unit
    }


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
    locked = indicator_target_locks(indicator)
    locked.update({year: m for (_i, year), m in council_target_locks([indicator.pk], user).items()})
    refused = {year: locked[year] for year, _value, _target in changes if year in locked}
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
    for chunk in _chunks(ids):
        # The newest total per indicator, picked by the database (not every value of
        # the indicators' whole series turned into objects).
        newest = Window(RowNumber(), partition_by=F("indicator_id"), order_by=F("sort_key").desc())
        for m in (
            Measurement.objects.filter(
                indicator_id__in=chunk, gender=Gender.TOTAL, value__isnull=False
            )
            .order_by()
            .only("indicator_id", "period", "year", "value", "sort_key")
            .annotate(newest=newest)
            .filter(newest=1)
        ):
            latest[m.indicator_id] = m
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
            for pk in sorted(ids)  # one order: simultaneous upserts cannot deadlock
            for m in [latest.get(pk)]
        ],
        update_conflicts=True,
        unique_fields=["indicator"],
        update_fields=["period", "year", "sort_key", "value", "target"],
        batch_size=500,
    )


# --------------------------------------------------------------------------- assignments


@transaction.atomic
def assignment_save(
    *, assignment: Assignment, user, expected_version: int | None, reason: str = ""
) -> Assignment:
    """The one write path of an assignment (uppdrag): its rules, the version check
    (a new one is created at version 1) and its history with the acting user."""
    assignment.full_clean()
    if not reason:
        reason = _("Skapat") if assignment.pk is None else ""
    return versioned_save(assignment, user=user, expected_version=expected_version, reason=reason)


@transaction.atomic
def assignment_status_set(*, assignment: Assignment, status: str, user, reason: str) -> Assignment:
    """The status reported for an assignment in a follow-up round becomes its current
    status (the round's report is the place it is reported, so no version check here)."""
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if current.status == status:
        return current
    current.status = status
    return versioned_save(current, user=user, expected_version=None, reason=reason)


# --------------------------------------------------------------------------- planning


@transaction.atomic
def year_plan_save_choices(
    *,
    year: int,
    choices: dict[int, str],
    user,
    parents: dict[int, int | None] | None = None,
    assignments: dict[int, str] | None = None,
) -> YearPlan:
    """Keep the controller's choices for the plan of ``year``: per goal continue,
    revise or end (``choices``); across a mandate boundary per committee goal the
    council goal of the new period it belongs to (``parents``; None: its old parent's
    successor, the default); per open assignment continue or end (``assignments``).
    A choice equal to the default is not stored. Refused once the plan's drafts are
    created; a council goal that is not one of the new period's is refused."""
    from goals.planning import ASSIGNMENT_CHOICES, build_plan

    plan, _created = YearPlan.objects.select_for_update().get_or_create(
        year=year, defaults={"created_by": user}
    )
    if plan.status != PlanStatus.DRAFT:
        raise LockedError(_("Planen för %(year)s är redan skapad.") % {"year": year})
    built = build_plan(year)
    defaults = {r.pk: r.default for r in built.rows}
    stored = dict(plan.choices)
    for pk, choice in choices.items():
        if pk not in defaults or choice not in PlanChoice.values:
            continue
        if choice == defaults[pk]:
            stored.pop(str(pk), None)
        else:
            stored[str(pk)] = choice
    plan.choices = stored
    if parents:
        committee = {r.pk for r in built.rows if r.level == GoalLevel.COMMITTEE}
        options = {pk for pk, _title in built.council_options}
        mapped = dict(plan.parents)
        for pk, parent in parents.items():
            if pk not in committee or not built.crosses_mandate:
                continue
            if parent is None:
                mapped.pop(str(pk), None)
            elif parent in options:
                mapped[str(pk)] = parent
            else:
                raise ValidationError(
                    _("Välj ett av fullmäktiges mål i mandatperioden %(first)s–%(last)s.")
                    % {"first": built.target_span[0], "last": built.target_span[1]}
                )
        plan.parents = mapped
    if assignments:
        open_ids = {a.pk for a in built.assignments}
        kept = dict(plan.assignment_choices)
        for pk, choice in assignments.items():
            if pk not in open_ids or choice not in ASSIGNMENT_CHOICES:
                continue
            if choice == PlanChoice.CONTINUE:
                kept.pop(str(pk), None)
            else:
                kept[str(pk)] = choice
        plan.assignment_choices = kept
    return attributed_save(plan, user=user, reason=_("Val för planen"))


def _shift_year(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class PlanCreated:
    goals: int
    activities: int
    targets: int
    links: int


@transaction.atomic
def year_plan_create(*, year: int, user) -> PlanCreated:
    """Create the plan of ``year`` as drafts from the year before, in one transaction:
    a proposed goal linked to its predecessor for every goal continued across a mandate
    boundary or revised (its parent the successor of its parent), the predecessor's
    indicators measuring it too, next year's target of every indicator of a kept goal
    (the latest target before it), and the open activities of kept goals for the new
    year. The next mandate period (and its budget years) is created if missing. Running
    it again creates nothing twice: what already has a successor is skipped. Across a
    mandate boundary a committee goal's parent is the council goal the controller mapped
    it to, else its old parent's successor. The year before is not changed."""
    from goals import planning
    from goals.models import Activity

    plan, _created = YearPlan.objects.select_for_update().get_or_create(
        year=year, defaults={"created_by": user}
    )
    if plan.status == PlanStatus.ADOPTED:
        raise LockedError(_("Planen för %(year)s är redan antagen.") % {"year": year})
    built = planning.build_plan(year)
    if built.source is None:
        raise ValidationError(_("Det finns ingen mandatperiod för %(year)s.") % {"year": year - 1})
    target = built.target
    if target is None:
        start, end = built.target_span
        target = mandate_period_create(
            period=MandatePeriod(start_year=start, end_year=end), user=user
        )
        for y in range(start, end + 1):
            budget_year_create(year=BudgetYear(year=y, mandate_period=target), user=user)
    elif not BudgetYear.objects.filter(year=year).exists():
        budget_year_create(year=BudgetYear(year=year, mandate_period=target), user=user)
    built.target = target
    kept = [r for r in built.rows if r.choice != PlanChoice.END]
    # New goals, a level at a time so that each finds its parent's successor.
    successor = dict(
        Goal.objects.filter(mandate_period=target, predecessor__mandate_period=built.source)
        .exclude(predecessor=None)
        .values_list("predecessor_id", "pk")
    )
    to_copy = {r.pk for r in kept if built.creates_goal(r) and r.pk not in successor}
    originals = {
        g.pk: g
        for g in Goal.objects.filter(mandate_period=built.source).exclude(status=GoalStatus.ENDED)
        if g.pk in to_copy
    }
    mapped = {r.pk: r.new_parent_id for r in kept if r.new_parent_id is not None}
    new_goals = 0
    for level in planning.LEVEL_ORDER:
        batch = []
        for g in originals.values():
            if g.level != level:
                continue
            parent = mapped.get(g.pk) or successor.get(g.parent_id)
            if parent is None and not built.crosses_mandate:
                parent = g.parent_id
            batch.append(_goal_successor(g, target=target, parent_id=parent))
        if batch:
            _attribute_all(batch, user, _("Planerat från %(year)s") % {"year": year - 1})
            created = bulk_create_with_history(batch, Goal, default_user=user)
            if any(c.pk is None for c in created):
                created = list(Goal.objects.filter(mandate_period=target, predecessor__in=to_copy))
            for c in created:
                successor[c.predecessor_id] = c.pk
            new_goals += len(batch)
    # Indicators measure the new goals too; next year's targets.
    kept_ids = {r.pk for r in kept}
    through = Indicator.goals.through
    links_wanted = {
        (ind, successor[goal])
        for ind, goal in through.objects.filter(goal__mandate_period=built.source)
        .filter(Q(indicator__ended_on=None) | Q(indicator__ended_on__gte=datetime.date(year, 1, 1)))
        .values_list("indicator_id", "goal_id")
        if goal in kept_ids and goal in successor
    }
    have = set(
        through.objects.filter(goal__mandate_period=target).values_list("indicator_id", "goal_id")
    )
    links = sorted(links_wanted - have)
    _indicator_links_add(links, user, _("Planerat från %(year)s") % {"year": year - 1})
    indicator_ids = {
        ind
        for ind, goal in through.objects.filter(goal__mandate_period=built.source)
        .filter(Q(indicator__ended_on=None) | Q(indicator__ended_on__gte=datetime.date(year, 1, 1)))
        .values_list("indicator_id", "goal_id")
        if goal in kept_ids
    }
    has_target = set(Target.objects.filter(year=year).values_list("indicator_id", flat=True))
    latest: dict[int, Decimal] = {}
    for ind, value in (
        Target.objects.filter(year__lt=year)
        .order_by("indicator_id", "year")
        .values_list("indicator_id", "value")
    ).iterator(chunk_size=5000):
        latest[ind] = value
    targets = [
        Target(indicator_id=i, year=year, value=latest[i])
        for i in sorted(indicator_ids - has_target)
        if i in latest
    ]
    if targets:
        bulk_create_with_history(targets, Target, default_user=user, batch_size=2000)
    # Open activities of kept goals, for the new year.
    activities = []
    for a in planning.open_activities(built.source, kept_ids):
        goal = successor.get(a.goal_id, None if built.crosses_mandate else a.goal_id)
        if goal is None:
            continue
        activities.append(
            Activity(
                goal_id=goal,
                owner_id=a.owner_id,
                title=a.title,
                description=a.description,
                responsible=a.responsible,
                start=_shift_year(a.start, 1),
                end=_shift_year(a.end, 1),
                order=a.order,
                predecessor=a,
            )
        )
    if activities:
        _attribute_all(activities, user, _("Planerad från %(year)s") % {"year": year - 1})
        bulk_create_with_history(activities, Activity, default_user=user, batch_size=2000)
    plan.status = PlanStatus.CREATED
    attributed_save(plan, user=user, reason=_("Skapad som utkast"))
    return PlanCreated(
        goals=new_goals, activities=len(activities), targets=len(targets), links=len(links)
    )


def _indicator_links_add(links: list[tuple[int, int]], user, reason: str) -> None:
    """Let indicators measure more goals, with a history record per indicator (its
    goals as they now are, by ``user``): through the relation's ``add``, which
    simple_history follows (a bulk insert of the links would leave no trace)."""
    by_indicator: dict[int, list[int]] = defaultdict(list)
    for indicator_id, goal_id in links:
        by_indicator[indicator_id].append(goal_id)
    for chunk in _chunks(by_indicator):
        for indicator in Indicator.objects.filter(pk__in=chunk):
            indicator._history_user = user
            indicator._change_reason = reason
            indicator.goals.add(*by_indicator[indicator.pk])


def _goal_successor(g: Goal, *, target: MandatePeriod, parent_id: int | None) -> Goal:
    return Goal(
        level=g.level,
        mandate_period=target,
        parent_id=parent_id,
        owner_id=g.owner_id,
        title=g.title,
        description=g.description,
        perspective_id=g.perspective_id,
        shared=g.shared,
        status=GoalStatus.PROPOSED,
        responsible=g.responsible,
        smart_specific=g.smart_specific,
        smart_measurable=g.smart_measurable,
        smart_accepted=g.smart_accepted,
        smart_realistic=g.smart_realistic,
        smart_timebound=g.smart_timebound,
        order=g.order,
        predecessor=g,
    )


def _attribute_all(objs, user, reason: str) -> None:
    for obj in objs:
        obj._change_reason = reason


@transaction.atomic
def year_plan_adopt(
    *, year: int, user, decision_reference: str, decision_paragraph: str = "", decided_on
) -> int:
    """Adopt the plan of ``year`` by decision: its draft goals become adopted with the
    decision; a goal revised inside a period becomes *revised* and the goals under it
    move to its successor, one chosen to end is ended. The open assignments carried on
    follow their goal to its successor; those chosen to end become "will not be done".
    Returns the number of goals adopted."""
    from goals import planning

    plan = YearPlan.objects.select_for_update().filter(year=year).first()
    if plan is None or plan.status != PlanStatus.CREATED:
        raise ValidationError(_("Skapa planen innan den antas."))
    if not (decision_reference or decision_paragraph):
        raise ValidationError(
            {"decision_reference": _("Ange beslutet: diarienummer eller paragraf.")}
        )
    if not decided_on:
        raise ValidationError({"decided_on": _("Ange beslutsdatum.")})
    plan.decision_reference = decision_reference
    plan.decision_paragraph = decision_paragraph
    plan.decided_on = decided_on
    plan.full_clean()  # the decision's lengths and text, checked before anything changes
    decision_reference, decision_paragraph = plan.decision_reference, plan.decision_paragraph
    built = planning.build_plan(year)
    drafts = list(
        Goal.objects.filter(
            mandate_period=built.target,
            predecessor__mandate_period=built.source,
            status=GoalStatus.PROPOSED,
        ).exclude(predecessor=None)
    )
    for g in drafts:
        g.status = GoalStatus.ADOPTED
        g.decision_reference = decision_reference
        g.decision_paragraph = decision_paragraph
        g.decided_on = decided_on
        g.version += 1
    ending = {r.pk: r.choice for r in built.rows if r.choice == PlanChoice.END}
    if not built.crosses_mandate:
        ending.update(
            {r.pk: r.choice for r in built.rows if r.choice == PlanChoice.REVISE and r.successor_id}
        )
    old = list(Goal.objects.filter(pk__in=list(ending))) if ending else []
    for g in old:
        g.status = GoalStatus.ENDED if ending[g.pk] == PlanChoice.END else GoalStatus.REVISED
        g.version += 1
    reason = _("Antagen plan %(year)s") % {"year": year}
    fields = ["status", "decision_reference", "decision_paragraph", "decided_on", "version"]
    for objs in (drafts, old):
        if objs:
            _attribute_all(objs, user, reason)
            bulk_update_with_history(objs, Goal, fields, default_user=user, batch_size=500)
    successor_of = {g.predecessor_id: g.pk for g in drafts}
    if not built.crosses_mandate:
        # The goals under a revised goal follow it to its successor (a child that is
        # revised itself already has its own successor under it; one ended stays).
        moves = {
            r.pk: successor_of[r.pk]
            for r in built.rows
            if r.choice == PlanChoice.REVISE and r.pk in successor_of
        }
        goal_children_move(moves=moves, keep=set(ending), user=user, reason=reason)
    _assignments_carry(built, successor_of, user=user, reason=reason)
    plan.status = PlanStatus.ADOPTED
    attributed_save(plan, user=user, reason=reason)
    return len(drafts)


@transaction.atomic
def goal_children_move(*, moves: dict[int, int], keep: set[int], user, reason: str) -> int:
    """Re-parent the live goals under each goal of ``moves`` (old goal id → new parent
    id, a goal of the same level and period) except those in ``keep``, with a history
    record each by ``user``. Returns the number of goals moved."""
    if not moves:
        return 0
    children = list(
        Goal.objects.select_for_update()
        .filter(parent_id__in=list(moves))
        .exclude(status=GoalStatus.ENDED)
        .exclude(pk__in=list(keep))
        .exclude(pk__in=list(moves.values()))
        .order_by("pk")
    )
    for g in children:
        g.parent_id = moves[g.parent_id]
        g.version += 1
    if children:
        _attribute_all(children, user, reason)
        bulk_update_with_history(
            children, Goal, ["parent", "version"], default_user=user, batch_size=500
        )
    return len(children)


def _assignments_carry(built, successor_of: dict[int, int], *, user, reason: str) -> None:
    """On adoption: each open assignment carried on follows its goal to the goal's
    successor in the new plan; each chosen to end will not be done."""
    ended = {a.pk for a in built.assignments if a.choice == PlanChoice.END}
    moved = {a.pk for a in built.assignments if a.pk not in ended and a.goal_id in successor_of}
    for a in Assignment.objects.select_for_update().filter(pk__in=ended | moved).order_by("pk"):
        if a.pk in ended:
            a.status = AssignmentStatus.WONT_DO
        else:
            a.goal_id = successor_of[a.goal_id]
        versioned_save(a, user=user, expected_version=None, reason=reason)


# --------------------------------------------------------------------------- service guarantees


@transaction.atomic
def guarantee_save(*, guarantee, user, expected_version: int | None):
    """The one write path of a service guarantee (servicegaranti): who may (an editor of
    its unit; ``user=None`` is the system, e.g. the demo), its rules
    (``rules.guarantee_indicator_error`` through ``full_clean``), the version check and
    its history with the acting user."""
    from ledmot.access import Cap, access_for, refusal

    if user is not None and not access_for(user).can(Cap.EDIT, guarantee.unit):
        raise refusal(Cap.EDIT, guarantee.unit)
    guarantee.full_clean()
    reason = _("Skapad") if guarantee.pk is None else ""
    return versioned_save(guarantee, user=user, expected_version=expected_version, reason=reason)
