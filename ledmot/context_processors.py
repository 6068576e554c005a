from functools import cached_property

from django.conf import settings

from ledmot.access import Cap, access_for


class Menu:
    """Which entries of the main menu the user can use; asked only when the menu is drawn
    (the access is cached on the user for the request, so it costs one query at most)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def results(self) -> bool:
        """Mata in resultat: values are entered by editors."""
        return access_for(self.user).can_anywhere(Cap.EDIT)

    @cached_property
    def periods(self) -> bool:
        """Perioder: periods and the vision are kept by controllers of the council."""
        return access_for(self.user).can_at_root(Cap.MANAGE)

    @cached_property
    def administration(self) -> bool:
        """Administration: the organisation and people, for admins of any part of it."""
        return access_for(self.user).can_anywhere(Cap.ADMINISTER)


def municipality(request):
    return {
        "municipality_name": settings.LEDMOT_MUNICIPALITY_NAME,
        "source_url": settings.LEDMOT_SOURCE_URL,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "menu": Menu(getattr(request, "user", None)),
    }
