"""Excel exports of the goals screens: the columns, declared once.

Each list screen (Röda tråden, Aktiviteter, Indikatorer, Målstrukturanalys)
exports what its filters show with ``?export=xlsx``; the view builds the same
queryset it renders and hands it to one of the ``*_sheet`` functions here.
Headings come from the models' ``verbose_name`` where a field is exported as is.

Every function reads only what it is given: the views load rows in a fixed
number of queries, and nothing here may touch the database per row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from goals.fulfilment import Assessment
from goals.models import (
    Activity,
    ActivityStatus,
    Direction,
    Frequency,
    Gender,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    Measurement,
    Target,
)
from ledmot.lib.xlsx import Column, Formatted, Sheet, decimals_format
from ledmot.models import OrgUnit

INTEGER = "0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"


def heading(model, field: str):
    """A column heading from the field's verbose_name: "Framdrift (%)"."""
    return capfirst(model._meta.get_field(field).verbose_name)


@dataclass(frozen=True)
class Field:
    column: Column
    value: Callable[[Any], Any]


def col(title, width: int, value: Callable[[Any], Any], number_format: str | None = None):
    return Field(Column(title, width, number_format), value)


def sheet(title, fields: list[Field], objects: Iterable) -> Sheet:
    return Sheet(
        str(title),
        [f.column for f in fields],
        ([f.value(obj) for f in fields] for obj in objects),
    )


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else ""


def _name(unit: OrgUnit | None) -> str:
    return unit.name if unit is not None else ""


# --------------------------------------------------------------------------- goals


def goal_proposal(goal: Goal) -> str:
    """The proposed fulfilment as the chain row shows it: only for a measured live goal."""
    if not goal.indicator_count or goal.status == GoalStatus.ENDED:
        return ""
    return _label(Assessment, goal.proposal)


# Each goal carries ``export_parent`` and ``export_committee`` (set by the view from
# rows it already has) besides the annotations of ``GoalQuerySet.for_chain``.
GOAL_FIELDS = [
    col(_("Id"), 8, lambda g: g.pk, INTEGER),
    col(heading(Goal, "level"), 22, lambda g: _label(GoalLevel, g.level)),
    col(heading(Goal, "title"), 60, lambda g: g.title),
    col(heading(Goal, "parent"), 50, lambda g: g.export_parent.title if g.export_parent else ""),
    col(_("Överordnat mål, id"), 10, lambda g: g.export_parent.pk if g.export_parent else None),
    col(heading(Goal, "owner"), 36, lambda g: _name(g.owner)),
    col(_("Nämnd"), 36, lambda g: _name(g.export_committee)),
    col(heading(Goal, "perspective"), 18, lambda g: g.perspective.name),
    col(heading(Goal, "status"), 12, lambda g: _label(GoalStatus, g.status)),
    col(heading(Goal, "shared"), 10, lambda g: g.shared if g.level == GoalLevel.COUNCIL else None),
    col(_("Förslag till måluppfyllelse"), 20, goal_proposal),
    col(
        _("Bedömning i uppföljning"),
        20,
        lambda g: _label(Assessment, getattr(g, "followup_assessment", None)),
    ),
    col(_("Uppföljning"), 20, lambda g: getattr(g, "followup_round", None) or ""),
    col(_("Kedjan bruten"), 10, lambda g: bool(g.chain_broken)),
    col(_("Underordnade mål"), 12, lambda g: g.child_count, INTEGER),
    col(_("Indikatorer"), 12, lambda g: g.indicator_count, INTEGER),
    col(_("Aktiviteter"), 12, lambda g: g.activity_count, INTEGER),
    col(heading(Goal, "responsible"), 24, lambda g: g.responsible),
    col(heading(Goal, "decision_reference"), 16, lambda g: g.decision_reference),
    col(heading(Goal, "decision_paragraph"), 10, lambda g: g.decision_paragraph),
    col(heading(Goal, "decided_on"), 12, lambda g: g.decided_on, DATE),
    col(heading(Goal, "description"), 60, lambda g: g.description),
]


def goal_sheet(goals: Iterable[Goal]) -> Sheet:
    return sheet(_("Röda tråden"), GOAL_FIELDS, goals)


# --------------------------------------------------------------------------- activities


