"""Querysets compiled once per process and run with new values.

Building and compiling a queryset costs the ORM far more than a small query costs the
database: the report page's assignments took 1.8 ms to build and compile, 0.03 ms to
run. :func:`prepared_rows` compiles a ``values_list`` queryset once, with stand-in
values, finds where each stand-in went among the SQL's parameters, and from then on
runs the same SQL with the caller's values, through the same cursor and the same
converters (dates on SQLite, decimals) as the queryset would.

The queryset is still written once, with the ORM and the rules' own filters: the SQL is
the ORM's. What may differ between calls is only what ends up as a parameter (an id, a
date, a text). Everything else the SQL depends on (whether a filter is there at all,
the length of a list, a year Django turns into two dates) belongs in ``key``; a value
that does not end up as a parameter as it was given is refused when the query is
compiled (``ValueError``), so a mistake shows in the first test that runs it.
"""

from __future__ import annotations

import datetime
import itertools
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_compiled = threading.local()  # per thread: a compiler holds its thread's connection
#: At most this many compiled queries per thread (a key may hold a list's length): the
#: oldest is dropped for a new one.
KEPT = 512
_serial = itertools.count(1)


class _Query:
    __slots__ = ("compiler", "lengths", "slots", "sql")

    def __init__(self, compiler, sql: str, slots: list, lengths: dict[str, int]):
        self.compiler, self.sql, self.slots, self.lengths = compiler, sql, slots, lengths


def _stand_in(value: Any, n: int) -> Any:
    """A value of ``value``'s type that no query holds by chance."""
    if isinstance(value, bool) or value is None:
        raise ValueError("a flag or None changes the SQL: put it in the key")
    if isinstance(value, int):
        return -7_000_000_000 - n
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1001, 1, 1, 0, 0, n % 60, n)
    if isinstance(value, datetime.date):
        return datetime.date(1001, 1, 1) + datetime.timedelta(days=n)
    if isinstance(value, str):
        return f"\x02prepared {n}\x02"
    raise ValueError(f"no stand-in for a {type(value).__name__}")


def _compile(build: Callable[..., QuerySet], values: dict[str, Any], using: str) -> _Query:
    stand_ins: dict[str, Any] = {}
    forms: dict[Any, tuple] = {}  # a stand-in (as given, or as text: SQLite's dates) -> slot
    lengths = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            items = [_stand_in(v, next(_serial)) for v in value]
            stand_ins[name], lengths[name] = items, len(items)
            places = list(enumerate(items))
        else:
            stand_ins[name] = _stand_in(value, next(_serial))
            places = [(None, stand_ins[name])]
        for index, stand_in in places:
            forms[stand_in] = (name, index, None)
            forms.setdefault(str(stand_in), (name, index, str))
    try:
        queryset = build(**stand_ins)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
    except (OverflowError, TypeError, ValueError) as exc:  # a value the ORM works on
        raise ValueError(f"a value is not a parameter of the SQL ({exc}): key it") from exc
    slots, found = [], set()
    for param in params:
        slot = forms.get(param) if isinstance(param, int | str | datetime.date) else None
        slots.append(slot if slot is not None else (None, None, param))
        if slot is not None:
            found.add(slot[:2])
    for stand_in, (name, index, _form) in forms.items():
        if (name, index) not in found or str(stand_in) in sql:
            raise ValueError(f"{name!r} is not a parameter of the SQL: put it in the key")
    return _Query(compiler, sql, slots, lengths)


def prepared_rows(
    key: tuple, build: Callable[..., QuerySet], *, using: str = "default", **values: Any
) -> list[tuple]:
    """The rows of ``build(**values)``, a ``values_list`` queryset, compiled once per
    process and ``key`` (which names the query and holds whatever else its SQL depends
    on, such as the length of a list value). Same rows, types and order as the
    queryset's own; one query."""
    cache = getattr(_compiled, "queries", None)
    if cache is None:
        cache = _compiled.queries = {}
    query = cache.get((using, key))
    if query is None:
        if len(cache) >= KEPT:
            del cache[next(iter(cache))]
        query = cache[(using, key)] = _compile(build, values, using)
    for name, length in query.lengths.items():
        if len(values[name]) != length:
            raise ValueError(f"{name!r} has {len(values[name])} values, not {length}: key it")
    params = []
    for name, index, given in query.slots:  # (None, None, a constant) or a value's place
        if name is None:
            params.append(given)
            continue
        value = values[name] if index is None else values[name][index]
        params.append(value if given is None else given(value))
    with connections[using].cursor() as cursor:
        cursor.execute(query.sql, params)
        rows = cursor.fetchall()
    return list(query.compiler.results_iter(results=[rows], tuple_expected=True))
