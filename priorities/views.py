"""Priority screens: rounds, a committee's worksheet, the fact sheet, the political
overview with the frame chart, and decisions."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from goals.access import can_edit_goal
from ledmot.access import Cap, access_for
from ledmot.conflicts import conflict_context
from ledmot.history import build_entries
from ledmot.lib.forms import add_validation_error, posted_version
from ledmot.lib.pdf import render_pdf
from ledmot.services import ConflictError
from priorities import exports
from priorities.access import (
    can_decide,
    can_decide_item,
    can_edit_item,
    can_edit_worksheet,
    can_manage_round,
    can_open_rounds,
    can_view_overview,
    get_item_for_decision,
    get_item_for_edit,
    get_item_for_view,
    get_round_for_manage,
    get_round_for_overview,
    get_worksheet_for_edit,
    get_worksheet_for_view,
    manageable_scopes,
    worksheet_is_open,
)
from priorities.charts import frame_chart
from priorities.forms import ActivitiesForm, DecisionForm, ItemForm, RoundForm
from priorities.models import (
    Decision,
    ItemIndicator,
    ItemKind,
    ItemStatus,
    LockedError,
    PriorityItem,
    PriorityRound,
    RoundStatus,
    Worksheet,
    WorksheetStatus,
)
from priorities.ranking import frame_line, frame_rule_text, rank_rule_text, suggested_rank
from priorities.services import (
    item_create_activities,
    item_decide,
    item_delete,
    item_save,
    round_edit,
    round_open,
    round_start_review,
    worksheet_submit,
)

DECISION_SYMBOLS = {
    "": "○",
    Decision.ADOPTED: "✓",
    Decision.REJECTED: "✗",
    Decision.TABLED: "‖",
    Decision.REFERRED_BACK: "↩",
}


def _is_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


# --------------------------------------------------------------------------- rounds


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
        raise PermissionDenied
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
    if rnd.is_decided:
        raise PermissionDenied(_("Omgången är beslutad och kan inte ändras."))
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


# --------------------------------------------------------------------------- overview


# What the overview does not show: left out of its query (the exports load everything).
LONG_TEXTS = (
    "description",
    "target_group",
    "situation",
    "consequences_citizens",
    "consequences_staff",
    "consequences_equality",
    "consequences_children",
    "risks",
    "rank_reason",
    "decision_note",
)


def mark_frame_line(items, result) -> None:
    """Set ``line_before`` on the first of ``items`` that does not fit in the frame."""
    for item in items:
        item.line_before = False
    if result.line_after is None:
        return
    first = next((i for i in items if i.position and i.position > result.line_after), None)
    if first is not None:
        first.line_before = True


def overview_data(rnd: PriorityRound, *, full: bool = False) -> dict:
    """Everything the overview, its export and the decision basis PDF show, in a fixed
    number of queries: the submitted items in rank order with the frame line, the
    worksheets, and the expected effect per goal."""
    items = list(
        PriorityItem.objects.in_round(rnd)
        .filter(Q(status=ItemStatus.SUBMITTED) | Q(decision=Decision.REFERRED_BACK))
        .select_related("worksheet__committee")
        .defer(*([] if full else LONG_TEXTS))
        .ranked()
    )
    # Rejected items, and items sent back to their committee, do not count against the frame.
    counted = [
        i for i in items if i.status == ItemStatus.SUBMITTED and i.decision != Decision.REJECTED
    ]
    result = frame_line(counted, rnd.resource_frame)
    by_item = {r.item.pk: r for r in result.rows}
    positions = {}
    for pos, row in enumerate(result.rows, start=1):
        positions[row.item.pk] = pos
    for item in items:
        item.frame_row = by_item.get(item.pk)
        item.position = positions.get(item.pk)
    worksheets = list(
        rnd.worksheets.select_related("committee").order_by("committee__order", "committee__name")
    )
    goals: dict[int, dict] = {}
    items_by_pk = {i.pk: i for i in counted}
    links = (
        PriorityItem.goals.through.objects.filter(priorityitem__in=list(items_by_pk))
        .order_by("goal__level", "goal__order", "goal__pk")
        .values_list("priorityitem_id", "goal_id", "goal__title", "goal__owner__name")
    )
    for item_id, goal_id, title, owner in links:
        item = items_by_pk[item_id]
        g = goals.setdefault(
            goal_id,
            {"pk": goal_id, "title": title, "owner": owner, "items": 0, "effect": 0, "cost": 0,
             "within": 0, "adopted": 0},
        )  # fmt: skip
        g["items"] += 1
        g["effect"] += item.effect or 0
        g["cost"] += item.cost_budget or 0
        g["within"] += 1 if item.frame_row and item.frame_row.within else 0
        g["adopted"] += 1 if item.decision == Decision.ADOPTED else 0
    decisions = Counter(i.decision for i in items)
    return {
        "items": items,
        "result": result,
        "worksheets": worksheets,
        "goal_effects": list(goals.values()),
        "decision_counts": [
            (DECISION_SYMBOLS[value], label, decisions.get(value, 0))
            for value, label in [("", _("Ej beslutade")), *Decision.choices]
        ],
        "submitted_count": sum(1 for w in worksheets if w.status == WorksheetStatus.SUBMITTED),
    }


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round_for_overview(request, pk)
    data = overview_data(rnd, full=request.GET.get("export") == "xlsx")
    kinds = [k for k in request.GET.getlist("typ") if k in ItemKind.values]
    code = request.GET.get("namnd", "")
    committee = next((w.committee for w in data["worksheets"] if w.committee.code == code), None)
    shown = [
        i
        for i in data["items"]
        if (not kinds or i.kind in kinds)
        and (committee is None or i.worksheet.committee == committee)
    ]
    if request.GET.get("export") == "xlsx":
        return exports.items_workbook(rnd, shown, filename=f"prioriteringar-{rnd.pk}.xlsx")
    result = data["result"]
    mark_frame_line(shown, result)
    context = {
        "round": rnd,
        **data,
        "shown": shown,
        "kinds": ItemKind.choices,
        "chosen_kinds": kinds,
        "committee": committee,
        "chart": frame_chart(
            result,
            title=_("Sammanlagd nettokostnad mot resursramen, %(round)s") % {"round": rnd},
            label_of=lambda i: f"{i.title} ({i.worksheet.committee.code})",
        ),
        "frame_rule": frame_rule_text(),
        "can_decide": can_decide(request.user, rnd),
        "can_manage": can_manage_round(request.user, rnd),
        "symbols": DECISION_SYMBOLS,
        "export_query": request.GET.urlencode(),
        "filtered": bool(kinds or committee),
    }
    return render(request, "priorities/overview.html", context)


# --------------------------------------------------------------------------- worksheet

SORTS = {
    "rang": lambda i: (i.effective_rank or 99, i.order),
    "rubrik": lambda i: i.title.lower(),
    "typ": lambda i: (str(i.get_kind_display()), i.title.lower()),
    "kostnad": lambda i: (i.cost_budget is None, i.cost_budget or 0),
    "forslag": lambda i: (i.suggested_rank or 99, i.order),
    "status": lambda i: (i.status, i.decision),
}
SORT_LABELS = {
    "rang": _("Rang"),
    "rubrik": _("Förslag"),
    "typ": _("Typ"),
    "forslag": _("Föreslagen rang"),
    "kostnad": _("Kostnad budgetåret"),
    "status": _("Status"),
}


def _sorted_items(worksheet: Worksheet, sort: str) -> tuple[list[PriorityItem], str, bool]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "rang", False
    items = list(worksheet.items.with_effective_rank().order_by("order", "pk"))
    items.sort(key=SORTS[key], reverse=descending)
    return items, key, descending


def _worksheet_context(request, worksheet: Worksheet, **extra) -> dict:
    sort = request.GET.get("sort", "rang")
    items, key, descending = _sorted_items(worksheet, sort)
    total = [0] * (worksheet.round.plan_years + 1)
    for item in items:
        item.problems = item.missing() if item.status == ItemStatus.DRAFT else {}
        item.editable = can_edit_item(request.user, item)
        for i, cost in enumerate(item.costs()):
            total[i] += cost or 0
    editable = can_edit_worksheet(request.user, worksheet)
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
        "can_add": editable
        and worksheet_is_open(worksheet)
        and worksheet.status == WorksheetStatus.DRAFT,
        "can_submit": editable
        and any(i.status == ItemStatus.DRAFT for i in items)
        or (
            editable and worksheet_is_open(worksheet) and worksheet.status == WorksheetStatus.DRAFT
        ),
        "drafts": [i for i in items if i.status == ItemStatus.DRAFT],
        "can_overview": can_view_overview(request.user, worksheet.round),
        "symbols": DECISION_SYMBOLS,
        **extra,
    }


@login_required
@require_GET
def worksheet_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    worksheet = get_worksheet_for_view(request, pk, code)
    context = _worksheet_context(request, worksheet)
    if request.GET.get("export") == "xlsx":
        return exports.items_workbook(
            worksheet.round,
            _with_committee(context["items"], worksheet),
            filename=f"arbetsblad-{worksheet.round.pk}-{worksheet.committee.code.lower()}.xlsx",
        )
    if _is_fragment(request) and request.GET.get("del") == "tabell":
        return render(request, "priorities/worksheet.html#item-table", context)
    return render(request, "priorities/worksheet.html", context)


def _with_committee(items, worksheet):
    for item in items:
        item.worksheet = worksheet
    return items


@login_required
@require_POST
def worksheet_submit_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    worksheet = get_worksheet_for_edit(request, pk, code)
    try:
        worksheet_submit(
            worksheet=worksheet,
            user=request.user,
            expected_version=posted_version(request.POST),
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


# --------------------------------------------------------------------------- fact sheets


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
    cleaned = getattr(form, "cleaned_data", None) or {}
    suggestion = (
        suggested_rank(
            cleaned.get("kind"),
            cleaned.get("severity"),
            cleaned.get("effect"),
            cleaned.get("cost_effect"),
            cleaned.get("evidence"),
        )
        if cleaned
        else item.suggested_rank
    )
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
    if _is_fragment(request):
        response = render(request, "priorities/item_form.html#item-form", context, status=status)
        return reswap(retarget(response, "#factsheet-panel"), "innerHTML")
    return render(request, "priorities/item_form.html", context, status=status)


def _after_item_save(request, worksheet: Worksheet, note: str) -> HttpResponse:
    if _is_fragment(request):
        worksheet = Worksheet.objects.select_related("round__scope", "committee").get(
            pk=worksheet.pk
        )
        context = _worksheet_context(request, worksheet, note=note)
        response = render(request, "priorities/worksheet.html#worksheet-body", context)
        return reswap(retarget(response, "#worksheet-body"), "outerHTML")
    messages.success(request, note)
    return redirect("priorities:worksheet", pk=worksheet.round_id, code=worksheet.committee.code)


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
        else:
            saved = form.instance
            if saved.missing():
                note = _(
                    "”%(title)s” är sparat som utkast. Uppgifter saknas innan det kan lämnas in."
                ) % {"title": saved.title}
            else:
                note = _("”%(title)s” är sparat och klart för inlämning.") % {"title": saved.title}
            return _after_item_save(request, saved.worksheet, note)
    context = _item_form_context(form, item, conflict=conflict)
    return _render_item_form(request, context, status=409 if conflict and not request.htmx else 200)


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
    item = get_item_for_edit(request, pk)
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
    item = get_item_for_edit(request, pk)
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
    return _item_page(request, item)


def _item_page(request, item, decision_form=None, status=200) -> HttpResponse:
    user = request.user
    goals = list(item.goals.select_related("owner").order_by("level", "order", "pk"))
    can_create = (
        item.decision == Decision.ADOPTED
        and not item.is_reducing
        and any(can_edit_goal(user, g) for g in goals)
    )
    done = set(item.activities.values_list("goal_id", flat=True))
    context = {
        "item": item,
        "worksheet": item.worksheet,
        "round": item.worksheet.round,
        "goals": goals,
        "indicator_links": list(item.indicator_links.select_related("indicator")),
        "costs": list(zip(item.worksheet.round.years, item.costs(), strict=True)),
        "rank_rule": rank_rule_text(),
        "can_edit": can_edit_item(user, item),
        "can_decide": can_decide_item(user, item),
        "decision_form": decision_form
        or DecisionForm(initial={"version": item.version, "decided_on": None}),
        "activities": list(item.activities.select_related("goal", "owner")),
        "activities_form": ActivitiesForm(
            goals=item.goals.filter(pk__in=[g.pk for g in goals if can_edit_goal(user, g)]).exclude(
                pk__in=done
            )
        )
        if can_create
        else None,
        "entries": _item_history(item),
        "symbols": DECISION_SYMBOLS,
        "next": request.GET.get("next", ""),
    }
    return render(request, "priorities/item_detail.html", context, status=status)


@login_required
@require_POST
def item_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_decision(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, decision_form=form)
    data = form.cleaned_data
    try:
        item_decide(
            item=item,
            user=request.user,
            decision=data["decision"],
            decided_on=data["decided_on"],
            paragraph=data["paragraph"],
            reference=data["reference"],
            note=data["note"],
            expected_version=data["version"],
        )
    except ConflictError:
        messages.error(request, _("Förslaget har ändrats av någon annan. Läs det och försök igen."))
        return redirect("priorities:item_detail", pk=item.pk)
    except LockedError as exc:
        raise PermissionDenied(exc.messages[0]) from exc
    except ValidationError as exc:
        add_validation_error(form, exc)
        return _item_page(request, item, decision_form=form)
    item.refresh_from_db()
    messages.success(
        request,
        _("Beslutet är registrerat: %(title)s – %(decision)s.")
        % {"title": item.title, "decision": Decision(data["decision"]).label.lower()},
    )
    rnd = PriorityRound.objects.get(pk=item.worksheet.round_id)
    if rnd.status == RoundStatus.DECIDED:
        messages.success(request, _("Alla förslag är beslutade. Omgången är avslutad och låst."))
    if request.POST.get("next") == "oversikt":
        return redirect(reverse("priorities:overview", args=[rnd.pk]) + f"#objekt-{item.pk}")
    return redirect("priorities:item_detail", pk=item.pk)


@login_required
@require_POST
def item_activities(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_view(request, pk)
    editable = [g for g in item.goals.select_related("owner") if can_edit_goal(request.user, g)]
    if not editable or item.decision != Decision.ADOPTED or item.is_reducing:
        raise PermissionDenied
    form = ActivitiesForm(request.POST, goals=item.goals.filter(pk__in=[g.pk for g in editable]))
    if not form.is_valid():
        messages.error(request, _("Välj minst ett mål."))
        return redirect("priorities:item_detail", pk=item.pk)
    created = item_create_activities(item=item, user=request.user, goals=form.cleaned_data["goals"])
    messages.success(
        request,
        ngettext(
            "%(n)s aktivitet är skapad under målet.",
            "%(n)s aktiviteter är skapade under målen.",
            len(created),
        )
        % {"n": len(created)},
    )
    return redirect(reverse("priorities:item_detail", args=[item.pk]) + "#aktiviteter")


# --------------------------------------------------------------------------- PDF


def _pdf_context(request, rnd: PriorityRound, items) -> dict:
    goals, indicators = exports.item_labels(items)
    for item in items:
        item.pdf_goals = goals.get(item.pk, [])
        item.pdf_indicators = indicators.get(item.pk, [])
        item.pdf_costs = list(zip(rnd.years, item.costs(), strict=True))
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
    """The decision basis (beslutsunderlag): summary, ranked table, frame chart, then one
    fact sheet per proposal, rendered like the report PDFs (nothing fetched)."""
    rnd = get_round_for_overview(request, pk)
    data = overview_data(rnd, full=True)
    mark_frame_line(data["items"], data["result"])
    context = {
        **_pdf_context(request, rnd, data["items"]),
        **data,
        "chart": frame_chart(
            data["result"],
            title=_("Sammanlagd nettokostnad mot resursramen, %(round)s") % {"round": rnd},
            label_of=lambda i: f"{i.title} ({i.worksheet.committee.code})",
        ),
        "frame_rule": frame_rule_text(),
    }
    pdf = render_pdf("priorities/pdf_basis.html", context, pdfa=bool(request.GET.get("pdfa")))
    return _pdf_response(pdf, f"beslutsunderlag-{rnd.pk}.pdf")


@login_required
@require_GET
def item_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal's fact sheet (faktaunderlag) as PDF."""
    item = get_item_for_view(request, pk)
    rnd = item.worksheet.round
    context = {**_pdf_context(request, rnd, [item]), "item": item}
    pdf = render_pdf("priorities/pdf_item.html", context, pdfa=bool(request.GET.get("pdfa")))
    return _pdf_response(pdf, f"faktaunderlag-{item.pk}.pdf")
