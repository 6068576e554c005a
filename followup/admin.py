from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from followup.models import ActivityUpdate, FollowUpRound, GoalAssessment, Report, RoundKind
from ledmot.admin import VersionedAdmin


@admin.register(RoundKind)
class RoundKindAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_interim", "default_deadline_days", "order"]


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "deadline"]
    list_filter = ["status", "kind"]


class ClosedRoundReadOnly:
    """A closed round's reports cannot be changed here either (the models refuse too)."""

    def _round_closed(self, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._round_closed(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._round_closed(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Report)
class ReportAdmin(ClosedRoundReadOnly, VersionedAdmin):
    list_display = ["org_unit", "round", "status"]
    list_filter = ["status", "round"]

    def _round_closed(self, obj):
        return obj.round.is_closed


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(ClosedRoundReadOnly, VersionedAdmin):
    list_display = ["goal", "report", "proposed", "chosen"]

    def _round_closed(self, obj):
        return obj.report.round.is_closed


@admin.register(ActivityUpdate)
class ActivityUpdateAdmin(ClosedRoundReadOnly, VersionedAdmin):
    list_display = ["activity", "report", "status"]

    def _round_closed(self, obj):
        return obj.report.round.is_closed
