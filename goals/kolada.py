"""Kolada: fetch key figures (nyckeltal) from the Kolada API and store them.

Two halves that meet in :class:`Row`:

- :func:`iter_rows` asks Kolada's data endpoint
  (``{api}/data/kpi/{kpis}/municipality/{municipalities}/year/{years}``) and yields
  normalised rows; :func:`iter_response_rows` reads responses saved earlier
  (``kolada_sync --from-file``) the same way, so nothing needs the network.
- :func:`sync` stores every row as a :class:`~goals.models.KoladaValue` (ours and
  the comparison municipalities') and saves the own municipality's rows as
  measurements of the indicators linked to the KPI.

The network is reached only through a ``fetch(url) -> dict`` function, which tests
and ``--from-file`` replace; :func:`http_fetch` is the real one.
"""

from __future__ import annotations

import datetime
import email.utils
import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from goals import rules
from goals.models import Gender, Indicator, IndicatorSource, KoladaValue, Measurement
from goals.services import (
    Seen,
    ValueInput,
    ValuesChanged,
    measurements_locked,
    measurements_save,
)
from ledmot.lib.db import refresh_statistics
from ledmot.lib.limits import MAX_ABS

logger = logging.getLogger(__name__)

CHUNK = 25  # Kolada accepts at most 25 ids per path segment
TIMEOUT = 30  # seconds
USER_AGENT = "LedMot"
ATTEMPTS = 3  # tries per request for 429 and 5xx
BACKOFF = 1.0  # seconds before the first retry, doubled after each
MAX_RETRY_AFTER = 120.0  # never wait longer than this, whatever the server asks
MAX_PAGES = 1000  # guard against a server that keeps sending next_url

GENDERS = {Gender.TOTAL.value, Gender.WOMEN.value, Gender.MEN.value}
_QUANTUM = Decimal("0.0001")  # the four decimals of the value fields

OFFLINE_HINT = "Använd --from-file med sparade svar om nätverket saknar internet."

Fetch = Callable[[str], dict]
Sleep = Callable[[float], None]


class KoladaError(Exception):
    """Kolada could not be asked or gave an answer we cannot use."""


class KpiNotFound(Exception):
    """Kolada answered 404: (one of) the KPIs asked for does not exist."""


class Row(NamedTuple):
    kpi: str
    municipality: str
    year: int
    gender: str
    value: Decimal | None


