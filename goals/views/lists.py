"""The controller's lists: activities and indicators, filtered, paged and exported.

Each list is one queryset: its FilterSet (:mod:`goals.filters`) bound to the
request; the page shows one page of it, ``?export=xlsx`` writes all of it (see
:mod:`goals.exports`). Both run a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from goals import exports
from goals.filters import ActivityFilter, IndicatorFilter
from goals.fulfilment import classify
from goals.models import Goal, Measurement, Target, visible_goal_q
from goals.results import is_stale
from ledmot.lib.paging import capped_paginator, page_number
from ledmot.lib.xlsx import sheets_response

PAGE_SIZE = 50
# Rows counted for a list beyond the start of its page: "fler än 1 000" past it.
COUNT_CAP = 1000


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def _query_without(request: HttpRequest, *names: str) -> str:
    """The current filters as a query string, without paging or export."""
    params = [(k, v) for k, vs in request.GET.lists() for v in vs if k not in names and v]
    return urlencode(params)


def _paged(request: HttpRequest, qs, counted=None):
    """A page of ``qs``, counted up to COUNT_CAP beyond the start of the page
    (:func:`ledmot.lib.paging.capped_paginator`); ``counted``: the same rows in a query
    the database counts faster (see ``ActivityFilter.page_qs``)."""
    number = page_number(request.GET.get("sida"))
    return capped_paginator(qs, number, PAGE_SIZE, COUNT_CAP, counted).get_page(number)


def _common_context(request: HttpRequest) -> dict:
    return {"filter_query": _query_without(request, "sida", "export")}


# --------------------------------------------------------------------------- activities


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = ActivityFilter(request.GET, user=request.user, today=today)
    qs = filters.qs
    if wants_export(request):
        return sheets_response(
            f"aktiviteter-{today:%Y-%m-%d}.xlsx",
            [exports.activity_sheet(qs.iterator(chunk_size=2000), today)],
        )
    page = _paged(request, filters.page_qs, counted=qs)
    for a in page.object_list:
        a.late = a.is_overdue(today)
    return render(
        request,
        "goals/activity_list.html",
        {**filters.context(), **_common_context(request), "page": page, "today": today},
    )


# --------------------------------------------------------------------------- indicators


def _visible_goals(user) -> Prefetch:
    return Prefetch(
        "goals",
        queryset=Goal.objects.filter(visible_goal_q(user))
        .order_by("level", "order", "pk")
        .only("pk", "title", "level"),
        to_attr="export_goals",
    )


def _decorate(indicators, today: datetime.date) -> None:
    for ind in indicators:
        latest = getattr(ind, "latest", None)
        ind.stale = is_stale(ind, today)
        ind.outcome = classify(
            ind.direction,
            latest.value if latest else None,
            latest.target if latest else None,
        )


@login_required
@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Indicators with their latest value and target. Indicators and their results are
    public to every logged-in user (as on the indicator page); the goals listed beside
    them are only those the user may see."""
    today = timezone.localdate()
    filters = IndicatorFilter(request.GET, user=request.user, today=today)
    qs = filters.qs
    if wants_export(request):
        indicators = list(qs.prefetch_related(_visible_goals(request.user)))
        _decorate(indicators, today)
        ids = qs.values("pk")
        order = ("indicator__responsible_unit__path", "indicator__name", "indicator_id")
        targets = (
            Target.objects.filter(indicator__in=ids)
            .select_related("indicator")
            .order_by(*order, "year")
        )
        measurements = (
            Measurement.objects.filter(indicator__in=ids)
            .select_related("indicator", "entered_by")
            .order_by(*order, "sort_key", "gender")
        )
        return sheets_response(
            f"indikatorer-{today:%Y-%m-%d}.xlsx",
            exports.indicator_sheets(
                indicators,
                targets.iterator(chunk_size=2000),
                measurements.iterator(chunk_size=2000),
            ),
        )
    page = _paged(request, qs.prefetch_related(_visible_goals(request.user)))
    _decorate(page.object_list, today)
    return render(
        request,
        "goals/indicator_list.html",
        {**filters.context(), **_common_context(request), "page": page, "today": today},
    )
