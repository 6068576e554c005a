"""One-off jobs measured in seconds and peak memory (the second kind of bench case).

A request case (bench/run.py) times many small requests; a job case times one large
piece of work — an Excel export of 100,000 results, an import of 10,000 rows, a
300-page PDF — once, in a fresh process, and records:

- ``seconds``: wall time of the work itself (Django set up and the input prepared
  beforehand, outside the clock);
- ``peak_mb``: the peak resident memory of that process (``ru_maxrss``), which
  includes Python and Django (about 60–80 MB): the honest number a worker needs.

Each case runs on a *copy* of the bench database (``var/bench-<size>.sqlite3``, or on
PostgreSQL a database created from ``<name>_bench_<size>`` as a template), so it may add
data or write freely and the database stays as built. A case is a
:class:`JobCase` in :data:`JOB_CASES`:

- ``prepare(workdir)``: runs in a subprocess with Django set up against the copy,
  untimed; adds what the case needs (more rows, an input file in ``workdir``) and
  returns a note for the table;
- ``run(workdir)``: the timed work, in a second fresh subprocess against the same
  copy; returns a note (or "" to keep the one from ``prepare``).

``bench/run.py`` runs the selected job cases after the request cases and writes
them into ``bench/results.json`` under ``"jobs"``. To add one (say a PDF), write the
two functions and append a ``JobCase``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class JobCase:
    name: str
    size: str  # "demo", "large" or "xlarge": which bench database is copied
    max_seconds: float
    max_mb: float | None  # None: memory is recorded but not part of the target
    run: Callable[[Path], str]
    prepare: Callable[[Path], str] | None = None


# --------------------------------------------------------------------------- xlsx cases

EXPORT_RESULTS = 100_000  # at least this many result rows in the export case (the seed's)
IMPORT_RESULTS = 10_000  # result rows in the import case
IMPORT_PERSONA = "controller"  # controller at the council: may change everything


def prepare_xlsx_export(workdir: Path) -> str:
    """The results ``seed_scale --size large`` generated (yearly, tertial and monthly
    values of the periods their indicators allow): no filler rows, which earlier
    were monthly values on yearly indicators that the importer refuses."""
    from goals.models import Measurement

    n = Measurement.objects.count()
    if n < EXPORT_RESULTS:
        raise RuntimeError(f"{n} utfall i databasen, fallet behöver {EXPORT_RESULTS} (seed_scale)")
    return f"{n} utfall"


def run_xlsx_export(workdir: Path) -> str:
    """The background job's work (the page only starts it): everything, as a job
    without a user; its file goes to MEDIA_ROOT, set to the case's workdir."""
    from django.utils import translation

    from goals.workbook.jobs import export_work
    from goals.workbook.models import WorkbookExport

    with translation.override("sv"):
        job = WorkbookExport.objects.create()
        if not export_work(job):
            job.refresh_from_db()
            raise RuntimeError(job.error)
    counts = job.counts
    return (
        f"{counts['results']} utfall, {counts['goals']} mål, {counts['activities']} aktiviteter, "
        f"{job.size // 1024} kB"
    )


def prepare_xlsx_import(workdir: Path) -> str:
    """An Utfall sheet of 10,000 rows: half change existing values (Swedish number text)
    of periods no closed round has locked, half are new values (totals, women, men) of
    each indicator's period after the last day the data set knows, as its frequency
    has them (a year, a tertial or a month)."""
    import datetime

    from openpyxl import Workbook

    from goals.models import Indicator, Measurement
    from goals.periods import ReportingPeriod
    from goals.services import measurement_locks
    from goals.workbook.columns import RESULTS

    changed = IMPORT_RESULTS // 2
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(RESULTS.name)
    ws.append(RESULTS.headings)
    units = dict(Indicator.objects.values_list("pk", "responsible_unit_id"))
    locked = measurement_locks(set(units.values()))
    written = 0
    existing = Measurement.objects.order_by("pk").values_list(
        "indicator_id", "period", "gender", "value"
    )
    for ind, period, gender, value in existing.iterator(chunk_size=5000):
        if written == changed:
            break
        if (units[ind], period) in locked:
            continue
        ws.append([ind, period, gender, f"{(value or 0) + 1:.1f}".replace(".", ","), "Rättat"])
        written += 1
    # The day after the data set's last due period (31 Aug 2026): nothing stored yet.
    after = datetime.date(2026, 12, 31)
    indicators = list(Indicator.objects.order_by("pk").values_list("pk", "frequency"))
    new = 0
    for gender in ("T", "K", "M"):
        for ind, frequency in indicators:
            if new == IMPORT_RESULTS - changed:
                break
            period = ReportingPeriod.containing(after, frequency).key
            ws.append([ind, period, gender, 50 + new % 40, None])
            new += 1
    wb.save(workdir / "import.xlsx")
    return f"{written} ändrade + {new} nya utfall"


