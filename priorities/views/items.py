"""A proposal's fact sheet (faktaunderlag): writing it, with and without htmx (the
panel beside the worksheet), reading it with its history, and removing a draft."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from goals.access import can_edit_goal
from ledmot.conflicts import conflict_context
from ledmot.history import build_entries
from ledmot.lib.forms import add_validation_error
from ledmot.services import ConflictError, LockedError
from priorities.access import (
    ItemLocked,
    can_decide_item,
    can_edit_item,
    can_view_overview,
    can_view_worksheet,
    get_item_for_edit,
    get_item_for_view,
    get_worksheet_for_edit,
    worksheet_is_open,
)
from priorities.budget import budget_of
from priorities.forms import ActivitiesForm, DecisionForm, ItemForm
from priorities.models import (
    DECISION_SYMBOLS,
    Decision,
    ItemIndicator,
    PriorityItem,
    Worksheet,
    WorksheetStatus,
)
from priorities.ranking import rank_rule_text
from priorities.services import item_delete, item_save
from priorities.views.common import is_fragment
from priorities.views.worksheet import worksheet_context


def _bound_from(form: ItemForm) -> QueryDict:
    """The form's current values as posted data (to show what a submission lacks)."""
    data = QueryDict(mutable=True)
    for bf in form:
        value = bf.value()
        if value in (None, False, ""):
            continue
        if isinstance(value, list | tuple):
            data.setlist(bf.html_name, [str(v) for v in value])
        elif value is True:
            data[bf.html_name] = "on"
        else:
            data[bf.html_name] = str(value)
    return data


def _item_form_context(form: ItemForm, item: PriorityItem, **extra) -> dict:
    # Once the form has been validated the item holds the posted assessments: the live
    # preview of the rank they give.
    validated = getattr(form, "cleaned_data", None) is not None
    suggestion = form.instance.compute_suggested_rank() if validated else item.suggested_rank
    return {
        "form": form,
        "item": item if item.pk else None,
        "worksheet": item.worksheet,
        "round": item.worksheet.round,
        "suggestion": suggestion,
        "rank_rule": rank_rule_text(),
        "cost_fields": [
            form[f"cost_{n}"]
            for n in ("budget", "plan1", "plan2", "plan3")
            if f"cost_{n}" in form.fields
        ],
        "indicator_rows": [(form[a], form[b]) for a, b in form.indicator_rows],
        **extra,
    }


def _render_item_form(request, context, status=200) -> HttpResponse:
    if is_fragment(request):
        response = render(request, "priorities/item_form.html#item-form", context, status=status)
        return reswap(retarget(response, "#factsheet-panel"), "innerHTML")
    return render(request, "priorities/item_form.html", context, status=status)


def _after_item_save(request, worksheet: Worksheet, note: str) -> HttpResponse:
    if is_fragment(request):
        worksheet = Worksheet.objects.select_related("round__scope", "committee").get(
            pk=worksheet.pk
        )
        context = worksheet_context(request, worksheet, note=note)
        response = render(request, "priorities/worksheet.html#worksheet-body", context)
        return reswap(retarget(response, "#worksheet-body"), "outerHTML")
    messages.success(request, note)
    return redirect("priorities:worksheet", pk=worksheet.round_id, code=worksheet.committee.code)


def _saved_note(item: PriorityItem) -> str:
    if item.missing():
        return _("”%(title)s” är sparat som utkast. Uppgifter saknas innan det kan lämnas in.") % {
            "title": item.title
        }
    return _("”%(title)s” är sparat och klart för inlämning.") % {"title": item.title}


def _save_item(request, form: ItemForm, item: PriorityItem, *, creating: bool) -> HttpResponse:
    """Validate and save a fact sheet; the answer as for every form of the app."""
    conflict = None
    if form.is_valid():
        try:
            item_save(
                item=form.instance,
                user=request.user,
                expected_version=None if creating else form.cleaned_data.get("version"),
                goals=list(form.cleaned_data["goals"]),
                indicators=form.indicator_changes,
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc.current)
        except LockedError as exc:
            raise PermissionDenied(exc.messages[0]) from exc
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            saved = form.instance
            return _after_item_save(request, saved.worksheet, _saved_note(saved))
    context = _item_form_context(form, item, conflict=conflict)
    return _render_item_form(request, context, status=409 if conflict and not request.htmx else 200)


