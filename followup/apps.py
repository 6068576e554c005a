from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        from followup.chain import annotate_latest_assessment
        from goals.extensions import CHAIN_ANNOTATIONS

        if annotate_latest_assessment not in CHAIN_ANNOTATIONS:
            CHAIN_ANNOTATIONS.append(annotate_latest_assessment)
