"""The one write path for publication: publish and withdraw, with history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followup.models import FollowUpRound, GeneratedReport
from ledmot import clock
from ledmot.services import attributed_save
from portal.models import ReportPublication, RoundPublication
from portal.rules import report_publication_error, round_publication_error


@transaction.atomic
def round_publication_set(*, rnd: FollowUpRound, published: bool, user) -> RoundPublication:
    """Publish a closed round's results, or withdraw them (the row stays, with history).
    Withdrawing a round also withdraws its reports from the public (they need a
    published round)."""
    rnd = FollowUpRound.objects.select_for_update().get(pk=rnd.pk)
    if published and (error := round_publication_error(rnd)):
        raise ValidationError(error)
    publication = RoundPublication.objects.filter(round=rnd).first() or RoundPublication(round=rnd)
    if publication.pk and publication.published == published:
        return publication
    publication.published = published
    publication.changed_at = clock.now()
    publication.changed_by = user
    reason = _("Publicerad") if published else _("Avpublicerad")
    return attributed_save(publication, user=user, reason=reason)


@transaction.atomic
def report_publication_set(*, report: GeneratedReport, published: bool, user) -> ReportPublication:
    """Publish a finished report PDF of a published round, or withdraw it."""
    report = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if published and (error := report_publication_error(report)):
        raise ValidationError(error)
    publication = ReportPublication.objects.filter(report=report).first() or ReportPublication(
        report=report
    )
    if publication.pk and publication.published == published:
        return publication
    publication.published = published
    publication.changed_at = clock.now()
    publication.changed_by = user
    reason = _("Publicerad") if published else _("Avpublicerad")
    return attributed_save(publication, user=user, reason=reason)
