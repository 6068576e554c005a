from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Öppen portal")

    def ready(self):
        from ledmot.context_processors import MENU_ENTRIES
        from portal.menu import publication_menu_entry

        if publication_menu_entry not in MENU_ENTRIES:
            MENU_ENTRIES.append(publication_menu_entry)
