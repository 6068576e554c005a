"""Resultat: entering the values of the period due for the indicators one is responsible for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from goals.models import Indicator
from goals.periods import ReportingPeriod
from goals.results import (
    bind,
    build_rows,
    changed_message,
    mark_changed,
    mark_locked,
    typed_after_end,
)
from goals.services import ValuesChanged, ValuesLocked, measurements_save
from ledmot.access import Cap, access_for


def _editable_indicators(user):
    return (
        Indicator.objects.filter(access_for(user).units_q(Cap.EDIT, field="responsible_unit"))
        .select_related("responsible_unit", "latest")
        .order_by("responsible_unit__path", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest) -> HttpResponse:
    """The indicators the user is responsible for, with the cells of the period due."""
    user = request.user
    indicators = list(_editable_indicators(user))
    override = None
    raw = request.GET.get("period", "")
    if raw:
        try:
            override = ReportingPeriod.entered(raw)
        except ValueError:
            messages.error(request, _("Okänd period: %(p)s") % {"p": raw})
    today = timezone.localdate()
    if request.method == "POST":
        periods = _posted_periods(request.POST, {i.pk: i for i in indicators})
        rows = build_rows([i for i in indicators if i.pk in periods], today, periods=periods)
        values = bind(rows, request.POST)
        if ended := typed_after_end(request.POST, periods, {i.pk: i for i in indicators}):
            # Ended while the page was open: say so rather than drop what was typed.
            for message in ended:
                messages.error(request, message)
            return render(request, "goals/results.html", {"rows": rows})
        errors = sum(1 for r in rows for c in r.cells if c.error)
        errors += sum(1 for r in rows if r.comment_error)
        if errors:
            messages.error(
                request,
                ngettext(
                    "%(n)s värde behöver rättas. Inget har sparats.",
                    "%(n)s värden behöver rättas. Inget har sparats.",
                    errors,
                )
                % {"n": errors},
            )
            return render(request, "goals/results.html", {"rows": rows})
        try:
            saved = measurements_save(values=values, user=user, reason=_("Inmatat"))
        except ValuesLocked as exc:
            mark_locked(rows, exc)
            messages.error(request, _("Inget har sparats."))
            return render(request, "goals/results.html", {"rows": rows})
        except ValuesChanged as exc:
            mark_changed(rows, exc)
            messages.error(request, changed_message())
            return render(request, "goals/results.html", {"rows": rows})
        messages.success(
            request,
            ngettext("%(n)s värde sparat.", "%(n)s värden sparade.", len(saved))
            % {"n": len(saved)},
        )
        return redirect(request.get_full_path())
    rows = build_rows(indicators, today, override=override)
    return render(request, "goals/results.html", {"rows": rows})


def _posted_periods(data, editable: dict[int, Indicator]) -> dict[int, ReportingPeriod]:
    """The indicators a posted form is about, with the period each row was for.

    A form naming an indicator outside the user's roles, or a period that does
    not fit the indicator, is a crafted request: refuse all of it.
    """
    periods = {}
    for key, raw in data.items():
        if not key.startswith("p-"):
            continue
        pk = int(key[2:]) if key[2:].isdigit() else None
        if pk not in editable:
            raise PermissionDenied
        try:
            period = ReportingPeriod.entered(raw)
        except ValueError:
            raise PermissionDenied from None
        if period.kind != editable[pk].frequency:
            raise PermissionDenied
        periods[pk] = period
    return periods
