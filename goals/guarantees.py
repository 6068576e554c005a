"""Service guarantees (servicegarantier): the list of a unit's guarantees with whether
each is kept, and the public list.

A guarantee is measured by one indicator of the kind "Andel hållna" (the share of the
promises kept). It counts as met or not by **the same rule as a goal's fulfilment**
(:mod:`goals.fulfilment`, ``classify``): its latest total value against that year's
target, by the indicator's direction and the tolerance. Its follow-up per round is the
same rule applied to the value of each period a round reports (tertial, delår, år).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from goals.fulfilment import SYMBOLS, Assessment, classify
from goals.models import Gender, Measurement, ServiceGuarantee, Target
from goals.periods import ReportingPeriod
from ledmot.models import OrgUnit


@dataclass
class PeriodOutcome:
    period: str
    label: str
    value: object
    target: object
    outcome: str

    @property
    def outcome_label(self) -> str:
        return Assessment(self.outcome).label

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.outcome]

    @property
    def met(self) -> bool:
        return self.outcome == Assessment.MET


@dataclass
class GuaranteeRow:
    guarantee: ServiceGuarantee
    periods: list[PeriodOutcome] = field(default_factory=list)  # newest first

    @property
    def latest(self) -> PeriodOutcome | None:
        return self.periods[0] if self.periods else None

    @property
    def outcome(self) -> str:
        return self.latest.outcome if self.latest else Assessment.NOT_ASSESSED

    @property
    def outcome_label(self) -> str:
        return Assessment(self.outcome).label

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.outcome]

    @property
    def met(self) -> bool:
        return self.outcome == Assessment.MET


def guarantee_rows(guarantees, *, periods: int = 6) -> list[GuaranteeRow]:
    """Each guarantee with its outcome in its ``periods`` latest periods, newest first:
    three queries whatever the number of guarantees."""
    guarantees = list(guarantees.select_related("indicator", "unit"))
    indicator_ids = {g.indicator_id for g in guarantees}
    values: dict[int, list[Measurement]] = defaultdict(list)
    for m in Measurement.objects.filter(
        indicator_id__in=indicator_ids, gender=Gender.TOTAL, value__isnull=False
    ).order_by("indicator_id", "-sort_key"):
        values[m.indicator_id].append(m)
    targets = {
        (t.indicator_id, t.year): t.value
        for t in Target.objects.filter(indicator_id__in=indicator_ids)
    }
    rows = []
    for g in guarantees:
        ind = g.indicator
        row = GuaranteeRow(g)
        for m in values[ind.pk][:periods]:
            target = targets.get((ind.pk, m.year))
            row.periods.append(
                PeriodOutcome(
                    period=m.period,
                    label=ReportingPeriod.parse(m.period).label,
                    value=m.value,
                    target=target,
                    outcome=classify(ind.direction, m.value, target),
                )
            )
        rows.append(row)
    return rows


def unit_guarantees(unit: OrgUnit) -> list[GuaranteeRow]:
    """The guarantees of ``unit`` (the screen's list)."""
    return guarantee_rows(ServiceGuarantee.objects.filter(unit=unit))


def public_guarantees(unit: OrgUnit) -> list[dict]:
    """The published guarantees of ``unit`` as plain data, ready for a public page or
    open data: what is promised, how it is measured, and whether it was kept in the
    latest period (by the goals' fulfilment rule)."""
    rows = guarantee_rows(ServiceGuarantee.objects.filter(unit=unit, published=True))
    result = []
    for row in rows:
        g, latest = row.guarantee, row.latest
        result.append(
            {
                "unit": unit.name,
                "title": g.title,
                "promise": g.promise,
                "measured_how": g.measured_how,
                "indicator": g.indicator.name,
                "period": latest.period if latest else None,
                "value": latest.value if latest else None,
                "target": latest.target if latest else None,
                "outcome": row.outcome,
                "outcome_label": str(row.outcome_label),
                "met": row.met,
            }
        )
    return result
