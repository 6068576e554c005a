"""Sign-in with a LedMot password, and the sign-in security events.

``LEDMOT_LOCAL_LOGIN=0`` switches passwords off for everyone but the break-glass
accounts in ``LEDMOT_BREAK_GLASS_USERS``: people then sign in through the identity
provider (``ledmot.oidc``). The refusal is the same as for a wrong password, so the
form does not tell who the break-glass accounts are.

Security events: a successful sign-in, by password or single sign-on, is written to
axes' access log (who, when, address, browser) by axes' ``user_logged_in`` handler; a
failed one to its failure log through ``user_login_failed``, which also counts toward
the lockout (ledmot/lockout.py). A single sign-on failure is sent the same way by
``signin_failed``, with the reason in the logged user name.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, user_login_failed
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.utils.translation import gettext_lazy as _


def local_login_allowed(user) -> bool:
    """Whether ``user`` may sign in with a password (the one rule, used by the backend
    and the password reset)."""
    return settings.LEDMOT_LOCAL_LOGIN or user.get_username() in settings.LEDMOT_BREAK_GLASS_USERS


def session_user(user_id):
    """The user a session names (``None`` if gone), for the backends' ``get_user``: read
    with raw SQL, as the session is, on every signed-in request (the queryset's
    ``get(pk=…)`` cost three times the query)."""
    model = get_user_model()
    q = connection.ops.quote_name
    # Only the table's and the column's names are formatted in; the id is a parameter.
    sql = f"SELECT * FROM {q(model._meta.db_table)} WHERE {q(model._meta.pk.column)} = %s"  # noqa: S608
    found = list(model._default_manager.raw(sql, [user_id]))
    return found[0] if found else None


class PasswordBackend(ModelBackend):
    """Django's password backend, refusing whom ``local_login_allowed`` refuses."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and local_login_allowed(user)

    def get_user(self, user_id):
        """As ModelBackend's (the user, if they may sign in), read by :func:`session_user`."""
        user = session_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class LoginForm(auth_forms.AuthenticationForm):
    """The sign-in form; with passwords off, its refusal points to single sign-on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.LEDMOT_LOCAL_LOGIN:
            self.error_messages = {
                **self.error_messages,
                "invalid_login": _(
                    "Ange ett korrekt användarnamn och lösenord. Inloggning med lösenord "
                    "gäller bara nödkonton: logga in med kommunens konto."
                ),
            }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form (it answers the same whether or not the address exists),
    sending mail only to those who may sign in with a password."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if local_login_allowed(user))


def signin_failed(request, *, who: str, reason: str) -> None:
    """Record a failed single sign-on (axes' failure log and lockout count)."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": f"{who} ({reason})"[:150]},
        request=request,
    )
