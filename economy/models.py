"""Economy figures (issue 16): budget, outcome (utfall) and forecast (prognos) in whole
kronor per organisation unit and period, optionally split by a small set of categories
that the controller keeps in the admin.

Not a ledger: the figures a politician and a controller read beside the goals. A unit's
figure for a kind and period is the amount entered for it (its total, or the net of its
categories), else the sum of its units' figures (see :mod:`economy.figures`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ledmot.clock import StampField
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import CleanInputModel, OrgUnit, VersionedModel


class FigureKind(models.TextChoices):
    BUDGET = "budget", _("Budget")
    OUTCOME = "outcome", _("Utfall")
    FORECAST = "forecast", _("Prognos")


class CategoryKind(models.TextChoices):
    COST = "cost", _("Kostnad")
    REVENUE = "revenue", _("Intäkt")


class EconomyCategory(CleanInputModel, models.Model):
    """A line the figures may be split by (Personal, Lokaler, Övrigt; Intäkter …).

    A unit's net (``nettokostnad``) is its costs minus its revenues; the figures entered
    without a category are that net directly."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    code = models.SlugField(
        _("kod"),
        max_length=40,
        unique=True,
        help_text=_("Kort, stabil kod som används i Excel-bladet Ekonomi, t.ex. personal."),
    )
    kind = models.CharField(
        _("typ"), max_length=10, choices=CategoryKind.choices, default=CategoryKind.COST
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ekonomikategori")
        verbose_name_plural = _("ekonomikategorier")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class EconomyFigure(VersionedModel):
    """One amount: a unit's budget, outcome or forecast for a period, in whole kronor,
    for one category or (``category`` empty) the unit's net total.

    ``period`` is ``2026`` (the year), ``2026-T1`` (tertial), ``2026-D`` (delår, per 31
    August) or ``2026-03`` (month); outcome of a period is accumulated from the start of
    the year, a forecast is for the whole year as made at that period, a budget is for the
    whole year (see :mod:`economy.rules`). ``year`` and ``sort_key`` follow from it.
    ``amount`` empty: a cleared cell (the row stays, with its history)."""

    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisationsenhet"),
        on_delete=models.PROTECT,
        related_name="economy_figures",
    )
    period = models.CharField(_("period"), max_length=7)
    year = models.PositiveSmallIntegerField(_("år"), editable=False)
    sort_key = models.PositiveIntegerField(editable=False)
    kind = models.CharField(_("slag"), max_length=10, choices=FigureKind.choices)
    category = models.ForeignKey(
        EconomyCategory,
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="figures",
        null=True,
        blank=True,
    )
    amount = models.BigIntegerField(_("belopp (kr)"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inmatat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = StampField(_("inmatat"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["entered_at", "sort_key"])

    class Meta:
        verbose_name = _("ekonomisk uppgift")
        verbose_name_plural = _("ekonomiska uppgifter")
        ordering = ["org_unit", "sort_key", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period", "kind", "category"],
                condition=Q(category__isnull=False),
                name="economyfigure_one_per_category",
            ),
            models.UniqueConstraint(
                fields=["org_unit", "period", "kind"],
                condition=Q(category__isnull=True),
                name="economyfigure_one_total",
            ),
        ]
        indexes = [models.Index(fields=["year", "org_unit"])]

    def __str__(self):
        return f"{self.org_unit} {self.period} {self.kind}: {self.amount}"

    def clean(self):
        """The rules of :mod:`economy.rules` (the period, the amount's range), as the entry
        screen and the import apply them."""
        from django.core.exceptions import ValidationError

        from economy import rules
        from ledmot.lib.numbers import parse_kronor

        super().clean()
        errors = {}
        try:
            rules.EconomyPeriod.entered(self.period)
        except ValueError as exc:
            errors["period"] = str(exc)
        try:
            parse_kronor(self.amount)
        except ValueError as exc:
            errors["amount"] = str(exc)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from economy import rules

        period = rules.EconomyPeriod.parse(self.period)
        self.period, self.year, self.sort_key = period.key, period.year, period.sort_key
        super().save(*args, **kwargs)


class EconomyJudgement(VersionedModel):
    """The written overall judgement of god ekonomisk hushållning for a follow-up round,
    written by a controller and printed in the round's report (``economy.report``)."""

    round = models.OneToOneField(
        "followup.FollowUpRound",
        verbose_name=_("uppföljning"),
        on_delete=models.CASCADE,
        related_name="economy_judgement",
    )
    text = models.TextField(_("samlad bedömning"), blank=True, max_length=LONG_TEXT_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = StampField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("bedömning av god ekonomisk hushållning")
        verbose_name_plural = _("bedömningar av god ekonomisk hushållning")

    def __str__(self):
        return str(self.round)


class ComputedMeasure(models.TextChoices):
    """What an indicator computed from the economy figures measures (a financial goal's
    indicator), as a percentage."""

    BUDGET_DEVIATION = "budget_deviation", _("Budgetavvikelse, % av budget")
    FORECAST_DEVIATION = "forecast_deviation", _("Prognosavvikelse, % av budget")
    RESULT_SHARE = "result_share", _("Resultat i % av skatteintäkter")


class ComputedIndicator(models.Model):
    """An indicator whose yearly values are computed from a unit's economy figures
    (``economy.computed``) instead of entered; a financial goal is measured by it."""

    indicator = models.OneToOneField(
        "goals.Indicator",
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="economy_source",
    )
    measure = models.CharField(_("beräknas som"), max_length=20, choices=ComputedMeasure.choices)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Vars budget, utfall och prognos som används (kommunen: fullmäktige)."),
    )
    tax_category = models.ForeignKey(
        EconomyCategory,
        verbose_name=_("skatteintäkter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kategorin med skatteintäkter och generella statsbidrag (för resultatet)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beräknad indikator")
        verbose_name_plural = _("beräknade indikatorer")

    def __str__(self):
        return f"{self.indicator}: {self.get_measure_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from economy import rules

        if message := rules.computed_indicator_error(self.measure, self.tax_category):
            raise ValidationError({"tax_category": message})
