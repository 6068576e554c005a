"""LedMot benchmark: server time and SQL queries of the key pages, demo and large size.

    .venv/bin/python bench/run.py [--requests 50] [--only chain@large ...] [--rebuild]

1. Makes sure the databases exist: ``var/bench-demo.sqlite3`` and
   ``var/bench-large.sqlite3``, built by ``manage.py migrate`` + ``manage.py
   seed_scale --size …`` in a subprocess and reused while a stamp file records the
   same hash of the generator, the seed commands and the migrations. The large
   municipality has no follow-up of its own: the build then opens one
   (:func:`prepare_database`, :data:`BENCH_ROUND`) so the follow-up cases find it.
2. For each size, runs the cases in a subprocess with Django set up against that
   database: logs in the ``politiker`` persona (force_login), warms up, times the
   requests (server time around ``client.get``), counts the SQL queries of one
   request, and times the *floor*: one raw SQL query fetching the rows the page shows,
   or, for Röda tråden, a hand-written renderer (``bench/floors.py``: raw SQL for every
   value the page shows and the same elements joined as strings), whose ratio page
   p50 / floor p50 is printed and, with ``max_ratio``, part of the target.
   A case that writes (``save_values``: the results form posted by ``enhetschef``)
   runs each request in a rolled-back transaction, so the database stays as built;
   its floor is one multi-row INSERT of the same number of values.
3. Prints a table and writes ``bench/results.json``.
4. Runs the one-off job cases of ``bench/jobs.py`` (an Excel export or import, a PDF:
   ``seconds`` and ``peak_mb`` of one run on a copy of the database) and adds them
   under ``"jobs"``.

The exit status is 0 even when a target is missed (the table says MISS); it is
non-zero only when something fails (a build, a worker, a page that does not answer 200).

Add a case by appending a :class:`Case` to :data:`CASES`: a name, the database size, the
targets, and a function that picks the page to request (and its floor query) once
Django is set up.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
RESULTS = ROOT / "bench" / "results.json"
PYTHON = sys.executable
SIZES = ("demo", "large")
PERSONA = "politiker"
WARMUP = 5
FLOOR_RUNS = 20


def db_path(size: str) -> Path:
    return VAR / f"bench-{size}.sqlite3"


def database_url(size: str) -> str:
    return f"sqlite:///{db_path(size)}"  # an absolute path: sqlite:////work/…


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
    size: str  # "demo" or "large"
    target_p95_ms: float
    max_queries: int | None  # None: not part of the target
    target: Callable[[], Target]  # called in the worker, after django.setup()
    # Page p50 / floor p50 at most this, when the floor is a hand-written renderer
    # (bench/floors.py) that shows what the page shows; None: not part of the target.
    max_ratio: float | None = None


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
        SELECT i.id, i.name, tg.year, 'target', tg.value
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
    check.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
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
    return f"""
        SELECT CASE WHEN INSTR(SUBSTR(o.path, INSTR(o.path, '/') + 1), '/') > 0
                    THEN SUBSTR(o.path, INSTR(o.path, '/') + 1,
                                INSTR(SUBSTR(o.path, INSTR(o.path, '/') + 1), '/') - 1) END,
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
        SELECT 'own', a.id, a.chosen, g.title
        FROM {t["assessment"]} a JOIN {t["goal"]} g ON g.id = a.goal_id
        WHERE a.report_id = %s
        UNION ALL
        SELECT 'below', a.id, a.chosen, g.parent_id
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
    from followup.access import can_approve_report, can_edit_report

    rnd = _bench_round()
    report = _largest_committee_report(rnd)
    user = get_user_model().objects.get(username=FOLLOWUP_PERSONA)
    shown = {
        "report_id": report.pk,
        "editable": can_edit_report(user, report),
        "can_approve": can_approve_report(user, report),
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
        SELECT 'committee', r.id, r.status, o.name
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


CASES: list[Case] = [
    Case("chain@demo", "demo", 150, 8, chain_target),
    Case("chain@large", "large", 150, 8, chain_target, max_ratio=2.0),
    Case("branch@large", "large", 50, None, branch_target),
    Case("goal_page@large", "large", 100, None, goal_page_target),
    Case("goal_indicators@large", "large", 100, None, goal_indicators_target),
    Case("save_values@large", "large", 300, None, save_values_target),
    Case("followup_dashboard@large", "large", 150, None, followup_dashboard_target),
    Case(
        "followup_dashboard_committee@large",
        "large",
        150,
        None,
        followup_dashboard_committee_target,
    ),
    Case("committee_report@large", "large", 150, None, committee_report_target, max_ratio=2.5),
    Case("council_report@large", "large", 150, None, council_report_target),
    Case("priority_overview@demo", "demo", 150, 7, priority_overview_target),
    Case("priority_overview@large", "large", 150, 7, priority_overview_target),
    Case("structure@large", "large", 150, 7, structure_target),
]
# Built into the cached database after seed_scale (see prepare_database).
PREPARED = {"large": "followup round: " + json.dumps(BENCH_ROUND, sort_keys=True)}


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


def ensure_database(size: str, rebuild: bool = False) -> None:
    db = db_path(size)
    stamp = db.with_name(db.name + ".stamp")
    wanted = source_hash(size)
    if not rebuild and db.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        print(f"  {db.relative_to(ROOT)}: återanvänds")
        return
    VAR.mkdir(exist_ok=True)
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), stamp):
        path.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url(size)}
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
    stamp.write_text(wanted + "\n")
    print(
        f"  {db.relative_to(ROOT)}: byggd (migrate {seeded - started:.1f} s, "
        f"seed_scale --size {size} {done - seeded:.1f} s{prepared})"
    )


