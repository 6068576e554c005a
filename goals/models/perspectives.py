"""Styrperspektiv: the perspectives a goal is set under."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import VersionedModel


class Perspective(VersionedModel):
    """Styrperspektiv: medborgare, verksamhet, medarbetare, ekonomi (configurable)."""

    name = models.CharField(_("namn"), max_length=80, unique=True)
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("aktivt"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perspektiv")
        verbose_name_plural = _("perspektiv")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
