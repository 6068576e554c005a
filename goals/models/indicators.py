"""Indicators, their targets and measured values, and values fetched from Kolada."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models.external import external_id_field, external_id_unique
from goals.models.goals import Goal
from ledmot.clock import StampField
from ledmot.lib.limits import YearRange
from ledmot.lib.text import COMMENT_LENGTH, LONG_TEXT_LENGTH, CleanInputModel
from ledmot.models import OrgUnit, VersionedModel

# --------------------------------------------------------------------------- indicators


class Direction(models.TextChoices):
    HIGHER = "higher", _("Högre är bättre")
    LOWER = "lower", _("Lägre är bättre")
    TARGET = "target", _("Så nära målvärdet som möjligt")


class Frequency(models.TextChoices):
    YEAR = "year", _("År")
    TERTIAL = "tertial", _("Tertial")
    MONTH = "month", _("Månad")


class IndicatorKind(models.TextChoices):
    RESOURCE = "resurs", _("Resurs")
    PERFORMANCE = "prestation", _("Prestation")
    RESULT = "resultat", _("Resultat")
    # How a service guarantee (servicegaranti) is measured: the share of the promises
    # kept, in per cent (goals.guarantees).
    KEPT_SHARE = "andel_hallna", _("Andel hållna")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Manuell inmatning")
    IMPORT = "import", _("Import")
    KOLADA = "kolada", _("Kolada")


class Indicator(VersionedModel):
    """Indikator / nyckeltal that measures one or more goals."""

    name = models.CharField(_("namn"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    unit = models.CharField(
        _("måttenhet"), max_length=40, blank=True, help_text=_("T.ex. %, kr, antal")
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimaler"), default=0, validators=[MaxValueValidator(4)]
    )
    direction = models.CharField(
        _("riktning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    frequency = models.CharField(
        _("frekvens"), max_length=10, choices=Frequency.choices, default=Frequency.YEAR
    )
    kind = models.CharField(
        _("typ"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.RESULT
    )
    source = models.CharField(
        _("källa"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    kolada_id = models.CharField(_("Kolada-id"), max_length=20, blank=True)
    gender_breakdown = models.BooleanField(_("uppdelat på kön"), default=False)
    baseline_value = models.DecimalField(
        _("utgångsvärde"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("utgångsår"), null=True, blank=True, validators=[YearRange()]
    )
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("ansvarig organisation"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    goals = models.ManyToManyField(
        Goal, verbose_name=_("mål"), related_name="indicators", blank=True
    )
    ended_on = models.DateField(
        _("avslutad"),
        null=True,
        blank=True,
        help_text=_(
            "Sista dagen indikatorn mäts. Dess värden och målvärden finns kvar; "
            "värden för perioder som börjar efter den efterfrågas inte."
        ),
    )
    external_id = external_id_field()

    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["name"]
        constraints = [external_id_unique("indicator_external_id_unique")]
        # /indikatorer/ and /resultat/ list indicators by their unit's path and name: with
        # this index SQLite walks the units in path order (the unique path's index) and
        # each unit's indicators by name, and stops after a page instead of sorting every
        # indicator of the municipality.
        indexes = [models.Index(fields=["responsible_unit", "name", "id"])]

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        """The last line of defence: values a closed round has locked are not deleted
        with their indicator, whatever deletes it (the service, the admin, a shell).
        ``goals.services.indicator_delete`` refuses the same earlier, in a transaction."""
        from goals.services import indicator_delete_refusal
        from ledmot.services import LockedError

        if message := indicator_delete_refusal(self):
            raise LockedError(message)
        return super().delete(*args, **kwargs)

    def clean(self):
        from goals import rules

        self.kolada_id = rules.kolada_id_normalise(self.kolada_id)
        if message := rules.kolada_id_error(self.kolada_id):
            raise ValidationError({"kolada_id": message})
        if message := self.end_error(self.ended_on):
            raise ValidationError({"ended_on": message})

    def end_error(self, ended_on) -> str | None:
        """Why this indicator cannot be ended on ``ended_on`` (the one rule,
        ``goals.rules.indicator_end_error``, with its latest stored value's period)."""
        from goals import rules

        latest = None
        if self.pk is not None:
            latest = (
                self.measurements.order_by("-sort_key").values_list("period", flat=True).first()
            )
        return rules.indicator_end_error(
            ended_on, baseline_year=self.baseline_year, latest_period=latest
        )

    def measured_in(self, period) -> bool:
        """Is a value asked for ``period`` (a ``ReportingPeriod``)? Not for a period
        that starts after the indicator was ended."""
        from goals import rules

        return rules.measured_in(self.ended_on, period)


# --------------------------------------------------------------------------- results


class Gender(models.TextChoices):
    TOTAL = "T", _("Totalt")
    WOMEN = "K", _("Kvinnor")
    MEN = "M", _("Män")


class Target(models.Model):
    """Målvärde: the value an indicator should reach in a year.

    The target of the mandate period's last year is the end target; the years
    before it are the yearly progression (årsvis progressionstakt).
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[YearRange()])
    value = models.DecimalField(_("målvärde"), max_digits=18, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_one_per_year")
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"


class Measurement(CleanInputModel, models.Model):
    """Utfall: an indicator's actual value for a period (year, tertial or month) and gender.

    ``period`` is ``2024``, ``2024-T1`` or ``2024-03`` (see :mod:`goals.periods`);
    ``year`` and ``sort_key`` are derived from it so queries can order and filter.
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period = models.CharField(_("period"), max_length=7)
    year = models.PositiveSmallIntegerField(_("år"), editable=False)
    sort_key = models.PositiveIntegerField(editable=False)
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4, null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True, max_length=COMMENT_LENGTH)
    source = models.CharField(
        _("källa"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    fetched_at = models.DateTimeField(_("hämtat"), null=True, blank=True)
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
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        # By the indicator's id, not the indicator: ordering by the relation follows it to
        # the indicator's own ordering (its name), a join of the whole indicator table in
        # every query of values, even those that only look values up by key.
        ordering = ["indicator_id", "sort_key", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "gender"], name="measurement_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["indicator", "gender", "-sort_key"])]

    def __str__(self):
        return f"{self.indicator} {self.period} {self.gender}: {self.value}"

    def save(self, *args, **kwargs):
        from goals import rules

        keys = rules.measurement_keys(self.period)
        self.period, self.year, self.sort_key = keys.period, keys.year, keys.sort_key
        super().save(*args, **kwargs)


class IndicatorLatest(models.Model):
    """The latest total value of an indicator and that year's target.

    Derived, not edited by anyone (so no history): kept in step by
    ``goals.services.indicator_refresh_latest`` whenever values or targets
    change, so that the chain pages can propose a goal's fulfilment for
    hundreds of goals inside the same single query.
    """

    indicator = models.OneToOneField(
        Indicator, primary_key=True, on_delete=models.CASCADE, related_name="latest"
    )
    period = models.CharField(max_length=7, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    # The period's sort key (see goals.rules.measurement_keys): staleness compares it,
    # in Python and in SQL alike, with the due period's (goals.rules.is_stale, stale_q).
    sort_key = models.PositiveIntegerField(null=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    target = models.DecimalField(max_digits=18, decimal_places=4, null=True)

    def __str__(self):
        return f"{self.indicator_id}: {self.value} / {self.target} ({self.period})"


class KoladaValue(models.Model):
    """A value fetched from Kolada, for any municipality (comparison) including our own."""

    kpi = models.CharField(_("Kolada-id"), max_length=20)
    municipality = models.CharField(_("kommunkod"), max_length=4)
    year = models.PositiveSmallIntegerField(_("år"))
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4, null=True)
    fetched_at = models.DateTimeField(_("hämtat"))

    class Meta:
        verbose_name = _("Kolada-värde")
        verbose_name_plural = _("Kolada-värden")
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "municipality", "year", "gender"], name="koladavalue_unique"
            )
        ]
        indexes = [
            models.Index(fields=["kpi", "year"]),
            # the public portal's Last-Modified: when Kolada was last synced
            models.Index(fields=["fetched_at"], name="koladavalue_fetched"),
        ]

    def __str__(self):
        return f"{self.kpi} {self.municipality} {self.year} {self.gender}: {self.value}"
