"""The admin of priority setting. Writes go through the services, so the admin meets
the same rules, locks and messages as the screens: a decided item, and every item of a
decided round, is read-only here (priorities.rules.item_lock_reason); the suggested rank
is shown, never typed (the item computes it when the service saves it)."""

from django import forms
from django.contrib import admin

from ledmot.admin import VersionedAdmin
from priorities.models import PriorityItem, PriorityRound, Worksheet
from priorities.rules import decision_lock_reason, item_lock_reason, round_lock_reason
from priorities.services import item_save, round_edit, round_open


def _round_is_decided(rnd) -> bool:
    return rnd is not None and round_lock_reason(rnd) is not None


@admin.register(PriorityRound)
class PriorityRoundAdmin(VersionedAdmin):
    list_display = ["title", "year", "scope", "resource_frame", "status"]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "decided_at"]

    def has_change_permission(self, request, obj=None):
        return not _round_is_decided(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _round_is_decided(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            round_edit(rnd=obj, user=request.user, expected_version=None)
            return
        # Opened as on the screen: every committee in scope gets its worksheet.
        rnd = round_open(
            title=obj.title,
            year=obj.year,
            plan_years=obj.plan_years,
            scope=obj.scope,
            resource_frame=obj.resource_frame,
            deadline=obj.deadline,
            description=obj.description,
            user=request.user,
        )
        obj.pk, obj.version, obj.created_at = rnd.pk, rnd.version, rnd.created_at


@admin.register(Worksheet)
class WorksheetAdmin(VersionedAdmin):
    list_display = ["committee", "round", "status", "submitted_at"]
    list_filter = ["status", "round"]

    def has_change_permission(self, request, obj=None):
        return (obj is None or not _round_is_decided(obj.round)) and super().has_change_permission(
            request, obj
        )


class PriorityItemAdminForm(forms.ModelForm):
    """Says why a frozen item cannot change, in the service's words."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and (reason := item_lock_reason(self.instance)):
            raise forms.ValidationError(reason)
        return cleaned


@admin.register(PriorityItem)
class PriorityItemAdmin(VersionedAdmin):
    form = PriorityItemAdminForm
    list_display = ["title", "kind", "worksheet", "rank", "suggested_rank", "status", "decision"]
    list_filter = ["kind", "status", "decision"]
    search_fields = ["title"]
    # The workflow's fields change through submission and the decision screen only.
    readonly_fields = [
        "suggested_rank",
        "status",
        "decision",
        "decided_on",
        "decision_paragraph",
        "decision_reference",
        "decision_note",
        "decided_by",
    ]
    filter_horizontal = ["goals"]
    raw_id_fields = ["activities"]

    def _locked(self, obj) -> bool:
        return obj is not None and decision_lock_reason(obj) is not None

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        item_save(
            item=obj,
            user=request.user,
            expected_version=None,
            goals=list(form.cleaned_data.get("goals") or []),
        )
