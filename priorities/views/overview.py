"""The political overview: every submitted proposal across the committees in rank
order, the frame line and chart, the effect per goal, filters and the Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from priorities import exports
from priorities.access import can_decide, can_manage_round, get_round_for_overview
from priorities.models import DECISION_SYMBOLS, ItemKind
from priorities.overview import chart, filtered, mark_frame_line, overview_data
from priorities.ranking import frame_rule_text


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round_for_overview(request, pk)
    exporting = request.GET.get("export") == "xlsx"
    data = overview_data(rnd, full=exporting)
    kinds = [k for k in request.GET.getlist("typ") if k in ItemKind.values]
    shown, committee = filtered(data, kinds=kinds, code=request.GET.get("namnd", ""))
    if exporting:
        return exports.items_workbook(
            rnd, shown, filename=f"prioriteringar-{rnd.pk}.xlsx", counted_only=True
        )
    mark_frame_line(shown, data["result"])
    context = {
        "round": rnd,
        **data,
        "shown": shown,
        "kinds": ItemKind.choices,
        "chosen_kinds": kinds,
        "committee": committee,
        "chart": chart(rnd, data["result"]),
        "frame_rule": frame_rule_text(),
        "can_decide": can_decide(request.user, rnd),
        "can_manage": can_manage_round(request.user, rnd),
        "symbols": DECISION_SYMBOLS,
        "export_query": request.GET.urlencode(),
        "filtered": bool(kinds or committee),
    }
    return render(request, "priorities/overview.html", context)
