"""Follow-up rounds: the list, opening one, closing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from followup.access import can_manage_rounds, get_round_for_manage
from followup.forms import RoundForm
from followup.round_list import round_list as round_list_for
from followup.services import interim_warnings, round_close, round_open
from ledmot.access import Cap, refusal
from ledmot.lib.forms import add_validation_error


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    """Own reports first, then those waiting for the person's approval, then the rounds
    with their counts: the reports themselves are listed on each round's dashboard."""
    listing = round_list_for(request.user, today=timezone.localdate())
    return render(
        request,
        "followup/round_list.html",
        {
            "mine": listing.mine,
            "waiting": listing.waiting,
            "waiting_count": listing.waiting_count,
            "waiting_per_round": listing.waiting_per_round,
            "rounds": listing.rounds,
            "can_manage": can_manage_rounds(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_rounds(request.user):
        raise refusal(Cap.MANAGE, at_root=True)
    form = RoundForm(request.POST or None)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warnings = interim_warnings(data["kind"], data["period_end"], data["council_date"])
        if not warnings or request.POST.get("confirm"):
            try:
                rnd = round_open(
                    kind=data["kind"],
                    year=data["period_end"].year,
                    period_end=data["period_end"],
                    deadline=data["deadline"],
                    council_date=data["council_date"],
                    scope=list(data["scope"]),
                    user=request.user,
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(round)s är öppnad med %(n)s rapporter.")
                    % {"round": rnd, "n": rnd.reports.count()},
                )
                return redirect("followup:round_dashboard", pk=rnd.pk)
    return render(request, "followup/round_form.html", {"form": form, "warnings": warnings})


@login_required
@require_POST
def round_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round_for_manage(request, pk)
    round_close(rnd=rnd, user=request.user)
    messages.success(request, _("Uppföljningen är stängd. Rapporterna är låsta."))
    return redirect("followup:round_dashboard", pk=rnd.pk)
