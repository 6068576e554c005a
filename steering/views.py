"""Screens of the steering document register: the register (filter, export), a
document's page and history, writing a draft, recording the decision, a new version,
and the document's file."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goals.views.lists import PAGE_SIZE
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.history import history_entries
from ledmot.lib.forms import PICK, follow_pick, posted_version
from ledmot.lib.xlsx import workbook_response
from ledmot.models import OrgUnit
from ledmot.services import ConflictError, LockedError
from steering import exports, rules
from steering.access import (
    can_create_documents,
    can_decide_document,
    can_edit_document,
    get_document_for_decision,
    get_document_for_edit,
    get_document_for_view,
    owner_units,
)
from steering.forms import DecisionForm, DocumentForm
from steering.models import DocumentKind, DocumentStatus, SteeringDocument
from steering.services import document_decide, document_delete, document_revise, document_save

STATUS_FILTERS = {
    "gallande": [DocumentStatus.DECIDED],
    "utkast": [DocumentStatus.DRAFT],
    "ersatta": [DocumentStatus.REPLACED],
    "alla": list(DocumentStatus),
}


def review_days() -> int:
    return settings.LEDMOT_STEERING_REVIEW_DAYS_BEFORE


def register_queryset(request, *, kind: str, owner, status: str, due: bool, today):
    qs = SteeringDocument.objects.visible_to(request.user).filter(status__in=STATUS_FILTERS[status])
    if kind:
        qs = qs.filter(kind=kind)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if due:
        qs = qs.due_for_review(today, review_days())
    return qs.select_related("owner").order_by("review_on", "title")


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    kind = request.GET.get("typ", "")
    if kind not in DocumentKind.values:
        kind = ""
    status = request.GET.get("status", "gallande")
    if status not in STATUS_FILTERS:
        status = "gallande"
    owner = None
    if (raw := request.GET.get("agare", "")).isdigit():
        owner = OrgUnit.objects.filter(pk=int(raw)).first()
    due = request.GET.get("revidering") == "1"
    qs = register_queryset(request, kind=kind, owner=owner, status=status, due=due, today=today)
    due_ids = set(
        SteeringDocument.objects.visible_to(request.user)
        .due_for_review(today, review_days())
        .values_list("pk", flat=True)
    )
    if request.GET.get("export") == "xlsx":
        return workbook_response(
            "styrdokument.xlsx",
            _("Styrdokument"),
            exports.register_columns(),
            exports.register_rows(qs.prefetch_related("goals"), due_ids=due_ids),
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    export_query = query.copy()
    export_query["export"] = "xlsx"
    context = {
        "page": page,
        "rows": page.object_list,
        "filter_query": query.urlencode(),
        "export_query": export_query.urlencode(),
        "kinds": DocumentKind.choices,
        "kind": kind,
        "status": status,
        "owner": owner,
        "owners": OrgUnit.objects.filter(kind__in=rules.OWNER_KINDS, active=True).order_by("path"),
        "due": due,
        "due_ids": due_ids,
        "due_count": len(due_ids),
        "review_days": review_days(),
        "today": today,
        "can_create": can_create_documents(request.user),
    }
    return render(request, "steering/register.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_view(request, pk)
    tab = "history" if request.GET.get("flik") == "historik" else "overview"
    today = timezone.localdate()
    context = {
        "document": document,
        "tab": tab,
        "entries": history_entries(document) if tab == "history" else [],
        "goals": document.goals.select_related("owner").order_by("title"),
        "revisions": document.revisions.order_by("-pk"),
        "can_edit": can_edit_document(request.user, document),
        "can_decide": can_decide_document(request.user, document),
        "due": (
            document.status == DocumentStatus.DECIDED
            and document.review_on is not None
            and document.review_on <= today + datetime.timedelta(days=review_days())
        ),
        "editable_after_decision": rules.EDITABLE_AFTER_DECISION,
    }
    return render(request, "steering/detail.html", context)


def _write(request, form, document=None):
    outcome = NOT_SAVED
    if request.method == "POST" and PICK in request.POST:
        # the owner changed: its goals, nothing saved (htmx: only the goals' fieldset)
        form = form.repicked()
        if request.htmx:
            return render(request, "steering/_goals.html", {"form": form})
    elif request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: document_save(
                document=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
                goals=form.cleaned_data.get("goals"),
                uploaded=form.cleaned_data.get("upload"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Styrdokumentet är sparat."))
            return redirect("steering:detail", pk=outcome.saved.pk)
    # the owner first, when there is a choice (a decided document's is fixed)
    owner = form.fields["owner"]
    choose_owner = not owner.disabled and owner.queryset.count() > 1
    if choose_owner:
        follow_pick(form, path=request.path, target="document-goals")
    context = {
        "form": form,
        "document": document,
        "conflict": outcome.conflict,
        "pick": PICK,
        "choose_owner": choose_owner,
    }
    return render(request, "steering/form.html", context, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not can_create_documents(request.user):
        raise PermissionDenied(
            _("Du kan inte lägga in styrdokument: det gör den som ändrar för KF eller en nämnd.")
        )
    form = DocumentForm(
        request.POST or None, request.FILES or None, user=request.user, owner=_owner(request)
    )
    return _write(request, form)


def _owner(request):
    """The owner chosen before the form: ``?agare=`` if the user writes for it, or the
    only owner the user writes for; None when the user is to choose."""
    owners = owner_units(request.user)
    raw = request.GET.get("agare", "")
    if raw.isdigit() and (chosen := owners.filter(pk=int(raw)).first()):
        return chosen
    only = list(owners[:2])
    return only[0] if len(only) == 1 else None


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_edit(request, pk)
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=document, user=request.user
    )
    return _write(request, form, document)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_decision(request, pk)
    if document.status != DocumentStatus.DRAFT:
        messages.error(request, _("%(title)s är redan beslutat.") % {"title": document.title})
        return redirect("steering:detail", pk=document.pk)
    initial = {
        "version": document.version,
        "decided_by": document.owner.name,
        "review_on": document.review_on,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_decide(
                document=document,
                user=request.user,
                expected_version=data.get("version"),
                decided_by=data["decided_by"],
                decision_reference=data["decision_reference"],
                decided_on=data["decided_on"],
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
                review_on=data.get("review_on"),
            )
        except ConflictError:
            conflict = True
            form.add_error(None, _("Dokumentet har ändrats av någon annan; läs in sidan igen."))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Beslutet är registrerat."))
            return redirect("steering:detail", pk=document.pk)
    return render(
        request,
        "steering/decide.html",
        {"form": form, "document": document},
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_edit(request, pk)
    try:
        draft = document_revise(document=document, user=request.user)
    except LockedError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("steering:detail", pk=document.pk)
    messages.success(request, _("En ny version är skapad som utkast."))
    return redirect("steering:edit", pk=draft.pk)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_edit(request, pk)
    try:
        document_delete(
            document=document, user=request.user, expected_version=posted_version(request.POST)
        )
    except LockedError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("steering:detail", pk=document.pk)
    except ConflictError:
        messages.error(request, _("Dokumentet har ändrats av någon annan; det är inte borttaget."))
        return redirect("steering:detail", pk=document.pk)
    messages.success(request, _("Utkastet är borttaget."))
    return redirect("steering:register")


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's file, always as a download (never shown inline in the app's origin)
    with the content type of its checked type."""
    document = get_document_for_view(request, pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=rules.content_type_for(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
