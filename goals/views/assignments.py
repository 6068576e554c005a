"""Assignments (uppdrag): the list, writing one (for those who manage the giving unit),
and its page with its history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from goals.access import (
    can_edit_assignment,
    can_give_assignments,
    get_assignment_for_edit,
    get_assignment_for_view,
)
from goals.assignments import STATUS_FILTERS, assignment_list
from goals.forms import AssignmentForm
from goals.services import assignment_save
from goals.views.lists import PAGE_SIZE
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.history import history_entries
from ledmot.models import OrgUnit


@login_required
@require_GET
def assignments(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    giver = owner = None
    if (raw := request.GET.get("givare", "")).isdigit():
        giver = get_object_or_404(OrgUnit, pk=int(raw))
    if (raw := request.GET.get("enhet", "")).isdigit():
        owner = get_object_or_404(OrgUnit, pk=int(raw))
    page = Paginator(assignment_list(status=status, giver=giver, owner=owner), PAGE_SIZE)
    page = page.get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    context = {
        "rows": page.object_list,
        "page": page,
        "filter_query": query.urlencode(),
        "status": status,
        "giver": giver,
        "owner": owner,
        "today": timezone.localdate(),
        "can_create": can_give_assignments(request.user),
    }
    return render(request, "goals/assignment_list.html", context)


@login_required
@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_view(request, pk)
    tab = "history" if request.GET.get("flik") == "historik" else "overview"
    context = {
        "assignment": assignment,
        "tab": tab,
        "entries": history_entries(assignment) if tab == "history" else [],
        "can_edit": can_edit_assignment(request.user, assignment),
        "overdue": assignment.is_overdue(),
    }
    return render(request, "goals/assignment_detail.html", context)


def _write(request, form, assignment=None):
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: assignment_save(
                assignment=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Uppdraget är sparat."))
            return redirect("goals:assignment_detail", pk=outcome.saved.pk)
    return render(
        request,
        "goals/assignment_form.html",
        {"form": form, "assignment": assignment, "conflict": outcome.conflict},
        status=outcome.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request: HttpRequest) -> HttpResponse:
    if not can_give_assignments(request.user):
        raise PermissionDenied(
            _("Du kan inte ge uppdrag: det gör den som ändrar för KF eller en nämnd.")
        )
    initial = {}
    if (raw := request.GET.get("mal", "")).isdigit():
        initial["goal"] = int(raw)
    return _write(request, AssignmentForm(request.POST or None, user=request.user, initial=initial))


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_edit(request, pk)
    form = AssignmentForm(request.POST or None, instance=assignment, user=request.user)
    return _write(request, form, assignment)
