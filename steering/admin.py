"""The admin shows the register read-only: every write goes through the screens and
:mod:`steering.services`, where a decided document is frozen."""

from django.contrib import admin

from ledmot.admin import HistoryAdmin
from steering.models import ReviewReminder, SteeringDocument


class ReadOnlyAdmin(HistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SteeringDocument)
class SteeringDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "owner", "status", "decision_reference", "review_on")
    list_filter = ("kind", "status")
    search_fields = ("title", "decision_reference")


@admin.register(ReviewReminder)
class ReviewReminderAdmin(admin.ModelAdmin):
    list_display = ("document", "review_on", "sent_on", "recipients")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
