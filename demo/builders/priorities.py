"""The priority round of the demo (``demo/data/prioriteringar.toml``): the committees'
proposals for next year's budget with their fact sheets, submitted, reviewed and
partly decided by the council in June."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from demo.builders.followup import DEMO_EDITOR_PREFIX, working_day
from demo.clock import story_clock
from demo.content import PERSONA_USERNAMES, Content
from goals.models import Goal, GoalLevel, Indicator
from ledmot.models import OrgUnit
from priorities.models import PriorityItem, PriorityRound, Worksheet
from priorities.services import (
    item_decide,
    item_save,
    round_open,
    round_start_review,
    worksheet_submit,
)


def seed_demo_priorities(ctx: Content, units: dict[str, OrgUnit]) -> PriorityRound:
    """The priority round for next year's budget: every committee's worksheet submitted in
    March, the round under review, the council's decisions of 15 June recorded (two
    adopted, one rejected, one tabled until November, one referred back), the rest
    waiting for the new council. Written through the services on the story clock."""

    users = {u.username: u for u in get_user_model().objects.filter(username__in=PERSONA_USERNAMES)}
    controller = users["controller"]
    staff = {
        u.username.removeprefix(DEMO_EDITOR_PREFIX).upper(): u
        for u in get_user_model().objects.filter(username__startswith=DEMO_EDITOR_PREFIX)
    }
    council = {
        g.title: g
        for g in Goal.objects.filter(
            level=GoalLevel.COUNCIL, mandate_period__start_year=ctx.current_period[0]
        )
    }
    council_by_key = {s.key: council[s.title] for s in ctx.council_goals}
    indicator_names = {s.key: s.name for s in ctx.indicators}
    indicators = {i.name: i for i in Indicator.objects.all()}
    day = ctx.cal.date
    with story_clock(day(datetime.date(2026, 1, 19))) as clock:
        clock.at(day(datetime.date(2026, 1, 19)), 10)
        rnd = round_open(**ctx.priority_round, scope=units["KF"], user=controller)
        sheets = {w.committee.code: w for w in rnd.worksheets.select_related("committee")}
        items: dict[str, PriorityItem] = {}
        for i, spec in enumerate(ctx.priority_items):
            writer = staff.get(spec.committee, controller)
            clock.at(working_day(day(datetime.date(2026, 2, 16)), i % 12), 9 + i % 7, (i * 7) % 60)
            severity, effect, cost_effect, evidence = spec.assessment
            item = PriorityItem(
                worksheet=sheets[spec.committee],
                kind=spec.kind,
                title=spec.title,
                description=spec.description,
                target_group=spec.target_group,
                situation=spec.situation,
                severity=severity,
                effect=effect,
                cost_effect=cost_effect,
                evidence=evidence,
                effect_individual="i" in spec.lands,
                effect_society="s" in spec.lands,
                effect_organisation="o" in spec.lands,
                cost_budget=spec.costs[0],
                cost_plan1=spec.costs[1],
                cost_plan2=spec.costs[2],
                cost_type="engang" if spec.one_off else "varaktig",
                staff=Decimal(spec.staff) if spec.staff else None,
                consequences_citizens=spec.citizens,
                consequences_staff=spec.staff_text,
                consequences_equality=spec.equality,
                consequences_children=spec.children,
                risks=spec.risks,
                rank=spec.rank,
                rank_reason=spec.rank_reason,
            )
            items[spec.title] = item_save(
                item=item,
                user=writer,
                expected_version=None,
                goals=[council_by_key[k] for k in spec.goals],
                indicators=[
                    (indicators[indicator_names[key]], direction)
                    for key, direction in spec.indicators
                ],
            )
        for n, code in enumerate(sorted(sheets, key=lambda c: units[c].order)):
            clock.at(working_day(day(datetime.date(2026, 3, 6)), n % 5), 15, n * 5)
            sheet = Worksheet.objects.get(pk=sheets[code].pk)
            worksheet_submit(
                worksheet=sheet, user=staff.get(code, controller), expected_version=sheet.version
            )
        clock.at(day(datetime.date(2026, 4, 14)), 13)
        rnd.refresh_from_db()
        round_start_review(rnd=rnd, user=controller, expected_version=rnd.version)
        clock.at(day(datetime.date(2026, 6, 16)), 9)
        decided_on, paragraph, reference = ctx.priority_decision
        for title, (decision, note) in ctx.priority_decisions.items():
            item = PriorityItem.objects.get(pk=items[title].pk)
            item_decide(
                item=item, user=controller, decision=decision, decided_on=decided_on,
                paragraph=paragraph, reference=reference, note=note,
                expected_version=item.version,
            )  # fmt: skip
    return rnd
