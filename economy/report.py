"""The "God ekonomisk hushållning" chapter of a round's report PDF (KL 11 kap. 1 §,
LKBR 11 kap. 12 § and 13 kap.), registered in ``followup.extensions.REPORT_SECTIONS``.

The chapter holds the financial goals and the operational goals with the assessment
made in the round, the controller's written overall judgement (``EconomyJudgement``),
and per committee the budget, the outcome and the deviation; an interim round's report
also carries the full-year forecast per committee and for the municipality, and its
deviation against budget. A committee's report adds the cost per result of the
committee's result indicators (``economy.cost_per_result``, as on its page), for the
latest full year up to the round's. The figures are those of the same read as the screens
(``economy.figures.figures_for``), as known at the round's period end. Five queries
whatever the size of the municipality (a committee's report: up to four more).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from economy.cost_per_result import cost_rows
from economy.figures import UnitFigures, figures_for
from economy.models import EconomyJudgement
from followup.extensions import ReportSection
from followup.models import FollowUpRound, GoalAssessment
from followup.rules import counts
from goals.fulfilment import SYMBOLS, Assessment
from goals.models import LIVE_STATUSES, Goal, GoalLevel, GoalType, MandatePeriod
from ledmot.lib.numbers import kronor_text
from ledmot.models import OrgKind, OrgUnit

TEMPLATE = "economy/_report_geh.html"


@dataclass
class GoalRow:
    goal: Goal
    assessment: str  # an Assessment value

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.assessment, "–")

    @property
    def label(self) -> str:
        return str(Assessment(self.assessment).label)


@dataclass
class MoneyRow:
    unit: OrgUnit
    figures: UnitFigures
    total: bool = False

    @property
    def outcome_deviation(self) -> str:
        return kronor_text(self.figures.outcome_deviation)

    @property
    def forecast_deviation(self) -> str:
        return kronor_text(self.figures.forecast_deviation)


def is_interim(rnd: FollowUpRound) -> bool:
    """A round before the year's end reports a forecast: the delårsrapport (and a
    tertialrapport); the årsredovisning reports the year's outcome."""
    return rnd.kind.is_interim or (rnd.period_end.month, rnd.period_end.day) != (12, 31)


def _goal_rows(rnd: FollowUpRound, org: OrgUnit | None) -> tuple[list[GoalRow], list[GoalRow]]:
    """The financial and the operational goals the report's body covers: the council's
    in the municipality's report, the committee's own in a committee's."""
    period = MandatePeriod.objects.filter(start_year__lte=rnd.year, end_year__gte=rnd.year).first()
    if period is None:
        return [], []
    goals = Goal.objects.filter(mandate_period=period, status__in=LIVE_STATUSES)
    if org is None:
        goals = goals.filter(level=GoalLevel.COUNCIL)
    else:
        goals = goals.filter(level=GoalLevel.COMMITTEE, owner__path__startswith=org.path)
    goals = list(goals.select_related("owner").order_by("owner__path", "order", "pk"))
    assessed = {
        a.goal_id: a.chosen
        for a in GoalAssessment.objects.filter(
            report__round=rnd, goal__in=[g.pk for g in goals]
        ).select_related("report")
        if a.chosen and counts(a.report.status)
    }
    rows = [GoalRow(g, assessed.get(g.pk) or Assessment.NOT_ASSESSED) for g in goals]
    financial = [r for r in rows if r.goal.goal_type == GoalType.FINANCIAL]
    operational = [r for r in rows if r.goal.goal_type != GoalType.FINANCIAL]
    return financial, operational


def _money_rows(rnd: FollowUpRound, org: OrgUnit | None, until: str | None) -> list[MoneyRow]:
    """Per committee (and the municipality) the year's figures as known at the round's
    period end; a committee's report has its own row only."""
    if org is not None:
        units, root = [org], None
    else:
        units = list(OrgUnit.objects.filter(kind=OrgKind.COMMITTEE, active=True).order_by("path"))
        root = OrgUnit.objects.filter(kind=OrgKind.COUNCIL, parent__isnull=True).first()
    figures = figures_for([*units, *([root] if root else [])], rnd.year, until=until)
    rows = [MoneyRow(u, figures[u.pk]) for u in units if u.pk in figures]
    if root is not None and root.pk in figures:
        rows.append(MoneyRow(root, figures[root.pk], total=True))
    return [r for r in rows if not r.figures.empty]


def geh_section(rnd: FollowUpRound, org: OrgUnit | None) -> ReportSection | None:
    """The chapter, or None when there are no financial goals, no judgement and no
    figures for the round's year (then nothing is printed)."""
    interim = is_interim(rnd)
    until = None if not interim else f"{rnd.year}-{rnd.period_end.month:02d}"
    financial, operational = _goal_rows(rnd, org)
    judgement = EconomyJudgement.objects.filter(round=rnd).values_list("text", flat=True).first()
    money = _money_rows(rnd, org, until)
    costs = cost_rows(org, rnd.period_end) if org is not None else []
    if not (financial or judgement or money or costs):
        return None
    return ReportSection(
        anchor="god-ekonomisk-hushallning",
        title=_("God ekonomisk hushållning"),
        template=TEMPLATE,
        context={
            "interim": interim,
            "financial": financial,
            "operational": operational,
            "judgement": judgement or "",
            "money": money,
            "costs": costs,
            "whole": org is None,
        },
        order=30,
    )
