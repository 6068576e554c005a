"""The organisation tree: add, rename, re-code, move, deactivate and delete units."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ledmot import rules
from ledmot.access import Cap
from ledmot.history import history_entries
from ledmot.lib.forms import add_validation_error
from ledmot.models import PATH_SEPARATOR, OrgKind, OrgUnit, RoleAssignment
from ledmot.orgadmin.access import administered_units, get_unit_for_admin, require_admin
from ledmot.orgadmin.forms import SuccessorForm, UnitCreateForm, UnitEditForm, UnitMoveForm
from ledmot.services import (
    org_unit_create,
    org_unit_delete,
    org_unit_move,
    org_unit_save,
    org_unit_set_active,
)


class TreeRow(NamedTuple):
    pk: int
    name: str
    code: str
    kind: str
    depth: int
    active: bool


def tree_rows(units) -> list[TreeRow]:
    """The tree screen's rows: plain tuples read in one query, the kind's label looked up
    once per kind (the whole organisation is one page: thousands of rows at large size)."""
    kinds = {value: str(label) for value, label in OrgKind.choices}
    return [
        TreeRow(pk, name, code, kinds.get(kind, kind), path.count(PATH_SEPARATOR) - 1, active)
        for pk, name, code, kind, path, active in units.values_list(
            "pk", "name", "code", "kind", "path", "active"
        )
    ]


@login_required
@require_GET
def unit_tree(request: HttpRequest) -> HttpResponse:
    access = require_admin(request)
    show_inactive = request.GET.get("avvecklade") == "1"
    units = administered_units(access)
    if not show_inactive:
        units = units.filter(active=True)
    return render(
        request,
        "orgadmin/unit_tree.html",
        {
            "rows": tree_rows(units),
            "show_inactive": show_inactive,
            "whole": access.can_at_root(Cap.ADMINISTER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    access = require_admin(request)
    units = administered_units(access)
    initial = {}
    if parent_pk := request.GET.get("under"):
        initial["parent"] = units.filter(pk=parent_pk).first() if parent_pk.isdigit() else None
    form = UnitCreateForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = org_unit_create(unit=form.instance, user=request.user)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(unit)s är tillagd.") % {"unit": unit.name})
            return redirect("orgadmin:unit_page", unit.pk)
    return render(request, "orgadmin/unit_create.html", {"form": form})


def _detail_page(request, access, unit, *, form=None, move_form=None, status=200):
    units = administered_units(access)
    roles = (
        RoleAssignment.objects.filter(org_unit=unit)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )
    context = {
        "unit": unit,
        "form": form or UnitEditForm(instance=unit),
        "move_form": move_form or UnitMoveForm(unit=unit, units=units),
        "can_move": access.can(Cap.ADMINISTER, unit.parent) if unit.parent_id else False,
        "deactivate_block": rules.unit_deactivate_block(unit) if unit.active else None,
        "open_work": rules.open_work([unit.pk]) if unit.active else [],
        "successor_form": SuccessorForm(unit=unit, units=units),
        "delete_refusal": rules.unit_delete_refusal(unit),
        "children": unit.children.order_by("order", "name"),
        "roles": roles,
        "history": history_entries(unit)[:50],
    }
    return render(request, "orgadmin/unit_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's page: its name, code and order (edited here), its place in the tree,
    the roles held on it, and its history."""
    access, unit = get_unit_for_admin(request, pk)
    form = None
    if request.method == "POST":
        form = UnitEditForm(request.POST, instance=unit)
        if form.is_valid():
            try:
                org_unit_save(unit=form.instance, user=request.user)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("%(unit)s är sparad.") % {"unit": unit.name})
                return redirect("orgadmin:unit_page", unit.pk)
        unit = OrgUnit.objects.select_related("parent").get(pk=unit.pk)
    return _detail_page(request, access, unit, form=form)


@login_required
@require_POST
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    access, unit = get_unit_for_admin(request, pk)
    form = UnitMoveForm(request.POST, unit=unit, units=administered_units(access))
    if form.is_valid():
        try:
            org_unit_move(unit=unit, parent=form.cleaned_data["parent"], user=request.user)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(unit)s ligger nu under %(parent)s, med allt som hör till den.")
                % {"unit": unit.name, "parent": form.cleaned_data["parent"].name},
            )
            return redirect("orgadmin:unit_page", unit.pk)
    return _detail_page(request, access, unit, move_form=form)


@login_required
@require_POST
def unit_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate a unit; deactivating one with open work names the unit
    that takes it over (``successor``)."""
    access, unit = get_unit_for_admin(request, pk)
    active = request.POST.get("active") == "1"
    successor = None
    if not active and "successor" in request.POST:
        form = SuccessorForm(request.POST, unit=unit, units=administered_units(access))
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("orgadmin:unit_page", unit.pk)
        successor = form.cleaned_data["successor"]
    try:
        org_unit_set_active(unit=unit, active=active, user=request.user, successor=successor)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        done = _("%(unit)s är återaktiverad.") if active else _("%(unit)s är avvecklad.")
        messages.success(request, done % {"unit": unit.name})
    return redirect("orgadmin:unit_page", unit.pk)


@login_required
@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _access, unit = get_unit_for_admin(request, pk)
    try:
        org_unit_delete(unit=unit, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("orgadmin:unit_page", unit.pk)
    messages.success(request, _("%(unit)s är borttagen.") % {"unit": unit.name})
    return redirect("orgadmin:unit_tree")
