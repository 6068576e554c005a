"""The one write path of API tokens: create (the key is returned once), revoke, and
note a use."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction

from api.models import ApiToken, TokenScope
from ledmot import clock

KEY_START = "lm_"
# A token's last use is written at most this often, not on every request.
LAST_USE_STEP = datetime.timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, name: str, user, scope: str = TokenScope.READ, created_by
) -> tuple[ApiToken, str]:
    """A new token for the system ``name`` acting as ``user``. Returns the token and its
    whole key, which is not stored (only its hash) and so can be shown only now."""
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 2^32
        prefix = secrets.token_hex(4)
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name, user=user, scope=scope, prefix=prefix, key_hash=_hash(key), created_by=created_by
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, user) -> ApiToken:
    """Revoke ``token``: from now on it is refused. A revoked token stays, with its
    dates, so the administrator sees when it was last used."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The live token whose key is ``key`` (``None``: unknown, malformed or revoked),
    its last use noted."""
    if not key.startswith(KEY_START):
        return None
    prefix, _sep, _secret = key[len(KEY_START) :].partition("_")
    token = (
        ApiToken.objects.active().select_related("user").filter(prefix=prefix).first()
        if prefix
        else None
    )
    if token is None or not hmac.compare_digest(token.key_hash, _hash(key)):
        return None
    if not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_STEP:
        # Not history-tracked: a plain column update, no race worth a lock.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
