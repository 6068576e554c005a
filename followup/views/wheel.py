"""The annual wheel (årshjul): read by everyone logged in, kept by controllers at the council."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from followup.access import can_manage_wheel, require_wheel_manager
from followup.forms import WheelStepForm
from followup.services import (
    WheelCopyError,
    wheel_copy_year,
    wheel_step_save,
)
from followup.services import (
    wheel_step_delete as delete_step,
)
from followup.wheel import wheel_year, year_wheel
from followup.wheel_models import FIRST_YEAR, LAST_YEAR, WheelStep
from ledmot.conflicts import NOT_SAVED, last_editor, save_form
from ledmot.lib.forms import posted_version
from ledmot.lib.wheel_svg import wheel_svg
from ledmot.services import ConflictError


def _wheel_url(year: int) -> str:
    return f"{reverse('followup:wheel')}?{urlencode({'ar': year})}"


@login_required
@require_GET
def wheel(request: HttpRequest) -> HttpResponse:
    year = wheel_year(request.GET.get("ar"))
    today = timezone.localdate()
    steps, entries = year_wheel(year)
    can_manage = can_manage_wheel(request.user)
    return render(
        request,
        "followup/wheel.html",
        {
            "year": year,
            "entries": entries,
            "has_steps": bool(steps),
            "svg": wheel_svg(
                year, [(e.start, e.end, e.title, e.kind) for e in entries], today=today
            ),
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
            "is_current_year": year == today.year,
            "current_year": today.year,
            "can_manage": can_manage,
            "can_copy": can_manage and not steps,
        },
    )


def _step_form_page(request, form, title, year, conflict=None):
    return render(
        request,
        "followup/wheel_step_form.html",
        {"form": form, "title": title, "year": year, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def wheel_step_create(request: HttpRequest) -> HttpResponse:
    require_wheel_manager(request)
    year = wheel_year(request.GET.get("ar"))
    form = WheelStepForm(request.POST or None, instance=WheelStep(year=year))
    if request.method == "POST" and form.is_valid():
        step = wheel_step_save(step=form.instance, user=request.user, expected_version=None)
        messages.success(request, _("Steget ”%(title)s” är tillagt.") % {"title": step.title})
        return redirect(_wheel_url(step.year))
    return _step_form_page(
        request, form, _("Nytt steg i årshjulet %(year)s") % {"year": year}, year
    )


@login_required
@require_http_methods(["GET", "POST"])
def wheel_step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_wheel_manager(request)
    step = get_object_or_404(WheelStep, pk=pk)
    form = WheelStepForm(request.POST or None, instance=step)
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: wheel_step_save(
                step=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(_wheel_url(step.year))
    return _step_form_page(
        request,
        form,
        _("Ändra steg i årshjulet %(year)s") % {"year": step.year},
        step.year,
        outcome.conflict,
    )


@login_required
@require_http_methods(["GET", "POST"])
def wheel_step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_wheel_manager(request)
    step = get_object_or_404(WheelStep, pk=pk)
    conflict = None
    if request.method == "POST":
        year, title = step.year, step.title
        try:
            delete_step(step=step, user=request.user, expected_version=posted_version(request.POST))
        except ConflictError as exc:
            step = exc.current
            conflict = {
                "message": _(
                    "Steget har ändrats av någon annan sedan du öppnade sidan och är inte "
                    "borttaget. Se över det nedan och ta bort det igen om du vill."
                ),
                "who": last_editor(step),
            }
        else:
            messages.success(request, _("Steget ”%(title)s” är borttaget.") % {"title": title})
            return redirect(_wheel_url(year))
    return render(
        request,
        "followup/wheel_step_delete.html",
        {"step": step, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def wheel_copy(request: HttpRequest) -> HttpResponse:
    require_wheel_manager(request)
    year = wheel_year(request.POST.get("ar"))
    try:
        copies = wheel_copy_year(from_year=year - 1, to_year=year, user=request.user)
    except WheelCopyError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(n)s steg är kopierade från %(from)s till %(to)s. Se över datumen.")
            % {"n": len(copies), "from": year - 1, "to": year},
        )
    return redirect(_wheel_url(year))
