"""A small open round over the test world (see tests/conftest.build_world)."""

import datetime

from followup.models import RoundKind
from followup.services import round_open


def open_round(w, *, kind="Tertialrapport", period_end=datetime.date(2025, 4, 30), scope=()):
    return round_open(
        kind=RoundKind.objects.get(name=kind),
        year=period_end.year,
        period_end=period_end,
        deadline=period_end + datetime.timedelta(days=14),
        council_date=None,
        scope=list(scope),
        user=w.controller,
    )
