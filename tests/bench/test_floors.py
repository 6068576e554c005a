"""The chain's floor (bench/floors.py) is honest: it shows the same goals, in the same
order, with the same counts, badges, flags and links as Röda tråden's page."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from bench.floors import chain_floor
from goals.models import GoalLevel, GoalStatus, Measurement, Target
from goals.services import indicator_refresh_latest
from ledmot.access import Cap, access_for
from tests.factories import ActivityFactory, GoalFactory, IndicatorFactory

ROW = re.compile(r'<li class="goal-row goal-row--(\w+)" id="mal-(\d+)">')


def rows(html: str) -> list[tuple]:
    """Each chain row: level, id, title link, badges, counts, flags, branch link."""
    found = []
    starts = [m.start() for m in ROW.finditer(html)] + [len(html)]
    for start, end in zip(starts, starts[1:], strict=False):
        part = html[start:end]
        level, pk = ROW.match(part).groups()
        meta = re.search(r'<div class="goal-row__meta">(.*?)</div>', part).group(1)
        found.append(
            (
                level,
                int(pk),
                re.search(r'class="goal-row__title" href="([^"]+)">([^<]*)</a>', part).groups(),
                tuple(re.findall(r'class="(?:badge|assessment) ([^"]+)"', part)),
                tuple(re.findall(r"<span>([^<]*)</span>", meta)),
                tuple(re.findall(r'class="(flag[^"]*)"', part)),
                tuple(re.findall(r'hx-get="([^"]+)"', part)),
                '<details class="branch" open>' in part.split("</div>")[-1] or None,
            )
        )
    return found


@pytest.mark.django_db
def test_chain_floor_shows_what_the_page_shows(world, client):
    w = world
    other = GoalFactory(owner=w.kf, mandate_period=w.period, title="Tryggt att åldras <i>hemma</i>")
    GoalFactory(  # another committee's goal: not shown with BUN chosen
        level=GoalLevel.COMMITTEE, parent=other, owner=w.von, mandate_period=w.period
    )
    GoalFactory(  # BUN's goal without a council goal
        level=GoalLevel.COMMITTEE,
        parent=None,
        owner=w.bun,
        mandate_period=w.period,
        title="Nämndens eget mål",
    )
    GoalFactory(
        level=GoalLevel.COMMITTEE,
        parent=w.council_goal,
        owner=w.bun,
        mandate_period=w.period,
        status=GoalStatus.PROPOSED,
        title="Förslag från nämnden",
        shared=True,
    )
    ActivityFactory(goal=w.committee_goal)
    for direction, value, target in [("higher", 73, 80), ("lower", 5, 6)]:
        ind = IndicatorFactory(responsible_unit=w.kf, direction=direction, goals=[w.council_goal])
        Measurement.objects.create(indicator=ind, period="2025", value=Decimal(value))
        Target.objects.create(indicator=ind, year=2025, value=Decimal(target))
        indicator_refresh_latest({ind.pk})

    client.force_login(w.reader)
    page = client.get(reverse("goals:chain"), {"namnd": "BUN"}).content.decode()
    with connection.cursor() as cursor:
        floor = chain_floor(
            cursor,
            period_id=w.period.pk,
            committee={"code": "BUN", "name": w.bun.name, "path": w.bun.path},
            view_paths=access_for(w.reader).paths(Cap.VIEW),
        )

    page_rows = rows(page)
    assert len(page_rows) == 5
    assert rows(floor) == page_rows
    assert "Förslag: Delvis uppfyllt" in floor
    assert "&lt;i&gt;hemma&lt;/i&gt;" in floor
    filters = re.search(r'<form method="get" class="filters".*?</form>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>[^<]*</option>", filters)
    assert len(options) > 3
    for option in options:
        assert option in floor
