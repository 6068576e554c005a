"""Pages of long lists whose total is counted only so far: counting every row of a large
municipality's list costs more than showing a page of it, and grows with it."""

from __future__ import annotations

from django.core.paginator import Paginator


def page_number(raw: str | None) -> int:
    """The page asked for (``?sida=``), 1 when it is missing or not a page number."""
    raw = raw or ""
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def capped_paginator(rows, number: int, per_page: int, cap: int, counted=None) -> Paginator:
    """A paginator over ``rows`` whose count stops ``cap`` rows past the start of page
    ``number`` (``counted``: the same rows in a query the database counts faster).
    Past the cap the page says "fler än" and pages on with "Nästa sida"
    (``paginator.capped``)."""
    limit = (number - 1) * per_page + cap + 1
    paginator = Paginator(rows, per_page)
    paginator.count = (rows if counted is None else counted).order_by()[:limit].count()
    paginator.capped = paginator.count == limit
    if paginator.capped:
        paginator.count -= 1  # the first row past the cap only says that there are more
    return paginator
