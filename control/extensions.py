"""What control adds to the core and to follow-up through their extension lists
(registered in ``ControlConfig.ready``): a menu entry, the controls on the owner's
report page, the internal control chapter of the report PDFs and the controls not
reported on a round's dashboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from control.models import ControlOutcome
from control.registers import controls_in_round, report_control_pieces, results_by_control
from followup.access import can_manage_rounds
from followup.extensions import ReportSection
from ledmot.access import Cap, access_for
from ledmot.context_processors import MenuEntry

#: How many unreported controls the dashboard lists.
UNREPORTED_SHOWN = 25


def control_menu_entry(user) -> MenuEntry | None:
    if not access_for(user).can_anywhere(Cap.VIEW):
        return None
    return MenuEntry(label=_("Intern kontroll"), url=reverse("control:risk_list"))


def report_controls(report):
    """The controls the report asks about: the unit's, in the round's year and kind."""
    return (
        controls_in_round(report.round)
        .filter(owner=report.org_unit)
        .select_related("risk")
        .order_by("title", "pk")
        .distinct()
    )


def control_pieces(report) -> list[dict]:
    # The form of each (editable) is drawn from its result by the template tag
    # control_rows.report_control_pieces, not built here as a model form per control.
    return [
        {"control": control, "result": result} for control, result in report_control_pieces(report)
    ]


def control_report_page_section(report, user, editable: bool) -> dict | None:
    pieces = control_pieces(report)
    if not pieces:
        return None
    return {
        "template": "control/_report_controls.html",
        "pieces": pieces,
        "report": report,
        "editable": editable,
    }


def internal_control_chapter(rnd, org) -> ReportSection | None:
    """Intern kontroll: each control of the scope asked in the round, with its result
    and the deviations' comments and measures (3 queries)."""
    controls = controls_in_round(rnd).distinct()
    if org is not None:
        controls = controls.filter(analysis__committee__path__startswith=org.path)
    controls = list(
        controls.select_related("analysis__committee", "owner", "risk").order_by(
            "analysis__committee__path", "title", "pk"
        )
    )
    if not controls:
        return None
    results = results_by_control(rnd, controls)
    rows = [{"control": c, "result": results.get(c.pk)} for c in controls]
    counts = {
        value: sum(1 for r in rows if r["result"] and r["result"].outcome == value)
        for value in ControlOutcome.values
    }
    return ReportSection(
        anchor="intern-kontroll",
        title=_("Intern kontroll"),
        template="control/_report_pdf_chapter.html",
        context={
            "rows": rows,
            "outcomes": [(label, counts[v]) for v, label in ControlOutcome.choices],
            "unreported": sum(1 for r in rows if r["result"] is None),
        },
        order=60,
    )


def unreported_controls_section(rnd, user) -> dict | None:
    """For those who manage rounds: the controls asked in the round not yet reported."""
    if not can_manage_rounds(user):
        return None
    controls = (
        controls_in_round(rnd)
        .exclude(results__report__round=rnd)
        .distinct()
        .select_related("owner", "analysis__committee")
        .order_by("analysis__committee__path", "owner__path", "title", "pk")
    )
    shown = list(controls[:UNREPORTED_SHOWN])
    if not shown:
        return None
    count = len(shown) if len(shown) < UNREPORTED_SHOWN else controls.count()
    return {"template": "control/_dashboard_unreported.html", "controls": shown, "count": count}


def unit_risks_section(unit, user, today) -> dict | None:
    """On a unit's page: a link to its risk matrix (its risks and those under it), for
    those who may read them; no query (the access is cached for the request)."""
    if unit.kind == "kf" or not access_for(user).can(Cap.VIEW, unit):
        return None
    url = reverse("control:risk_list") + f"?ar={today.year}&enhet={unit.pk}"
    return {"template": "control/_unit_risks.html", "url": url, "year": today.year}
