"""The demo's steering documents (demo/data/styrdokument.toml), service guarantees
(servicegarantier.toml) and glossary (ordlista.toml), each written through its one
write path (history as the system)."""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path

from followup.services import add_months
from goals.models import Direction, Frequency, Goal, Indicator, IndicatorKind, ServiceGuarantee
from goals.services import ValueInput, guarantee_save, measurements_save, targets_save
from ledmot.glossary import glossary_term_save
from ledmot.models import GlossaryTerm, OrgUnit
from steering.models import SteeringDocument
from steering.services import document_decide, document_save

DATA = Path(__file__).resolve().parent.parent / "data"


def load_data(name: str) -> dict:
    return tomllib.loads((DATA / f"{name}.toml").read_text(encoding="utf-8"))


def build_steering_documents(
    today: datetime.date, units: dict[str, OrgUnit]
) -> list[SteeringDocument]:
    made = []
    for spec in load_data("styrdokument")["dokument"]:
        goals = [
            goal
            for prefix in spec["mal"]
            if (goal := Goal.objects.filter(title__startswith=prefix).order_by("pk").first())
        ]
        document = document_save(
            document=SteeringDocument(
                title=spec["titel"],
                kind=spec["typ"],
                owner=units[spec["agare"]],
                summary=spec["sammanfattning"],
                link=spec["lank"],
            ),
            user=None,
            expected_version=None,
            goals=goals,
        )
        decided_on = add_months(today, -spec["beslut_manader"])
        made.append(
            document_decide(
                document=document,
                user=None,
                expected_version=None,
                decided_by=spec["beslutat_av"],
                decision_reference=spec["diarienummer"],
                decided_on=decided_on,
                valid_from=decided_on + datetime.timedelta(days=14),
                review_on=add_months(today, spec["revidera_manader"]),
            )
        )
    return made


def build_service_guarantees(
    tertials: tuple[str, ...], units: dict[str, OrgUnit]
) -> list[ServiceGuarantee]:
    """The guarantees with their kept-share indicators, targets and the values of the
    tertials that have ended (before the follow-up: a closed round locks its values)."""
    made = []
    for spec in load_data("servicegarantier")["garanti"]:
        values = {
            period: Decimal(str(value))
            for period, value in zip(tertials, spec["varden"], strict=False)
        }
        made.append(
            measured_guarantee(
                ServiceGuarantee(
                    unit=units[spec["enhet"]],
                    title=spec["titel"],
                    promise=spec["lofte"],
                    measured_how=spec["matt"],
                    published=spec.get("publiceras", True),
                ),
                indicator_name=spec["indikator"],
                target=Decimal(str(spec["malvarde"])),
                years=sorted({int(t[:4]) for t in tertials}),
                values=values,
            )
        )
    return made


def measured_guarantee(
    guarantee: ServiceGuarantee,
    *,
    indicator_name: str,
    target: Decimal,
    years: list[int],
    values: dict[str, Decimal],
) -> ServiceGuarantee:
    """``guarantee`` saved with its own kept-share indicator (the guarantee's unit's), the
    ``target`` of each of ``years`` and the ``values`` per period: the demo's and the
    generated municipality's guarantees alike."""
    indicator = Indicator(
        name=indicator_name,
        unit="%",
        decimals=1,
        direction=Direction.HIGHER,
        frequency=Frequency.TERTIAL,
        kind=IndicatorKind.KEPT_SHARE,
        responsible_unit=guarantee.unit,
    )
    indicator._history_user = None
    indicator.save()
    targets_save(indicator=indicator, values=dict.fromkeys(years, target), user=None)
    measurements_save(
        values=[
            ValueInput(indicator=indicator, period=period, value=value)
            for period, value in values.items()
        ],
        user=None,
    )
    guarantee.indicator = indicator
    return guarantee_save(guarantee=guarantee, user=None, expected_version=None)


def build_glossary() -> list[GlossaryTerm]:
    """The glossary is the municipality's, not the demo's data: terms already there are
    kept as they are (a controller may have changed them)."""
    made = []
    for spec in load_data("ordlista")["term"]:
        if GlossaryTerm.objects.filter(term__iexact=spec["term"]).exists():
            continue
        made.append(
            glossary_term_save(
                term=GlossaryTerm(term=spec["term"], definition=spec["definition"]),
                user=None,
                expected_version=None,
            )
        )
    return made
