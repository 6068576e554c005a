"""Tokens and calls for the API tests."""

from __future__ import annotations

import json

from api.models import TokenScope
from api.services import token_create
from tests.factories import UserFactory, grant


def system_token(username, *, unit=None, role=None, scope=TokenScope.READ, created_by=None):
    """A system user (with ``role`` on ``unit``, if given) and a token for it: (token, key)."""
    user = UserFactory(username=username, first_name="System", last_name=username)
    if unit is not None:
        grant(user, unit, role)
    return token_create(name=username, user=user, scope=scope, created_by=created_by)


def get(client, url, key=None, **params):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(url, params, headers=headers)


def post(client, url, key, body):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data, content_type="application/json", headers=headers)
