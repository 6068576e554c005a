"""Publication rules: plain functions giving the same Swedish message on every path."""

from __future__ import annotations

from django.utils.translation import gettext as _

from followup.models import FollowUpRound, GeneratedReport
from ledmot.models import JobStatus


def round_publication_error(rnd: FollowUpRound) -> str | None:
    """A round's results can be published only once the round is closed (its reports
    are locked, so what the public sees cannot change under it)."""
    if not rnd.is_closed:
        return _("Bara en stängd uppföljning kan publiceras.")
    return None


def report_publication_error(report: GeneratedReport) -> str | None:
    """A report PDF can be published when it is finished and its round is published."""
    from portal.publication import published_rounds

    if report.status != JobStatus.DONE or not report.file:
        return _("Rapporten är inte färdig och kan inte publiceras.")
    if not published_rounds().filter(pk=report.round_id).exists():
        return _("Publicera uppföljningens resultat innan dess rapporter publiceras.")
    return None
