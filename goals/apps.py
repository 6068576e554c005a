from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Mål och indikatorer")

    def ready(self):
        from goals.assignments import assignment_plan_section
        from goals.extensions import UNIT_PLAN_SECTIONS
        from goals.open_work import goals_open_work, goals_open_work_transfer
        from ledmot.extensions import OPEN_WORK, OPEN_WORK_TRANSFERS

        if goals_open_work not in OPEN_WORK:
            OPEN_WORK.append(goals_open_work)
        if goals_open_work_transfer not in OPEN_WORK_TRANSFERS:
            OPEN_WORK_TRANSFERS.append(goals_open_work_transfer)
        # The assignments are goals' own, but drawn through the same hook as any app's.
        if assignment_plan_section not in UNIT_PLAN_SECTIONS:
            UNIT_PLAN_SECTIONS.append(assignment_plan_section)
