"""LedMot benchmark: server time and SQL queries of every page a user reaches from the
main menu, on SQLite or PostgreSQL, and how the main pages' time grows with the database.

    .venv/bin/python bench/run.py [--requests 50] [--only chain@large ...] [--rebuild]
    .venv/bin/python bench/run.py --growth          # demo, large and xlarge
    DATABASE_URL=postgres://user@host/name .venv/bin/python bench/run.py

1. Makes sure the databases of the sizes the selected cases need exist: SQLite files
   ``var/bench-<size>.sqlite3`` (a ``.stamp`` file beside each), or with DATABASE_URL
   naming a PostgreSQL server, databases ``<name>_bench_<size>`` on it (the stamp in the
   database's COMMENT). Each is built by ``manage.py migrate`` + ``manage.py seed_scale
   --size …`` in a subprocess and reused while its stamp records the same hash of the
   generator, the seed commands and the migrations. The build then makes sure the
   follow-up round the cases use is open (:func:`prepare_database`, :data:`BENCH_ROUND`).
2. For each size, runs the cases in a subprocess with Django set up against that
   database: logs in the case's persona (force_login), warms up, counts the SQL queries
   of one request and times the requests (server time around ``client.get``) in two
   connection modes taking turns: a new database connection per request as production
   has it (``CONN_MAX_AGE`` as configured; :func:`_timed`) — ``p50_ms``/``p95_ms``, which
   the target applies to — and a persistent one. Then it times the *floor* where the
   case has one: one raw SQL query fetching the rows the page shows, or, for Röda
   tråden, a hand-written renderer (``bench/floors.py``: raw SQL for every value the
   page shows and the same elements joined as strings), whose ratio page p50 (open
   connection, as the floor's) / floor p50 is printed and, with ``max_ratio``, part of
   the target. A case that writes (``save_values``: the results form posted by
   ``enhetschef``) runs each request in a rolled-back transaction, so the database
   stays as built; its floor is one multi-row INSERT of the same number of values.
3. Prints a table and writes ``bench/results.json`` under the database engine's key
   (``"sqlite"`` or ``"postgresql"``): ``cases`` (each with its data set's counts),
   ``sizes``, and
4. the one-off job cases of ``bench/jobs.py`` (an Excel export or import, a PDF:
   ``seconds`` and ``peak_mb`` of one run on a copy of the database) under ``"jobs"``.

``--growth`` times the page of each case (once per page, persistent connection) at
demo, large and xlarge, and prints the exponent of its time against the database's
size (:func:`growth_exponent`); pages of fixed size outside ±0.2 of 0 are marked NOT
FLAT, pages declared to grow with the organisation (``Case.grows``) are reported.

The exit status is 0 even when a target is missed (the table says MISS); it is
non-zero only when something fails (a build, a worker, a page that does not answer 200).

Add a case by appending a :class:`Case` to :data:`CASES`: a name, the database size, the
targets, a function that picks the page to request (and its floor query) once Django is
set up, and the URL name of the page (tests/bench/test_coverage.py fails on a page
reached from the main menu that no case requests).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
RESULTS = ROOT / "bench" / "results.json"
PYTHON = sys.executable
SIZES = ("demo", "large", "xlarge")
GROWTH_SIZES = ("demo", "large", "xlarge")
GROWTH_REQUESTS = 30  # timed requests per page and size in --growth (the p50 of 10 moved
# by up to a third between runs of the same page: an exponent of ±0.2 over one 4× step)
GROWTH_WARMUP = 2
MAX_FLAT_EXPONENT = 0.2  # a page of fixed size: |exponent| at most this
# The database the bench was started against; the subprocesses get DATABASE_URL set to
# the bench database of their size and find the server here.
BASE_URL_ENV = "LEDMOT_BENCH_BASE_URL"
STAMP_PREFIX = "ledmot-bench "
PERSONA = "politiker"
# A case's persona for a visitor who is not signed in (the public portal).
ANONYMOUS = "anonym"
# The personas seed_demo and seed_scale create (demo/data/organisation.toml).
PERSONAS = (
    "politiker",
    "enhetschef",
    "forvaltningschef",
    "namndsekreterare",
    "controller",
    "admin",
    "bunadmin",
)
WARMUP = 5
FLOOR_RUNS = 20


def base_url() -> str:
    """DATABASE_URL as the bench was started (empty or SQLite: the SQLite files)."""
    return os.environ.get(BASE_URL_ENV) or os.environ.get("DATABASE_URL", "")


def engine() -> str:
    """``postgresql`` when DATABASE_URL names a PostgreSQL server, else ``sqlite``."""
    scheme = urlsplit(base_url()).scheme
    return "postgresql" if scheme in ("postgres", "postgresql", "pgsql") else "sqlite"


def db_path(size: str) -> Path:
    return VAR / f"bench-{size}.sqlite3"


def pg_name(size: str) -> str:
    """The PostgreSQL bench database of ``size``: DATABASE_URL's name + _bench_<size>."""
    return f"{urlsplit(base_url()).path.lstrip('/') or 'ledmot'}_bench_{size}"


def database_url(size: str, name: str | None = None) -> str:
    if engine() == "sqlite":
        return f"sqlite:///{db_path(size)}"  # an absolute path: sqlite:////work/…
    return urlunsplit(urlsplit(base_url())._replace(path="/" + (name or pg_name(size))))


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Target:
    """The request a case makes, and the raw SQL that fetches the same rows.

    A GET of ``path`` by default. A case that writes gives ``request``: one timed
    iteration, called with the logged-in test client (it must leave the database as
    it found it, e.g. in a rolled-back transaction); and ``floor``: called with a
    cursor, does the least SQL that the write needs and returns the number of rows.
    """

    path: str
    floor_sql: str = ""
    floor_params: tuple = ()
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""
    persona: str = ""  # who is logged in; PERSONA when empty
    request: Callable | None = None
    floor: Callable | None = None


@dataclass(frozen=True)
class Case:
    name: str
    size: str  # "demo", "large" or "xlarge": which data set
    target_p95_ms: float
    max_queries: int | None  # None: not part of the target
    target: Callable[[], Target]  # called in the worker, after django.setup()
    # Page p50 / floor p50 at most this, when the floor is a hand-written renderer
    # (bench/floors.py) that shows what the page shows; None: not part of the target.
    max_ratio: float | None = None
    # The URL name of the page the case requests (tests/bench/test_coverage.py checks
    # that every page a persona reaches from the main menu has a case).
    page: str = ""
    # Why the page's cost grows with the organisation (a list or summary of all of
    # it); empty: it shows a fixed number of rows and --growth expects a flat cost.
    grows: str = ""


def _tables():
    from django.db import connection

    from goals.models import Activity, Goal, Indicator, Measurement, Perspective, Target
    from ledmot.models import OrgUnit

    q = connection.ops.quote_name
    return {
        "goal": q(Goal._meta.db_table),
        "activity": q(Activity._meta.db_table),
        "indicator": q(Indicator._meta.db_table),
        "goal_indicator": q(Indicator.goals.through._meta.db_table),
        "measurement": q(Measurement._meta.db_table),
        "target": q(Target._meta.db_table),
        "perspective": q(Perspective._meta.db_table),
        "unit": q(OrgUnit._meta.db_table),
        "order": q("order"),
    }


def chain_target() -> Target:
    """Röda tråden filtered on the committee with the most goals in the current period."""
    from django.db.models import Count

    from goals.models import Goal, GoalLevel, MandatePeriod
    from ledmot.models import OrgUnit

    period = MandatePeriod.objects.current()
    top = (
        Goal.objects.filter(mandate_period=period, level=GoalLevel.COMMITTEE)
        .values("owner__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner__code")
        .first()
    )
    committee = OrgUnit.objects.get(code=top["owner__code"])
    from django.contrib.auth import get_user_model

    from bench.floors import chain_floor
    from ledmot.access import Cap, access_for

    user = get_user_model().objects.get(username=PERSONA)
    access = access_for(user)
    view_paths = None if access.is_superuser else access.paths(Cap.VIEW)
    shown = {"code": committee.code, "name": committee.name, "path": committee.path}

    def floor(cursor) -> int:
        """The page as bench/floors.py renders it: raw SQL and string joins."""
        html = chain_floor(cursor, period_id=period.pk, committee=shown, view_paths=view_paths)
        return html.count('<li class="goal-row ')

    return Target(
        path=f"/?namnd={committee.code}",
        floor=floor,
        note=f"{committee.code}: {top['n']} nämndmål",
    )


def _branch_sizes() -> dict[int, int]:
    """Unit goals + activities under each committee goal (its own activities included)."""
    from collections import Counter

    from goals.models import Activity, Goal, GoalLevel

    size: Counter[int] = Counter()
    for parent_id in Goal.objects.filter(level=GoalLevel.UNIT).values_list("parent_id", flat=True):
        if parent_id:
            size[parent_id] += 1
    for goal_id, parent_id, level in Activity.objects.values_list(
        "goal_id", "goal__parent_id", "goal__level"
    ):
        if level == GoalLevel.UNIT and parent_id:
            size[parent_id] += 1
        elif level == GoalLevel.COMMITTEE:
            size[goal_id] += 1
    return size


def branch_target(limit: int = 500) -> Target:
    """The htmx expansion of the committee goal with the most unit goals + activities."""
    from goals.models import Goal, GoalLevel

    sizes = _branch_sizes()
    committee_ids = set(
        Goal.objects.filter(level=GoalLevel.COMMITTEE, pk__in=list(sizes)).values_list(
            "pk", flat=True
        )
    )
    n, neg_pk = max((n, -pk) for pk, n in sizes.items() if pk in committee_ids and n <= limit)
    pk = -neg_pk
    t = _tables()
    sql = f"""
        SELECT 'goal', g.id, g.title, g.status, o.name
        FROM {t["goal"]} g JOIN {t["unit"]} o ON o.id = g.owner_id
        WHERE g.parent_id = %s
        UNION ALL
        SELECT 'activity', a.id, a.title, a.status, o.name
        FROM {t["activity"]} a JOIN {t["unit"]} o ON o.id = a.owner_id
        WHERE a.goal_id = %s
    """
    return Target(
        path=f"/mal/{pk}/gren/",
        headers={"HX-Request": "true"},
        floor_sql=sql,
        floor_params=(pk, pk),
        note=f"mål {pk}: {n} enhetsmål + aktiviteter",
    )


