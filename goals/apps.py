from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Mål och indikatorer")

    def ready(self):
        from goals.open_work import goals_open_work, goals_open_work_transfer
        from ledmot.extensions import OPEN_WORK, OPEN_WORK_TRANSFERS

        if goals_open_work not in OPEN_WORK:
            OPEN_WORK.append(goals_open_work)
        if goals_open_work_transfer not in OPEN_WORK_TRANSFERS:
            OPEN_WORK_TRANSFERS.append(goals_open_work_transfer)
