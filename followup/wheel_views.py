"""The annual wheel (årshjul): read by everyone logged in, kept by controllers at the council."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from followup.models import FollowUpRound
from followup.wheel_models import (
    FIRST_YEAR,
    LAST_YEAR,
    WheelCopyError,
    WheelKind,
    WheelStep,
    wheel_copy_year,
)
from goals.forms import DateInput, VersionedForm
from ledmot.access import Cap, access_for
from ledmot.conflicts import conflict_context
from ledmot.lib.wheel_svg import wheel_svg
from ledmot.services import ConflictError, versioned_save

DEADLINE = "deadline"  # the wheel's kind for a follow-up round's last day


# --- access -------------------------------------------------------------------------------


def can_manage_wheel(user) -> bool:
    """The annual wheel belongs to the whole municipality: kept at the council."""
    return access_for(user).can_at_root(Cap.MANAGE)


def require_wheel_manager(request: HttpRequest) -> None:
    if not can_manage_wheel(request.user):
        raise PermissionDenied


def _year(raw: str | None) -> int:
    """``?ar=2026``; anything else means the current year."""
    if raw and raw.strip().isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return timezone.localdate().year


def _wheel_url(year: int) -> str:
    return f"{reverse('followup:wheel')}?{urlencode({'ar': year})}"


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of the year's list: a step of the wheel or a round's last day."""

    number: int
    start: datetime.date
    end: datetime.date | None
    title: str
    kind: str
    kind_label: str
    description: str = ""
    step: WheelStep | None = None
    round: FollowUpRound | None = None


def wheel_entries(steps, rounds) -> list[Entry]:
    """Steps and round deadlines merged in date order and numbered as on the wheel."""
    rows = [
        ((s.start, s.order, 0, s.pk), s.start, s.end, s.title, s.kind, s.get_kind_display(), s)
        for s in steps
    ]
    rows += [
        (
            (r.deadline, 0, 1, r.pk),
            r.deadline,
            None,
            _("Sista dag: %(kind)s") % {"kind": r.kind.name},
            DEADLINE,
            _("Uppföljning"),
            r,
        )
        for r in rounds
    ]
    rows.sort(key=lambda row: row[0])
    entries = []
    for number, (_key, start, end, title, kind, label, obj) in enumerate(rows, start=1):
        is_step = isinstance(obj, WheelStep)
        entries.append(
            Entry(
                number=number,
                start=start,
                end=end,
                title=title,
                kind=kind,
                kind_label=label,
                description=obj.description if is_step else "",
                step=obj if is_step else None,
                round=None if is_step else obj,
            )
        )
    return entries


@login_required
@require_GET
def wheel(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("ar"))
    today = timezone.localdate()
    steps = list(WheelStep.objects.in_year(year))
    rounds = FollowUpRound.objects.filter(
        deadline__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    ).select_related("kind")
    entries = wheel_entries(steps, rounds)
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


# --- writing ------------------------------------------------------------------------------


class WheelStepForm(VersionedForm):
    class Meta:
        model = WheelStep
        fields = ["title", "kind", "start", "end", "description", "order"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "order": forms.NumberInput(attrs={"min": 0, "max": 999}),
        }
        error_messages = {
            "title": {"required": gettext_lazy("Skriv en rubrik för steget.")},
            "start": {
                "required": gettext_lazy("Ange datum för steget."),
                "invalid": gettext_lazy("Skriv datumet som ÅÅÅÅ-MM-DD."),
            },
            "end": {"invalid": gettext_lazy("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["kind"].initial = WheelKind.OTHER
        if self.instance.year:  # the date pickers open in the wheel's year
            for name in ("start", "end"):
                self.fields[name].widget.attrs.update(
                    min=f"{self.instance.year}-01-01", max=f"{self.instance.year}-12-31"
                )

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("end") and cleaned.get("end") == cleaned.get("start"):
            cleaned["end"] = None  # one day is a single-day step
        return cleaned


def _step_form_page(request, form, title, year, conflict=None):
    return render(
        request,
        "followup/wheel_step_form.html",
        {"form": form, "title": title, "year": year, "conflict": conflict},
    )


@login_required
@require_http_methods(["GET", "POST"])
def wheel_step_create(request: HttpRequest) -> HttpResponse:
    require_wheel_manager(request)
    year = _year(request.GET.get("ar"))
    form = WheelStepForm(request.POST or None, instance=WheelStep(year=year))
    if request.method == "POST" and form.is_valid():
        step = versioned_save(
            form.instance, user=request.user, expected_version=None, reason=_("Skapat")
        )
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
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            versioned_save(
                form.instance, user=request.user, expected_version=form.cleaned_data.get("version")
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc.current)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(_wheel_url(step.year))
    return _step_form_page(
        request,
        form,
        _("Ändra steg i årshjulet %(year)s") % {"year": step.year},
        step.year,
        conflict,
    )


@login_required
@require_http_methods(["GET", "POST"])
def wheel_step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_wheel_manager(request)
    step = get_object_or_404(WheelStep, pk=pk)
    if request.method == "POST":
        year, title = step.year, step.title
        step._history_user = request.user
        step._change_reason = _("Borttaget")
        step.delete()
        messages.success(request, _("Steget ”%(title)s” är borttaget.") % {"title": title})
        return redirect(_wheel_url(year))
    return render(request, "followup/wheel_step_delete.html", {"step": step})


@login_required
@require_POST
def wheel_copy(request: HttpRequest) -> HttpResponse:
    require_wheel_manager(request)
    year = _year(request.POST.get("ar"))
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