def goal_page_target() -> Target:
    """The page of the unit goal with the most activities that also has indicators."""
    from django.db.models import Count

    from goals.models import PUBLIC_STATUSES, Goal, GoalLevel

    goal = (
        Goal.objects.filter(level=GoalLevel.UNIT, status__in=PUBLIC_STATUSES)
        .annotate(
            n_act=Count("activities", distinct=True), n_ind=Count("indicators", distinct=True)
        )
        .filter(n_act__gt=0, n_ind__gt=0)
        .order_by("-n_act", "-n_ind", "pk")
        .first()
    )
    t = _tables()
    sql = f"""
        SELECT 'goal', g.id, g.title, g.status, o.name
        FROM {t["goal"]} g JOIN {t["unit"]} o ON o.id = g.owner_id
        WHERE g.id = %s OR g.parent_id = %s
        UNION ALL
        SELECT 'activity', a.id, a.title, a.status, o.name
        FROM {t["activity"]} a JOIN {t["unit"]} o ON o.id = a.owner_id
        WHERE a.goal_id = %s
        UNION ALL
        SELECT 'indicator', i.id, i.name, i.unit, o.name
        FROM {t["indicator"]} i
        JOIN {t["goal_indicator"]} gi ON gi.indicator_id = i.id
        JOIN {t["unit"]} o ON o.id = i.responsible_unit_id
        WHERE gi.goal_id = %s
    """
    return Target(
        path=f"/mal/{goal.pk}/",
        floor_sql=sql,
        floor_params=(goal.pk, goal.pk, goal.pk, goal.pk),
        note=f"mål {goal.pk}: {goal.n_act} aktiviteter, {goal.n_ind} indikatorer",
    )


GOAL_INDICATORS = 20  # seed_scale gives one unit goal exactly this many indicators
SAVE_VALUES = 50  # values in one POST of the results form
SAVE_PERSONA = "enhetschef"


def goal_indicators_target() -> Target:
    """The page of the unit goal measured by 20 indicators with ten years of values each."""
    from django.db.models import Count

    from goals.models import Goal, GoalLevel, Measurement

    goal = (
        Goal.objects.filter(level=GoalLevel.UNIT)
        .annotate(n_ind=Count("indicators"))
        .filter(n_ind=GOAL_INDICATORS)
        .order_by("pk")
        .first()
    )
    if goal is None:
        raise RuntimeError(f"inget enhetsmål med {GOAL_INDICATORS} indikatorer (seed_scale)")
    values = Measurement.objects.filter(indicator__goals=goal)
    years = values.values("period").distinct().count()
    t = _tables()
    sql = f"""
        SELECT i.id, i.name, m.period, m.gender, m.value
        FROM {t["goal_indicator"]} gi
        JOIN {t["indicator"]} i ON i.id = gi.indicator_id
        JOIN {t["measurement"]} m ON m.indicator_id = i.id
        WHERE gi.goal_id = %s
        UNION ALL
        SELECT i.id, i.name, CAST(tg.year AS TEXT), 'target', tg.value
        FROM {t["goal_indicator"]} gi
        JOIN {t["indicator"]} i ON i.id = gi.indicator_id
        JOIN {t["target"]} tg ON tg.indicator_id = i.id
        WHERE gi.goal_id = %s
    """
    return Target(
        path=f"/mal/{goal.pk}/",
        floor_sql=sql,
        floor_params=(goal.pk, goal.pk),
        note=f"mål {goal.pk}: {goal.n_ind} indikatorer × {years} perioder, {values.count()} utfall",
    )


def _insert_floor(indicator_ids: list[int]):
    """The least a save needs: one multi-row INSERT of the values (rolled back)."""

    def floor(cursor) -> int:
        from django.db import transaction

        t = _tables()
        rows = ", ".join(
            ["(%s, '2099', 2099, 209999, 'T', 1, '', 'manual', %s)"] * len(indicator_ids)
        )
        params = [p for pk in indicator_ids for p in (pk, "2026-01-01 00:00:00")]
        with transaction.atomic():
            cursor.execute(
                f"INSERT INTO {t['measurement']} (indicator_id, period, year, sort_key, gender, "
                f"value, comment, source, entered_at) VALUES {rows}",
                params,
            )
            transaction.set_rollback(True)
        return len(indicator_ids)

    return floor


def _rolled_back(action):
    """Run ``action`` in a transaction that is rolled back: every iteration writes the same."""
    from django.db import transaction

    with transaction.atomic():
        result = action()
        transaction.set_rollback(True)
    return result


def save_values_target() -> Target:
    """POST the results form (``goals:results``) with 50 values in one request.

    The enhetschef persona enters the values of the period due for the indicators
    of Ekbackens skola (20 of them on one goal): empty cells get a value, filled ones
    a new one. Every iteration runs in a rolled-back transaction. While the view is
    missing, the service the view calls is timed instead (see the note).
    """
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("goals:results")
        from goals import results  # noqa: F401 - the view's form rows
    except (NoReverseMatch, ImportError):
        return _save_values_service()
    return _save_values_view(path)


def _save_values_view(path: str) -> Target:
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from goals.models import Measurement
    from goals.results import build_rows, show
    from goals.views.results import _editable_indicators

    user = get_user_model().objects.get(username=SAVE_PERSONA)
    # The rows as the view builds them: their field names are the view's own.
    rows = build_rows(list(_editable_indicators(user)), timezone.localdate())
    data: dict[str, str] = {}
    ids: list[int] = []
    changed = updated = 0
    for row in rows:
        if changed >= SAVE_VALUES:
            break
        if row.locked:
            continue  # a period a closed round froze: the form shows it read-only
        ind = row.indicator
        ids.append(ind.pk)
        data[row.period_name] = row.period.key
        data[row.comment_name] = row.comment
        for cell in row.cells:
            data[cell.original_name] = data[cell.name] = cell.original
            if changed >= SAVE_VALUES:
                continue  # posted unchanged
            current = cell.current.value if cell.current else None
            base = current if current is not None else (ind.baseline_value or Decimal(50))
            step = Decimal(1).scaleb(-ind.decimals)
            new = base - step if ind.unit.strip() == "%" and base + step > 100 else base + step
            data[cell.name] = show(new.quantize(step))
            updated += current is not None
            changed += 1
    if changed < SAVE_VALUES:
        raise RuntimeError(f"{SAVE_PERSONA} har bara {changed} celler att fylla i på {path}")

    def post(client):
        response = _rolled_back(lambda: client.post(path, data))
        client.cookies.pop("messages", None)  # no pile of success messages in the cookie
        if response.status_code != 302:
            raise RuntimeError(f"POST {path} gav {response.status_code} (fel i formuläret?)")
        return response

    # Checked once: the POST really saves 50 values (a history record each).
    check = Client()
    check.force_login(user, backend="ledmot.signin.PasswordBackend")
    with transaction.atomic():
        before = Measurement.history.count()
        response = check.post(path, data)
        written = Measurement.history.count() - before
        transaction.set_rollback(True)
    if response.status_code != 302 or written != SAVE_VALUES:
        raise RuntimeError(f"POST {path}: {response.status_code}, {written} värden sparade")

    return Target(
        path=f"POST {path}",
        note=f"{SAVE_PERSONA}: {SAVE_VALUES} värden på {len(ids)} indikatorer "
        f"({updated} ändrade, {SAVE_VALUES - updated} nya)",
        persona=SAVE_PERSONA,
        request=post,
        floor=_insert_floor(_fifty(ids)),
    )


def _fifty(ids: list[int]) -> list[int]:
    """50 indicator ids for the floor INSERT: these, topped up with others."""
    from goals.models import Indicator

    more = Indicator.objects.exclude(pk__in=ids).order_by("pk").values_list("pk", flat=True)
    return [*ids, *more[: max(SAVE_VALUES - len(ids), 0)]][:SAVE_VALUES]


def _save_values_service() -> Target:
    """``measurements_save`` with 50 values, as the results view will call it."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from goals.models import Indicator
    from goals.services import ValueInput, measurements_save

    user = get_user_model().objects.get(username=SAVE_PERSONA)
    indicators = list(Indicator.objects.order_by("pk")[:SAVE_VALUES])
    values = [
        ValueInput(ind, "2026", (ind.baseline_value or Decimal(50)) + 1) for ind in indicators
    ]

    def save(_client):
        return _rolled_back(lambda: measurements_save(values=values, user=user))

    return Target(
        path="measurements_save()",
        note="service call (view pending)",
        persona=SAVE_PERSONA,
        request=save,
        floor=_insert_floor([i.pk for i in indicators]),
    )


# The follow-up round of the large database: the interim report per 31 August 2026 for
# every committee, open with reports in every state (seed_scale opens it; opened here
# if a database lacks it).
BENCH_ROUND = {
    "kind": "Delårsrapport",
    "period_end": "2026-08-31",
    "deadline": "2026-09-18",
    "council_date": "2026-10-26",
}
FOLLOWUP_PERSONA = "controller"


def _bench_round():
    """The round of :data:`BENCH_ROUND`, opened by the controller if it is missing."""
    import datetime

    from django.contrib.auth import get_user_model

    from followup.models import FollowUpRound, RoundKind
    from followup.services import round_open

    kind = RoundKind.objects.get(name=BENCH_ROUND["kind"])
    period_end = datetime.date.fromisoformat(BENCH_ROUND["period_end"])
    rnd = FollowUpRound.objects.filter(kind=kind, period_end=period_end).first()
    if rnd is None:
        rnd = round_open(
            kind=kind,
            year=period_end.year,
            period_end=period_end,
            deadline=datetime.date.fromisoformat(BENCH_ROUND["deadline"]),
            council_date=datetime.date.fromisoformat(BENCH_ROUND["council_date"]),
            scope=[],
            user=get_user_model().objects.get(username=FOLLOWUP_PERSONA),
        )
    return rnd


def _followup_tables():
    from django.db import connection

    from followup.models import GoalAssessment, Report

    q = connection.ops.quote_name
    return {
        **_tables(),
        "report": q(Report._meta.db_table),
        "assessment": q(GoalAssessment._meta.db_table),
    }


def _state_counts_sql(t: dict, where: str) -> str:
    """Reports per committee (the second code of the path) and state, as the dashboard
    and the report pages count them: what the counts per committee show."""
    from django.db import connection

    pos = "STRPOS" if connection.vendor == "postgresql" else "INSTR"  # (text, part) on both
    return f"""
        SELECT CASE WHEN {pos}(SUBSTR(o.path, {pos}(o.path, '/') + 1), '/') > 0
                    THEN SUBSTR(o.path, {pos}(o.path, '/') + 1,
                                {pos}(SUBSTR(o.path, {pos}(o.path, '/') + 1), '/') - 1) END,
               CASE WHEN r.status = 'draft' AND NOT r.started THEN 'not_started'
                    ELSE r.status END,
               COUNT(*)
        FROM {t["report"]} r JOIN {t["unit"]} o ON o.id = r.org_unit_id
        WHERE {where}
        GROUP BY 1, 2
    """


def followup_dashboard_target() -> Target:
    """The controller's dashboard of the round as it lands: every report of the
    municipality counted per committee and state (the lists are one click away)."""
    rnd = _bench_round()
    t = _followup_tables()
    return Target(
        path=f"/uppfoljning/{rnd.pk}/",
        floor_sql=_state_counts_sql(t, "r.round_id = %s"),
        floor_params=(rnd.pk,),
        note=f"{rnd.kind} {rnd.year}: {rnd.reports.count()} rapporter",
        persona=FOLLOWUP_PERSONA,
    )


def followup_dashboard_committee_target() -> Target:
    """The dashboard one click further: the largest committee's reports, first page."""
    rnd = _bench_round()
    report = _largest_committee_report(rnd)
    t = _followup_tables()
    sql = f"""
        SELECT r.id, r.status, r.started, r.submitted_at, o.name, o.path
        FROM {t["report"]} r JOIN {t["unit"]} o ON o.id = r.org_unit_id
        WHERE r.round_id = %s AND o.path LIKE %s
        ORDER BY o.path, r.id LIMIT 50
    """
    return Target(
        path=f"/uppfoljning/{rnd.pk}/?namnd={report.org_unit.code}",
        floor_sql=sql,
        floor_params=(rnd.pk, report.org_unit.path + "%"),
        note=f"{report.org_unit.code}: {_below_size(report)} rapporter, 50 per sida",
        persona=FOLLOWUP_PERSONA,
    )


