"""Shared personas and factories for the whole suite.

The four personas every view is tested for:
- ``editor``: redigerare on the unit that owns the object;
- ``reader``: läsare on the council (sees everything public, edits nothing);
- ``other_editor``: redigerare on a unit in another committee;
- anonymous: the test client without login.
"""

from types import SimpleNamespace

import pytest
from django.test.utils import override_settings

from goals.models import GoalLevel, GoalStatus
from ledmot.models import OrgKind, Role
from tests.factories import (
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MandatePeriodFactory,
    OrgUnitFactory,
    UserFactory,
    VisionFactory,
    grant,
)


def _on_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """Every test that commits for real (``django_db(transaction=True)``) also gets
    serialized rollback: the flush after such a test empties the tables that data
    migrations filled (the perspectives, the round kinds), and without the restore the
    next such test finds none — or, when a flush re-creates the content types, its
    restore collides with them. One rule here instead of a keyword on each test.

    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
    _deselect_postgres_tests_off_postgres(config, items)


def _deselect_postgres_tests_off_postgres(config, items):
    """``postgres``-marked tests prove PostgreSQL's row locking under simultaneous
    requests (tests/concurrency.py); SQLite has none to prove. They run whenever the
    suite runs on PostgreSQL, as ``.ci/run`` does, and are deselected (and counted in
    the summary) on SQLite."""
    if _on_postgres():
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    dropped = [item for item in items if item.get_closest_marker("postgres") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, as the demo's and a small installation's
    is, not Django's default in-memory one: for an in-memory database the live server
    hands its one connection to every request thread, so two requests at once (a draft
    save still running when "Lämna in" arrives) collide inside one connection with
    "cannot open savepoint", a failure no real server can have. With a file each thread
    has its own connection and SQLite's IMMEDIATE transactions queue them, as in
    production."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Every test world creates users, and PBKDF2's million iterations cost about 0.3 s
    a password on a 2-core machine: most of the suite's time went there. Signing in
    works the same with any hasher (tests/ledmot/test_login.py signs in for real);
    production keeps Django's default."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def build_world() -> SimpleNamespace:
    """A small municipality with two committees, a chain of goals and the personas.

    KF ─ BUN (nämnd) ─ BUF (förvaltning) ─ SKOLA1, SKOLA2 (enheter)
       └ VON (nämnd) ─ VOF (förvaltning) ─ BOENDE1 (enhet)
    """
    w = SimpleNamespace()
    w.kf = OrgUnitFactory(name="Kommunfullmäktige", code="KF", kind=OrgKind.COUNCIL)
    w.bun = OrgUnitFactory(
        name="Barn- och utbildningsnämnden", code="BUN", kind=OrgKind.COMMITTEE, parent=w.kf
    )
    w.buf = OrgUnitFactory(
        name="Barn- och utbildningsförvaltningen",
        code="BUF",
        kind=OrgKind.ADMINISTRATION,
        parent=w.bun,
    )
    w.skola1 = OrgUnitFactory(name="Ekbackens skola", code="SKOLA1", parent=w.buf)
    w.skola2 = OrgUnitFactory(name="Lindens skola", code="SKOLA2", parent=w.buf)
    w.von = OrgUnitFactory(
        name="Vård- och omsorgsnämnden", code="VON", kind=OrgKind.COMMITTEE, parent=w.kf
    )
    w.vof = OrgUnitFactory(
        name="Vård- och omsorgsförvaltningen",
        code="VOF",
        kind=OrgKind.ADMINISTRATION,
        parent=w.von,
    )
    w.boende1 = OrgUnitFactory(
        name="Solgårdens vård- och omsorgsboende", code="BOENDE1", parent=w.vof
    )

    w.period = MandatePeriodFactory(start_year=2023, end_year=2026)
    w.vision = VisionFactory(mandate_period=w.period)
    w.council_goal = GoalFactory(
        title="Alla barn och unga ska ges förutsättningar att lyckas i skolan",
        owner=w.kf,
        mandate_period=w.period,
        decision_reference="KS 2022/412",
    )
    w.committee_goal = GoalFactory(
        level=GoalLevel.COMMITTEE,
        parent=w.council_goal,
        owner=w.bun,
        mandate_period=w.period,
        title="Andelen elever som når kunskapskraven i alla ämnen ska öka",
    )
    w.unit_goal = GoalFactory(
        level=GoalLevel.UNIT,
        parent=w.committee_goal,
        owner=w.skola1,
        mandate_period=w.period,
        title="Fler elever i årskurs 9 ska nå minst godkänt i matematik",
    )
    w.proposed_goal = GoalFactory(
        level=GoalLevel.UNIT,
        parent=w.committee_goal,
        owner=w.skola1,
        mandate_period=w.period,
        status=GoalStatus.PROPOSED,
        title="Läsfrämjande arbete i alla klasser (förslag)",
    )
    w.activity = ActivityFactory(
        goal=w.unit_goal,
        title="Inför lärarledd läxhjälp två dagar i veckan",
        responsible="Anna Rektor",
    )
    w.indicator = IndicatorFactory(
        name="Andel elever i åk 9 med godkänt i matematik",
        responsible_unit=w.skola1,
        goals=[w.unit_goal, w.committee_goal],
    )

    w.editor = UserFactory(username="editor", first_name="Anna", last_name="Rektor")
    grant(w.editor, w.skola1, Role.EDITOR)
    w.reader = UserFactory(username="reader", first_name="Per", last_name="Politiker")
    grant(w.reader, w.kf, Role.READER)
    w.other_editor = UserFactory(username="other", first_name="Olle", last_name="Omsorg")
    grant(w.other_editor, w.boende1, Role.EDITOR)
    w.controller = UserFactory(username="controller", first_name="Cecilia", last_name="Controller")
    grant(w.controller, w.kf, Role.CONTROLLER)
    return w


@pytest.fixture
def world(db):
    return build_world()
