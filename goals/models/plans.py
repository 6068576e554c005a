"""A unit's (or committee's) verksamhetsplan for a year: the texts the unit writes
itself. The rest of the plan (the goals above it, its own goals, activities,
indicators and targets) is read from the goal chain (see ``goals.unit_plan``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ledmot.lib.limits import FIRST_PLAN_YEAR, YearRange
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import OrgUnit, VersionedModel


class UnitPlan(VersionedModel):
    """Verksamhetsplan: nuläge and grunduppdrag of one unit in one year, edited by the
    unit's editors with the version check (no lost updates)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[YearRange(FIRST_PLAN_YEAR)])
    basic_mission = models.TextField(_("grunduppdrag"), blank=True, max_length=LONG_TEXT_LENGTH)
    current_state = models.TextField(_("nuläge"), blank=True, max_length=LONG_TEXT_LENGTH)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        ordering = ["unit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unitplan_one_per_year")
        ]

    def clean(self):
        from goals import rules
        from goals.models.periods import MandatePeriod

        if self.year:
            has_period = MandatePeriod.objects.filter(
                start_year__lte=self.year, end_year__gte=self.year
            ).exists()
            if error := rules.unit_plan_year_error(self.year, has_period):
                raise ValidationError({"year": error})

    def __str__(self):
        return _("Verksamhetsplan %(year)s för %(unit)s") % {"year": self.year, "unit": self.unit}
