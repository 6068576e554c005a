"""Who may use the organisation screens, and on what: the access helpers every view of
``ledmot.orgadmin`` calls first (403 with the reason outside the user's part)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from ledmot.access import Access, Cap, access_for, refusal
from ledmot.models import OrgUnit, RoleAssignment


def require_admin(request) -> Access:
    """The user's access, if he holds the admin role somewhere; else 403."""
    access = access_for(request.user)
    if not access.can_anywhere(Cap.ADMINISTER):
        raise refusal(Cap.ADMINISTER)
    return access


def administered_units(access: Access) -> QuerySet[OrgUnit]:
    """The units the user administers (his parts of the tree), in tree order."""
    return OrgUnit.objects.filter(access.units_q(Cap.ADMINISTER, field="")).order_by("path")


def get_unit_for_admin(request, pk: int) -> tuple[Access, OrgUnit]:
    access = require_admin(request)
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=pk)
    if not access.can(Cap.ADMINISTER, unit):
        raise refusal(Cap.ADMINISTER, unit)
    return access, unit


def people_for(access: Access) -> QuerySet:
    """The people the user sees on the people screens: everyone for an admin of the whole
    municipality, else those holding a role in his part of the tree."""
    people = get_user_model()._default_manager.all()
    if access.is_superuser or access.can_at_root(Cap.ADMINISTER):
        return people
    in_scope = RoleAssignment.objects.filter(
        Q(user=OuterRef("pk")) & access.units_q(Cap.ADMINISTER, field="org_unit")
    )
    return people.filter(Exists(in_scope))


def get_person_for_admin(request, pk: int):
    access = require_admin(request)
    person = people_for(access).filter(pk=pk).first()
    if person is None:
        get_object_or_404(get_user_model(), pk=pk)
        raise refusal(Cap.ADMINISTER)
    return access, person
