"""What the API reads and writes, as typed schemas: the OpenAPI description served at
``/api/v1/openapi.json`` is generated from these. Fields that may be ``null`` with a
default are those the public (no token) does not get: it reads only the fields the
portal shows (``portal.publication.PUBLIC_FIELDS``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Meddelanden per fält, t.ex. values[0].period."
    )


class PageBase(Schema):
    count: int
    next: str | None
    previous: str | None


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    active: bool


class GoalOut(Schema):
    id: int
    title: str
    description: str
    level: str
    status: str | None = None
    owner_id: int
    parent_id: int | None
    perspective_name: str | None
    mandate_start_year: int
    mandate_end_year: int
    decision_reference: str
    decided_on: datetime.date | None


class IndicatorOut(Schema):
    id: int
    name: str
    description: str
    unit: str
    decimals: int
    direction: str
    frequency: str
    kind: str
    source: str | None = None
    kolada_id: str
    gender_breakdown: bool
    baseline_value: Decimal | None
    baseline_year: int | None
    responsible_unit_id: int | None = None
    ended_on: datetime.date | None = None
    goal_ids: list[int]


class TargetOut(Schema):
    indicator_id: int
    year: int
    value: Decimal


class ResultOut(Schema):
    id: int | None = None
    indicator_id: int
    period: str
    year: int
    gender: str
    value: Decimal | None
    comment: str | None = None
    source: str | None = None
    entered_at: datetime.datetime | None = None


class AssessmentOut(Schema):
    id: int | None = None
    goal_id: int
    report_id: int | None = None
    org_unit_id: int | None = None
    round_id: int
    round_name: str
    round_year: int
    round_status: str | None = None
    report_status: str | None = None
    proposed: str | None = None
    chosen: str
    analysis: str
    measures: str


class UnitPage(PageBase):
    results: list[UnitOut]


class GoalPage(PageBase):
    results: list[GoalOut]


class IndicatorPage(PageBase):
    results: list[IndicatorOut]


class TargetPage(PageBase):
    results: list[TargetOut]


class ResultPage(PageBase):
    results: list[ResultOut]


class AssessmentPage(PageBase):
    results: list[AssessmentOut]


class ResultIn(Schema):
    indicator: int = Field(description="Indikatorns id.")
    period: str = Field(description="2024, 2024-T1 eller 2024-03.", examples=["2024"])
    gender: str = Field("T", description="T (totalt), K (kvinnor) eller M (män).")
    value: Decimal | None = Field(description="Värdet; null för ett tomt värde.")
    comment: str | None = Field(
        None, description="Kommentar; utelämnad eller null behåller den sparade."
    )


class ResultsIn(Schema):
    values: list[ResultIn] = Field(min_length=1, max_length=5000)


class ResultsSaved(Schema):
    saved: int = Field(description="Antal värden som skrevs (oförändrade skrivs inte).")
    unchanged: int
