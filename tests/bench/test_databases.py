"""Where the bench keeps its databases (bench/run.py): SQLite files in var/, or with
DATABASE_URL=postgres://… databases of their own on that server, one per size; and how a
request is timed with a new connection as production has it."""

import django.db
import pytest

from bench import run


@pytest.fixture
def url(monkeypatch):
    monkeypatch.delenv(run.BASE_URL_ENV, raising=False)

    def set_url(value):
        if value is None:
            monkeypatch.delenv("DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("DATABASE_URL", value)

    return set_url


def test_without_postgres_the_bench_uses_its_sqlite_files(url):
    for value in (None, "", "sqlite:///var/ledmot.sqlite3"):
        url(value)
        assert run.engine() == "sqlite"
        assert run.database_url("large") == f"sqlite:///{run.VAR / 'bench-large.sqlite3'}"
        assert run.database_label("xlarge") == "var/bench-xlarge.sqlite3"


def test_with_postgres_each_size_has_a_database_of_its_own_on_that_server(url):
    url("postgres://bench:secret@db.example:5433/ledmot")
    assert run.engine() == "postgresql"
    assert run.pg_name("large") == "ledmot_bench_large"
    assert run.database_url("large") == "postgres://bench:secret@db.example:5433/ledmot_bench_large"
    assert run.database_url("large", name="ledmot_bench_large_job").endswith(
        "/ledmot_bench_large_job"
    )
    env = run.subprocess_env("xlarge")
    assert env["DATABASE_URL"].endswith("/ledmot_bench_xlarge")
    assert env[run.BASE_URL_ENV] == "postgres://bench:secret@db.example:5433/ledmot"


def test_a_subprocess_finds_the_server_the_bench_was_started_with(url, monkeypatch):
    url("postgresql://localhost/ledmot_bench_large")  # what a worker's DATABASE_URL is
    monkeypatch.setenv(run.BASE_URL_ENV, "postgresql://localhost/ledmot")
    assert run.pg_name("demo") == "ledmot_bench_demo"


def test_a_stamp_depends_on_the_size_and_the_generator():
    assert run.source_hash("large") != run.source_hash("xlarge")
    assert run.source_hash("large") == run.source_hash("large")
    assert run.PREPARED["large"] == run.PREPARED["xlarge"]


def test_a_request_in_production_mode_gets_a_new_connection_and_the_other_keeps_it(
    monkeypatch,
):
    """Django's handler calls close_old_connections when a request starts and ends (with
    CONN_MAX_AGE=0 that closes the connection); the test client does not, so the bench
    does: around every request of the ``new`` mode, never around a ``persistent`` one.
    A ``persistent`` request is timed on a connection that has served a request: one
    opened after a ``new`` request serves one untimed first (it was timed cold)."""
    events = []

    class Connection:
        connection = None

        def ensure_connection(self):
            events.append("open")
            self.connection = object()

    connection = Connection()

    def close():
        events.append("close")
        connection.connection = None

    monkeypatch.setattr(django.db, "close_old_connections", close)
    monkeypatch.setattr(django.db, "connection", connection)
    cpu = {}
    times = run._timed(lambda: events.append("get"), 2, ("new", "persistent"), cpu)

    assert events == ["close", "get", "close", "open", "get", "get"] * 2
    assert {mode: len(t) for mode, t in times.items()} == {"new": 2, "persistent": 2}
    assert {mode: len(t) for mode, t in cpu.items()} == {"new": 2, "persistent": 2}
    # Alone, the persistent mode keeps its connection: no untimed request.
    events.clear()
    run._timed(lambda: events.append("get"), 2, ("persistent",))
    assert events == ["open", "get", "open", "get"]