def _below_size(report) -> int:
    return report.round.reports.filter(org_unit__path__startswith=report.org_unit.path).count() - 1


def _largest_committee_report(rnd):
    """The report of the committee with the most unit reports below it."""
    from followup.models import Report
    from ledmot.models import OrgKind

    committees = Report.objects.filter(round=rnd, org_unit__kind=OrgKind.COMMITTEE).select_related(
        "org_unit"
    )
    sizes = {
        r: Report.objects.filter(
            round=rnd, org_unit__path__startswith=r.org_unit.path, org_unit__kind=OrgKind.UNIT
        ).count()
        for r in committees
    }
    return max(sizes, key=lambda r: (sizes[r], -r.pk))


def _rollup_floor_sql(t: dict) -> str:
    """The report's own goals and the assessments below them (the roll-up per goal)."""
    return f"""
        SELECT 'own', CAST(a.id AS TEXT), a.chosen, g.title
        FROM {t["assessment"]} a JOIN {t["goal"]} g ON g.id = a.goal_id
        WHERE a.report_id = %s
        UNION ALL
        SELECT 'below', CAST(a.id AS TEXT), a.chosen, CAST(g.parent_id AS TEXT)
        FROM {t["assessment"]} a
        JOIN {t["goal"]} g ON g.id = a.goal_id
        JOIN {t["report"]} r ON r.id = a.report_id
        WHERE r.round_id = %s AND g.parent_id IN (
            SELECT goal_id FROM {t["assessment"]} WHERE report_id = %s
        )
    """


def committee_report_target() -> Target:
    """The report of the committee with the most unit reports below it, as it opens: its
    own goals (as forms: the controller may edit it), the roll-up of the goals below, the
    period's indicator values, the counts of its units' reports per state and the first
    page of them. The floor is bench/floors.py's ``report_floor`` of the same report for
    the same user."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bench.floors import report_floor
    from followup.access import can_approve_report, can_edit_report, can_unapprove_report

    rnd = _bench_round()
    report = _largest_committee_report(rnd)
    user = get_user_model().objects.get(username=FOLLOWUP_PERSONA)
    shown = {
        "report_id": report.pk,
        "editable": can_edit_report(user, report),
        "can_approve": can_approve_report(user, report),
        "can_unapprove": can_unapprove_report(user, report),
    }

    def floor(cursor) -> int:
        """The page as bench/floors.py renders it: raw SQL and string joins."""
        html = report_floor(cursor, today=timezone.localdate(), **shown)
        return html.count('<section class="assessment-block"') + html.count("<tr")

    return Target(
        path=f"/uppfoljning/rapporter/{report.pk}/",
        floor=floor,
        note=f"{report.org_unit.code}: {_below_size(report)} rapporter under, 50 per sida, "
        f"{report.assessments.count()} egna mål",
        persona=FOLLOWUP_PERSONA,
    )


def council_report_target() -> Target:
    """The council's report in the round: its own goals with the roll-up of the
    committees' assessments, and per committee its report and the counts of the reports
    under it (each a link to the list)."""
    from followup.models import Report
    from ledmot.models import OrgKind

    rnd = _bench_round()
    report = Report.objects.select_related("org_unit").get(
        round=rnd, org_unit__kind=OrgKind.COUNCIL
    )
    t = _followup_tables()
    sql = f"""
        SELECT 'committee', CAST(r.id AS TEXT), r.status, o.name
        FROM {t["report"]} r JOIN {t["unit"]} o ON o.id = r.org_unit_id
        WHERE r.round_id = %s AND o.kind IN ('namnd', 'bolag')
        UNION ALL
        {_rollup_floor_sql(t)}
    """
    return Target(
        path=f"/uppfoljning/rapporter/{report.pk}/",
        floor_sql=sql
        + " UNION ALL "
        + _state_counts_sql(t, "r.round_id = %s").replace("COUNT(*)", "CAST(COUNT(*) AS TEXT), ''"),
        floor_params=(rnd.pk, report.pk, rnd.pk, report.pk, rnd.pk),
        note=f"{report.org_unit.name}: {_below_size(report)} rapporter under, "
        f"{report.assessments.count()} egna mål",
        persona=FOLLOWUP_PERSONA,
    )


def priority_overview_target() -> Target:
    """The political overview of the priority round: every submitted proposal of the
    municipality ranked against the resource frame, the chart and the effect per goal."""
    from django.db import connection

    from priorities.models import PriorityItem, PriorityRound

    rnd = PriorityRound.objects.order_by("-year", "-pk").first()
    if rnd is None:
        raise RuntimeError("ingen prioriteringsomgång (seed_demo / seed_scale)")
    q = connection.ops.quote_name
    t = {
        **_tables(),
        "item": q(PriorityItem._meta.db_table),
        "sheet": q(PriorityItem.worksheet.field.related_model._meta.db_table),
        "item_goal": q(PriorityItem.goals.through._meta.db_table),
    }
    sql = f"""
        SELECT i.id, i.title, i.kind, i.rank, i.suggested_rank, i.cost_budget, i.decision,
               o.name, ig.goal_id
        FROM {t["item"]} i
        JOIN {t["sheet"]} s ON s.id = i.worksheet_id
        JOIN {t["unit"]} o ON o.id = s.committee_id
        LEFT JOIN {t["item_goal"]} ig ON ig.priorityitem_id = i.id
        WHERE s.round_id = %s AND i.status = 'submitted'
        ORDER BY COALESCE(i.rank, i.suggested_rank), i.suggested_rank, o.{t["order"]}, i.id
    """
    items = PriorityItem.objects.filter(worksheet__round=rnd, status="submitted").count()
    return Target(
        path=f"/prioriteringar/{rnd.pk}/",
        floor_sql=sql,
        floor_params=(rnd.pk,),
        note=f"{rnd}: {items} förslag",
    )


def structure_target() -> Target:
    """Målstrukturanalys as the controller lands on it (main menu): the current period,
    every committee's figures, no list opened. Its floor counts the goals of the
    period per owning unit and level with one GROUP BY (the page also evaluates the
    weaknesses and the stale indicators in its aggregates)."""
    from goals.models import Goal, MandatePeriod

    period = MandatePeriod.objects.current()
    t = _tables()
    sql = f"""
        SELECT o.path, g.level, COUNT(*)
        FROM {t["goal"]} g JOIN {t["unit"]} o ON o.id = g.owner_id
        WHERE g.mandate_period_id = %s AND g.status <> 'ended'
        GROUP BY o.path, g.level
    """
    goals = Goal.objects.in_period(period).live().count()
    return Target(
        path="/malstrukturanalys/",
        floor_sql=sql,
        floor_params=(period.pk,),
        note=f"{period}: {goals} levande mål",
        persona=FOLLOWUP_PERSONA,
    )


# --------------------------------------------------------------------------- menu pages
# Every page a persona reaches from the main menu (the menu's own pages and the pages
# one click from them) is a case: tests/bench/test_coverage.py follows the menu as each
# persona of the test suite and fails on a page without one. These cases have no floor:
# their target is p95 alone.


def _persona_home(username: str) -> str:
    """The path "Min enhet" redirects the persona to (their most specific unit)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from ledmot.access import access_for

    ids = access_for(get_user_model().objects.get(username=username)).home_unit_ids()
    if not ids:
        raise RuntimeError(f"{username} har ingen enhet")
    return reverse("goals:unit_detail", args=[ids[0]])


def home_target(persona: str) -> Callable[[], Target]:
    """Where the persona lands after signing in (LOGIN_REDIRECT_URL): Röda tråden as
    it opens, no filter chosen."""

    def target() -> Target:
        from django.conf import settings
        from django.shortcuts import resolve_url

        return Target(path=resolve_url(settings.LOGIN_REDIRECT_URL), persona=persona)

    target.__name__ = f"home_target_{persona}"
    return target


def unit_page_target() -> Target:
    """The committee's unit page as the förvaltningschef opens it from "Min enhet"."""
    return Target(path=_persona_home("forvaltningschef"), persona="forvaltningschef")


def unit_page_school_target() -> Target:
    """The school's unit page as the enhetschef opens it from "Min enhet"."""
    return Target(path=_persona_home("enhetschef"), persona="enhetschef")