def run_xlsx_import(workdir: Path) -> str:
    from django.contrib.auth import get_user_model

    from goals.workbook.importer import apply_plan, read_plan
    from goals.workbook.safety import check_upload

    user = get_user_model().objects.get(username=IMPORT_PERSONA)
    with (workdir / "import.xlsx").open("rb") as fh:
        check_upload("import.xlsx", fh)
        plan = read_plan(fh, user=user)
    if not plan.ok:
        raise RuntimeError(f"{len(plan.problems)} fel, t.ex. {plan.problems[0]}")
    counts = apply_plan(plan, user=user)["results"]
    return f"{counts['create']} nya + {counts['change']} ändrade utfall sparade"


# --------------------------------------------------------------------------- pdf cases

PDF_COMMITTEE = "GVN"  # a committee of median size at large: 20 committee goals

ANALYSIS = (
    "Resultaten har förbättrats jämfört med föregående period men når inte hela vägen "
    "fram till målvärdet. Skillnaderna mellan enheterna är stora, och de enheter som "
    "arbetat med tidiga insatser och tät uppföljning visar tydligast förbättring. "
    "Personalomsättningen och svårigheten att rekrytera behörig personal påverkar "
    "fortfarande resultaten negativt."
)
MEASURES = (
    "Förvaltningen fortsätter med det systematiska kvalitetsarbetet, följer upp "
    "resultaten månadsvis och sprider arbetssätten från de enheter som lyckats."
)


def _pdf_round():
    """The open round (the interim report the bench's follow-up cases use), not the
    closed ones the large municipality also has."""
    from followup.models import FollowUpRound, RoundStatus

    rounds = FollowUpRound.objects.select_related("kind").order_by("pk")
    return rounds.filter(status=RoundStatus.OPEN).first() or rounds.first()


def prepare_pdf(workdir: Path) -> str:
    """The bench round as a controller sees it at the deadline: every council and
    committee goal assessed with an analysis and measures, one unit goal in ten not
    met with an analysis. Assessments are follow-up data without a version conflict
    here, so they are written in bulk in the copy."""
    from followup.models import GoalAssessment

    choices = ["met", "partly", "partly", "not_met"]
    rows = list(
        GoalAssessment.objects.filter(report__round=_pdf_round())
        .select_related("goal")
        .order_by("pk")
    )
    for i, a in enumerate(rows):
        if a.goal.level in ("kf", "namnd"):
            a.chosen, a.analysis, a.measures = choices[i % 4], ANALYSIS, MEASURES
        elif i % 10 == 0:
            a.chosen, a.analysis, a.measures = "not_met", ANALYSIS, MEASURES
        else:
            a.chosen = choices[i % 3]
    GoalAssessment.objects.bulk_update(rows, ["chosen", "analysis", "measures"], batch_size=2000)
    return f"{len(rows)} bedömningar ifyllda"


def _run_pdf(org_code: str | None) -> str:
    from django.utils import translation

    from followup.models import GeneratedReport
    from followup.report_document import report_title
    from followup.report_pdf import generated_report_render
    from ledmot.models import OrgUnit

    rnd = _pdf_round()
    org = OrgUnit.objects.get(code=org_code) if org_code else None
    job = GeneratedReport.objects.create(round=rnd, org_unit=org, title=report_title(rnd, org))
    with translation.override("sv"):
        if not generated_report_render(job):
            job.refresh_from_db()
            raise RuntimeError(job.error)
    job.refresh_from_db()
    return f"{job.pages} sidor, {job.size // 1024} kB"


def run_pdf_committee(workdir: Path) -> str:
    return _run_pdf(PDF_COMMITTEE)


def run_pdf_municipality(workdir: Path) -> str:
    return _run_pdf(None)


# --------------------------------------------------------------------------- rollover


def _rollover_year() -> int:
    """The year after the last year of the latest mandate period that holds goals: the
    heaviest plan, across the mandate boundary, where every kept goal is created anew
    (a later period, planned but still empty, e.g. for goal proposals, is its target)."""
    from goals.models import Goal

    return (
        Goal.objects.order_by("-mandate_period__start_year")
        .values_list("mandate_period__end_year", flat=True)
        .first()
        + 1
    )


def prepare_rollover(workdir: Path) -> str:
    from goals.models import Activity, Goal

    return f"{Goal.objects.count()} mål, {Activity.objects.count()} aktiviteter"


def run_rollover(workdir: Path) -> str:
    """Plan the next year with every default, as the worker does: the background job
    of "Skapa planen" (``goals.planning_jobs``) around ``year_plan_create``."""
    from django.contrib.auth import get_user_model

    from goals.models import YearPlanJob
    from goals.planning_jobs import year_plan_job_run

    user = get_user_model().objects.filter(is_superuser=True).first()
    job = YearPlanJob.objects.create(year=_rollover_year(), created_by=user)
    if not year_plan_job_run(job):
        raise RuntimeError(job.error)
    c = job.counts
    return (
        f"{c['goals']} nya mål, {c['targets']} målvärden, {c['activities']} aktiviteter, "
        f"{c['links']} indikatorkopplingar"
    )


