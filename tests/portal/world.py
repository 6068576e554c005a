"""A published world for the portal's tests: the test municipality (tests/conftest)
with a published closed round, an unpublished closed round, reports in every state,
and texts that must never reach the public, each with a marker."""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from followup.models import GeneratedReport, ReportStatus
from followup.services import round_close
from goals.models import GoalStatus, KoladaValue, Measurement, Target
from ledmot.models import JobStatus
from portal.services import report_publication_set, round_publication_set
from tests.conftest import build_world
from tests.factories import GoalFactory
from tests.followup.helpers import open_round

#: Text that may never appear anywhere in the public portal or its open data.
SECRET = "HEMLIGT"
#: The people of the test world: no official's name is public.
NAMES = ["Anna Rektor", "Cecilia Controller", "Per Politiker", "Olle Omsorg", "@example.org"]

PDF = b"%PDF-1.7\n% Arsredovisning 2025 for BUN\n"


def _assess(report, goal, *, chosen, analysis, measures="", justification=""):
    assessment = report.assessments.get(goal=goal)
    assessment.chosen = chosen
    assessment.analysis = analysis
    assessment.measures = measures
    assessment.justification = justification
    assessment.save()


def _status(report, status, **fields):
    report.status = status
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()


def published_world(media_root=None):
    w = build_world()
    w.committee_goal.responsible = "Förvaltningschef"
    w.committee_goal.save()
    w.proposed_council_goal = GoalFactory(
        owner=w.kf,
        mandate_period=w.period,
        status=GoalStatus.PROPOSED,
        title=f"{SECRET}-FÖRSLAG: ett föreslaget kommunmål",
    )
    w.ended_goal = GoalFactory(
        owner=w.kf,
        mandate_period=w.period,
        status=GoalStatus.ENDED,
        title=f"{SECRET}-AVSLUTAT mål",
    )
    w.unit_goal.title = f"{SECRET}-ENHETSMÅL {w.unit_goal.title}"
    w.unit_goal.save()

    ind = w.indicator
    ind.kolada_id = "N15419"
    ind.decimals = 2
    ind.save()
    for period, value, comment in [
        ("2024", "71.5", ""),
        ("2025", "74.25", f"{SECRET}-KOMMENTAR om värdet"),
        ("2026", "99.5", ""),  # after the published round: not public yet
    ]:
        Measurement.objects.create(
            indicator=ind, period=period, value=value, comment=comment, entered_by=w.editor
        )
    Target.objects.create(indicator=ind, year=2025, value="80")
    KoladaValue.objects.create(
        kpi="N15419", municipality="0580", year=2025, value="68.5", fetched_at=timezone.now()
    )

    # The annual report 2025: approved committee and unit reports, the council's a draft,
    # the care committee's returned with a comment.
    annual = open_round(w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
    reports = {r.org_unit_id: r for r in annual.reports.all()}
    _assess(
        reports[w.bun.pk],
        w.committee_goal,
        chosen="partly",
        analysis="Analysen: fler elever når målen i år än förra året.",
        measures="Åtgärden: läxhjälp på alla skolor.",
        justification=f"{SECRET}-MOTIVERING",
    )
    _status(reports[w.bun.pk], ReportStatus.APPROVED)
    _assess(reports[w.skola1.pk], w.unit_goal, chosen="met", analysis=f"{SECRET}-ENHETSANALYS")
    _status(reports[w.skola1.pk], ReportStatus.APPROVED)
    _assess(reports[w.kf.pk], w.council_goal, chosen="met", analysis=f"{SECRET}-UTKAST")
    if w.von.pk in reports:
        _status(reports[w.von.pk], ReportStatus.RETURNED, return_comment=f"{SECRET}-ÅTERSÄND")
    round_close(rnd=annual, user=w.controller)

    # The tertial report 2026: closed, approved, never published.
    tertial = open_round(w, kind="Tertialrapport", period_end=datetime.date(2026, 4, 30))
    report = tertial.reports.get(org_unit=w.bun)
    _assess(report, w.committee_goal, chosen="not_met", analysis=f"{SECRET}-OPUBLICERAD")
    _status(report, ReportStatus.APPROVED)
    round_close(rnd=tertial, user=w.controller)

    round_publication_set(rnd=annual, published=True, user=w.controller)
    w.annual, w.tertial = annual, tertial

    w.pdf = GeneratedReport.objects.create(
        round=annual,
        org_unit=w.bun,
        title="Årsredovisning 2025 – Barn- och utbildningsnämnden",
        created_by=w.controller,
        status=JobStatus.DONE,
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        pages=1,
    )
    w.pdf.file.save("arsredovisning.pdf", ContentFile(PDF))
    report_publication_set(report=w.pdf, published=True, user=w.controller)
    w.hidden_pdf = GeneratedReport.objects.create(
        round=annual,
        title=f"{SECRET}-RAPPORT ej publicerad",
        status=JobStatus.DONE,
    )
    w.hidden_pdf.file.save("hemlig.pdf", ContentFile(b"%PDF-1.7\n% HEMLIGT\n"))
    w.tertial_pdf = GeneratedReport.objects.create(
        round=tertial,
        title=f"{SECRET}-TERTIAL",
        status=JobStatus.DONE,
    )
    w.tertial_pdf.file.save("tertial.pdf", ContentFile(b"%PDF-1.7\n% HEMLIGT\n"))
    return w
