from django.contrib import admin

from ledmot.admin import VersionedAdmin
from priorities.models import FINAL_DECISIONS, PriorityItem, PriorityRound, RoundStatus, Worksheet
from priorities.ranking import suggested_rank


@admin.register(PriorityRound)
class PriorityRoundAdmin(VersionedAdmin):
    list_display = ["title", "year", "scope", "resource_frame", "status"]
    list_filter = ["status", "year"]


@admin.register(Worksheet)
class WorksheetAdmin(VersionedAdmin):
    list_display = ["committee", "round", "status", "submitted_at"]
    list_filter = ["status", "round"]


@admin.register(PriorityItem)
class PriorityItemAdmin(VersionedAdmin):
    """Decided items and the items of a decided round are read-only here too
    (the model refuses to save them as well)."""

    list_display = ["title", "kind", "worksheet", "rank", "suggested_rank", "status", "decision"]
    list_filter = ["kind", "status", "decision"]
    search_fields = ["title"]
    readonly_fields = ["suggested_rank"]
    filter_horizontal = ["goals"]
    raw_id_fields = ["activities"]

    def _locked(self, obj) -> bool:
        return obj is not None and (
            obj.decision in FINAL_DECISIONS or obj.worksheet.round.status == RoundStatus.DECIDED
        )

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.suggested_rank = suggested_rank(
            obj.kind, obj.severity, obj.effect, obj.cost_effect, obj.evidence
        )
        super().save_model(request, obj, form, change)
