from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ledmot.models import OrgUnit, RoleAssignment


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
