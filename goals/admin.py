from django.contrib import admin

from goals.models import (
    Activity,
    Assignment,
    BudgetYear,
    CouncilTarget,
    Goal,
    GoalProposal,
    Indicator,
    MandatePeriod,
    Perspective,
    UnitPlan,
    Vision,
)
from goals.services import assignment_save, indicator_delete, indicator_delete_refusal
from ledmot.admin import GuardedDeleteAdmin, HistoryAdmin, VersionedAdmin


class BudgetYearInline(admin.TabularInline):
    model = BudgetYear
    extra = 0


@admin.register(MandatePeriod)
class MandatePeriodAdmin(HistoryAdmin):
    list_display = ["__str__", "start_year", "end_year"]
    inlines = [BudgetYearInline]


@admin.register(Vision)
class VisionAdmin(VersionedAdmin):
    list_display = ["mandate_period", "__str__", "decision_reference"]


@admin.register(UnitPlan)
class UnitPlanAdmin(VersionedAdmin):
    list_display = ["unit", "year", "version"]
    list_filter = ["year"]
    autocomplete_fields = ["unit"]


@admin.register(Perspective)
class PerspectiveAdmin(VersionedAdmin):
    list_display = ["name", "order", "active"]
    # No list_editable: a changelist save has no version, so it would overwrite a
    # perspective someone changed meanwhile; each is edited in its own form.


@admin.register(Goal)
class GoalAdmin(VersionedAdmin):
    list_display = ["title", "level", "owner", "status", "mandate_period"]
    list_filter = ["level", "status", "goal_type", "mandate_period", "perspective"]
    search_fields = ["title", "decision_reference"]
    autocomplete_fields = ["parent", "owner"]


@admin.register(Activity)
class ActivityAdmin(VersionedAdmin):
    list_display = ["title", "goal", "owner", "status", "progress", "end"]
    list_filter = ["status"]
    search_fields = ["title"]
    autocomplete_fields = ["goal", "owner"]


@admin.register(Assignment)
class AssignmentAdmin(VersionedAdmin):
    """Through the one write path (``assignment_save``): its rules and history."""

    list_display = ["title", "giver", "owner", "due", "status"]
    list_filter = ["status"]
    search_fields = ["title", "decision_reference"]
    autocomplete_fields = ["giver", "owner", "goal"]

    def save_model(self, request, obj, form, change):
        assignment_save(
            assignment=obj, user=request.user, expected_version=form.cleaned_data.get("version")
        )


@admin.register(Indicator)
class IndicatorAdmin(GuardedDeleteAdmin, VersionedAdmin):
    """An indicator whose values or targets a closed round has locked cannot be deleted
    (one by one or in bulk): the service's rule and message (``indicator_delete``)."""

    list_display = ["name", "unit", "direction", "frequency", "source", "kolada_id", "ended_on"]
    list_filter = ["direction", "frequency", "kind", "source", "ended_on"]
    search_fields = ["name", "kolada_id"]
    autocomplete_fields = ["goals", "responsible_unit"]

    def delete_refusal(self, obj):
        return indicator_delete_refusal(obj)

    def delete_model(self, request, obj):
        indicator_delete(indicator=obj, user=request.user)


@admin.register(GoalProposal)
class GoalProposalAdmin(VersionedAdmin):
    list_display = ["title", "proposer", "mandate_period", "status", "goal"]
    list_filter = ["status", "mandate_period"]
    search_fields = ["title"]
    autocomplete_fields = ["proposer", "goal"]


@admin.register(CouncilTarget)
class CouncilTargetAdmin(HistoryAdmin):
    """Read only: an end target is fixed by the council's adoption (``goals.proposals``)
    and its value changed through ``targets_save``, where the one rule
    (``goals.rules.council_target_error``) lets only the council change it."""

    list_display = ["indicator", "year", "goal", "decision_reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
