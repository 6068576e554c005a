"""The "Ekonomi" entry of the main menu, for those who enter figures (editors and
controllers); everyone else reads the figures on the unit pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ledmot.access import Cap, access_for
from ledmot.context_processors import MenuEntry


def economy_menu_entry(user) -> MenuEntry | None:
    if not access_for(user).can_anywhere(Cap.EDIT):
        return None
    return MenuEntry(label=_("Ekonomi"), url=reverse("economy:home"))


def judgement_menu_entry(user) -> MenuEntry | None:
    """ "God ekonomisk hushållning", the rounds' overall judgements, for those who manage
    the follow-up rounds (controllers)."""
    if not access_for(user).can_at_root(Cap.MANAGE):
        return None
    return MenuEntry(label=_("God ekonomisk hushållning"), url=reverse("economy:judgement_list"))
