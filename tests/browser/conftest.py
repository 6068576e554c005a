"""Fixtures for the browser suite: headless Debian Chromium driven by Playwright's sync API.

The suite never downloads a browser: it uses the system Chromium at ``/usr/bin/chromium``.
Where that is missing the tests are skipped locally, but under ``CI=true`` they fail, and any
other skip of a ``browser`` test is turned into a failure too, so CI cannot go green without
having driven a browser.
"""

import os
from pathlib import Path

import pytest

# Debian's Chromium; the variable exists only to try the missing-browser path.
CHROMIUM = Path(os.environ.get("LEDMOT_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _no_browser(reason: str):
    if in_ci():
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped browser test is a failed browser test."""
    outcome = yield
    report = outcome.get_result()
    if (
        in_ci()
        and report.skipped
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("browser") is not None
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"Browser test skipped under CI=true, which is not allowed: {reason}"


@pytest.fixture(scope="module")
def playwright_instance(django_db_setup):
    """Playwright, alive only while one browser test module runs.

    Module scope keeps its side effects (below) away from the rest of the suite, which
    pytest-django runs before and after the transactional browser tests.
    """
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency missing
        _no_browser("playwright is not installed (pip install -e '.[dev]')")
    from django.db import connections

    # Playwright's sync API makes asyncio report a running event loop in the main thread.
    # Django's async-unsafe guard would then refuse the ORM calls of the test and of the
    # database fixtures. Only for as long as Playwright runs: the variable must not leak
    # into other tests (``manage.py check --deploy`` in a subprocess rejects it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # The same running loop makes Django's per-thread `connections` switch to
    # context-local storage, which would hand the test a *new* connection: not the one
    # shared with the live server thread and without the serialized migration data.
    # Put the original connection objects back so that the test, its database fixtures
    # and the live server all use the same ones, as in Django's LiveServerTestCase.
    originals = {conn.alias: conn for conn in connections.all()}
    pw = sync_playwright().start()
    for alias, conn in originals.items():
        connections[alias] = conn
    yield pw
    pw.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(playwright_instance):
    from playwright.sync_api import expect

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    b = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield b
    b.close()


def _new_page(browser, **context_options):
    context = browser.new_context(locale="sv-SE", **context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    """A fresh context and page for every test: no cookies carry over."""
    context, pg = _new_page(browser)
    yield pg
    context.close()


@pytest.fixture
def page_without_js(browser):
    context, pg = _new_page(browser, java_script_enabled=False)
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """build_world() hashes four passwords; PBKDF2 would cost about a second per test.

    The live server runs in this process, so it checks logins with the same hasher.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _restore_migration_data(django_db_serialized_rollback):
    """live_server needs transactional_db, which flushes the database after each test.

    Serialized rollback puts back rows created by data migrations (the perspectives) that
    build_world() relies on.
    """
