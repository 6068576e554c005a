"""Production configuration: clean under check --deploy, strict about secrets."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from ledmot.lib.env import (
    env_bool,
    env_choice,
    env_decimal,
    env_int,
    env_list,
    env_mapping,
    env_parsed,
    env_str,
)

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="ledmot.example.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_malformed_boolean_is_refused():
    result = run_manage("check", DEBUG="kanske")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LEDMOT_FULFILMENT_TOLERANCE", "tio procent", "LEDMOT_FULFILMENT_TOLERANCE must be"),
        ("LEDMOT_KOLADA_NAMES", "0580=Linköping,Norrköping", "LEDMOT_KOLADA_NAMES must be key"),
        ("DATABASE_URL", "postgres://ledmot@db:femtio/ledmot", "DATABASE_URL must be a database"),
        ("LOG_LEVEL", "pratsam", "LOG_LEVEL must be one of"),
        ("LEDMOT_OIDC_ISSUER", "login.example.se", "LEDMOT_OIDC_ISSUER must match"),
        (
            "LEDMOT_OIDC_GROUP_ROLES",
            "rektorer=chef@SKOLA",
            "LEDMOT_OIDC_GROUP_ROLES: rektorer='chef@SKOLA' must be role@unit-code",
        ),
        ("LEDMOT_LOCAL_LOGIN", "0", "LEDMOT_LOCAL_LOGIN=0 needs single sign-on"),
    ],
)
def test_malformed_setting_stops_start_up_with_its_name(name, value, message):
    result = run_manage("check", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


class TestStrictHelpers:
    """Each helper refuses a malformed value with the variable's name and accepts a good one."""

    @pytest.mark.parametrize(
        ("read", "raw", "expected"),
        [
            (lambda: env_int("X", 5), "12", 12),
            (lambda: env_int("X", 5), "", 5),
            (lambda: env_decimal("X", "0.10", minimum=Decimal(0)), "0.25", Decimal("0.25")),
            (lambda: env_choice("X", "a", ("a", "b")), "b", "b"),
            (lambda: env_list("X", [], pattern=r"\d{1,4}"), "0580, 0000", ["0580", "0000"]),
            (lambda: env_mapping("X", {}), "0580=Linköping,0000=Riket", {"0580": "Linköping",
                                                                          "0000": "Riket"}),
            (lambda: env_str("X", "", pattern=r"https?://\S+"), "https://a.se", "https://a.se"),
        ],
    )  # fmt: skip
    def test_it_reads_a_good_value(self, monkeypatch, read, raw, expected):
        monkeypatch.setenv("X", raw)
        assert read() == expected

    @pytest.mark.parametrize(
        ("read", "raw"),
        [
            (lambda: env_int("X", 5), "5.0"),
            (lambda: env_int("X", 5), "-1"),
            (lambda: env_int("X", 25, minimum=1, maximum=65535), "70000"),
            (lambda: env_decimal("X", "0.10"), "0,10"),
            (lambda: env_decimal("X", "0.10"), "NaN"),
            (lambda: env_decimal("X", "0.10", maximum=Decimal(1)), "2"),
            (lambda: env_choice("X", "a", ("a", "b")), "c"),
            (lambda: env_list("X", [], pattern=r"\d{1,4}"), "0580,Linköping"),
            (lambda: env_mapping("X", {}), "=Linköping"),
            (lambda: env_str("X", "", pattern=r"https?://\S+"), "ledmot.example.se"),
            (lambda: env_bool("X", False), "kanske"),
            (lambda: env_parsed("X", "", int, "a number"), "tre"),
        ],
    )
    def test_it_refuses_a_malformed_value(self, monkeypatch, read, raw):
        monkeypatch.setenv("X", raw)
        with pytest.raises(ImproperlyConfigured, match="^X"):
            read()


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """JIT compiling cost seconds on the structure analysis at large size (issue 12)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_single_sign_on_needs_its_client():
    result = run_manage("check", LEDMOT_OIDC_ISSUER="https://login.example.se/tenant/v2.0")
    assert result.returncode != 0
    assert "LEDMOT_OIDC_CLIENT_ID and LEDMOT_OIDC_CLIENT_SECRET must be set" in result.stderr


def test_single_sign_on_from_the_environment_alone():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.AUTHENTICATION_BACKENDS[-1], s.OIDC_RP_CLIENT_ID, s.LEDMOT_OIDC_GROUP_ROLES,"
        " s.LEDMOT_LOCAL_LOGIN, s.LEDMOT_BREAK_GLASS_USERS,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        LEDMOT_OIDC_ISSUER="https://login.example.se/tenant/v2.0/",
        LEDMOT_OIDC_CLIENT_ID="ledmot",
        LEDMOT_OIDC_CLIENT_SECRET="hemligt",
        LEDMOT_OIDC_GROUP_ROLES="rektorer=editor@SKOLA;reader@BUN,controllers=controller@KF",
        LEDMOT_LOCAL_LOGIN="0",
        LEDMOT_BREAK_GLASS_USERS="nodkonto",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "ledmot.oidc.Backend ledmot {'rektorer': ['editor@SKOLA', 'reader@BUN'], "
        "'controllers': ['controller@KF']} False ['nodkonto'] "
        "[\"'self'\", 'https://login.example.se']"
    )


def test_production_needs_an_https_issuer():
    result = run_manage(
        "check",
        DEBUG="0",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="ledmot.example.se",
        LEDMOT_OIDC_ISSUER="http://login.example.se",
        LEDMOT_OIDC_CLIENT_ID="ledmot",
        LEDMOT_OIDC_CLIENT_SECRET="hemligt",
    )
    assert result.returncode != 0
    assert "LEDMOT_OIDC_ISSUER must be an https:// address" in result.stderr
