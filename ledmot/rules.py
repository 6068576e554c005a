"""The rules of the organisation and of people's roles, as plain functions: called by
``OrgUnit.clean()``, the forms, the services (the one write path) and the admin, so
every way in refuses the same thing with the same Swedish message."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ledmot.access import Access, Cap
from ledmot.extensions import OPEN_WORK
from ledmot.models import ALLOWED_PARENT_KINDS, OrgKind, OrgUnit, Role


def unit_parent_error(unit: OrgUnit, parent: OrgUnit | None) -> str | None:
    """Why ``unit`` (of its kind) cannot lie under ``parent``, or None: the council is the
    only root, each kind has the parent kinds it may sit under, and a unit never lies
    under itself or under a unit of its own subtree."""
    if parent is None:
        return None if unit.kind == OrgKind.COUNCIL else _("Välj en överordnad enhet.")
    if parent.kind not in ALLOWED_PARENT_KINDS.get(unit.kind, set()):
        return _("En %(kind)s kan inte ligga under en %(parent)s.") % {
            "kind": unit.get_kind_display(),
            "parent": parent.get_kind_display(),
        }
    if unit.pk and unit.path and parent.path.startswith(unit.path):
        return _("En enhet kan inte ligga under sig själv.")
    if not parent.active:
        return _("%(parent)s är avvecklad; välj en aktiv enhet.") % {"parent": parent.name}
    return None


def open_work(unit_ids: list[int]) -> list[tuple[str, int]]:
    """The work still open on the units (as the apps report it), kinds with none left out."""
    found: list[tuple[str, int]] = []
    for source in OPEN_WORK:
        found.extend((label, n) for label, n in source(unit_ids) if n)
    return found


def unit_deactivate_block(unit: OrgUnit) -> str | None:
    """Why ``unit`` cannot be deactivated whatever happens to its work, or None: it is
    the council, or already deactivated, or active units lie below it (move or
    deactivate them first)."""
    if not unit.active:
        return _("%(unit)s är redan avvecklad.") % {"unit": unit.name}
    if unit.parent_id is None:
        return _("Kommunfullmäktige kan inte avvecklas.")
    active_children = [c.name for c in unit.children.all() if c.active]
    if active_children:
        return ngettext(
            "%(unit)s har en aktiv enhet under sig (%(names)s): flytta eller avveckla den först.",
            "%(unit)s har %(n)d aktiva enheter under sig (%(names)s): flytta eller avveckla "
            "dem först.",
            len(active_children),
        ) % {"unit": unit.name, "n": len(active_children), "names": ", ".join(active_children)}
    return None


def open_work_text(work: list[tuple[str, int]]) -> str:
    return ", ".join(f"{label} ({n})" for label, n in work)


def unit_deactivate_refusal(unit: OrgUnit) -> str | None:
    """Why ``unit`` cannot be deactivated now, or None: :func:`unit_deactivate_block`, or
    work still open on it (to be handed over to another unit or finished first)."""
    if (block := unit_deactivate_block(unit)) is not None:
        return block
    if work := open_work([unit.pk]):
        return _(
            "%(unit)s har arbete som pågår: %(work)s. Välj vilken enhet som tar över det, "
            "eller avsluta det innan enheten avvecklas."
        ) % {"unit": unit.name, "work": open_work_text(work)}
    return None


def successor_error(unit: OrgUnit, successor: OrgUnit) -> str | None:
    """Why ``successor`` cannot take over the open work of ``unit``, or None."""
    if successor.path.startswith(unit.path):
        return _("Välj en enhet utanför den som avvecklas.")
    if not successor.active:
        return _("%(unit)s är avvecklad; välj en aktiv enhet.") % {"unit": successor.name}
    return None


def unit_delete_refusal(unit: OrgUnit) -> str | None:
    """Why ``unit`` cannot be deleted, or None. Only a unit nothing points at may go:
    no units under it and no goals, activities, indicators, reports or other records
    of any year (older goals keep pointing at the unit as it was — deactivate it
    instead). Roles on it go with it."""
    if unit.parent_id is None:
        return _("Kommunfullmäktige kan inte tas bort.")
    used = []
    for rel in OrgUnit._meta.related_objects:
        if rel.related_model in (OrgUnit, OrgUnit.history.model) or rel.name == "role_assignments":
            if rel.related_model is OrgUnit and unit.children.exists():
                used.append(str(OrgUnit._meta.verbose_name_plural))
            continue
        if not (rel.one_to_many or rel.one_to_one) or rel.related_model._meta.auto_created:
            continue
        if rel.related_model.__name__.startswith("Historical"):
            continue
        if rel.related_model._default_manager.filter(**{rel.field.name: unit}).exists():
            used.append(str(rel.related_model._meta.verbose_name_plural))
    if used:
        return _(
            "%(unit)s kan inte tas bort: den har %(what)s. Avveckla den i stället, så finns "
            "den kvar för det som redan hänt."
        ) % {"unit": unit.name, "what": ", ".join(dict.fromkeys(used))}
    return None


# People and roles -------------------------------------------------------------------


def unit_admin_refusal(access: Access, unit: OrgUnit | None) -> str | None:
    """Why the user may not administer ``unit``, or None: it needs the admin role on the
    unit or on a unit above it (an admin of a committee administers its subtree)."""
    if unit is not None and access.can(Cap.ADMINISTER, unit):
        return None
    return _("Du administrerar inte %(unit)s.") % {"unit": unit.name if unit else "–"}


def person_admin_refusal(access: Access, person, unit_paths: list[str]) -> str | None:
    """Why the user may not administer ``person`` (deactivate, change), or None.
    ``unit_paths``: the paths of the units ``person`` holds roles on. An admin of the
    whole municipality administers everyone but superusers (unless one himself); an admin
    of a part administers the people whose every role lies in that part."""
    if person.is_superuser and not access.is_superuser:
        return _("Bara en superanvändare kan ändra en superanvändare.")
    if access.is_superuser or access.can_at_root(Cap.ADMINISTER):
        return None
    scope = access.paths(Cap.ADMINISTER)
    if unit_paths and all(any(p.startswith(s) for s in scope) for p in unit_paths):
        return None
    return _("%(person)s har roller utanför den del av organisationen du administrerar.") % {
        "person": person.get_full_name() or person.get_username()
    }


def role_change_refusal(access: Access, *, person, unit: OrgUnit, role: str) -> str | None:
    """Why the user may not give or take ``role`` on ``unit`` for ``person``, or None."""
    if (refusal := unit_admin_refusal(access, unit)) is not None:
        return refusal
    if person.is_superuser and not access.is_superuser:
        return _("Bara en superanvändare kan ändra en superanvändare.")
    if role not in Role.values:
        return _("Välj en roll.")
    return None


def self_change_refusal(user, person, *, role: str | None = None) -> str | None:
    """An administrator does not lock himself out: he neither deactivates himself nor
    takes his own admin role (another administrator does that)."""
    if person.pk != user.pk:
        return None
    if role is None:
        return _("Du kan inte avaktivera dig själv.")
    if role == Role.ADMIN:
        return _("Du kan inte ta bort din egen administratörsroll.")
    return None
