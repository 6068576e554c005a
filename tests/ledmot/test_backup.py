"""Backup and restore, exactly as the README tells (ops/backup.sh, ops/restore.sh,
then ``manage.py migrate --check`` and ``manage.py check_report_files``).

A database with goals, values, history and a report PDF the council received is backed
up, restored into a new, empty database and an empty MEDIA_ROOT, and found the same:
every table row for row, the sequences, and every stored file by its SHA-256. Runs on
PostgreSQL (pg_dump/pg_restore), which ``.ci/run`` always does.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from followup.report_pdf import generated_report_start
from goals.models import Goal, Measurement
from ledmot.models import JobStatus
from tests.conftest import build_world
from tests.followup.helpers import open_round

REPO = Path(__file__).resolve().parents[2]


def database_url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{quote(s['HOST'] or '', safe='')}{port}/{quote(name, safe='')}"


def database_contents(url: str) -> dict:
    """Every table's row count and a digest of all its rows, and every sequence's value."""
    contents = {}
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} t"
            ).format(sql.Identifier(table))
            contents[table] = conn.execute(query).fetchone()
        for name, value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            contents[f"sequence {name}"] = value
    return contents


def file_checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run(args, *, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(database), "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [str(arg) for arg in args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def seed(media: Path):
    w = build_world()
    rnd = open_round(w)
    Measurement.objects.create(
        indicator=w.indicator,
        period="2024",
        value=Decimal("71.5"),
        comment="Fler elever än väntat klarade provet.",
        entered_by=w.editor,
    )
    Measurement.objects.create(indicator=w.indicator, period="2025-T1", value=Decimal("68.25"))
    # The report PDF the council received, made as in the browser.
    job = generated_report_start(rnd=rnd, org=None, pdfa=False, user=w.controller)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (media / job.file.name).is_file()
    return w


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_into_an_empty_database_and_media_root(tmp_path, settings):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    seed(media)
    source = connection.settings_dict["NAME"]
    before = database_contents(database_url(source))
    files_before = file_checksums(media)
    assert before["goals_goal"][0] == Goal.objects.count() > 0
    assert before["goals_historicalmeasurement"][0] == 2
    assert before["followup_generatedreport"][0] == 1

    backup = run(["ops/backup.sh", tmp_path / "kopior"], database=source, media=media)
    assert backup.returncode == 0, backup.stderr
    copy = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in copy.iterdir()) == [
        "SHA256SUMS",
        "ledmot.dump",
        "media.sha256",
        "media.tar.gz",
    ]

    restored = f"{source}_restored"
    restored_media = tmp_path / "media-restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        restore = run(["ops/restore.sh", copy], database=restored, media=restored_media)
        assert restore.returncode == 0, restore.stderr

        # The same goals, values, history, reports: every table row for row.
        after = database_contents(database_url(restored))
        assert after == before
        # The same files, byte for byte.
        assert file_checksums(restored_media) == files_before
        with psycopg.connect(database_url(restored)) as conn:
            (recorded,) = conn.execute("SELECT sha256 FROM followup_generatedreport").fetchone()
        assert recorded in files_before.values()

        # The checks the README tells to run afterwards pass on the restored copy.
        manage = [sys.executable, "manage.py"]
        migrations = run([*manage, "migrate", "--check"], database=restored, media=restored_media)
        assert migrations.returncode == 0, migrations.stdout + migrations.stderr
        reports = run([*manage, "check_report_files"], database=restored, media=restored_media)
        assert reports.returncode == 0, reports.stderr
        assert "1 rapportfiler finns och stämmer" in reports.stdout

        # Restoring over a database that is in use is refused, and changes nothing.
        again = run(["ops/restore.sh", copy], database=restored, media=tmp_path / "tom")
        assert again.returncode != 0
        assert "databasen är inte tom" in again.stderr
        assert database_contents(database_url(restored)) == before

        # A copy damaged on its way (one byte more) is refused before anything is read.
        damaged = tmp_path / "skadad"
        shutil.copytree(copy, damaged)
        with (damaged / "media.tar.gz").open("ab") as archive:
            archive.write(b"\0")
        refused = run(["ops/restore.sh", damaged], database=restored, media=tmp_path / "tom")
        assert refused.returncode != 0
        assert "kopian är skadad" in refused.stderr
        assert not (tmp_path / "tom").exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
