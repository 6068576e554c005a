"""Writes shared by every app: optimistic locking and history attribution; and the
one write path of the organisation, people and their roles."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from ledmot import rules
from ledmot.access import Cap, access_for
from ledmot.extensions import OPEN_WORK_TRANSFERS
from ledmot.models import OrgUnit, Role, RoleAssignment, SecurityEvent, SecurityEventKind


class ConflictError(Exception):
    """Someone else saved the object after the editor loaded it."""

    def __init__(self, current):
        super().__init__(_("Objektet har ändrats av någon annan."))
        self.current = current


class LockedError(ValidationError):
    """The thing is frozen (a closed round, an approved report, a decided item): the write
    is refused with a message that says what froze it. Raised inside the service function
    that every path (screen, import, admin, command) calls."""


def _attribute(obj, user, reason: str):
    obj._history_user = user
    if reason:
        obj._change_reason = reason


def attributed_save(obj, *, user, reason: str = ""):
    """Save a row that has no version, with the acting user in its history."""
    _attribute(obj, user, reason)
    obj.save()
    return obj


def attributed_delete(obj, *, user, reason: str = "") -> None:
    """Delete a row with the acting user (and reason) in its history."""
    _attribute(obj, user, reason)
    obj.delete()


@transaction.atomic
def versioned_save(obj, *, user, expected_version: int | None, reason: str = ""):
    """Save ``obj`` if nobody saved it since ``expected_version``; bump its version.

    The row is locked while checking, so two simultaneous saves cannot both pass.
    A new object (no pk) is simply created at version 1.
    """
    if obj.pk is not None:
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(current)
        obj.version = current.version + 1
    _attribute(obj, user, reason)
    obj.save()
    return obj


@transaction.atomic
def versioned_delete(obj, *, user, expected_version: int, reason: str = "") -> None:
    """Delete ``obj`` if nobody saved it since ``expected_version`` (the version the
    person saw when they chose to delete it): a delete from a stale page would remove
    what someone else saved meanwhile, unseen."""
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if current.version != expected_version:
        raise ConflictError(current)
    attributed_delete(current, user=user, reason=reason)


# The organisation and people's roles ------------------------------------------------
# One function per kind of write. Each checks, inside its transaction, that the acting
# user administers what the write touches (``user=None``: a command or the demo acting
# as the system), so a screen, an import and a posted form with edited ids are refused
# alike; each writes its history with the user and a reason.


def _require(refusal: str | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal)


def _administers(user, unit) -> None:
    if user is not None:
        _require(rules.unit_admin_refusal(access_for(user), unit))


def _person_paths(person) -> list[str]:
    return list(RoleAssignment.objects.filter(user=person).values_list("org_unit__path", flat=True))


def _administers_person(user, person) -> None:
    if user is not None:
        _require(rules.person_admin_refusal(access_for(user), person, _person_paths(person)))


def _request_address() -> str | None:
    """The address of the request being answered, if any (``None`` for a command).

    simple_history's ``HistoryRequestMiddleware``, which every request passes, keeps the
    request for the length of it so that history rows know their user; the security
    events read its address from the same place, by the rule the lockout uses
    (``ledmot.lockout.client_ip``). Passing the address through every caller (screens,
    the roles workbook, single sign-on) would be one more argument that a new caller
    could forget; this way no write path can leave it out.
    """
    from ledmot.lockout import client_ip

    request = getattr(HistoricalRecords.context, "request", None)
    return client_ip(request) if request is not None else None


def _security_event(kind: str, *, user, person=None, unit: OrgUnit | None = None, role=""):
    """Record a change of who may do what (``SecurityEvent``): ``user`` did it (``None``:
    the system, e.g. single sign-on's group roles or a command)."""
    if role:
        what = _("%(role)s på %(unit)s") % {
            "role": Role(role).label,
            "unit": unit.name,
        }
    else:
        what = unit.name if unit is not None else ""
    SecurityEvent.objects.create(
        kind=kind,
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        username=person.get_username() if person is not None else "",
        subject=what[:400],
        ip_address=_request_address(),
    )


def _clean_unit(unit: OrgUnit) -> None:
    unit.full_clean(exclude=["path"])


@transaction.atomic
def org_unit_create(*, unit: OrgUnit, user) -> OrgUnit:
    """Add ``unit`` (not yet saved) under its parent, which the user administers."""
    _administers(user, unit.parent)
    _clean_unit(unit)
    return attributed_save(unit, user=user, reason=_("Enheten lades till"))


@transaction.atomic
def org_unit_save(*, unit: OrgUnit, user) -> OrgUnit:
    """Save a unit's name, code and order. A new code rewrites the paths of the subtree
    (``OrgUnit.save``): the units, roles and goals below stay where they were."""
    current = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _administers(user, current)
    if unit.parent_id != current.parent_id or unit.active != current.active:
        raise ValidationError(_("Flytta och avveckla en enhet med sina egna knappar."))
    _clean_unit(unit)
    reason = _("Ny kod: %(old)s → %(new)s") % {"old": current.code, "new": unit.code}
    return attributed_save(unit, user=user, reason=reason if unit.code != current.code else "")


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, parent: OrgUnit, user) -> OrgUnit:
    """Move ``unit`` with everything below it under ``parent``. Both must lie in what the
    user administers. Roles held on the subtree, goals and work owned in it follow the
    unit (they point at the units, whose paths are rewritten in the same transaction)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _administers(user, unit)
    _administers(user, parent)
    if (error := rules.unit_parent_error(unit, parent)) is not None:
        raise ValidationError({"parent": error})
    if parent.pk == unit.parent_id:
        return unit
    old_parent = unit.parent
    unit.parent = parent
    reason = _("Flyttad från %(old)s till %(new)s") % {"old": old_parent, "new": parent}
    return attributed_save(unit, user=user, reason=reason)


@transaction.atomic
def org_unit_set_active(
    *, unit: OrgUnit, active: bool, user, successor: OrgUnit | None = None
) -> OrgUnit:
    """Deactivate (``active=False``) or reactivate a unit. Deactivating is refused while
    units below it are active or work is still open on it (``rules``); ``successor``
    (a unit the user administers) takes over the open work first, through the apps' own
    writes (``ledmot.extensions.OPEN_WORK_TRANSFERS``) in this transaction, so if any of
    it cannot go there, or work that cannot be handed over remains, nothing has moved.
    A reactivated unit needs an active parent."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _administers(user, unit)
    if active == unit.active:
        return unit
    if not active:
        if (block := rules.unit_deactivate_block(unit)) is not None:
            raise ValidationError(block)
        if successor is not None:
            _administers(user, successor)
            if (error := rules.successor_error(unit, successor)) is not None:
                raise ValidationError(error)
            for transfer in OPEN_WORK_TRANSFERS:
                transfer(unit_ids=[unit.pk], to_unit=successor, user=user)
        if (refusal := rules.unit_deactivate_refusal(unit)) is not None:
            raise ValidationError(refusal)
        reason = _("Avvecklad")
        if successor is not None:
            reason = _("Avvecklad; det pågående arbetet togs över av %(unit)s") % {
                "unit": successor.name
            }
    else:
        if unit.parent_id and not unit.parent.active:
            raise ValidationError(
                _("%(parent)s är avvecklad; återaktivera den först.") % {"parent": unit.parent}
            )
        reason = _("Återaktiverad")
    unit.active = active
    kind = SecurityEventKind.UNIT_REACTIVATED if active else SecurityEventKind.UNIT_DEACTIVATED
    _security_event(kind, user=user, unit=unit)
    return attributed_save(unit, user=user, reason=reason)


