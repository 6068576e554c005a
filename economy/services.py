"""The one write path of economy figures: the entry screen, the workbook's Ekonomi
sheet, the demo and the admin all save through :func:`figures_save`, so each refuses
the same writes with the same message."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from economy import rules
from economy.models import EconomyCategory, EconomyFigure, FigureKind
from goals.services import measurement_locks
from ledmot import clock
from ledmot.access import Cap, access_for, refusal
from ledmot.models import OrgUnit
from ledmot.services import ConflictError, LockedError


@dataclass(frozen=True)
class FigureInput:
    """One amount to save. ``org_unit`` needs ``pk``, ``path`` and ``name``;
    ``amount=None`` clears the cell. ``seen_version``: the figure's version when the
    person loaded it (0: there was none); a figure saved since then by someone else is
    refused with :class:`FiguresChanged`. ``None`` skips that check (an import that
    overwrites on purpose)."""

    org_unit: OrgUnit
    period: str
    kind: str
    amount: int | None
    category: EconomyCategory | None = None
    seen_version: int | None = None


class FiguresLocked(LockedError):
    """Some figures belong to a period that a closed round (or an approved report)
    holds. ``locked``: each with its message, for a screen to show beside the cell."""

    def __init__(self, locked: list[tuple[FigureInput, str]]):
        super().__init__(list(dict.fromkeys(message for _f, message in locked)))
        self.locked = locked


class FiguresChanged(ConflictError):
    """Someone else saved some of the figures after they were loaded. ``changed``: each
    with the row as it is now (None: no row), ``messages`` what to say about each."""

    def __init__(self, changed: list[tuple[FigureInput, EconomyFigure | None]]):
        super().__init__([row for _f, row in changed])
        self.changed = changed
        self.messages = [figure_changed_message(row) for _f, row in changed]


def figure_changed_message(row: EconomyFigure | None) -> str:
    who = row.entered_by if row is not None else None
    return rules.figure_changed_message(
        who=(who.get_full_name() or who.get_username()) if who else "",
        amount=row.amount if row is not None else None,
    )


def figures_locked(figures: list[FigureInput]) -> list[tuple[FigureInput, str]]:
    """The figures a closed round (or an approved report) holds, with the message that
    says so: the unit's indicator values of the same period are locked by the same
    rounds (``goals.extensions.MEASUREMENT_LOCKS``), and so are its figures."""
    locks = measurement_locks({f.org_unit.pk for f in figures})
    out = []
    for f in figures:
        period = rules.EconomyPeriod.parse(f.period)
        if label := locks.get((f.org_unit.pk, period.lock_key)):
            out.append((f, rules.figure_locked_message(period, label)))
    return out


def figures_refused(figures: list[FigureInput], user) -> OrgUnit | None:
    """The first unit among ``figures`` that ``user`` may not enter figures for (editors
    of a unit and above it, controllers); ``user=None`` is the system (demo, commands)."""
    if user is None:
        return None
    access = access_for(user)
    for f in figures:
        if not access.can(Cap.EDIT, f.org_unit):
            return f.org_unit
    return None


FIELDS = ["amount", "version", "entered_by", "entered_at"]


@transaction.atomic
def figures_save(*, figures: list[FigureInput], user, reason: str = "") -> list[EconomyFigure]:
    """Save many figures in one transaction, all or nothing, each changed row with its
    history record naming ``user``. An unchanged amount writes nothing.

    Refused, with nothing written: a unit ``user`` may not edit (``PermissionDenied``),
    a period a closed round holds (:class:`FiguresLocked`), a figure someone else saved
    since it was loaded (:class:`FiguresChanged`; the stored rows are read ``FOR
    UPDATE`` so the check and the write are one step). Returns the rows written."""
    wanted: dict[tuple[int, str, str, int | None], tuple[FigureInput, rules.EconomyPeriod]] = {}
    for f in figures:
        period = rules.EconomyPeriod.entered(f.period)
        key = (f.org_unit.pk, period.key, f.kind, f.category.pk if f.category else None)
        wanted[key] = (f, period)
    if not wanted:
        return []
    if (unit := figures_refused([f for f, _p in wanted.values()], user)) is not None:
        raise refusal(Cap.EDIT, unit)
    existing = _existing(wanted, lock=True)
    now = clock.now()
    creates, updates, stale, touched = [], [], [], []
    for key, (f, period) in wanted.items():
        row = existing.get(key)
        if row is not None and row.amount == f.amount:
            continue
        if row is None and f.amount is None:
            continue
        touched.append(f)
        if f.seen_version is not None and (row.version if row else 0) != f.seen_version:
            stale.append((f, row))
            continue
        if row is None:
            row = EconomyFigure(
                org_unit_id=f.org_unit.pk,
                period=period.key,
                year=period.year,
                sort_key=period.sort_key,
                kind=f.kind,
                category=f.category,
            )
            creates.append(row)
        else:
            row.version += 1
            updates.append(row)
        row.amount, row.entered_by, row.entered_at = f.amount, user, now
    if locked := figures_locked(touched):
        raise FiguresLocked(locked)
    if stale:
        raise FiguresChanged(stale)
    history = {"default_user": user, "default_change_reason": reason or None, "default_date": now}
    if updates:
        bulk_update_with_history(updates, EconomyFigure, FIELDS, batch_size=500, **history)
    if creates:
        try:
            with transaction.atomic():
                creates = bulk_create_with_history(
                    creates, EconomyFigure, batch_size=500, **history
                )
        except IntegrityError:
            # Someone entered a first amount into one of these cells at the same moment.
            now_saved = _existing(wanted, lock=False)
            raced = [(wanted[k][0], now_saved[k]) for k in wanted if k in now_saved]
            if not raced:
                raise
            raise FiguresChanged(raced) from None
    written = [*updates, *creates]
    if written:
        # The indicators computed from these figures follow them in the same
        # transaction, through their one path (a value a closed round holds stays).
        computed_values_update(
            years=sorted({r.year for r in written}),
            user=user,
            units=[f.org_unit for f in touched],
        )
    return written


def _existing(wanted, *, lock: bool) -> dict[tuple, EconomyFigure]:
    """The stored rows of the wanted figures, locked for the rest of the transaction
    when ``lock`` (in one order, so two overlapping saves cannot deadlock): one query
    per 500 units."""
    unit_ids = sorted({k[0] for k in wanted})
    periods = sorted({k[1] for k in wanted})
    found: dict[tuple, EconomyFigure] = {}
    for i in range(0, len(unit_ids), 500):
        rows = EconomyFigure.objects.filter(
            org_unit_id__in=unit_ids[i : i + 500], period__in=periods
        ).select_related("entered_by")
        if lock:
            rows = rows.select_for_update(of=("self",)).order_by("org_unit_id", "pk")
        for r in rows:
            key = (r.org_unit_id, r.period, r.kind, r.category_id)
            if key in wanted:
                found[key] = r
    return found


@transaction.atomic
def judgement_save(*, rnd, text: str, user, seen_version: int, reason: str = ""):
    """Save the written overall judgement of god ekonomisk hushållning of round ``rnd``
    (the screen, the admin and the demo alike). ``seen_version`` 0: no judgement was
    seen. Refuses a closed round (:func:`economy.rules.judgement_locked_message`), a
    user who may not manage rounds, and a judgement someone saved since."""
    from economy.models import EconomyJudgement
    from followup.models import FollowUpRound

    if user is not None and not access_for(user).can_at_root(Cap.MANAGE):
        raise refusal(Cap.MANAGE, at_root=True)
    rnd = FollowUpRound.objects.select_for_update().get(pk=rnd.pk)
    if message := rules.judgement_locked_message(rnd):
        raise LockedError(message)
    judgement = EconomyJudgement.objects.select_for_update().filter(round=rnd).first()
    if judgement is None:
        if seen_version:
            raise ConflictError(None)
        judgement = EconomyJudgement(round=rnd)
    elif judgement.version != seen_version:
        raise ConflictError(judgement)
    else:
        judgement.version += 1
    judgement.text = text
    judgement.updated_by = user
    judgement._history_user = user
    if reason:
        judgement._change_reason = reason
    judgement.full_clean()
    judgement.save()
    return judgement


def computed_values_update(*, years: list[int], user=None, units=None) -> int:
    """Write the yearly values of the indicators computed from the economy figures
    (``ComputedIndicator``) for ``years`` through the one write path of values
    (``goals.services.measurements_save``), so a closed round's lock holds for them as
    for any value: a locked year is left as it is. ``units``: only the indicators whose
    figures roll up from them (computed on one of them or on a unit above one), as
    :func:`figures_save` asks after saving their figures. Returns how many values changed.
    Four queries for the figures whatever the number of indicators, then the writes."""
    from decimal import Decimal

    from economy.figures import figures_over_years
    from economy.models import ComputedIndicator
    from goals.services import ValueInput, ValuesLocked, measurements_save

    computed = list(ComputedIndicator.objects.select_related("indicator", "org_unit"))
    if units is not None:
        paths = {u.path for u in units}
        computed = [c for c in computed if any(p.startswith(c.org_unit.path) for p in paths)]
    if not computed:
        return 0
    units = list({c.org_unit.pk: c.org_unit for c in computed}.values())
    figures = figures_over_years(units, years)
    changed = 0
    for year in years:
        for c in computed:
            f = figures[c.org_unit_id][year]
            full_year = f.outcome.period is not None and f.outcome.period.kind == "year"
            tax = None
            if c.tax_category_id is not None:
                tax = f.get(FigureKind.OUTCOME, str(year), c.tax_category_id).amount
            value = rules.computed_value(
                c.measure,
                budget=f.budget.amount,
                outcome=f.outcome.amount if full_year else None,
                forecast=f.forecast.amount,
                tax=tax,
            )
            if value is None:
                continue
            wanted = ValueInput(indicator=c.indicator, period=str(year), value=Decimal(value))
            try:
                saved = measurements_save(values=[wanted], user=user, reason="Beräknat ur ekonomin")
            except ValuesLocked:
                continue  # the year's round is closed: its value stays as reported
            changed += len(saved)
    return changed