def activity_fields(today: datetime.date) -> list[Field]:
    return [
        col(_("Id"), 8, lambda a: a.pk, INTEGER),
        col(heading(Activity, "title"), 50, lambda a: a.title),
        col(heading(Activity, "status"), 12, lambda a: _label(ActivityStatus, a.status)),
        col(heading(Activity, "progress"), 12, lambda a: a.progress, INTEGER),
        col(heading(Activity, "start"), 12, lambda a: a.start, DATE),
        col(heading(Activity, "end"), 12, lambda a: a.end, DATE),
        col(_("Försenad"), 10, lambda a: a.is_overdue(today)),
        col(heading(Activity, "responsible"), 24, lambda a: a.responsible),
        col(heading(Activity, "owner"), 36, lambda a: _name(a.owner)),
        col(heading(Activity, "goal"), 50, lambda a: a.goal.title),
        col(_("Mål, id"), 8, lambda a: a.goal_id, INTEGER),
        col(_("Målnivå"), 22, lambda a: _label(GoalLevel, a.goal.level)),
        col(_("Målets ägare"), 36, lambda a: _name(a.goal.owner)),
        col(heading(Activity, "description"), 60, lambda a: a.description),
    ]


def activity_sheet(activities: Iterable[Activity], today: datetime.date) -> Sheet:
    return sheet(_("Aktiviteter"), activity_fields(today), activities)


# --------------------------------------------------------------------------- indicators


def value_of(indicator: Indicator, value):
    """A value with the indicator's decimals as its number format."""
    return Formatted(value, decimals_format(indicator.decimals)) if value is not None else None


def _latest(ind: Indicator, attr: str):
    latest = getattr(ind, "latest", None)
    return getattr(latest, attr, None) if latest is not None else None


# Each indicator carries ``export_goals`` (the goals the user may see), ``stale`` and
# ``outcome``, set by the view from rows it already has.
INDICATOR_FIELDS = [
    col(_("Id"), 8, lambda i: i.pk, INTEGER),
    col(heading(Indicator, "name"), 50, lambda i: i.name),
    col(heading(Indicator, "unit"), 10, lambda i: i.unit),
    col(heading(Indicator, "responsible_unit"), 36, lambda i: _name(i.responsible_unit)),
    col(heading(Indicator, "frequency"), 10, lambda i: _label(Frequency, i.frequency)),
    col(heading(Indicator, "source"), 16, lambda i: _label(IndicatorSource, i.source)),
    col(heading(Indicator, "kolada_id"), 12, lambda i: i.kolada_id),
    col(heading(Indicator, "kind"), 12, lambda i: _label(IndicatorKind, i.kind)),
    col(heading(Indicator, "direction"), 24, lambda i: _label(Direction, i.direction)),
    col(heading(Indicator, "decimals"), 10, lambda i: i.decimals, INTEGER),
    col(heading(Indicator, "gender_breakdown"), 12, lambda i: i.gender_breakdown),
    col(heading(Indicator, "baseline_value"), 14, lambda i: value_of(i, i.baseline_value)),
    col(heading(Indicator, "baseline_year"), 10, lambda i: i.baseline_year, INTEGER),
    col(_("Senaste period"), 12, lambda i: _latest(i, "period") or ""),
    col(_("Senaste utfall"), 14, lambda i: value_of(i, _latest(i, "value"))),
    col(_("Målvärde samma år"), 14, lambda i: value_of(i, _latest(i, "target"))),
    col(_("Utfall mot mål"), 18, lambda i: _label(Assessment, i.outcome)),
    col(_("Inaktuell"), 10, lambda i: i.stale),
    col(_("Mål"), 60, lambda i: "; ".join(g.title for g in i.export_goals)),
    col(heading(Indicator, "description"), 60, lambda i: i.description),
]

TARGET_FIELDS = [
    col(_("Indikator, id"), 10, lambda t: t.indicator_id, INTEGER),
    col(heading(Target, "indicator"), 50, lambda t: t.indicator.name),
    col(heading(Target, "year"), 8, lambda t: t.year, INTEGER),
    col(heading(Target, "value"), 14, lambda t: value_of(t.indicator, t.value)),
]


def _entered_by(m: Measurement) -> str:
    user = m.entered_by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


MEASUREMENT_FIELDS = [
    col(_("Indikator, id"), 10, lambda m: m.indicator_id, INTEGER),
    col(heading(Measurement, "indicator"), 50, lambda m: m.indicator.name),
    col(heading(Measurement, "period"), 10, lambda m: m.period),
    col(heading(Measurement, "year"), 8, lambda m: m.year, INTEGER),
    col(heading(Measurement, "gender"), 10, lambda m: _label(Gender, m.gender)),
    col(heading(Measurement, "value"), 14, lambda m: value_of(m.indicator, m.value)),
    col(heading(Measurement, "source"), 16, lambda m: _label(IndicatorSource, m.source)),
    col(heading(Measurement, "comment"), 50, lambda m: m.comment),
    col(heading(Measurement, "entered_by"), 24, _entered_by),
    col(
        heading(Measurement, "entered_at"),
        18,
        lambda m: timezone.localtime(m.entered_at) if m.entered_at else None,
        DATETIME,
    ),
]


