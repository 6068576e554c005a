"""The "Ekonomi" entry of the main menu, for those who enter figures (editors and
controllers); everyone else reads the figures on the unit pages. The rounds' judgements
of god ekonomisk hushållning are reached from there (``judgement_url``), not from a menu
entry of their own: the main menu is one line on a laptop and short on a phone."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ledmot.access import Cap, access_for
from ledmot.context_processors import MenuEntry


def economy_menu_entry(user) -> MenuEntry | None:
    if not access_for(user).can_anywhere(Cap.EDIT):
        return None
    return MenuEntry(label=_("Ekonomi"), url=reverse("economy:home"))


def judgement_url(user) -> str | None:
    """Where the rounds' judgements of god ekonomisk hushållning are written, for those
    who manage the follow-up rounds (controllers); None for everyone else."""
    if not access_for(user).can_at_root(Cap.MANAGE):
        return None
    return reverse("economy:judgement_list")
