"""Who may read and enter economy figures, through the one access module
(:mod:`ledmot.access`): every signed-in person reads a unit's figures (the budget is a
public document, like the organisation and adopted goals); editors of a unit (and of
the units above it) and controllers enter them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from ledmot.access import Cap, access_for, refusal
from ledmot.models import OrgUnit


def can_enter_figures(user, unit: OrgUnit) -> bool:
    return access_for(user).can(Cap.EDIT, unit)


def get_unit_for_entry(request, pk) -> OrgUnit:
    """The unit whose figures (and its units') the person enters: 404 unknown, 403 when
    the person may not enter them."""
    if not request.user.is_authenticated:  # pragma: no cover - views are login_required
        raise Http404
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=pk)
    if not can_enter_figures(request.user, unit):
        raise refusal(Cap.EDIT, unit)
    return unit


def entry_home(user) -> OrgUnit | None:
    """Where "Ekonomi" in the menu leads: the most specific unit the person may enter
    figures for; for a role on the council, the council (its committees are one click
    away)."""
    access = access_for(user)
    ids = [g.unit_id for g in access.grants if Cap.EDIT in g.caps]
    home = [pk for pk in access.home_unit_ids() if pk in ids]
    if home:
        return OrgUnit.objects.filter(pk=home[0]).first()
    if access.is_superuser:
        return OrgUnit.objects.filter(parent__isnull=True).first()
    return None