def _refused(request, exc: ItemLocked) -> HttpResponse:
    """A frozen item's page, saying why it cannot change (403, nothing saved)."""
    messages.error(request, exc.reason)
    return item_page(request, exc.item, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    worksheet = get_worksheet_for_edit(request, pk, code)
    if not worksheet_is_open(worksheet) or worksheet.status != WorksheetStatus.DRAFT:
        raise PermissionDenied(_("Arbetsbladet tar inte emot nya förslag."))
    item = PriorityItem(worksheet=worksheet)
    strict = bool(request.POST.get("klar"))
    form = ItemForm(request.POST or None, instance=item, strict=strict)
    if request.method == "POST":
        return _save_item(request, form, item, creating=True)
    return _render_item_form(request, _item_form_context(form, item))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = get_item_for_edit(request, pk)
    except ItemLocked as exc:
        return _refused(request, exc)
    if request.method == "POST":
        form = ItemForm(request.POST, instance=item, strict=bool(request.POST.get("klar")))
        return _save_item(request, form, item, creating=False)
    form = ItemForm(instance=item)
    checking = bool(request.GET.get("klar"))
    if checking:
        # Show what a submission lacks, beside each field, without saving anything.
        form = ItemForm(_bound_from(form), instance=item, strict=True)
        form.is_valid()
    return _render_item_form(request, _item_form_context(form, item, checking=checking))


@login_required
@require_POST
def item_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = get_item_for_edit(request, pk)
    except ItemLocked as exc:
        return _refused(request, exc)
    worksheet = item.worksheet
    try:
        item_delete(item=item, user=request.user)
    except LockedError as exc:
        raise PermissionDenied(exc.messages[0]) from exc
    messages.success(request, _("”%(title)s” är borttaget.") % {"title": item.title})
    return redirect("priorities:worksheet", pk=worksheet.round_id, code=worksheet.committee.code)


def _item_history(item: PriorityItem):
    entries = build_entries(
        PriorityItem, item.history.select_related("history_user"), skip=("version", "order")
    )
    links = ItemIndicator.history.filter(item_id=item.pk).select_related(
        "history_user", "indicator"
    )
    link_entries = build_entries(ItemIndicator, links, subject_attr="indicator")
    return sorted(entries + link_entries, key=lambda e: e.when, reverse=True)


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_view(request, pk)
    return item_page(request, item)


def _activities_form(user, item: PriorityItem, goals) -> ActivitiesForm | None:
    """The goals an adopted satsning may still get an activity under, if the user may
    edit any of them; else None."""
    editable = [g.pk for g in goals if can_edit_goal(user, g)]
    if item.decision != Decision.ADOPTED or item.is_reducing or not editable:
        return None
    done = set(item.activities.values_list("goal_id", flat=True))
    return ActivitiesForm(goals=item.goals.filter(pk__in=editable).exclude(pk__in=done))


def item_page(request, item, decision_form=None, status=200) -> HttpResponse:
    """The fact sheet page (also shown again with an invalid decision form)."""
    user = request.user
    goals = list(item.goals.select_related("owner").order_by("level", "order", "pk"))
    budget = budget_of(item.worksheet.committee, item.worksheet.round.year)
    context = {
        "item": item,
        "worksheet": item.worksheet,
        "round": item.worksheet.round,
        "goals": goals,
        "indicator_links": list(item.indicator_links.select_related("indicator")),
        "costs": list(zip(item.worksheet.round.years, item.costs(), strict=True)),
        "rank_rule": rank_rule_text(),
        "budget": budget,
        "cost_share": budget and budget.share(item.cost_budget),
        "can_edit": can_edit_item(user, item),
        "can_decide": can_decide_item(user, item),
        # Links only to the pages the user may open (a committee's editor or approver
        # reads its items but not the round's overview, which is the scope's).
        "can_overview": can_view_overview(user, item.worksheet.round),
        "can_worksheet": can_view_worksheet(user, item.worksheet),
        "decision_form": decision_form
        or DecisionForm(initial={"version": item.version, "decided_on": None}),
        "activities": list(item.activities.select_related("goal", "owner")),
        "activities_form": _activities_form(user, item, goals),
        "entries": _item_history(item),
        "symbols": DECISION_SYMBOLS,
        "next": request.GET.get("next", ""),
    }
    return render(request, "priorities/item_detail.html", context, status=status)