@transaction.atomic
def org_unit_delete(*, unit: OrgUnit, user) -> None:
    """Delete a unit nothing points at (``rules.unit_delete_refusal``); roles on it go
    with it, each with the user in its history."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _administers(user, unit)
    if (refusal := rules.unit_delete_refusal(unit)) is not None:
        raise ValidationError(refusal)
    for assignment in unit.role_assignments.select_related("user"):
        _security_event(
            SecurityEventKind.ROLE_REVOKED,
            user=user,
            person=assignment.user,
            unit=unit,
            role=assignment.role,
        )
        attributed_delete(assignment, user=user, reason=_("Enheten togs bort"))
    attributed_delete(unit, user=user, reason=_("Borttagen"))


@transaction.atomic
def person_create(*, person, user, password: str = "", unit: OrgUnit | None = None, role: str = ""):
    """Add a person, with a local password or none (sign-in through the identity
    provider), and a first role. An admin of a part of the organisation must give one
    there: otherwise the person would be outside what he administers at once."""
    access = access_for(user) if user is not None else None
    if unit is None and access is not None and not access.can_at_root(Cap.ADMINISTER):
        raise ValidationError({"unit": _("Ge personen en roll i din del av organisationen.")})
    if unit is not None:
        _administers(user, unit)
    person.full_clean(exclude=["password"])
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    attributed_save(person, user=user, reason=_("Personen lades till"))
    if unit is not None:
        role_grant(person=person, unit=unit, role=role, user=user)
    return person


@transaction.atomic
def person_save(*, person, user):
    """Save a person's name and e-mail address."""
    _administers_person(user, person)
    person.full_clean(exclude=["password"])
    _attribute(person, user, "")
    person.save(update_fields=["first_name", "last_name", "email"])
    return person


