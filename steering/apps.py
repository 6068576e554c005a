from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "steering"
    verbose_name = _("Styrdokument")

    def ready(self):
        from followup.extensions import DAILY_REMINDERS
        from goals.extensions import GOAL_PAGE_SECTIONS
        from ledmot.context_processors import MENU_ENTRIES
        from steering.goal_page import goal_documents_section, menu_entry
        from steering.reminders import send_review_reminders

        if goal_documents_section not in GOAL_PAGE_SECTIONS:
            GOAL_PAGE_SECTIONS.append(goal_documents_section)
        if menu_entry not in MENU_ENTRIES:
            MENU_ENTRIES.append(menu_entry)
        reminders = ("påminnelser om revidering", send_review_reminders)
        if reminders not in DAILY_REMINDERS:
            DAILY_REMINDERS.append(reminders)
