"""The clock the demo's story is told on.

The services stamp what they do with ``timezone.now()`` (a report's ``submitted_at``,
a round's ``closed_at``, every history record's date). The demo tells a story that
already happened: the annual report written in January, the tertial report approved in
May. So, while the builders run, ``django.utils.timezone.now`` answers with the moment
of the story being told (:meth:`StoryClock.at`), never later than the demo's ``today``.
This is the only place the demo touches the clock; the dates themselves come from the
``today`` passed in (:mod:`demo.calendar`).
"""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock

from django.utils import timezone


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
    clock = StoryClock(start)
    with mock.patch("django.utils.timezone.now", clock):
        yield clock
