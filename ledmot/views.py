"""Sign-in, and the error pages (400, 403, 404, 500) in the normal layout."""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from ledmot import oidc
from ledmot.models import RoleAssignment
from ledmot.signin import LoginForm, PasswordResetForm


def login_view(request):
    """The sign-in page: the identity provider's button when single sign-on is on, the
    password form (for break-glass accounts only with LEDMOT_LOCAL_LOGIN=0)."""
    return auth_views.LoginView.as_view(
        redirect_authenticated_user=True,
        authentication_form=LoginForm,
        extra_context={
            "sso_label": settings.LEDMOT_OIDC_LABEL if oidc.enabled() else "",
            "local_login": settings.LEDMOT_LOCAL_LOGIN,
        },
    )(request)


# Ends the provider's session too when the user came through single sign-on.
logout_view = require_POST(oidc.logout)

# Password reset for local accounts: the same answer whether or not the address exists.
password_reset_view = auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)
password_reset_done_view = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm_view = auth_views.PasswordResetConfirmView.as_view()
password_reset_complete_view = auth_views.PasswordResetCompleteView.as_view()

logger = logging.getLogger(__name__)


def _message(exception) -> str:
    """The reason a view gave (``PermissionDenied(reason)``), or nothing."""
    return str(exception.args[0]) if exception is not None and exception.args else ""


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    """Says what was refused, which role would allow it (the reason raised by the access
    helpers, ``ledmot.access.refusal``) and which roles the user holds."""
    user = getattr(request, "user", None)
    roles = []
    if user is not None and user.is_authenticated:
        roles = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("org_unit")
            .order_by("org_unit__path", "role")
        )
    context = {"reason": _message(exception), "roles": roles}
    return render(request, "errors/403.html", context, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """The 500 page needs neither the database nor the context processors (either may be
    what failed): settings only, and plain text if even the template cannot be drawn."""
    context = {
        "municipality_name": settings.LEDMOT_MUNICIPALITY_NAME,
        "source_url": settings.LEDMOT_SOURCE_URL,
        "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
    }
    try:
        html = loader.get_template("errors/500.html").render(context)
    except Exception:  # the page that reports an error must not fail itself
        logger.exception("The 500 page could not be rendered")
        html = "<!doctype html><title>500</title><h1>Serverfel / Server error</h1>"
    return HttpResponseServerError(html)
