"""Single sign-on over OpenID Connect, with mozilla-django-oidc.

The library does the authorization code flow (state, nonce, PKCE, the token request,
the signature check against the provider's keys); LedMot adds:

- the provider's endpoints from its discovery document, read at the first sign-in;
- the id token's issuer, audience and expiry checked (the library checks only the
  signature and nonce), and every refusal turned into a Swedish message and a
  security event (``ledmot.signin.signin_failed``) instead of an error page;
- users matched on the issuer and a stable claim (``LEDMOT_OIDC_USER_CLAIM``) stored
  on ``ExternalIdentity``, never on e-mail; a first sign-in creates the user with an
  unusable password and the roles its groups map to (``LEDMOT_OIDC_GROUP_ROLES``);
- deactivated users refused;
- sign-out at the provider too, when it advertises an ``end_session_endpoint``.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from requests.exceptions import RequestException

from ledmot.models import ExternalIdentity, OrgUnit, Role, RoleAssignment
from ledmot.services import role_grant
from ledmot.signin import session_user, signin_failed

logger = logging.getLogger(__name__)

# Seconds of clock difference allowed between LedMot and the provider.
LEEWAY = 60

_metadata: dict[str, dict] = {}
_metadata_lock = threading.Lock()

# The library's setting names for the provider's endpoints → discovery document keys.
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def enabled() -> bool:
    return bool(settings.LEDMOT_OIDC_ISSUER)


def discovery_url() -> str:
    return (
        settings.LEDMOT_OIDC_DISCOVERY_URL
        or f"{settings.LEDMOT_OIDC_ISSUER}/.well-known/openid-configuration"
    )


def provider_metadata() -> dict:
    """The provider's discovery document, fetched once per process and issuer.

    Its issuer must be the configured one (OpenID Connect Discovery 1.0, 4.3)."""
    url = discovery_url()
    with _metadata_lock:
        if url not in _metadata:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
            if document.get("issuer", "").rstrip("/") != settings.LEDMOT_OIDC_ISSUER:
                raise ImproperlyConfigured(
                    f"{url} names the issuer {document.get('issuer')!r}, "
                    f"not LEDMOT_OIDC_ISSUER {settings.LEDMOT_OIDC_ISSUER!r}"
                )
            _metadata[url] = document
        return _metadata[url]


def forget_provider_metadata() -> None:
    """Read the discovery document again at the next sign-in (tests, key rollover)."""
    with _metadata_lock:
        _metadata.clear()


def _get_settings(attr, *args):
    if attr in _ENDPOINTS:
        return provider_metadata().get(_ENDPOINTS[attr])
    return import_from_settings(attr, *args)


def _refused_message() -> str:
    """What a person is told when the provider's answer is not accepted."""
    return _("Inloggningen via kommunens konto kunde inte godkännas. Försök igen.")


