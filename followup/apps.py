from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        from followup.chain import latest_assessment_columns
        from followup.locks import closed_round_values, closed_year_targets
        from followup.notifications import start_notices
        from followup.open_work import followup_open_work
        from followup.review import review_menu_entry
        from followup.unit_reports import open_reports_section
        from goals.extensions import (
            CHAIN_COLUMNS,
            MEASUREMENT_LOCKS,
            START_NOTICES,
            TARGET_LOCKS,
            UNIT_PAGE_SECTIONS,
        )
        from ledmot.context_processors import MENU_ENTRIES
        from ledmot.extensions import OPEN_WORK

        if latest_assessment_columns not in CHAIN_COLUMNS:
            CHAIN_COLUMNS.append(latest_assessment_columns)
        if closed_round_values not in MEASUREMENT_LOCKS:
            MEASUREMENT_LOCKS.append(closed_round_values)
        if closed_year_targets not in TARGET_LOCKS:
            TARGET_LOCKS.append(closed_year_targets)
        if start_notices not in START_NOTICES:
            START_NOTICES.append(start_notices)
        if review_menu_entry not in MENU_ENTRIES:
            MENU_ENTRIES.append(review_menu_entry)
        if open_reports_section not in UNIT_PAGE_SECTIONS:
            UNIT_PAGE_SECTIONS.append(open_reports_section)
        if followup_open_work not in OPEN_WORK:
            OPEN_WORK.append(followup_open_work)
