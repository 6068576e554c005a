"""Access helpers of internal control: 404 out of scope, 403 read-only. Risk registers
are internal working material: read with a role on the unit (or above it)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from control.models import Control, Risk, RiskAnalysis
from ledmot.access import Cap, access_for, refusal
from ledmot.models import OrgUnit


def can_view(user, unit: OrgUnit) -> bool:
    return access_for(user).can(Cap.VIEW, unit)


def can_edit(user, unit: OrgUnit) -> bool:
    return access_for(user).can(Cap.EDIT, unit)


def can_adopt(user, analysis: RiskAnalysis) -> bool:
    """The committee's decision is recorded by those who approve for it."""
    return access_for(user).can(Cap.APPROVE, analysis.committee)


def risk_units(user):
    """The units where ``user`` writes risks (active ones, under a committee)."""
    access = access_for(user)
    return (
        OrgUnit.objects.filter(access.units_q(Cap.EDIT, field=""), active=True)
        .exclude(kind="kf")
        .order_by("path")
    )


def visible_risks(user):
    return Risk.objects.filter(access_for(user).units_q(Cap.VIEW, field="unit"))


def visible_analyses(user):
    return RiskAnalysis.objects.filter(access_for(user).units_q(Cap.VIEW, field="committee"))


def get_risk_for_view(request, pk) -> Risk:
    qs = Risk.objects.select_related("unit", "analysis__committee", "predecessor__analysis")
    return get_object_or_404(qs.filter(access_for(request.user).units_q(Cap.VIEW, "unit")), pk=pk)


def get_risk_for_edit(request, pk) -> Risk:
    risk = get_risk_for_view(request, pk)
    if not can_edit(request.user, risk.unit):
        raise refusal(Cap.EDIT, risk.unit)
    return risk


def get_analysis_for_view(request, pk) -> RiskAnalysis:
    qs = RiskAnalysis.objects.select_related("committee", "predecessor")
    return get_object_or_404(
        qs.filter(access_for(request.user).units_q(Cap.VIEW, "committee")), pk=pk
    )


def get_analysis_for_edit(request, pk) -> RiskAnalysis:
    """The committee's editors write its internal control plan."""
    analysis = get_analysis_for_view(request, pk)
    if not can_edit(request.user, analysis.committee):
        raise refusal(Cap.EDIT, analysis.committee)
    return analysis


def get_analysis_for_adopt(request, pk) -> RiskAnalysis:
    analysis = get_analysis_for_view(request, pk)
    if not can_adopt(request.user, analysis):
        raise refusal(Cap.APPROVE, analysis.committee)
    return analysis


def get_control_for_edit(request, analysis: RiskAnalysis, pk) -> Control:
    return get_object_or_404(Control.objects.select_related("risk"), pk=pk, analysis=analysis)
