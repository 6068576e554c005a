"""The demo's internal control (demo/data/risker.toml): every committee's risk analysis
of last year and of this year (started from last year's), both adopted, their internal
control plans, and the controls' results written into the committees' reports as the
follow-up builder writes them (``fill_control_results``)."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

from control.extensions import report_controls
from control.models import Control, ControlResult, Risk
from control.services import (
    analysis_adopt,
    analysis_for,
    analysis_start_next,
    control_result_save,
    control_save,
    risk_save,
)
from followup.models import Report, RoundKind
from goals.models import LIVE_STATUSES, Goal, GoalLevel
from ledmot.models import OrgKind, OrgUnit

DATA = Path(__file__).resolve().parent.parent / "data" / "risker.toml"


def _data() -> dict:
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def _plan(analysis, risks: list[Risk], specs: list[dict], kinds: dict[str, RoundKind]) -> None:
    for risk, spec in zip(risks, specs, strict=True):
        control_save(
            control=Control(
                analysis=analysis,
                risk=risk,
                title=spec["kontroll"],
                method=spec["hur"],
                frequency=spec["hur_ofta"],
                responsible=spec["vem"],
                owner=analysis.committee,
            ),
            round_kinds=[kinds[name] for name in spec["uppfoljningar"]],
            user=None,
            expected_version=None,
        )


def build_internal_control(last_year: int, units: dict[str, OrgUnit]) -> None:
    """Each committee: last year's analysis and plan, adopted; this year's started from
    it, with the reassessed probabilities, adopted in January, and its plan."""
    data = _data()
    specs = data["risk"]
    kinds = {k.name: k for k in RoundKind.objects.all()}
    committees = sorted(
        (u for u in units.values() if u.kind == OrgKind.COMMITTEE), key=lambda u: u.path
    )
    for committee in committees:
        goals = list(
            Goal.objects.filter(
                owner=committee, level=GoalLevel.COMMITTEE, status__in=LIVE_STATUSES
            ).order_by("order", "pk")[:2]
        )
        analysis = analysis_for(committee=committee, year=last_year, user=None)
        risks = []
        for spec in specs:
            threatened = goals if spec.get("mal") and goals else []
            risks.append(
                risk_save(
                    risk=Risk(
                        analysis=analysis,
                        unit=committee,
                        title=spec["titel"],
                        process=spec.get("process", "") if not threatened else "",
                        probability=spec["sannolikhet"],
                        consequence=spec["konsekvens"],
                        owner=spec["agare"],
                        measures=spec["atgarder"],
                    ),
                    goals=threatened,
                    user=None,
                    expected_version=None,
                )
            )
        number = 10 + committee.pk % 40
        analysis = analysis_adopt(
            analysis=analysis,
            decision_reference=f"{committee.code} {last_year - 1}/{number} § {number // 2}",
            adopted_on=datetime.date(last_year, 1, 24),
            user=None,
            expected_version=analysis.version,
        )
        _plan(analysis, risks, specs, kinds)
        following = analysis_start_next(analysis=analysis, user=None)
        new_risks = list(following.risks.order_by("pk"))
        for risk, spec in zip(new_risks, specs, strict=True):
            if "ny_sannolikhet" in spec:
                risk.probability = spec["ny_sannolikhet"]
                risk_save(
                    risk=risk,
                    goals=list(risk.goals.all()),
                    user=None,
                    expected_version=risk.version,
                )
        following = analysis_adopt(
            analysis=following,
            decision_reference=f"{committee.code} {last_year}/{number + 1} § {number // 2 + 3}",
            adopted_on=datetime.date(last_year + 1, 1, 23),
            user=None,
            expected_version=following.version,
        )
        _plan(following, new_risks, specs, kinds)


def fill_control_results(report: Report, user) -> None:
    """The results of the controls the report asks about, while it is still a draft
    (the follow-up builder calls it before submitting); in the order of the data file's
    ``resultat``, shifted per committee and round so the deviations differ."""
    controls = list(report_controls(report))
    if not controls:
        return
    outcomes = _data()["resultat"]
    start = report.org_unit.pk + report.round.kind_id
    for i, control in enumerate(controls):
        outcome, comment, measures = outcomes[(start + i) % len(outcomes)]
        control_result_save(
            result=ControlResult(
                report=report,
                control=control,
                outcome=outcome,
                comment=comment,
                measures=measures,
            ),
            user=user,
            expected_version=None,
        )
