"""The indicator page, its targets, and writing indicators."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goals.access import can_edit_unit
from goals.forms import IndicatorForm
from goals.fulfilment import tolerance
from goals.models import Goal, Indicator, MandatePeriod
from goals.presentation import comparison_name, indicator_views
from goals.results import show
from goals.services import TargetsLocked, targets_fill_linear, targets_save
from ledmot.access import Cap, access_for
from ledmot.conflicts import conflict_context
from ledmot.lib.numbers import parse_number
from ledmot.services import ConflictError, versioned_save


def get_indicator_for_view(request, pk) -> Indicator:
    # Indicators and their results are public to every logged-in user, like adopted goals.
    return get_object_or_404(Indicator.objects.select_related("responsible_unit", "latest"), pk=pk)


def get_indicator_for_edit(request, pk) -> Indicator:
    indicator = get_indicator_for_view(request, pk)
    if not can_edit_unit(request.user, indicator.responsible_unit):
        raise PermissionDenied
    return indicator


@dataclass
class TargetField:
    year: int
    name: str
    text: str
    error: str = ""
    value: Decimal | None = None


def _target_fields(view, period, data=None) -> list[TargetField]:
    fields = []
    for year in range(period.start_year, period.end_year + 1):
        current = view.targets.get(year)
        f = TargetField(year=year, name=f"t-{year}", text=show(current))
        if data is not None:
            f.text = data.get(f.name, "").strip()
            try:
                f.value = parse_number(f.text)
            except ValueError:
                f.error = _("Skriv ett tal, t.ex. 12,5 eller 1 234.")
        fields.append(f)
    return fields


def _indicator_page(request, indicator, *, target_fields=None, end_error="", status=200):
    view = indicator_views([indicator], with_comparisons=True)[0]
    period = MandatePeriod.objects.current()
    comparison_years = sorted({y for values in view.comparisons.values() for y in values})
    own = {m.year: m.value for m in view.measurements if m.gender == "T" and m.period.isdigit()}
    return render(
        request,
        "goals/indicator_detail.html",
        {
            "indicator": indicator,
            "view": view,
            "goals": list(indicator.goals.visible_to(request.user).select_related("owner")),
            "can_edit": can_edit_unit(request.user, indicator.responsible_unit),
            "period": period,
            "target_fields": target_fields
            if target_fields is not None
            else (_target_fields(view, period) if period else []),
            "end_error": end_error,
            "comparison_years": comparison_years[-8:],
            "comparison_rows": [
                (comparison_name(code), [values.get(y) for y in comparison_years[-8:]])
                for code, values in view.comparisons.items()
            ],
            "own_row": [own.get(y) for y in comparison_years[-8:]],
            "tolerance_percent": int(tolerance() * 100),
        },
        status=status,
    )


@login_required
@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _indicator_page(request, get_indicator_for_view(request, pk))


@login_required
@require_POST
def indicator_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the targets of the mandate period, or fill them linearly to an end target."""
    indicator = get_indicator_for_edit(request, pk)
    period = MandatePeriod.objects.current()
    if period is None:
        raise PermissionDenied
    if "fill" in request.POST:
        try:
            end_value = parse_number(request.POST.get("end_value", ""))
            if end_value is None:
                raise ValueError
        except ValueError:
            return _indicator_page(
                request, indicator, end_error=_("Ange slutmålet som ett tal."), status=200
            )
        try:
            targets_fill_linear(
                indicator=indicator, period=period, end_value=end_value, user=request.user
            )
        except ValidationError as exc:
            return _indicator_page(request, indicator, end_error=" ".join(exc.messages))
        messages.success(request, _("Målvärdena är ifyllda linjärt till slutmålet."))
        return redirect("goals:indicator_detail", pk=indicator.pk)
    view = indicator_views([indicator])[0]
    fields = _target_fields(view, period, request.POST)
    if any(f.error for f in fields):
        messages.error(request, _("Något målvärde behöver rättas. Inget har sparats."))
        return _indicator_page(request, indicator, target_fields=fields)
    try:
        targets_save(
            indicator=indicator, values={f.year: f.value for f in fields}, user=request.user
        )
    except TargetsLocked as exc:
        for field in fields:
            field.error = exc.locked.get(field.year, "")
        messages.error(request, _("Något målvärde behöver rättas. Inget har sparats."))
        return _indicator_page(request, indicator, target_fields=fields)
    messages.success(request, _("Målvärdena är sparade."))
    return redirect("goals:indicator_detail", pk=indicator.pk)


# --------------------------------------------------------------------------- writing indicators


def _linkable_goals(user):
    """Goals whose indicators the user may change: live goals they may edit."""
    period = MandatePeriod.objects.current()
    return (
        Goal.objects.filter(access_for(user).units_q(Cap.EDIT), mandate_period=period)
        .live()
        .select_related("owner")
        .order_by("level", "owner__path", "order", "pk")
    )


def _save_indicator(request, form, indicator_before_links: set[int]):
    linkable = {g.pk for g in form.fields["goals"].queryset}
    with transaction.atomic():
        indicator = versioned_save(
            form.instance,
            user=request.user,
            expected_version=form.cleaned_data.get("version"),
        )
        # Links to goals the user may not edit are kept as they were.
        chosen = {g.pk for g in form.cleaned_data["goals"]}
        indicator.goals.set(chosen | (indicator_before_links - linkable))
    return indicator


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access_for(user).can_anywhere(Cap.EDIT):
        raise PermissionDenied
    goals = _linkable_goals(user)
    initial = {}
    raw = request.GET.get("mal", "")
    if raw.isdigit() and goals.filter(pk=int(raw)).exists():
        goal = goals.get(pk=int(raw))
        initial = {"goals": [goal.pk], "responsible_unit": goal.owner_id}
    form = IndicatorForm(request.POST or None, user=user, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        indicator = _save_indicator(request, form, set())
        messages.success(request, _("Indikatorn ”%(name)s” är skapad.") % {"name": indicator.name})
        return redirect("goals:indicator_detail", pk=indicator.pk)
    return render(request, "goals/indicator_form.html", {"form": form, "indicator": None})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_edit(request, pk)
    before = set(indicator.goals.values_list("pk", flat=True))
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        user=request.user,
        goals=_linkable_goals(request.user),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            _save_indicator(request, form, before)
        except ConflictError as exc:
            conflict = conflict_context(form, exc.current)
        else:
            messages.success(request, _("Indikatorn är sparad."))
            return redirect("goals:indicator_detail", pk=indicator.pk)
    return render(
        request,
        "goals/indicator_form.html",
        {"form": form, "indicator": indicator, "conflict": conflict},
        status=409 if conflict else 200,
    )
