"""Bottom-up goal proposals (the Burlöv model): committees propose council goals for a
mandate period, the council adopts some (picked or merged) as its own with an end
target that only the council may change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models.goals import Goal
from goals.models.indicators import Direction, Indicator
from goals.models.periods import MandatePeriod
from goals.models.perspectives import Perspective
from ledmot.clock import StampField
from ledmot.lib.text import LONG_TEXT_LENGTH, CleanInputModel
from ledmot.models import OrgUnit, VersionedModel


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Förslag")
    ADOPTED = "adopted", _("Antaget")
    MERGED = "merged", _("Sammanslaget")
    NOT_ADOPTED = "declined", _("Inte antaget")
    WITHDRAWN = "withdrawn", _("Återtaget")


class GoalProposal(VersionedModel):
    """A committee's proposal of a council goal for a mandate period."""

    mandate_period = models.ForeignKey(
        MandatePeriod,
        verbose_name=_("mandatperiod"),
        on_delete=models.PROTECT,
        related_name="goal_proposals",
    )
    proposer = models.ForeignKey(
        OrgUnit,
        verbose_name=_("föreslagen av"),
        on_delete=models.PROTECT,
        related_name="goal_proposals",
    )
    title = models.CharField(_("mål"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    perspective = models.ForeignKey(
        Perspective,
        verbose_name=_("perspektiv"),
        on_delete=models.PROTECT,
        related_name="goal_proposals",
    )
    responsible = models.CharField(
        _("ansvarig"),
        max_length=200,
        blank=True,
        help_text=_("Namngiven ansvarig person eller funktion."),
    )
    smart_specific = models.BooleanField(_("Specifikt"), default=False)
    smart_measurable = models.BooleanField(_("Mätbart"), default=False)
    smart_accepted = models.BooleanField(_("Accepterat"), default=False)
    smart_realistic = models.BooleanField(_("Realistiskt"), default=False)
    smart_timebound = models.BooleanField(_("Tidsatt"), default=False)
    indicator_name = models.CharField(_("föreslagen indikator"), max_length=300, blank=True)
    indicator_unit = models.CharField(
        _("måttenhet"), max_length=40, blank=True, help_text=_("T.ex. %, kr, antal")
    )
    direction = models.CharField(
        _("riktning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(
        _("utgångsvärde"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("utgångsår"), null=True, blank=True)
    end_target = models.DecimalField(
        _("föreslaget slutmål för mandatperioden"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("blev mål"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    decision_reference = models.CharField(_("beslut"), max_length=100, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrivet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = StampField(_("skapat"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("målförslag")
        verbose_name_plural = _("målförslag")
        ordering = ["perspective__order", "proposer__path", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.PROPOSED


class ProposalComment(CleanInputModel, models.Model):
    """A committee's comment on a proposal (its own or another committee's)."""

    proposal = models.ForeignKey(
        GoalProposal,
        verbose_name=_("målförslag"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrivet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("kommentar"), max_length=LONG_TEXT_LENGTH)
    created_at = StampField(_("skapat"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("kommentar till målförslag")
        verbose_name_plural = _("kommentarer till målförslag")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:80]


class CouncilTarget(CleanInputModel, models.Model):
    """Fastställt slutmål: the end target of a council goal's indicator, fixed by the
    council's decision. The value is the indicator's ``Target`` of ``year``; this row
    marks it as one only the council may change (``goals.rules.council_target_error``)."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="council_targets"
    )
    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="council_target",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    decision_reference = models.CharField(_("beslut"), max_length=100, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fastställt slutmål")
        verbose_name_plural = _("fastställda slutmål")

    def __str__(self):
        return f"{self.indicator} {self.year}"
