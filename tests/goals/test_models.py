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


def test_chain_broken_in_python_agrees_with_the_filter(world):
    """Röda tråden reads its rows with raw SQL and judges a broken link with
    goals.models.goals.chain_broken; the structure analysis and exports filter with
    chain_broken_q. Every case of the rule gives the same answer in both."""
    from goals.models.goals import chain_broken

    orphan = GoalFactory(level=GoalLevel.COMMITTEE, owner=world.bun, mandate_period=world.period)
    under_orphan = build(world, parent=orphan)
    under_orphan.save()
    ended = GoalFactory(owner=world.kf, mandate_period=world.period, status=GoalStatus.ENDED)
    under_ended = GoalFactory(
        level=GoalLevel.COMMITTEE, parent=ended, owner=world.bun, mandate_period=world.period
    )
    build(world, parent=under_ended).save()  # the rule refuses it; old data may hold it
    ended_parent = GoalFactory(
        level=GoalLevel.COMMITTEE,
        parent=world.council_goal,
        owner=world.bun,
        mandate_period=world.period,
        status=GoalStatus.ENDED,
    )
    build(world, parent=ended_parent).save()
    build(world, level=GoalLevel.UNIT, parent=None).save()

    expected = {g.pk: g.chain_broken for g in Goal.objects.with_chain_state()}
    got = {
        g.pk: chain_broken(
            g.level,
            g.parent.status if g.parent else None,
            g.parent.parent.status if g.parent and g.parent.parent else None,
        )
        for g in Goal.objects.select_related("parent__parent")
    }
    assert got == expected
    assert sum(expected.values()) >= 6
    assert not all(expected.values())


def test_visible_goal_sql_selects_what_visible_goal_q_selects(world):
    """The chain's raw queries use visible_goal_sql, the ORM visible_goal_q: the same
    goals for every kind of user, and a unit code's "_" is not a LIKE wildcard."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from goals.models.goals import visible_goal_q, visible_goal_sql
    from ledmot.models import Role
    from tests.conftest import grant
    from tests.factories import OrgUnitFactory, UserFactory

    exact = OrgUnitFactory(code="A_B", parent=world.buf)
    lookalike = OrgUnitFactory(code="AXB", parent=world.buf)
    for unit in (exact, lookalike):
        GoalFactory(
            level=GoalLevel.UNIT,
            parent=world.committee_goal,
            owner=unit,
            mandate_period=world.period,
            status=GoalStatus.PROPOSED,
        )
    editor = UserFactory(username="a_b")
    grant(editor, exact, Role.EDITOR)
    nobody = UserFactory(username="utan-roller")
    superuser = get_user_model().objects.create_superuser("su", "su@example.org", "x")
    users = [world.reader, world.editor, world.other_editor, world.controller, editor]
    q = connection.ops.quote_name
    for user in [*users, nobody, superuser]:
        where, params = visible_goal_sql(user, "g")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT g.id FROM {q(Goal._meta.db_table)} g WHERE {where}",  # noqa: S608
                params,
            )
            got = {pk for (pk,) in cursor.fetchall()}
        assert got == set(Goal.objects.filter(visible_goal_q(user)).values_list("pk", flat=True))
    seen = {g.owner.code for g in Goal.objects.filter(visible_goal_q(editor))}
    assert "A_B" in seen
    assert "AXB" not in seen
