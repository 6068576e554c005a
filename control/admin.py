"""The admin of internal control: for superusers; writes go through the services, and an
adopted analysis (with its risks) is read-only here as everywhere."""

from django import forms
from django.contrib import admin

from control.forms import ThreatenedGoalsCheck
from control.models import Control, ControlResult, Risk, RiskAnalysis
from control.services import control_save, risk_save
from ledmot.admin import HistoryAdmin


class FrozenWhenAdopted:
    def _adopted(self, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._adopted(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._adopted(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RiskAnalysis)
class RiskAnalysisAdmin(FrozenWhenAdopted, HistoryAdmin):
    list_display = ["committee", "year", "adopted_on", "decision_reference"]
    list_filter = ["year"]
    readonly_fields = ["version"]

    def _adopted(self, obj):
        return obj.adopted_in_db()


class RiskAdminForm(ThreatenedGoalsCheck, forms.ModelForm):
    pass


@admin.register(Risk)
class RiskAdmin(FrozenWhenAdopted, HistoryAdmin):
    form = RiskAdminForm
    list_display = ["title", "unit", "analysis", "probability", "consequence"]
    list_filter = ["analysis__year"]
    readonly_fields = ["version"]
    raw_id_fields = ["predecessor"]

    def _adopted(self, obj):
        return obj._locked()

    def save_model(self, request, obj, form, change):
        pass  # saved with its goals by risk_save in save_related

    def save_related(self, request, form, formsets, change):
        risk_save(
            risk=form.instance,
            goals=form.cleaned_data.get("goals", []),
            user=request.user,
            expected_version=None,
        )


@admin.register(Control)
class ControlAdmin(HistoryAdmin):
    list_display = ["title", "analysis", "owner", "frequency"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        control_save(
            control=form.instance,
            round_kinds=form.cleaned_data.get("round_kinds", []),
            user=request.user,
            expected_version=None,
        )


@admin.register(ControlResult)
class ControlResultAdmin(HistoryAdmin):
    list_display = ["control", "report", "outcome"]
    readonly_fields = ["version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
