from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from ledmot.conflicts import stale_message
from ledmot.lib.forms import VersionedForm
from ledmot.models import OrgUnit, RoleAssignment
from ledmot.services import versioned_save


class VersionCheckedAdminForm(VersionedForm):
    """The admin's change form with the version the page was loaded with (hidden), so a
    save from a stale admin page is refused like one from a screen. The admin's change
    view runs in one transaction, so the row locked here stays locked until it is saved."""

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("version")
        if self.instance.pk is not None and expected is not None:
            current = (
                type(self.instance)._default_manager.select_for_update().get(pk=self.instance.pk)
            )
            if current.version != expected:
                raise ValidationError(stale_message(current), code="conflict")
        return cleaned


class VersionedAdmin(SimpleHistoryAdmin):
    """Edits in the admin have the version check too (``VersionCheckedAdminForm``, mixed
    into a subclass's own form), and bump the version, so an open form elsewhere sees them."""

    form = VersionCheckedAdminForm

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not issubclass(cls.form, VersionCheckedAdminForm):
            cls.form = type(cls.form.__name__, (VersionCheckedAdminForm, cls.form), {})

    def get_exclude(self, request, obj=None):
        # ``version`` is the form's own hidden field, not the model's (non-editable) one.
        return [*(super().get_exclude(request, obj) or []), "version"]

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
