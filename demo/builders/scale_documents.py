"""The steering documents, service guarantees and glossary of the generated municipality
(``seed_scale``): as many as a large municipality keeps, each written through its one
write path (history as the system, on the story's dates), from the templates in
``demo/data/skala.toml``."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils.text import slugify

from demo.builders.issue17 import build_glossary, load_data, measured_guarantee
from followup.services import add_months
from goals.models import (
    LIVE_STATUSES,
    Frequency,
    Goal,
    ServiceGuarantee,
)
from goals.rules import due_period
from goals.services import ValueInput, measurements_save
from ledmot.models import OrgUnit
from steering.models import SteeringDocument
from steering.services import document_decide, document_save

# A committee decides its documents; a few are drafts being written, the rest were decided
# up to four and a half years ago and are due for review two to four years after their
# decision (so some are overdue, as in every municipality).
DRAFT_EVERY = 12  # one document in twelve
REVIEW_MONTHS = (24, 36, 48)


def seed_scale_documents(
    rng: random.Random,
    count: int,
    committees: list[OrgUnit],
    areas: list[str],
    goals_of: dict[int, list[Goal]],
    today: datetime.date,
) -> int:
    """``count`` steering documents spread over the committees (``areas[i]`` is
    ``committees[i]``'s area, ``goals_of[i]`` its goals), each supporting one to three of
    its committee's goals."""
    templates = load_data("skala")["dokument"]
    # A document supports goals in force (steering.rules.goal_errors), not ended ones.
    live = set(
        Goal.objects.filter(
            pk__in=[g.pk for goals in goals_of.values() for g in goals], status__in=LIVE_STATUSES
        ).values_list("pk", flat=True)
    )
    made = 0
    for n in range(count):
        ci = n % len(committees)
        spec = templates[(n // len(committees)) % len(templates)]
        committee = committees[ci]
        fill = {
            "namnd": committee.name.lower(),
            "omrade": areas[ci],
            "ar": today.year,
            "ar4": today.year + 4,
        }
        title = spec["titel"].format(**fill)
        if n >= len(committees) * len(templates):
            title += f" ({n // (len(committees) * len(templates)) + 1})"
        goals = [g for g in goals_of.get(ci, []) if g.pk in live]
        document = document_save(
            document=SteeringDocument(
                title=title[:200],
                kind=spec["typ"],
                owner=committee,
                summary=spec["sammanfattning"].format(**fill),
                link=f"https://www.asbacka.se/styrdokument/{slugify(title)[:120]}",
            ),
            user=None,
            expected_version=None,
            goals=rng.sample(goals, min(len(goals), rng.randint(1, 3))),
        )
        made += 1
        if n % DRAFT_EVERY == DRAFT_EVERY - 1:
            continue
        decided_on = add_months(today, -rng.randint(2, 54))
        document_decide(
            document=document,
            user=None,
            expected_version=None,
            decided_by=committee.name,
            decision_reference=f"{committee.code} {decided_on.year}/{rng.randint(10, 400)}"
            f" § {rng.randint(1, 150)}",
            decided_on=decided_on,
            valid_from=decided_on + datetime.timedelta(days=14),
            review_on=add_months(decided_on, rng.choice(REVIEW_MONTHS)),
        )
    return made


def seed_scale_guarantees(
    rng: random.Random,
    count: int,
    units_by_kind: dict[str, list[OrgUnit]],
    today: datetime.date,
    clock,
) -> int:
    """``count`` service guarantees of units (``units_by_kind``: the units of each kind of
    committee, by its code), each measured by its own kept-share indicator with a target
    and the values of the last four tertials. Given when the first of them ended, each
    later value entered when its tertial ended (``clock``: the story's), as a unit does
    before the round that follows it locks the period."""
    templates = [t for t in load_data("skala")["garanti"] if units_by_kind.get(t["namnd"])]
    tertials, period = [], due_period(Frequency.TERTIAL, today)
    for _ in range(4):
        tertials.append(period)
        period = period.previous()
    tertials.reverse()
    years = sorted({t.year for t in tertials})
    planned = []
    for n in range(count):
        spec = templates[n % len(templates)]
        pool = units_by_kind[spec["namnd"]]
        unit = pool[(n // len(templates)) % len(pool)]
        target = Decimal(spec["malvarde"])
        values = {
            t.key: min(Decimal(100), target + Decimal(rng.randint(-120, 60)) / 10) for t in tertials
        }
        planned.append((spec, unit, target, values))
    first, *later = tertials
    clock.at(first.end + datetime.timedelta(days=1), 8)
    made = [
        measured_guarantee(
            ServiceGuarantee(
                unit=unit,
                title=spec["titel"],
                promise=spec["lofte"].format(enhet=unit.name),
                measured_how=spec["matt"],
                published=rng.random() < 0.9,
            ),
            indicator_name=f"{spec['titel']}, {unit.name}: andel hållna"[:200],
            target=target,
            years=years,
            values={first.key: values[first.key]},
        )
        for spec, unit, target, values in planned
    ]
    for tertial in later:
        clock.at(tertial.end + datetime.timedelta(days=1), 8)
        measurements_save(
            values=[
                ValueInput(indicator=g.indicator, period=tertial.key, value=values[tertial.key])
                for g, (_s, _u, _t, values) in zip(made, planned, strict=True)
            ],
            user=None,
        )
    return len(made)


def seed_scale_glossary() -> int:
    """The municipality's glossary: the demo's terms (a glossary does not grow with the
    organisation)."""
    return len(build_glossary())
