"""The indicator page, its targets, and writing indicators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goals import services
from goals.access import can_edit_unit
from goals.forms import IndicatorEndForm, IndicatorForm, TargetFillForm, TargetsForm
from goals.fulfilment import tolerance
from goals.models import Goal, Indicator, MandatePeriod
from goals.presentation import comparison_name, indicator_views
from goals.services import TargetsConflict, TargetsLocked, targets_fill_linear, targets_save
from ledmot.access import Cap, access_for, refusal
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.services import versioned_save


def get_indicator_for_view(request, pk) -> Indicator:
    # Indicators and their results are public to every logged-in user, like adopted goals.
    return get_object_or_404(Indicator.objects.select_related("responsible_unit", "latest"), pk=pk)


def get_indicator_for_edit(request, pk) -> Indicator:
    indicator = get_indicator_for_view(request, pk)
    if not can_edit_unit(request.user, indicator.responsible_unit):
        raise refusal(Cap.EDIT, indicator.responsible_unit)
    return indicator


def _targets_period(indicator):
    """The mandate period whose targets the page sets: that of a council-fixed end
    target (a goal adopted for the next mandate), else the current one."""
    fixed = (
        MandatePeriod.objects.filter(goals__council_targets__indicator=indicator).first()
        if hasattr(indicator, "council_target")
        else None
    )
    return fixed or MandatePeriod.objects.current()


def _target_locks(indicator, user) -> dict[int, str]:
    """The years of ``indicator`` whose targets ``user`` may not change: closed rounds
    and council-fixed end targets, each with its message."""
    locked = services.indicator_target_locks(indicator)
    fixed = services.council_target_locks([indicator.pk], user)
    locked.update({year: message for (_i, year), message in fixed.items()})
    return locked


def _indicator_page(
    request, indicator, *, targets_form=None, fill_form=None, end_form=None, conflict=None
):
    view = indicator_views([indicator], with_comparisons=True)[0]
    period = _targets_period(indicator)
    comparison_years = sorted({y for values in view.comparisons.values() for y in values})
    own = {m.year: m.value for m in view.measurements if m.gender == "T" and m.period.isdigit()}
    if period and targets_form is None:
        targets_form = TargetsForm(
            indicator=indicator,
            period=period,
            targets=view.targets,
            locked=_target_locks(indicator, request.user),
        )
    if period and fill_form is None:
        fill_form = TargetFillForm(indicator=indicator, period=period)
    can_edit = can_edit_unit(request.user, indicator.responsible_unit)
    if can_edit and end_form is None:
        end_form = IndicatorEndForm(indicator=indicator, today=timezone.localdate())
    return render(
        request,
        "goals/indicator_detail.html",
        {
            "indicator": indicator,
            "view": view,
            "goals": list(indicator.goals.visible_to(request.user).select_related("owner")),
            "can_edit": can_edit,
            "end_form": end_form,
            "conflict": conflict,
            "period": period,
            "targets_form": targets_form,
            "fill_form": fill_form,
            "comparison_years": comparison_years[-8:],
            "comparison_rows": [
                (comparison_name(code), [values.get(y) for y in comparison_years[-8:]])
                for code, values in view.comparisons.items()
            ],
            "own_row": [own.get(y) for y in comparison_years[-8:]],
            "tolerance_percent": int(tolerance() * 100),
        },
        status=409 if conflict else 200,
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
    period = _targets_period(indicator)
    if period is None:
        raise PermissionDenied(_("Det finns ingen mandatperiod att sätta målvärden för."))
    if "fill" in request.POST:
        return _fill_targets(request, indicator, period)
    saved = dict(indicator.targets.values_list("year", "value"))
    form = TargetsForm(
        request.POST,
        indicator=indicator,
        period=period,
        targets=saved,
        locked=_target_locks(indicator, request.user),
    )
    error = _("Något målvärde behöver rättas. Inget har sparats.")
    if form.is_valid():
        values, expected = form.changes()
        try:
            targets_save(indicator=indicator, values=values, expected=expected, user=request.user)
        except TargetsLocked as exc:
            form.show_locked(exc)
        except TargetsConflict as exc:
            form.show_conflicts(exc)
            error = _("Någon annan har ändrat målvärden medan du skrev. Inget har sparats.")
        else:
            messages.success(request, _("Målvärdena är sparade."))
            return redirect("goals:indicator_detail", pk=indicator.pk)
    messages.error(request, error)
    form.show_saved(dict(indicator.targets.values_list("year", "value")))
    return _indicator_page(request, indicator, targets_form=form)


@login_required
@require_POST
def indicator_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End the indicator on a date (its values and targets stay), or resume it."""
    indicator = get_indicator_for_edit(request, pk)
    form = IndicatorEndForm(request.POST, indicator=indicator)
    outcome = NOT_SAVED
    if form.is_valid():
        ended_on = form.cleaned_data["ended_on"]
        outcome = save_form(
            form,
            lambda: services.indicator_end(
                indicator=indicator,
                user=request.user,
                ended_on=ended_on,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if outcome.ok:
            if ended_on:
                message = _("Indikatorn är avslutad %(date)s. Värden och målvärden finns kvar.")
                messages.success(request, message % {"date": ended_on.isoformat()})
            else:
                messages.success(request, _("Indikatorn är återupptagen."))
            return redirect("goals:indicator_detail", pk=indicator.pk)
    return _indicator_page(request, indicator, end_form=form, conflict=outcome.conflict)


def _fill_targets(request, indicator, period) -> HttpResponse:
    form = TargetFillForm(request.POST, indicator=indicator, period=period)
    if form.is_valid():
        try:
            targets_fill_linear(
                indicator=indicator,
                period=period,
                end_value=form.cleaned_data["end_value"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error("end_value", exc.messages)
        else:
            messages.success(request, _("Målvärdena är ifyllda linjärt till slutmålet."))
            return redirect("goals:indicator_detail", pk=indicator.pk)
    return _indicator_page(request, indicator, fill_form=form)


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
        raise refusal(Cap.EDIT)
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
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(form, lambda: _save_indicator(request, form, before))
        if outcome.ok:
            messages.success(request, _("Indikatorn är sparad."))
            return redirect("goals:indicator_detail", pk=indicator.pk)
    return render(
        request,
        "goals/indicator_form.html",
        {"form": form, "indicator": indicator, "conflict": outcome.conflict},
        status=outcome.status,
    )
