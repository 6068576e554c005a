"""CPU per request of each page kind of the load test, in this process.

    DATABASE_URL=postgres://… .venv/bin/python bench/request_cpu.py [--runs 10]
        [--kinds chain my_unit …] [--profile KIND] [--conn-max-age 60]

With the production settings of ``bench/loadtest.py`` (``DEBUG=0``, whitenoise, the
middleware as deployed) and the load test's own users and paths
(:func:`bench.loadtest.prepare`), each page kind of :data:`bench.loadtest.MIX` is
requested through Django's test client by a signed-in user of its persona: one warm-up,
then ``--runs`` requests. Printed per kind: the median CPU time of this process
(``time.process_time``: Python, templates, the database driver; not PostgreSQL's own
CPU), the median wall time, the queries and the size of the page (redirects followed;
``results_save`` is the load test's save: the page, the post and the page again).
``baseline`` is a small signed-in page (the priority rounds), near the cost every
request pays.
``--profile KIND`` prints cProfile's top functions for that kind instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import loadtest  # noqa: E402

# A small signed-in page: the list of priority rounds.
BASELINE = ("baseline", "/prioriteringar/")


def kinds_of(plans) -> dict[str, tuple[str, str]]:
    """Every page kind of the mix, with the first client plan that opens it."""
    out: dict[str, tuple[str, str]] = {BASELINE[0]: (plans[0].username, BASELINE[1])}
    for plan in plans:
        for kind in loadtest.MIX[plan.persona]:
            out.setdefault(kind, (plan.username, plan.paths[kind]))
    return out


def measure(client, path: str, runs: int, save: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once():
        if not save:
            return client.get(path, follow=True)
        page = client.get(path).content.decode()
        forms = [f for f in loadtest.post_forms(page) if "results-form" in f[0].get("class", "")]
        fields = loadtest.results_change(forms[0][1], f"cpu {secrets.token_hex(4)}")
        return client.post(path, dict(fields), follow=True)

    response = once()  # warm-up
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        response = once()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    with CaptureQueriesContext(connection) as ctx:
        response = once()
    return {
        "status": response.status_code,
        "cpu_ms": 1000 * statistics.median(cpu),
        "wall_ms": 1000 * statistics.median(wall),
        "queries": len(ctx.captured_queries),
        "kb": len(response.content) / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--kinds", nargs="*", help="bara dessa sidtyper")
    parser.add_argument("--profile", help="cProfile för en sidtyp")
    parser.add_argument("--conn-max-age", type=int, default=60)
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        parser.error("sätt DATABASE_URL")
    env = loadtest.production_env(database_url, args.conn_max_age)
    env["ALLOWED_HOSTS"] += ",testserver"
    os.environ.update(env)
    loadtest.setup_django(database_url)
    from django.test import Client

    plans, info = loadtest.prepare(len(loadtest.MIX), secrets.token_urlsafe(16))
    print(f"{loadtest.engine_name()}, {info['size']}")
    from django.contrib.auth import get_user_model

    users = {
        u.username: u for u in get_user_model().objects.filter(username__startswith="loadtest-")
    }
    selected = kinds_of(plans)
    if args.kinds:
        selected = {k: v for k, v in selected.items() if k in args.kinds}
    if args.profile:
        username, path = selected[args.profile]
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(users[username])
        measure(client, path, 1, args.profile == "results_save")
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        measure(client, path, args.runs, args.profile == "results_save")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        return 0
    print(f"{'sidtyp':<18} {'status':>6} {'CPU ms':>8} {'vägg ms':>8} {'frågor':>7} {'kB':>7}")
    for kind, (username, path) in selected.items():
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(users[username])
        r = measure(client, path, args.runs, kind == "results_save")
        print(
            f"{kind:<18} {r['status']:>6} {r['cpu_ms']:>8.1f} {r['wall_ms']:>8.1f} "
            f"{r['queries']:>7} {r['kb']:>7.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
