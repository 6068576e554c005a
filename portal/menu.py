from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ledmot.context_processors import MenuEntry
from portal.access import can_publish


def publication_menu_entry(user) -> MenuEntry | None:
    """ "Publicering" for the council's controllers (no query: the access is cached)."""
    if not can_publish(user):
        return None
    return MenuEntry(label=_("Publicering"), url=reverse("portal:publishing"))
