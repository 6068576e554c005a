"""API tokens in the Django admin.

The Django admin rather than /administration/: tokens are created by the system owner
(a superuser) for a handful of systems, and the admin already gives the list with
last use, search, and an action to revoke, with each change in its log. The token's
system user is an ordinary user: its roles are given in /administration/ like
anyone's, so what a token may read and write is decided where people's access is.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api import services
from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    fields = ["name", "user", "scope", *readonly_fields]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's system user and scope are fixed once it exists: a new scope is a new
        # token, so a system cannot gain write access behind the key it already holds.
        if obj is not None:
            return [*self.readonly_fields, "user", "scope"]
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        token, key = services.token_create(
            name=obj.name, user=obj.user, scope=obj.scope, created_by=request.user
        )
        obj.pk, obj.prefix = token.pk, token.prefix
        messages.warning(
            request,
            _("Tokenets nyckel (visas bara nu, spara den i systemet): %(key)s") % {"key": key},
        )

    @admin.action(description=gettext_lazy("Återkalla valda token"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.token_revoke(token=token, user=request.user)
        self.message_user(request, _("%(n)s token återkallade.") % {"n": queryset.count()})
