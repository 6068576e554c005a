"""Kolada: the client (URLs, paging, retries, errors), the sync and the command.

Nothing here reaches the network: every request goes to a fake ``fetch`` that
serves the saved responses under ``fixtures/kolada``.
"""

import datetime
import email.message
import json
import socket
import urllib.error
import urllib.request
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from goals import kolada
from goals.kolada import KoladaError, Row, SyncSummary
from goals.management.commands.kolada_sync import default_years, parse_years
from goals.models import Gender, IndicatorSource, KoladaValue, Measurement
from goals.services import ValueInput, measurements_save

FIXTURES = Path(__file__).parent / "fixtures" / "kolada"
API = "https://api.kolada.se/v3"
FETCHED = datetime.datetime(2025, 3, 1, 6, 0, tzinfo=datetime.UTC)


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def http_error(url, code, retry_after=None):
    headers = email.message.Message()
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return urllib.error.HTTPError(url, code, "fel", headers, None)


class FakeFetch:
    """Serves responses by URL; a value may be an exception, or a list consumed in order."""

    def __init__(self, routes=None, default=None):
        self.routes = dict(routes or {})
        self.default = default
        self.calls = []

    def __call__(self, url):
        self.calls.append(url)
        answer = self.routes.get(url, self.default)
        if isinstance(answer, list):
            answer = answer.pop(0)
        if answer is None:
            raise AssertionError(f"unexpected URL {url}")
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, int):
            raise http_error(url, answer)
        return answer


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def rows_of(*names):
    summary = SyncSummary()
    rows = list(kolada.iter_response_rows([load(n) for n in names], summary=summary))
    return rows, summary


