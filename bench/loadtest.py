"""LedMot load test: many signed-in people at once against gunicorn, loopback only.

    DATABASE_URL=postgres://… .venv/bin/python bench/loadtest.py [--duration 60]
        [--clients 50] [--workers 3] [--conn-max-age 60] [--gunicorn-config FILE]
        [--quick] [--seed auto|yes|no] [--size large]

1. Prepares the database named by ``DATABASE_URL`` (PostgreSQL is the one that counts):
   ``migrate``, and ``seed_scale --size …`` when it is empty (``--seed auto``) or when
   asked (``--seed yes``; it wipes the organisation and the goals). Then, with Django
   set up in this process: an open follow-up round (the bench's round when there is
   none), and one user per client (``loadtest-<persona>-NN``, all with the same random
   password of this run) with the role of its persona on a unit of its own: every
   unit manager saves values of a different unit, so the saves do not conflict.
2. Collects the static files and starts gunicorn as the README's deployment section
   runs it (``DEBUG=0``, a secret key, ``ALLOWED_HOSTS``, whitenoise, ``CONN_MAX_AGE=60``,
   ``-c gunicorn.conf.py``, ``--workers 3``) on a free port of 127.0.0.1, waits until it
   answers, and always stops it.
3. Each client is a thread that signs in for real (GET the login page, POST the form
   with the CSRF token) and then, until the time is up, opens its persona's pages and
   saves, waiting a short think time between requests (:data:`THINK_SECONDS`):

   - politician (reader on the council): Röda tråden, a committee's chain, a council
     goal, the council's and a committee's report;
   - unit manager (editor on a unit): Min enhet, /resultat/ and a save of one comment
     with the hidden original fields as loaded, the unit's report;
   - approver (on a committee): the committee's report, unit page and chain;
   - controller: the follow-up dashboard, Målstrukturanalys, the dashboard as Excel.

   Requests are made as a browser behind the TLS proxy would: ``X-Forwarded-Proto:
   https``, redirects followed (each hop is a request of the same kind).
4. Prints p50/p95/max per page kind, errors by status, the throughput and the CPU per
   request of gunicorn and of PostgreSQL's backends serving it, and merges
   its entry into ``bench/results.json`` under ``"loadtest"`` (other keys are kept).

Targets (issue 12, 2 cores): no error, p95 ≤ 1.0 s, ≥ 40 requests/s. The exit status is
0 when the run completed (a missed target is reported, not fatal), 1 when requests
failed, 2 when the run could not start.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import _percentile  # noqa: E402  (the bench's nearest-rank percentile)
from bench.run import merge_results as merge_into_results  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"  # the README's production settings
PYTHON = sys.executable

TARGET_P95_MS = 1000.0
TARGET_RPS = 40.0
THINK_SECONDS = (0.25, 0.75)  # uniform: a person clicking quickly, 0.5 s on average
REQUEST_TIMEOUT = 60.0

# Share of the clients per persona (largest remainder over the clients).
PERSONA_SHARES = {"unit_manager": 0.48, "politician": 0.24, "approver": 0.16, "controller": 0.12}
ROLES = {
    "politician": "reader",
    "unit_manager": "editor",
    "approver": "approver",
    "controller": "controller",
}
# What each persona opens, with weights: page kinds resolved to paths by the plan.
MIX = {
    "politician": {
        "chain": 4,
        "chain_committee": 3,
        "council_goal": 2,
        "council_report": 1,
        "committee_report": 2,
    },
    "unit_manager": {"my_unit": 3, "results": 3, "results_save": 2, "unit_report": 2},
    "approver": {"committee_report": 3, "committee_unit": 2, "chain_committee": 2},
    "controller": {"dashboard": 4, "structure": 1, "dashboard_xlsx": 1},
}


# --------------------------------------------------------------------------- pure logic


def persona_counts(clients: int, shares: dict[str, float] = PERSONA_SHARES) -> dict[str, int]:
    """How many clients each persona gets: the largest-remainder split of ``clients``,
    every persona at least one when there are enough clients for all."""
    total = sum(shares.values())
    exact = {p: clients * s / total for p, s in shares.items()}
    counts = {p: int(v) for p, v in exact.items()}
    if clients >= len(shares):
        for p in counts:
            counts[p] = max(counts[p], 1)
    while sum(counts.values()) > clients:
        p = max(counts, key=lambda k: (counts[k] - exact[k], counts[k]))
        counts[p] -= 1
    while sum(counts.values()) < clients:
        p = max(counts, key=lambda k: (exact[k] - counts[k], -list(shares).index(k)))
        counts[p] += 1
    return counts


def choose_kind(persona: str, rng: random.Random) -> str:
    """The next page kind a client of ``persona`` opens (weighted by :data:`MIX`)."""
    kinds = MIX[persona]
    return rng.choices(list(kinds), weights=list(kinds.values()))[0]


def summarize(samples: list[tuple[str, float, str]], elapsed: float) -> dict:
    """Figures of a run from its samples ``(kind, seconds, outcome)`` (outcome ``"ok"``
    or an error such as ``"500"`` or ``"refused"``) over ``elapsed`` seconds."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    for kind, seconds, outcome in samples:
        by_kind[kind].append(seconds * 1000)
        if outcome != "ok":
            errors[outcome] += 1
    every = [ms for values in by_kind.values() for ms in values]

    def stats(values: list[float]) -> dict:
        return {
            "requests": len(values),
            "p50_ms": round(_percentile(values, 50), 1),
            "p95_ms": round(_percentile(values, 95), 1),
            "max_ms": round(max(values), 1),
        }

    out = {
        "requests": len(every),
        "seconds": round(elapsed, 2),
        "throughput_rps": round(len(every) / elapsed, 1) if elapsed > 0 else 0.0,
        "errors": sum(errors.values()),
        "errors_by_status": dict(sorted(errors.items())),
        "pages": {k: stats(v) for k, v in sorted(by_kind.items())},
    }
    out.update(dict.fromkeys(("p50_ms", "p95_ms", "max_ms")))
    if every:
        out.update({k: v for k, v in stats(every).items() if k != "requests"})
    return out


