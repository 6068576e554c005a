"""Mandate periods, budget years and the vision: the page and its forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from goals.access import can_manage_periods, require_period_manager
from goals.forms import BudgetYearForm, MandatePeriodForm, VisionForm
from goals.models import MandatePeriod, Vision
from goals.services import budget_year_create, mandate_period_create, vision_save
from goals.views.common import vision_of
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.lib.forms import add_validation_error


@login_required
@require_GET
def periods(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "goals/periods.html",
        {
            "periods": MandatePeriod.objects.select_related("vision").prefetch_related("years"),
            "can_manage": can_manage_periods(request.user),
            "next_year": timezone.localdate().year + 1,
        },
    )


def _period_form_page(request, form, title, back=None, conflict=None):
    return render(
        request,
        "goals/period_form.html",
        {"form": form, "title": title, "back": back, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    require_period_manager(request)
    form = MandatePeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = mandate_period_create(period=form.instance, user=request.user)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Mandatperioden %(p)s är skapad.") % {"p": period})
            return redirect("goals:periods")
    return _period_form_page(request, form, _("Ny mandatperiod"))


@login_required
@require_http_methods(["GET", "POST"])
def year_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_period_manager(request)
    period = get_object_or_404(MandatePeriod, pk=pk)
    form = BudgetYearForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            year = budget_year_create(year=form.instance, user=request.user)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(y)s är tillagt.") % {"y": year})
            return redirect("goals:periods")
    return _period_form_page(
        request, form, _("Nytt budgetår i mandatperioden %(p)s") % {"p": period}
    )


@login_required
@require_http_methods(["GET", "POST"])
def vision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_period_manager(request)
    period = get_object_or_404(MandatePeriod.objects.select_related("vision"), pk=pk)
    vision = vision_of(period)
    if vision is None or (request.method == "POST" and not request.POST.get("version")):
        # No version posted: the page was loaded before the period had a vision. If one
        # has been written since, vision_save reports it as a conflict.
        vision = Vision(mandate_period=period)
    form = VisionForm(request.POST or None, instance=vision)
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: vision_save(
                vision=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Visionen för %(p)s är sparad.") % {"p": period})
            return redirect("goals:periods")
    return _period_form_page(
        request,
        form,
        _("Vision för mandatperioden %(p)s") % {"p": period},
        conflict=outcome.conflict,
    )
