"""The layout of the full workbook, declared once for the export and the import.

The sheet and column headings are the file format, not user interface text: they
stay Swedish whatever language the user has chosen, so a workbook exported by one
user can be imported by another. Choice columns are written with their Swedish
label; the import also accepts the stored code (``adopted``) in any case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from goals.models import (
    Activity,
    ActivityStatus,
    Direction,
    Frequency,
    Gender,
    Goal,
    GoalLevel,
    GoalStatus,
    GoalType,
    Indicator,
    IndicatorKind,
    Measurement,
)
from ledmot.lib.text import field_length as _length

# Kinds of cells: how a value is written and how it is read back.
ID = "id"  # a row's own id: a whole number, empty for a new row, or a name for a new row
REF = "ref"  # a reference to another row's id (or a new row's name)
REFS = "refs"  # several references separated by commas
TEXT = "text"
NUMBER = "number"  # Swedish numbers accepted: 12,5 and 1 234
YEAR = "year"
DATE = "date"
CHOICE = "choice"
PERIOD = "period"  # a reporting period: 2024, 2024-T1, 2024-03
MANDATE = "mandate"  # a mandate period: 2023-2026, or a year inside it
UNIT = "unit"  # an org unit: its code, else its exact name
EXTERNAL = "external"  # the key a row is known by outside LedMot (goals.rules.external_id_error)
KRONOR = "kronor"  # whole kronor: 1 250 000 or −40 000 (ledmot.lib.numbers.parse_kronor)


@dataclass(frozen=True)
class Col:
    heading: str
    key: str
    kind: str = TEXT
    width: int = 18
    required: bool = False
    max_length: int | None = None
    choices: dict[str, str] | None = None  # Swedish label → stored code


@dataclass(frozen=True)
class Sheet:
    name: str
    key: str  # goals, activities, indicators, targets, results
    columns: tuple[Col, ...]

    def column(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]


LEVELS = {"KF": GoalLevel.COUNCIL, "Nämnd": GoalLevel.COMMITTEE, "Enhet": GoalLevel.UNIT}
GOAL_STATUSES = {
    "Förslag": GoalStatus.PROPOSED,
    "Antaget": GoalStatus.ADOPTED,
    "Reviderat": GoalStatus.REVISED,
    "Avslutat": GoalStatus.ENDED,
}
ACTIVITY_STATUSES = {
    "Ej påbörjad": ActivityStatus.NOT_STARTED,
    "Pågår": ActivityStatus.IN_PROGRESS,
    "Klar": ActivityStatus.DONE,
    "Försenad": ActivityStatus.DELAYED,
    "Avbruten": ActivityStatus.CANCELLED,
}
DIRECTIONS = {
    "Högre är bättre": Direction.HIGHER,
    "Lägre är bättre": Direction.LOWER,
    "Så nära målvärdet som möjligt": Direction.TARGET,
}
FREQUENCIES = {"År": Frequency.YEAR, "Tertial": Frequency.TERTIAL, "Månad": Frequency.MONTH}
GOAL_TYPES = {"Verksamhetsmål": GoalType.OPERATIONAL, "Finansiellt mål": GoalType.FINANCIAL}
INDICATOR_KINDS = {
    "Resurs": IndicatorKind.RESOURCE,
    "Prestation": IndicatorKind.PERFORMANCE,
    "Resultat": IndicatorKind.RESULT,
}
GENDERS = {"T": Gender.TOTAL, "K": Gender.WOMEN, "M": Gender.MEN}


def label_of(choices: dict[str, str], code: str) -> str:
    """The Swedish label a stored code is written as."""
    for label, value in choices.items():
        if value == code:
            return label
    return code


GOALS = Sheet(
    "Mål",
    "goals",
    (
        Col("Id", "id", ID, 8),
        Col("Nivå", "level", CHOICE, 8, required=True, choices=LEVELS),
        Col("Överordnat id", "parent", REF, 14),
        Col("Organisation", "owner", UNIT, 16, required=True),
        Col("Titel", "title", TEXT, 60, required=True, max_length=_length(Goal, "title")),
        Col("Beskrivning", "description", TEXT, 60, max_length=_length(Goal, "description")),
        Col("Perspektiv", "perspective", TEXT, 16, required=True),
        Col("Period", "mandate_period", MANDATE, 11, required=True),
        Col("Status", "status", CHOICE, 12, required=True, choices=GOAL_STATUSES),
        Col("Externt id", "external_id", EXTERNAL, 14),
        # Last, and optional: workbooks written before it still import (empty = unchanged).
        Col("Måltyp", "goal_type", CHOICE, 16, choices=GOAL_TYPES),
    ),
)
ACTIVITIES = Sheet(
    "Aktiviteter",
    "activities",
    (
        Col("Id", "id", ID, 8),
        Col("Mål-id", "goal", REF, 8, required=True),
        Col("Organisation", "owner", UNIT, 16, required=True),
        Col("Titel", "title", TEXT, 60, required=True, max_length=_length(Activity, "title")),
        Col("Ansvarig", "responsible", TEXT, 24, max_length=_length(Activity, "responsible")),
        Col("Start", "start", DATE, 12),
        Col("Slut", "end", DATE, 12),
        Col("Status", "status", CHOICE, 12, required=True, choices=ACTIVITY_STATUSES),
        Col("Externt id", "external_id", EXTERNAL, 14),
        # Last, and optional: a workbook written before it imports with the costs unchanged;
        # an empty cell under the heading means no cost.
        Col("Kostnad (kr)", "cost", KRONOR, 14),
    ),
)
INDICATORS = Sheet(
    "Indikatorer",
    "indicators",
    (
        Col("Id", "id", ID, 8),
        Col("Namn", "name", TEXT, 60, required=True, max_length=_length(Indicator, "name")),
        Col("Måttenhet", "unit", TEXT, 10, max_length=_length(Indicator, "unit")),
        Col("Riktning", "direction", CHOICE, 18, required=True, choices=DIRECTIONS),
        Col("Frekvens", "frequency", CHOICE, 10, required=True, choices=FREQUENCIES),
        Col("Mål-id", "goals", REFS, 14),
        Col("Kolada-id", "kolada_id", TEXT, 12, max_length=_length(Indicator, "kolada_id")),
        Col("Ansvarig organisation", "responsible_unit", UNIT, 20, required=True),
        Col("Utgångsvärde", "baseline_value", NUMBER, 12),
        Col("Utgångsår", "baseline_year", YEAR, 10),
        Col("Externt id", "external_id", EXTERNAL, 14),
        # Last, and optional: workbooks written before it still import (empty = unchanged).
        Col("Typ", "kind", CHOICE, 12, choices=INDICATOR_KINDS),
    ),
)
TARGETS = Sheet(
    "Målvärden",
    "targets",
    (
        Col("Indikator-id", "indicator", REF, 12, required=True),
        Col("År", "year", YEAR, 8, required=True),
        Col("Målvärde", "value", NUMBER, 12, required=True),
    ),
)
RESULTS = Sheet(
    "Utfall",
    "results",
    (
        Col("Indikator-id", "indicator", REF, 12, required=True),
        Col("Period", "period", PERIOD, 10, required=True),
        Col("Kön", "gender", CHOICE, 6, choices=GENDERS),
        Col("Värde", "value", NUMBER, 12),
        Col("Kommentar", "comment", TEXT, 50, max_length=_length(Measurement, "comment")),
    ),
)

SHEETS: tuple[Sheet, ...] = (GOALS, ACTIVITIES, INDICATORS, TARGETS, RESULTS)
SHEET_BY_NAME = {s.name: s for s in SHEETS}


@dataclass(frozen=True)
class SheetExtension:
    """A sheet another app adds to the workbook (``goals.extensions.WORKBOOK_SHEETS``).

    ``rows(ws, scope)``: the export's rows (lists of cells) for the org units ``scope``
    (a filter on OrgUnit); ``count(scope)``: how many; ``plan(ctx)``: plans the sheet's
    rows read into ``ctx.raw[sheet.key]`` (see ``goals.workbook.importer.context``);
    ``apply(rows, user=, reason=)``: saves the planned rows to create or change."""

    sheet: Sheet
    rows: Callable
    count: Callable
    plan: Callable
    apply: Callable


def extensions() -> list[SheetExtension]:
    from goals.extensions import WORKBOOK_SHEETS

    return list(WORKBOOK_SHEETS)


def all_sheets() -> tuple[Sheet, ...]:
    """Goals' own sheets and those other apps add, in the workbook's order."""
    return SHEETS + tuple(e.sheet for e in extensions())
