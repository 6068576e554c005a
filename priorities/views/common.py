"""Small helpers shared by the priority screens."""

from django.http import HttpRequest


def is_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (not a boosted navigation)."""
    return bool(request.htmx) and not request.htmx.boosted