def values():
    return {(v.kpi, v.municipality, v.year, v.gender): v.value for v in KoladaValue.objects.all()}


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly if anything tries to reach Kolada for real."""

    def refuse(*args, **kwargs):
        raise AssertionError("the network must not be used")

    monkeypatch.setattr(kolada, "http_fetch", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.fixture
def linked(world):
    world.indicator.kolada_id = " n15428 "  # matched case-insensitively, trimmed
    world.indicator.source = IndicatorSource.KOLADA
    world.indicator.save()
    return world.indicator


# --------------------------------------------------------------------------- URLs


def test_26_kpis_are_split_into_25_and_1():
    kpis = [f"N{n:05d}" for n in range(26)]
    urls = kolada.build_urls(kpis, ["0583"], [2023, 2022], api=API + "/")
    assert len(urls) == 2
    assert urls[0] == f"{API}/data/kpi/{','.join(kpis[:25])}/municipality/0583/year/2022,2023"
    assert urls[1] == f"{API}/data/kpi/N00025/municipality/0583/year/2022,2023"


def test_kpis_and_municipalities_are_both_split_cross_product():
    kpis = [f"N{n:05d}" for n in range(26)]
    munis = [f"{n:04d}" for n in range(26)]
    chunks = kolada.request_chunks(kpis, munis, [2023])
    assert [(len(k), len(m)) for k, m, _y in chunks] == [(25, 25), (25, 1), (1, 25), (1, 1)]


def test_ids_are_normalised_and_deduplicated():
    [url] = kolada.build_urls(["n15428", "N15428 "], [583, "0583", "0000"], [2023], api=API)
    assert url == f"{API}/data/kpi/N15428/municipality/0583,0000/year/2023"


# --------------------------------------------------------------------------- paging


def test_next_url_is_followed():
    first = f"{API}/data/kpi/N15428/municipality/0583/year/2022,2023"
    page1 = load("two_pages_1.json")
    fetch = FakeFetch({first: page1, page1["next_url"]: load("two_pages_2.json")})
    rows = list(kolada.iter_rows(["N15428"], ["0583"], [2022, 2023], fetch, api=API))
    assert fetch.calls == [first, page1["next_url"]]
    assert {(r.year, r.gender) for r in rows} == {
        (y, g) for y in (2022, 2023) for g in ("T", "K", "M")
    }


def test_next_page_of_the_v2_envelope_is_the_fallback():
    api = "http://api.kolada.se/v2"
    first = f"{api}/data/kpi/N15428/municipality/0583/year/2022,2023"
    page1 = load("v2_next_page_1.json")
    assert "next_url" not in page1
    fetch = FakeFetch({first: page1, page1["next_page"]: load("v2_next_page_2.json")})
    rows = list(kolada.iter_rows(["N15428"], ["0583"], [2022, 2023], fetch, api=api))
    assert len(fetch.calls) == 2
    assert [(r.year, r.value) for r in rows] == [(2022, Decimal("80.1")), (2023, Decimal("81.2"))]


def test_empty_values_give_no_rows():
    fetch = FakeFetch(default=load("empty.json"))
    assert list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, api=API)) == []
    assert len(fetch.calls) == 1


def test_next_url_to_another_site_is_refused():
    page = dict(load("two_pages_1.json"), next_url="https://evil.example/steal")
    fetch = FakeFetch(default=page)
    with pytest.raises(KoladaError, match="annan webbplats"):
        list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, api=API))


def test_a_page_that_points_to_itself_does_not_loop_forever():
    url = f"{API}/data/kpi/N15428/municipality/0583/year/2023"
    fetch = FakeFetch({url: dict(load("one_page.json"), next_url=url)})
    with pytest.raises(KoladaError):
        list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, api=API))


# --------------------------------------------------------------------------- errors


def test_404_is_reported_and_the_other_kpis_still_come():
    both = f"{API}/data/kpi/N15428,X99999/municipality/0583/year/2023"
    good = f"{API}/data/kpi/N15428/municipality/0583/year/2023"
    bad = f"{API}/data/kpi/X99999/municipality/0583/year/2023"
    fetch = FakeFetch({both: 404, good: load("two_pages_2.json"), bad: 404})
    summary = SyncSummary()
    rows = list(
        kolada.iter_rows(["N15428", "X99999"], ["0583"], [2023], fetch, api=API, summary=summary)
    )
    assert summary.kpis_not_found == ["X99999"]
    assert {r.kpi for r in rows} == {"N15428"}
    assert len(rows) == 3
    assert fetch.calls == [both, good, bad]


def test_429_is_retried_after_backoff():
    url = f"{API}/data/kpi/N15428/municipality/0583/year/2023"
    fetch = FakeFetch({url: [429, load("two_pages_2.json")]})
    sleeps = Sleeps()
    rows = list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, sleep=sleeps, api=API))
    assert len(rows) == 3
    assert fetch.calls == [url, url]
    assert sleeps == [1.0]


def test_retry_after_is_honoured():
    url = f"{API}/data/kpi/N15428/municipality/0583/year/2023"
    fetch = FakeFetch({url: [http_error(url, 429, retry_after="7"), load("empty.json")]})
    sleeps = Sleeps()
    list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, sleep=sleeps, api=API))
    assert sleeps == [7.0]


def test_500_three_times_gives_a_kolada_error():
    url = f"{API}/data/kpi/N15428/municipality/0583/year/2023"
    fetch = FakeFetch({url: [500, 502, 503, load("empty.json")]})
    sleeps = Sleeps()
    with pytest.raises(KoladaError, match="503"):
        list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, sleep=sleeps, api=API))
    assert len(fetch.calls) == 3
    assert sleeps == [1.0, 2.0]


def test_other_client_errors_are_not_retried():
    fetch = FakeFetch(default=400)
    sleeps = Sleeps()
    with pytest.raises(KoladaError, match="400"):
        list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, sleep=sleeps, api=API))
    assert sleeps == []


@pytest.mark.parametrize(
    "error",
    [
        urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution")),
        TimeoutError("timed out"),
        ConnectionRefusedError(111, "Connection refused"),
    ],
)
def test_unreachable_network_gives_a_clear_message(error):
    fetch = FakeFetch(default=error)
    with pytest.raises(KoladaError) as exc:
        list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, api=API))
    message = str(exc.value)
    assert message.startswith("Kolada kunde inte nås: ")
    assert "Använd --from-file med sparade svar" in message


def test_a_body_that_is_not_json_gives_a_kolada_error():
    fetch = FakeFetch(default=json.JSONDecodeError("Expecting value", "<html>", 0))
    with pytest.raises(KoladaError, match="inte är JSON"):
        list(kolada.iter_rows(["N15428"], ["0583"], [2023], fetch, api=API))


def test_http_fetch_sends_user_agent_and_timeout(monkeypatch):
    seen = {}

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, *args):
            return json.dumps(load("empty.json")).encode()

    def fake_urlopen(request, timeout):
        seen["ua"] = request.get_header("User-agent")
        seen["timeout"] = timeout
        seen["url"] = request.full_url
        return Response()

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    assert kolada.http_fetch(f"{API}/data/kpi/N1/municipality/0583/year/2023")["count"] == 0
    assert seen == {
        "ua": "LedMot",
        "timeout": 30,
        "url": f"{API}/data/kpi/N1/municipality/0583/year/2023",
    }


def test_http_fetch_refuses_other_schemes(monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", None)  # must not be reached
    with pytest.raises(KoladaError):
        kolada.http_fetch("file:///etc/passwd")


# --------------------------------------------------------------------------- parsing


def test_gender_rows_are_read_by_their_key():
    rows, _summary = rows_of("shuffled_genders.json")
    assert {r.gender: r.value for r in rows} == {
        "T": Decimal("78.25"),
        "K": Decimal("81.0"),
        "M": Decimal("75.5"),
    }


def test_deleted_rows_are_skipped():
    rows, summary = rows_of("isdeleted.json")
    assert {r.gender for r in rows} == {"T", "M"}
    assert summary.deleted_skipped == 1
    assert summary.rows_read == 2


def test_null_values_are_kept_as_missing():
    rows, _summary = rows_of("null_values.json")
    by_key = {(r.municipality, r.gender): r.value for r in rows}
    assert by_key[("0583", "T")] is None
    assert by_key[("0000", "K")] is None
    assert by_key[("0000", "T")] == Decimal("72.9")


def test_municipality_given_as_a_number_keeps_its_leading_zeros():
    rows, _summary = rows_of("numeric_municipality.json")
    assert [r.municipality for r in rows] == ["0583", "0000"]


# --------------------------------------------------------------------------- sync


@pytest.mark.django_db
def test_sync_stores_values_for_own_and_comparison_municipalities():
    rows, summary = rows_of(
        "one_page.json",
        "shuffled_genders.json",
        "isdeleted.json",
        "null_values.json",
        "numeric_municipality.json",
    )
    kolada.sync(rows, fetched_at=FETCHED, own_code="0583", summary=summary)
    stored = values()
    assert stored[("N15428", "0583", 2023, "T")] == Decimal("81.2")
    assert stored[("N15428", "0580", 2023, "K")] == Decimal("80.4")
    assert stored[("N15428", "0000", 2023, "M")] == Decimal("71.3")
    assert stored[("N15428", "0583", 2019, "K")] == Decimal("81")
    assert ("N15428", "0583", 2021, "K") not in stored  # deleted in Kolada
    assert stored[("N15428", "0583", 2020, "T")] is None  # missing stays missing
    assert stored[("N15428", "0583", 2018, "T")] == Decimal("77")
    assert stored[("N15428", "0000", 2018, "T")] == Decimal("72")
    assert summary.values_stored == len(stored) == summary.rows_read
    assert summary.deleted_skipped == 1
    assert set(KoladaValue.objects.values_list("fetched_at", flat=True)) == {FETCHED}


@pytest.mark.django_db
def test_sync_again_updates_instead_of_duplicating():
    rows, _ = rows_of("one_page.json")
    kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    changed = [r._replace(value=Decimal("90")) if r.gender == "T" else r for r in rows]
    later = FETCHED + datetime.timedelta(days=1)
    kolada.sync(changed, fetched_at=later, own_code="0583")
    assert KoladaValue.objects.count() == 9
    value = KoladaValue.objects.get(kpi="N15428", municipality="0583", year=2023, gender="T")
    assert value.value == Decimal("90")
    assert value.fetched_at == later


def test_measurements_only_total_without_gender_breakdown(linked):
    rows, _ = rows_of("one_page.json", "shuffled_genders.json")
    summary = kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    ms = Measurement.objects.filter(indicator=linked).order_by("period")
    assert [(m.period, m.gender, m.value) for m in ms] == [
        ("2019", "T", Decimal("78.25")),
        ("2023", "T", Decimal("81.2")),
    ]
    assert {m.source for m in ms} == {IndicatorSource.KOLADA}
    assert {m.fetched_at for m in ms} == {FETCHED}
    assert {m.entered_by for m in ms} == {None}
    assert summary.measurements_saved == 2
    assert ms[1].history.first().history_change_reason == "Kolada"
    linked.refresh_from_db()
    assert linked.latest.value == Decimal("81.2")
    assert linked.latest.period == "2023"


def test_measurements_by_gender_when_the_indicator_is_broken_down(linked):
    linked.gender_breakdown = True
    linked.save()
    rows, _ = rows_of("one_page.json")
    kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    ms = {m.gender: m.value for m in Measurement.objects.filter(indicator=linked)}
    assert ms == {"T": Decimal("81.2"), "K": Decimal("84.5"), "M": Decimal("78.1")}


def test_comparison_municipalities_give_no_measurements(linked):
    rows, _ = rows_of("one_page.json")
    comparison_only = [r for r in rows if r.municipality != "0583"]
    summary = kolada.sync(comparison_only, fetched_at=FETCHED, own_code="0583")
    assert summary.values_stored == 6
    assert not Measurement.objects.exists()


def test_missing_values_do_not_create_empty_measurements(linked):
    rows, _ = rows_of("null_values.json")
    kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    assert not Measurement.objects.filter(indicator=linked).exists()


def test_unlinked_indicators_are_left_alone(world):
    rows, _ = rows_of("one_page.json")
    summary = kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    assert summary.measurements_saved == 0
    assert not Measurement.objects.exists()


def test_manual_value_is_not_overwritten(linked, world):
    measurements_save(
        values=[ValueInput(indicator=linked, period="2023", value=Decimal("82"), comment="Egen")],
        user=world.editor,
    )
    # An empty manual row (no value yet) may be filled from Kolada.
    measurements_save(
        values=[ValueInput(indicator=linked, period="2019", value=None)], user=world.editor
    )
    rows, _ = rows_of("one_page.json", "shuffled_genders.json")
    summary = kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    kept = Measurement.objects.get(indicator=linked, period="2023", gender=Gender.TOTAL)
    assert (kept.value, kept.source, kept.comment) == (
        Decimal("82"),
        IndicatorSource.MANUAL,
        "Egen",
    )
    assert kept.entered_by == world.editor
    filled = Measurement.objects.get(indicator=linked, period="2019", gender=Gender.TOTAL)
    assert (filled.value, filled.source) == (Decimal("78.25"), IndicatorSource.KOLADA)
    assert summary.kept_manual == 1
    assert summary.measurements_saved == 1


def test_resync_writes_no_new_history_and_keeps_comments(linked):
    rows, _ = rows_of("one_page.json")
    kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    m = Measurement.objects.get(indicator=linked, period="2023")
    m.comment = "Nytt mätsätt från 2023"
    m.save()
    summary = kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    m.refresh_from_db()
    assert summary.measurements_saved == 0
    assert m.comment == "Nytt mätsätt från 2023"
    assert m.value == Decimal("81.2")


def test_sync_writes_nothing_when_fetching_fails(linked):
    def rows():
        yield Row("N15428", "0583", 2023, "T", Decimal("1"))
        raise KoladaError("Kolada kunde inte nås: test.")

    with pytest.raises(KoladaError):
        kolada.sync(rows(), fetched_at=FETCHED, own_code="0583")
    assert not KoladaValue.objects.exists()
    assert not Measurement.objects.exists()


# --------------------------------------------------------------------------- command


def test_parse_years():
    assert parse_years("2019-2025") == list(range(2019, 2026))
    assert parse_years("2023") == [2023]
    assert parse_years("2023,2021") == [2021, 2023]
    with pytest.raises(CommandError):
        parse_years("förra året")
    with pytest.raises(CommandError):
        parse_years("2025-2019")


def test_default_years_are_the_last_seven():
    assert default_years(datetime.date(2025, 5, 1)) == list(range(2018, 2025))


def test_command_from_file_end_to_end_without_network(linked, no_network):
    out, err = StringIO(), StringIO()
    call_command(
        "kolada_sync",
        "--from-file",
        str(FIXTURES / "one_page.json"),
        "--from-file",
        str(FIXTURES / "saved_list.json"),
        stdout=out,
        stderr=err,
    )
    text = out.getvalue()
    assert "Lästa värden: 21" in text
    assert "Sparade Kolada-värden: 18" in text  # 2023 for 0583 came twice
    assert "Sparade utfall: 2" in text  # 2022 and 2023, totals only
    assert KoladaValue.objects.filter(municipality="0000").count() == 6
    assert set(Measurement.objects.filter(indicator=linked).values_list("period", "source")) == {
        ("2022", IndicatorSource.KOLADA),
        ("2023", IndicatorSource.KOLADA),
    }


def test_command_from_file_filters_by_kpi_and_years(linked, no_network):
    out = StringIO()
    call_command(
        "kolada_sync",
        "--from-file",
        str(FIXTURES / "saved_list.json"),
        "--years",
        "2022-2022",
        stdout=out,
    )
    assert set(KoladaValue.objects.values_list("year", flat=True)) == {2022}
    call_command(
        "kolada_sync", "--from-file", str(FIXTURES / "one_page.json"), "--kpi", "N99999", stdout=out
    )
    assert not KoladaValue.objects.filter(year=2023).exists()


def test_command_fetches_linked_kpis_for_own_and_comparison_municipalities(
    linked, monkeypatch, settings
):
    settings.LEDMOT_KOLADA_MUNICIPALITY = "0583"
    settings.LEDMOT_KOLADA_COMPARE = ["0580", "0000"]
    settings.LEDMOT_KOLADA_API = API
    url = f"{API}/data/kpi/N15428/municipality/0583,0580,0000/year/2022,2023"
    fetch = FakeFetch({url: load("one_page.json")})
    monkeypatch.setattr(kolada, "http_fetch", fetch)
    out = StringIO()
    call_command("kolada_sync", "--years", "2022-2023", stdout=out)
    assert fetch.calls == [url]
    assert KoladaValue.objects.count() == 9
    assert Measurement.objects.get(indicator=linked).fetched_at is not None
    assert "Sparade utfall: 1" in out.getvalue()


def test_command_reports_unknown_kpis(world, monkeypatch, settings):
    settings.LEDMOT_KOLADA_COMPARE = []
    settings.LEDMOT_KOLADA_API = API
    monkeypatch.setattr(kolada, "http_fetch", FakeFetch(default=404))
    err = StringIO()
    call_command("kolada_sync", "--kpi", "X99999", "--years", "2023", stdout=StringIO(), stderr=err)
    assert "X99999" in err.getvalue()


def test_command_without_network_fails_with_a_clear_message(world, monkeypatch, settings):
    settings.LEDMOT_KOLADA_API = API
    monkeypatch.setattr(
        kolada, "http_fetch", FakeFetch(default=urllib.error.URLError("no route to host"))
    )
    with pytest.raises(CommandError, match="Kolada kunde inte nås: no route to host.*--from-file"):
        call_command("kolada_sync", "--kpi", "N15428", stdout=StringIO())
    assert not KoladaValue.objects.exists()


def test_command_with_nothing_linked_does_nothing(world, no_network):
    out = StringIO()
    call_command("kolada_sync", stdout=out)
    assert "Inga indikatorer" in out.getvalue()


def test_command_with_a_missing_file_fails(db, tmp_path):
    with pytest.raises(CommandError, match="Kunde inte läsa"):
        call_command("kolada_sync", "--from-file", str(tmp_path / "saknas.json"))
    bad = tmp_path / "trasig.json"
    bad.write_text("{inte json", encoding="utf-8")
    with pytest.raises(CommandError, match="inte giltig JSON"):
        call_command("kolada_sync", "--from-file", str(bad))


def test_fetched_at_is_now(linked, no_network):
    before = timezone.now()
    call_command("kolada_sync", "--from-file", str(FIXTURES / "one_page.json"), stdout=StringIO())
    m = Measurement.objects.get(indicator=linked)
    assert before <= m.fetched_at <= timezone.now()


@pytest.mark.parametrize("existing", [True, False], ids=["kolada value", "empty cell"])
def test_a_value_saved_while_kolada_syncs_is_kept_and_reported(
    linked, world, existing, monkeypatch
):
    """Someone saves their own value after the sync read the cell and before it writes:
    theirs stays (the municipality's own value wins), the rest is saved, and the sync
    says which value it skipped."""
    rows, _ = rows_of("one_page.json", "shuffled_genders.json")
    if existing:
        # An older Kolada value that this sync will update.
        measurements_save(
            values=[ValueInput(linked, "2023", Decimal("80"), source=IndicatorSource.KOLADA)],
            user=None,
        )
    else:
        assert not Measurement.objects.exists()
    real_locked = kolada.measurements_locked

    def someone_saves_meanwhile(values):
        measurements_save(
            values=[ValueInput(linked, "2023", Decimal("90"), comment="Egen mätning")],
            user=world.editor,
        )
        return real_locked(values)

    monkeypatch.setattr(kolada, "measurements_locked", someone_saves_meanwhile)
    summary = kolada.sync(rows, fetched_at=FETCHED, own_code="0583")
    kept = Measurement.objects.get(indicator=linked, period="2023", gender=Gender.TOTAL)
    assert (kept.value, kept.source, kept.comment, kept.entered_by) == (
        Decimal("90"),
        IndicatorSource.MANUAL,
        "Egen mätning",
        world.editor,
    )
    assert any("2023" in m and "har inte skrivits över" in m for m in summary.messages)
    assert Measurement.objects.get(indicator=linked, period="2019", gender="T").value == Decimal(
        "78.25"
    )
