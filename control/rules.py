"""The rules of internal control, one plain function each, asked by the models'
``clean()``, the forms (through it), the services, the admin and the demo alike."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledmot.models import OrgKind

#: The kinds of unit whose risk analysis is adopted by decision.
ANALYSIS_KINDS = (OrgKind.COMMITTEE, OrgKind.COMPANY)

#: The risk levels of the 4×4 matrix, from the score (probability × consequence):
#: (highest score of the level, key, word). Shown as a word beside the colour.
LEVELS = (
    (3, "low", gettext_lazy("Låg")),
    (6, "medium", gettext_lazy("Medel")),
    (9, "high", gettext_lazy("Hög")),
    (16, "very-high", gettext_lazy("Mycket hög")),
)


def risk_level(score: int) -> tuple[str, str]:
    """The level (key, word) of a risk with this score."""
    for top, key, word in LEVELS:
        if score <= top:
            return key, str(word)
    raise ValueError(score)


def analysis_lock_message(analysis) -> str | None:
    """Why nothing in the analysis (its risks, its decision) can change (None if it can)."""
    if analysis is not None and analysis.adopted_on is not None:
        return _("Riskanalysen är antagen (%(ref)s) och kan inte ändras.") % {
            "ref": analysis.decision_reference or analysis.adopted_on.isoformat()
        }
    return None


def risk_errors(risk, goals=None) -> dict[str, list[str]]:
    """A risk belongs to its committee (or a unit under it) and threatens goals or a
    process; ``goals``: the chosen goals when known (a form, the service)."""
    errors: dict[str, list[str]] = {}
    analysis = risk.analysis if risk.analysis_id else None
    unit = risk.unit if risk.unit_id else None
    if unit is not None and analysis is not None and not unit.is_within(analysis.committee):
        errors["unit"] = [
            _("Enheten hör inte till %(committee)s.") % {"committee": analysis.committee.name}
        ]
    if goals is not None and not goals and not risk.process.strip():
        errors["process"] = [_("Ange vilka mål eller vilken process risken hotar.")]
    return errors


def control_errors(control) -> dict[str, list[str]]:
    """A control is picked from a risk of its committee's adopted analysis, and is
    reported by the committee or a unit under it."""
    errors: dict[str, list[str]] = {}
    analysis = control.analysis if control.analysis_id else None
    if analysis is None:
        return errors
    if analysis.adopted_on is None:
        errors["__all__"] = [
            _("Kontrollerna väljs ur en antagen riskanalys: anta riskanalysen först.")
        ]
    if control.risk_id and control.risk.analysis_id != analysis.pk:
        errors["risk"] = [_("Risken hör inte till riskanalysen.")]
    if control.owner_id and not control.owner.is_within(analysis.committee):
        errors["owner"] = [
            _("Enheten hör inte till %(committee)s.") % {"committee": analysis.committee.name}
        ]
    return errors


def result_errors(result) -> dict[str, list[str]]:
    """A remark is explained: a result with remarks needs a comment."""
    from control.models import ControlOutcome

    if result.outcome and result.outcome != ControlOutcome.NONE and not result.comment.strip():
        return {"comment": [_("Beskriv anmärkningen.")]}
    return {}


def next_year_refusal(analysis) -> str | None:
    """Why next year's analysis cannot start from ``analysis`` (None if it can)."""
    from control.models import RiskAnalysis

    if analysis.adopted_on is None:
        return _("Nästa års riskanalys utgår från en antagen riskanalys.")
    if RiskAnalysis.objects.filter(
        committee=analysis.committee_id, year=analysis.year + 1
    ).exists():
        return _("Riskanalysen för %(year)s finns redan.") % {"year": analysis.year + 1}
    return None
