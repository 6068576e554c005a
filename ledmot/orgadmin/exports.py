"""The auditor's list: who holds which role where, as Excel (``?export=xlsx`` on the
people list, with its filters). User text is written as text, never as a formula
(``ledmot.lib.xlsx``)."""

from __future__ import annotations

from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from ledmot.lib.xlsx import Column, Sheet
from ledmot.models import RoleAssignment


def role_rows(assignments: QuerySet[RoleAssignment]) -> QuerySet[RoleAssignment]:
    """The assignments with their person and unit, and when and by whom each was given
    (from its history), in one query."""
    given = RoleAssignment.history.model.objects.filter(
        id=OuterRef("pk"), history_type="+"
    ).order_by("-history_date")
    return (
        assignments.select_related("user", "org_unit")
        .annotate(
            given_at=Subquery(given.values("history_date")[:1]),
            given_by=Subquery(
                given.annotate(
                    who=Concat(
                        F("history_user__first_name"), Value(" "), F("history_user__last_name")
                    )
                ).values("who")[:1]
            ),
        )
        .order_by("user__last_name", "user__first_name", "user__username", "org_unit__path", "role")
    )


def _local(moment):
    return timezone.localtime(moment) if moment else None


def role_sheet(assignments: QuerySet[RoleAssignment]) -> Sheet:
    columns = [
        Column(_("Namn"), 26),
        Column(_("Användarnamn"), 18),
        Column(_("E-post"), 28),
        Column(_("Konto aktivt"), 12),
        Column(_("Inloggning"), 22),
        Column(_("Senaste inloggning"), 18, "yyyy-mm-dd hh:mm"),
        Column(_("Roll"), 16),
        Column(_("Enhet"), 34),
        Column(_("Enhetens kod"), 18),
        Column(_("Plats i organisationen"), 40),
        Column(_("Given"), 18, "yyyy-mm-dd hh:mm"),
        Column(_("Given av"), 24),
    ]
    rows = (
        [
            a.user.get_full_name() or a.user.get_username(),
            a.user.get_username(),
            a.user.email,
            a.user.is_active,
            _("Lokalt lösenord") if a.user.has_usable_password() else _("Identitetsleverantör"),
            _local(a.user.last_login),
            a.get_role_display(),
            a.org_unit.name,
            a.org_unit.code,
            a.org_unit.path,
            _local(a.given_at),
            (a.given_by or "").strip(),
        ]
        for a in role_rows(assignments).iterator(chunk_size=2000)
    )
    return Sheet(_("Roller"), columns, rows)
