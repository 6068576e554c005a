"""The goals' part of "work still open on a unit" (``ledmot.extensions.OPEN_WORK``),
asked before a unit is deactivated."""

from django.utils.translation import gettext as _

from goals.models import LIVE_STATUSES, OPEN_ACTIVITY_STATUSES, Activity, Goal, Indicator


def goals_open_work(unit_ids: list[int]) -> list[tuple[str, int]]:
    return [
        (
            _("mål som gäller"),
            Goal.objects.filter(owner_id__in=unit_ids, status__in=LIVE_STATUSES).count(),
        ),
        (
            _("aktiviteter som pågår"),
            Activity.objects.filter(
                owner_id__in=unit_ids, status__in=OPEN_ACTIVITY_STATUSES
            ).count(),
        ),
        (
            _("indikatorer som mäts"),
            Indicator.objects.filter(
                responsible_unit_id__in=unit_ids, ended_on__isnull=True
            ).count(),
        ),
    ]
