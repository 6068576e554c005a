"""Importing the same workbook twice creates nothing twice: the text id a new row had
in the workbook is kept as its external id, matched on the next import and exported."""

import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from goals.models import (
    Activity,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    Measurement,
    Target,
    WorkbookImport,
)
from goals.workbook.importer import CHANGE, CREATE, INVALID, UNCHANGED, apply_plan, read_plan
from ledmot.models import Role
from tests.concurrency import together
from tests.factories import GoalFactory, UserFactory, grant

from .helpers import edit, exported, find_row, sheet_rows, xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MODELS = (Goal, Activity, Indicator, Target, Measurement)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def plan_of(data: bytes, user):
    return read_plan(io.BytesIO(data), user=user)


def messages(plan) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in plan.problems]


def rows_and_history() -> dict[str, int]:
    """Every row of the kinds the workbook writes, and every history table's records."""
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["Indicator goals"] = Indicator.goals.through.objects.count()
    for model in apps.get_app_config("goals").get_models():
        if model.__name__.startswith("Historical"):
            counts[model.__name__] = model.objects.count()
    return counts


def new_rows(goal_id="ny-n", indicator_id="ny-i", unit_goal_id="ny-e", activity_id="ny-a"):
    """A new committee goal, a unit goal under it, an activity, an indicator measuring
    both and an existing council goal, its target and results: every row new, the later
    ones referring to the earlier ones by their text ids."""
    return {
        "Mål": [
            [
                goal_id,
                "Nämnd",
                None,
                "BUN",
                "Trygg skola",
                "",
                "Medborgare",
                "2023-2026",
                "Förslag",
            ],
            [
                unit_goal_id,
                "Enhet",
                goal_id,
                "SKOLA1",
                "Trygg skolgård",
                "",
                "Medborgare",
                "2023-2026",
                "Förslag",
            ],
        ],
        "Aktiviteter": [
            [activity_id, unit_goal_id, "SKOLA1", "Rastvakter", "Anna", None, None, "Pågår"],
        ],
        "Indikatorer": [
            [
                indicator_id,
                "Andel trygga elever",
                "%",
                "Högre är bättre",
                "År",
                f"{goal_id}, {unit_goal_id}",
                "",
                "SKOLA1",
                "81,5",
                2022,
            ],
        ],
        "Målvärden": [[indicator_id, 2025, "85"], [indicator_id, 2026, "90"]],
        "Utfall": [
            [indicator_id, "2024", None, "82", "Enkät"],
            [indicator_id, "2024", "K", "84", None],
        ],
    }


def with_parent(sheets: dict, parent) -> dict:
    """``sheets`` with the new committee goal under ``parent`` (a council goal)."""
    sheets["Mål"][0][2] = parent
    return sheets


def upload(client, data: bytes):
    return client.post(
        "/import/", {"file": SimpleUploadedFile("mal.xlsx", data, content_type=XLSX)}
    )


def counts_row(page: str, sheet: str) -> list[int]:
    """The preview table's numbers for one sheet: new, changed, unchanged, with errors."""
    row = re.search(rf"<th scope=\"row\">{sheet}</th>(.*?)</tr>", page)
    assert row, page
    return [int(n) for n in re.findall(r"<td class=\"num\">(\d+)</td>", row[1])]


def test_the_same_workbook_imported_twice_creates_nothing_twice(world, client):
    w = world
    data = xlsx(with_parent(new_rows(), w.council_goal.pk))
    client.force_login(w.controller)
    upload(client, data)
    first = WorkbookImport.objects.get()
    assert client.post(f"/import/{first.pk}/genomfor/").status_code == 302
    assert Goal.objects.filter(title="Trygg skola").count() == 1
    before = rows_and_history()

    # Again, as after a timeout or by a second controller: everything is unchanged.
    response = upload(client, data)
    second = WorkbookImport.objects.exclude(pk=first.pk).get()
    assert response["Location"] == f"/import/{second.pk}/"
    page = client.get(f"/import/{second.pk}/").content.decode()
    assert counts_row(page, "Mål") == [0, 0, 2, 0]
    assert counts_row(page, "Aktiviteter") == [0, 0, 1, 0]
    assert counts_row(page, "Indikatorer") == [0, 0, 1, 0]
    assert counts_row(page, "Målvärden") == [0, 0, 2, 0]
    assert counts_row(page, "Utfall") == [0, 0, 2, 0]
    assert "Genomför import" not in page
    client.post(f"/import/{second.pk}/genomfor/")
    assert rows_and_history() == before


