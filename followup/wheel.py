"""The annual wheel's year (read model): steps and follow-up rounds' last days
merged in date order and numbered as on the wheel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from followup.models import FollowUpRound
from followup.wheel_models import FIRST_YEAR, LAST_YEAR, WheelStep

DEADLINE = "deadline"  # the wheel's kind for a follow-up round's last day


def wheel_year(raw: str | None) -> int:
    """``?ar=2026``; anything else means the current year."""
    if raw and raw.strip().isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return timezone.localdate().year


@dataclass(frozen=True)
class Entry:
    """One line of the year's list: a step of the wheel or a round's last day."""

    number: int
    start: datetime.date
    end: datetime.date | None
    title: str
    kind: str
    kind_label: str
    description: str = ""
    step: WheelStep | None = None
    round: FollowUpRound | None = None


def wheel_entries(steps, rounds) -> list[Entry]:
    """Steps and round deadlines merged in date order and numbered as on the wheel."""
    rows = [
        ((s.start, s.order, 0, s.pk), s.start, s.end, s.title, s.kind, s.get_kind_display(), s)
        for s in steps
    ]
    rows += [
        (
            (r.deadline, 0, 1, r.pk),
            r.deadline,
            None,
            _("Sista dag: %(kind)s") % {"kind": r.kind.name},
            DEADLINE,
            _("Uppföljning"),
            r,
        )
        for r in rounds
    ]
    rows.sort(key=lambda row: row[0])
    entries = []
    for number, (_key, start, end, title, kind, label, obj) in enumerate(rows, start=1):
        is_step = isinstance(obj, WheelStep)
        entries.append(
            Entry(
                number=number,
                start=start,
                end=end,
                title=title,
                kind=kind,
                kind_label=label,
                description=obj.description if is_step else "",
                step=obj if is_step else None,
                round=None if is_step else obj,
            )
        )
    return entries


def year_wheel(year: int) -> tuple[list[WheelStep], list[Entry]]:
    """The year's steps and its list of entries (two queries)."""
    steps = list(WheelStep.objects.in_year(year))
    rounds = FollowUpRound.objects.filter(
        deadline__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    ).select_related("kind")
    return steps, wheel_entries(steps, rounds)
