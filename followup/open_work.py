"""The follow-up's part of "work still open on a unit" (``ledmot.extensions.OPEN_WORK``):
its reports in a round that is still open and not yet approved."""

from django.utils.translation import gettext as _

from followup.models import Report, ReportStatus, RoundStatus


def followup_open_work(unit_ids: list[int]) -> list[tuple[str, int]]:
    reports = Report.objects.filter(
        org_unit_id__in=unit_ids, round__status=RoundStatus.OPEN
    ).exclude(status=ReportStatus.APPROVED)
    return [(_("rapporter i en öppen uppföljning"), reports.count())]
