"""Extension points for apps that build on goals (dependencies point one way:
goals never imports followup or priorities; they register here instead).

``CHAIN_COLUMNS``: callables ``(goal_id) -> {attribute: (sql, params)}`` giving text
columns of every chain query (Röda tråden, branches, goal and unit pages): scalar SQL
expressions on ``goal_id``, the SQL of the goal's id column. Röda tråden's raw query
selects them, ``Goal.objects.for_chain()`` annotates them (``RawSQL``), so an app adds
to the same single query, e.g. followup adds the latest assessment as
``followup_assessment`` and ``followup_round``, which the chain rows show.

``MEASUREMENT_LOCKS``: callables ``(unit_ids) -> {(unit_id, period): label}`` naming
the indicator values that may no longer change: those of a period whose follow-up
round is closed, for the indicators of a unit that reported in it. followup
registers the closed rounds here, and the rounds still open in which the unit's
report is approved: such a label is an :class:`ApprovedReportLabel`, so the messages
say that an approved report (not a closed round) holds the value.

``TARGET_LOCKS``: callables ``(unit_ids) -> {(unit_id, year): label}`` naming the
years whose targets may no longer change, for the indicators of a unit: followup
registers the closed annual reports (a round that covers the whole year).

``UNIT_PAGE_SECTIONS``: callables ``(unit, user, today) -> dict | None`` giving a
section shown first on a unit's page (*Min enhet*): a dict with ``template`` (rendered
with the dict as its context's ``section``) or None for nothing. followup adds the
unit's reports in the open rounds, with their deadline, state and a link to write them.

``MEASUREMENT_LOCKS`` and ``TARGET_LOCKS`` are asked by :mod:`goals.services`
(``measurements_save``, ``targets_save``), the one write path of values and targets,
so every way in (the results screen, the report page, the Excel import, Kolada, the
admin) refuses the same writes with the same message (see :mod:`goals.rules`).

``START_NOTICES``: callables ``(request) -> str`` giving a section of HTML for the
person's start page ("" when there is nothing): followup registers the person's unread
notices about reports (submitted to them, returned or approved).
"""

from collections.abc import Callable

CHAIN_COLUMNS: list[Callable[[str], dict[str, tuple[str, list]]]] = []
MEASUREMENT_LOCKS: list[Callable] = []


class ApprovedReportLabel(str):
    """The label (the round's name) of a lock held by the unit's approved report in a
    round that is still open: the approver can undo the approval, and the lock goes
    with it (see ``goals.rules.value_locked_message``)."""


TARGET_LOCKS: list[Callable] = []
START_NOTICES: list[Callable] = []
UNIT_PAGE_SECTIONS: list[Callable] = []
WORKBOOK_SHEETS: list = []
"""Sheets other apps add to the full workbook (``goals.workbook``), each a
:class:`goals.workbook.columns.SheetExtension`: its layout (a ``Sheet`` of the same
``Col`` kinds), its export rows, its planner (run after goals' own sheets, on the same
``Context``: problems by sheet, row and column, nothing written) and its apply (inside
``apply_plan``'s transaction, through the app's own service). economy adds «Ekonomi»."""
UNIT_PLAN_SECTIONS: list[Callable] = []
"""Callables ``(unit, year, user) -> dict | None`` giving a section of a unit's
verksamhetsplan (:mod:`goals.unit_plan`), shown on its screen and in its PDF after the
unit's own goals and written to its Excel export as a sheet of its own; None for
nothing. The dict has ``key`` (for the heading's id), ``title``, ``columns`` (the
headings), ``rows`` (a list of lists of cell values) and ``empty`` (the text when there
are no rows); ``template`` (default ``goals/_unit_plan_section.html``, a table of the
rows) and ``pdf_template`` may draw it otherwise, with the dict as ``section``. The
assignments (uppdrag, issue 15 point 3) are to register here."""
GOAL_PAGE_SECTIONS: list[Callable] = []
"""Callables ``(goal, user) -> dict | None`` giving a section of a goal's page, shown
after its indicators: a dict with ``template`` (rendered with the dict as its context's
``section``), or None for nothing. steering adds the steering documents (styrdokument)
that the goal stands on."""
UNIT_BUDGETS: list[Callable] = []
"""Callables ``(units, years) -> {unit_pk: {year: kronor or None}}`` giving units'
budgets for the years in a fixed number of queries: economy registers the budget its
committee page shows (entered, or summed from the units). The priorities read it
(:func:`priorities.budget.budget_of`) to show a round's frame and a fact sheet's cost
beside the committee's budget; kept here so neither app imports the other."""
