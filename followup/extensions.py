"""Extension points of the follow-up reports, for the apps that build on followup
(economy, internal control …); dependencies point one way: followup never imports them.

``REPORT_SECTIONS``: callables ``(rnd, org) -> ReportSection | None`` adding a chapter
to a round's report PDF (``followup.report_document``), for the whole municipality
(``org`` None) or for one committee. A section is placed after the summary and the
assignments, before the goal chapters, in the order of ``ReportSection.order``, and
listed in the contents. Its template is rendered with the section's ``context`` and
``doc`` (the whole report); it begins with its own ``<h2>``. The callable must run a
fixed number of queries whatever the size of the municipality, and return None when it
has nothing to say for that round and scope (then no heading is printed).

``DAILY_REMINDERS``: ``(what, send)`` pairs run by ``manage.py send_reminders`` after the
report reminders, so one daily job sends every reminder of the application: ``send(today)``
returns a summary with ``sent``, ``skipped_no_recipient`` (the names of what had nobody
to mail) and ``failed`` (the names of what the mail server did not take: send them with
``ledmot.lib.mail.send_once``, so the next run tries again), and ``what`` names the
reminders in the command's output ("påminnelser om revidering"). Each must be safe to
run twice (a sent-log under a unique constraint).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ReportSection:
    anchor: str  # the id of the <section>, unique in the document
    title: str  # the chapter heading, also shown in the contents
    template: str  # renders the chapter's body (after its <h2>)
    context: dict = field(default_factory=dict)
    order: int = 100


REPORT_SECTIONS: list[Callable[..., ReportSection | None]] = []
DAILY_REMINDERS: list[tuple[object, Callable]] = []


def report_sections(rnd, org) -> list[ReportSection]:
    """The chapters other apps add to the report of ``rnd`` for ``org``."""
    found = [s for build in REPORT_SECTIONS if (s := build(rnd, org)) is not None]
    return sorted(found, key=lambda s: (s.order, s.anchor))


REPORT_PAGE_SECTIONS: list[Callable[..., dict | None]] = []
"""Callables ``(report, user, editable) -> dict | None`` adding a part to a report's page
(after its assignments): a dict with ``template`` (rendered with the dict as
``section``), or None for nothing; e.g. control asks for the results of the unit's
internal controls. The part's forms post to the app's own views."""

ROUND_DASHBOARD_SECTIONS: list[Callable[..., dict | None]] = []
"""Callables ``(rnd, user) -> dict | None`` adding a part to a round's dashboard (after
the overdue assignments), as ``REPORT_PAGE_SECTIONS``; e.g. the controls not reported."""


def extra_sections(hooks, *args) -> list[dict]:
    """The parts other apps add through ``hooks`` (one of the lists above)."""
    return [s for build in hooks if (s := build(*args)) is not None]
