"""Assignments (uppdrag). The demo's: a few the council has given the committees, and
one a committee has given one of its schools (demo/data/uppdrag.toml). The generated
municipality's: the council's to every committee and the committees' to some of their
units, from the templates in demo/data/skala.toml."""

from __future__ import annotations

import datetime
import random

from demo.builders.issue17 import load_data
from followup.services import add_months
from goals.models import Assignment, AssignmentStatus, Goal
from goals.services import assignment_save, assignment_status_set
from ledmot.models import OrgUnit


def build_assignments(today: datetime.date, units: dict[str, OrgUnit]) -> list[Assignment]:
    """Create the assignments, through the one write path (history as the system)."""
    specs = load_data("uppdrag")["uppdrag"]
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


# --------------------------------------------------------------------------- seed_scale

# The council gives each committee assignments with its budget (in November) and in the
# spring; each committee gives about one unit in this many an assignment of its own.
COUNCIL_DECISIONS = (
    (datetime.date(2024, 11, 18), datetime.date(2025, 12, 31)),
    (datetime.date(2025, 4, 22), datetime.date(2026, 6, 30)),
    (datetime.date(2025, 11, 17), datetime.date(2026, 12, 31)),
)
UNITS_PER_UNIT_ASSIGNMENT = 25
COMMITTEE_DECISIONS = (
    (datetime.date(2025, 9, 24), datetime.date(2026, 3, 31)),
    (datetime.date(2026, 1, 28), datetime.date(2026, 11, 30)),
)

STATUS_COMMENTS = {
    AssignmentStatus.NOT_STARTED: (
        "Arbetet påbörjas under nästa tertial enligt plan.",
        "Väntar på underlag från förvaltningen.",
    ),
    AssignmentStatus.ONGOING: (
        "En arbetsgrupp är tillsatt och arbetet följer tidplanen.",
        "Kartläggningen är klar; förslag tas fram under hösten.",
        "Arbetet är försenat på grund av vakanser, ny tidplan redovisas i nästa rapport.",
    ),
    AssignmentStatus.DONE: (
        "Uppdraget är redovisat till nämnden.",
        "Klart; åtgärderna ingår i verksamhetsplanen.",
    ),
    AssignmentStatus.WONT_DO: ("Uppdraget avslutas då förutsättningarna har ändrats.",),
}


def seed_scale_assignments(
    rng: random.Random,
    kf: OrgUnit,
    committees: list[OrgUnit],
    fill: list[dict[str, str]],
    units_of: dict[int, list[OrgUnit]],
    goals_of: dict[int, list[Goal]],
    clock,
) -> int:
    """The generated municipality's assignments (uppdrag), through the one write path:
    the council's to each committee (one per decision of :data:`COUNCIL_DECISIONS`), and
    each committee's to about one unit in :data:`UNITS_PER_UNIT_ASSIGNMENT`. ``fill[i]``
    holds ``committees[i]``'s template words (``omrade``, ``klienter``). Made before the
    follow-up rounds, at status not started: the reports tell how they go
    (:func:`reported_status`). Each is recorded a few days after its decision
    (``clock``: the story's)."""
    templates = load_data("skala")
    made = 0

    def save(giver, owner, goal, spec, words, decided, due):
        nonlocal made
        clock.at(decided + datetime.timedelta(days=3), 10, made % 60)
        number = f"{giver.code} {decided.year}/{rng.randrange(10, 400)} § {rng.randrange(5, 160)}"
        assignment_save(
            assignment=Assignment(
                giver=giver,
                owner=owner,
                goal=goal,
                title=spec["titel"].format(**words),
                description=spec["beskrivning"].format(**words),
                decision_reference=number,
                decided_on=decided,
                due=due,
            ),
            user=None,
            expected_version=None,
        )
        made += 1

    for ci, committee in enumerate(committees):
        words = {**fill[ci], "namnd": committee.name}
        for k, (decided, due) in enumerate(COUNCIL_DECISIONS):
            spec = templates["uppdrag_kf"][(ci + k) % len(templates["uppdrag_kf"])]
            goals = goals_of[ci]
            goal = goals[(ci + k) % len(goals)] if goals and rng.random() < 0.6 else None
            save(kf, committee, goal, spec, words, decided, due)
        units = units_of[ci]
        for n in range(max(1, len(units) // UNITS_PER_UNIT_ASSIGNMENT)):
            unit = units[rng.randrange(len(units))]
            decided, due = COMMITTEE_DECISIONS[n % len(COMMITTEE_DECISIONS)]
            spec = templates["uppdrag_namnd"][n % len(templates["uppdrag_namnd"])]
            unit_words = {**words, "enhet": unit.name, "givare": committee.name}
            goal = goals_of[ci][n % len(goals_of[ci])] if goals_of[ci] else None
            save(committee, unit, goal, spec, unit_words, decided, due)
    return made


def reported_status(assignment: Assignment, day: datetime.date) -> str:
    """How ``assignment`` stood on ``day`` in the generated municipality: started a month
    or two after its decision, most done near their due date, some late, a few given up
    (drawn from its id, so every round's report tells the same story)."""
    fate = random.Random(assignment.pk * 7919).random()
    decided = assignment.decided_on or assignment.due
    if day < add_months(decided, 2):
        return AssignmentStatus.NOT_STARTED
    if fate < 0.05:  # given up halfway
        halfway = decided + (assignment.due - decided) / 2
        return AssignmentStatus.WONT_DO if day >= halfway else AssignmentStatus.ONGOING
    finished = add_months(assignment.due, -2 if fate < 0.6 else 4 if fate < 0.85 else 14)
    return AssignmentStatus.DONE if day >= finished else AssignmentStatus.ONGOING


def status_comment(rng: random.Random, status: str) -> str:
    return rng.choice(STATUS_COMMENTS[status])
