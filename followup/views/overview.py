"""The politician's overview (Röda tråden's tab "Översikt") and the goals behind each of
its numbers. Read models in :mod:`followup.overview`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from followup.overview import counted_rows, overview_rounds, pick_round
from followup.overview import overview as overview_of
from followup.overview import overview_goals as goals_of
from goals.fulfilment import SYMBOLS, Assessment
from ledmot.models import OrgKind, OrgUnit

PER_PAGE = 50


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Adopted goals and the assessments of submitted reports are public to every
    signed-in user (Röda tråden shows them too), so everyone sees the whole overview."""
    rounds = overview_rounds()
    rnd = pick_round(rounds, request.GET.get("omgang"))
    context = {
        "rounds": rounds,
        "round": rnd,
        "overview": overview_of(rnd) if rnd else None,
        "symbols": SYMBOLS,
    }
    return render(request, "followup/overview.html", context)


@login_required
@require_GET
def overview_goals(request: HttpRequest) -> HttpResponse:
    """The goals one number of the overview counts: ``omgang`` (the round), ``namnd``
    (a committee's code; none: the whole municipality), ``bedomning`` (an assessment;
    none: every assessment). A value that names nothing is ignored."""
    rounds = overview_rounds()
    rnd = pick_round(rounds, request.GET.get("omgang"))
    code = request.GET.get("namnd", "")
    group = (
        OrgUnit.objects.filter(code=code, kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY]).first()
        if code
        else None
    )
    assessment = request.GET.get("bedomning", "")
    assessment = assessment if assessment in Assessment.values else None
    goals, counted = goals_of(request.user, rnd, group, assessment) if rnd else ([], {})
    # Only the page's goals are read: the whole municipality's list holds every goal.
    page = Paginator(goals, PER_PAGE).get_page(request.GET.get("sida"))
    params = {"omgang": rnd.pk if rnd else "", "namnd": group.code if group else ""}
    params["bedomning"] = assessment or ""
    context = {
        "round": rnd,
        "group": group,
        "assessment": assessment,
        "assessment_label": Assessment(assessment).label if assessment else "",
        "symbol": SYMBOLS[assessment] if assessment else "",
        "count": page.paginator.count,
        "page": page,
        "goals": counted_rows(page.object_list, counted),
        "filter_query": urlencode({k: v for k, v in params.items() if v}),
    }
    return render(request, "followup/overview_goals.html", context)
