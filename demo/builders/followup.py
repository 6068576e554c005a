"""The follow-up of the demo's year (``demo/data/kalender.toml`` and
``uppfoljning.toml``): last year's annual report and this year's tertial report, closed
and approved throughout, and this year's interim report under way with reports at
every stage; the annual wheel. Written through the follow-up services by the personas
and one demo editor per reporting unit."""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from demo.builders import SEED
from demo.builders.control import fill_control_results
from demo.builders.geh import seed_demo_judgement
from demo.clock import StoryClock, story_clock
from demo.content import (
    ACTIVITY_COMMENTS,
    DELAR_PLAN,
    DELAR_WEIGHTS,
    OPENINGS,
    OVERRIDES,
    PERIOD_WORDS,
    PERSONA_USERNAMES,
    RETURN_COMMENT,
    THEME_WORDS,
    THEMES,
    UNIT_THEMES,
    Content,
    RoundSpec,
)
from followup.models import FollowUpRound, GoalAssessment, Report, RoundKind, WheelStep
from followup.rules import counted_q
from followup.services import (
    activity_update_save,
    assessment_save,
    report_approve,
    report_return,
    report_submit,
    round_close,
    round_open,
    units_in_scope,
)
from goals.fulfilment import Assessment, combine
from goals.models import Activity, ActivityStatus, Goal, GoalLevel
from ledmot.models import PATH_SEPARATOR, OrgKind, OrgUnit, Role, RoleAssignment

# Who writes the reports of units without a persona: one demo editor per reporting unit,
# named after the unit's chief; they have no password (history names, not logins).
DEMO_EDITOR_PREFIX = "demo-"
# The units whose reports a persona writes (not a demo editor).
PERSONA_WRITERS = {"SKOLA-EKBACKEN": "enhetschef", "BUN": "namndsekreterare"}
# Why a committee or council goal without an indicator result is assessed all the same.
ROLLUP_JUSTIFICATION = (
    "Målet saknar egen indikator med utfall för perioden. Bedömningen bygger på hur "
    "de mål som bryter ned det har bedömts."
)
# The themes of a kind of service: a unit's own goal is written in its unit's theme
# when its title speaks of one of these (see _theme).
SERVICE_THEMES = frozenset({"skola", "forskola", "omsorg", "social", "kultur", "miljo"})


def _theme(goal: Goal, unit_theme: str | None = None) -> str:
    """The theme of a goal's texts: from the words of its title, first match wins; for
    a unit's own goal, the unit's theme where the title speaks of another kind of
    service (a preschool writes of preschool, a care home of care)."""
    title = goal.title.lower()
    theme = next((t for t, words in THEME_WORDS if any(w in title for w in words)), "allmant")
    if goal.level == GoalLevel.UNIT and unit_theme and theme in SERVICE_THEMES:
        return unit_theme
    return theme


def _rollup(assessment: GoalAssessment) -> Counter:
    """For a committee or council goal: how the goals that break it down were assessed,
    counting only the reports that count (:func:`followup.rules.counted_q`: submitted or
    approved, as the committee report's roll-up and Röda tråden count)."""
    return Counter(
        GoalAssessment.objects.filter(
            counted_q(),
            report__round_id=assessment.report.round_id,
            goal__parent_id=assessment.goal_id,
        )
        .exclude(chosen="")
        .values_list("chosen", flat=True)
    )


def _rollup_sentence(assessment: GoalAssessment) -> str:
    """:func:`_rollup` in words, for the goal's analysis."""
    chosen = _rollup(assessment)
    total = sum(chosen.values())
    if not total:
        return ""
    below = "enhetsmål" if assessment.goal.level == GoalLevel.COMMITTEE else "nämndmål"
    words = {
        Assessment.MET: ("uppfyllt", "uppfyllda"),
        Assessment.PARTLY: ("delvis uppfyllt", "delvis uppfyllda"),
        Assessment.NOT_MET: ("ej uppfyllt", "ej uppfyllda"),
    }
    parts = [f"{chosen[a]} som {words[a][chosen[a] != 1]}" for a in words if chosen[a]]
    waiting = chosen[Assessment.NOT_ASSESSED]
    if not parts:
        if total == 1:
            return f"Det enda {below}et som bryter ned målet kan inte bedömas ännu."
        return f"Inget av de {total} {below}en som bryter ned målet kan bedömas ännu."
    listed = ", ".join(parts[:-1]) + (" och " if len(parts) > 1 else "") + parts[-1]
    rest = f"; {waiting} kan inte bedömas ännu" if waiting else ""
    return f"Av {total} {below} som bryter ned målet bedöms {listed}{rest}."


