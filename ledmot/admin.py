from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ledmot.models import OrgUnit, RoleAssignment
from ledmot.services import versioned_save


class VersionedAdmin(SimpleHistoryAdmin):
    """Saves from the admin bump the version too, so an open form elsewhere sees them."""

    def save_model(self, request, obj, form, change):
        versioned_save(obj, user=request.user, expected_version=None)


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "org_unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "org_unit__name"]
    autocomplete_fields = ["user", "org_unit"]
