"""The sign-in log of the generated municipalities: a month of people signing in, as
axes writes it (its access and failure logs), for the administrators' security events
page. Used by seed_demo and seed_scale alike."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.builders.followup import working_day

# What people's browsers send (the sign-in log keeps it).
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36 Edg/131.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
)
SIGNIN_DAYS = 30  # the sign-in log of the last month, as the security events page reads it


def seed_signins(rng: random.Random, today: datetime.date) -> tuple[int, int]:
    """The sign-in log of the last :data:`SIGNIN_DAYS` days: most people sign in on a few
    working days, some mistype their password first, and a few are locked out (the
    security events page of an administrator; axes' own tables, no history)."""
    from axes.models import AccessFailureLog, AccessLog

    # The generated log replaces any earlier one, as the rest of the data is replaced.
    AccessLog.objects.all().delete()
    AccessFailureLog.objects.all().delete()
    tz = timezone.get_current_timezone()
    ok, failed = [], []
    for username in get_user_model().objects.order_by("pk").values_list("username", flat=True):
        for _ in range(rng.choice((0, 1, 2, 3, 4, 6))):
            day = working_day(today - datetime.timedelta(days=SIGNIN_DAYS), rng.randrange(20))
            at = datetime.datetime.combine(day, datetime.time(7 + rng.randrange(10)), tz)
            at += datetime.timedelta(minutes=rng.randrange(60), seconds=rng.randrange(60))
            net = f"10.{rng.randrange(1, 40)}.{rng.randrange(256)}"
            common = {
                "username": username,
                "user_agent": rng.choice(USER_AGENTS),
                "ip_address": f"{net}.{rng.randrange(1, 255)}",
                "path_info": "/logga-in/",
                "http_accept": "text/html",
            }
            if rng.random() < 0.06:
                # One mistyped password in ten is the one too many: the lockout, and the
                # sign-in comes when its cool-off (15 minutes) has passed.
                locked = rng.random() < 0.1
                wait = 60 * (16 + rng.randrange(25)) if locked else 20 + rng.randrange(60)
                late = at - datetime.timedelta(seconds=wait)
                failed.append(AccessFailureLog(attempt_time=late, locked_out=locked, **common))
            ok.append(AccessLog(attempt_time=at, session_hash="", **common))
    # The log's time is set on saving (auto_now_add): here it is when they signed in, and
    # the rows are written in that order, as axes writes them (the security events page
    # reads the newest by their id, ledmot/signin_events.py).
    ok.sort(key=lambda row: row.attempt_time)
    failed.sort(key=lambda row: row.attempt_time)
    stamped = [model._meta.get_field("attempt_time") for model in (AccessLog, AccessFailureLog)]
    for f in stamped:
        f.auto_now_add = False
    try:
        AccessLog.objects.bulk_create(ok, batch_size=1000)
        AccessFailureLog.objects.bulk_create(failed, batch_size=1000)
    finally:
        for f in stamped:
            f.auto_now_add = True
    return len(ok), len(failed)