def test_a_second_plan_applied_writes_no_row_and_no_history(world):
    w = world
    data = xlsx(with_parent(new_rows(), w.council_goal.pk))
    apply_plan(plan_of(data, w.controller), user=w.controller)
    before = rows_and_history()
    plan = plan_of(data, w.controller)
    assert plan.ok, messages(plan)
    assert not plan.has_changes
    assert {key: c[UNCHANGED] for key, c in plan.counts().items()} == {
        "goals": 2,
        "activities": 1,
        "indicators": 1,
        "targets": 2,
        "results": 2,
    }
    apply_plan(plan, user=w.controller)
    assert rows_and_history() == before


def test_new_rows_keep_their_text_id_and_the_export_carries_it(world):
    w = world
    apply_plan(
        plan_of(xlsx(with_parent(new_rows(), w.council_goal.pk)), w.controller), user=w.controller
    )
    committee = Goal.objects.get(external_id="ny-n")
    assert committee.title == "Trygg skola"
    assert Goal.objects.get(external_id="ny-e").parent == committee
    assert Activity.objects.get(external_id="ny-a").goal.external_id == "ny-e"
    indicator = Indicator.objects.get(external_id="ny-i")
    assert {g.external_id for g in indicator.goals.all()} == {"ny-n", "ny-e"}

    data = exported(w.controller)
    row = find_row(data, "Mål", "Id", committee.pk)
    heading = sheet_rows(data, "Mål")[0]
    assert sheet_rows(data, "Mål")[row - 1][heading.index("Externt id")] == "ny-n"
    ext_col = sheet_rows(data, "Indikatorer")[0].index("Externt id")
    [(pk, ext)] = [
        (r[0], r[ext_col]) for r in sheet_rows(data, "Indikatorer") if r[0] == indicator.pk
    ]
    assert (pk, ext) == (indicator.pk, "ny-i")

    # The unchanged export changes nothing, with the external ids in it.
    before = rows_and_history()
    plan = plan_of(data, w.controller)
    assert plan.ok, messages(plan)
    assert not plan.has_changes
    apply_plan(plan, user=w.controller)
    assert rows_and_history() == before


def test_a_workbook_from_another_system_imported_twice(world):
    """Another system's keys in ``Externt id`` (the ``Id`` left empty), and its
    references by those keys: the second run (and a third) finds every row."""
    w = world
    sheets = new_rows(
        goal_id="sys:M-17", unit_goal_id="sys:M-18", activity_id="sys:A-3", indicator_id="sys:I-9"
    )
    for name in ("Mål", "Aktiviteter", "Indikatorer"):
        for row in sheets[name]:
            ext, row[0] = row[0], None
            at = xlsx_headings(name).index("Externt id")
            row.extend([None] * (at - len(row)) + [ext])
    with_parent(sheets, w.council_goal.pk)
    data = xlsx(sheets)
    first = plan_of(data, w.controller)
    assert first.ok, messages(first)
    assert first.counts()["goals"][CREATE] == 2
    apply_plan(first, user=w.controller)
    assert Goal.objects.get(external_id="sys:M-18").parent.external_id == "sys:M-17"
    assert Indicator.objects.get(external_id="sys:I-9").targets.count() == 2
    before = rows_and_history()
    for _run in range(2):
        plan = plan_of(data, w.controller)
        assert plan.ok, messages(plan)
        assert not plan.has_changes
        apply_plan(plan, user=w.controller)
    assert rows_and_history() == before


