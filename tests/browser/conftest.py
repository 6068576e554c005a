"""Fixtures for the browser suite: headless Debian Chromium driven by Playwright's sync API.

The suite never downloads a browser: it uses the system Chromium at ``/usr/bin/chromium``.
Where that is missing the tests are skipped locally, but under ``CI=true`` they fail, and any
other skip of a ``browser`` test is turned into a failure too, so CI cannot go green without
having driven a browser.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop in the main thread; without this
# Django's async-unsafe guard refuses the ORM calls made by build_world() in the test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
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


@pytest.fixture(scope="session")
def playwright_instance(django_db_setup):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency missing
        _no_browser("playwright is not installed (pip install -e '.[dev]')")
    from django.db import connections

    # While Playwright's sync API is alive, asyncio reports a running event loop in the main
    # thread, so Django's per-thread `connections` switches to context-local storage and
    # would hand the test a *new* connection: one that is not the connection shared with
    # the live server thread and that lacks the serialized migration data. Put the
    # original connection objects back so the test, its database fixtures and the live
    # server all use the same ones, as in Django's own LiveServerTestCase.
    originals = {conn.alias: conn for conn in connections.all()}
    pw = sync_playwright().start()
    for alias, conn in originals.items():
        connections[alias] = conn
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing (apt-get install chromium)")
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
def _restore_migration_data(django_db_serialized_rollback):
    """live_server needs transactional_db, which flushes the database after each test.

    Serialized rollback puts back rows created by data migrations (the perspectives) that
    build_world() relies on.
    """