def _analysis(
    rng, assessment: GoalAssessment, chosen: str, kind: str, unit_theme: str | None
) -> tuple[str, str]:
    """An analysis and measures for one goal, from the pools of its theme."""
    pool = THEMES[_theme(assessment.goal, unit_theme)]
    opening = rng.choice(OPENINGS[chosen]).format(period=PERIOD_WORDS[kind])
    good, bad = rng.sample(pool["good"], 2), rng.sample(pool["bad"], 2)
    body = {
        Assessment.MET: good,
        Assessment.PARTLY: [good[0], bad[0]],
        Assessment.NOT_MET: bad,
        Assessment.NOT_ASSESSED: [rng.choice((good[0], bad[0]))],
    }[chosen]
    rollup = _rollup_sentence(assessment) if assessment.goal.level != GoalLevel.UNIT else ""
    analysis = " ".join(s for s in (opening, rollup, *body) if s)
    measures = rng.sample(pool["do"], 1 if chosen == Assessment.MET else 2)
    if chosen == Assessment.MET:
        measures.insert(0, "Arbetet fortsätter enligt plan.")
    return analysis, " ".join(measures)


def _status_at(activity: Activity, day: datetime.date) -> str:
    """An activity's status on ``day``, consistent with its schedule and today's status."""
    if activity.start and activity.start > day:
        return ActivityStatus.NOT_STARTED
    if activity.end and activity.end <= day:
        return activity.status
    if activity.status == ActivityStatus.DELAYED:
        return ActivityStatus.DELAYED
    return ActivityStatus.IN_PROGRESS


@dataclass
class _FollowUpCast:
    controller: object
    forvaltningschef: object
    personas: dict[str, object]  # by username
    editors: dict[str, object]  # by unit code
    bun_code: str
    themes: dict[int, str]  # the theme of each unit's own texts, by unit pk

    def editor(self, unit: OrgUnit):
        if unit.code in PERSONA_WRITERS:
            return self.personas[PERSONA_WRITERS[unit.code]]
        return self.editors.get(unit.code, self.controller)

    def approver(self, unit: OrgUnit):
        """Approval from above: BUN's units by its förvaltningschef, the rest by the
        controller on the council."""
        inside_bun = unit.kind != OrgKind.COMMITTEE and unit.committee_code == self.bun_code
        return self.forvaltningschef if inside_bun else self.controller


def _create_demo_editors(
    ctx: Content, units: dict[str, OrgUnit], chiefs: dict[str, str]
) -> dict[str, object]:
    """A Redigerare for every unit that reports (except those a persona writes), named
    after the unit's chief (for the council: the kommundirektör). No password: they only
    sign the history."""
    user_model = get_user_model()
    units_with_reports, _period = units_in_scope(year=ctx.delar_round.period_end.year, scope=[])
    editors = {}
    for unit in units_with_reports:
        if unit.code in PERSONA_WRITERS:
            continue
        first, last = chiefs[unit.code].split(" ", 1)
        user = user_model(
            username=f"{DEMO_EDITOR_PREFIX}{unit.code.lower()}",
            first_name=first,
            last_name=last,
            email=f"{unit.code.lower()}@asbacka.example",
        )
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, org_unit=unit, role=Role.EDITOR)
        editors[unit.code] = user
    return editors


def _fill(
    rng, cast: _FollowUpCast, report: Report, user, kind: str, *, only: int | None = None,
    chosen_only: int = 0, overrides: float = 0.0, texts: dict | None = None, thin: str = "",
) -> None:  # fmt: skip
    """Write the report's assessments as ``user``: all of them, or the first ``only``
    fully and the next ``chosen_only`` with just the assessment chosen.

    ``texts`` (by goal title) are written instead of generated ones, and those goals
    come first; ``thin`` leaves the analysis of the goal with that word almost empty.
    """
    texts = texts or {}
    order = list(texts)
    assessments = sorted(
        report.assessments.select_related("goal", "report"),
        key=lambda a: (order.index(a.goal.title) if a.goal.title in texts else len(order), a.pk),
    )
    limit = len(assessments) if only is None else only
    for i, a in enumerate(assessments[: limit + chosen_only]):
        chosen, justification = a.proposed, ""
        if rng.random() < overrides:
            chosen, justification = OVERRIDES[a.proposed]
        if chosen == Assessment.NOT_ASSESSED and a.goal.level != GoalLevel.UNIT:
            # A committee or council goal without an indicator result of its own is
            # assessed by its writer from the goals that break it down, or where none
            # of them could be, from the committee's own follow-up.
            below = combine(list(_rollup(a).elements()))
            if below != Assessment.NOT_ASSESSED:
                chosen, justification = below, ROLLUP_JUSTIFICATION
            else:
                chosen, justification = OVERRIDES[Assessment.NOT_ASSESSED]
        a.chosen, a.justification = chosen, justification
        if i < limit:
            a.analysis, a.measures = texts.get(a.goal.title) or _analysis(
                rng, a, chosen, kind, cast.themes.get(report.org_unit_id)
            )
            if thin and thin in a.goal.title.lower():
                a.analysis = "Sjukfrånvaron har ökat jämfört med samma period förra året."
        assessment_save(assessment=a, user=user, expected_version=a.version)