def test_a_changed_row_found_by_its_external_id_is_changed_not_created(world):
    w = world
    sheets = with_parent(new_rows(), w.council_goal.pk)
    apply_plan(plan_of(xlsx(sheets), w.controller), user=w.controller)
    goal = Goal.objects.get(external_id="ny-n")
    sheets["Mål"][0][4] = "Trygg och lugn skola"
    sheets["Målvärden"][1][2] = "92"
    plan = plan_of(xlsx(sheets), w.controller)
    assert plan.ok, messages(plan)
    changed = [
        (r.sheet, r.action) for rows in plan.rows.values() for r in rows if r.action != UNCHANGED
    ]
    assert changed == [("goals", CHANGE), ("targets", CHANGE)]
    apply_plan(plan, user=w.controller)
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Trygg och lugn skola", 2)
    assert Goal.objects.filter(title__startswith="Trygg").count() == 2
    assert Target.objects.get(indicator__external_id="ny-i", year=2026).value == Decimal(92)


def test_a_numbered_row_given_an_external_id_keeps_it(world):
    """A row with both its LedMot id and an external id: the id finds the row, the
    external id is stored (shown as a change) and from then on finds it too."""
    w = world
    data = exported(w.controller)
    row = find_row(data, "Mål", "Id", w.unit_goal.pk)
    data = edit(data, "Mål", row, "Externt id", "gammalt-7")
    plan = plan_of(data, w.controller)
    assert plan.ok, messages(plan)
    [changed] = [r for r in plan.rows["goals"] if r.action == CHANGE]
    assert [(c.column, c.old, c.new) for c in changed.changes] == [("Externt id", "–", "gammalt-7")]
    apply_plan(plan, user=w.controller)
    w.unit_goal.refresh_from_db()
    assert w.unit_goal.external_id == "gammalt-7"

    activity = [None, "gammalt-7", "SKOLA1", "Ny aktivitet", "", None, None, "Pågår", "akt-1"]
    plan = plan_of(xlsx({"Aktiviteter": [activity]}), w.controller)
    assert plan.ok, messages(plan)
    apply_plan(plan, user=w.controller)
    assert Activity.objects.get(external_id="akt-1").goal == w.unit_goal

    # The same external id on another numbered row is refused.
    g = w.proposed_goal
    row = [g.pk, "Enhet", g.parent_id, "SKOLA1", g.title, g.description, g.perspective.name]
    row += ["2023-2026", "Förslag", "gammalt-7"]
    plan = plan_of(xlsx({"Mål": [row]}), w.controller)
    problem = ("Mål", 2, "Externt id", "Det externa id:t ”gammalt-7” hör redan till en annan rad.")
    assert messages(plan) == [problem]


def test_an_external_id_of_a_row_the_user_may_not_change_is_refused(world):
    w = world
    hidden = GoalFactory(
        level=GoalLevel.COMMITTEE,
        parent=w.council_goal,
        owner=w.von,
        mandate_period=w.period,
        title="Hemligt förslag i omsorgen",
        status=GoalStatus.PROPOSED,
        external_id="ny-n",
    )
    school_controller = UserFactory(username="skolcontroller")
    grant(school_controller, w.bun, Role.CONTROLLER)
    before = rows_and_history()
    sheets = with_parent(new_rows(), w.council_goal.pk)
    plan = plan_of(xlsx(sheets), school_controller)
    assert (
        "Mål",
        2,
        "Id",
        "Det externa id:t ”ny-n” hör till en rad som du inte får ändra.",
    ) in messages(plan)
    assert not plan.ok
    assert plan.rows["goals"][0].action == INVALID
    text = repr(plan.summary())
    assert "Hemligt" not in text and "Vård- och omsorgsnämnden" not in text
    with pytest.raises(Exception):
        apply_plan(plan, user=school_controller)
    assert rows_and_history() == before
    hidden.refresh_from_db()
    assert (hidden.title, hidden.owner) == ("Hemligt förslag i omsorgen", w.von)

    # A reference by external id reaches only goals the user may read.
    activity = [None, "ny-n", "SKOLA1", "Rastvakter", "", None, None, "Pågår"]
    plan = plan_of(xlsx({"Aktiviteter": [activity]}), school_controller)
    assert messages(plan) == [("Aktiviteter", 2, "Mål-id", "Okänt mål ”ny-n”.")]


