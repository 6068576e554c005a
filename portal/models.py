"""Publication (offentlighet): what a controller has chosen to show the public.

Nothing is public by default. A closed round's results become public when a
controller publishes the round; a report PDF when it is published too (and its round
is). Unpublishing keeps the row with ``published=False``, so the history shows who
published and withdrew what, and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from followup.models import FollowUpRound, GeneratedReport


class Publication(models.Model):
    published = models.BooleanField(_("publicerad"), default=False)
    changed_at = models.DateTimeField(_("ändrad"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class RoundPublication(Publication):
    """A closed round's assessments shown in the public portal and as open data."""

    round = models.OneToOneField(
        FollowUpRound,
        verbose_name=_("uppföljning"),
        on_delete=models.CASCADE,
        related_name="publication",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publicerad uppföljning")
        verbose_name_plural = _("publicerade uppföljningar")
        indexes = [models.Index(fields=["published", "round"])]

    def __str__(self):
        return str(self.round)


class ReportPublication(Publication):
    """A report PDF (of a published round) offered for download in the public portal."""

    report = models.OneToOneField(
        GeneratedReport,
        verbose_name=_("rapport"),
        on_delete=models.CASCADE,
        related_name="publication",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publicerad rapport")
        verbose_name_plural = _("publicerade rapporter")

    def __str__(self):
        return str(self.report)
