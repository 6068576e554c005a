from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    name = "control"
    verbose_name = _("Intern kontroll")

    def ready(self):
        from control.extensions import (
            control_menu_entry,
            control_report_page_section,
            internal_control_chapter,
            unit_risks_section,
            unreported_controls_section,
        )
        from followup.extensions import (
            REPORT_PAGE_SECTIONS,
            REPORT_SECTIONS,
            ROUND_DASHBOARD_SECTIONS,
        )
        from goals.extensions import UNIT_PAGE_SECTIONS
        from ledmot.context_processors import MENU_ENTRIES

        for hooks, hook in (
            (MENU_ENTRIES, control_menu_entry),
            (REPORT_SECTIONS, internal_control_chapter),
            (REPORT_PAGE_SECTIONS, control_report_page_section),
            (ROUND_DASHBOARD_SECTIONS, unreported_controls_section),
            (UNIT_PAGE_SECTIONS, unit_risks_section),
        ):
            if hook not in hooks:
                hooks.append(hook)
