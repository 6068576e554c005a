"""The goal chain, the indicators and their values (``demo/data/mal.toml`` and
``indikatorer.toml``): periods, visions, council, committee and unit goals with their
activities, indicators with targets, values and Kolada comparisons."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from demo.builders.org import person_name
from demo.content import (
    PERSPECTIVE_DESCRIPTIONS,
    PERSPECTIVES,
    Content,
    IndicatorSpec,
    ResultSpec,
)
from goals.models import (
    Activity,
    ActivityStatus,
    BudgetYear,
    Gender,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    IndicatorSource,
    KoladaValue,
    MandatePeriod,
    Measurement,
    Perspective,
    Target,
    Vision,
)
from goals.rules import measurement_keys
from goals.services import indicator_refresh_latest, linear_progression
from ledmot.models import OrgKind, OrgUnit

RIKET_CODE = "0000"


def build_goals(
    ctx: Content, rng: random.Random, units: dict[str, OrgUnit], tags: dict[str, str],
    chiefs: dict[str, str], perspectives: dict[str, Perspective],
) -> dict[str, Indicator]:  # fmt: skip
    """Periods, visions, the goal chain with activities and the indicators linked to the
    goals; returns the indicators by their id in the file."""
    period = _build_periods(ctx, rng, units, perspectives)
    council = _build_council_goals(ctx, rng, period, units, perspectives)
    committee_goals, unit_goals_by_title = _build_committee_and_unit_goals(
        ctx, rng, council, period, units, tags, chiefs
    )
    _build_imperfections(ctx, rng, committee_goals, units, chiefs)
    return _build_indicators(ctx, units, council, committee_goals, unit_goals_by_title)


def _build_periods(ctx: Content, rng, units, perspectives) -> MandatePeriod:
    """The earlier and the current mandate period with their visions (and the earlier
    period's goals, all ended)."""
    earlier = create_period(*ctx.earlier_period)
    Vision.objects.create(
        mandate_period=earlier,
        text=ctx.earlier_vision["text"],
        decision_reference=ctx.earlier_vision["diarienummer"],
        decided_on=ctx.earlier_vision["datum"],
    )
    period = create_period(*ctx.current_period)
    Vision.objects.create(
        mandate_period=period,
        text=ctx.vision["text"],
        decision_reference=ctx.vision["diarienummer"],
        decided_on=ctx.vision["datum"],
    )
    _seed_earlier_period(ctx, rng, earlier, units, perspectives)
    return period


def _build_council_goals(ctx: Content, rng, period, units, perspectives) -> dict[str, Goal]:
    council: dict[str, Goal] = {}
    for order, spec in enumerate(ctx.council_goals, start=1):
        goal = Goal(
            level=GoalLevel.COUNCIL,
            mandate_period=period,
            owner=units["KF"],
            title=spec.title,
            description=spec.description,
            perspective=perspectives[spec.perspective],
            shared=spec.shared,
            goal_type=spec.goal_type,
            status=GoalStatus.ADOPTED,
            decision_reference=ctx.council_decision[0],
            decision_paragraph=ctx.council_decision[1],
            decided_on=ctx.council_decision[2],
            responsible="Kommunstyrelsen" if order % 3 else "",
            order=order,
        )
        _smart(rng, goal, 0.5)
        goal.save()
        if spec.status == GoalStatus.REVISED:
            goal.status = GoalStatus.REVISED
            goal.decision_reference, goal.decision_paragraph, goal.decided_on = ctx.council_revision
            goal.version += 1
            goal.save()
        council[spec.key] = goal
    return council


def _build_committee_and_unit_goals(
    ctx: Content, rng, council, period, units, tags, chiefs
) -> tuple[dict[str, Goal], dict[str, list[Goal]]]:
    """Committee goals with their activities, and the unit goals that break them down
    in the units whose kind of service (``tags``) the goal is for."""
    committee_goals: dict[str, Goal] = {}
    unit_goals_by_title: dict[str, list[Goal]] = defaultdict(list)
    order_in_parent: dict[int, int] = defaultdict(int)
    for spec in (*ctx.committee_goals, ctx.proposed_committee_goal, ctx.ended_committee_goal):
        parent = council[spec.council]
        committee = units[spec.committee]
        order_in_parent[parent.pk] += 1
        goal = Goal(
            level=GoalLevel.COMMITTEE,
            mandate_period=period,
            parent=parent,
            owner=committee,
            title=spec.title,
            description=spec.description,
            perspective=parent.perspective,
            status=GoalStatus.PROPOSED
            if spec.status == GoalStatus.PROPOSED
            else GoalStatus.ADOPTED,
            responsible=_committee_responsible(rng, committee, units, chiefs),
            order=order_in_parent[parent.pk],
        )
        if spec.status != GoalStatus.PROPOSED:
            goal.decision_reference, goal.decision_paragraph, goal.decided_on = _decision(
                rng,
                spec.committee if spec.committee != "ASBHEM" else "ÅH",
                ctx.current_period[0],
                2,
            )
        _smart(rng, goal, 0.8)
        goal.save()
        if spec.status == GoalStatus.REVISED:
            goal.status = GoalStatus.REVISED
            ref, para, _day = _decision(rng, spec.committee, ctx.cal.y(2024), 5)
            goal.decision_reference, goal.decision_paragraph = ref, para
            goal.decided_on = ctx.cal.date(datetime.date(2024, 5, 21))
            goal.version += 1
            goal.save()
        committee_goals[spec.key] = goal

        for owner_code, title in spec.activities:
            _create_activity(ctx, rng, goal, units[owner_code], title, chiefs[owner_code], 1)

        subtree = [
            code
            for code, u in units.items()
            if u.kind == OrgKind.UNIT and u.committee_code == committee.code
        ]
        for ug_order, ug in enumerate(spec.unit_goals, start=1):
            matching = [c for c in subtree if "*" in ug.tags or tags[c] in ug.tags]
            chosen = [c for c in matching if c in ctx.featured_units]
            rest = [c for c in matching if c not in chosen]
            chosen += rng.sample(rest, min(len(rest), max(ug.limit - len(chosen), 0)))
            for code in sorted(chosen, key=lambda c: units[c].path):
                unit_goal = _create_unit_goal(
                    ctx, rng, goal, units[code], ug.title, chiefs[code], ug_order
                )
                unit_goals_by_title[ug.title].append(unit_goal)
                n = rng.choices((0, 1, 2, 3), weights=(12, 40, 33, 15))[0]
                picks = rng.sample(ug.activities, min(n, len(ug.activities)))
                for a_order, title in enumerate(picks, start=1):
                    _create_activity(ctx, rng, unit_goal, units[code], title, None, a_order)
    return committee_goals, unit_goals_by_title


def _build_imperfections(ctx: Content, rng, committee_goals, units, chiefs) -> None:
    """What Målstrukturanalys has to show: proposed unit goals, and a committee goal
    ended while its unit goal lives on (a broken chain)."""
    # Proposed unit goals (no activities yet).
    for code, parent_key, title in ctx.proposed_unit_goals:
        _create_unit_goal(
            ctx,
            rng,
            committee_goals[parent_key],
            units[code],
            title,
            chiefs[code],
            9,
            status=GoalStatus.PROPOSED,
        )

    # A committee goal ended while its unit goal lives on: a broken chain.
    ended = committee_goals[ctx.ended_committee_goal.key]
    code, title, activity = ctx.broken_unit_goal
    orphan = _create_unit_goal(ctx, rng, ended, units[code], title, chiefs[code], 1)
    _create_activity(ctx, rng, orphan, units[code], activity, chiefs[code], 1)
    ended.status = GoalStatus.ENDED
    ended.decision_reference, ended.decision_paragraph, ended.decided_on = ctx.ended_decision
    ended.version += 1
    ended.save()


def _build_indicators(
    ctx: Content, units, council, committee_goals, unit_goals_by_title
) -> dict[str, Indicator]:
    """The indicators, each linked to the goals it measures."""
    council_specs = {s.key: s for s in ctx.council_goals}
    links: dict[str, list[Goal]] = defaultdict(list)
    for key, spec in council_specs.items():
        for ind in spec.indicators:
            links[ind].append(council[key])
    for spec in (*ctx.committee_goals, ctx.proposed_committee_goal, ctx.ended_committee_goal):
        for ind in spec.indicators:
            links[ind].append(committee_goals[spec.key])
        for ug in spec.unit_goals:
            for ind in ug.indicators:
                links[ind].extend(unit_goals_by_title[ug.title])
    for ind, code, title in ctx.unit_indicators:
        links[ind] += [g for g in unit_goals_by_title[title] if g.owner_id == units[code].pk]
    indicators: dict[str, Indicator] = {}
    for spec in ctx.indicators:
        indicator = indicator_from_spec(spec, units)
        indicator.save()
        goals = list(dict.fromkeys(links.get(spec.key, [])))
        if goals:
            indicator.goals.add(*goals)
        indicators[spec.key] = indicator
    return indicators


def ensure_perspectives() -> dict[str, Perspective]:
    """The four default perspectives (normally created by a data migration)."""
    found = {p.name: p for p in Perspective.objects.all()}
    for order, name in enumerate(PERSPECTIVES, start=1):
        if name not in found:
            found[name] = Perspective.objects.create(
                name=name, description=PERSPECTIVE_DESCRIPTIONS[name], order=order
            )
    return found


def create_period(first: int, last: int, plan_years: int = 2) -> MandatePeriod:
    period = MandatePeriod.objects.create(start_year=first, end_year=last)
    for year in range(first, last + 1):
        BudgetYear.objects.create(year=year, mandate_period=period, plan_years=plan_years)
    return period


def activity_schedule(
    rng: random.Random, ref: datetime.date, year: int
) -> tuple[datetime.date, datetime.date, str, int]:
    """Start, end, status and progress for one activity in last year and ``year``,
    consistent with ``ref`` (the day the demo is built).

    Finished on time ⇒ done and 100 %; started ⇒ in progress (or delayed) with a
    progress that follows the elapsed time; not started yet ⇒ 0 %.
    """
    start = datetime.date(year - 1, 1, 1) + datetime.timedelta(days=rng.randrange(0, 540))
    end = min(start + datetime.timedelta(days=rng.randrange(60, 420)), datetime.date(year, 12, 31))
    if end < ref:
        roll = rng.random()
        if roll < 0.72:
            return start, end, ActivityStatus.DONE, 100
        if roll < 0.92:
            return start, end, ActivityStatus.DELAYED, rng.choice((40, 50, 60, 70, 80, 90))
        return start, end, ActivityStatus.CANCELLED, rng.choice((0, 10, 20, 30))
    if start > ref:
        return start, end, ActivityStatus.NOT_STARTED, 0
    share = (ref - start).days / max((end - start).days, 1)
    progress = max(5, min(95, int(round(share * 100 / 5)) * 5 + rng.choice((-10, -5, 0, 5))))
    if rng.random() < 0.15:
        return start, end, ActivityStatus.DELAYED, max(5, progress - 25)
    return start, end, ActivityStatus.IN_PROGRESS, progress


def _smart(rng: random.Random, goal: Goal, probability: float) -> None:
    for name in (
        "smart_specific",
        "smart_measurable",
        "smart_accepted",
        "smart_realistic",
        "smart_timebound",
    ):
        setattr(goal, name, rng.random() < probability)


def _decision(
    rng: random.Random, code: str, year: int, month: int
) -> tuple[str, str, datetime.date]:
    return (
        f"{code} {year}/{rng.randrange(10, 400)}",
        f"§ {rng.randrange(5, 160)}",
        datetime.date(year, month, rng.randrange(1, 28)),
    )


def _committee_responsible(rng, committee: OrgUnit, units, chiefs) -> str:
    if committee.kind == OrgKind.COMPANY:
        return f"{person_name(rng)}, VD"
    if rng.random() < 0.15:
        return ""
    administration = next(
        (c for c, u in units.items() if u.parent_id == committee.pk), committee.code
    )
    return f"{chiefs[administration]}, förvaltningschef"


def _create_unit_goal(
    ctx: Content, rng, parent: Goal, unit: OrgUnit, title: str, chief: str, order: int,
    status: str = GoalStatus.ADOPTED,
) -> Goal:  # fmt: skip
    goal = Goal(
        level=GoalLevel.UNIT,
        mandate_period=parent.mandate_period,
        parent=parent,
        owner=unit,
        title=title,
        perspective=parent.perspective,
        status=status,
        responsible="" if rng.random() < 0.15 else chief,
        order=order,
    )
    if status != GoalStatus.PROPOSED:
        goal.decided_on = datetime.date(ctx.cal.year - 1, 1, rng.randrange(10, 31))
    _smart(rng, goal, 0.7)
    goal.save()
    return goal


def _create_activity(
    ctx: Content, rng, goal: Goal, owner: OrgUnit, title: str, responsible: str | None, order: int
) -> Activity:
    start, end, status, progress = activity_schedule(rng, ctx.today, ctx.cal.year)
    return Activity.objects.create(
        goal=goal,
        owner=owner,
        title=title,
        responsible=responsible or person_name(rng),
        start=start,
        end=end,
        status=status,
        progress=progress,
        order=order,
    )


def _seed_earlier_period(ctx: Content, rng, period: MandatePeriod, units, perspectives) -> None:
    """A few goals of the earlier mandate period, all ended with it."""
    made: list[Goal] = []
    for order, (perspective, title, committee, child_title) in enumerate(
        ctx.earlier_goals, start=1
    ):
        top = Goal.objects.create(
            level=GoalLevel.COUNCIL,
            mandate_period=period,
            owner=units["KF"],
            title=title,
            perspective=perspectives[perspective],
            status=GoalStatus.ADOPTED,
            decision_reference=ctx.cal.text("KF 2018/402"),
            decision_paragraph="§ 160",
            decided_on=ctx.cal.date(datetime.date(2018, 11, 26)),
            responsible="Kommunstyrelsen",
            order=order,
        )
        child = Goal.objects.create(
            level=GoalLevel.COMMITTEE,
            mandate_period=period,
            parent=top,
            owner=units[committee],
            title=child_title,
            perspective=top.perspective,
            status=GoalStatus.ADOPTED,
            decision_reference=f"{committee} {ctx.cal.y(2019)}/{rng.randrange(10, 99)}",
            decision_paragraph=f"§ {rng.randrange(5, 60)}",
            decided_on=ctx.cal.date(datetime.date(2019, 2, 12)),
            order=1,
        )
        made += [child, top]
    for goal in made:  # children first: an ended goal may keep an ended child
        goal.status = GoalStatus.ENDED
        goal.version += 1
        goal.save()


def indicator_from_spec(spec: IndicatorSpec, units: dict[str, OrgUnit]) -> Indicator:
    return Indicator(
        name=spec.name,
        description=spec.description,
        unit=spec.unit,
        decimals=spec.decimals,
        direction=spec.direction,
        frequency=spec.frequency,
        kind=spec.kind,
        source=spec.source,
        kolada_id=spec.kolada_id,
        gender_breakdown=spec.gender,
        baseline_value=Decimal(spec.baseline) if spec.baseline is not None else None,
        baseline_year=spec.baseline_year if spec.baseline is not None else None,
        responsible_unit=units[spec.responsible],
    )


def _quantize(value, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _clip(value: float, unit: str, allow_negative: bool = False) -> float:
    if unit.strip() == "%":
        return min(max(value, 0.0), 100.0)
    return value if allow_negative else max(value, 0.0)


def new_measurement(
    indicator: Indicator,
    period: str,
    value: Decimal | None,
    gender: str = Gender.TOTAL,
    *,
    source: str = IndicatorSource.MANUAL,
    fetched_at: datetime.datetime | None = None,
    comment: str = "",
) -> Measurement:
    """An unsaved Measurement with its period, ``year`` and ``sort_key`` derived by
    :func:`goals.rules.measurement_keys`, as ``measurements_save`` derives them
    (``bulk_create`` does not call ``save()``)."""
    keys = measurement_keys(period)
    return Measurement(
        indicator=indicator,
        period=keys.period,
        year=keys.year,
        sort_key=keys.sort_key,
        gender=gender,
        value=value,
        comment=comment,
        source=source,
        fetched_at=fetched_at,
    )


def own_source(indicator: Indicator) -> str:
    """Where the demo's values of an indicator come from.

    Only indicators with a Kolada id are filled from Kolada; the municipality's
    own figures keep their own source (manual entry or import), never Kolada.
    """
    if indicator.kolada_id and indicator.source == IndicatorSource.KOLADA:
        return IndicatorSource.KOLADA
    if indicator.source == IndicatorSource.IMPORT:
        return IndicatorSource.IMPORT
    return IndicatorSource.MANUAL


def _gender_split(
    rng: random.Random, total: Decimal, spec: ResultSpec, indicator: Indicator
) -> tuple[Decimal, Decimal]:
    """Women and men whose weighted mean is the total (up to rounding)."""
    gap = spec.gap * rng.uniform(0.8, 1.2)
    women = float(total) + (1 - spec.women) * gap
    men = float(total) - spec.women * gap
    allow_negative = float(total) < 0
    return (
        _quantize(_clip(women, indicator.unit, allow_negative), indicator.decimals),
        _quantize(_clip(men, indicator.unit, allow_negative), indicator.decimals),
    )


def seed_demo_results(ctx: Content, indicators: dict[str, Indicator], rng: random.Random) -> None:
    """Targets, values (with gender where the statistics have it) and Kolada comparisons
    of the demo indicators, then the derived latest values."""
    targets: list[Target] = []
    measurements: list[Measurement] = []
    for key, indicator in indicators.items():
        spec = ctx.results[key]
        d = indicator.decimals
        baseline = Decimal(spec.values[ctx.result_years.index(ctx.baseline_year)])
        if indicator.baseline_value != baseline:
            raise ValueError(f"{key}: the value of {ctx.baseline_year} must be the baseline")
        years = linear_progression(
            baseline=baseline,
            baseline_year=ctx.baseline_year,
            end_value=Decimal(spec.end),
            end_year=ctx.current_period[1],
            decimals=d,
        )
        if spec.targets:  # planned by hand, not linearly
            years = dict(
                zip(
                    range(ctx.current_period[0], ctx.current_period[1] + 1),
                    map(Decimal, spec.targets),
                    strict=True,
                )
            )
        targets += [Target(indicator=indicator, year=y, value=v) for y, v in years.items()]

        source = own_source(indicator)
        fetched_at = ctx.kolada_fetched_at if source == IndicatorSource.KOLADA else None
        comments = dict(spec.comments)
        periods = [
            *((str(y), v) for y, v in zip(ctx.result_years, spec.values, strict=True)),
            *zip(ctx.tertials, spec.tertials, strict=False),
            *zip(ctx.months, spec.months, strict=False),
        ]
        for period, text in periods:
            if text is None:
                continue
            value = Decimal(text)
            measurements.append(
                new_measurement(
                    indicator,
                    period,
                    value,
                    source=source,
                    fetched_at=fetched_at,
                    comment=comments.get(period, ""),
                )
            )
            if indicator.gender_breakdown:
                women, men = _gender_split(rng, value, spec, indicator)
                for gender, v in ((Gender.WOMEN, women), (Gender.MEN, men)):
                    measurements.append(
                        new_measurement(
                            indicator, period, v, gender, source=source, fetched_at=fetched_at
                        )
                    )
    bulk_create_with_history(targets, Target, batch_size=500)
    bulk_create_with_history(measurements, Measurement, batch_size=500)
    _seed_kolada_comparisons(ctx, indicators, rng)
    indicator_refresh_latest([i.pk for i in indicators.values()])


def _seed_kolada_comparisons(
    ctx: Content, indicators: dict[str, Indicator], rng: random.Random
) -> None:
    """Kolada rows (totals) for the demo's Kolada indicators: our own municipality with
    the same values as its measurements, the comparison municipalities and the country."""
    own = settings.LEDMOT_KOLADA_MUNICIPALITY
    rows: list[KoladaValue] = []
    for key, indicator in indicators.items():
        if own_source(indicator) != IndicatorSource.KOLADA:
            continue
        spec, d = ctx.results[key], indicator.decimals
        riket = ctx.riket[indicator.kolada_id]

        def row(code, year, value, indicator=indicator):
            return KoladaValue(
                kpi=indicator.kolada_id,
                municipality=code,
                year=year,
                gender=Gender.TOTAL,
                value=value,
                fetched_at=ctx.kolada_fetched_at,
            )

        for year, text in zip(ctx.result_years, spec.values, strict=True):
            if text is not None:
                rows.append(row(own, year, Decimal(text)))
        for code in settings.LEDMOT_KOLADA_COMPARE:
            if code == own:
                continue
            if code == RIKET_CODE:
                rows += [
                    row(code, y, Decimal(v)) for y, v in zip(ctx.result_years, riket, strict=True)
                ]
                continue
            # A neighbour: the national level, shifted by its own profile, with some noise
            # (more for a small municipality such as Vadstena).
            spread = 0.12 if code == "0584" else 0.07
            level = rng.uniform(1 - spread, 1 + spread)
            for year, v in zip(ctx.result_years, riket, strict=True):
                noise = rng.gauss(0, spread / 3)
                value = _clip(float(v) * (level + noise), indicator.unit)
                rows.append(row(code, year, _quantize(value, d)))
    KoladaValue.objects.bulk_create(rows, batch_size=500)
