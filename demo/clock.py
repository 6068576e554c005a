"""The clock the demo's story is told on.

The services stamp what they do with :func:`ledmot.clock.now` (a report's
``submitted_at``, a round's ``closed_at``, a value's ``entered_at``, every history
record's date). The demo tells a story that already happened: the annual report written
in January, the tertial report approved in May. So the builders write inside
:func:`ledmot.clock.recorded_at` with a :class:`StoryClock` that answers with the moment
of the story being told (:meth:`StoryClock.at`), never later than the demo's ``today``.
Nothing is patched: the moment holds for the builders' writes only, not for another
thread (a server running while the demo is seeded keeps the real time). The dates
themselves come from the ``today`` passed in (:mod:`demo.calendar`).
"""

from __future__ import annotations

import contextlib
import datetime

from django.utils import timezone

from ledmot.clock import recorded_at


class StoryClock:
    """Every call moves a second on, so history keeps its order."""

    def __init__(self, start: datetime.date):
        self.at(start, 8)

    def at(self, day: datetime.date, hour: int = 9, minute: int = 0) -> None:
        self.current = timezone.make_aware(
            datetime.datetime(day.year, day.month, day.day, hour, minute)
        )

    def __call__(self) -> datetime.datetime:
        self.current += datetime.timedelta(seconds=1)
        return self.current


@contextlib.contextmanager
def story_clock(start: datetime.date):
    """The writes inside the block are recorded on a :class:`StoryClock` from ``start``."""
    clock = StoryClock(start)
    with recorded_at(clock):
        yield clock
