"""The access module: roles inherited down the tree, capabilities per role."""

import pytest

from goals.models import Goal
from ledmot.access import Cap, access_for
from ledmot.models import Role
from tests.factories import UserFactory, grant


def test_role_is_inherited_down_the_tree(world):
    access = access_for(world.editor)
    assert access.can(Cap.EDIT, world.skola1)
    assert not access.can(Cap.EDIT, world.skola2)
    assert not access.can(Cap.EDIT, world.buf)

    boss = UserFactory(username="chef")
    grant(boss, world.bun, Role.EDITOR)
    boss_access = access_for(boss)
    for unit in (world.bun, world.buf, world.skola1, world.skola2):
        assert boss_access.can(Cap.EDIT, unit)
    assert not boss_access.can(Cap.EDIT, world.boende1)


@pytest.mark.parametrize(
    ("role", "caps"),
    [
        (Role.READER, {Cap.VIEW}),
        (Role.EDITOR, {Cap.VIEW, Cap.EDIT}),
        (Role.APPROVER, {Cap.VIEW, Cap.APPROVE}),
        (Role.CONTROLLER, {Cap.VIEW, Cap.EDIT, Cap.APPROVE, Cap.MANAGE}),
        (Role.ADMIN, set(Cap)),
    ],
)
def test_each_role_grants_its_capabilities(world, role, caps):
    user = UserFactory(username=f"u-{role}")
    grant(user, world.bun, role)
    access = access_for(user)
    assert {c for c in Cap if access.can(c, world.skola1)} == caps


def test_anonymous_can_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    access = access_for(AnonymousUser())
    assert not any(access.can(c, world.kf) for c in Cap)


def test_visible_goals_are_public_ones_plus_the_users_scope(world):
    visible = set(Goal.objects.visible_to(world.other_editor))
    assert world.unit_goal in visible
    assert world.proposed_goal not in visible
    assert world.proposed_goal in set(Goal.objects.visible_to(world.editor))


def test_access_is_loaded_with_one_query_per_request(world, django_assert_num_queries):
    user = type(world.editor).objects.get(pk=world.editor.pk)
    with django_assert_num_queries(1):
        access_for(user).can(Cap.EDIT, world.skola1)
        access_for(user).can(Cap.VIEW, world.skola2)


def test_paths_are_kept_in_step_when_a_unit_moves(world):
    world.skola1.parent = world.vof
    world.skola1.save()
    world.skola1.refresh_from_db()
    assert world.skola1.path == "KF/VON/VOF/SKOLA1/"
    world.buf.code = "BUF2"
    world.buf.save()
    world.skola2.refresh_from_db()
    assert world.skola2.path == "KF/BUN/BUF2/SKOLA2/"


def test_a_role_on_the_council_covers_every_unit_without_testing_each_path(world):
    """A council-wide role filters nothing by path (a council controller's lists counted
    every report of the open rounds testing its unit's path) and covers what it did."""
    from followup.models import Report
    from ledmot.models import OrgUnit
    from tests.followup.helpers import open_round

    open_round(world)
    access = access_for(world.controller)
    reports = Report.objects.filter(access.units_q(Cap.VIEW, field="org_unit"))
    assert "path" not in str(reports.order_by().query)
    assert set(reports) == set(Report.objects.all())
    assert set(OrgUnit.objects.filter(access.units_q(Cap.MANAGE, field=""))) == set(
        OrgUnit.objects.all()
    )
    # A nullable field keeps out what has no unit, as the path test did: the council's
    # own report has no parent to approve it from.
    approvable = Report.objects.filter(access.units_q(Cap.APPROVE, field="org_unit__parent"))
    assert "path" not in str(approvable.order_by().query)
    assert set(approvable) == set(Report.objects.exclude(org_unit=world.kf))
    assert Report.objects.filter(org_unit=world.kf).exists()


def test_a_role_below_the_council_still_covers_only_its_part(world):
    from followup.models import Report
    from tests.followup.helpers import open_round

    open_round(world)
    boss = UserFactory(username="bunchef")
    grant(boss, world.bun, Role.READER)
    reports = Report.objects.filter(access_for(boss).units_q(Cap.VIEW, field="org_unit"))
    units = {r.org_unit for r in reports}
    assert world.bun in units and world.skola1 in units
    assert world.kf not in units
