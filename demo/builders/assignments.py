"""The demo's assignments (uppdrag): a few the council has given the committees, and
one a committee has given one of its schools (demo/data/uppdrag.toml)."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

from followup.services import add_months
from goals.models import Assignment, Goal
from goals.services import assignment_save, assignment_status_set
from ledmot.models import OrgUnit

DATA = Path(__file__).resolve().parent.parent / "data" / "uppdrag.toml"


def build_assignments(today: datetime.date, units: dict[str, OrgUnit]) -> list[Assignment]:
    """Create the assignments, through the one write path (history as the system)."""
    specs = tomllib.loads(DATA.read_text(encoding="utf-8"))["uppdrag"]
    made = []
    for spec in specs:
        giver, owner = units[spec["givare"]], units[spec["till"]]
        goal = None
        if prefix := spec.get("mal"):
            goal = Goal.objects.filter(owner=giver, title__startswith=prefix).order_by("pk").first()
        assignment = assignment_save(
            assignment=Assignment(
                giver=giver,
                owner=owner,
                goal=goal,
                title=spec["titel"],
                description=spec["beskrivning"],
                decision_reference=spec["diarienummer"],
                decided_on=add_months(today, -spec["beslut_manader"]),
                due=add_months(today, spec["klart_manader"]),
            ),
            user=None,
            expected_version=None,
        )
        if spec["status"] != assignment.status:
            assignment = assignment_status_set(
                assignment=assignment, status=spec["status"], user=None, reason=""
            )
        made.append(assignment)
    return made
