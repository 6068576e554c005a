"""A committee's worksheet: its proposals in a sortable table, the Excel export and
submitting the worksheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ledmot.lib.forms import posted_version
from ledmot.services import ConflictError, LockedError
from priorities import exports
from priorities.access import (
    can_edit_item,
    can_edit_worksheet,
    can_view_overview,
    get_worksheet_for_edit,
    get_worksheet_for_view,
    worksheet_is_open,
)
from priorities.models import DECISION_SYMBOLS, ItemStatus, PriorityItem, Worksheet, WorksheetStatus
from priorities.services import worksheet_submit
from priorities.views.common import is_fragment

SORTS = {
    "rang": lambda i: (i.effective_rank or 99, i.order),
    "rubrik": lambda i: i.title.lower(),
    "typ": lambda i: (str(i.get_kind_display()), i.title.lower()),
    "kostnad": lambda i: (i.cost_budget is None, i.cost_budget or 0),
    "forslag": lambda i: (i.suggested_rank or 99, i.order),
    "status": lambda i: (i.status, i.decision),
}
# Lazy: translated in the language of each request, not of the first one.
SORT_LABELS = {
    "rang": gettext_lazy("Rang"),
    "rubrik": gettext_lazy("Förslag"),
    "typ": gettext_lazy("Typ"),
    "forslag": gettext_lazy("Föreslagen rang"),
    "kostnad": gettext_lazy("Kostnad budgetåret"),
    "status": gettext_lazy("Status"),
}


def _sorted_items(worksheet: Worksheet, sort: str) -> tuple[list[PriorityItem], str, bool]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "rang", False
    items = list(worksheet.items.with_effective_rank().order_by("order", "pk"))
    items.sort(key=SORTS[key], reverse=descending)
    return items, key, descending


def _columns(key: str, descending: bool) -> list[dict]:
    """The sortable column heads: the current one says its direction, a click turns it."""
    columns = []
    for name, label in SORT_LABELS.items():
        current = name == key
        columns.append(
            {
                "name": name,
                "label": label,
                "current": current,
                "aria": ("descending" if descending else "ascending") if current else "",
                "next": f"-{name}" if current and not descending else name,
            }
        )
    return columns


def worksheet_context(request, worksheet: Worksheet, **extra) -> dict:
    items, key, descending = _sorted_items(worksheet, request.GET.get("sort", "rang"))
    total = [0] * (worksheet.round.plan_years + 1)
    for item in items:
        item.problems = item.missing() if item.status == ItemStatus.DRAFT else {}
        item.editable = can_edit_item(request.user, item)
        for i, cost in enumerate(item.costs()):
            total[i] += cost or 0
    editable = can_edit_worksheet(request.user, worksheet)
    can_add = (
        editable and worksheet_is_open(worksheet) and worksheet.status == WorksheetStatus.DRAFT
    )
    columns = _columns(key, descending)
    drafts = [i for i in items if i.status == ItemStatus.DRAFT]
    return {
        "worksheet": worksheet,
        "round": worksheet.round,
        "items": items,
        "totals": total,
        "years": worksheet.round.years,
        "columns": columns,
        "ncols": len(columns) + worksheet.round.plan_years,
        "sort": f"{'-' if descending else ''}{key}",
        "editable": editable,
        "can_add": can_add,
        "can_submit": (editable and bool(drafts)) or can_add,
        "drafts": drafts,
        "can_overview": can_view_overview(request.user, worksheet.round),
        "symbols": DECISION_SYMBOLS,
        **extra,
    }


@login_required
@require_GET
def worksheet_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    worksheet = get_worksheet_for_view(request, pk, code)
    context = worksheet_context(request, worksheet)
    if request.GET.get("export") == "xlsx":
        return exports.items_workbook(
            worksheet.round,
            context["items"],
            filename=f"arbetsblad-{worksheet.round.pk}-{worksheet.committee.code.lower()}.xlsx",
        )
    if is_fragment(request) and request.GET.get("del") == "tabell":
        return render(request, "priorities/worksheet.html#item-table", context)
    return render(request, "priorities/worksheet.html", context)


@login_required
@require_POST
def worksheet_submit_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    worksheet = get_worksheet_for_edit(request, pk, code)
    try:
        worksheet_submit(
            worksheet=worksheet, user=request.user, expected_version=posted_version(request.POST)
        )
    except ConflictError:
        messages.error(
            request, _("Arbetsbladet har ändrats av någon annan. Läs det och försök igen.")
        )
    except LockedError as exc:
        raise PermissionDenied(exc.messages[0]) from exc
    except ValidationError as exc:
        messages.error(request, _("Arbetsbladet kan inte lämnas in ännu. Det här saknas:"))
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Arbetsbladet är inlämnat till omgången."))
    return redirect("priorities:worksheet", pk=pk, code=code)