def test_an_export_with_external_ids_outside_the_users_units_imports_unchanged(world):
    """A numbered row is found by its number: its external id (in an export made by
    a controller of the whole municipality) does not make it refused for a controller
    of one committee, as long as the row does not change."""
    w = world
    w.council_goal.external_id = "kf-1"
    w.council_goal.save()
    data = exported(w.controller)
    school_controller = UserFactory(username="skolcontroller")
    grant(school_controller, w.bun, Role.CONTROLLER)
    plan = plan_of(data, school_controller)
    assert plan.ok, messages(plan)
    assert not plan.has_changes

    # The same row by its number and, on another row, by its external id.
    row = [w.council_goal.pk, "KF", None, "KF", "x", "", "Medborgare", "2023-2026", "Antaget"]
    again = ["kf-1", "KF", None, "KF", "x", "", "Medborgare", "2023-2026", "Antaget"]
    plan = plan_of(xlsx({"Mål": [row, again]}), w.controller)
    assert messages(plan) == [("Mål", 3, "Id", "Id kf-1 finns redan på rad 2.")]


def test_two_rows_with_the_same_external_id_are_refused_on_the_row(world):
    w = world
    before = rows_and_history()
    sheets = with_parent(new_rows(), w.council_goal.pk)
    sheets["Mål"][1].append("ny-n")  # Externt id of the second row
    sheets["Aktiviteter"].append(
        ["ny-a", w.council_goal.pk, "SKOLA1", "Dubblett", "", None, None, "Pågår"]
    )
    plan = plan_of(xlsx(sheets), w.controller)
    problems = messages(plan)
    assert ("Mål", 3, "Externt id", "Det externa id:t ”ny-n” finns redan på rad 2.") in problems
    assert ("Aktiviteter", 3, "Id", "Id ny-a finns redan på rad 2.") in problems
    assert len([p for p in problems if p[:2] == ("Aktiviteter", 3)]) == 1
    assert rows_and_history() == before


@pytest.mark.parametrize("ext", ["12345", "a,b", "x;y", "x" * 41])
def test_an_external_id_is_checked_by_one_rule_everywhere(world, ext):
    w = world
    message = (
        "Ett externt id har 1–40 tecken, inte bara siffror, och varken komma, "
        "semikolon eller styrtecken, t.ex. ny-1."
    )
    row = [
        None,
        "Nämnd",
        w.council_goal.pk,
        "BUN",
        "Ny",
        "",
        "Medborgare",
        "2023-2026",
        "Förslag",
        ext,
    ]
    plan = plan_of(xlsx({"Mål": [row]}), w.controller)
    assert ("Mål", 2, "Externt id", message) in messages(plan)
    goal = Goal(
        level=GoalLevel.COMMITTEE,
        parent=w.council_goal,
        owner=w.bun,
        mandate_period=w.period,
        perspective=w.council_goal.perspective,
        title="Ny",
        external_id=ext,
    )
    with pytest.raises(ValidationError) as exc:
        goal.full_clean()
    assert message in exc.value.message_dict["external_id"]


def xlsx_headings(name: str) -> list[str]:
    from .helpers import HEADINGS

    return HEADINGS[name]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_workbook_confirmed_twice_at_once_creates_it_once(world):
    """Two controllers confirm the same previewed workbook at the same moment: one
    import creates the rows, the other is a conflict (nothing of it saved), not a 500."""
    w = world
    data = xlsx(with_parent(new_rows(), w.council_goal.pk))
    plans = [plan_of(data, w.controller) for _ in range(2)]
    results = together(2, lambda i: apply_plan(plans[i], user=w.controller))
    assert sorted(type(r).__name__ for r in results) == ["ConflictError", "dict"], results
    assert Goal.objects.filter(external_id__in=["ny-n", "ny-e"]).count() == 2
    assert Activity.objects.filter(title="Rastvakter").count() == 1
    assert Measurement.objects.filter(indicator__external_id="ny-i").count() == 2
    assert Target.objects.filter(indicator__external_id="ny-i").count() == 2
    assert not plan_of(data, w.controller).has_changes
