"""Publicering: the council's controllers choose what the public portal shows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followup.models import FollowUpRound, GeneratedReport, RoundStatus
from ledmot.models import JobStatus
from portal.access import check_publish
from portal.services import report_publication_set, round_publication_set


def _rounds():
    reports = GeneratedReport.objects.filter(status=JobStatus.DONE).exclude(file="")
    return (
        FollowUpRound.objects.filter(status=RoundStatus.CLOSED)
        .select_related("kind", "publication")
        .prefetch_related(
            Prefetch(
                "generated_reports",
                queryset=reports.select_related("publication", "org_unit").order_by(
                    "-created_at", "-pk"
                ),
            )
        )
        .order_by("-period_end", "kind__order", "pk")
    )


def _id(value) -> int:
    """A posted id; anything else finds nothing (404), never a server error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _published(obj) -> bool:
    publication = getattr(obj, "publication", None)
    return bool(publication and publication.published)


@login_required
@require_http_methods(["GET", "POST"])
def publishing(request: HttpRequest) -> HttpResponse:
    check_publish(request)
    if request.method == "POST":
        publish = request.POST.get("publish") == "1"
        try:
            if "report" in request.POST:
                report = get_object_or_404(GeneratedReport, pk=_id(request.POST["report"]))
                report_publication_set(report=report, published=publish, user=request.user)
                done = _("Rapporten är publicerad.") if publish else _("Rapporten är avpublicerad.")
            else:
                rnd = get_object_or_404(FollowUpRound, pk=_id(request.POST.get("round")))
                round_publication_set(rnd=rnd, published=publish, user=request.user)
                done = (
                    _("Uppföljningens resultat är publicerade.")
                    if publish
                    else _("Uppföljningens resultat är avpublicerade.")
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
        return redirect("portal:publishing")
    rounds = list(_rounds())
    for rnd in rounds:
        rnd.is_published = _published(rnd)
        for report in rnd.generated_reports.all():
            report.is_published = _published(report)
    return render(request, "portal/publishing.html", {"rounds": rounds})
