"""The committees' goal proposals for the next mandate period (demo/data/malforslag.toml):
open, so the demo's controller can adopt some and a committee set its progression (one
withdrawn by its committee, shown as such)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

from goals.models import (
    BudgetYear,
    Direction,
    GoalProposal,
    MandatePeriod,
    Perspective,
    ProposalComment,
    ProposalStatus,
)
from ledmot.models import OrgUnit

DATA = Path(__file__).resolve().parent.parent / "data" / "malforslag.toml"
SMART = {
    "s": "smart_specific",
    "m": "smart_measurable",
    "a": "smart_accepted",
    "r": "smart_realistic",
    "t": "smart_timebound",
}


def next_period(current: tuple[int, int]) -> MandatePeriod:
    """The mandate period after ``current`` (created, with its budget years, unless
    something else already made it)."""
    first = current[1] + 1
    period, created = MandatePeriod.objects.get_or_create(
        start_year=first, defaults={"end_year": first + 3}
    )
    if created:
        for year in range(first, first + 4):
            BudgetYear.objects.get_or_create(
                year=year, defaults={"mandate_period": period, "plan_years": 2}
            )
    return period


def seed_demo_proposals(current: tuple[int, int], units: dict[str, OrgUnit]) -> None:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    period = next_period(current)
    perspectives = {p.name: p for p in Perspective.objects.all()}
    proposals = []
    for spec in data["forslag"]:
        proposal = GoalProposal(
            mandate_period=period,
            proposer=units[spec["namnd"]],
            title=spec["mal"],
            description=spec["beskrivning"],
            perspective=perspectives[spec["perspektiv"]],
            responsible=spec["ansvarig"],
            indicator_name=spec["indikator"],
            indicator_unit=spec["enhet"],
            direction=spec.get("riktning", Direction.HIGHER),
            baseline_value=_number(spec["utgangsvarde"]),
            baseline_year=period.start_year - 1,
            end_target=_number(spec["slutmal"]),
            status=ProposalStatus.WITHDRAWN if spec.get("atertaget") else ProposalStatus.PROPOSED,
            **{SMART[c]: True for c in spec["smart"]},
        )
        proposal.full_clean()
        proposal.save()
        proposals.append(proposal)
    for spec in data.get("kommentar", []):
        ProposalComment.objects.create(
            proposal=proposals[spec["forslag"] - 1], unit=units[spec["namnd"]], text=spec["text"]
        )


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))