def _update_activities(rng, report: Report, user, day: datetime.date, share: float = 1.0):
    updates = list(report.activity_updates.select_related("activity").order_by("activity__pk"))
    for u in updates[: math.ceil(len(updates) * share)]:
        u.status = _status_at(u.activity, day)
        u.comment = rng.choice(ACTIVITY_COMMENTS[u.status])
        activity_update_save(update=u, user=user, expected_version=u.version)


def _fresh(report: Report) -> Report:
    return Report.objects.select_related("org_unit").get(pk=report.pk)


def _submit(report: Report, user) -> Report:
    report = _fresh(report)
    return report_submit(report=report, user=user, expected_version=report.version)


def _approve(report: Report, user) -> Report:
    report = _fresh(report)
    return report_approve(report=report, user=user, expected_version=report.version)


def _reports_bottom_up(rnd: FollowUpRound) -> list[Report]:
    """Units first, then their committees, the council last (roll-ups see the units)."""
    reports = list(rnd.reports.select_related("org_unit"))
    return sorted(reports, key=lambda r: (-r.org_unit.path.count(PATH_SEPARATOR), r.org_unit.path))


def working_day(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day from ``start`` (Monday to Friday)."""
    day = start
    while n > 0 or day.weekday() >= 5:
        if day.weekday() < 5:
            n -= 1
        day += datetime.timedelta(days=1)
    return day


def _open(spec: RoundSpec, user) -> FollowUpRound:
    return round_open(
        kind=RoundKind.objects.get(name=spec.kind),
        year=spec.period_end.year,
        period_end=spec.period_end,
        deadline=spec.deadline,
        council_date=spec.council_date,
        scope=[],
        user=user,
    )


def _seed_approved_round(
    rng, cast: _FollowUpCast, clock: StoryClock, spec: RoundSpec, texts=None, before_close=None
) -> FollowUpRound:
    """A round where every report was written, submitted and approved, then closed:
    units first (from ``units_from``, over eight working days), administrations,
    committees, the council last."""
    kind, period_end, story = spec.kind, spec.period_end, spec.story
    clock.at(story["opened"], 8, 30)
    rnd = _open(spec, cast.controller)
    for i, report in enumerate(_reports_bottom_up(rnd)):
        unit = report.org_unit
        depth = unit.path.count(PATH_SEPARATOR)
        if unit.kind == OrgKind.UNIT:
            written = working_day(story["units_from"], i % 8)
        elif depth > 1 and unit.kind != OrgKind.COMPANY and unit.kind != OrgKind.COMMITTEE:
            written = story["administrations"]  # administrations: activities only
        else:
            written = story["committees"] if depth > 1 else story["council"]
        editor = cast.editor(unit)
        clock.at(written, 8 + i % 8, (i * 7) % 60)
        own = texts if texts and unit.code == "SKOLA-EKBACKEN" else None
        _fill(rng, cast, report, editor, kind, texts=own, overrides=0.0 if own else 0.07)
        _update_activities(rng, report, editor, period_end)
        fill_control_results(report, editor)
        clock.at(written, 15, (i * 11) % 60)
        _submit(report, editor)
        clock.at(working_day(written, 2 + i % 3), 10, (i * 13) % 60)
        _approve(report, cast.approver(unit))
    clock.at(story["closed"], 13, 0)
    if before_close is not None:
        before_close(rnd)
    return round_close(rnd=rnd, user=cast.controller)


def _seed_annual(ctx: Content, rng, cast: _FollowUpCast, clock: StoryClock) -> FollowUpRound:
    """Last year's annual report (årsredovisning), written in January and February, with
    the controller's judgement of god ekonomisk hushållning written before it closes."""

    def judgement(rnd):
        seed_demo_judgement(rnd, cast.controller, part="arsredovisning")

    return _seed_approved_round(rng, cast, clock, ctx.annual_round, before_close=judgement)


def _seed_tertial(ctx: Content, rng, cast: _FollowUpCast, clock: StoryClock) -> FollowUpRound:
    """Tertial 1: every report written, submitted and approved, then the round closed."""
    return _seed_approved_round(rng, cast, clock, ctx.tertial_round, texts=ctx.ekbacken_tertial)


def _seed_delar(ctx: Content, rng, cast: _FollowUpCast, clock: StoryClock) -> FollowUpRound:
    """The interim report per 31 August: every stage of the workflow at once, all of it
    done by ``ctx.today``, the deadline still ahead."""
    spec = ctx.delar_round
    kind, period_end, story = spec.kind, spec.period_end, spec.story

    def by_today(day: datetime.date) -> datetime.date:
        return min(day, ctx.today)

    clock.at(story["opened"], 8, 30)
    rnd = _open(spec, cast.controller)
    states = list(DELAR_WEIGHTS)
    weights = list(DELAR_WEIGHTS.values())
    for i, report in enumerate(_reports_bottom_up(rnd)):
        unit = report.org_unit
        drawn = rng.choices(states, weights)[0]
        state = DELAR_PLAN.get(unit.code, drawn)
        if state == "not_started":
            continue
        editor = cast.editor(unit)
        written = by_today(working_day(story["units_from"], i % 9))
        clock.at(written, 8 + i % 9, (i * 7) % 60)
        if unit.code == "SKOLA-EKBACKEN":
            texts = ctx.ekbacken_delar
            written_goals = sum(1 for w in texts.values() if w is not None)
            _fill(rng, cast, report, editor, kind, only=written_goals, chosen_only=1, texts=texts)
            _update_activities(rng, report, editor, period_end, share=0.3)
            continue
        if state == "draft":
            n = report.assessments.count()
            _fill(rng, cast, report, editor, kind, only=n // 2, chosen_only=1 if n > 1 else 0)
            _update_activities(rng, report, editor, period_end, share=0.5)
            continue
        thin = "sjukfrånvaro" if state == "returned" else ""
        _fill(rng, cast, report, editor, kind, overrides=0.04, thin=thin)
        _update_activities(rng, report, editor, period_end)
        fill_control_results(report, editor)
        clock.at(by_today(working_day(written, 1)), 14, (i * 11) % 60)
        _submit(report, editor)
        if state == "approved":
            clock.at(by_today(working_day(written, 3)), 10, (i * 13) % 60)
            _approve(report, cast.approver(unit))
        elif state == "returned":
            clock.at(by_today(max(story["returned"], working_day(written, 1))), 16, 15)
            report = _fresh(report)
            report_return(
                report=report,
                user=cast.approver(unit),
                comment=RETURN_COMMENT,
                expected_version=report.version,
            )
    return rnd


def seed_demo_followup(
    ctx: Content, units: dict[str, OrgUnit], tags: dict[str, str], chiefs: dict[str, str], rng
) -> None:
    """The follow-up: last year's annual report and this year's tertial report (both
    closed, all approved) and the interim report (open, at every stage), written
    through the services by the people who would have written them, on the dates they
    would have (the story clock, :mod:`demo.clock`).

    The indicator values of the closed rounds' periods are written before this (a
    closed round freezes them)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=PERSONA_USERNAMES)}
    cast = _FollowUpCast(
        controller=users["controller"],
        forvaltningschef=users["forvaltningschef"],
        personas=users,
        editors=_create_demo_editors(ctx, units, chiefs),
        bun_code=units["BUN"].code,
        themes={
            unit.pk: UNIT_THEMES[tags[code]]
            for code, unit in units.items()
            if tags.get(code) in UNIT_THEMES
        },
    )
    with story_clock(ctx.annual_round.story["opened"]) as clock:
        # Its own random numbers, so the later rounds come out as they did before.
        _seed_annual(ctx, random.Random(f"{SEED}-arsredovisning"), cast, clock)
        _seed_tertial(ctx, rng, cast, clock)
        _seed_delar(ctx, rng, cast, clock)


def seed_demo_wheel(ctx: Content) -> None:
    """The annual wheel (årshjul) of the demo's year, entered by the controller."""
    controller = get_user_model().objects.get(username="controller")
    for order, row in enumerate(ctx.wheel):
        step = WheelStep(
            year=ctx.cal.year,
            kind=row["typ"],
            title=row["titel"],
            start=row["start"],
            end=row.get("slut"),
            description=row.get("beskrivning", ""),
            order=order,
        )
        step.full_clean()
        step._history_user = controller
        step.save()