def economy_committee_target() -> Target:
    """The page of the committee with the most units below it (about 500 at large size),
    as the politician opens it: its budget, outcome and forecast summed from every unit,
    four years, and its units' figures. The floor sums the year's figures in SQL."""
    from django.db import connection
    from django.db.models import Count, OuterRef, Subquery
    from django.urls import reverse
    from django.utils import timezone

    from economy.models import EconomyFigure
    from ledmot.models import OrgKind, OrgUnit

    below = (
        OrgUnit.objects.filter(path__startswith=OuterRef("path"), kind=OrgKind.UNIT)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")
    )
    committee = (
        OrgUnit.objects.filter(kind=OrgKind.COMMITTEE)
        .annotate(n=Subquery(below))
        .order_by("-n", "pk")
        .first()
    )
    q = connection.ops.quote_name
    figures, units = q(EconomyFigure._meta.db_table), q(OrgUnit._meta.db_table)
    floor = f"""
        SELECT f.kind, f.period, SUM(f.amount) FROM {figures} f
        JOIN {units} o ON o.id = f.org_unit_id
        WHERE o.path LIKE %s AND f.year BETWEEN %s AND %s GROUP BY f.kind, f.period
    """  # noqa: S608 - table names from _meta
    year = timezone.localdate().year
    return Target(
        path=reverse("goals:unit_detail", args=[committee.pk]),
        floor_sql=floor,
        floor_params=(committee.path + "%", year - 3, year),
        persona=PERSONA,
    )


def economy_entry_target() -> Target:
    """Ekonomi as the enhetschef opens it from the menu: the school's budget, outcome and
    forecast of this year to enter."""
    from django.urls import resolve, reverse

    unit = resolve(_persona_home("enhetschef")).kwargs["pk"]
    return Target(path=reverse("economy:entry", args=[unit]), persona="enhetschef")


def geh_judgements_target() -> Target:
    """God ekonomisk hushållning as the controller opens it from the menu: every round
    with its overall judgement written or not."""
    from django.urls import reverse

    return Target(path=reverse("economy:judgement_list"), persona="controller")


def geh_judgement_target() -> Target:
    """The bench round's overall judgement of god ekonomisk hushållning, to write."""
    from django.urls import reverse

    return Target(path=reverse("economy:judgement", args=[_bench_round().pk]), persona="controller")


def unit_plan_target() -> Target:
    """The committee's mål- och resursplan for this year as the förvaltningschef opens it
    from the unit page (the goals above, the committee's goals with indicators, targets
    and activities)."""
    from django.urls import resolve, reverse
    from django.utils import timezone

    from goals.models import MandatePeriod
    from goals.unit_plan import plan_year

    unit = resolve(_persona_home("forvaltningschef")).kwargs["pk"]
    year = plan_year(MandatePeriod.objects.current(), timezone.localdate())
    return Target(path=reverse("goals:unit_plan", args=[unit, year]), persona="forvaltningschef")


