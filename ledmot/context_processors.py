import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.urls import get_script_prefix, reverse

from ledmot.access import Cap, access_for


@dataclass(frozen=True)
class MenuEntry:
    """An entry an app adds to the main menu: its label, address, a number after the
    label (e.g. what waits for the person; None for none) and the accessible name
    when it says more than the label."""

    label: str
    url: str
    count: int | None = None
    name: str = ""


#: Entries other apps add to the main menu, after "Uppföljning" (the core imports no
#: app: they register here in their AppConfig.ready). Callables ``(user) -> MenuEntry |
#: None``, asked only when the menu is drawn: followup adds "Att granska" with the
#: number of reports waiting for the person's approval (for approvers only: the units
#: where someone approves, and one COUNT).
MENU_ENTRIES: list[Callable] = []


#: The addresses base.html links to: reversed once per script prefix (the site's path
#: under its host), not a dozen times on every page.
MENU_URLS = {
    "chain": "goals:chain",
    "my_unit": "goals:my_unit",
    "structure": "goals:structure",
    "results": "goals:results",
    "followup": "followup:round_list",
    "priorities": "priorities:round_list",
    "proposals": "goals:proposal_list",
    "periods": "goals:periods",
    "administration": "orgadmin:unit_tree",
    "glossary": "glossary",
    "logout": "logout",
    "set_language": "set_language",
}


@functools.cache
def _menu_urls(prefix: str) -> dict[str, str]:
    return {key: reverse(name) for key, name in MENU_URLS.items()}


class Menu:
    """Which entries of the main menu the user can use; asked only when the menu is drawn
    (the access is cached on the user for the request, so it costs one query at most)."""

    def __init__(self, user):
        self.user = user

    @property
    def urls(self) -> dict[str, str]:
        return _menu_urls(get_script_prefix())

    @cached_property
    def results(self) -> bool:
        """Mata in resultat: values are entered by editors."""
        return access_for(self.user).can_anywhere(Cap.EDIT)

    @cached_property
    def periods(self) -> bool:
        """Perioder: periods and the vision are kept by controllers of the council."""
        return access_for(self.user).can_at_root(Cap.MANAGE)

    @cached_property
    def entries(self) -> list[MenuEntry]:
        return [entry for make in MENU_ENTRIES if (entry := make(self.user))]

    @property
    def entry_urls(self) -> list[str]:
        return [entry.url for entry in self.entries]

    @cached_property
    def administration(self) -> bool:
        """Administration: the organisation and people, for admins of any part of it."""
        return access_for(self.user).can_anywhere(Cap.ADMINISTER)

    @cached_property
    def signin_events(self) -> bool:
        """Säkerhetshändelser (ledmot.signin_events): for admins of the whole municipality."""
        return access_for(self.user).can_at_root(Cap.ADMINISTER)


def municipality(request):
    return {
        "municipality_name": settings.LEDMOT_MUNICIPALITY_NAME,
        "source_url": settings.LEDMOT_SOURCE_URL,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "menu": Menu(getattr(request, "user", None)),
    }
