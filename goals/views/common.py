"""Small helpers the goals screens share."""

from __future__ import annotations

from django.http import HttpRequest

from goals.models import MandatePeriod


def is_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def vision_of(period: MandatePeriod | None):
    try:
        return period.vision if period else None
    except MandatePeriod.vision.RelatedObjectDoesNotExist:
        return None
