"""Mandate periods, budget years and the vision adopted for a period."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ledmot.lib.limits import FIRST_PLAN_YEAR, DateRange, YearRange
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import VersionedModel

# --------------------------------------------------------------------------- periods


class MandatePeriodQuerySet(models.QuerySet):
    def current(self) -> MandatePeriod | None:
        """The period containing this year, else the latest one."""
        year = timezone.localdate().year
        return (
            self.filter(start_year__lte=year, end_year__gte=year).first()
            or self.order_by("-start_year").first()
        )


class MandatePeriod(models.Model):
    """Mandatperiod, e.g. 2023–2026: holds the council's goals and end targets."""

    start_year = models.PositiveSmallIntegerField(
        _("första år"), unique=True, validators=[YearRange(FIRST_PLAN_YEAR)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("sista år"), validators=[YearRange(FIRST_PLAN_YEAR)]
    )

    history = HistoricalRecords()
    objects = MandatePeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandatperiod")
        verbose_name_plural = _("mandatperioder")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="mandateperiod_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.start_year}–{self.end_year}"

    def clean(self):
        if not (self.start_year and self.end_year):
            return
        if self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Sista år kan inte vara före första år.")})
        overlapping = (
            MandatePeriod.objects.exclude(pk=self.pk)
            .filter(start_year__lte=self.end_year, end_year__gte=self.start_year)
            .first()
        )
        if overlapping:
            raise ValidationError(
                {
                    "start_year": _("Perioden överlappar mandatperioden %(other)s.")
                    % {"other": overlapping}
                }
            )

    def contains(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class BudgetYear(models.Model):
    """Budgetår inom en mandatperiod, "budget 2025 med plan 2026–2027"."""

    year = models.PositiveSmallIntegerField(
        _("år"), unique=True, validators=[YearRange(FIRST_PLAN_YEAR)]
    )
    mandate_period = models.ForeignKey(
        MandatePeriod,
        verbose_name=_("mandatperiod"),
        on_delete=models.PROTECT,
        related_name="years",
    )
    plan_years = models.PositiveSmallIntegerField(
        _("antal planår"), default=2, validators=[MaxValueValidator(5)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetår")
        verbose_name_plural = _("budgetår")
        ordering = ["year"]

    def __str__(self):
        if self.plan_years:
            return _("Budget %(year)s med plan %(first)s–%(last)s") % {
                "year": self.year,
                "first": self.year + 1,
                "last": self.year + self.plan_years,
            }
        return _("Budget %(year)s") % {"year": self.year}

    def clean(self):
        if self.mandate_period_id and self.year and not self.mandate_period.contains(self.year):
            raise ValidationError(
                {
                    "year": _("Året måste ligga inom mandatperioden %(p)s.")
                    % {"p": self.mandate_period}
                }
            )


# --------------------------------------------------------------------------- vision


class Vision(VersionedModel):
    """The council's vision for a mandate period, edited by controllers (with the version
    check: two controllers saving at once cannot overwrite each other's text)."""

    mandate_period = models.OneToOneField(
        MandatePeriod, verbose_name=_("mandatperiod"), on_delete=models.PROTECT
    )
    text = models.TextField(_("vision"), max_length=LONG_TEXT_LENGTH)
    decision_reference = models.CharField(_("beslut (diarienummer, §)"), max_length=100, blank=True)
    decided_on = models.DateField(
        _("beslutsdatum"), null=True, blank=True, validators=[DateRange()]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visioner")

    def __str__(self):
        return self.text[:80]
