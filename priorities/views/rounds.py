"""Rounds: the list, opening a round, changing it and sending it to review."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ledmot.access import Cap, access_for, refusal
from ledmot.conflicts import conflict_context
from ledmot.lib.forms import add_validation_error, posted_version
from ledmot.services import ConflictError, LockedError
from priorities.access import (
    can_manage_round,
    can_open_rounds,
    can_view_overview,
    get_round_for_manage,
    manageable_scopes,
)
from priorities.forms import RoundForm
from priorities.models import PriorityRound, Worksheet
from priorities.rules import round_lock_reason
from priorities.services import round_edit, round_open, round_start_review


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access = access_for(user)
    rounds = list(PriorityRound.objects.visible_to(user).select_related("scope"))
    sheets = defaultdict(list)
    for ws in (
        Worksheet.objects.filter(round__in=rounds)
        .filter(access.units_q(Cap.VIEW, field="committee"))
        .select_related("committee")
        .order_by("committee__order", "committee__name")
    ):
        sheets[ws.round_id].append(ws)
    rows = [
        {
            "round": r,
            "worksheets": sheets.get(r.pk, []),
            "can_overview": can_view_overview(user, r),
            "can_manage": can_manage_round(user, r),
        }
        for r in rounds
    ]
    return render(
        request,
        "priorities/round_list.html",
        {"rows": rows, "can_open": can_open_rounds(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    scopes = manageable_scopes(request.user)
    if not scopes.exists():
        raise refusal(Cap.MANAGE)
    form = RoundForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = round_open(
                title=data["title"],
                year=data["year"],
                plan_years=data["plan_years"],
                scope=data["scope"],
                resource_frame=data["resource_frame"],
                deadline=data["deadline"],
                description=data["description"],
                user=request.user,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(round)s är öppnad med %(n)s arbetsblad.")
                % {"round": rnd, "n": rnd.worksheets.count()},
            )
            return redirect("priorities:overview", pk=rnd.pk)
    return render(request, "priorities/round_form.html", {"form": form, "round": None})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round_for_manage(request, pk)
    if reason := round_lock_reason(rnd):
        raise PermissionDenied(reason)
    form = RoundForm(request.POST or None, instance=rnd, scopes=manageable_scopes(request.user))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            round_edit(
                rnd=form.instance, user=request.user, expected_version=form.cleaned_data["version"]
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc.current)
        except LockedError as exc:
            raise PermissionDenied(exc.messages[0]) from exc
        else:
            messages.success(request, _("Omgången är sparad."))
            return redirect("priorities:overview", pk=rnd.pk)
    return render(
        request,
        "priorities/round_form.html",
        {"form": form, "round": rnd, "conflict": conflict},
    )


@login_required
@require_POST
def round_review(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round_for_manage(request, pk)
    try:
        round_start_review(
            rnd=rnd, user=request.user, expected_version=posted_version(request.POST)
        )
    except ConflictError:
        messages.error(request, _("Omgången har ändrats av någon annan. Försök igen."))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(
            request,
            _("Omgången är stängd för nya förslag. De inlämnade förslagen kan nu beslutas."),
        )
    return redirect("priorities:overview", pk=rnd.pk)
