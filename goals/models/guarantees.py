"""Service guarantees (servicegarantier): a unit's published promise to the people it
serves, measured by an indicator of the kind "andel hållna" and followed up like a
goal (see :mod:`goals.guarantees`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models.indicators import Indicator
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import OrgUnit, VersionedModel


class ServiceGuarantee(VersionedModel):
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enhet"),
        on_delete=models.PROTECT,
        related_name="service_guarantees",
    )
    title = models.CharField(_("rubrik"), max_length=200)
    promise = models.TextField(
        _("löfte"),
        max_length=LONG_TEXT_LENGTH,
        help_text=_("Vad enheten lovar, skrivet till den som får servicen."),
    )
    measured_how = models.TextField(
        _("så mäts garantin"),
        blank=True,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("Hur det räknas om löftet hölls, t.ex. ur ärendesystemet varje tertial."),
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.PROTECT,
        related_name="service_guarantees",
        help_text=_("En indikator av typen Andel hållna: hur stor andel av löftena som hölls."),
    )
    published = models.BooleanField(
        _("publiceras"),
        default=True,
        help_text=_("Visas i den offentliga listan över enhetens servicegarantier."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("servicegaranti")
        verbose_name_plural = _("servicegarantier")
        ordering = ["unit__path", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        from goals import rules

        unit = self.unit if self.unit_id else None
        if self.indicator_id and (message := rules.guarantee_indicator_error(self.indicator, unit)):
            raise ValidationError({"indicator": message})
