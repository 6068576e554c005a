"""Values derived from many rows, kept in the cache per version of their inputs.

A model tracked by django-simple-history leaves a history row with a larger id on
every write (the ids only grow), so the newest history ids of the models a value is
made from (:func:`history_version`, one query of index look-ups) say whether it can
have changed. :func:`kept` makes the value once per version and keeps it: a page asks
again in that one query, whatever the number of rows the value was made from. It is
used where the rows grow with the municipality but the value does not (a roll-up, a
count in the menu).

Inside a transaction a value is made afresh and not kept: what it read may yet be
rolled back, and SQLite may hand the rolled-back history ids out again.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

T = TypeVar("T")


@functools.cache
def _history_table(model) -> str:
    # ``model.history`` builds a manager class on every access (a millisecond a page).
    return model.history.model._meta.db_table


def history_version(models: Iterable) -> tuple[int | None, ...]:
    """The newest history row id of each model (``HistoricalRecords``), in one query."""
    q = connection.ops.quote_name
    tables = [_history_table(m) for m in models]
    # Only the models' own table names are formatted in.
    sql = "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {q(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def kept(name: str, key: object, models: Iterable, make: Callable[[], T], seconds: int) -> T:
    """``make()``, kept for at most ``seconds`` under ``name`` and ``key`` (its own
    arguments, by ``repr``) as long as the history of ``models`` (what it is made
    from) is unchanged."""
    if connection.in_atomic_block:
        return make()
    digest = hashlib.sha256(repr((key, history_version(models))).encode()).hexdigest()
    full = f"{name}:{digest}"
    value = cache.get(full)
    if value is None:
        value = make()
        cache.set(full, value, seconds)
    return value