JOB_CASES: list[JobCase] = [
    JobCase("xlsx_export@large", "large", 10, 150, run_xlsx_export, prepare_xlsx_export),
    JobCase("xlsx_import@large", "large", 5, None, run_xlsx_import, prepare_xlsx_import),
    JobCase("pdf_committee@large", "large", 5, None, run_pdf_committee, prepare_pdf),
    JobCase("pdf_municipality@large", "large", 30, 1024, run_pdf_municipality, prepare_pdf),
    # Issue 15: plan the next year (across the mandate boundary) for the large municipality.
    JobCase("rollover@large", "large", 20, 500, run_rollover, prepare_rollover),
    # The same at demo size: a quick check that the job runs (seconds, not a target).
    JobCase("rollover@demo", "demo", 20, 500, run_rollover, prepare_rollover),
    # Four times large: the growth check of the longest job (issue 12: ≤ 1 GB peak).
    JobCase("pdf_municipality@xlarge", "xlarge", 120, 1024, run_pdf_municipality, prepare_pdf),
]


# --------------------------------------------------------------------------- running


def _child(name: str, step: str, workdir: Path, out: Path) -> None:
    """In a subprocess: Django against the copy, then ``prepare`` or the timed ``run``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledmot.settings")
    sys.path.insert(0, str(ROOT))
    import warnings

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log
    case = next(c for c in JOB_CASES if c.name == name)
    if step == "prepare":
        note = case.prepare(workdir) if case.prepare else ""
        out.write_text(json.dumps({"note": note}))
        return
    started = time.perf_counter()
    note = case.run(workdir)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    out.write_text(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "note": note}))


def _subprocess(name: str, step: str, database_url: str, workdir: Path) -> dict:
    out = workdir / f"{step}.json"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "immediate",
        "MEDIA_ROOT": str(workdir / "media"),
    }
    cmd = [PYTHON, str(Path(__file__).resolve()), name, step, str(workdir), str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"{step} misslyckades ({proc.returncode}): {tail[0]}")
    return json.loads(out.read_text())


def run_job_cases(
    names: list[str], database_copy: Callable[[str, Path], AbstractContextManager[str]]
) -> list[dict]:
    """Run the named job cases, each on its own copy of the bench database
    (``database_copy(size, workdir)`` gives the copy's DATABASE_URL while it lasts)."""
    results = []
    for case in (c for c in JOB_CASES if c.name in names):
        row = {
            "name": case.name,
            "size": case.size,
            "seconds": None,
            "peak_mb": None,
            "max_seconds": case.max_seconds,
            "max_mb": case.max_mb,
            "note": "",
            "ok": False,
            "error": None,
        }
        results.append(row)
        with tempfile.TemporaryDirectory(prefix="ledmot-bench-") as tmp:
            workdir = Path(tmp)
            try:
                with database_copy(case.size, workdir) as url:
                    prepared = _subprocess(case.name, "prepare", url, workdir)
                    measured = _subprocess(case.name, "run", url, workdir)
            except Exception as exc:  # reported, and the run exits non-zero
                row["error"] = f"{type(exc).__name__}: {exc}"
                continue
        row["seconds"] = round(measured["seconds"], 2)
        row["peak_mb"] = round(measured["peak_mb"], 1)
        row["note"] = "; ".join(n for n in (prepared.get("note"), measured.get("note")) if n)
        row["ok"] = row["seconds"] <= case.max_seconds and (
            case.max_mb is None or row["peak_mb"] <= case.max_mb
        )
    return results


def print_columns(table: list[tuple[str, ...]], left: tuple[int, ...]) -> None:
    """Print ``table`` (heading row first) in aligned columns, numbers to the right,
    the columns in ``left`` to the left, a rule under the heading."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for i, row in enumerate(table):
        print(
            "  ".join(
                v.ljust(w) if j in left else v.rjust(w)
                for j, (v, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))


def print_job_table(rows: list[dict]) -> None:
    header = ("job", "seconds", "peak MB", "target", "")
    table = [header]
    for r in rows:
        target = f"≤{r['max_seconds']:g} s" + (f", ≤{r['max_mb']:g} MB" if r["max_mb"] else "")
        verdict = "ERROR" if r.get("error") else ("OK" if r["ok"] else "MISS")
        seconds = "–" if r["seconds"] is None else f"{r['seconds']:.2f}"
        peak = "–" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}"
        table.append((r["name"], seconds, peak, target, verdict))
    print_columns(table, left=(0, 3, 4))
    for r in rows:
        detail = r.get("error") or r.get("note")
        if detail:
            print(f"  {r['name']}: {detail}")


if __name__ == "__main__":  # the child: bench/jobs.py <case> <prepare|run> <workdir> <out>
    _child(sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
