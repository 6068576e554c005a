import datetime

from control.models import Control, Frequency, Risk
from control.services import analysis_adopt, analysis_for, control_save, risk_save
from followup.models import RoundKind


def make_risk(w, *, unit=None, year=2025, goals=None, **fields):
    unit = unit or w.skola1
    values = {
        "title": "Brist på behöriga lärare",
        "probability": 3,
        "consequence": 4,
        "owner": "Rektor",
        "measures": "Rekryteringsplan",
        **fields,
    }
    analysis = analysis_for(committee=unit.committee(), year=year, user=w.controller)
    risk = Risk(analysis=analysis, unit=unit, **values)
    if goals is None:  # a goal of the unit's chain: its own, or the council's
        goals = [w.unit_goal] if unit == w.skola1 else [w.council_goal]
    return risk_save(
        risk=risk,
        goals=goals,
        user=w.controller,
        expected_version=None,
    )


def adopt(w, analysis, ref="BUN 2025/17 § 12"):
    analysis.refresh_from_db()
    return analysis_adopt(
        analysis=analysis,
        decision_reference=ref,
        adopted_on=datetime.date(2025, 1, 20),
        user=w.controller,
        expected_version=analysis.version,
    )


def make_control(w, risk, *, owner=None, kinds=("Tertialrapport",), **fields):
    values = {
        "title": "Stickprov av behörighet vid nyanställning",
        "method": "Stickprov på fem anställningar",
        "frequency": Frequency.ROUND,
        "responsible": "HR-specialist",
        **fields,
    }
    control = Control(analysis=risk.analysis, risk=risk, owner=owner or w.skola1, **values)
    return control_save(
        control=control,
        round_kinds=list(RoundKind.objects.filter(name__in=kinds)),
        user=w.controller,
        expected_version=None,
    )
