"""The moment a write records that it happened.

Every service that stamps a time (a report's ``submitted_at``, a round's ``closed_at``, a
value's ``entered_at``, every history record's date) asks :func:`now`, never
``timezone.now()`` itself. Normally that is the real time. Inside :func:`recorded_at`
it is the moment given: "these writes record that they happened then". The demo uses
it to write a story that already happened (the annual report written in January); an
import of another system's data could use it the same way.

The moment lives in a :class:`~contextvars.ContextVar`: it holds for the code inside the
``with`` block only, and never for another thread or request (a server running beside
the demo's seeding keeps the real time). Decisions about "today" (is a deadline past,
which year is current) are not stamps: they keep ``timezone.localdate()`` or take the
day as an argument.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from django.db import models
from django.utils import timezone

Moment = datetime.datetime | Callable[[], datetime.datetime]

_recorded: ContextVar[Callable[[], datetime.datetime] | None] = ContextVar(
    "ledmot_recorded_at", default=None
)


def now() -> datetime.datetime:
    """The moment a write made now records: the recorded moment inside
    :func:`recorded_at`, the real time outside it."""
    source = _recorded.get()
    return timezone.now() if source is None else source()


def is_recorded() -> bool:
    """Whether the writes now run inside :func:`recorded_at`."""
    return _recorded.get() is not None


@contextlib.contextmanager
def recorded_at(moment: Moment) -> Iterator[None]:
    """The writes inside the block record that they happened at ``moment``.

    ``moment`` is an aware datetime, or a callable that gives the moment of each write
    (e.g. a story clock that moves a second on per call, so that the history of one
    object keeps its order). Blocks nest; leaving one restores the moment before it.
    """
    if isinstance(moment, datetime.datetime):
        if timezone.is_naive(moment):
            raise ValueError("recorded_at needs an aware datetime")
        fixed = moment

        def source() -> datetime.datetime:
            return fixed
    else:
        source = moment
    token = _recorded.set(source)
    try:
        yield
    finally:
        _recorded.reset(token)


def date_history_record(sender, history_instance, **kwargs) -> None:
    """``pre_create_historical_record``: inside :func:`recorded_at` a history record
    (of any save or delete, through a service or not) carries the recorded moment."""
    if is_recorded():
        history_instance.history_date = now()


class StampField(models.DateTimeField):
    """A ``DateTimeField`` whose ``auto_now``/``auto_now_add`` stamp is :func:`now` (the
    recorded moment inside :func:`recorded_at`), not ``timezone.now()``: a row's
    ``created_at`` agrees with its first history record."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)
