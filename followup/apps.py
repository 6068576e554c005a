from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        from followup.chain import latest_assessment_columns
        from followup.locks import closed_round_values, closed_year_targets
        from followup.open_work import followup_open_work
        from goals.extensions import CHAIN_COLUMNS, MEASUREMENT_LOCKS, TARGET_LOCKS
        from ledmot.extensions import OPEN_WORK

        if latest_assessment_columns not in CHAIN_COLUMNS:
            CHAIN_COLUMNS.append(latest_assessment_columns)
        if closed_round_values not in MEASUREMENT_LOCKS:
            MEASUREMENT_LOCKS.append(closed_round_values)
        if closed_year_targets not in TARGET_LOCKS:
            TARGET_LOCKS.append(closed_year_targets)
        if followup_open_work not in OPEN_WORK:
            OPEN_WORK.append(followup_open_work)
