"""The chain rules on the model, independent of any screen."""

import pytest
from django.core.exceptions import ValidationError

from goals.models import Goal, GoalLevel, GoalStatus
from ledmot.models import OrgKind
from tests.factories import GoalFactory, MandatePeriodFactory


def build(world, **kwargs):
    defaults = {
        "level": GoalLevel.UNIT,
        "parent": world.committee_goal,
        "owner": world.skola1,
        "mandate_period": world.period,
        "title": "Nytt",
        "perspective": world.council_goal.perspective,
    }
    defaults.update(kwargs)
    return Goal(**defaults)


def errors_of(goal):
    with pytest.raises(ValidationError) as exc:
        goal.full_clean()
    return exc.value.message_dict


def test_valid_unit_goal_passes(world):
    build(world).full_clean()


def test_unit_goal_needs_a_parent(world):
    assert "parent" in errors_of(build(world, parent=None))


def test_parent_must_be_one_level_up(world):
    assert "parent" in errors_of(build(world, parent=world.council_goal))


def test_unit_goal_owner_must_be_under_the_parents_committee(world):
    errors = errors_of(build(world, owner=world.boende1))
    assert "Enheten måste ligga under" in errors["owner"][0]


def test_committee_goal_belongs_to_a_committee(world):
    goal = build(world, level=GoalLevel.COMMITTEE, parent=world.council_goal, owner=world.skola1)
    assert "owner" in errors_of(goal)


def test_council_goal_is_owned_by_the_council_and_has_no_parent(world):
    assert world.kf.kind == OrgKind.COUNCIL
    goal = build(world, level=GoalLevel.COUNCIL, parent=None, owner=world.bun)
    assert "owner" in errors_of(goal)


def test_parent_in_another_period_is_refused(world):
    other = MandatePeriodFactory(start_year=2027, end_year=2030)
    goal = build(world, mandate_period=other)
    assert "annan mandatperiod" in errors_of(goal)["parent"][0]


def test_new_goal_under_ended_parent_is_refused(world):
    world.committee_goal.status = GoalStatus.ENDED
    world.committee_goal.save()
    assert "avslutat" in errors_of(build(world))["parent"][0]


def test_chain_state_flags_missing_and_ended_parents(world):
    orphan = GoalFactory(level=GoalLevel.COMMITTEE, owner=world.bun, mandate_period=world.period)
    world.council_goal.status = GoalStatus.ENDED
    world.council_goal.save()
    broken = {g.pk: g.chain_broken for g in Goal.objects.with_chain_state()}
    assert broken[orphan.pk] is True
    assert broken[world.committee_goal.pk] is True
    # The grandparent ended: the unit goal's chain is broken too.
    assert broken[world.unit_goal.pk] is True
    assert broken[world.council_goal.pk] is False
    assert world.unit_goal.chain_problems()


def test_smart_checklist_includes_named_responsible(world):
    goal = build(
        world,
        smart_specific=True,
        smart_measurable=True,
        smart_accepted=True,
        smart_realistic=True,
        smart_timebound=True,
    )
    assert not goal.smart_complete(measured=True)
    goal.responsible = "Anna Rektor"
    assert goal.smart_complete(measured=True)
    # Ticked "Mätbart" but no indicator measures it: not measurable.
    assert not goal.smart_complete(measured=False)