@transaction.atomic
def person_set_active(*, person, active: bool, user):
    """Deactivate or reactivate a person: never a delete, so the history keeps the name
    of whoever wrote what. A deactivated person cannot sign in; the roles stay, to be
    seen, and come back with a reactivation."""
    person = type(person)._default_manager.select_for_update().get(pk=person.pk)
    _administers_person(user, person)
    if user is not None and not active:
        _require(rules.self_change_refusal(user, person))
    if person.is_active != active:
        person.is_active = active
        _attribute(person, user, _("Aktiverad igen") if active else _("Avaktiverad"))
        person.save(update_fields=["is_active"])
        kind = (
            SecurityEventKind.PERSON_REACTIVATED if active else SecurityEventKind.PERSON_DEACTIVATED
        )
        _security_event(kind, user=user, person=person)
    return person


@transaction.atomic
def role_grant(*, person, unit: OrgUnit, role: str, user, reason: str = "") -> RoleAssignment:
    """Give ``person`` ``role`` on ``unit`` (and by inheritance everything below it).

    ``user=None`` is a grant by the system: a command, the demo, or single sign-on's
    roles mapped from the person's groups (``ledmot.oidc.grant_mapped_roles``), which
    says why in ``reason``. Either way the grant is in the history and the security
    events."""
    if user is not None:
        _require(rules.role_change_refusal(access_for(user), person=person, unit=unit, role=role))
    existing = RoleAssignment.objects.filter(user=person, org_unit=unit, role=role).first()
    if existing is not None:
        return existing
    if not unit.active:
        raise ValidationError({"org_unit": _("%(unit)s är avvecklad.") % {"unit": unit.name}})
    assignment = RoleAssignment(user=person, org_unit=unit, role=role)
    _security_event(SecurityEventKind.ROLE_GRANTED, user=user, person=person, unit=unit, role=role)
    return attributed_save(assignment, user=user, reason=reason or _("Roll given"))


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, user) -> None:
    """Take a role back. An administrator does not take his own admin role."""
    if user is not None:
        access = access_for(user)
        _require(
            rules.role_change_refusal(
                access, person=assignment.user, unit=assignment.org_unit, role=assignment.role
            )
        )
        _require(rules.self_change_refusal(user, assignment.user, role=assignment.role))
    _security_event(
        SecurityEventKind.ROLE_REVOKED,
        user=user,
        person=assignment.user,
        unit=assignment.org_unit,
        role=assignment.role,
    )
    attributed_delete(assignment, user=user, reason=_("Roll borttagen"))


@transaction.atomic
def roles_apply(*, changes, user) -> int:
    """Apply a checked plan of role changes (``ledmot.orgadmin.role_import``) in one
    transaction: each through :func:`role_grant` / :func:`role_revoke`, which check the
    scope again, so one refusal undoes them all. The number of roles changed."""
    done = 0
    for change in changes:
        if change.already:
            continue
        if change.action == "ta bort":
            assignment = RoleAssignment.objects.get(
                user=change.person, org_unit=change.unit, role=change.role
            )
            role_revoke(assignment=assignment, user=user)
        else:
            role_grant(person=change.person, unit=change.unit, role=change.role, user=user)
        done += 1
    return done
