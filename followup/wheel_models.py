"""Annual wheel (årshjul): the dated steps of the municipality's year.

The "template" of a year is simply the steps of that year;
``followup.services.wheel_copy_year`` starts a new year from the previous one. The
screens live in ``followup/views/wheel.py``; the wheel picture in ``ledmot/lib/wheel_svg.py``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ledmot.lib import limits
from ledmot.lib.limits import FIRST_PLAN_YEAR, DateRange
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import VersionedModel

__all__ = ["WheelKind", "WheelStep", "WheelStepQuerySet"]

FIRST_YEAR, LAST_YEAR = FIRST_PLAN_YEAR, limits.LAST_YEAR


class WheelKind(models.TextChoices):
    BUDGET_DIALOGUE = "budgetdialog", _("Budgetdialog")
    MRP = "mrp", _("Mål- och resursplan")
    TERTIAL = "tertial", _("Tertial")
    INTERIM = "delar", _("Delår")
    CLOSING = "bokslut", _("Bokslut")
    ANNUAL_REPORT = "arsredovisning", _("Årsredovisning")
    OTHER = "annat", _("Annat")


class WheelStepQuerySet(models.QuerySet):
    def in_year(self, year: int):
        return self.filter(year=year).order_by("start", "order", "pk")


class WheelStep(VersionedModel):
    """One dated step of a year: a single day (no end) or a span of days."""

    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    title = models.CharField(_("rubrik"), max_length=200)
    kind = models.CharField(
        _("typ"), max_length=20, choices=WheelKind.choices, default=WheelKind.OTHER
    )
    start = models.DateField(_("datum"), validators=[DateRange()])
    end = models.DateField(
        _("till och med"),
        validators=[DateRange()],
        null=True,
        blank=True,
        help_text=_("Lämna tomt om steget gäller en enda dag."),
    )
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    order = models.PositiveSmallIntegerField(
        _("ordning"),
        default=0,
        help_text=_("Bestämmer ordningen mellan steg som börjar samma dag."),
    )

    history = HistoricalRecords()
    objects = WheelStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("steg i årshjulet")
        verbose_name_plural = _("steg i årshjulet")
        ordering = ["year", "start", "order", "pk"]
        indexes = [models.Index(fields=["year", "start"], name="wheelstep_year_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="wheelstep_end_not_before_start",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.start:%Y-%m-%d})"

    def clean(self):
        errors = {}
        if self.year and self.start and self.start.year != self.year:
            errors["start"] = _t("Datumet ska ligga inom %(year)s.") % {"year": self.year}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _t("Slutdatumet kan inte vara före startdatumet.")
        elif self.year and self.end and self.end.year != self.year:
            errors["end"] = _t("Slutdatumet ska ligga inom %(year)s.") % {"year": self.year}
        if errors:
            raise ValidationError(errors)


def shift_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
