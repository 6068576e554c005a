"""The rules of internal control, one plain function each, asked by the models'
``clean()``, the forms (through it), the services, the admin and the demo alike."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.models import LIVE_STATUSES
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


def goal_owner_paths(unit) -> list[str]:
    """The paths of ``unit`` and the units above it (its committee and the council),
    top down: the owners of the goals a risk of ``unit`` may threaten."""
    return unit.lineage_paths()


def risk_goal_errors(unit, goals, kept=()) -> dict[str, list[str]]:
    """A risk threatens live goals of its unit or of the units above it in the chain
    (the committee's and the council's), never another unit's. ``kept``: the ids of the
    goals the risk already threatens (as stored), which stay allowed when they are no
    longer live (a risk keeps what it was written against), as long as they belong to
    the unit's chain."""
    paths, kept = set(goal_owner_paths(unit)), set(kept)
    outside = [
        goal
        for goal in goals
        if goal.owner.path not in paths
        or (goal.status not in LIVE_STATUSES and goal.pk not in kept)
    ]
    if not outside:
        return {}
    return {
        "goals": [
            _(
                "En risk för %(unit)s kan bara hota enhetens egna mål och målen ovanför den "
                "(nämndens och fullmäktiges) som gäller. Inte: %(goals)s."
            )
            % {"unit": unit.name, "goals": "; ".join(g.title for g in outside)}
        ]
    }


def risk_errors(risk, goals=None) -> dict[str, list[str]]:
    """A risk belongs to its committee (or a unit under it) and threatens goals or a
    process; ``goals``: the chosen goals when known (a form, the service), which must
    be of its unit's chain (:func:`risk_goal_errors`)."""
    errors: dict[str, list[str]] = {}
    analysis = risk.analysis if risk.analysis_id else None
    unit = risk.unit if risk.unit_id else None
    if unit is not None and analysis is not None and not unit.is_within(analysis.committee):
        errors["unit"] = [
            _("Enheten hör inte till %(committee)s.") % {"committee": analysis.committee.name}
        ]
    if goals is not None and not goals and not risk.process.strip():
        errors["process"] = [_("Ange vilka mål eller vilken process risken hotar.")]
    if goals and unit is not None:
        kept = risk.goals.values_list("pk", flat=True) if risk.pk else ()
        errors.update(risk_goal_errors(unit, goals, kept=kept))
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
