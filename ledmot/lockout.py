"""The sign-in lockout (django-axes): who is counted, and where a request comes from.

Failed sign-ins are counted for a user name *at one address* (``AXES_FAILURE_LIMIT``,
someone guessing one account) and for a user name *across addresses* with a higher
limit (``LEDMOT_LOGIN_USER_FAILURE_LIMIT``, someone guessing one account from many
addresses). Never for an address alone: behind a reverse proxy every user has the
proxy's address, and wrong passwords with invented user names must not lock out the
whole municipality.

The client's address is ``REMOTE_ADDR`` unless ``LEDMOT_TRUSTED_PROXIES`` says how
many proxies in front of LedMot add to ``X-Forwarded-For``; only then is that header
read, and only the part those proxies wrote (anything before it came from the client
and can be made up).
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str | None:
    """The address a request came from (``AXES_CLIENT_IP_CALLABLE``).

    With n trusted proxies, each appends the address it received the request from to
    ``X-Forwarded-For``, so the client is the n-th entry from the right. A header
    shorter than that did not pass through all the proxies, and an entry that is not an
    IP address is not one a proxy wrote (axes stores it in an address column): then
    ``REMOTE_ADDR`` is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.LEDMOT_TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with its own limit for each kind of count.

    Axes compares one number with one limit (``AXES_FAILURE_LIMIT``). Each count is
    scaled to that limit here, so a count reaches it exactly when it reaches its own
    limit: the user name across addresses at ``LEDMOT_LOGIN_USER_FAILURE_LIMIT``,
    every other combination at ``AXES_FAILURE_LIMIT``.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            own = settings.LEDMOT_LOGIN_USER_FAILURE_LIMIT if parameter == "username" else limit
            worst = max(worst, failures * limit // own)
        return worst