class SignInRefused(Exception):
    """A sign-in refused for a reason the person is told (``message``)."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


class Backend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching users on the stable claim."""

    get_settings = staticmethod(_get_settings)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every sign-in and every request's session: reading
        # the provider's endpoints here (as the library does) would make password
        # sign-in and every page fail while the provider is down. They are read when
        # used, below.
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: _get_settings("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: _get_settings("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: _get_settings("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the callback calls with a nonce; a password form posted with ?code=&state=
        # in its address must not start a token exchange.
        if request is None or "nonce" not in kwargs or "username" in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        """The session's user, while active: deactivating someone ends their sessions
        (the library's backend would keep them)."""
        user = session_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The signature held; now what it says: for us, from our provider, not expired
        # (PyJWT checked exp when it was there; it must be there).
        try:
            jwt.decode(
                token,
                options={"verify_signature": False, "require": ["exp", "iat", "iss", "aud"]},
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                leeway=LEEWAY,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"id token refused: {exc}") from exc
        self.id_token_claims = payload
        return payload

    def _verify_jws(self, payload, key):
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=settings.OIDC_RP_CLIENT_ID,
                leeway=LEEWAY,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"id token refused: {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo claims with the id token's over them: Entra ID puts ``oid`` and
        ``groups`` only in the id token."""
        claims = {}
        if self.OIDC_OP_USER_ENDPOINT:
            claims = super().get_userinfo(access_token, id_token, payload)
            if claims.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo sub differs from the id token's")
        return {**claims, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        # The library turns these into "no user", which Django records as a failure
        # without a reason; LedMot records one failure, with the reason.
        try:
            return super().get_or_create_user(access_token, id_token, payload)
        except SuspiciousOperation as exc:
            raise SignInRefused(_refused_message(), str(exc)) from exc

    def verify_claims(self, claims):
        return bool(claims.get(settings.LEDMOT_OIDC_USER_CLAIM))

    def filter_users_by_claims(self, claims):
        return get_user_model().objects.filter(
            external_identities__issuer=settings.LEDMOT_OIDC_ISSUER,
            external_identities__subject=str(claims[settings.LEDMOT_OIDC_USER_CLAIM]),
        )

    @transaction.atomic
    def create_user(self, claims):
        user_model = get_user_model()
        user = user_model(username=_free_username(claims), **_person(claims))
        user.set_unusable_password()
        user.save()
        try:
            with transaction.atomic():
                ExternalIdentity.objects.create(
                    user=user,
                    issuer=settings.LEDMOT_OIDC_ISSUER,
                    subject=str(claims[settings.LEDMOT_OIDC_USER_CLAIM]),
                )
        except IntegrityError as exc:  # the same person's sign-in in another tab
            raise SuspiciousOperation("identity created meanwhile") from exc
        grant_mapped_roles(user, claims)
        return user

    def update_user(self, user, claims):
        if not user.is_active:
            raise SignInRefused(
                _(
                    "Ditt konto i LedMot är avstängt. Kontakta kommunens administratör "
                    "om du behöver komma åt LedMot."
                ),
                "deactivated",
            )
        changed = {k: v for k, v in _person(claims).items() if v and getattr(user, k) != v}
        for field, value in changed.items():
            setattr(user, field, value)
        if changed:
            user.save(update_fields=list(changed))
        grant_mapped_roles(user, claims)
        return user


def _person(claims) -> dict:
    return {
        "first_name": str(claims.get("given_name", ""))[:150],
        "last_name": str(claims.get("family_name", ""))[:150],
        "email": str(claims.get("email", ""))[:254],
    }


def _free_username(claims) -> str:
    """The provider's user name (or e-mail) if free in LedMot, else it with a number."""
    user_model = get_user_model()
    base = str(
        claims.get("preferred_username")
        or claims.get("upn")
        or claims.get("email")
        or f"sso-{claims[settings.LEDMOT_OIDC_USER_CLAIM]}"
    )[:140]
    name, n = base, 1
    while user_model.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def grant_mapped_roles(user, claims) -> list[RoleAssignment]:
    """Give ``user`` the roles their groups map to (``LEDMOT_OIDC_GROUP_ROLES``) that
    they do not hold yet. Roles are never taken away here: an administrator does that.
    A unit code that does not exist is logged and skipped."""
    groups = claims.get(settings.LEDMOT_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    granted = []
    for group in groups:
        for item in settings.LEDMOT_OIDC_GROUP_ROLES.get(str(group), []):
            role, _at, code = item.partition("@")
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is None or role not in Role.values:
                logger.warning("LEDMOT_OIDC_GROUP_ROLES: no unit %r for group %r", code, group)
                continue
            if RoleAssignment.objects.filter(user=user, org_unit=unit, role=role).exists():
                continue
            try:
                assignment = role_grant(
                    person=user,
                    unit=unit,
                    role=role,
                    user=None,
                    reason=f"Roll från gruppen {group} hos identitetsleverantören",
                )
            except ValidationError as exc:  # a unit deactivated since it was configured
                logger.warning("LEDMOT_OIDC_GROUP_ROLES: %s: %s", item, "; ".join(exc.messages))
                continue
            granted.append(assignment)
    return granted


class AuthenticationRequestView(oidc_views.OIDCAuthenticationRequestView):
    get_settings = staticmethod(_get_settings)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except (RequestException, ValueError, KeyError, ImproperlyConfigured):
            logger.exception("OpenID Connect provider unreachable")
            messages.error(request, _("Kommunens inloggningstjänst svarar inte. Försök igen."))
            return HttpResponseRedirect(resolve_url("login"))

    def __init__(self, *args, **kwargs):
        # The endpoints are read at the request (discovery), not at import.
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802 - the library's name
        return _get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802 - the library's name
        return settings.OIDC_RP_CLIENT_ID


class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider's answer. Every refusal leads back to the sign-in page with a
    Swedish message and is recorded as a failed sign-in."""

    get_settings = staticmethod(_get_settings)
    refusal: SignInRefused | None = None

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except SignInRefused as exc:
            self.refusal = exc
        except (SuspiciousOperation, RequestException, jwt.InvalidTokenError) as exc:
            logger.warning("single sign-on refused: %s", exc)
            self.refusal = SignInRefused(_refused_message(), str(exc) or exc.__class__.__name__)
        return self.login_failure()

    def login_failure(self):
        request = self.request
        refusal = self.refusal or SignInRefused(
            _("Inloggningen via kommunens konto avbröts. Försök igen."),
            request.GET.get("error", "no code"),
        )
        signin_failed(request, who="sso", reason=refusal.reason)
        messages.error(request, refusal.message)
        return HttpResponseRedirect(resolve_url("login"))


def provider_logout_url(request) -> str | None:
    """Where to send the browser to end the provider's session too (RP-Initiated
    Logout 1.0), or None when the user did not sign in through it or the provider has
    no ``end_session_endpoint``. Read before the LedMot session ends."""
    id_token = request.session.get("oidc_id_token")
    if not (enabled() and id_token):
        return None
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except (RequestException, ValueError, ImproperlyConfigured):
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse(settings.LOGOUT_REDIRECT_URL)
            ),
        }
    )
    return f"{endpoint}?{query}"


def logout(request):
    """End the LedMot session, then the provider's where it can be ended."""
    url = provider_logout_url(request)
    auth.logout(request)
    return HttpResponseRedirect(url or resolve_url(settings.LOGOUT_REDIRECT_URL))
