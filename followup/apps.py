from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        from followup.chain import annotate_latest_assessment
        from followup.locks import closed_round_values, closed_year_targets
        from goals.extensions import CHAIN_ANNOTATIONS, MEASUREMENT_LOCKS, TARGET_LOCKS

        if annotate_latest_assessment not in CHAIN_ANNOTATIONS:
            CHAIN_ANNOTATIONS.append(annotate_latest_assessment)
        if closed_round_values not in MEASUREMENT_LOCKS:
            MEASUREMENT_LOCKS.append(closed_round_values)
        if closed_year_targets not in TARGET_LOCKS:
            TARGET_LOCKS.append(closed_year_targets)
