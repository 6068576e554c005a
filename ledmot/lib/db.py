"""Fresh query planner statistics after a bulk load, the same on SQLite and PostgreSQL.

A planner chooses its plans from statistics about the tables. SQLite has none until
``ANALYZE`` runs (and picks a poor plan for the unit page without them); PostgreSQL's
autovacuum gets there, later, while the pages are already being read. So wherever data
arrives in bulk — ``seed_scale``, the workbook import (``apply_plan``), the Kolada sync —
:func:`refresh_statistics` is called once with the number of rows written, and this is
the one place that decides whether and how.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction


def refresh_statistics(rows: int | None = None) -> bool:
    """``ANALYZE`` the database when the current transaction commits (at once outside
    one), if ``rows`` rows were written — at least ``LEDMOT_ANALYZE_ROWS`` — or always
    when ``rows`` is None. Returns whether it was asked for."""
    if rows is not None and rows < settings.LEDMOT_ANALYZE_ROWS:
        return False
    transaction.on_commit(analyze)
    return True


def analyze() -> None:
    """Every table's planner statistics, now (both engines take a plain ``ANALYZE``)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
