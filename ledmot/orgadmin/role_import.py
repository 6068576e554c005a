"""Roles for many people from an Excel sheet, with the workbook import's discipline:
the file passes :mod:`ledmot.lib.workbook_safety` before it is opened; every row is
checked and the preview lists what will change and every problem by row and column; a
file with any problem changes nothing; the confirmed rows are checked again and applied
in one transaction (``ledmot.services.roles_apply``), or not at all.

The sheet: a heading row with *Användarnamn*, *Enhetens kod*, *Roll* and, optionally,
*Åtgärd* (``ge``, the default, or ``ta bort``); one role per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from ledmot import rules
from ledmot.access import access_for
from ledmot.lib.text import clean_text
from ledmot.lib.workbook_safety import (
    ENTITY_MESSAGE,
    UnsafeWorkbook,
    check_upload,
    is_xml_attack,
    limit,
)
from ledmot.models import OrgUnit, Role, RoleAssignment

USERNAME = gettext_lazy("Användarnamn")
UNIT = gettext_lazy("Enhetens kod")
ROLE = gettext_lazy("Roll")
ACTION = gettext_lazy("Åtgärd")
GRANT, REVOKE = "ge", "ta bort"


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class RoleRow:
    """One row as read: texts, not yet checked."""

    row: int
    username: str
    code: str
    role: str
    action: str


@dataclass(frozen=True)
class Change:
    row: int
    person: object
    unit: OrgUnit
    role: str
    action: str
    already: bool  # the role is already held (ge) or already not held (ta bort)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def _text(value) -> str:
    return clean_text("" if value is None else str(value)).strip()


def read_sheet(name: str, fileobj: IO[bytes], size: int | None = None):
    """``(rows, problems)`` of the first sheet. Raises :class:`UnsafeWorkbook` for a
    file that may not or cannot be read."""
    check_upload(name, fileobj, size=size)
    fileobj.seek(0)
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:
        if is_xml_attack(exc):
            raise UnsafeWorkbook(_(ENTITY_MESSAGE)) from exc
        raise UnsafeWorkbook(_("Filen kunde inte läsas som en Excel-fil (.xlsx).")) from exc
    try:
        ws = wb.worksheets[0]
        lines = ws.iter_rows(values_only=True)
        heading = [_text(v).casefold() for v in next(lines, ())]
        wanted = {USERNAME: True, UNIT: True, ROLE: True, ACTION: False}
        where: dict = {}
        problems: list[Problem] = []
        for col, required in wanted.items():
            if str(col).casefold() in heading:
                where[col] = heading.index(str(col).casefold())
            elif required:
                problems.append(Problem(1, str(col), _("Kolumnen saknas i rubrikraden.")))
        if problems:
            return [], problems
        rows: list[RoleRow] = []
        for number, values in enumerate(lines, start=2):
            cells = {col: _text(values[i]) if i < len(values) else "" for col, i in where.items()}
            if not any(cells.values()):
                continue
            if len(rows) >= limit("LEDMOT_IMPORT_MAX_ROWS"):
                raise UnsafeWorkbook(_("Filen har fler rader än som får importeras på en gång."))
            rows.append(
                RoleRow(
                    number,
                    cells[USERNAME],
                    cells[UNIT],
                    cells[ROLE],
                    cells.get(ACTION, "").casefold() or GRANT,
                )
            )
        return rows, []
    finally:
        wb.close()


def _role_of(text: str) -> str | None:
    folded = text.casefold()
    for value, label in Role.choices:
        if folded in (value, str(label).casefold()):
            return value
    return None


def plan(rows: list[RoleRow], *, user) -> tuple[list[Change], list[Problem]]:
    """What the rows would change, and every problem by row and column. The people,
    units and present roles are read in three queries whatever the number of rows."""
    access = access_for(user)
    people = {
        p.username.casefold(): p
        for p in get_user_model()._default_manager.filter(username__in={r.username for r in rows})
    }
    units = {u.code.casefold(): u for u in OrgUnit.objects.filter(code__in={r.code for r in rows})}
    held = set(
        RoleAssignment.objects.filter(
            user__in=people.values(), org_unit__in=units.values()
        ).values_list("user_id", "org_unit_id", "role")
    )
    changes, problems = [], []
    for r in rows:
        found = []
        person = people.get(r.username.casefold())
        if person is None:
            found.append(
                Problem(
                    r.row,
                    str(USERNAME),
                    _("Ingen person har användarnamnet %(v)s.") % {"v": r.username or "–"},
                )
            )
        unit = units.get(r.code.casefold())
        if unit is None:
            found.append(
                Problem(r.row, str(UNIT), _("Ingen enhet har koden %(v)s.") % {"v": r.code or "–"})
            )
        role = _role_of(r.role)
        if role is None:
            found.append(
                Problem(
                    r.row,
                    str(ROLE),
                    _("Okänd roll: %(v)s. Skriv t.ex. läsare eller redigerare.")
                    % {"v": r.role or "–"},
                )
            )
        if r.action not in (GRANT, REVOKE):
            found.append(Problem(r.row, str(ACTION), _("Skriv ge eller ta bort.")))
        if not found:
            refusal = rules.role_change_refusal(access, person=person, unit=unit, role=role)
            if refusal is None and r.action == REVOKE:
                refusal = rules.self_change_refusal(user, person, role=role)
            if refusal is None and r.action == GRANT and not unit.active:
                refusal = _("%(unit)s är avvecklad.") % {"unit": unit.name}
            if refusal is not None:
                found.append(Problem(r.row, str(UNIT), refusal))
        if found:
            problems.extend(found)
            continue
        has = (person.pk, unit.pk, role) in held
        changes.append(
            Change(r.row, person, unit, role, r.action, has if r.action == GRANT else not has)
        )
    return changes, problems


def as_data(rows: list[RoleRow]) -> list[list]:
    return [[r.row, r.username, r.code, r.role, r.action] for r in rows]


def from_data(data) -> list[RoleRow]:
    return [RoleRow(int(n), str(u), str(c), str(ro), str(a)) for n, u, c, ro, a in data]