@dataclass
class SyncSummary:
    """What a run read and wrote; filled in by the fetching and by :func:`sync`."""

    rows_read: int = 0
    deleted_skipped: int = 0
    invalid_skipped: int = 0
    values_stored: int = 0
    measurements_saved: int = 0
    kept_manual: int = 0
    requests: int = 0
    kpis_not_found: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # what was refused, and why

    def refuse(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def not_found(self, kpi: str) -> None:
        if kpi not in self.kpis_not_found:
            self.kpis_not_found.append(kpi)


# --------------------------------------------------------------------------- fetching


def http_fetch(url: str) -> dict:
    """GET ``url`` and decode its JSON body. Raises urllib's errors unchanged."""
    if not url.startswith(("https://", "http://")):
        raise KoladaError(f"Ogiltig adress till Kolada: {url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
        return json.load(response)


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``), if it said."""
    headers = error.headers
    raw = headers.get("Retry-After") if headers is not None else None
    if not raw:
        return None
    raw = str(raw).strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        seconds = (when - datetime.datetime.now(datetime.UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def get_json(
    url: str,
    *,
    fetch: Fetch,
    sleep: Sleep = time.sleep,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF,
) -> dict:
    """Fetch one URL, retrying 429 and 5xx with exponential backoff.

    Raises :class:`KpiNotFound` on 404 and :class:`KoladaError` on anything else
    that cannot be used (network down, other HTTP errors, not JSON).
    """
    for attempt in range(attempts):
        try:
            data = fetch(url)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                raise KpiNotFound(url) from e
            if e.code == 429 or e.code >= 500:
                if attempt + 1 < attempts:
                    delay = _retry_after(e)
                    if delay is None:
                        delay = backoff * 2**attempt
                    logger.info("Kolada svarade %s, försöker igen om %.0f s", e.code, delay)
                    sleep(delay)
                    continue
                raise KoladaError(
                    f"Kolada svarade {e.code} ({e.reason}) även efter {attempts} försök: {url}"
                ) from e
            raise KoladaError(f"Kolada svarade {e.code} ({e.reason}): {url}") from e
        except (OSError, http.client.HTTPException) as e:  # URLError, timeouts, resets
            reason = getattr(e, "reason", None) or e
            raise KoladaError(f"Kolada kunde inte nås: {reason}. {OFFLINE_HINT}") from e
        except ValueError as e:  # json.JSONDecodeError and friends
            raise KoladaError(f"Kolada gav ett svar som inte är JSON: {url}") from e
        if not isinstance(data, dict):
            raise KoladaError(f"Kolada gav ett oväntat svar: {url}")
        return data
    raise AssertionError("unreachable")  # pragma: no cover


def chunks(items: Iterable[str], size: int = CHUNK) -> list[list[str]]:
    items = list(items)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _segment(ids: Iterable[str]) -> str:
    return urllib.parse.quote(",".join(str(i) for i in ids), safe=",")


def data_url(api: str, kpis: list[str], municipalities: list[str], years: list[str]) -> str:
    return (
        f"{api.rstrip('/')}/data/kpi/{_segment(kpis)}"
        f"/municipality/{_segment(municipalities)}/year/{_segment(years)}"
    )


def request_chunks(
    kpis: Iterable[str], municipalities: Iterable[str], years: Iterable[int]
) -> list[tuple[list[str], list[str], list[str]]]:
    """The (kpis, municipalities, years) of each request: ≤ 25 ids per segment."""
    kpis = unique(normalise_kpi(k) for k in kpis)
    municipalities = unique(normalise_municipality(m) for m in municipalities)
    years = [str(y) for y in sorted({int(y) for y in years})]
    return [(k, m, y) for k in chunks(kpis) for m in chunks(municipalities) for y in chunks(years)]


def build_urls(
    kpis: Iterable[str], municipalities: Iterable[str], years: Iterable[int], *, api: str
) -> list[str]:
    """The data URLs to ask for the KPIs × municipalities × years."""
    return [data_url(api, *chunk) for chunk in request_chunks(kpis, municipalities, years)]


def _next_url(data: dict, current: str) -> str | None:
    nxt = data.get("next_url") or data.get("next_page")
    if not nxt or not isinstance(nxt, str):
        return None
    return urllib.parse.urljoin(current, nxt)


def _same_origin(a: str, b: str) -> bool:
    pa, pb = urllib.parse.urlsplit(a), urllib.parse.urlsplit(b)
    return (pa.scheme, pa.netloc) == (pb.scheme, pb.netloc)


def iter_rows(
    kpis: Iterable[str],
    municipalities: Iterable[str],
    years: Iterable[int],
    fetch: Fetch | None = None,
    *,
    sleep: Sleep = time.sleep,
    api: str | None = None,
    summary: SyncSummary | None = None,
) -> Iterator[Row]:
    """Ask Kolada for the KPIs × municipalities × years and yield normalised rows.

    Follows ``next_url`` (or the older ``next_page``). A 404 means a KPI does not
    exist: a request for several KPIs is then asked again one KPI at a time, and
    the missing ones are listed in ``summary.kpis_not_found``.
    """
    fetch = fetch or http_fetch  # looked up per call, so tests can replace it
    api = api or settings.LEDMOT_KOLADA_API
    summary = summary if summary is not None else SyncSummary()

    def ask(kpis: list[str], munis: list[str], yrs: list[str]) -> Iterator[Row]:
        url: str | None = data_url(api, kpis, munis, yrs)
        seen: set[str] = set()
        try:
            while url:
                if url in seen or len(seen) >= MAX_PAGES:
                    raise KoladaError(f"Kolada skickar samma sida om och om igen: {url}")
                seen.add(url)
                summary.requests += 1
                data = get_json(url, fetch=fetch, sleep=sleep)
                yield from iter_response_rows([data], summary=summary)
                url = _next_url(data, url)
                if url and not _same_origin(url, api):
                    raise KoladaError(f"Kolada hänvisade till en annan webbplats: {url}")
        except KpiNotFound:
            if len(kpis) == 1:
                logger.warning("Kolada känner inte till nyckeltalet %s", kpis[0])
                summary.not_found(kpis[0])
                return
            # Which one is missing? Ask one KPI at a time (a row read twice is
            # harmless: sync keeps one per key).
            for kpi in kpis:
                yield from ask([kpi], munis, yrs)

    for kpis_, munis_, years_ in request_chunks(kpis, municipalities, years):
        yield from ask(kpis_, munis_, years_)


# --------------------------------------------------------------------------- parsing


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def normalise_kpi(kpi: Any) -> str:
    return rules.kolada_id_normalise(kpi)


def bad_kpi_message(kpi: str) -> str:
    """The rule's message with the id it is about (see :func:`goals.rules.kolada_id_error`)."""
    return f"”{kpi}”: {rules.kolada_id_error(kpi)}"


def normalise_municipality(code: Any) -> str:
    """``583``, ``"583"`` and ``"0583"`` are all ``"0583"``; ``0`` is the riket ``"0000"``."""
    text = str(code if code is not None else "").strip()
    if text.isdigit():
        text = text.zfill(4)
    return text


def parse_value(raw: Any) -> Decimal | None:
    """Kolada's number as a Decimal with four decimals; ``None`` when missing.

    Raises ValueError for something that is not a usable number.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation as e:
        raise ValueError(raw) from e
    if not value.is_finite() or abs(value) >= MAX_ABS:
        raise ValueError(raw)
    return value.quantize(_QUANTUM, rounding=ROUND_HALF_UP)


def iter_response_rows(
    responses: Iterable[dict], *, summary: SyncSummary | None = None
) -> Iterator[Row]:
    """Normalised rows of API responses (as fetched, or as saved to a file)."""
    summary = summary if summary is not None else SyncSummary()
    for data in responses:
        if not isinstance(data, dict):
            raise KoladaError("Ett Kolada-svar ska vara ett JSON-objekt med ”values”.")
        entries = data.get("values") or []
        if not isinstance(entries, list):
            raise KoladaError("Ett Kolada-svar ska ha en lista ”values”.")
        for entry in entries:
            yield from _entry_rows(entry, summary)


def _entry_rows(entry: Any, summary: SyncSummary) -> Iterator[Row]:
    if not isinstance(entry, dict):
        summary.invalid_skipped += 1
        return
    kpi = normalise_kpi(entry.get("kpi"))
    municipality = normalise_municipality(entry.get("municipality"))
    try:
        year = int(entry.get("period"))
    except (TypeError, ValueError):
        year = 0
    genders = entry.get("values") or []
    if not (kpi and len(kpi) <= 20 and len(municipality) == 4 and 1900 <= year <= 2999):
        summary.invalid_skipped += max(len(genders), 1) if isinstance(genders, list) else 1
        return
    if rules.kolada_id_error(kpi):
        summary.invalid_skipped += max(len(genders), 1) if isinstance(genders, list) else 1
        summary.refuse(bad_kpi_message(kpi))
        return
    if entry.get("isdeleted"):
        summary.deleted_skipped += len(genders) if isinstance(genders, list) else 1
        return
    for item in genders if isinstance(genders, list) else []:
        if not isinstance(item, dict):
            summary.invalid_skipped += 1
            continue
        if item.get("isdeleted"):
            summary.deleted_skipped += 1
            continue
        gender = str(item.get("gender") or "").strip().upper()
        if gender not in GENDERS:
            summary.invalid_skipped += 1
            continue
        try:
            value = parse_value(item.get("value"))
        except ValueError:
            summary.invalid_skipped += 1
            continue
        summary.rows_read += 1
        yield Row(kpi, municipality, year, gender, value)


# --------------------------------------------------------------------------- storing


def sync(
    rows: Iterable[Row],
    *,
    fetched_at: datetime.datetime,
    own_code: str,
    summary: SyncSummary | None = None,
) -> SyncSummary:
    """Store the rows as KoladaValues and the own municipality's as measurements.

    All rows are read (and so fetched) before anything is written, then everything
    is written in one transaction. A measurement entered by the municipality
    itself (not from Kolada) that has a value is never overwritten.
    """
    summary = summary if summary is not None else SyncSummary()
    latest: dict[tuple[str, str, int, str], Row] = {}
    for row in rows:
        latest[(row.kpi, row.municipality, row.year, row.gender)] = row
    own_code = normalise_municipality(own_code)

    with transaction.atomic():
        objs = [
            KoladaValue(
                kpi=r.kpi,
                municipality=r.municipality,
                year=r.year,
                gender=r.gender,
                value=r.value,
                fetched_at=fetched_at,
            )
            for r in latest.values()
        ]
        KoladaValue.objects.bulk_create(
            objs,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["kpi", "municipality", "year", "gender"],
            update_fields=["value", "fetched_at"],
        )
        summary.values_stored += len(objs)
        own_rows = [r for r in latest.values() if r.municipality == own_code]
        saved = _save_measurements(own_rows, fetched_at, summary)
        summary.measurements_saved += saved
        # Many values at once: fresh planner statistics once this commits.
        refresh_statistics(len(objs) + saved)
    return summary


def linked_indicators(summary: SyncSummary | None = None) -> dict[str, list[Indicator]]:
    """Indicators by the (normalised) Kolada KPI they are linked to. An indicator whose
    Kolada id breaks the rule (stored before the rule held) is left out, with a message."""
    linked: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.exclude(kolada_id="").order_by("pk"):
        kpi = normalise_kpi(indicator.kolada_id)
        if rules.kolada_id_error(kpi):
            if summary is not None:
                summary.refuse(f"{indicator.name}: {bad_kpi_message(kpi)}")
            continue
        if kpi:
            linked.setdefault(kpi, []).append(indicator)
    return linked


def linked_kpis(summary: SyncSummary | None = None) -> list[str]:
    """The distinct KPIs indicators are linked to, sorted."""
    return sorted(linked_indicators(summary))


def _save_measurements(rows: list[Row], fetched_at, summary: SyncSummary) -> int:
    linked = linked_indicators(summary)
    targets = [
        (indicator, row)
        for row in sorted(rows, key=lambda r: (r.kpi, r.year, r.gender))
        for indicator in linked.get(row.kpi, [])
        if row.gender == Gender.TOTAL or indicator.gender_breakdown
    ]
    if not targets:
        return 0
    existing = {
        (m.indicator_id, m.period, m.gender): m
        for m in Measurement.objects.filter(
            indicator_id__in={i.pk for i, _r in targets},
            period__in={str(r.year) for _i, r in targets},
        )
    }
    values = []
    for indicator, row in targets:
        period = str(row.year)
        current = existing.get((indicator.pk, period, row.gender))
        if (
            current is not None
            and current.source != IndicatorSource.KOLADA
            and current.value is not None
        ):
            # The municipality's own value wins: never relabel it as Kolada's.
            summary.kept_manual += 1
            continue
        if current is None and row.value is None:
            continue  # nothing to record
        values.append(
            ValueInput(
                indicator=indicator,
                period=period,
                value=row.value,
                gender=row.gender,
                comment=None,  # Kolada has none: keep the stored one
                source=IndicatorSource.KOLADA,
                fetched_at=fetched_at,
                # What was read above: a value someone saves before the write is kept.
                seen=Seen(current.value if current is not None else None, comment=None),
            )
        )
    # A value a closed round has locked is skipped, with the same message as everywhere.
    locked = measurements_locked(values)
    for _value, message in locked:
        summary.refuse(message)
    refused = {id(v) for v, _message in locked}
    values = [v for v in values if id(v) not in refused]
    while values:
        try:
            return len(measurements_save(values=values, user=None, reason="Kolada"))
        except ValuesChanged as exc:
            # Someone saved some of these values since they were read: theirs stay;
            # the rest is saved on the next pass.
            raced = {id(v) for v, _current in exc.changed}
            for v, _current in exc.changed:
                summary.refuse(
                    _(
                        "%(indicator)s %(period)s: värdet sparades av någon annan under "
                        "hämtningen och har inte skrivits över."
                    )
                    % {"indicator": v.indicator.name, "period": v.period}
                )
            values = [v for v in values if id(v) not in raced]
    return 0
