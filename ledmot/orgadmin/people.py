"""People: the list (search, filter by unit and role, paged), a person's page with the
roles and what they cover, adding people, deactivating them (never deleting: history
keeps their name), and giving and taking roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ledmot.access import Cap
from ledmot.history import history_entries
from ledmot.lib.forms import add_validation_error
from ledmot.lib.xlsx import sheets_response
from ledmot.models import OrgUnit, RoleAssignment
from ledmot.orgadmin.access import (
    administered_units,
    get_person_for_admin,
    people_for,
    require_admin,
)
from ledmot.orgadmin.exports import role_sheet
from ledmot.orgadmin.forms import PersonCreateForm, PersonFilterForm, PersonForm, RoleGrantForm
from ledmot.services import person_create, person_save, person_set_active, role_grant, role_revoke

PAGE_SIZE = 50
# How many units below a role the person's page lists as covered by inheritance.
INHERITED_SHOWN = 100


def _roles(queryset=None):
    qs = RoleAssignment.objects.select_related("org_unit").order_by("org_unit__path", "role")
    return Prefetch("role_assignments", queryset=qs if queryset is None else queryset)


def _held_q(unit, role) -> Q:
    """Roles on ``unit`` or below it, of ``role``; either may be None."""
    q = Q()
    if unit:
        q &= Q(org_unit__path__startswith=unit.path)
    if role:
        q &= Q(role=role)
    return q


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    """The people list; ``?export=xlsx`` gives, with the same filters, the auditor's list
    of who holds which role where (in the user's part of the tree)."""
    access = require_admin(request)
    form = PersonFilterForm(request.GET or None, units=administered_units(access))
    people = people_for(access)
    data = form.cleaned_data if form.is_valid() else {}
    if q := data.get("q"):
        for word in q.split():
            people = people.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
    unit, role = data.get("unit"), data.get("role")
    if unit or role:
        held = RoleAssignment.objects.filter(_held_q(unit, role), user=OuterRef("pk"))
        people = people.filter(Exists(held))
    active = data.get("active", "")
    if active == "":
        people = people.filter(is_active=True)
    elif active == "nej":
        people = people.filter(is_active=False)
    if request.GET.get("export") == "xlsx":
        assignments = RoleAssignment.objects.filter(
            _held_q(unit, role),
            access.units_q(Cap.ADMINISTER, field="org_unit"),
            user__in=people.values("pk"),
        )
        return sheets_response(_("roller.xlsx"), [role_sheet(assignments)])
    people = people.order_by("last_name", "first_name", "username").prefetch_related(_roles())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("sida"))
    params = [(k, v) for k, vs in request.GET.lists() for v in vs if k != "sida" and v]
    return render(
        request,
        "orgadmin/person_list.html",
        {"form": form, "page": page, "filter_query": urlencode(params)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request: HttpRequest) -> HttpResponse:
    access = require_admin(request)
    form = PersonCreateForm(
        request.POST or None,
        units=administered_units(access),
        unit_required=not access.can_at_root(Cap.ADMINISTER),
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(
                person=form.instance,
                user=request.user,
                password=form.cleaned_data["password"],
                unit=form.cleaned_data.get("unit"),
                role=form.cleaned_data.get("role") or "",
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s är tillagd.") % {"name": person.get_full_name()})
            return redirect("orgadmin:person_detail", person.pk)
    return render(request, "orgadmin/person_create.html", {"form": form})


def _covered(assignments) -> dict[int, list[OrgUnit]]:
    """For each of the person's roles, the units below its unit that it covers by
    inheritance (the first ``INHERITED_SHOWN``): one query for all roles."""
    paths = {a.org_unit.path for a in assignments}
    if not paths:
        return {}
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    below = list(OrgUnit.objects.filter(q).exclude(path__in=paths).only("name", "path", "code"))
    return {
        a.pk: [u for u in below if u.path.startswith(a.org_unit.path)][:INHERITED_SHOWN]
        for a in assignments
    }


def _person_page(request, access, person, *, form=None, grant_form=None, status=200):
    assignments = list(
        RoleAssignment.objects.filter(user=person)
        .select_related("org_unit")
        .order_by("org_unit__path", "role")
    )
    covered = _covered(assignments)
    rows = [
        {
            "assignment": a,
            "covered": covered.get(a.pk, []),
            "can_change": access.can(Cap.ADMINISTER, a.org_unit),
        }
        for a in assignments
    ]
    context = {
        "person": person,
        "rows": rows,
        "form": form or PersonForm(instance=person),
        "grant_form": grant_form or RoleGrantForm(units=administered_units(access)),
        "local_password": person.has_usable_password(),
        "is_self": person.pk == request.user.pk,
        "inherited_shown": INHERITED_SHOWN,
        # A row without a visible change (a new password) says nothing to the reader.
        "history": [e for e in history_entries(person) if e.kind != "~" or e.changes or e.reason][
            :50
        ],
    }
    return render(request, "orgadmin/person_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access, person = get_person_for_admin(request, pk)
    form = None
    if request.method == "POST":
        form = PersonForm(request.POST, instance=person)
        if form.is_valid():
            try:
                person_save(person=form.instance, user=request.user)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("Uppgifterna är sparade."))
                return redirect("orgadmin:person_detail", person.pk)
        person = get_user_model()._default_manager.get(pk=person.pk)
    return _person_page(request, access, person, form=form)


@login_required
@require_POST
def person_set_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    _access, person = get_person_for_admin(request, pk)
    active = request.POST.get("active") == "1"
    person_set_active(person=person, active=active, user=request.user)
    name = person.get_full_name() or person.get_username()
    done = _("%(name)s är aktiverad igen.") if active else _("%(name)s är avaktiverad.")
    messages.success(request, done % {"name": name})
    return redirect("orgadmin:person_detail", person.pk)


@login_required
@require_POST
def role_grant_view(request: HttpRequest, pk: int) -> HttpResponse:
    access, person = get_person_for_admin(request, pk)
    form = RoleGrantForm(request.POST, units=administered_units(access))
    if form.is_valid():
        unit, role = form.cleaned_data["unit"], form.cleaned_data["role"]
        try:
            assignment = role_grant(person=person, unit=unit, role=role, user=request.user)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s har nu rollen %(role)s på %(unit)s.")
                % {
                    "name": person.get_full_name() or person.get_username(),
                    "role": assignment.get_role_display().lower(),
                    "unit": unit.name,
                },
            )
            return redirect("orgadmin:person_detail", person.pk)
    return _person_page(request, access, person, grant_form=form)


@login_required
@require_POST
def role_revoke_view(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    _access, person = get_person_for_admin(request, pk)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("org_unit", "user"), pk=role_pk, user=person
    )
    role_revoke(assignment=assignment, user=request.user)
    messages.success(
        request,
        _("Rollen %(role)s på %(unit)s är borttagen.")
        % {"role": assignment.get_role_display().lower(), "unit": assignment.org_unit.name},
    )
    return redirect("orgadmin:person_detail", person.pk)
