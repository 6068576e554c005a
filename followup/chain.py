"""What follow-up adds to the goal chain: each goal's latest assessment.

Registered in ``FollowupConfig.ready`` as chain columns (``goals.extensions``), so
Röda tråden shows the roll-up without an extra query: as columns of the chain
screen's raw query, and as annotations of ``Goal.objects.for_chain()``.
"""

from django.db import connection

from followup.models import FollowUpRound, GoalAssessment, Report, RoundKind
from followup.rules import COUNTED_STATUSES


def latest_assessment_columns(goal_id: str) -> dict[str, tuple[str, list]]:
    """``followup_assessment``: the chosen assessment of the goal in the latest round
    where it counts (``followup.rules.COUNTED_STATUSES``: its report is submitted or
    approved); ``followup_round``: that round ("Tertialrapport 2025"). Scalar
    subqueries on ``goal_id``, the SQL of the goal's id column."""
    q = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(COUNTED_STATUSES))
    # Only table names, the caller's column and placeholders are formatted in.
    latest = f"""
        FROM {q(GoalAssessment._meta.db_table)} fa
        JOIN {q(Report._meta.db_table)} fre ON fre.id = fa.report_id
        JOIN {q(FollowUpRound._meta.db_table)} fr ON fr.id = fre.round_id
        {{join}}
        WHERE fa.goal_id = {goal_id} AND fre.status IN ({marks}) AND fa.chosen <> ''
        ORDER BY fr.period_end DESC, fa.id DESC LIMIT 1
    """  # noqa: S608 - names from _meta
    kind = f"JOIN {q(RoundKind._meta.db_table)} fk ON fk.id = fr.kind_id"
    params = [str(s) for s in COUNTED_STATUSES]
    return {
        "followup_assessment": (f"(SELECT fa.chosen {latest.format(join='')})", params),
        "followup_round": (
            f"(SELECT fk.name || ' ' || CAST(fr.year AS VARCHAR(11)) {latest.format(join=kind)})",
            params,
        ),
    }
