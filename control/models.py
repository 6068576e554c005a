"""Internal control (intern kontroll, KL 6:6): each committee's yearly risk analysis
(risks of the committee and its units on a 4×4 scale, linked to goals), adopted by
decision and then frozen; the internal control plan of controls picked from it; and
each control's result, reported by its owner in the follow-up rounds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from followup.models import Report, ReportPiece, RoundKind
from goals.models import Goal
from ledmot.lib.limits import FIRST_PLAN_YEAR, YearRange
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import OrgUnit, VersionedModel


class Probability(models.IntegerChoices):
    UNLIKELY = 1, _("Osannolik")
    LESS_LIKELY = 2, _("Mindre sannolik")
    POSSIBLE = 3, _("Möjlig")
    LIKELY = 4, _("Sannolik")


class Consequence(models.IntegerChoices):
    NEGLIGIBLE = 1, _("Försumbar")
    MINOR = 2, _("Lindrig")
    NOTABLE = 3, _("Kännbar")
    SEVERE = 4, _("Allvarlig")


class RiskAnalysis(VersionedModel):
    """A committee's risk analysis for a year: the risks of the committee and the units
    under it. Adopted by decision (reference and date), after which nothing in it changes."""

    committee = models.ForeignKey(
        OrgUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT, related_name="risk_analyses"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[YearRange(FIRST_PLAN_YEAR)])
    decision_reference = models.CharField(_("beslut (diarienummer, §)"), max_length=100, blank=True)
    adopted_on = models.DateField(_("antagen"), null=True, blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("föregående år"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("riskanalys")
        verbose_name_plural = _("riskanalyser")
        ordering = ["committee__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="riskanalysis_one_per_year")
        ]

    def __str__(self):
        return _("Riskanalys %(year)s – %(committee)s") % {
            "year": self.year,
            "committee": self.committee,
        }

    @property
    def is_adopted(self) -> bool:
        return self.adopted_on is not None

    def adopted_in_db(self) -> bool:
        return (
            self.pk is not None
            and RiskAnalysis.objects.filter(pk=self.pk, adopted_on__isnull=False).exists()
        )

    def save(self, *args, **kwargs):
        # The last line of defence (admin, shell): services refuse earlier, with the message.
        if self.adopted_in_db():
            raise AnalysisAdopted(_("Riskanalysen är antagen och kan inte ändras."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.adopted_in_db():
            raise AnalysisAdopted(_("Riskanalysen är antagen och kan inte ändras."))
        return super().delete(*args, **kwargs)


class AnalysisAdopted(ValidationError):
    """Raised by any write to an adopted risk analysis or its risks."""


class LockedByAnalysis(models.Model):
    """A risk of an adopted analysis cannot change by any path (see ``RiskAnalysis.save``)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._locked():
            raise AnalysisAdopted(_("Riskanalysen är antagen och kan inte ändras."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._locked():
            raise AnalysisAdopted(_("Riskanalysen är antagen och kan inte ändras."))
        return super().delete(*args, **kwargs)

    def _locked(self) -> bool:
        return RiskAnalysis.objects.filter(pk=self.analysis_id, adopted_on__isnull=False).exists()


class Risk(LockedByAnalysis, VersionedModel):
    """A risk in a committee's analysis, of the committee itself or a unit under it."""

    analysis = models.ForeignKey(
        RiskAnalysis, verbose_name=_("riskanalys"), on_delete=models.CASCADE, related_name="risks"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="risks"
    )
    title = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("hotar målen"), blank=True, related_name="risks"
    )
    process = models.CharField(
        _("hotar processen"),
        max_length=200,
        blank=True,
        help_text=_("En process eller verksamhet, när risken inte gäller ett mål."),
    )
    probability = models.PositiveSmallIntegerField(_("sannolikhet"), choices=Probability.choices)
    consequence = models.PositiveSmallIntegerField(_("konsekvens"), choices=Consequence.choices)
    owner = models.CharField(_("riskägare"), max_length=200)
    measures = models.TextField(_("åtgärder"), blank=True, max_length=LONG_TEXT_LENGTH)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("föregående års risk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risker")
        ordering = ["-probability", "-consequence", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=1, probability__lte=4)
                & models.Q(consequence__gte=1, consequence__lte=4),
                name="risk_on_the_scale",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def score(self) -> int:
        return self.probability * self.consequence

    def clean(self):
        from control.rules import risk_errors

        super().clean()
        if errors := risk_errors(self):
            raise ValidationError(errors)


class Frequency(models.TextChoices):
    YEARLY = "year", _("En gång per år")
    ROUND = "round", _("Vid varje uppföljning")
    MONTHLY = "month", _("Varje månad")
    ONGOING = "ongoing", _("Löpande")


class Control(VersionedModel):
    """A control of the internal control plan (internkontrollplan) of a committee's year,
    picked from a risk of its adopted analysis: what is checked, how, how often, by whom,
    and in which follow-up rounds the owner reports the result."""

    analysis = models.ForeignKey(
        RiskAnalysis,
        verbose_name=_("riskanalys"),
        on_delete=models.PROTECT,
        related_name="controls",
    )
    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="controls"
    )
    title = models.CharField(_("vad kontrolleras"), max_length=200)
    method = models.TextField(_("hur"), max_length=LONG_TEXT_LENGTH)
    frequency = models.CharField(_("hur ofta"), max_length=10, choices=Frequency.choices)
    responsible = models.CharField(_("vem kontrollerar"), max_length=200)
    owner = models.ForeignKey(
        OrgUnit,
        verbose_name=_("rapporteras av"),
        on_delete=models.PROTECT,
        related_name="controls",
        help_text=_("Enheten vars rapport i uppföljningen frågar efter kontrollens resultat."),
    )
    round_kinds = models.ManyToManyField(
        RoundKind, verbose_name=_("rapporteras i"), related_name="controls"
    )

    history = HistoricalRecords(m2m_fields=[round_kinds])

    class Meta:
        verbose_name = _("kontroll")
        verbose_name_plural = _("kontroller")
        ordering = ["analysis", "title", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        from control.rules import control_errors

        super().clean()
        if errors := control_errors(self):
            raise ValidationError(errors)


class ControlOutcome(models.TextChoices):
    NONE = "none", _("Inga anmärkningar")
    REMARKS = "remarks", _("Anmärkningar")
    SERIOUS = "serious", _("Allvarliga anmärkningar")


class ControlResult(ReportPiece, VersionedModel):
    """A control's result in its owner's report of a round: no remarks, remarks or
    serious remarks, with a comment and measures. Made by the owner's first save."""

    report = models.ForeignKey(
        Report, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="control_results"
    )
    control = models.ForeignKey(
        Control, verbose_name=_("kontroll"), on_delete=models.PROTECT, related_name="results"
    )
    outcome = models.CharField(_("resultat"), max_length=10, choices=ControlOutcome.choices)
    comment = models.TextField(_("kommentar"), blank=True, max_length=LONG_TEXT_LENGTH)
    measures = models.TextField(_("åtgärder"), blank=True, max_length=LONG_TEXT_LENGTH)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontrollresultat")
        verbose_name_plural = _("kontrollresultat")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "control"], name="controlresult_one_per_report"
            )
        ]

    def __str__(self):
        return f"{self.control}: {self.get_outcome_display()}"

    @property
    def is_deviation(self) -> bool:
        return self.outcome != ControlOutcome.NONE

    def clean(self):
        from control.rules import result_errors

        super().clean()
        if errors := result_errors(self):
            raise ValidationError(errors)