def indicator_sheets(indicators, targets, measurements) -> list[Sheet]:
    return [
        sheet(_("Indikatorer"), INDICATOR_FIELDS, indicators),
        sheet(_("Målvärden"), TARGET_FIELDS, targets),
        sheet(_("Utfall"), MEASUREMENT_FIELDS, measurements),
    ]


# --------------------------------------------------------------------------- Målstrukturanalys

STRUCTURE_FIELDS = [
    col(_("Organisation"), 40, lambda r: _name(r["unit"])),
    col(_("KF-mål"), 10, lambda r: r["counts"][GoalLevel.COUNCIL], INTEGER),
    col(_("Nämndmål"), 10, lambda r: r["counts"][GoalLevel.COMMITTEE], INTEGER),
    col(_("Enhetsmål"), 10, lambda r: r["counts"][GoalLevel.UNIT], INTEGER),
    col(_("Många mål"), 10, lambda r: r["too_many"]),
    col(_("Utan indikator"), 12, lambda r: r["weak"]["no_indicator"], INTEGER),
    col(_("Utan aktivitet"), 12, lambda r: r["weak"]["no_activity"], INTEGER),
    col(_("Bruten kedja"), 12, lambda r: r["weak"]["no_parent"], INTEGER),
    col(_("Ofullständig SMART"), 12, lambda r: r["weak"]["smart_incomplete"], INTEGER),
    col(_("Inaktuella indikatorer"), 14, lambda r: r["stale"], INTEGER),
]


def structure_sheet(rows) -> Sheet:
    return sheet(_("Målstrukturanalys"), STRUCTURE_FIELDS, rows)


# --------------------------------------------------------------------------- verksamhetsplan


def unit_plan_sheets(plan: dict, today: datetime.date) -> list[Sheet]:
    """A unit's verksamhetsplan (the dict of ``goals.unit_plan.unit_plan``) as sheets:
    the texts, the goals above, the own goals, indicators with the year's target,
    activities, then what other apps add (``UNIT_PLAN_SECTIONS``)."""
    texts = plan["plan"]
    year = plan["year"]
    about = [
        (_("Enhet"), plan["unit"].name),
        (_("År"), year),
        (_("Mandatperiod"), str(plan["period"])),
        (_("Grunduppdrag"), texts.basic_mission if texts else ""),
        (_("Nuläge"), texts.current_state if texts else ""),
    ]
    goal_fields = [
        col(_("Id"), 8, lambda g: g.pk, INTEGER),
        col(heading(Goal, "level"), 22, lambda g: _label(GoalLevel, g.level)),
        col(heading(Goal, "title"), 60, lambda g: g.title),
        col(heading(Goal, "perspective"), 18, lambda g: g.perspective.name),
        col(heading(Goal, "status"), 12, lambda g: _label(GoalStatus, g.status)),
        col(heading(Goal, "description"), 60, lambda g: g.description),
    ]
    own_fields = [
        *goal_fields[:3],
        col(heading(Goal, "parent"), 50, lambda g: g.parent.title if g.parent else ""),
        *goal_fields[3:],
    ]
    target = _("Målvärde %(year)s") % {"year": year}
    indicator_rows = [(p.goal, i) for p in plan["goals"] for i in p.indicators] + [
        (None, i) for i in plan["other_indicators"]
    ]
    indicator_fields = [
        col(_("Mål"), 50, lambda gi: gi[0].title if gi[0] else ""),
        col(heading(Indicator, "name"), 50, lambda gi: gi[1].name),
        col(heading(Indicator, "unit"), 10, lambda gi: gi[1].unit),
        col(
            heading(Indicator, "baseline_value"),
            14,
            lambda gi: value_of(gi[1], gi[1].baseline_value),
        ),
        col(heading(Indicator, "baseline_year"), 10, lambda gi: gi[1].baseline_year, INTEGER),
        col(target, 14, lambda gi: value_of(gi[1], gi[1].year_target)),
        col(_("Indikator, id"), 10, lambda gi: gi[1].pk, INTEGER),
    ]
    sheets = [
        Sheet(
            str(plan["title"]),
            [Column(str(_("Uppgift")), 20), Column(str(_("Innehåll")), 100)],
            about,
        ),
        sheet(_("Mål ovanför"), goal_fields, plan["above"]),
        sheet(_("Egna mål"), own_fields, (p.goal for p in plan["goals"])),
        sheet(_("Indikatorer"), indicator_fields, indicator_rows),
        activity_sheet(plan["activities"], today),
    ]
    for section in plan["sections"]:
        columns = [Column(str(c), 30) for c in section["columns"]]
        sheets.append(Sheet(str(section["title"]), columns, section["rows"]))
    return sheets
