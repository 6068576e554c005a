"""`make demo` prints and links its mails to the address it serves on (issue 13 point 3):
LEDMOT_BASE_URL follows DEMO_ADDR instead of a fixed http://127.0.0.1:8000, and the
demo answers to that name; a LEDMOT_BASE_URL set in the environment still wins."""

import os
import re
import subprocess
from pathlib import Path

from django.conf import settings


def dry_run(*args: str, **env: str) -> str:
    """The demo's commands as make would run them (``make -n``: nothing runs)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("LEDMOT_BASE_URL", "ALLOWED_HOSTS")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "demo", *args],
        cwd=Path(settings.BASE_DIR),
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def exported(output: str) -> dict[str, str]:
    line = next(line for line in output.splitlines() if line.startswith("export "))
    return dict(re.findall(r'(\w+)="([^"]*)"', line))


def test_the_default_demo_links_to_where_it_serves():
    out = dry_run()
    assert exported(out)["LEDMOT_BASE_URL"] == "http://127.0.0.1:8000"
    assert 'LEDMOT_BASE_URL="http://127.0.0.1:8000" .venv/bin/python manage.py seed_demo' in out
    assert "runserver 127.0.0.1:8000" in out


def test_another_port_is_followed_by_the_links_and_the_printed_address():
    out = dry_run("DEMO_ADDR=127.0.0.1:9123")
    assert exported(out)["LEDMOT_BASE_URL"] == "http://127.0.0.1:9123"
    # seed_demo prints the address to sign in at (demo.seed.login_table).
    assert 'LEDMOT_BASE_URL="http://127.0.0.1:9123" .venv/bin/python manage.py seed_demo' in out
    assert "8000" not in out
    # A bare port, as runserver takes it, is a port on 127.0.0.1.
    assert exported(dry_run("DEMO_ADDR=9124"))["LEDMOT_BASE_URL"] == "http://127.0.0.1:9124"


def test_a_demo_on_every_interface_is_reached_by_the_machines_name():
    name = subprocess.run(["hostname"], capture_output=True, text=True).stdout.strip()
    values = exported(dry_run("DEMO_ADDR=0.0.0.0:9125"))
    assert values["LEDMOT_BASE_URL"] == f"http://{name}:9125"
    assert name in values["ALLOWED_HOSTS"].split(",")


def test_an_address_set_in_the_environment_wins():
    values = exported(dry_run(LEDMOT_BASE_URL="https://demo.example.se"))
    assert values["LEDMOT_BASE_URL"] == "https://demo.example.se"
    assert "demo.example.se" in values["ALLOWED_HOSTS"].split(",")


def test_seed_demo_prints_the_address_it_is_given(settings):
    from demo.seed import SeedResult, login_table

    settings.LEDMOT_BASE_URL = "http://127.0.0.1:9126"
    assert login_table(SeedResult()).endswith("Öppna http://127.0.0.1:9126 och logga in.")
