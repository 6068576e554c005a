"""Resultat: entering the values of the period due for the indicators one is responsible for.

A controller's roles cover every indicator of the municipality, so the page shows one
unit's indicators (the unit and those below it: the user's own most specific unit, or the
first committee for a role on the council, unless another is chosen) one page at a time,
the empty cells first. Saving posts the rows of the page shown; the query string (unit,
page, period) is kept across the save.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
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
    in_entry_order,
    mark_changed,
    mark_locked,
    typed_after_end,
)
from goals.services import ValuesChanged, ValuesLocked, measurements_save
from goals.views.lists import _paged, _query_without
from ledmot.access import Cap, access_for, refusal
from ledmot.models import OrgUnit


def _editable_indicators(user):
    return (
        Indicator.objects.filter(access_for(user).units_q(Cap.EDIT, field="responsible_unit"))
        .select_related("responsible_unit", "latest")
        .order_by("responsible_unit__path", "name")
    )


def _scopes(user) -> list[OrgUnit]:
    """The units the chooser offers: those the user holds a role to enter values on and,
    for a role on the council, the units directly under it (the committees)."""
    access = access_for(user)
    mine = [g for g in access.grants if Cap.EDIT in g.caps]
    q = Q(pk__in=[g.unit_id for g in mine]) | Q(
        parent_id__in=[g.unit_id for g in mine if g.path.count("/") == 1], active=True
    )
    if access.is_superuser:
        q |= Q(parent__isnull=True) | Q(parent__parent__isnull=True, active=True)
    return list(OrgUnit.objects.filter(q).order_by("path"))


def _scope(request: HttpRequest, scopes: list[OrgUnit]) -> OrgUnit | None:
    """The unit chosen with ``?enhet=`` (any unit the user may enter values for, also one
    further down than those offered), or :func:`_default_scope`. A unit the user may not
    enter values for is refused (403), an unknown one is not found."""
    raw = request.GET.get("enhet", "")
    if not raw:
        return _default_scope(request.user, scopes)
    if not raw.isdigit():
        raise Http404
    unit = next((u for u in scopes if u.pk == int(raw)), None)
    if unit is None:
        unit = OrgUnit.objects.filter(pk=raw).first()
        if unit is None:
            raise Http404
        if not access_for(request.user).can(Cap.EDIT, unit):
            raise refusal(Cap.EDIT, unit)
        scopes.append(unit)  # a unit further down, reached by a link: offered while chosen
    return unit


def _default_scope(user, scopes: list[OrgUnit]) -> OrgUnit | None:
    """The narrowest sensible scope: the most specific unit the user holds an editing role
    on; for a role on the council (the whole municipality), the first committee under it,
    so that the page opens on one committee's indicators and the others are one choice
    away."""
    by_pk = {u.pk: u for u in scopes}
    home = access_for(user).home_unit_ids()
    unit = next((by_pk[pk] for pk in home if pk in by_pk), scopes[0] if scopes else None)
    if unit is not None and unit.parent_id is None:
        return next((u for u in scopes if u.parent_id == unit.pk), unit)
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest) -> HttpResponse:
    """The indicators of the chosen unit the user is responsible for, a page at a time,
    with the cells of the period due."""
    user = request.user
    scopes = _scopes(user)
    scope = _scope(request, scopes)
    context = {
        "scopes": scopes,
        "scope": scope,
        "filter_query": _query_without(request, "sida"),
        "period_query": request.GET.get("period", ""),
    }
    override = None
    raw = request.GET.get("period", "")
    if raw:
        try:
            override = ReportingPeriod.entered(raw)
        except ValueError:
            messages.error(request, _("Okänd period: %(p)s") % {"p": raw})
    today = timezone.localdate()
    if request.method == "POST":
        indicators = _posted_indicators(user, request.POST)
        periods = _posted_periods(request.POST, indicators)
        rows = build_rows(list(indicators.values()), today, periods=periods)
        context["rows"] = rows
        values = bind(rows, request.POST)
        if ended := typed_after_end(request.POST, periods, indicators):
            # Ended while the page was open: say so rather than drop what was typed.
            for message in ended:
                messages.error(request, message)
            return render(request, "goals/results.html", context)
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
            return render(request, "goals/results.html", context)
        try:
            saved = measurements_save(values=values, user=user, reason=_("Inmatat"))
        except ValuesLocked as exc:
            mark_locked(rows, exc)
            messages.error(request, _("Inget har sparats."))
            return render(request, "goals/results.html", context)
        except ValuesChanged as exc:
            mark_changed(rows, exc)
            messages.error(request, changed_message())
            return render(request, "goals/results.html", context)
        messages.success(
            request,
            ngettext("%(n)s värde sparat.", "%(n)s värden sparade.", len(saved))
            % {"n": len(saved)},
        )
        return redirect(request.get_full_path())
    if scope is None:
        return render(request, "goals/results.html", {**context, "rows": []})
    page = _paged(
        request,
        in_entry_order(
            _editable_indicators(user).filter(responsible_unit__path__startswith=scope.path),
            today,
            override=override,
        ),
    )
    rows = build_rows(page.object_list, today, override=override)
    return render(request, "goals/results.html", {**context, "rows": rows, "page": page})


def _posted_indicators(user, data) -> dict[int, Indicator]:
    """The indicators a posted form names (its ``p-`` fields) that the user may enter
    values for: only those, not every indicator the user's roles cover."""
    pks = {int(key[2:]) for key in data if key.startswith("p-") and key[2:].isdigit()}
    return {i.pk: i for i in _editable_indicators(user).filter(pk__in=pks)}


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
