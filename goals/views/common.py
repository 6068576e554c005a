"""Small helpers the goals screens share."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from goals.models import (
    MandatePeriod,
)


def is_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def pick_period(periods: list[MandatePeriod], raw: str | None) -> MandatePeriod | None:
    if raw and raw.isdigit():
        for p in periods:
            if p.start_year == int(raw):
                return p
    year = timezone.localdate().year
    for p in periods:
        if p.contains(year):
            return p
    return periods[0] if periods else None


def vision_of(period: MandatePeriod | None):
    try:
        return period.vision if period else None
    except MandatePeriod.vision.RelatedObjectDoesNotExist:
        return None


def int_list(values) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:50]
