"""*Att granska*: the reports waiting for the person's approval, oldest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from followup.review import review_page
from ledmot.access import Cap, access_for, refusal


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    if not access_for(request.user).can_anywhere(Cap.APPROVE):
        raise refusal(Cap.APPROVE)
    return render(
        request, "followup/review.html", review_page(request.user, request.GET.get("sida"))
    )
