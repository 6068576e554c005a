"""The unit page, and "my unit" that leads to it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from goals.access import can_edit_unit, get_unit_for_view
from goals.filters import pick_period
from goals.models import MandatePeriod
from goals.unit_page import unit_page
from goals.unit_plan import plan_title, plan_year
from goals.views.lists import _query_without
from ledmot.access import access_for


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_view(request, pk)
    today = timezone.localdate()
    periods = list(MandatePeriod.objects.order_by("-start_year"))
    period = pick_period(periods, request.GET.get("period"))
    context = {
        "unit": unit,
        "period": period,
        "periods": periods,
        **unit_page(unit, request.user, period, today, request.GET.get("sida")),
        "filter_query": _query_without(request, "sida"),
        "can_edit": can_edit_unit(request.user, unit),
        "plan_title": plan_title(unit),
        "plan_year": plan_year(period, today),
        "today": today,
        "soon_days": settings.LEDMOT_DUE_SOON_DAYS,
    }
    return render(request, "goals/unit_detail.html", context)


@login_required
@require_GET
def my_unit(request: HttpRequest) -> HttpResponse:
    ids = access_for(request.user).home_unit_ids()
    if ids:
        return redirect("goals:unit_detail", pk=ids[0])
    return render(request, "goals/no_unit.html")
