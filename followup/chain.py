"""What follow-up adds to the goal chain: each goal's latest assessment.

Registered in ``FollowupConfig.ready`` as a chain annotation, so Röda tråden
shows the roll-up without an extra query.
"""

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from followup.models import GoalAssessment
from followup.rules import counted_q


def annotate_latest_assessment(queryset):
    """``followup_assessment``: the chosen assessment of the goal in the latest round
    where it counts (``followup.rules.counted_q``: its report is submitted or
    approved); ``followup_round``: that round."""
    latest = (
        GoalAssessment.objects.filter(counted_q(), goal=OuterRef("pk"))
        .exclude(chosen="")
        .order_by("-report__round__period_end", "-pk")
    )
    return queryset.annotate(
        followup_assessment=Subquery(latest.values("chosen")[:1]),
        followup_round=Subquery(
            latest.annotate(
                label=Concat(
                    "report__round__kind__name",
                    Value(" "),
                    Cast("report__round__year", CharField()),
                    output_field=CharField(),
                )
            ).values("label")[:1]
        ),
    )
