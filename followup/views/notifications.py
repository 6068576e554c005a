"""The person's notices on the start page: marking one, or all, read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from followup.notifications import mark_read


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Another person's notice (or one already read) is not there to mark: 404."""
    if not mark_read(user=request.user, notification_id=pk):
        raise Http404
    return redirect("goals:chain")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    mark_read(user=request.user)
    return redirect("goals:chain")
