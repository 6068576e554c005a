"""The plan of an import: what each row would do, and every problem found."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from goals.workbook.columns import all_sheets
from ledmot.lib.charts import format_number

CREATE, CHANGE, UNCHANGED, INVALID = "create", "change", "unchanged", "invalid"


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowPlan:
    sheet: str  # Sheet.key
    row: int
    action: str = UNCHANGED
    label: str = ""
    changes: list[Change] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # resolved values to save
    pk: int | None = None  # the existing row
    name: str | None = None  # a new row's name in the workbook (the Id text)
    version: int | None = None  # the existing row's version when planned
    ok: bool = True


@dataclass
class Plan:
    sheets: list[str] = field(default_factory=list)  # Sheet.key of the sheets read
    rows: dict[str, list[RowPlan]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, dict[str, int]]:
        out = {}
        for key in self.sheets:
            c = {CREATE: 0, CHANGE: 0, UNCHANGED: 0, INVALID: 0}
            for r in self.rows.get(key, ()):
                c[r.action] += 1
            out[key] = c
        return out

    @property
    def has_changes(self) -> bool:
        return any(r.action in (CREATE, CHANGE) for rows in self.rows.values() for r in rows)

    def fingerprint(self) -> str:
        """Changes when the plan would do anything different: confirm compares it with
        the preview's, so nothing is applied that the user did not see."""
        digest = hashlib.sha256()
        for key in sorted(self.rows):
            for r in self.rows[key]:
                if r.action not in (CREATE, CHANGE):
                    continue
                item = [key, r.row, r.action, r.pk, r.version]
                item += [(c.column, c.old, c.new) for c in r.changes]
                digest.update(json.dumps(item, default=str, ensure_ascii=False).encode())
        for p in self.problems:
            digest.update(json.dumps(p.as_dict(), ensure_ascii=False).encode())
        return digest.hexdigest()

    def summary(self, max_rows: int = 1000) -> dict:
        """What the preview page shows, as JSON: counts, problems and the rows that
        would be created or changed (at most ``max_rows`` of them listed)."""
        listed = []
        total = 0
        for sheet in all_sheets():
            for r in self.rows.get(sheet.key, ()):
                if r.action not in (CREATE, CHANGE):
                    continue
                total += 1
                if len(listed) < max_rows:
                    listed.append(
                        {
                            "sheet": sheet.name,
                            "row": r.row,
                            "action": r.action,
                            "label": r.label,
                            "changes": [[c.column, c.old, c.new] for c in r.changes],
                        }
                    )
        return {
            "counts": self.counts(),
            "problems": [p.as_dict() for p in self.problems],
            "rows": listed,
            "rows_total": total,
            "row_count": self.row_count,
            "fingerprint": self.fingerprint(),
        }


def show(value) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        return format_number(value, decimals=max(0, -exponent if isinstance(exponent, int) else 0))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
