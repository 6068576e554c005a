"""Follow-up in the Django admin. What the follow-up locks (a closed round, and a
submitted or approved report with its assessments and activity statuses) is
read-only here too, with the same Swedish message (``followup.rules``); writes
go through the same service functions as the screens; statuses change only
through the workflow (opening, submitting, approving, closing)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError

from followup.models import (
    ActivityUpdate,
    AssignmentUpdate,
    FollowUpRound,
    GoalAssessment,
    Report,
    RoundKind,
)
from followup.rules import report_lock_message, round_lock_message
from followup.services import activity_update_save, assessment_save, assignment_update_save
from ledmot.admin import GuardedDeleteAdmin, HistoryAdmin, VersionedAdmin, admin_refusal


@admin.register(RoundKind)
class RoundKindAdmin(VersionedAdmin):
    list_display = ["name", "is_interim", "default_deadline_days", "order"]


class LockedReadOnly(GuardedDeleteAdmin):
    """Read-only (no change, no delete, not one by one nor in bulk) while
    ``lock_message(obj)`` says why, and the message is shown on the object's page and
    answers (403) every refused post. The lock is read from the row as it is now."""

    def lock_message(self, obj) -> str | None:
        raise NotImplementedError

    def delete_refusal(self, obj):
        return self.lock_message(obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.lock_message(obj):
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and (message := self.lock_message(obj)):
            if request.method == "POST":
                return admin_refusal(request, self, [message], obj)
            messages.warning(request, message)
        return super().change_view(request, object_id, form_url, extra_context)

    def revert_refusal(self, obj):
        return (obj is not None and self.lock_message(obj)) or super().revert_refusal(obj)


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(LockedReadOnly, HistoryAdmin):
    list_display = ["__str__", "status", "deadline"]
    list_filter = ["status", "kind"]
    readonly_fields = ["status", "closed_at"]  # closed by round_close, never reopened

    def lock_message(self, obj):
        return round_lock_message(obj)


class ReportPartForm(forms.ModelForm):
    """An assessment or activity status: refused with the report's lock message."""

    def clean(self):
        cleaned = super().clean()
        report = cleaned.get("report") or getattr(self.instance, "report", None)
        if report is not None and (message := report_lock_message(report)):
            raise ValidationError(message)
        return cleaned


class ReportForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        rnd = cleaned.get("round")
        message = report_lock_message(self.instance) if self.instance.pk else None
        if message or (rnd is not None and (message := round_lock_message(rnd))):
            raise ValidationError(message)
        return cleaned


@admin.register(Report)
class ReportAdmin(LockedReadOnly, VersionedAdmin):
    list_display = ["org_unit", "round", "status"]
    form = ReportForm
    list_filter = ["status", "round"]
    readonly_fields = [
        "status",
        "started",
        "submitted_at",
        "submitted_by",
        "approved_at",
        "approved_by",
    ]

    def lock_message(self, obj):
        return report_lock_message(obj)


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(LockedReadOnly, VersionedAdmin):
    list_display = ["goal", "report", "proposed", "chosen"]
    form = ReportPartForm

    def lock_message(self, obj):
        return report_lock_message(obj.report)

    def save_model(self, request, obj, form, change):
        assessment_save(
            assessment=obj, user=request.user, expected_version=form.cleaned_data.get("version")
        )


@admin.register(ActivityUpdate)
class ActivityUpdateAdmin(LockedReadOnly, VersionedAdmin):
    list_display = ["activity", "report", "status"]
    form = ReportPartForm

    def lock_message(self, obj):
        return report_lock_message(obj.report)

    def save_model(self, request, obj, form, change):
        activity_update_save(
            update=obj, user=request.user, expected_version=form.cleaned_data.get("version")
        )


@admin.register(AssignmentUpdate)
class AssignmentUpdateAdmin(LockedReadOnly, VersionedAdmin):
    list_display = ["assignment", "report", "status"]
    form = ReportPartForm

    def lock_message(self, obj):
        return report_lock_message(obj.report)

    def save_model(self, request, obj, form, change):
        assignment_update_save(
            update=obj, user=request.user, expected_version=form.cleaned_data.get("version")
        )