def target_met(figures: dict) -> bool:
    return (
        figures["requests"] > 0
        and figures["errors"] == 0
        and figures["p95_ms"] <= TARGET_P95_MS
        and figures["throughput_rps"] >= TARGET_RPS
    )


def merge_results(path: Path, entry: dict) -> dict:
    """Put ``entry`` into the ``"loadtest"`` list of the results file, replacing the
    entry of the same name; every other key of the file is kept as it was."""
    return merge_into_results(path, "loadtest", [entry])


class FormParser(HTMLParser):
    """The fields of the POST forms of a page: ``forms`` is a list of
    ``(attrs, fields)``, fields a list of ``(name, value, readonly)`` in page order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict, list[list]]] = []
        self._form = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = (a, [])
            self.forms.append(self._form)
        elif self._form is None or "name" not in a or "disabled" in a:
            return
        elif tag == "input":
            if a.get("type", "text") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button", "file"):
                return
            self._form[1].append([a["name"], a.get("value", ""), "readonly" in a])
        elif tag == "textarea":
            self._textarea = [a["name"], "", "readonly" in a]
            self._form[1].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_forms(html: str) -> list[tuple[dict, list[list]]]:
    parser = FormParser()
    parser.feed(html)
    return [f for f in parser.forms if f[0].get("method", "").lower() == "post"]


def results_change(fields: list[list], note: str) -> list[tuple[str, str]] | None:
    """The /resultat/ form as posted by a person changing one comment: the first row
    that is not locked and has a total value (else the first open row, whose empty total
    gets the value 1); every other field (the hidden ``p-``, ``o-`` and ``oc-`` fields
    with the values as loaded) is sent back unchanged. None when no row is open."""
    values = {name: value for name, value, _ro in fields}
    open_rows = [n[2:] for n, _v, ro in fields if n.startswith("c-") and not ro]
    open_rows = [pk for pk in open_rows if f"v-{pk}-T" in values]
    if not open_rows:
        return None
    filled = [pk for pk in open_rows if values[f"v-{pk}-T"].strip()]
    pk = (filled or open_rows)[0]
    change = {f"c-{pk}": note}
    if not filled:
        change[f"v-{pk}-T"] = "1"
    return [(n, change.get(n, v)) for n, v, _ro in fields]


# --------------------------------------------------------------------------- the plan


@dataclass
class ClientPlan:
    persona: str
    username: str
    paths: dict[str, str] = field(default_factory=dict)


def prepare(clients: int, password: str) -> tuple[list[ClientPlan], dict]:
    """Runs with Django set up: the round, one user per client, the paths each opens."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from bench.run import _bench_round
    from followup.models import FollowUpRound, Report, RoundStatus
    from goals.models import Gender, Goal, GoalLevel, Indicator, MandatePeriod, Measurement
    from goals.results import build_rows
    from ledmot.models import OrgKind, OrgUnit, RoleAssignment

    rnd = (
        FollowUpRound.objects.filter(status=RoundStatus.OPEN)
        .annotate(n=Count("reports"))
        .order_by("-n", "-period_end", "-pk")
        .first()
    ) or _bench_round()
    reports = dict(Report.objects.filter(round=rnd).values_list("org_unit_id", "pk"))
    council = OrgUnit.objects.filter(kind=OrgKind.COUNCIL).order_by("path").first()
    committees = [
        c
        for c in OrgUnit.objects.filter(kind=OrgKind.COMMITTEE).order_by("path")
        if c.pk in reports
    ]
    period = MandatePeriod.objects.current()
    council_goals = list(
        Goal.objects.filter(mandate_period=period, level=GoalLevel.COUNCIL).values_list(
            "pk", flat=True
        )
    )
    # Units whose manager has values to enter and a report to write in the round: a row
    # of /resultat/ (the page's own rows, goals.results.build_rows) with a total that no
    # closed round has locked (a unit with only yearly indicators has last year's values
    # locked by the annual report: nothing to save there).
    rows = build_rows(
        Indicator.objects.filter(
            responsible_unit__kind=OrgKind.UNIT,
            pk__in=Measurement.objects.values("indicator_id"),
        ).select_related("responsible_unit", "latest"),
        timezone.localdate(),
    )
    with_values = {
        row.indicator.responsible_unit_id
        for row in rows
        if not row.locked and any(cell.gender == Gender.TOTAL for cell in row.cells)
    }
    units = [u for u in sorted(with_values) if u in reports]
    counts = persona_counts(clients)
    if not (council and committees and council_goals and units):
        raise RuntimeError("databasen saknar nämnder, KF-mål eller enheter med utfall")
    if counts["unit_manager"] > len(units):
        raise RuntimeError(f"bara {len(units)} enheter med utfall och rapport")
    step = max(1, len(units) // max(1, counts["unit_manager"]))
    units = units[::step]

    user_model = get_user_model()
    hashed = make_password(password)  # once: every load-test user has this run's password
    plans: list[ClientPlan] = []
    with transaction.atomic():
        old = user_model.objects.filter(username__startswith="loadtest-")
        RoleAssignment.objects.filter(user__in=old).delete()
        for persona, n in counts.items():
            for i in range(n):
                username = f"loadtest-{persona.replace('_', '')}-{i + 1:02d}"
                user, _ = user_model.objects.update_or_create(
                    username=username,
                    defaults={"password": hashed, "is_active": True, "first_name": "Last"},
                )
                committee = committees[i % len(committees)]
                paths = {
                    "chain": "/",
                    "chain_committee": f"/?namnd={urllib.parse.quote(committee.code)}",
                    "committee_report": f"/uppfoljning/rapporter/{reports[committee.pk]}/",
                }
                if persona in ("politician", "controller"):
                    unit_id = council.pk
                    paths["council_goal"] = f"/mal/{council_goals[i % len(council_goals)]}/"
                    if council.pk in reports:
                        paths["council_report"] = f"/uppfoljning/rapporter/{reports[council.pk]}/"
                    else:  # no report of the council in the round: a committee's instead
                        paths["council_report"] = paths["committee_report"]
                    paths["dashboard"] = f"/uppfoljning/{rnd.pk}/"
                    paths["dashboard_xlsx"] = f"/uppfoljning/{rnd.pk}/?export=xlsx"
                    paths["structure"] = "/malstrukturanalys/"
                elif persona == "approver":
                    unit_id = committee.pk
                    paths["committee_unit"] = f"/enheter/{committee.pk}/"
                else:
                    unit_id = units[i]
                    paths["my_unit"] = "/min-enhet/"
                    paths["results"] = "/resultat/"
                    paths["results_save"] = "/resultat/"
                    paths["unit_report"] = f"/uppfoljning/rapporter/{reports[unit_id]}/"
                RoleAssignment.objects.create(user=user, org_unit_id=unit_id, role=ROLES[persona])
                missing = set(MIX[persona]) - set(paths)
                assert not missing, missing
                plans.append(ClientPlan(persona, username, paths))
    size = {
        "org_units": OrgUnit.objects.count(),
        "goals": Goal.objects.count(),
        "indicators": Indicator.objects.count(),
        "results": Measurement.objects.count(),
        "users": user_model.objects.count(),
        "reports_in_round": len(reports),
    }
    return plans, {"round": str(rnd), "size": size}


# --------------------------------------------------------------------------- the client


class Client:
    """One signed-in person: cookies, CSRF and redirects over http.client (loopback)."""

    def __init__(self, port: int, plan: ClientPlan, password: str, seed: int):
        self.port = port
        self.plan = plan
        self.password = password
        self.rng = random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.samples: list[tuple[str, float, str]] = []
        self.saves = 0

    def _request(self, method: str, path: str, body: str | None = None, referer: str = ""):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",  # as the TLS proxy of the README sends it
            "User-Agent": "ledmot-loadtest",
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{referer or path}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, response.getheader("Location", ""), data

    def fetch(self, kind: str, method: str, path: str, body: str | None = None, record=True):
        """One page as a browser gets it (redirects followed); returns (status, body)."""
        hops = 0
        while True:
            started = time.perf_counter()
            try:
                status, location, data = self._request(method, path, body)
                outcome = "ok" if status in (200, 302) else str(status)
            except TimeoutError:
                status, location, data, outcome = 0, "", b"", "timeout"
            except (OSError, http.client.HTTPException) as exc:
                status, location, data, outcome = 0, "", b"", type(exc).__name__
            if status == 302 and "/logga-in/" in location and "/logga-in/" not in path:
                outcome = "302-login"  # signed out: an error, not a page
            if record:
                self.samples.append((kind, time.perf_counter() - started, outcome))
            if status not in (301, 302, 303) or outcome != "ok" or hops >= 3:
                return status, data
            target = urllib.parse.urlsplit(location)
            path = target.path + (f"?{target.query}" if target.query else "")
            method, body, hops = "GET", None, hops + 1

    def sign_in(self) -> None:
        status, page = self.fetch("login", "GET", "/logga-in/", record=False)
        forms = post_forms(page.decode())
        if status != 200 or not forms:
            raise RuntimeError(f"{self.plan.username}: inloggningssidan svarade {status}")
        fields = {n: v for n, v, _ro in forms[0][1]}
        fields.update(username=self.plan.username, password=self.password)
        body = urllib.parse.urlencode(fields)
        status, location, _ = self._request("POST", "/logga-in/", body)
        if status != 302 or "/logga-in/" in location:
            raise RuntimeError(f"{self.plan.username}: inloggningen misslyckades ({status})")

    def save(self) -> None:
        """Open /resultat/, change one comment, post the whole form as it was loaded."""
        status, page = self.fetch("results", "GET", "/resultat/")
        if status != 200:
            return
        forms = [f for f in post_forms(page.decode()) if "results-form" in f[0].get("class", "")]
        self.saves += 1
        note = f"Belastningstest {self.plan.username} #{self.saves}"
        fields = results_change(forms[0][1], note) if forms else None
        if fields is None:
            self.samples.append(("results_save", 0.0, "no-row"))
            return
        started = time.perf_counter()
        try:
            status, location, _ = self._request(
                "POST", "/resultat/", urllib.parse.urlencode(fields)
            )
            # 302 back to /resultat/ is a save; 200 is the form again with a message.
            outcome = "ok" if status == 302 else ("refused" if status == 200 else str(status))
        except (OSError, http.client.HTTPException) as exc:
            location, outcome = "", type(exc).__name__
        self.samples.append(("results_save", time.perf_counter() - started, outcome))
        if outcome == "ok":
            self.fetch("results", "GET", urllib.parse.urlsplit(location).path or "/resultat/")

    def run(self, start: threading.Barrier, deadline: list[float]) -> None:
        start.wait()
        while time.perf_counter() < deadline[0]:
            kind = choose_kind(self.plan.persona, self.rng)
            try:
                if kind == "results_save":
                    self.save()
                else:
                    self.fetch(kind, "GET", self.plan.paths[kind])
            except Exception as exc:  # a page the client cannot read counts, never hides
                self.samples.append((kind, 0.0, type(exc).__name__))
            time.sleep(self.rng.uniform(*THINK_SECONDS))


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database_url: str, conn_max_age: int) -> dict[str, str]:
    """The environment of the README's deployment, on loopback behind no proxy."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": str(conn_max_age),
        "LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path, config: Path | None = None):
    """gunicorn on a free loopback port; yields (port, pid) once it answers, always stops it."""
    port = free_port()
    cmd = [PYTHON, "-m", "gunicorn", "ledmot.wsgi", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers), "--timeout", "120"]
    cmd += ["--config", str(config)] if config else []
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_ready(port, proc)
        yield port, proc.pid
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _proc_stats(pids=None):
    """``(pid, ppid, CPU seconds)`` of the processes in /proc (only ``pids`` when given);
    nothing where /proc is not there."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    paths = (
        [Path(f"/proc/{pid}/stat") for pid in pids]
        if pids is not None
        else Path("/proc").glob("[0-9]*/stat")
    )
    for stat in paths:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        yield int(stat.parent.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / tick


def process_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root`` and its children (gunicorn's
    master and workers), from /proc; 0.0 where /proc is not there."""
    return sum(cpu for pid, ppid, cpu in _proc_stats() if root in (pid, ppid))


def database_cpu_seconds() -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend connected to this database
    (other than this process' own), by pid; empty when the server is not on this machine
    or the database is not PostgreSQL. With persistent connections (``CONN_MAX_AGE``)
    these are gunicorn's workers' backends for the whole run; with a connection per
    request most backends end before they can be read, so the figure is too low."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    return {pid: cpu for pid, _ppid, cpu in _proc_stats(pids)}


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn avslutades ({proc.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/logga-in/", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"gunicorn svarade inte inom {timeout:.0f} s")


# --------------------------------------------------------------------------- main


def manage(*args: str, env: dict[str, str], quiet: bool = True) -> None:
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True, stdout=out
    )


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledmot.settings")
    import django

    django.setup()


def is_empty() -> bool:
    from ledmot.models import OrgUnit

    return not OrgUnit.objects.exists()


def close_connection() -> None:
    """No idle connection of this process while the clients run."""
    from django.db import connection

    connection.close()


def engine_name() -> str:
    from django.db import connection

    return connection.vendor


def print_report(figures: dict) -> None:
    print(f"\n{'sida':<18} {'anrop':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, s in figures["pages"].items():
        print(f"{kind:<18} {s['requests']:>6} {s['p50_ms']:>8} {s['p95_ms']:>8} {s['max_ms']:>8}")
    print(
        f"{'alla':<18} {figures['requests']:>6} {figures['p50_ms']!s:>8} "
        f"{figures['p95_ms']!s:>8} {figures['max_ms']!s:>8}"
    )
    print(
        f"\n{figures['requests']} anrop på {figures['seconds']} s: "
        f"{figures['throughput_rps']} anrop/s (mål ≥ {TARGET_RPS:.0f}), p95 "
        f"{figures['p95_ms']} ms (mål ≤ {TARGET_P95_MS:.0f}), fel: {figures['errors']} "
        f"{figures['errors_by_status'] or ''}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="sekunder (standard 60)")
    parser.add_argument("--clients", type=int, default=50, help="samtidiga klienter (50)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorns arbetare (3)")
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE (60)")
    parser.add_argument(
        "--gunicorn-config",
        type=Path,
        default=GUNICORN_CONFIG,
        help="gunicorns --config (gunicorn.conf.py)",
    )
    parser.add_argument("--size", default="large", help="seed_scale --size vid seedning")
    parser.add_argument("--seed", choices=("auto", "yes", "no"), default="auto")
    parser.add_argument(
        "--quick", action="store_true", help="10 s, 10 klienter, litet dataset (--size small)"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="resultatfilen")
    parser.add_argument("--no-results", action="store_true", help="skriv inte resultatfilen")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.clients = min(args.duration, 10.0), min(args.clients, 10)
        if args.size == "large":
            args.size = "small"

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        parser.error("sätt DATABASE_URL (PostgreSQL: postgres://…); databasen kan seedas om")
    env = {**os.environ, "DATABASE_URL": database_url, "LEDMOT_ALLOW_DEMO_SEED": "1"}
    password = secrets.token_urlsafe(16)
    try:
        manage("migrate", "--no-input", "-v", "0", env=env)
        setup_django(database_url)
        if args.seed == "yes" or (args.seed == "auto" and is_empty()):
            print(f"seed_scale --size {args.size} …", flush=True)
            started = time.perf_counter()
            manage("seed_scale", "--size", args.size, env=env)
            print(f"  klart på {time.perf_counter() - started:.0f} s", flush=True)
        plans, info = prepare(args.clients, password)
        close_connection()
        engine = engine_name()
        prod = production_env(database_url, args.conn_max_age)
        manage("collectstatic", "--no-input", "-v", "0", env=prod)
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"Förberedelsen misslyckades: {exc}", file=sys.stderr)
        return 2
    print(f"{engine}, {info['size']}, {info['round']}", flush=True)
    print(
        f"{args.clients} klienter ({persona_counts(args.clients)}), {args.duration:.0f} s, "
        f"gunicorn --workers {args.workers}, CONN_MAX_AGE={args.conn_max_age}",
        flush=True,
    )

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gunicorn.log"
        try:
            with gunicorn(prod, args.workers, log, args.gunicorn_config) as (port, server_pid):
                clients = [Client(port, p, password, seed=i) for i, p in enumerate(plans)]
                # One real sign-in each, before the clock starts.
                with ThreadPoolExecutor(max_workers=2 * args.workers) as pool:
                    list(pool.map(Client.sign_in, clients))
                start = threading.Barrier(len(clients) + 1)
                deadline = [0.0]
                threads = [
                    threading.Thread(target=c.run, args=(start, deadline), daemon=True)
                    for c in clients
                ]
                for t in threads:
                    t.start()
                load = os.getloadavg()
                server_cpu = process_cpu_seconds(server_pid)
                database_cpu = database_cpu_seconds()
                own_cpu = time.process_time()
                began = time.perf_counter()
                deadline[0] = began + args.duration
                start.wait()
                for t in threads:
                    t.join(timeout=args.duration + REQUEST_TIMEOUT + 10)
                elapsed = time.perf_counter() - began
                server_cpu = process_cpu_seconds(server_pid) - server_cpu
                database_cpu = sum(
                    cpu - database_cpu.get(pid, 0.0) for pid, cpu in database_cpu_seconds().items()
                )
                own_cpu = time.process_time() - own_cpu
                load_after = os.getloadavg()
        except (RuntimeError, OSError, http.client.HTTPException) as exc:
            print(f"Belastningstestet kunde inte köras: {exc}", file=sys.stderr)
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            return 2
        server_log = log.read_text(errors="replace")
    samples = [s for c in clients for s in c.samples]
    figures = summarize(samples, elapsed)
    print_report(figures)
    # Where the time goes: gunicorn's and PostgreSQL's CPU per request against the
    # machine's two cores, the clients' CPU, and the load of the machine.
    per_request = 1000 * server_cpu / max(1, figures["requests"])
    database_per_request = 1000 * database_cpu / max(1, figures["requests"])
    print(
        f"gunicorn: {server_cpu:.1f} CPU-s ({per_request:.0f} ms per anrop), PostgreSQL: "
        f"{database_cpu:.1f} CPU-s ({database_per_request:.0f} ms per anrop), klienterna "
        f"{own_cpu:.1f} CPU-s ({1000 * own_cpu / max(1, figures['requests']):.0f} ms per "
        f"anrop); belastning (1 min) före {load[0]:.1f}, efter {load_after[0]:.1f} "
        f"på {os.cpu_count()} kärnor"
    )
    if figures["errors"] and server_log.strip():
        print("\ngunicorns logg (slutet):\n" + server_log[-3000:])
    entry = {
        "name": f"loadtest@{args.size}" + ("-quick" if args.quick else ""),
        "engine": engine,
        "size": info["size"],
        "clients": args.clients,
        "personas": persona_counts(args.clients),
        "workers": args.workers,
        "conn_max_age": args.conn_max_age,
        "gunicorn_config": str(args.gunicorn_config or ""),
        "think_seconds": list(THINK_SECONDS),
        "load_average_before": [round(x, 2) for x in load],
        "load_average_after": [round(x, 2) for x in load_after],
        "server_cpu_seconds": round(server_cpu, 1),
        "server_cpu_ms_per_request": round(per_request, 1),
        "database_cpu_seconds": round(database_cpu, 1),
        "database_cpu_ms_per_request": round(database_per_request, 1),
        "client_cpu_seconds": round(own_cpu, 1),
        "cpus": os.cpu_count(),
        **figures,
        "target_p95_ms": TARGET_P95_MS,
        "target_rps": TARGET_RPS,
        "ok": target_met(figures),
    }
    if not args.no_results:
        merge_results(args.results, entry)
        print(f"Resultat: {args.results}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
