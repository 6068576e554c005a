"""Who calls the API: a system with a token (``Authorization: Bearer lm_…``), or,
for the reads, the public (no token: what the public portal shows)."""

from __future__ import annotations

from ninja.security import HttpBearer

from api.services import token_for_key


class TokenAuth(HttpBearer):
    """A live token's system user becomes ``request.user``: every read and write then
    asks the same access rules as the screens do for that user. A session cookie is
    ignored (the API is for systems, and a cookie would need CSRF protection)."""

    openapi_description = "API-token som administratören skapat: Authorization: Bearer lm_…"

    def authenticate(self, request, token):
        found = token_for_key(token or "")
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        return found


token_auth = TokenAuth()


class Public:
    """The caller without a token: reads what the public portal shows, nothing more
    (``portal.publication``), and only while the portal is switched on."""

    def __bool__(self):
        return True


PUBLIC = Public()


def public_auth(request):
    """No ``Authorization`` header and the portal on: the public. A header with a bad
    key is refused (401), not read as the public."""
    from portal.publication import portal_enabled

    if "Authorization" in request.headers or not portal_enabled():
        return None
    return PUBLIC
