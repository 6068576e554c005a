"""The one write path of each kind of internal-control data: the rules, the lock of an
adopted analysis (and of a report's closed round), the version check and the history
with the acting user."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from control import rules
from control.models import Control, ControlResult, Risk, RiskAnalysis
from followup.models import Report
from followup.rules import report_lock_message
from goals.models import LIVE_STATUSES
from ledmot.models import OrgUnit
from ledmot.services import ConflictError, LockedError, versioned_delete, versioned_save


def _require_open(analysis: RiskAnalysis | None) -> None:
    """Refuse with the rule's message when the analysis (as it is in the database) is adopted."""
    if analysis is None or analysis.pk is None:
        return
    current = RiskAnalysis.objects.select_for_update().get(pk=analysis.pk)
    if message := rules.analysis_lock_message(current):
        raise LockedError(message)


@transaction.atomic
def analysis_for(*, committee: OrgUnit, year: int, user) -> RiskAnalysis:
    """The committee's risk analysis of ``year``, made (as a draft) when it has none."""
    if committee.kind not in rules.ANALYSIS_KINDS:
        raise ValidationError(_("En riskanalys hör till en nämnd eller ett bolag."))
    analysis = RiskAnalysis.objects.filter(committee=committee, year=year).first()
    if analysis is None:
        analysis = RiskAnalysis(committee=committee, year=year)
        analysis.full_clean()
        versioned_save(analysis, user=user, expected_version=None, reason=_("Skapad"))
    return analysis


@transaction.atomic
def risk_save(*, risk: Risk, goals, user, expected_version: int | None) -> Risk:
    """Save a risk and the goals it threatens; refused once its analysis is adopted."""
    _require_open(risk.analysis)
    if risk.pk is not None:
        stored = Risk.objects.get(pk=risk.pk)
        if stored.analysis_id != risk.analysis_id:
            _require_open(stored.analysis)
    goals = list(goals)
    risk.full_clean()
    if errors := rules.risk_errors(risk, goals):
        raise ValidationError(errors)
    reason = _("Skapad") if risk.pk is None else ""
    versioned_save(risk, user=user, expected_version=expected_version, reason=reason)
    if set(risk.goals.all()) != set(goals):
        risk._history_user = user
        risk.goals.set(goals)
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk, user, expected_version: int) -> None:
    _require_open(risk.analysis)
    if risk.controls.exists():
        raise ValidationError(
            _("Risken har kontroller i internkontrollplanen och kan inte tas bort.")
        )
    versioned_delete(risk, user=user, expected_version=expected_version, reason=_("Borttagen"))


@transaction.atomic
def analysis_adopt(
    *,
    analysis: RiskAnalysis,
    decision_reference: str,
    adopted_on: datetime.date,
    user,
    expected_version: int | None,
) -> RiskAnalysis:
    """Adopt the committee's risk analysis by decision: from now on it is frozen."""
    _require_open(analysis)
    if not decision_reference.strip():
        raise ValidationError({"decision_reference": [_("Ange beslutet (diarienummer, §).")]})
    if not analysis.risks.exists():
        raise ValidationError(_("Riskanalysen har inga risker att anta."))
    analysis.decision_reference = decision_reference.strip()
    analysis.adopted_on = adopted_on
    analysis.full_clean()
    return versioned_save(
        analysis, user=user, expected_version=expected_version, reason=_("Antagen")
    )


@transaction.atomic
def analysis_start_next(*, analysis: RiskAnalysis, user) -> RiskAnalysis:
    """Start next year's analysis from this adopted one: each risk copied as a draft
    linked to its predecessor (still to be reassessed and adopted)."""
    analysis = RiskAnalysis.objects.select_for_update().get(pk=analysis.pk)
    if message := rules.next_year_refusal(analysis):
        raise ValidationError(message)
    following = RiskAnalysis(committee=analysis.committee, year=analysis.year + 1)
    following.predecessor = analysis
    following.full_clean()
    versioned_save(following, user=user, expected_version=None, reason=_("Från föregående år"))
    for old in analysis.risks.select_related("unit").prefetch_related("goals").order_by("pk"):
        risk = Risk(
            analysis=following,
            unit=old.unit,
            title=old.title,
            description=old.description,
            process=old.process,
            probability=old.probability,
            consequence=old.consequence,
            owner=old.owner,
            measures=old.measures,
            predecessor=old,
        )
        versioned_save(risk, user=user, expected_version=None, reason=_("Från föregående år"))
        if goals := [g for g in old.goals.all() if g.status in LIVE_STATUSES]:
            risk._history_user = user
            risk.goals.set(goals)
    return following


@transaction.atomic
def control_save(*, control: Control, round_kinds, user, expected_version: int | None) -> Control:
    """Save a control of the internal control plan (from the adopted analysis)."""
    round_kinds = list(round_kinds)
    if not round_kinds:
        raise ValidationError({"round_kinds": [_("Välj minst en uppföljning.")]})
    control.full_clean()
    reason = _("Skapad") if control.pk is None else ""
    versioned_save(control, user=user, expected_version=expected_version, reason=reason)
    if set(control.round_kinds.all()) != set(round_kinds):
        control._history_user = user
        control.round_kinds.set(round_kinds)
    return control


@transaction.atomic
def control_result_save(*, result: ControlResult, user, expected_version: int | None):
    """Save a control's result in its owner's report (the report's locks hold); the first
    save makes it, and if someone else made it meanwhile theirs stands unless the same."""
    report = Report.objects.select_for_update().select_related("round").get(pk=result.report_id)
    if message := report_lock_message(report):
        raise LockedError(message)
    result.full_clean(exclude=["report", "control"] if result.pk is None else None)
    if result.pk is None:
        existing = ControlResult.objects.filter(report=report, control=result.control_id).first()
        if existing is not None:
            if (existing.outcome, existing.comment, existing.measures) != (
                result.outcome,
                result.comment,
                result.measures,
            ):
                raise ConflictError(existing)
            result.pk, result.version = existing.pk, existing.version
            return result
        versioned_save(result, user=user, expected_version=None, reason=_("Rapporterad"))
    else:
        versioned_save(result, user=user, expected_version=expected_version)
    if not report.started:
        report.started = True
        versioned_save(report, user=user, expected_version=None, reason=_("Påbörjad"))
    return result
