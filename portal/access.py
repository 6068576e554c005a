"""Who may publish: the council's controllers (those who manage rounds), through the
one access module (``ledmot.access``)."""

from __future__ import annotations

from django.http import Http404

from ledmot.access import Cap, access_for, refusal
from portal.publication import portal_enabled


def can_publish(user) -> bool:
    return portal_enabled() and access_for(user).can_at_root(Cap.MANAGE)


def check_publish(request) -> None:
    """404 when the portal is off; 403 for anyone but the council's controllers."""
    if not portal_enabled():
        raise Http404
    if not can_publish(request.user):
        raise refusal(Cap.MANAGE, at_root=True)


def check_portal() -> None:
    """The public pages exist only while the portal is switched on."""
    if not portal_enabled():
        raise Http404
