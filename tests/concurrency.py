"""Real simultaneous requests: threads that start together behind a barrier, each on
its own database connection, as two people pressing "Spara" at the same moment.

Use in a test marked ``@pytest.mark.postgres`` and
``@pytest.mark.django_db(transaction=True)`` (each thread commits for real, so the
rows must be visible across connections). The guarantee these tests prove is
PostgreSQL's row locking, which production runs on; SQLite (the demo database)
serialises every write and has no ``SELECT … FOR UPDATE``, so ``tests/conftest.py``
runs ``postgres``-marked tests only when the suite runs on PostgreSQL — which
``.ci/run`` always does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.test import Client


def together(n: int, action: Callable[[int], Any], *, timeout: float = 60) -> list[Any]:
    """Run ``action(i)`` for i in 0..n-1 in n threads released at the same instant.

    Returns each thread's result, or the exception it raised (never swallowed: a
    test asserts on it)."""
    barrier = threading.Barrier(n, timeout=timeout)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = action(i)
        except BaseException as exc:  # noqa: BLE001 — handed to the test to assert on
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a simultaneous request never finished"
    return results


def signed_in_clients(users) -> list[Client]:
    """One test client per user, signed in (``force_login``) before the race starts."""
    clients = []
    for user in users:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    return clients
