"""The organisation and the logins of the demo (``demo/data/organisation.toml``)."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from demo.content import DEMO_ORG, FIRST_NAMES, LAST_NAMES, PERSONAS, OrgNode
from ledmot.models import PATH_SEPARATOR, OrgUnit, Role, RoleAssignment

DEMO_PASSWORD = "ledmot-demo"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def org_path(parent_path: str, code: str) -> str:
    """The materialised path exactly as ``OrgUnit.compute_path`` builds it."""
    return f"{parent_path}{code}{PATH_SEPARATOR}"


def build_org(root: OrgNode = DEMO_ORG) -> tuple[dict[str, OrgUnit], dict[str, str]]:
    """Create the tree under ``root`` with ``save()``; return units and tags by code."""
    units: dict[str, OrgUnit] = {}
    tags: dict[str, str] = {}

    def create(node: OrgNode, parent: OrgUnit | None, order: int) -> None:
        unit = OrgUnit(code=node.code, name=node.name, kind=node.kind, parent=parent, order=order)
        unit.save()
        units[node.code] = unit
        tags[node.code] = node.tag
        for i, child in enumerate(node.children, start=1):
            create(child, unit, i)

    create(root, None, 0)
    return units, tags


def create_personas(units: dict[str, OrgUnit], password: str = DEMO_PASSWORD):
    """One login per role; returns the rows of the login table."""
    user_model = get_user_model()
    logins = []
    for p in PERSONAS:
        user = user_model(
            username=p.username,
            first_name=p.first_name,
            last_name=p.last_name,
            email=f"{p.username}@asbacka.example",
            is_staff=p.superuser,
            is_superuser=p.superuser,
        )
        user.set_password(password)
        user.save()
        unit = units[p.unit_code]
        RoleAssignment.objects.create(user=user, org_unit=unit, role=p.role)
        logins.append((p.username, password, str(Role(p.role).label), unit.name))
    return logins
