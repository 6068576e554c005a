from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from ledmot.conflicts import stale_message
from ledmot.lib.forms import VersionedForm
from ledmot.models import OrgUnit, RoleAssignment
from ledmot.services import ConflictError, versioned_save


class VersionCheckedAdminForm(VersionedForm):
    """The admin's change form with the version the page was loaded with (hidden), so a
    save from a stale admin page is refused, beside what the person typed, like one from
    a screen. (Read without a lock: the services lock rows in their own order; a save in
    the same instant is caught by ``versioned_save`` in ``VersionedAdmin.save_model``.)"""

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("version")
        if self.instance.pk is not None and expected is not None:
            current = type(self.instance)._default_manager.get(pk=self.instance.pk)
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
        versioned_save(obj, user=request.user, expected_version=form.cleaned_data.get("version"))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictError as exc:
            # Saved by someone else in the same instant: nothing of this save was kept.
            messages.error(request, stale_message(exc.current))
            return HttpResponseRedirect(request.get_full_path())


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
