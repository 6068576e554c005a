"""The one place that decides who may do what.

A user holds roles on org units; a role on a unit also covers every unit below
it. Each role grants a set of capabilities. Every view asks this module (through
the per-app helpers such as ``goals.access.get_goal_for_edit``); templates only
hide what the server already refuses.

Adopted goals are public documents: every logged-in user may read them
wherever they sit. Everything else needs a role on the owning unit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ledmot.models import PATH_SEPARATOR, OrgUnit, Role, RoleAssignment


class Cap(enum.StrEnum):
    VIEW = "view"  # read non-public material (proposed goals, drafts) of the unit
    EDIT = "edit"  # write goals, activities, indicator values
    APPROVE = "approve"  # approve or return reports, record decisions
    MANAGE = "manage"  # periods, follow-up rounds, exports for the whole scope
    ADMINISTER = "administer"  # users, roles, organisation


ROLE_CAPS: dict[str, frozenset[Cap]] = {
    Role.READER: frozenset({Cap.VIEW}),
    Role.EDITOR: frozenset({Cap.VIEW, Cap.EDIT}),
    Role.APPROVER: frozenset({Cap.VIEW, Cap.APPROVE}),
    Role.CONTROLLER: frozenset({Cap.VIEW, Cap.EDIT, Cap.APPROVE, Cap.MANAGE}),
    Role.ADMIN: frozenset(Cap),
}


@dataclass(frozen=True)
class Grant:
    path: str
    unit_id: int
    role: str
    caps: frozenset[Cap]


def _is_root(path: str) -> bool:
    """A path of one unit code: the council's, the one root of the organisation
    (``orgunit_only_council_is_root``)."""
    return path.count(PATH_SEPARATOR) == 1


class Access:
    """What one user may do. Built once per request from one query."""

    def __init__(self, user, grants: Iterable[Grant] = ()):
        self.user = user
        self.grants = tuple(grants)
        self.is_superuser = bool(getattr(user, "is_superuser", False))
        self.is_authenticated = bool(getattr(user, "is_authenticated", False))

    def can(self, cap: Cap, unit: OrgUnit | None) -> bool:
        if not self.is_authenticated or unit is None:
            return False
        if self.is_superuser:
            return True
        return any(cap in g.caps and unit.path.startswith(g.path) for g in self.grants)

    def can_anywhere(self, cap: Cap) -> bool:
        return self.is_superuser or any(cap in g.caps for g in self.grants)

    def can_at_root(self, cap: Cap) -> bool:
        """True if ``cap`` holds for the council, the root of the organisation."""
        return self.is_superuser or any(cap in g.caps and _is_root(g.path) for g in self.grants)

    def paths(self, cap: Cap) -> list[str]:
        """The smallest set of path prefixes under which ``cap`` holds."""
        prefixes = sorted({g.path for g in self.grants if cap in g.caps})
        kept: list[str] = []
        for p in prefixes:
            if not any(p.startswith(k) for k in kept):
                kept.append(p)
        return kept

    def covers_all(self, cap: Cap) -> bool:
        """Whether ``cap`` holds on every unit: a superuser, or a role on the council,
        under which every unit lies."""
        return self.is_superuser or any(_is_root(p) for p in self.paths(cap))

    def units_q(self, cap: Cap, field: str = "owner") -> Q:
        """A filter for the units covered by ``cap``: on the OrgUnit foreign key ``field``,
        or on OrgUnit itself when ``field`` is empty."""
        if self.is_superuser:
            return Q()
        if self.covers_all(cap):
            # Every unit lies under the council: no test of each row's path (a council
            # controller's lists counted every report checking its path), only that
            # there is a unit (a nullable ``field``, e.g. the council's missing parent).
            return Q(**{f"{field}__isnull": False}) if field else Q()
        paths = self.paths(cap)
        lookup = f"{field}__path__startswith" if field else "path__startswith"
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(**{lookup: p})
        return q

    def home_unit_ids(self) -> list[int]:
        """The units the user holds roles on, most specific first (for "Min enhet")."""
        ordered = sorted(self.grants, key=lambda g: (-g.path.count("/"), g.path))
        return list(dict.fromkeys(g.unit_id for g in ordered))


def access_for(user) -> Access:
    """The user's Access, cached on the user object for the rest of the request."""
    cached = getattr(user, "_ledmot_access", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        access = Access(user)
    else:
        grants = [
            Grant(path, unit_id, role, ROLE_CAPS[role]) for role, unit_id, path in _roles(user.pk)
        ]
        access = Access(user, grants)
    user._ledmot_access = access
    return access


def _roles(user_id: int) -> list[tuple[str, int, str]]:
    """The user's roles as (role, unit id, unit path), by path and role: tuples, not
    model instances, read with raw SQL. This query runs on every signed-in request, and
    building it as a queryset cost fifteen times running it."""
    q = connection.ops.quote_name
    # Only table names and a placeholder are formatted in; the user's id is a parameter.
    sql = f"""
        SELECT r.role, r.org_unit_id, u.path
        FROM {q(RoleAssignment._meta.db_table)} r
        JOIN {q(OrgUnit._meta.db_table)} u ON u.id = r.org_unit_id
        WHERE r.user_id = %s
        ORDER BY u.path, r.role
    """  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        return cursor.fetchall()


def roles_with(cap: Cap) -> list[str]:
    """The names of the roles that grant ``cap``, in the order of ``Role``."""
    return [str(Role(role).label).lower() for role, caps in ROLE_CAPS.items() if cap in caps]


def refusal(cap: Cap, unit: OrgUnit | None = None, *, at_root: bool = False) -> PermissionDenied:
    """The 403 to raise where ``cap`` is missing: its message (shown on the error page)
    says which role would allow it, and where.

    ``unit``: the unit the role must cover; ``at_root``: a role on the council (the whole
    municipality); neither: a role on any unit.
    """
    roles = get_text_list(roles_with(cap), _("eller"))
    if unit is not None:
        message = _(
            "Det här kräver rollen %(roles)s på %(unit)s eller på en enhet ovanför den."
        ) % {"roles": roles, "unit": unit.name}
    elif at_root:
        message = _("Det här kräver rollen %(roles)s på kommunfullmäktige (hela kommunen).") % {
            "roles": roles
        }
    else:
        message = _("Det här kräver rollen %(roles)s på någon enhet.") % {"roles": roles}
    return PermissionDenied(message)


def nearest_holders(cap: Cap, unit: OrgUnit, assignments=None, *, with_email: bool = False):
    """The active users who hold ``cap`` on ``unit`` through a role on the nearest unit
    (``unit`` itself, else the nearest one above it) where anyone holds it: the people
    a piece of work on ``unit`` is for (its editors, its approvers), not everyone above
    who also could.

    ``assignments``: RoleAssignments with ``org_unit`` and ``user`` loaded, when the
    caller has them (one query for many units); else one query. ``with_email``: only
    users with an e-mail address count (for a mail)."""
    roles = {role for role, caps in ROLE_CAPS.items() if cap in caps}
    if assignments is None:
        above = [unit.path[: i + 1] for i, c in enumerate(unit.path) if c == PATH_SEPARATOR]
        assignments = RoleAssignment.objects.select_related("org_unit", "user").filter(
            role__in=roles, org_unit__path__in=above, user__is_active=True
        )
    by_depth: dict[int, list] = {}
    for a in assignments:
        if a.role in roles and unit.path.startswith(a.org_unit.path):
            by_depth.setdefault(a.org_unit.path.count(PATH_SEPARATOR), []).append(a.user)
    for depth in sorted(by_depth, reverse=True):
        users = [u for u in by_depth[depth] if u.is_active and (u.email or not with_email)]
        if users:
            return sorted(set(users), key=lambda u: u.pk)
    return []
