"""Importing the full workbook: read → plan (per sheet) → apply.

Three layers, each in its own module:

- :mod:`.reader` (``read_rows``) opens the workbook (already passed by
  :mod:`goals.workbook.safety`) and converts every cell of the known sheets; the
  problems of cells and headings. No database.
- a planner per sheet (:mod:`.plan_goals`, :mod:`.plan_activities`,
  :mod:`.plan_indicators`, :mod:`.plan_targets`, :mod:`.plan_results`, run in that
  order by :mod:`.planner`: ``plan_rows``, ``read_plan``) matches each row with the
  database and plans it: created, changed (which columns, from what to what) or
  unchanged, with every problem by sheet, row, column and a Swedish message. The
  domain rules and their messages are those of :mod:`goals.rules` and of the
  services' locks, as on the screens. It writes nothing.
- :mod:`.apply` (``apply_plan``) carries out a plan without problems in one
  transaction, through the services only: ``versioned_save``, ``targets_save`` and,
  for the results (tens of thousands of rows), ``measurements_save``, which writes
  in bulk with a history record naming the importing user and refreshes the
  indicators' latest values once.

Rules:

- Rows are matched on ``Id``. An empty ``Id`` creates a row; a whole number
  changes the row with that id (it must exist); any other text (``ny-1``) creates
  a row that other rows of the same workbook may refer to by that name, e.g. a new
  committee goal whose ``Överordnat id`` is a new council goal. That text (or the
  ``Externt id`` column) is kept as the row's external id: :mod:`.external` matches it
  before planning, so the same workbook imported again creates nothing twice.
  Targets are matched on indicator and year, results on indicator, period and
  gender.
- Nothing is ever deleted: rows missing from the workbook, and sheets left out,
  are left alone.
- Access: a row may be created or changed only in an org unit the importing user
  manages (controller or administrator there or above); for a row that moves, both
  the old and the new unit. Unchanged rows and rows only referred to (a parent goal
  owned by the council) need no right. ``user=None`` (the command line without
  ``--user``) may change everything.
- A value of a period whose follow-up round is closed, and a target of a year
  whose annual report is closed, cannot change (see :mod:`goals.extensions`): the
  preview lists them and the services refuse them again when the plan is applied.
"""

from goals.workbook.importer.apply import PlanNotApplicable, apply_plan
from goals.workbook.importer.plan import (
    CHANGE,
    CREATE,
    INVALID,
    UNCHANGED,
    Change,
    Plan,
    Problem,
    RowPlan,
)
from goals.workbook.importer.planner import plan_rows, read_plan
from goals.workbook.importer.reader import RawRow, read_rows

__all__ = [
    "CHANGE",
    "CREATE",
    "INVALID",
    "UNCHANGED",
    "Change",
    "Plan",
    "PlanNotApplicable",
    "Problem",
    "RawRow",
    "RowPlan",
    "apply_plan",
    "plan_rows",
    "read_plan",
    "read_rows",
]
