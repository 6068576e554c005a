"""The public portal in the demo: last year's annual report published, so /oppen/
shows the council's goals with their assessments, and (in seed_demo) the whole
municipality's report PDF published beside them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import translation

from followup.models import FollowUpRound, GeneratedReport, RoundStatus
from followup.report_document import report_title
from followup.report_pdf import generated_report_render
from portal.services import report_publication_set, round_publication_set

ANNUAL_KIND = "Årsredovisning"


def seed_demo_publication(*, with_pdf: bool = True) -> FollowUpRound | None:
    """The controller publishes the latest closed annual report's results and, with
    ``with_pdf``, makes the whole municipality's report PDF and publishes it."""
    rnd = (
        FollowUpRound.objects.filter(status=RoundStatus.CLOSED, kind__name=ANNUAL_KIND)
        .select_related("kind")
        .order_by("-period_end")
        .first()
    )
    if rnd is None:
        return None
    controller = get_user_model().objects.get(username="controller")
    round_publication_set(rnd=rnd, published=True, user=controller)
    if with_pdf:
        job = GeneratedReport.objects.create(
            round=rnd, title=report_title(rnd, None), created_by=controller
        )
        with translation.override("sv"):
            ok = generated_report_render(job)
        if ok:
            job.refresh_from_db()
            report_publication_set(report=job, published=True, user=controller)
    return rnd
