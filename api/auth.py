"""Who calls the API: a system with a token (``Authorization: Bearer lm_…``)."""

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
