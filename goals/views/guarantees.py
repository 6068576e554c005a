"""Service guarantees (servicegarantier) of a unit: the list with whether each is kept,
and writing one (the unit's editors)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from goals.access import can_edit_unit, get_unit_for_view
from goals.fulfilment import tolerance
from goals.guarantees import unit_guarantees
from goals.models import Indicator, IndicatorKind, ServiceGuarantee
from goals.services import guarantee_save
from ledmot.access import Cap, refusal
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.lib.forms import VersionedForm


class GuaranteeForm(VersionedForm):
    class Meta:
        model = ServiceGuarantee
        fields = ["title", "promise", "measured_how", "indicator", "published"]
        widgets = {
            "promise": forms.Textarea(attrs={"rows": 3}),
            "measured_how": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: the kept-share indicators of the unit's chain (not every one of the
        # municipality); any posted one is read and the rule says why it is refused.
        field = self.fields["indicator"]
        field.queryset = Indicator.objects.select_related("responsible_unit")
        offered = Indicator.objects.filter(
            kind=IndicatorKind.KEPT_SHARE,
            responsible_unit__path__in=self.instance.unit.lineage_paths(),
        )
        if self.instance.indicator_id:
            offered |= Indicator.objects.filter(pk=self.instance.indicator_id)
        field.widget.choices = [("", field.empty_label)] + [
            (pk, name) for pk, name in offered.order_by("name", "pk").values_list("pk", "name")
        ]


@login_required
@require_GET
def guarantee_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_view(request, pk)
    context = {
        "unit": unit,
        "rows": unit_guarantees(unit),
        "can_edit": can_edit_unit(request.user, unit),
        "tolerance_percent": int(tolerance() * 100),
    }
    return render(request, "goals/guarantee_list.html", context)


def _write(request, form, unit, guarantee=None):
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: guarantee_save(
                guarantee=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Servicegarantin är sparad."))
            return redirect("goals:guarantee_list", pk=unit.pk)
    context = {"form": form, "unit": unit, "guarantee": guarantee, "conflict": outcome.conflict}
    return render(request, "goals/guarantee_form.html", context, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def guarantee_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_view(request, pk)
    if not can_edit_unit(request.user, unit):
        raise refusal(Cap.EDIT, unit)
    form = GuaranteeForm(request.POST or None, instance=ServiceGuarantee(unit=unit))
    return _write(request, form, unit)


@login_required
@require_http_methods(["GET", "POST"])
def guarantee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    guarantee = get_object_or_404(ServiceGuarantee.objects.select_related("unit"), pk=pk)
    if not can_edit_unit(request.user, guarantee.unit):
        raise refusal(Cap.EDIT, guarantee.unit)
    form = GuaranteeForm(request.POST or None, instance=guarantee)
    return _write(request, form, guarantee.unit, guarantee)
