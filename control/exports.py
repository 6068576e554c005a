"""Excel exports of internal control: columns declared once, rows from the screens'
read models; user text is always written as text (``ledmot.lib.xlsx``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ledmot.lib.xlsx import Column, Sheet, sheets_response

RISK_COLUMNS = [
    Column(_("Nr"), 6, "0"),
    Column(_("Risk"), 40),
    Column(_("Enhet"), 30),
    Column(_("Nämnd"), 30),
    Column(_("År"), 8, "0"),
    Column(_("Hotar målen"), 50),
    Column(_("Hotar processen"), 30),
    Column(_("Sannolikhet"), 16),
    Column(_("Konsekvens"), 16),
    Column(_("Riskvärde"), 10, "0"),
    Column(_("Risknivå"), 12),
    Column(_("Riskägare"), 24),
    Column(_("Åtgärder"), 50),
    Column(_("Riskanalysen antagen"), 14),
]

CONTROL_COLUMNS = [
    Column(_("Kontroll"), 40),
    Column(_("Risk"), 40),
    Column(_("Hur"), 40),
    Column(_("Hur ofta"), 20),
    Column(_("Vem kontrollerar"), 24),
    Column(_("Rapporteras av"), 30),
    Column(_("Rapporteras i"), 30),
    Column(_("Senaste resultat"), 24),
    Column(_("Kommentar"), 40),
    Column(_("Åtgärder"), 40),
]


def risk_sheet(rows) -> Sheet:
    return Sheet(
        _("Riskregister"),
        RISK_COLUMNS,
        (
            [
                row.number,
                row.risk.title,
                row.risk.unit.name,
                row.risk.analysis.committee.name,
                row.risk.analysis.year,
                "; ".join(g.title for g in row.risk.goals.all()),
                row.risk.process,
                row.risk.get_probability_display(),
                row.risk.get_consequence_display(),
                row.risk.score,
                row.level_label,
                row.risk.owner,
                row.risk.measures,
                row.risk.analysis.adopted_on,
            ]
            for row in rows
        ),
    )


def control_sheet(plan) -> Sheet:
    def latest(row, attr):
        return getattr(row["results"][0], attr) if row["results"] else ""

    return Sheet(
        _("Internkontrollplan"),
        CONTROL_COLUMNS,
        (
            [
                row["control"].title,
                row["control"].risk.title,
                row["control"].method,
                row["control"].get_frequency_display(),
                row["control"].responsible,
                row["control"].owner.name,
                ", ".join(k.name for k in row["control"].round_kinds.all()),
                row["results"][0].get_outcome_display() if row["results"] else "",
                latest(row, "comment"),
                latest(row, "measures"),
            ]
            for row in plan
        ),
    )


def register_xlsx(filename: str, rows, plan=None):
    sheets = [risk_sheet(rows)]
    if plan is not None:
        sheets.append(control_sheet(plan))
    return sheets_response(filename, sheets)