def committee_goal_target() -> Target:
    """The page of the committee goal of the current period with the most unit goals."""
    from django.db.models import Count

    from goals.models import Goal, GoalLevel, MandatePeriod

    goal = (
        Goal.objects.filter(
            level=GoalLevel.COMMITTEE, mandate_period=MandatePeriod.objects.current()
        )
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    return Target(path=f"/mal/{goal.pk}/", note=f"mål {goal.pk}: {goal.n} enhetsmål")


def goal_history_target() -> Target:
    """The history of the goal with the most recorded changes."""
    from django.db.models import Count

    from goals.models import Goal

    top = Goal.history.values("id").annotate(n=Count("history_id")).order_by("-n", "id").first()
    return Target(
        path=f"/mal/{top['id']}/historik/",
        note=f"mål {top['id']}: {top['n']} versioner",
        persona=FOLLOWUP_PERSONA,
    )


API_RESULTS_PAGE = 1000


def api_results_target() -> Target:
    """One page of 1,000 indicator results from the API (``/api/v1/results``), read by a
    system with a read token whose user reads on the council. The token is made anew
    each run (only its hash is stored, so an earlier one's key cannot be read back)."""
    from django.contrib.auth import get_user_model

    from api.models import ApiToken
    from api.services import token_create
    from ledmot.models import OrgUnit, Role, RoleAssignment

    user, _new = get_user_model().objects.get_or_create(username="api-bench")
    council = OrgUnit.objects.get(parent__isnull=True)
    RoleAssignment.objects.get_or_create(user=user, org_unit=council, role=Role.READER)
    ApiToken.objects.filter(user=user).delete()
    _token, key = token_create(name="bench", user=user, created_by=None)
    t = _tables()

    def floor(cursor) -> int:
        cursor.execute(f"SELECT COUNT(*) FROM {t['measurement']}")  # noqa: S608 - names
        cursor.fetchall()
        cursor.execute(
            "SELECT id, indicator_id, period, year, gender, value, comment, source, "  # noqa: S608
            f"entered_at FROM {t['measurement']} ORDER BY id LIMIT {API_RESULTS_PAGE}"
        )
        return len(cursor.fetchall())

    return Target(
        path=f"/api/v1/results?limit={API_RESULTS_PAGE}",
        headers={"Authorization": f"Bearer {key}"},
        floor=floor,
        note=f"{API_RESULTS_PAGE} utfall som JSON, läs-token",
    )


def indicator_page_target() -> Target:
    """The page of the indicator with the most values."""
    from django.db.models import Count

    from goals.models import Indicator

    ind = Indicator.objects.annotate(n=Count("measurements")).order_by("-n", "pk").first()
    return Target(path=f"/indikatorer/{ind.pk}/", note=f"indikator {ind.pk}: {ind.n} utfall")


def unit_report_target() -> Target:
    """The enhetschef's own report in the bench round."""
    from followup.models import Report

    report = Report.objects.filter(
        round=_bench_round(), org_unit__role_assignments__user__username="enhetschef"
    ).first()
    if report is None:
        raise RuntimeError("enhetschef har ingen rapport i omgången")
    return Target(path=f"/uppfoljning/rapporter/{report.pk}/", persona="enhetschef")


def _priority_round():
    from priorities.models import PriorityRound

    rnd = PriorityRound.objects.order_by("-year", "-pk").first()
    if rnd is None:
        raise RuntimeError("ingen prioriteringsomgång (seed_demo / seed_scale)")
    return rnd


def priority_worksheet_target() -> Target:
    """The worksheet of the committee with the most priority items."""
    from django.db.models import Count

    sheet = (
        _priority_round()
        .worksheets.select_related("committee")
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .first()
    )
    return Target(
        path=f"/prioriteringar/{sheet.round_id}/namnd/{sheet.committee.code}/",
        note=f"{sheet.committee.code}: {sheet.n} förslag",
        persona=FOLLOWUP_PERSONA,
    )


def priority_item_target() -> Target:
    """The page of the priority item linked to the most goals."""
    from django.db.models import Count

    from priorities.models import PriorityItem

    item = (
        PriorityItem.objects.filter(worksheet__round=_priority_round())
        .annotate(n=Count("goals"))
        .order_by("-n", "pk")
        .first()
    )
    return Target(path=f"/prioriteringar/objekt/{item.pk}/", persona=FOLLOWUP_PERSONA)


def period_page_target(url_name: str) -> Callable[[], Target]:
    """A page of the current mandate period (its vision, a new budget year) as the
    controller opens it from Perioder."""

    def target() -> Target:
        from django.urls import reverse

        from goals.models import MandatePeriod

        period = MandatePeriod.objects.current()
        return Target(path=reverse(url_name, args=[period.pk]), persona=FOLLOWUP_PERSONA)

    target.__name__ = f"period_page_target_{url_name.replace(':', '_')}"
    return target


def page_target(url_name: str, persona: str = FOLLOWUP_PERSONA) -> Callable[[], Target]:
    """A page without arguments (a list, a form) as ``persona`` opens it."""

    def target() -> Target:
        from django.urls import reverse

        return Target(path=reverse(url_name), persona=persona)

    target.__name__ = f"page_target_{url_name.replace(':', '_')}"
    return target


def risk_form_target() -> Target:
    """A controller's form of a new risk for a unit (the first school) of the committee
    with the most units: the unit select of the committee's units and the goals of the
    school's chain (its own, the committee's, the council's)."""
    from django.urls import reverse

    from ledmot.models import OrgKind, OrgUnit

    committees = OrgUnit.objects.filter(kind=OrgKind.COMMITTEE, active=True)
    largest = max(
        committees,
        key=lambda c: (OrgUnit.objects.filter(path__startswith=c.path).count(), -c.pk),
    )
    unit = (
        OrgUnit.objects.filter(path__startswith=largest.path, kind=OrgKind.UNIT, active=True)
        .order_by("path")
        .first()
    )
    return Target(
        path=reverse("control:risk_create_unit", args=[(unit or largest).pk]),
        persona=FOLLOWUP_PERSONA,
    )


def risk_analysis_target() -> Target:
    """A committee's risk analysis of this year: its matrix and risks, its internal
    control plan with the results of the rounds and the deviations."""
    from django.urls import reverse

    from control.models import RiskAnalysis

    analysis = RiskAnalysis.objects.order_by("-year", "committee__path").first()
    if analysis is None:
        raise RuntimeError("ingen riskanalys (seed_demo)")
    return Target(
        path=reverse("control:analysis_detail", args=[analysis.pk]), persona=FOLLOWUP_PERSONA
    )


def steering_form_target() -> Target:
    """A controller's form of a new steering document of the committee with the most
    live goals (the owner chosen: ``?agare=``): the owner select and the goals offered,
    the council's and the committee's."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from goals.models import LIVE_STATUSES
    from ledmot.models import OrgKind, OrgUnit

    owner = (
        OrgUnit.objects.filter(kind=OrgKind.COMMITTEE, active=True)
        .annotate(live=Count("goals", filter=Q(goals__status__in=LIVE_STATUSES)))
        .order_by("-live", "pk")
        .first()
    )
    if owner is None:
        raise RuntimeError("ingen nämnd")
    path = f"{reverse('steering:create')}?agare={owner.pk}"
    return Target(path=path, persona=FOLLOWUP_PERSONA)


def steering_detail_target() -> Target:
    """The page of the first decided steering document."""
    from django.urls import reverse

    from steering.models import SteeringDocument

    document = SteeringDocument.objects.filter(status="decided").order_by("pk").first()
    if document is None:
        raise RuntimeError("inget beslutat styrdokument (seed_demo har tio)")
    return Target(path=reverse("steering:detail", args=[document.pk]), persona=PERSONA)


def guarantee_list_target() -> Target:
    """The service guarantees of the first unit that has any."""
    from django.urls import reverse

    from goals.models import ServiceGuarantee

    unit_id = ServiceGuarantee.objects.order_by("pk").values_list("unit_id", flat=True).first()
    if unit_id is None:
        raise RuntimeError("ingen servicegaranti (seed_demo och seed_scale har flera)")
    return Target(path=reverse("goals:guarantee_list", args=[unit_id]), persona=PERSONA)


def plan_year_target() -> Target:
    """Planera <år> for the year after the latest mandate period, as the controller
    opens it: the council's goals listed, the whole plan counted for the preview."""
    from django.urls import reverse

    from goals.models import MandatePeriod

    year = MandatePeriod.objects.order_by("-start_year").first().end_year + 1
    return Target(path=reverse("goals:plan_year", args=[year]), persona=FOLLOWUP_PERSONA)


def org_unit_page_target() -> Target:
    """A committee's page on the organisation screens, as the admin opens it."""
    from django.urls import reverse

    from ledmot.models import OrgKind, OrgUnit

    unit = OrgUnit.objects.filter(kind=OrgKind.COMMITTEE).order_by("path").first()
    return Target(path=reverse("orgadmin:unit_page", args=[unit.pk]), persona="admin")


GROWS_COMMITTEES = "one row per committee (the organisation's breadth)"
GROWS_UNITS = "a row or a choice per org unit: the whole organisation, which an admin keeps"


def overview_target() -> Target:
    """Röda tråden's tab "Översikt" as the politician opens it, for the bench round: per
    committee the round's committee goals by assessment; the floor counts them in SQL."""
    from django.urls import reverse

    t = _followup_tables()
    rnd = _bench_round()
    floor = f"""
        SELECT o.path, a.chosen, r.status, COUNT(*) FROM {t["assessment"]} a
        JOIN {t["report"]} r ON r.id = a.report_id
        JOIN {t["goal"]} g ON g.id = a.goal_id
        JOIN {t["unit"]} o ON o.id = r.org_unit_id
        WHERE r.round_id = %s AND g.level = 'namnd' GROUP BY o.path, a.chosen, r.status
    """  # noqa: S608 - table names from _meta
    return Target(
        path=f"{reverse('overview:overview')}?omgang={rnd.pk}",
        floor_sql=floor,
        floor_params=(rnd.pk,),
        persona=PERSONA,
    )


def overview_goals_target() -> Target:
    """The goals behind the overview's total for the whole municipality (every committee
    goal of the bench round, its first page)."""
    from django.urls import reverse

    return Target(path=f"{reverse('overview:goals')}?omgang={_bench_round().pk}", persona=PERSONA)


def portal_home_target() -> Target:
    """The public portal's first page (/oppen/) for a visitor who is not signed in: the
    vision, the council's goals with their latest published assessment, the committees
    and the published reports. The floor: the council's goals with their assessment in
    the latest published round, in one query."""
    from django.urls import reverse

    t = _followup_tables()
    floor = f"""
        SELECT g.id, g.title, a.chosen FROM {t["goal"]} g
        LEFT JOIN {t["assessment"]} a ON a.goal_id = g.id AND a.report_id IN (
            SELECT r.id FROM {t["report"]} r JOIN portal_roundpublication p
            ON p.round_id = r.round_id AND p.published WHERE r.status = 'approved')
        WHERE g.level = 'kf' AND g.status = 'adopted'
    """  # noqa: S608 - table names from _meta
    return Target(path=reverse("portal:home"), floor_sql=floor, persona=ANONYMOUS)


CASES: list[Case] = [
    Case("api_results@demo", "demo", 150, 6, api_results_target, page="api:results"),
    Case("api_results@large", "large", 150, 6, api_results_target, page="api:results"),
    Case("chain@demo", "demo", 150, 8, chain_target, page="goals:chain"),
    Case(
        "chain@large",
        "large",
        150,
        8,
        chain_target,
        max_ratio=2.0,
        page="goals:chain",
        grows="every goal of the chosen committee: a committee holds more goals as the "
        "municipality grows (xlarge: four times as many per committee)",
    ),
    *(
        Case(f"home_{p}@large", "large", 150, None, home_target(p), page="goals:chain")
        for p in PERSONAS
    ),
    Case("branch@large", "large", 50, None, branch_target, page="goals:goal_branch"),
    Case("goal_page@large", "large", 100, None, goal_page_target, page="goals:goal_detail"),
    Case(
        "goal_indicators@large",
        "large",
        100,
        None,
        goal_indicators_target,
        page="goals:goal_detail",
    ),
    Case(
        "committee_goal@large", "large", 150, None, committee_goal_target, page="goals:goal_detail"
    ),
    Case("goal_history@large", "large", 150, None, goal_history_target, page="goals:goal_history"),
    Case(
        "goal_create@large",
        "large",
        150,
        None,
        page_target("goals:goal_create"),
        page="goals:goal_create",
    ),
    Case("unit_page@large", "large", 150, None, unit_page_target, page="goals:unit_detail"),
    Case(
        "unit_plan@large",
        "large",
        300,
        None,
        unit_plan_target,
        page="goals:unit_plan",
        grows="the committee's plan is a document of every goal of the committee with its "
        "indicators, targets and activities (xlarge: four times as many per committee: 50 "
        "goals at large, 197 at xlarge)",
    ),
    Case(
        "economy_committee@demo",
        "demo",
        150,
        22,
        economy_committee_target,
        page="goals:unit_detail",
    ),
    Case("economy_entry@large", "large", 150, None, economy_entry_target, page="economy:entry"),
    Case(
        "geh_judgements@demo",
        "demo",
        100,
        None,
        geh_judgements_target,
        page="economy:judgement_list",
    ),
    Case("geh_judgement@demo", "demo", 100, None, geh_judgement_target, page="economy:judgement"),
    Case(
        "economy_committee@large",
        "large",
        150,
        22,
        economy_committee_target,
        page="goals:unit_detail",
        grows="the committee's economy is summed from every unit below it (one query "
        "each for the subtree and its figures, summed in Python)",
    ),
    Case(
        "assignment_list@large",
        "large",
        150,
        8,
        page_target("goals:assignment_list"),
        page="goals:assignment_list",
    ),
    Case(
        "unit_page_school@large",
        "large",
        150,
        None,
        unit_page_school_target,
        page="goals:unit_detail",
    ),
    Case(
        "results_controller@large",
        "large",
        150,
        None,
        page_target("goals:results"),
        page="goals:results",
    ),
    Case(
        "results_enhetschef@large",
        "large",
        150,
        None,
        page_target("goals:results", "enhetschef"),
        page="goals:results",
    ),
    Case("save_values@large", "large", 300, None, save_values_target, page="goals:results"),
    Case(
        "activity_list@large",
        "large",
        150,
        None,
        page_target("goals:activity_list", PERSONA),
        page="goals:activity_list",
    ),
    Case(
        "indicator_list@large",
        "large",
        150,
        None,
        page_target("goals:indicator_list", PERSONA),
        page="goals:indicator_list",
    ),
    Case(
        "indicator_page@large",
        "large",
        150,
        None,
        indicator_page_target,
        page="goals:indicator_detail",
    ),
    Case("periods@large", "large", 150, None, page_target("goals:periods"), page="goals:periods"),
    Case(
        "plan_year@large",
        "large",
        1500,
        None,
        plan_year_target,
        page="goals:plan_year",
        grows="every goal of the plan is read for the preview's counts and broken chains",
    ),
    Case(
        "proposals@large",
        "large",
        150,
        None,
        page_target("goals:proposal_list"),
        page="goals:proposal_list",
    ),
    Case(
        "period_create@large",
        "large",
        150,
        None,
        page_target("goals:period_create"),
        page="goals:period_create",
    ),
    Case(
        "vision_edit@large",
        "large",
        150,
        None,
        period_page_target("goals:vision_edit"),
        page="goals:vision_edit",
    ),
    Case(
        "year_create@large",
        "large",
        150,
        None,
        period_page_target("goals:year_create"),
        page="goals:year_create",
    ),
    Case(
        "org_tree@large",
        "large",
        150,
        None,
        page_target("orgadmin:unit_tree", "admin"),
        page="orgadmin:unit_tree",
        grows=GROWS_UNITS,
    ),
    Case(
        "org_unit_create@large",
        "large",
        150,
        None,
        page_target("orgadmin:unit_create", "admin"),
        page="orgadmin:unit_create",
        grows=GROWS_UNITS,
    ),
    Case(
        "org_unit_page@large",
        "large",
        150,
        None,
        org_unit_page_target,
        page="orgadmin:unit_page",
        grows=GROWS_UNITS,
    ),
    Case(
        "people@large",
        "large",
        150,
        None,
        page_target("orgadmin:person_list", "admin"),
        page="orgadmin:person_list",
        grows=GROWS_UNITS,
    ),
    Case(
        "security_events@large",
        "large",
        150,
        None,
        page_target("signin_events", "admin"),
        page="signin_events",
    ),
    Case(
        "import@large",
        "large",
        150,
        None,
        page_target("goals:import_upload"),
        page="goals:import_upload",
    ),
    Case(
        "workbook_export@large",
        "large",
        150,
        None,
        page_target("goals:workbook_export"),
        page="goals:workbook_export",
    ),
    Case(
        "followup_rounds@large",
        "large",
        150,
        None,
        page_target("followup:round_list"),
        page="followup:round_list",
        grows="a summary: every report of the open rounds the person may read counted per "
        "state (read from the index Report(round, status, started, org_unit), the lists one "
        "click away on the dashboard); its rows are bounded (own reports, 10 waiting)",
    ),
    Case(
        "followup_review@large",
        "large",
        150,
        None,
        page_target("followup:review", "forvaltningschef"),
        page="followup:review",
    ),
    Case(
        "round_create@large",
        "large",
        150,
        None,
        page_target("followup:round_create"),
        page="followup:round_create",
    ),
    Case("wheel@large", "large", 150, None, page_target("followup:wheel"), page="followup:wheel"),
    Case(
        "overview@large",
        "large",
        150,
        8,
        overview_target,
        page="overview:overview",
        grows=GROWS_COMMITTEES + "; it counts every committee goal assessed in the round",
    ),
    Case(
        "overview_goals@large",
        "large",
        150,
        8,
        overview_goals_target,
        page="overview:goals",
        grows="reads every committee goal of the round to pick those of one number, then shows 50",
    ),
    Case(
        "followup_dashboard@large",
        "large",
        150,
        None,
        followup_dashboard_target,
        page="followup:round_dashboard",
        grows="a summary: every report of the round counted per committee and state (the "
        "lists are one click away)",
    ),
    Case(
        "followup_dashboard_committee@large",
        "large",
        150,
        None,
        followup_dashboard_committee_target,
        page="followup:round_dashboard",
    ),
    Case(
        "committee_report@large",
        "large",
        150,
        None,
        committee_report_target,
        page="followup:report_detail",
        max_ratio=2.5,
        grows="every own goal of the committee, each with its form and roll-up, and its "
        "indicators: a committee holds more goals as the municipality grows (xlarge: 191 "
        "own goals and 867 kB of HTML against 47 and 225 kB at large)",
    ),
    Case(
        "council_report@large",
        "large",
        150,
        None,
        council_report_target,
        page="followup:report_detail",
        grows="a summary: every committee's assessments rolled up and every report of the "
        "municipality counted per committee and state (the lists are one click away)",
    ),
    Case(
        "unit_report@large", "large", 150, None, unit_report_target, page="followup:report_detail"
    ),
    Case(
        "priority_rounds@large",
        "large",
        150,
        None,
        page_target("priorities:round_list", PERSONA),
        page="priorities:round_list",
    ),
    Case(
        "priority_round_create@large",
        "large",
        150,
        None,
        page_target("priorities:round_create"),
        page="priorities:round_create",
    ),
    Case(
        "risk_register@demo",
        "demo",
        150,
        12,
        page_target("control:risk_list"),
        page="control:risk_list",
        grows="every risk of the year in the municipality (the matrix and its table)",
    ),
    Case(
        "risk_choice@demo",
        "demo",
        150,
        None,
        page_target("control:risk_create"),
        page="control:risk_create",
    ),
    Case(
        "risk_create@demo",
        "demo",
        150,
        None,
        risk_form_target,
        page="control:risk_create_unit",
    ),
    Case(
        "risk_register@large",
        "large",
        150,
        12,
        page_target("control:risk_list"),
        page="control:risk_list",
        grows="every risk of the year in the municipality (the matrix and its table)",
    ),
    Case(
        "risk_choice@large",
        "large",
        150,
        None,
        page_target("control:risk_create"),
        page="control:risk_create",
        grows="the choice of committee: one per committee the user writes for",
    ),
    Case(
        "risk_create@large",
        "large",
        150,
        None,
        risk_form_target,
        page="control:risk_create_unit",
        grows="the unit select: the units of the committee the user writes for",
    ),
    Case(
        "risk_analysis@demo",
        "demo",
        150,
        None,
        risk_analysis_target,
        page="control:analysis_detail",
    ),
    # 8 queries: the overview's 7 and, since issue 16, the scope's budget beside the frame
    # (economy's roll-up, one query while it is kept: ledmot.lib.kept).
    Case(
        "priority_overview@demo",
        "demo",
        150,
        8,
        priority_overview_target,
        page="priorities:overview",
    ),
    Case(
        "priority_overview@large",
        "large",
        150,
        8,
        priority_overview_target,
        page="priorities:overview",
        grows="every submitted proposal of the municipality ranked against the resource "
        "frame: the politicians compare them all on one page",
    ),
    Case(
        "priority_worksheet@large",
        "large",
        150,
        None,
        priority_worksheet_target,
        page="priorities:worksheet",
        grows="every proposal of the committee: a worksheet is written and submitted whole",
    ),
    Case(
        "priority_item@large",
        "large",
        150,
        None,
        priority_item_target,
        page="priorities:item_detail",
    ),
    # 9 queries: the page's 7 (tests/goals/test_structure.py, as a reader) and, for the
    # controller who opens it here, the menu's count of reports waiting for approval (2).
    Case(
        "structure@large",
        "large",
        150,
        9,
        structure_target,
        page="goals:structure",
        grows="a summary: every goal of the period counted per committee and level (the "
        "lists are one click away)",
    ),
    # The public portal (issue 18), as an anonymous visitor opens it.
    # 14 queries: 11, and since the ETag follows indicators, targets and Kolada syncs
    # (portal.publication.last_changed) three indexed MAXes.
    Case("portal_home@demo", "demo", 100, 14, portal_home_target, page="portal:home"),
    Case(
        "portal_home@large",
        "large",
        100,
        14,
        portal_home_target,
        page="portal:home",
        grows="the council's goals, one row each, and the committees with public goals",
    ),
    Case(
        "publishing@large",
        "large",
        150,
        None,
        page_target("portal:publishing"),
        page="portal:publishing",
    ),
    # Issue 17: the steering document register, a document, the service guarantees of
    # a unit and the glossary (at the demo's size: the register is paginated).
    Case(
        "steering_register@demo",
        "demo",
        150,
        None,
        page_target("steering:register"),
        page="steering:register",
    ),
    Case(
        "steering_create@demo",
        "demo",
        150,
        None,
        steering_form_target,
        page="steering:create",
    ),
    Case(
        "steering_create@large",
        "large",
        150,
        None,
        steering_form_target,
        page="steering:create",
        grows="the goals offered: the council's and those of the committee with the most",
    ),
    Case("steering_detail@demo", "demo", 150, None, steering_detail_target, page="steering:detail"),
    Case("guarantees@demo", "demo", 150, None, guarantee_list_target, page="goals:guarantee_list"),
    Case("glossary@demo", "demo", 150, None, page_target("glossary"), page="glossary"),
    # ... and at the size of the largest municipality (seed_scale: 150 documents of the
    # committees, 120 guarantees of units, the glossary), with its risk analyses.
    Case(
        "steering_register@large",
        "large",
        150,
        None,
        page_target("steering:register"),
        page="steering:register",
    ),
    Case(
        "steering_detail@large", "large", 150, None, steering_detail_target, page="steering:detail"
    ),
    Case(
        "guarantees@large", "large", 150, None, guarantee_list_target, page="goals:guarantee_list"
    ),
    Case("glossary@large", "large", 150, None, page_target("glossary"), page="glossary"),
    Case(
        "risk_analysis@large",
        "large",
        150,
        None,
        risk_analysis_target,
        page="control:analysis_detail",
    ),
    Case(
        "glossary_term_create@demo",
        "demo",
        150,
        None,
        page_target("glossary_term_create"),
        page="glossary_term_create",
    ),
]
# Built into the cached database after seed_scale (see prepare_database).
PREPARED = {
    size: "followup round: " + json.dumps(BENCH_ROUND, sort_keys=True)
    for size in ("large", "xlarge")
}


# --------------------------------------------------------------------------- databases


def source_hash(size: str) -> str:
    """What the cached database depends on: the generator, the commands, the migrations."""
    files = [
        *sorted((ROOT / "demo").rglob("*.py")),
        *sorted((ROOT / "demo" / "data").glob("*.toml")),
    ]
    for app in sorted(p for p in ROOT.iterdir() if (p / "migrations").is_dir()):
        files += sorted((app / "migrations").glob("*.py"))
    digest = hashlib.sha256(size.encode())
    digest.update(PREPARED.get(size, "").encode())
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


@contextmanager
def _pg_admin():
    """An autocommit connection to the server, for CREATE/DROP/COMMENT ON DATABASE."""
    import psycopg

    try:
        conn = psycopg.connect(base_url(), autocommit=True)
    except psycopg.OperationalError:  # DATABASE_URL's own database may not exist yet
        conn = psycopg.connect(database_url("", name="postgres"), autocommit=True)
    try:
        yield conn
    finally:
        conn.close()


def _pg_stamp(name: str) -> str | None:
    """The stamp of the PostgreSQL database ``name`` (its COMMENT), None if it is missing."""
    with _pg_admin() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else (row[0] or "")


def _pg_drop_create(name: str, template: str | None = None) -> None:
    from psycopg import sql

    with _pg_admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if template is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        else:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )


