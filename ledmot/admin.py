from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from ledmot.conflicts import stale_message
from ledmot.lib.forms import VersionedForm
from ledmot.models import ExternalIdentity, OrgUnit, RoleAssignment
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


class HistoryAdmin(SimpleHistoryAdmin):
    """The base of every admin with history: past versions can be read, never saved
    back. simple_history's revert saves the old row whole, past the services, the
    workflow, the locks and the version check (a closed round reopened, an approved
    report back to draft, a goal's newer text silently replaced), and
    ``SIMPLE_HISTORY_REVERT_DISABLED`` only hides its button: a posted revert answers
    403 with ``revert_refusal(obj)`` and writes nothing."""

    def revert_refusal(self, obj) -> str:
        return _("En tidigare version kan visas här men inte återställas.")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            return admin_refusal(request, self, [self.revert_refusal(obj)], obj)
        return super().history_form_view(request, object_id, version_id, extra_context)


class VersionedAdmin(HistoryAdmin):
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


def admin_refusal(request, model_admin, reasons: list[str], obj=None) -> TemplateResponse:
    """A write the admin refuses (a lock, a rule): 403 with the rule's Swedish message(s)
    in an admin page, instead of Django's bare "403 Forbidden"; nothing is written."""
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": str(obj) if obj is not None else opts.verbose_name_plural,
        "opts": opts,
        "object": obj,
        "reasons": list(dict.fromkeys(str(r) for r in reasons)),
    }
    return TemplateResponse(request, "admin/ledmot/refused.html", context, status=403)


class GuardedDeleteAdmin:
    """An admin mixin for what a rule may forbid to delete: while ``delete_refusal(obj)``
    says why, the object's delete page and the bulk "delete selected" action answer 403
    with that message and delete nothing. The bulk action deletes through
    ``delete_model`` one by one (the service, with the user in history), never as one
    queryset delete that would skip the rule."""

    def delete_refusal(self, obj) -> str | None:
        return None

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.delete_refusal(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and (reason := self.delete_refusal(obj)):
            return admin_refusal(request, self, [reason], obj)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (_guarded_delete_selected, name, description)
        return actions

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def _guarded_delete_selected(model_admin, request, queryset):
    reasons = [reason for obj in queryset if (reason := model_admin.delete_refusal(obj))]
    if reasons:
        return admin_refusal(request, model_admin, reasons)
    return delete_selected(model_admin, request, queryset)


@admin.register(OrgUnit)
class OrgUnitAdmin(HistoryAdmin):
    list_display = ["name", "code", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(HistoryAdmin):
    list_display = ["user", "role", "org_unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "org_unit__name"]
    autocomplete_fields = ["user", "org_unit"]


def _superusers_only(request) -> bool:
    """The Django admin is for superusers only (the system's owners, for repairs); the
    organisation, people and roles are administered on LedMot's own screens
    (``ledmot.orgadmin``), which are in the menu. Staff without superuser status are
    sent to the admin's sign-in page, as Django does for anyone it refuses."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Who a user is at the identity provider (single sign-on, ledmot/oidc.py): visible,
    and removable when a link is wrong, but made only by a sign-in."""

    list_display = ["user", "issuer", "subject", "created_at"]
    search_fields = ["user__username", "subject"]
    readonly_fields = ["user", "issuer", "subject", "created_at"]

    def has_add_permission(self, request):
        return False
