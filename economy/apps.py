from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "economy"
    verbose_name = _("Ekonomi")

    def ready(self):
        from economy.cost_per_result import cost_per_result_section
        from economy.menu import economy_menu_entry
        from economy.priority_budget import budget_by_unit
        from economy.report import geh_section
        from economy.unit_section import economy_section
        from economy.workbook import ECONOMY_SHEET
        from followup.extensions import REPORT_SECTIONS
        from goals.extensions import UNIT_BUDGETS, UNIT_PAGE_SECTIONS, WORKBOOK_SHEETS
        from ledmot.context_processors import MENU_ENTRIES

        if economy_section not in UNIT_PAGE_SECTIONS:
            UNIT_PAGE_SECTIONS.append(economy_section)
        if cost_per_result_section not in UNIT_PAGE_SECTIONS:
            UNIT_PAGE_SECTIONS.append(cost_per_result_section)
        if ECONOMY_SHEET not in WORKBOOK_SHEETS:
            WORKBOOK_SHEETS.append(ECONOMY_SHEET)
        if economy_menu_entry not in MENU_ENTRIES:
            MENU_ENTRIES.append(economy_menu_entry)
        if geh_section not in REPORT_SECTIONS:
            REPORT_SECTIONS.append(geh_section)
        if budget_by_unit not in UNIT_BUDGETS:
            UNIT_BUDGETS.append(budget_by_unit)
