"""Open data: every public list as CSV and JSON, and a DCAT-AP-SE catalogue of them.

Each data set is declared once (its columns and rows, read through
:mod:`portal.publication`); the CSV, the JSON and the catalogue are made from that
declaration. Addresses are built from ``LEDMOT_BASE_URL``, so identifiers stay the same
whatever host name a request came by.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.fulfilment import Assessment
from goals.models import Indicator
from portal.publication import (
    last_changed,
    public_assessments,
    public_goals,
    public_indicators,
    public_measurements,
    public_targets,
    published_reports,
)

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key and the CSV header (stable: programs depend on them)
    label: object  # human description (in the catalogue)


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: object
    description: object
    keywords: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[tuple]]

    @property
    def header(self) -> list[str]:
        return [c.key for c in self.columns]


def _chunked(queryset) -> Iterator:
    return queryset.iterator(chunk_size=CHUNK)


def _goal_rows():
    goals = (
        public_goals()
        .order_by("mandate_period__start_year", "level", "owner__path", "order", "pk")
        .values_list(
            "pk",
            "level",
            "title",
            "description",
            "perspective__name",
            "owner__name",
            "parent_id",
            "shared",
            "decision_reference",
            "decision_paragraph",
            "decided_on",
            "responsible",
            "mandate_period__start_year",
            "mandate_period__end_year",
        )
    )
    for row in _chunked(goals):
        *head, start, end = row
        yield (*head, f"{start}–{end}")


def _assessment_rows():
    labels = {a.value: str(a.label) for a in Assessment}
    rows = (
        public_assessments()
        .order_by(
            "report__round__period_end", "report__round__pk", "goal_id", "report__org_unit__path"
        )
        .values_list(
            "goal_id",
            "goal__title",
            "report__round_id",
            "report__round__kind__name",
            "report__round__year",
            "report__round__period_end",
            "report__org_unit__name",
            "chosen",
            "analysis",
            "measures",
        )
    )
    for goal, title, rnd, kind, year, end, unit, chosen, analysis, measures in _chunked(rows):
        yield (
            goal,
            title,
            rnd,
            f"{kind} {year}",
            end,
            unit,
            chosen,
            labels.get(chosen, ""),
            analysis,
            measures,
        )


def _indicator_rows():
    through = Indicator.goals.through
    goals_of: dict[int, list[int]] = {}
    for ind, goal in (
        through.objects.filter(
            goal__in=public_goals().values("pk"), indicator__in=public_indicators().values("pk")
        )
        .values_list("indicator_id", "goal_id")
        .order_by("indicator_id", "goal_id")
    ):
        goals_of.setdefault(ind, []).append(goal)
    rows = (
        public_indicators()
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "description",
            "unit",
            "decimals",
            "direction",
            "frequency",
            "kind",
            "kolada_id",
            "gender_breakdown",
        )
    )
    for row in _chunked(rows):
        yield (*row, ",".join(str(g) for g in goals_of.get(row[0], [])))


def _measurement_rows():
    rows = (
        public_measurements()
        .order_by("indicator_id", "sort_key", "gender")
        .values_list("indicator_id", "indicator__name", "period", "gender", "value")
    )
    yield from _chunked(rows)


def _target_rows():
    rows = (
        public_targets()
        .order_by("indicator_id", "year")
        .values_list("indicator_id", "indicator__name", "year", "value")
    )
    yield from _chunked(rows)


def _report_rows():
    rows = (
        published_reports()
        .order_by("-round__period_end", "-pk")
        .annotate(round_kind=F("round__kind__name"), round_year=F("round__year"))
        .values_list(
            "pk",
            "title",
            "round_id",
            "round_kind",
            "round_year",
            "org_unit__name",
            "pages",
            "size",
            "sha256",
        )
    )
    base = settings.LEDMOT_BASE_URL.rstrip("/")
    for pk, title, rnd, kind, year, unit, pages, size, sha in rows:
        url = base + reverse("portal:report_file", args=[pk])
        yield (pk, title, rnd, f"{kind} {year}", unit or "", pages, size, sha, url)


DATASETS: dict[str, Dataset] = {
    d.slug: d
    for d in [
        Dataset(
            "mal",
            _("Mål"),
            _("Fullmäktiges och nämndernas antagna mål med perspektiv, ansvarig och beslut."),
            ("mål", "målstyrning", "kommunfullmäktige", "nämnd"),
            (
                Column("id", _("Målets id")),
                Column("niva", _("Nivå: kf = kommunfullmäktige, namnd = nämnd")),
                Column("mal", _("Mål")),
                Column("beskrivning", _("Beskrivning")),
                Column("perspektiv", _("Perspektiv")),
                Column("agare", _("Ägare (fullmäktige eller nämnd)")),
                Column("overordnat_mal_id", _("Överordnat måls id")),
                Column("kommungemensamt", _("Kommungemensamt mål (1 = ja)")),
                Column("diarienummer", _("Diarienummer")),
                Column("paragraf", _("Paragraf")),
                Column("beslutsdatum", _("Beslutsdatum")),
                Column("ansvarig", _("Ansvarig funktion")),
                Column("mandatperiod", _("Mandatperiod")),
            ),
            _goal_rows,
        ),
        Dataset(
            "bedomningar",
            _("Bedömningar av måluppfyllelse"),
            _("Bedömningar av målen i publicerade uppföljningar, med analys och åtgärder."),
            ("måluppfyllelse", "uppföljning", "årsredovisning"),
            (
                Column("mal_id", _("Målets id")),
                Column("mal", _("Mål")),
                Column("uppfoljning_id", _("Uppföljningens id")),
                Column("uppfoljning", _("Uppföljning")),
                Column("period_slut", _("Periodens slut")),
                Column("organisation", _("Organisation som bedömt")),
                Column("bedomning_kod", _("Bedömning (kod)")),
                Column("bedomning", _("Bedömning")),
                Column("analys", _("Analys")),
                Column("atgarder", _("Åtgärder")),
            ),
            _assessment_rows,
        ),
        Dataset(
            "indikatorer",
            _("Indikatorer"),
            _("Indikatorerna som mäter de publicerade målen."),
            ("indikatorer", "nyckeltal", "Kolada"),
            (
                Column("id", _("Indikatorns id")),
                Column("namn", _("Namn")),
                Column("beskrivning", _("Beskrivning")),
                Column("enhet", _("Enhet")),
                Column("decimaler", _("Decimaler")),
                Column("riktning", _("Riktning: higher, lower eller target")),
                Column("frekvens", _("Frekvens: year, tertial eller month")),
                Column("typ", _("Typ: resurs, prestation eller resultat")),
                Column("kolada_id", _("Kolada-id")),
                Column("konsuppdelad", _("Uppdelad på kön (1 = ja)")),
                Column("mal_id", _("Id för målen indikatorn mäter, kommaseparerade")),
            ),
            _indicator_rows,
        ),
        Dataset(
            "utfall",
            _("Utfall"),
            _(
                "Indikatorernas utfall för perioder till och med "
                "den senast publicerade uppföljningen."
            ),
            ("utfall", "nyckeltal", "statistik"),
            (
                Column("indikator_id", _("Indikatorns id")),
                Column("indikator", _("Indikator")),
                Column("period", _("Period: 2024, 2024-T1 eller 2024-03")),
                Column("kon", _("Kön: T = totalt, K = kvinnor, M = män")),
                Column("varde", _("Värde")),
            ),
            _measurement_rows,
        ),
        Dataset(
            "malvarden",
            _("Målvärden"),
            _("Indikatorernas målvärden per år."),
            ("målvärden", "nyckeltal"),
            (
                Column("indikator_id", _("Indikatorns id")),
                Column("indikator", _("Indikator")),
                Column("ar", _("År")),
                Column("varde", _("Målvärde")),
            ),
            _target_rows,
        ),
        Dataset(
            "rapporter",
            _("Publicerade rapporter"),
            _("Årsredovisningar och delårsrapporter som PDF."),
            ("årsredovisning", "delårsrapport", "rapport"),
            (
                Column("id", _("Rapportens id")),
                Column("titel", _("Titel")),
                Column("uppfoljning_id", _("Uppföljningens id")),
                Column("uppfoljning", _("Uppföljning")),
                Column("organisation", _("Organisation (tom för hela kommunen)")),
                Column("sidor", _("Sidor")),
                Column("storlek", _("Storlek i byte")),
                Column("sha256", _("SHA-256")),
                Column("url", _("Adress till PDF-filen")),
            ),
            _report_rows,
        ),
    ]
}


# --------------------------------------------------------------------------- JSON


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def json_chunks(dataset: Dataset) -> Iterator[str]:
    """``{"dataset": …, "title": …, "items": [{…}, …]}``, streamed item by item."""
    changed = last_changed()
    head = {
        "dataset": dataset.slug,
        "identifier": dataset_uri(dataset),
        "title": str(dataset.title),
        "publisher": settings.LEDMOT_MUNICIPALITY_NAME,
        "license": LICENSE,
        "modified": changed.isoformat() if changed else None,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    keys = dataset.header
    first = True
    for row in dataset.rows():
        item = json.dumps(
            {k: _json_value(v) for k, v in zip(keys, row, strict=True)}, ensure_ascii=False
        )
        yield item if first else "," + item
        first = False
    yield "]}"


# --------------------------------------------------------------------------- DCAT-AP-SE

LICENSE = "http://creativecommons.org/publicdomain/zero/1.0/"
EU = "http://publications.europa.eu/resource/authority/"
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
}


def _base() -> str:
    return settings.LEDMOT_BASE_URL.rstrip("/")


def catalog_uri() -> str:
    return _base() + reverse("portal:catalog")


def dataset_uri(dataset: Dataset) -> str:
    return _base() + reverse("portal:dataset", args=[dataset.slug])


def download_uri(dataset: Dataset, fmt: str) -> str:
    return _base() + reverse("portal:download", args=[dataset.slug, fmt])


def _lang(text) -> dict:
    return {"@language": "sv", "@value": str(text)}


def catalog() -> dict:
    """The DCAT-AP-SE catalogue as JSON-LD: what Sveriges dataportal harvests."""
    changed = last_changed()
    modified = {"@type": "xsd:dateTime", "@value": changed.isoformat()} if changed else None
    publisher = {
        "@id": _base() + reverse("portal:home") + "#utgivare",
        "@type": "foaf:Agent",
        "foaf:name": settings.LEDMOT_MUNICIPALITY_NAME,
    }
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": settings.LEDMOT_MUNICIPALITY_NAME,
        "vcard:hasEmail": {"@id": "mailto:" + settings.LEDMOT_PORTAL_CONTACT_EMAIL},
    }
    datasets = []
    for d in DATASETS.values():
        entry = {
            "@id": dataset_uri(d),
            "@type": "dcat:Dataset",
            "dct:identifier": dataset_uri(d),
            "dct:title": _lang(d.title),
            "dct:description": _lang(d.description),
            "dct:publisher": {"@id": publisher["@id"]},
            "dcat:contactPoint": contact,
            "dcat:keyword": [_lang(k) for k in d.keywords],
            "dcat:theme": {"@id": EU + "data-theme/GOVE"},
            "dct:accessRights": {"@id": EU + "access-right/PUBLIC"},
            "dct:language": {"@id": EU + "language/SWE"},
            "dcat:landingPage": {"@id": _base() + reverse("portal:open_data")},
            "dcat:distribution": [
                {
                    "@id": download_uri(d, fmt),
                    "@type": "dcat:Distribution",
                    "dct:title": _lang(f"{d.title} ({label})"),
                    "dcat:accessURL": {"@id": download_uri(d, fmt)},
                    "dcat:downloadURL": {"@id": download_uri(d, fmt)},
                    "dct:format": {"@id": EU + "file-type/" + label},
                    "dcat:mediaType": {
                        "@id": "https://www.iana.org/assignments/media-types/" + media
                    },
                    "dct:license": {"@id": LICENSE},
                }
                for fmt, (label, media) in FORMATS.items()
            ],
        }
        if modified:
            entry["dct:modified"] = modified
        datasets.append(entry)
    doc = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": catalog_uri(),
        "@type": "dcat:Catalog",
        "dct:title": _lang(
            str(_("Öppna data om mål och resultat – %(muni)s"))
            % {"muni": settings.LEDMOT_MUNICIPALITY_NAME}
        ),
        "dct:description": _lang(
            _(
                "Kommunens antagna mål, bedömningar, indikatorer, utfall och rapporter "
                "som öppna data."
            )
        ),
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENSE},
        "dct:language": {"@id": EU + "language/SWE"},
        "foaf:homepage": {"@id": _base() + reverse("portal:home")},
        "dcat:dataset": datasets,
    }
    if modified:
        doc["dct:modified"] = modified
    return doc