def _pg_drop(name: str) -> None:
    from psycopg import sql

    with _pg_admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _pg_set_stamp(name: str, stamp: str) -> None:
    from psycopg import sql

    with _pg_admin() as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(stamp))
        )


def database_label(size: str) -> str:
    return str(db_path(size).relative_to(ROOT)) if engine() == "sqlite" else pg_name(size)


def subprocess_env(size: str, url: str | None = None) -> dict[str, str]:
    """The environment of a subprocess working on the bench database of ``size``."""
    return {
        **os.environ,
        BASE_URL_ENV: base_url(),
        "DATABASE_URL": url or database_url(size),
        "LEDMOT_ALLOW_DEMO_SEED": "1",  # the bench databases are the bench's own
    }


def ensure_database(size: str, rebuild: bool = False) -> None:
    """Build the bench database of ``size`` unless it exists with the stamp of the current
    generator and migrations: a SQLite file with a ``.stamp`` file beside it, or a
    PostgreSQL database (``<DATABASE_URL's name>_bench_<size>``) whose COMMENT is the
    stamp, written last, so a build that did not finish is rebuilt."""
    wanted = STAMP_PREFIX + source_hash(size)
    label = database_label(size)
    if engine() == "sqlite":
        db = db_path(size)
        stamp = db.with_name(db.name + ".stamp")
        found = stamp.read_text().strip() if db.exists() and stamp.exists() else None
        # Stamps written before the prefix existed hold the hash alone.
        found = found and (found if found.startswith(STAMP_PREFIX) else STAMP_PREFIX + found)
    else:
        found = _pg_stamp(pg_name(size))
    if not rebuild and found == wanted:
        print(f"  {label}: återanvänds")
        return
    if engine() == "sqlite":
        VAR.mkdir(exist_ok=True)
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), stamp):
            path.unlink(missing_ok=True)
    else:
        _pg_drop_create(pg_name(size))
    env = subprocess_env(size)
    started = time.perf_counter()
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    seeded = time.perf_counter()
    subprocess.run(
        [*manage, "seed_scale", "--size", size],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    done = time.perf_counter()
    prepared = ""
    if size in PREPARED:
        cmd = [PYTHON, str(Path(__file__).resolve()), "--prepare", size]
        subprocess.run(cmd, cwd=ROOT, env=env, check=True)
        prepared = f", uppföljning {time.perf_counter() - done:.1f} s"
    if engine() == "sqlite":
        stamp.write_text(wanted + "\n")
    else:
        _pg_set_stamp(pg_name(size), wanted)
    print(
        f"  {label}: byggd (migrate {seeded - started:.1f} s, "
        f"seed_scale --size {size} {done - seeded:.1f} s{prepared})"
    )


@contextmanager
def database_copy(size: str, workdir: Path) -> Iterator[str]:
    """A copy of the bench database of ``size`` for a job that may write: a copied file
    in ``workdir``, or a PostgreSQL database created from it as a template and dropped
    afterwards. Yields its DATABASE_URL."""
    if engine() == "sqlite":
        db = workdir / "bench.sqlite3"
        shutil.copyfile(db_path(size), db)
        yield f"sqlite:///{db}"
        return
    name = pg_name(size) + "_job"
    _pg_drop_create(name, template=pg_name(size))
    try:
        yield database_url(size, name=name)
    finally:
        _pg_drop(name)


# --------------------------------------------------------------------------- results


def merge_results(path: Path, key: str | tuple[str, ...], entries, *, order=None) -> dict:
    """Write ``entries`` under ``key`` of the results file without erasing the rest: a
    list of named entries replaces those of the same name and keeps the others (a run
    of some cases with ``--only``, the jobs, the load test), in ``order`` of names; any
    other value replaces the key's. Every other key of the file is kept as it was.
    ``key`` may be a path of keys, e.g. ``("postgresql", "cases")``: the figures of one
    database engine never overwrite the other's."""
    data = json.loads(path.read_text()) if path.exists() else {}
    *parents, last = (key,) if isinstance(key, str) else key
    node = data
    for name in parents:
        node = node.setdefault(name, {})
    if isinstance(entries, list):
        fresh = {e["name"]: e for e in entries}
        kept = [e for e in node.get(last, []) if e.get("name") not in fresh]
        rank = {name: i for i, name in enumerate(order or ())}
        entries = sorted(
            [*kept, *fresh.values()], key=lambda e: (rank.get(e["name"], len(rank)), e["name"])
        )
    node[last] = entries
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return data


# The layout before the figures were kept per database engine (all of it SQLite).
OLD_KEYS = ("cases", "size", "jobs")


def forget_old_layout(path: Path) -> None:
    """Drop the top-level figures of the layout before engines were kept apart: they were
    measured without the connection modes and would read as current."""
    if not path.exists():
        return
    data = json.loads(path.read_text())
    if any(k in data for k in OLD_KEYS):
        for k in OLD_KEYS:
            data.pop(k, None)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def database_size(counts: dict[str, int]) -> int:
    """The size of a data set for the growth exponent: what the pages list and count."""
    return counts["results"] + counts["goals"] + counts["activities"]


def growth_exponent(sizes: list[float], times: list[float]) -> float | None:
    """The slope of log(time) against log(size), least squares: 0 for a page whose cost
    does not depend on the size of the database, 1 for one that grows in proportion.
    None with fewer than two distinct sizes."""
    import math

    points = [(math.log(s), math.log(t)) for s, t in zip(sizes, times, strict=True) if t]
    if len({x for x, _ in points}) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    return sxy / sxx


def growth_verdicts(pages: list[dict], measure: str = "p50_ms") -> list[dict]:
    """Each page's exponents over the sizes measured (of its ``measure``: wall or CPU
    time), and whether it is as declared. ``exponent`` is fitted over every size;
    ``exponent_top`` is the step between the two largest, where a page's own fixed cost
    (Django, the layout) no longer hides what grows: at demo size every page costs about
    the same, which pulls the fitted line flat. A page of fixed size has both within
    ±MAX_FLAT_EXPONENT of 0; a page declared to grow (with its reason) is reported, not
    judged."""
    out = []
    for page in pages:
        points = sorted(
            (m["size"], m[measure]) for m in page["measured"].values() if m.get(measure)
        )
        exponent = growth_exponent([s for s, _ in points], [t for _, t in points])
        top = growth_exponent(*map(list, zip(*points[-2:], strict=True))) if points else None
        flat = all(e is not None and abs(e) <= MAX_FLAT_EXPONENT for e in (exponent, top))
        out.append(
            {
                **page,
                "exponent": None if exponent is None else round(exponent, 3),
                "exponent_top": None if top is None else round(top, 3),
                "measure": measure,
                "ok": bool(page["grows"]) or flat,
            }
        )
    return out


# --------------------------------------------------------------------------- worker


def _setup_django(size: str) -> None:
    os.environ[BASE_URL_ENV] = base_url()
    os.environ["DATABASE_URL"] = database_url(size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledmot.settings")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def prepare_database(size: str) -> None:
    """Runs in a subprocess after seed_scale: what the cases need beyond the seed."""
    _setup_django(size)
    if size in PREPARED:
        rnd = _bench_round()
        print(f"  {rnd}: {rnd.reports.count()} rapporter")


def dataset_counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from goals.models import Activity, Goal, Indicator, Measurement
    from ledmot.models import OrgUnit

    return {
        "org_units": OrgUnit.objects.count(),
        "goals": Goal.objects.count(),
        "activities": Activity.objects.count(),
        "indicators": Indicator.objects.count(),
        "results": Measurement.objects.count(),
        "users": get_user_model().objects.count(),
    }


def _timed(
    get, requests: int, modes: tuple[str, ...], cpu: dict[str, list[float]] | None = None
) -> dict[str, list[float]]:
    """Milliseconds per request in each connection mode, the modes taking turns so a busy
    moment of the machine falls on both alike:

    - ``new``: as production serves a request: Django's handler calls
      ``close_old_connections`` when a request starts and when it ends (the test client
      disconnects that signal, so it is called here), which with ``CONN_MAX_AGE=0`` (the
      default) closes the connection: every request opens its own; the close is timed
      with the request.
    - ``persistent``: on a connection that stays open between requests: one opened
      after a ``new`` request first serves a request untimed.

    ``cpu`` (if given) receives the CPU milliseconds of this process per request, which a
    busy machine does not inflate as it does wall time (the database server's CPU is in
    it on SQLite, not on PostgreSQL).
    """
    from django.db import close_old_connections, connection

    times: dict[str, list[float]] = {m: [] for m in modes}
    for _ in range(requests):
        for mode in modes:
            if mode == "new":
                close_old_connections()
            else:
                # The ``new`` request before closed the connection: a connection opened
                # here would make this a first request on a cold connection (empty
                # SQLite page cache, a PostgreSQL backend without its catalog caches),
                # not one on a connection that stays open. It serves one request untimed.
                fresh = connection.connection is None
                connection.ensure_connection()
                if fresh:
                    get()
            started, started_cpu = time.perf_counter(), time.process_time()
            get()
            if mode == "new":
                close_old_connections()
            times[mode].append((time.perf_counter() - started) * 1000)
            if cpu is not None:
                cpu.setdefault(mode, []).append((time.process_time() - started_cpu) * 1000)
    return times


def run_worker(size: str, names: list[str], requests: int, out: Path, growth=False) -> None:
    """Runs in a subprocess: Django against the database of ``size``. With ``growth``,
    ``names`` are the cases whose page is timed at this size (persistent connection,
    no floor)."""
    _setup_django(size)
    from django.conf import settings

    # Production-like: no query log and no template debug information.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = dataset_counts()
    clients: dict[str, Client] = {}
    conn_max_age = connection.settings_dict["CONN_MAX_AGE"]

    def client_for(persona: str) -> Client:
        if persona == ANONYMOUS:
            return clients.setdefault(ANONYMOUS, Client())
        if persona not in clients:
            user = get_user_model().objects.get(username=persona)
            clients[persona] = Client()
            clients[persona].force_login(user, backend="ledmot.signin.PasswordBackend")
        return clients[persona]

    results = []
    for case in (c for c in CASES if c.name in names):
        row = {
            "name": case.name.split("@")[0] if growth else case.name,
            "size": size,
            "engine": connection.vendor,
            "dataset": counts,
            "path": None,
            "persona": None,
            "note": "",
            "p50_ms": None,
            "p95_ms": None,
            "connections": {},
            "conn_max_age": conn_max_age,
            "queries": None,
            "floor_ms": None,
            "target_p95_ms": case.target_p95_ms,
            "max_queries": case.max_queries,
            "ok": False,
            "error": None,
        }
        results.append(row)
        try:
            target = case.target()
            row["path"], row["note"] = target.path, target.note
            row["persona"] = target.persona or PERSONA
            client = client_for(row["persona"])

            def get(target=target, client=client):
                if target.request is not None:
                    return target.request(client)
                response = client.get(target.path, headers=target.headers)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {target.path} gav {response.status_code}")
                return response

            for _ in range(GROWTH_WARMUP if growth else WARMUP):
                response = get()
            if target.request is None:
                row["html_bytes"] = len(response.content)  # what the user's browser receives
            with CaptureQueriesContext(connection) as captured:
                get()
            row["queries"] = len(captured.captured_queries)
            modes = ("persistent",) if growth else ("new", "persistent")
            cpu: dict[str, list[float]] = {}
            times = _timed(get, requests, modes, cpu)
            row["connections"] = {
                mode: {
                    "p50_ms": round(statistics.median(t), 2),
                    "p95_ms": round(_percentile(t, 95), 2),
                    "cpu_p50_ms": round(statistics.median(cpu[mode]), 2),
                }
                for mode, t in times.items()
            }
            # The target applies to the connection mode production has.
            row.update(row["connections"][modes[0]])
            if growth:
                row["ok"] = True
                continue

            floor = []
            n_rows = None
            if target.floor is not None or target.floor_sql:
                with connection.cursor() as cursor:
                    for _ in range(FLOOR_RUNS):
                        started = time.perf_counter()
                        if target.floor is not None:
                            n_rows = target.floor(cursor)
                        else:
                            cursor.execute(target.floor_sql, target.floor_params)
                            n_rows = len(cursor.fetchall())
                        floor.append((time.perf_counter() - started) * 1000)
            row["floor_ms"] = round(statistics.median(floor), 2) if floor else None
            row["floor_rows"] = n_rows
            # Like for like: the floor runs on an open connection, so the page's time on
            # one is what it is compared with.
            persistent = row["connections"]["persistent"]["p50_ms"]
            row["ratio"] = round(persistent / row["floor_ms"], 2) if row["floor_ms"] else None
            row["max_ratio"] = case.max_ratio
            row["ok"] = (
                row["p95_ms"] <= case.target_p95_ms
                and (case.max_queries is None or row["queries"] <= case.max_queries)
                and (case.max_ratio is None or (row["ratio"] or 0) <= case.max_ratio)
            )
        except Exception as exc:  # reported, and the run exits non-zero
            row["error"] = f"{type(exc).__name__}: {exc}"
        finally:  # progress: a run of every case takes minutes
            done = row["error"] or (
                f"p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, CPU {row.get('cpu_p50_ms')} ms"
            )
            print(f"    {row['name']} ({size}): {done}", flush=True)

    out.write_text(json.dumps({"cases": results, "size": counts}, ensure_ascii=False))


def _run_worker(size: str, names: list[str], requests: int, tmp: Path, growth=False):
    """The worker of ``size`` in a subprocess; its figures, or None if it failed."""
    out = Path(tmp) / f"{size}{'-growth' if growth else ''}.json"
    cmd = [PYTHON, str(Path(__file__).resolve()), "--worker", size]
    cmd += ["--requests", str(requests), "--out", str(out)]
    cmd += [*(["--growth"] if growth else []), "--cases", *names]
    proc = subprocess.run(cmd, cwd=ROOT, env=subprocess_env(size), check=False)
    if proc.returncode != 0 or not out.exists():
        print(f"Mätningen för {size} misslyckades ({proc.returncode}).", file=sys.stderr)
        return None
    return json.loads(out.read_text())


# --------------------------------------------------------------------------- main


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def print_table(cases: list[dict]) -> None:
    header = (
        "case",
        "p50 ms",
        "p95 ms",
        "p95 open",
        "cpu ms",
        "queries",
        "floor ms",
        "ratio",
        "target",
        "",
    )
    rows = [header]
    for c in cases:
        target = f"≤{c['target_p95_ms']:g} ms"
        if c["max_queries"] is not None:
            target += f", ≤{c['max_queries']} q"
        if c.get("max_ratio") is not None:
            target += f", ≤{c['max_ratio']:g}× floor"
        verdict = "ERROR" if c.get("error") else ("OK" if c["ok"] else "MISS")
        persistent = c.get("connections", {}).get("persistent", {})
        rows.append(
            (
                c["name"],
                _fmt(c["p50_ms"]),
                _fmt(c["p95_ms"]),
                _fmt(persistent.get("p95_ms")),
                _fmt(c.get("cpu_p50_ms")),
                _fmt(c["queries"]),
                _fmt(c["floor_ms"], 2),
                _fmt(c.get("ratio"), 2),
                target,
                verdict,
            )
        )
    from bench.jobs import print_columns  # bench/ is on sys.path once main() runs

    print_columns(rows, left=(0, 8, 9))
    print(
        "  p50/p95: en ny databasanslutning per anrop som i produktion (CONN_MAX_AGE "
        f"{cases[0]['conn_max_age'] if cases else '–'}); p95 open: anslutningen hålls öppen; "
        "ratio: öppen anslutning mot golvet; cpu ms: processens CPU-tid per anrop (p50)"
    )
    for c in cases:
        detail = c.get("error") or c.get("note")
        if detail:
            print(f"  {c['name']}: {c.get('path') or ''} {detail}")


def growth_cases() -> list[Case]:
    """The pages --growth times: the page of each request case (GET) once, as its case at
    large size has it (its ``grows``)."""
    chosen: dict[str, Case] = {}
    for case in CASES:
        base = case.name.split("@")[0]
        if case.target is save_values_target:
            continue  # a write, not a page
        if base not in chosen or case.size == "large":
            chosen.setdefault(base, case)
            if case.size == "large" and chosen[base].size != "large":
                chosen[base] = case
    return list(chosen.values())


def print_growth(pages: list[dict], sizes: dict[str, dict]) -> None:
    measure = pages[0]["measure"] if pages else "p50_ms"
    header = ("page", *(f"{s} ms" for s in GROWTH_SIZES), "exponent", "top", "")
    table = [header]
    for p in pages:
        ms = [_fmt(p["measured"].get(s, {}).get(measure)) for s in GROWTH_SIZES]
        if p.get("error"):
            verdict = "ERROR"
        elif p["grows"]:
            verdict = "växer"
        else:
            verdict = "OK" if p["ok"] else "NOT FLAT"
        table.append((p["name"], *ms, _fmt(p["exponent"], 2), _fmt(p["exponent_top"], 2), verdict))
    from bench.jobs import print_columns

    print_columns(table, left=(0, len(header) - 1))
    print(
        "  storlek (utfall + mål + aktiviteter): "
        + ", ".join(f"{s} {database_size(c)}" for s, c in sizes.items())
    )
    print(
        f"  tid: {'CPU-tid' if measure == 'cpu_p50_ms' else 'väggtid'} (p50); "
        "exponent: lutningen av log(tid) mot log(storlek) över alla storlekar, top: mellan "
        f"de två största; fast storlek: båda inom ±{MAX_FLAT_EXPONENT}"
    )
    for p in pages:
        if p["grows"]:
            print(f"  {p['name']} växer: {p['grows']}")
        for s, m in p["measured"].items():
            if m.get("error"):
                print(f"  {p['name']}@{s}: {m['error']}")


def run_growth(args, results_path: Path) -> int:
    """``--growth``: the main pages at every size of GROWTH_SIZES and their exponents."""
    cases = growth_cases()
    if args.only:  # a page by its name with or without the size: activity_list, …@large
        cases = [c for c in cases if {c.name, c.name.split("@")[0]} & set(args.only)]
        if not cases:
            print(f"Inga sidor heter {', '.join(args.only)}", file=sys.stderr)
            return 2
    print("Databaser:")
    try:
        for size in GROWTH_SIZES:
            ensure_database(size, rebuild=args.rebuild)
    except subprocess.CalledProcessError as exc:
        print(f"Kunde inte bygga databasen: {exc}", file=sys.stderr)
        return 2
    requests = args.requests or GROWTH_REQUESTS
    sizes: dict[str, dict] = {}
    pages = {
        c.name.split("@")[0]: {"name": c.name.split("@")[0], "grows": c.grows, "measured": {}}
        for c in cases
    }
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for size in GROWTH_SIZES:
            got = _run_worker(size, [c.name for c in cases], requests, Path(tmp), growth=True)
            if got is None:
                failed = True
                continue
            sizes[size] = {**got["size"], "size": database_size(got["size"])}
            for row in got["cases"]:
                pages[row["name"]]["measured"][size] = {
                    "size": sizes[size]["size"],
                    "p50_ms": row["p50_ms"],
                    "cpu_p50_ms": row.get("cpu_p50_ms"),
                    "queries": row["queries"],
                    "path": row["path"],
                    "error": row["error"],
                }
    # On SQLite the database works in this process: its CPU time is the page's whole cost
    # and, unlike wall time, not inflated by a busy machine. On PostgreSQL the server's
    # share is not in it: wall time.
    measure = "cpu_p50_ms" if engine() == "sqlite" else "p50_ms"
    verdicts = growth_verdicts(list(pages.values()), measure)
    print()
    print_growth(verdicts, sizes)
    merge_results(
        results_path,
        (engine(), "growth"),
        {"sizes": sizes, "max_flat_exponent": MAX_FLAT_EXPONENT, "pages": verdicts},
    )
    print(f"\nResultat: {results_path.relative_to(ROOT)} ({engine()}, growth)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, help="timed requests per case (50; --growth 30)")
    parser.add_argument("--only", nargs="*", metavar="CASE", help="run only these cases")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases")
    parser.add_argument(
        "--growth", action="store_true", help="time the main pages at demo, large and xlarge"
    )
    parser.add_argument("--worker", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--cases", nargs="*", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        run_worker(args.worker, args.cases, args.requests, args.out, growth=args.growth)
        return 0
    if args.prepare:
        prepare_database(args.prepare)
        return 0

    sys.path.insert(0, str(ROOT))
    forget_old_layout(RESULTS)
    if args.growth:
        return run_growth(args, RESULTS)
    from bench.jobs import JOB_CASES, print_job_table, run_job_cases

    known = {c.name for c in CASES} | {j.name for j in JOB_CASES}
    unknown = set(args.only or ()) - known
    if unknown:
        parser.error(f"okända fall: {', '.join(sorted(unknown))} (finns: {', '.join(known)})")
    selected = [c for c in CASES if not args.only or c.name in args.only]
    selected_jobs = [j for j in JOB_CASES if not args.only or j.name in args.only]
    needed = {c.size for c in selected} | {j.size for j in selected_jobs}

    print(f"Databaser ({engine()}):")
    try:
        for size in (s for s in SIZES if s in needed):
            ensure_database(size, rebuild=args.rebuild)
    except subprocess.CalledProcessError as exc:
        print(f"Kunde inte bygga databasen: {exc}", file=sys.stderr)
        return 2

    results: dict[str, dict] = {}
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for size in (s for s in SIZES if s in needed):
            names = [c.name for c in selected if c.size == size]
            got = _run_worker(size, names, args.requests or 50, Path(tmp))
            if got is None:
                failed = True
                continue
            results[size] = got

    by_name = {c["name"]: c for r in results.values() for c in r["cases"]}
    cases = [by_name[c.name] for c in selected if c.name in by_name]
    print()
    print_table(cases)
    key = engine()
    merge_results(RESULTS, (key, "cases"), cases, order=[c.name for c in CASES])
    for size, got in results.items():
        merge_results(RESULTS, (key, "sizes", size), got["size"])
    # One-off jobs (bench/jobs.py): seconds and peak memory, each on a copy of the database.
    jobs = run_job_cases([j.name for j in selected_jobs], database_copy)
    for job in jobs:
        job["engine"] = key
        job["dataset"] = results.get(job["size"], {}).get("size")
    if jobs:
        print()
        print_job_table(jobs)
        merge_results(RESULTS, (key, "jobs"), jobs, order=[j.name for j in JOB_CASES])
    print(f"\nResultat: {RESULTS.relative_to(ROOT)} ({key})")
    if failed or any(c.get("error") for c in cases + jobs):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
