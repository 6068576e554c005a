"""Proposed goal fulfilment (måluppfyllelse) from indicator results.

The rule, as shown to users beside every proposal:

1. For each indicator measuring the goal, take its **latest total value** (the
   most recent period with a value, both genders together) and the **target for
   that value's year**. An indicator without a value or without that year's
   target cannot be assessed.
2. Compare value and target by the indicator's direction, with a tolerance *t*
   (``LEDMOT_FULFILMENT_TOLERANCE``, default 10 % of the target):

   - *higher is better*: met if value ≥ target; partly met if value ≥ target − t;
   - *lower is better*: met if value ≤ target; partly met if value ≤ target + t;
   - *on target*: met if |value − target| ≤ t/2; partly met if ≤ t;
   - otherwise not met.
3. The goal is **uppfyllt** when every assessable indicator is met, **ej
   uppfyllt** when none is met or partly met, **delvis uppfyllt** in between,
   and **ej bedömt** when no indicator can be assessed.

The same rule runs in Python (:func:`classify`, for the goal page's per-indicator
detail and the chain's rows, see ``goals.models.goals.attach_counts``) and in SQL
(:func:`annotate_proposal`, for querysets); a test checks that the two agree.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Abs, Coalesce
from django.utils.translation import gettext_lazy as _


class Assessment(models.TextChoices):
    MET = "met", _("Uppfyllt")
    PARTLY = "partly", _("Delvis uppfyllt")
    NOT_MET = "not_met", _("Ej uppfyllt")
    NOT_ASSESSED = "not_assessed", _("Ej bedömt")


# A symbol goes with every assessment: status is never told by colour alone.
SYMBOLS = {
    Assessment.MET: "✓",
    Assessment.PARTLY: "◐",
    Assessment.NOT_MET: "✗",
    Assessment.NOT_ASSESSED: "–",
}


def tolerance() -> Decimal:
    return Decimal(str(settings.LEDMOT_FULFILMENT_TOLERANCE))


def classify(direction: str, value, target, tol: Decimal | None = None) -> str:
    """One indicator's outcome against its target (step 2 of the rule)."""
    if value is None or target is None:
        return Assessment.NOT_ASSESSED
    tol = tolerance() if tol is None else tol
    value, target = Decimal(value), Decimal(target)
    margin = tol * abs(target)
    if direction == "lower":
        if value <= target:
            return Assessment.MET
        return Assessment.PARTLY if value <= target + margin else Assessment.NOT_MET
    if direction == "target":
        deviation = abs(value - target)
        if deviation <= margin / 2:
            return Assessment.MET
        return Assessment.PARTLY if deviation <= margin else Assessment.NOT_MET
    if value >= target:
        return Assessment.MET
    return Assessment.PARTLY if value >= target - margin else Assessment.NOT_MET


def combine(outcomes: list[str]) -> str:
    """The goal's proposal from its indicators' outcomes (step 3 of the rule)."""
    assessed = [o for o in outcomes if o != Assessment.NOT_ASSESSED]
    if not assessed:
        return Assessment.NOT_ASSESSED
    if all(o == Assessment.MET for o in assessed):
        return Assessment.MET
    if all(o == Assessment.NOT_MET for o in assessed):
        return Assessment.NOT_MET
    return Assessment.PARTLY


def combine_counts(assessed: int, met: int, partly: int) -> str:
    """:func:`combine` for the counts that :func:`annotate_proposal` leaves on a goal."""
    if not assessed:
        return Assessment.NOT_ASSESSED
    if met == assessed:
        return Assessment.MET
    if met == 0 and partly == 0:
        return Assessment.NOT_MET
    return Assessment.PARTLY


def _outcome_q(tol: Decimal):
    """SQL conditions for met and partly met, on rows of the indicator–goal link table."""
    value = F("indicator__latest__value")
    target = F("indicator__latest__target")
    margin = Value(tol) * Abs(target)
    direction = "indicator__direction"
    met = (
        Q(**{direction: "higher"}, indicator__latest__value__gte=target)
        | Q(**{direction: "lower"}, indicator__latest__value__lte=target)
        | Q(**{direction: "target"}, deviation__lte=margin / Value(2))
    )
    partly = (
        Q(**{direction: "higher"}, indicator__latest__value__gte=target - margin)
        | Q(**{direction: "lower"}, indicator__latest__value__lte=target + margin)
        | Q(**{direction: "target"}, deviation__lte=margin)
    ) & ~met
    return value, target, met, partly


def annotate_proposal(queryset):
    """Annotate goals with ``assessed_count``, ``met_count`` and ``partly_count``."""
    from goals.models import Indicator

    tol = tolerance()
    value, target, met, partly = _outcome_q(tol)
    links = (
        Indicator.goals.through.objects.filter(
            goal=OuterRef("pk"),
            indicator__latest__value__isnull=False,
            indicator__latest__target__isnull=False,
        )
        .annotate(deviation=Abs(value - target))
        .order_by()
        .values("goal")
    )

    def count(condition=None):
        rows = links.filter(condition) if condition is not None else links
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0))

    return queryset.annotate(
        assessed_count=count(), met_count=count(met), partly_count=count(partly)
    )