# --------------------------------------------------------------------------- worker


def merge_results(path: Path, key: str, entries, *, order=None) -> dict:
    """Write ``entries`` under ``key`` of the results file without erasing the rest: a
    list of named entries replaces those of the same name and keeps the others (a run
    of some cases with ``--only``, the jobs, the load test), in ``order`` of names; any
    other value replaces the key's. Every other key of the file is kept as it was."""
    data = json.loads(path.read_text()) if path.exists() else {}
    if isinstance(entries, list):
        fresh = {e["name"]: e for e in entries}
        kept = [e for e in data.get(key, []) if e.get("name") not in fresh]
        rank = {name: i for i, name in enumerate(order or ())}
        entries = sorted(
            [*kept, *fresh.values()], key=lambda e: (rank.get(e["name"], len(rank)), e["name"])
        )
    data[key] = entries
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return data


def _percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def _setup_django(size: str) -> None:
    os.environ["DATABASE_URL"] = database_url(size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledmot.settings")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def prepare_database(size: str) -> None:
    """Runs in a subprocess after seed_scale: what the cases need beyond the seed."""
    _setup_django(size)
    if size == "large":
        rnd = _bench_round()
        print(f"  {rnd}: {rnd.reports.count()} rapporter")


def run_worker(size: str, names: list[str], requests: int, out: Path) -> None:
    """Runs in a subprocess: Django against the database of ``size``."""
    _setup_django(size)
    from django.conf import settings

    # Production-like: no query log and no template debug information.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from goals.models import Activity, Goal, Indicator
    from ledmot.models import OrgUnit

    clients: dict[str, Client] = {}

    def client_for(persona: str) -> Client:
        if persona not in clients:
            user = get_user_model().objects.get(username=persona)
            clients[persona] = Client()
            clients[persona].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return clients[persona]

    results = []
    for case in (c for c in CASES if c.name in names):
        row = {
            "name": case.name,
            "path": None,
            "note": "",
            "p50_ms": None,
            "p95_ms": None,
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
            client = client_for(target.persona or PERSONA)

            def get(target=target, client=client):
                if target.request is not None:
                    return target.request(client)
                response = client.get(target.path, headers=target.headers)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {target.path} gav {response.status_code}")
                return response

            for _ in range(WARMUP):
                response = get()
            if target.request is None:
                row["html_bytes"] = len(response.content)  # what the user's browser receives
            with CaptureQueriesContext(connection) as captured:
                get()
            row["queries"] = len(captured.captured_queries)
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                get()
                times.append((time.perf_counter() - started) * 1000)
            row["p50_ms"] = round(statistics.median(times), 2)
            row["p95_ms"] = round(_percentile(times, 95), 2)

            floor = []
            with connection.cursor() as cursor:
                for _ in range(FLOOR_RUNS):
                    started = time.perf_counter()
                    if target.floor is not None:
                        n_rows = target.floor(cursor)
                    else:
                        cursor.execute(target.floor_sql, target.floor_params)
                        n_rows = len(cursor.fetchall())
                    floor.append((time.perf_counter() - started) * 1000)
            row["floor_ms"] = round(statistics.median(floor), 2)
            row["floor_rows"] = n_rows
            row["ratio"] = round(row["p50_ms"] / row["floor_ms"], 2) if row["floor_ms"] else None
            row["max_ratio"] = case.max_ratio
            row["ok"] = (
                row["p95_ms"] <= case.target_p95_ms
                and (case.max_queries is None or row["queries"] <= case.max_queries)
                and (case.max_ratio is None or (row["ratio"] or 0) <= case.max_ratio)
            )
        except Exception as exc:  # reported, and the run exits non-zero
            row["error"] = f"{type(exc).__name__}: {exc}"

    size_info = {
        "org_units": OrgUnit.objects.count(),
        "goals": Goal.objects.count(),
        "activities": Activity.objects.count(),
        "indicators": Indicator.objects.count(),
    }
    out.write_text(json.dumps({"cases": results, "size": size_info}, ensure_ascii=False))


# --------------------------------------------------------------------------- main


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def print_table(cases: list[dict]) -> None:
    header = ("case", "p50 ms", "p95 ms", "queries", "floor ms", "ratio", "target", "")
    rows = [header]
    for c in cases:
        target = f"≤{c['target_p95_ms']:g} ms"
        if c["max_queries"] is not None:
            target += f", ≤{c['max_queries']} q"
        if c.get("max_ratio") is not None:
            target += f", ≤{c['max_ratio']:g}× floor"
        verdict = "ERROR" if c.get("error") else ("OK" if c["ok"] else "MISS")
        rows.append(
            (
                c["name"],
                _fmt(c["p50_ms"]),
                _fmt(c["p95_ms"]),
                _fmt(c["queries"]),
                _fmt(c["floor_ms"], 2),
                _fmt(c.get("ratio"), 2),
                target,
                verdict,
            )
        )
    from bench.jobs import print_columns  # bench/ is on sys.path once main() runs

    print_columns(rows, left=(0, 6, 7))
    for c in cases:
        detail = c.get("error") or c.get("note")
        if detail:
            print(f"  {c['name']}: {c.get('path') or ''} {detail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per case")
    parser.add_argument("--only", nargs="*", metavar="CASE", help="run only these cases")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases")
    parser.add_argument("--worker", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--cases", nargs="*", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        run_worker(args.worker, args.cases, args.requests, args.out)
        return 0
    if args.prepare:
        prepare_database(args.prepare)
        return 0

    sys.path.insert(0, str(ROOT))
    from bench.jobs import JOB_CASES, print_job_table, run_job_cases

    known = {c.name for c in CASES} | {j.name for j in JOB_CASES}
    unknown = set(args.only or ()) - known
    if unknown:
        parser.error(f"okända fall: {', '.join(sorted(unknown))} (finns: {', '.join(known)})")
    selected = [c for c in CASES if not args.only or c.name in args.only]
    selected_jobs = [j.name for j in JOB_CASES if not args.only or j.name in args.only]

    print("Databaser:")
    try:
        for size in SIZES:
            ensure_database(size, rebuild=args.rebuild)
    except subprocess.CalledProcessError as exc:
        print(f"Kunde inte bygga databasen: {exc}", file=sys.stderr)
        return 2

    results: dict[str, dict] = {}
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            names = [c.name for c in selected if c.size == size]
            if not names and size != "large":
                continue
            out = Path(tmp) / f"{size}.json"
            cmd = [PYTHON, str(Path(__file__).resolve()), "--worker", size]
            cmd += ["--requests", str(args.requests), "--out", str(out), "--cases", *names]
            proc = subprocess.run(cmd, cwd=ROOT, check=False)
            if proc.returncode != 0 or not out.exists():
                print(f"Mätningen för {size} misslyckades ({proc.returncode}).", file=sys.stderr)
                failed = True
                continue
            results[size] = json.loads(out.read_text())

    by_name = {c["name"]: c for r in results.values() for c in r["cases"]}
    cases = [by_name[c.name] for c in selected if c.name in by_name]
    print()
    print_table(cases)
    merge_results(RESULTS, "cases", cases, order=[c.name for c in CASES])
    if size_info := results.get("large", {}).get("size"):
        merge_results(RESULTS, "size", size_info)
    # One-off jobs (bench/jobs.py): seconds and peak memory, each on a copy of the database.
    jobs = run_job_cases(selected_jobs, db_path)
    if jobs:
        print()
        print_job_table(jobs)
        merge_results(RESULTS, "jobs", jobs, order=[j.name for j in JOB_CASES])
    print(f"\nResultat: {RESULTS.relative_to(ROOT)}")
    if failed or any(c.get("error") for c in cases + jobs):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
