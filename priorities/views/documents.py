"""The PDF documents: the decision basis (beslutsunderlag) of a round and one
proposal's fact sheet, rendered like the report PDFs (nothing fetched)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ledmot.lib.pdf import html_to_pdf, render_html, render_pdf
from priorities import exports
from priorities.access import get_item_for_view, get_round_for_overview
from priorities.budget import budget_of
from priorities.models import DECISION_SYMBOLS, PriorityRound
from priorities.overview import chart, mark_frame_line, overview_data
from priorities.ranking import frame_rule_text


def _pdf_context(request, rnd: PriorityRound, items) -> dict:
    goals, indicators = exports.item_labels(items)
    budgets = {}  # the committee's budget, as on the fact sheet's page: one lookup each
    for item in items:
        item.pdf_goals = goals.get(item.pk, [])
        item.pdf_indicators = indicators.get(item.pk, [])
        item.pdf_costs = list(zip(rnd.years, item.costs(), strict=True))
        committee = item.worksheet.committee
        if committee.pk not in budgets:
            budgets[committee.pk] = budget_of(committee, rnd.year)
        item.pdf_budget = budgets[committee.pk]
        item.pdf_cost_share = item.pdf_budget and item.pdf_budget.share(item.cost_budget)
    user = request.user
    return {
        "round": rnd,
        "municipality": settings.LEDMOT_MUNICIPALITY_NAME,
        "generated_at": timezone.localtime(),
        "generated_by": user.get_full_name() or user.get_username(),
        "symbols": DECISION_SYMBOLS,
    }


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def round_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision basis: summary, ranked table, frame chart, then one fact sheet per
    proposal."""
    rnd = get_round_for_overview(request, pk)
    data = overview_data(rnd, full=True)
    mark_frame_line(data["items"], data["result"])
    context = {
        **_pdf_context(request, rnd, data["items"]),
        **data,
        "chart": chart(rnd, data["result"]),
        "frame_rule": frame_rule_text(),
    }
    pdf = _kept_pdf("priorities/pdf_basis.html", context, pdfa=bool(request.GET.get("pdfa")))
    return _pdf_response(pdf, f"beslutsunderlag-{rnd.pk}.pdf")


def _kept_pdf(template_name: str, context: dict, *, pdfa: bool) -> bytes:
    """The decision basis made once per content and kept (laying out a round of a few
    hundred proposals takes seconds): the file is named by a hash of the document as
    rendered without who made it and when, so any change to what it shows makes a new
    one, and asking again serves the kept file (with its first maker and time)."""
    unsigned = render_html(template_name, {**context, "generated_at": None, "generated_by": ""})
    digest = hashlib.sha256(unsigned.encode()).hexdigest()
    name = f"beslutsunderlag/{digest}{'-pdfa' if pdfa else ''}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as f:
            return f.read()
    pdf = html_to_pdf(render_html(template_name, context), pdfa=pdfa)
    default_storage.save(name, ContentFile(pdf))
    return pdf


@login_required
@require_GET
def item_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal's fact sheet (faktaunderlag) as PDF."""
    item = get_item_for_view(request, pk)
    rnd = item.worksheet.round
    context = {**_pdf_context(request, rnd, [item]), "item": item}
    pdf = render_pdf("priorities/pdf_item.html", context, pdfa=bool(request.GET.get("pdfa")))
    return _pdf_response(pdf, f"faktaunderlag-{item.pk}.pdf")
