"""Odd input on the goals screens and the workbook (issue 11 point 4): text pasted from
Word, NUL, text longer than a field or an Excel cell, dates and years out of range.
Each case is refused with a message beside the field or cleaned the same way on every
path, never a 500 and never cut behind the person's back."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from goals.models import Activity, Goal, Measurement
from goals.results import due_period
from goals.workbook.importer import CHANGE, read_plan
from ledmot.lib.text import COMMENT_LENGTH, LONG_TEXT_LENGTH, clean_text
from tests.factories import ActivityFactory, GoalFactory, UserFactory
from tests.goals.test_activities import activity_data
from tests.goals.test_goal_forms import goal_data
from tests.goals.test_results import _hidden_fields
from tests.goals.workbook.helpers import edit, exported, find_row, xlsx

pytestmark = pytest.mark.django_db

WORD = "Rad ett\x0bRad två\x1b[0m med\x07 klocka"  # a manual line break, an escape, a bell


def test_clean_text_keeps_tab_and_newline_and_turns_words_breaks_into_newlines():
    assert clean_text("a\tb\r\nc\rd\x0be\x0cf") == "a\tb\nc\nd\ne\nf"
    assert clean_text("x\x00y\x1b\x7f\x9fz\ufffe") == "xyz"
    assert clean_text("🙂 שלום ‏é") == "🙂 שלום ‏é"
    assert clean_text(clean_text(WORD)) == clean_text(WORD)


# --------------------------------------------------------------------------- results


def post_results(client, world, data):
    client.force_login(world.editor)
    form = _hidden_fields(client.get(reverse("goals:results")))
    form.update(data)
    return client.post(reverse("goals:results"), form)


def test_a_nul_in_a_results_comment_is_removed_not_a_500(client, world):
    ind = world.indicator
    response = post_results(
        client, world, {f"v-{ind.pk}-T": "71", f"c-{ind.pk}": "Före\x00efter\x0bny rad"}
    )
    assert response.status_code == 302
    period = due_period(ind.frequency, timezone.localdate()).key
    stored = Measurement.objects.get(indicator=ind, period=period)
    assert stored.comment == "Föreefter\nny rad"


def test_a_comment_over_its_length_is_refused_beside_the_field_not_cut(client, world):
    ind = world.indicator
    long = "x" * (COMMENT_LENGTH + 1)
    response = post_results(client, world, {f"v-{ind.pk}-T": "71", f"c-{ind.pk}": long})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_c-{ind.pk}_error"' in html
    assert "Texten är för lång: högst 2000 tecken (den har 2001)." in html
    assert long in html  # kept in the form to shorten
    assert not Measurement.objects.filter(indicator=ind).exists()


def test_the_results_comment_has_its_maxlength_in_the_page(client, world):
    client.force_login(world.editor)
    response = client.get(reverse("goals:results"))
    assert f'name="c-{world.indicator.pk}" rows="2" cols="24" maxlength="2000"' in (
        response.content.decode()
    )


# --------------------------------------------------------------------------- list exports


@pytest.mark.parametrize(
    "url_name, sheet", [("goals:activity_list", "Aktiviteter"), ("goals:chain", None)]
)
def test_a_control_character_stored_before_does_not_break_a_list_export(
    client, world, url_name, sheet
):
    # Text saved before input was cleaned (or by a path that skipped it).
    Activity.objects.filter(pk=world.activity.pk).update(title=WORD, description=WORD)
    Goal.objects.filter(pk=world.unit_goal.pk).update(description=WORD)
    client.force_login(world.controller)
    response = client.get(reverse(url_name) + "?export=xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert clean_text(WORD) in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_text_from_word_is_cleaned_when_an_activity_is_saved(client, world):
    a = world.activity
    client.force_login(world.editor)
    response = client.post(
        reverse("goals:activity_edit", args=[a.pk]),
        activity_data(a, title="Läxhjälp\x1b", description=WORD, responsible="Anna\x00"),
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.title, a.description, a.responsible) == ("Läxhjälp", clean_text(WORD), "Anna")


def test_user_text_stays_text_in_the_list_export(client, world):
    ActivityFactory(goal=world.unit_goal, title="=1+1", description="@cmd\x0b")
    client.force_login(world.controller)
    response = client.get(reverse("goals:activity_list") + "?export=xlsx")
    ws = load_workbook(io.BytesIO(response.content))["Aktiviteter"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value in ("=1+1", "@cmd\n")]
    assert len(cells) == 2
    assert {c.data_type for c in cells} == {"s"}


# --------------------------------------------------------------------------- long text


def test_a_description_longer_than_an_excel_cell_is_refused_by_the_form(client, world):
    goal = world.unit_goal
    client.force_login(world.editor)
    url = reverse("goals:goal_edit", args=[goal.pk])
    assert f'maxlength="{LONG_TEXT_LENGTH}"' in client.get(url).content.decode()
    response = client.post(url, goal_data(goal, description="å" * (LONG_TEXT_LENGTH + 1)))
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [
        "Texten är för lång: högst 32767 tecken (den har 32768)."
    ]
    goal.refresh_from_db()
    assert goal.description == ""


def test_the_longest_description_round_trips_through_the_workbook_unchanged(world):
    text = ("Rad med å, ä, ö och 🙂\n" * 2000)[: LONG_TEXT_LENGTH - 1] + "."
    assert len(text) == LONG_TEXT_LENGTH
    GoalFactory(
        level=world.unit_goal.level,
        parent=world.committee_goal,
        owner=world.skola1,
        mandate_period=world.period,
        title="Långt mål",
        description=text,
    )
    plan = read_plan(io.BytesIO(exported()), user=world.controller)
    assert plan.ok, plan.problems
    assert not plan.has_changes


def test_the_importer_refuses_text_longer_than_the_form_allows(world):
    # (openpyxl itself cuts a cell at Excel's 32,767, so a description cannot be
    # longer in a workbook; a comment can.)
    data = xlsx({"Utfall": [[world.indicator.pk, "2024", "T", 5, "x" * (COMMENT_LENGTH + 1)]]})
    plan = read_plan(io.BytesIO(data), user=world.controller)
    assert [(p.sheet, p.row, p.column, p.message) for p in plan.problems] == [
        ("Utfall", 2, "Kommentar", "Texten är för lång: högst 2000 tecken (den har 2001).")
    ]


def test_the_importer_cleans_text_the_way_the_forms_do(world):
    # A workbook cannot hold C0 control characters; C1 ones and Unicode line
    # separators it can.
    data = exported()
    row = find_row(data, "Aktiviteter", "Titel", world.activity.title)
    data = edit(data, "Aktiviteter", row, "Ansvarig", "Anna\x9fRektor\u2028ny rad")
    plan = read_plan(io.BytesIO(data), user=world.controller)
    assert plan.ok, plan.problems
    changed = [rp for rp in plan.rows["activities"] if rp.action == CHANGE]
    assert len(changed) == 1
    assert changed[0].values["responsible"] == "AnnaRektor\nny rad"
    assert clean_text("Anna\x9fRektor\u2028ny rad") == "AnnaRektor\nny rad"


# --------------------------------------------------------------------------- ranges


def test_a_decision_date_in_year_9999_is_refused_beside_the_field(client, world):
    goal = world.unit_goal
    client.force_login(world.editor)
    response = client.post(
        reverse("goals:goal_edit", args=[goal.pk]), goal_data(goal, decided_on="9999-12-31")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decided_on"] == [
        "Ange ett datum mellan 1990-01-01 och 2100-12-31."
    ]
    goal.refresh_from_db()
    assert goal.decided_on is None


def test_the_importer_refuses_a_result_period_of_1850_and_a_date_in_9999(world):
    data = xlsx(
        {
            "Utfall": [[world.indicator.pk, "1850", "T", 5, ""]],
            "Aktiviteter": [
                [world.activity.pk, world.unit_goal.pk, "SKOLA1", "Läxhjälp", "", "9999-12-31",
                 None, "Pågår"],
            ],
        }
    )  # fmt: skip
    plan = read_plan(io.BytesIO(data), user=world.controller)
    problems = {(p.sheet, p.column): p.message for p in plan.problems}
    assert problems[("Utfall", "Period")] == "Ange ett år mellan 1990 och 2100."
    assert problems[("Aktiviteter", "Start")] == "Ange ett datum mellan 1990-01-01 och 2100-12-31."


def test_a_date_typed_as_a_real_excel_date_is_held_to_the_same_range(world):
    data = exported()
    row = find_row(data, "Aktiviteter", "Titel", world.activity.title)
    data = edit(data, "Aktiviteter", row, "Slut", datetime.datetime(1980, 6, 30))
    plan = read_plan(io.BytesIO(data), user=world.controller)
    assert [(p.column, p.message) for p in plan.problems] == [
        ("Slut", "Ange ett datum mellan 1990-01-01 och 2100-12-31.")
    ]


# --------------------------------------------------------------------------- admin


def test_the_admin_stores_text_through_the_same_cleaning(client, world):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    p = world.unit_goal.perspective
    url = reverse("admin:goals_perspective_change", args=[p.pk])
    response = client.post(
        url,
        {"name": p.name, "description": WORD, "order": "0", "active": "on", "version": p.version},
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.description == clean_text(WORD)
    # A NUL is cleaned in the admin as on every other way in (its form is the shared
    # cleaning ModelForm): saved without it, never a 500.
    response = client.post(
        url, {"name": "Medborgare\x00", "description": "", "order": "0", "version": p.version}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.name == "Medborgare"


def test_the_admin_holds_a_long_text_to_its_length(client, world):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    p = world.unit_goal.perspective
    url = reverse("admin:goals_perspective_change", args=[p.pk])
    before = p.description
    long = "x" * (LONG_TEXT_LENGTH + 1)
    response = client.post(url, {"name": p.name, "description": long, "order": "0"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["description"]
    p.refresh_from_db()
    assert p.description == before


def test_a_number_too_big_for_excel_is_a_problem_in_its_cell_not_an_unreadable_file(world):
    # Found by the property test: 1.7976931348623157e308 is read back as infinity.
    data = xlsx({"Utfall": [[world.indicator.pk, "2024", "T", 1.7976931348623157e308, ""]]})
    plan = read_plan(io.BytesIO(data), user=world.controller)
    assert [(p.sheet, p.column, p.message) for p in plan.problems] == [
        ("Utfall", "Värde", "Talet är för stort.")
    ]


def test_a_number_beyond_the_column_is_refused_on_every_database(client, world):
    # SQLite would store 2**31 in an integer column; PostgreSQL cannot.
    goal = world.unit_goal
    client.force_login(world.editor)
    response = client.post(reverse("goals:goal_edit", args=[goal.pk]), goal_data(goal, order=2**31))
    assert response.status_code == 200
    assert response.context["form"].errors["order"] == [
        "Kontrollera att detta värde är mindre än eller lika med 2147483647."
    ]
    goal.refresh_from_db()
    assert goal.order == 0
