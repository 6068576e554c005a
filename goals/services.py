"""Goal and activity workflows that touch several rows or check state."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from goals.models import (
    Gender,
    Goal,
    GoalStatus,
    Indicator,
    IndicatorLatest,
    IndicatorSource,
    MandatePeriod,
    Measurement,
    Target,
)
from ledmot.services import attributed_save, versioned_save

# Which lifecycle steps are allowed from which status.
TRANSITIONS: dict[str, set[str]] = {
    GoalStatus.PROPOSED: {GoalStatus.ADOPTED, GoalStatus.ENDED},
    GoalStatus.ADOPTED: {GoalStatus.REVISED, GoalStatus.ENDED},
    GoalStatus.REVISED: {GoalStatus.REVISED, GoalStatus.ENDED},
    GoalStatus.ENDED: set(),
}


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
        raise ValidationError(
            _("Ett mål med status %(old)s kan inte få status %(new)s.")
            % {"old": goal.get_status_display().lower(), "new": GoalStatus(status).label.lower()}
        )
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


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ValueInput:
    """One value to save: what a form row, an import row or a Kolada row carries."""

    indicator: Indicator
    period: str
    value: Decimal | None
    gender: str = Gender.TOTAL
    comment: str = ""
    source: str = IndicatorSource.MANUAL
    fetched_at: datetime.datetime | None = None


@transaction.atomic
def measurements_save(*, values: list[ValueInput], user, reason: str = "") -> list[Measurement]:
    """Save many values in one transaction, each with its history, then refresh the
    indicators' latest value. An unchanged value writes nothing (no empty history)."""
    keys = {(v.indicator.pk, v.period, v.gender) for v in values}
    existing = {
        (m.indicator_id, m.period, m.gender): m
        for m in Measurement.objects.filter(
            indicator_id__in={k[0] for k in keys}, period__in={k[1] for k in keys}
        )
    }
    saved = []
    for v in values:
        m = existing.get((v.indicator.pk, v.period, v.gender))
        if m is None:
            m = Measurement(indicator=v.indicator, period=v.period, gender=v.gender)
        elif m.value == v.value and m.comment == v.comment and m.source == v.source:
            continue
        m.value, m.comment, m.source = v.value, v.comment, v.source
        m.fetched_at = v.fetched_at
        m.entered_by = user
        attributed_save(m, user=user, reason=reason)
        saved.append(m)
    indicator_refresh_latest({v.indicator.pk for v in values})
    return saved


@transaction.atomic
def targets_save(*, indicator: Indicator, values: dict[int, Decimal | None], user) -> None:
    """Set (or with ``None`` remove) the targets of some years."""
    existing = {t.year: t for t in indicator.targets.all()}
    for year, value in sorted(values.items()):
        target = existing.get(year)
        if value is None:
            if target is not None:
                target._history_user = user
                target.delete()
            continue
        if target is not None and target.value == value:
            continue
        target = target or Target(indicator=indicator, year=year)
        target.value = value
        attributed_save(target, user=user)
    indicator_refresh_latest({indicator.pk})


def linear_progression(
    *, baseline: Decimal, baseline_year: int, end_value: Decimal, end_year: int, decimals: int
) -> dict[int, Decimal]:
    """Årsvis progressionstakt: equal steps from the baseline to the end target."""
    if end_year <= baseline_year:
        raise ValidationError(_("Slutåret måste ligga efter utgångsåret."))
    step = (end_value - baseline) / (end_year - baseline_year)
    quantum = Decimal(1).scaleb(-decimals)
    return {
        year: (baseline + step * (year - baseline_year)).quantize(quantum)
        for year in range(baseline_year + 1, end_year + 1)
    }


def targets_fill_linear(*, indicator: Indicator, period: MandatePeriod, end_value: Decimal, user):
    """Fill the years of the mandate period linearly from the baseline to the end target."""
    if indicator.baseline_value is None or indicator.baseline_year is None:
        raise ValidationError(_("Ange utgångsvärde och utgångsår innan målvärdena fylls i."))
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
                value=m.value if m else None,
                target=targets.get((pk, m.year)) if m else None,
            )
            for pk in ids
            for m in [latest.get(pk)]
        ],
        update_conflicts=True,
        unique_fields=["indicator"],
        update_fields=["period", "year", "value", "target"],
        batch_size=500,
    )
