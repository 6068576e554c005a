"""Financial goals beside operational goals, and indicators as resources, performance
and results (Motala's model): the forms, the chain, the goal page, the indicator list
and the workbook."""

import io

import pytest
from django.urls import reverse

from goals.models import Goal, GoalType, Indicator, IndicatorKind
from goals.workbook.importer import CHANGE, apply_plan, read_plan
from tests.factories import IndicatorFactory
from tests.goals.test_goal_forms import goal_data
from tests.goals.workbook.helpers import edit, exported, find_row, sheet_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_editor_marks_a_goal_as_financial_and_the_chain_and_goal_page_say_so(world, client):
    w = world
    client.force_login(w.controller)
    goal = w.council_goal
    response = client.post(
        reverse("goals:goal_edit", args=[goal.pk]),
        goal_data(goal, goal_type=GoalType.FINANCIAL, shared=""),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.goal_type == GoalType.FINANCIAL
    assert [h.history_user for h in goal.history.all()[:1]] == [w.controller]
    chain = client.get(reverse("goals:chain")).content.decode()
    row = chain.split(f'id="mal-{goal.pk}"')[1].split("</div>")[0]
    assert "Finansiellt mål" in row
    other = chain.split(f'id="mal-{w.committee_goal.pk}"')
    assert len(other) == 1 or "Finansiellt mål" not in other[1].split("</div>")[0]
    page = client.get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
    assert "Finansiellt mål" in page


def test_a_post_without_the_goal_type_keeps_it(world, client):
    w = world
    goal = w.committee_goal
    goal.goal_type = GoalType.FINANCIAL
    goal.save()
    client.force_login(w.controller)
    data = goal_data(Goal.objects.get(pk=goal.pk), title="Ny titel")
    assert "goal_type" not in data
    assert client.post(reverse("goals:goal_edit", args=[goal.pk]), data).status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.goal_type) == ("Ny titel", GoalType.FINANCIAL)


def test_indicators_filter_by_kind(world, client):
    w = world
    IndicatorFactory(
        name="Nettokostnad grundskola kr/elev",
        kind=IndicatorKind.RESOURCE,
        responsible_unit=w.bun,
        kolada_id="N15008",
    )
    client.force_login(w.reader)
    url = reverse("goals:indicator_list")
    page = client.get(url, {"typ": "resurs"}).content.decode()
    assert "Nettokostnad grundskola kr/elev" in page
    assert w.indicator.name not in page
    assert "Resurs · År · Manuell inmatning" in page
    page = client.get(url, {"typ": "resultat"}).content.decode()
    assert "Nettokostnad grundskola kr/elev" not in page
    assert w.indicator.name in page
    # A value that is not a kind is ignored, not an error.
    page = client.get(url, {"typ": "pengar"})
    assert page.status_code == 200
    assert "Nettokostnad grundskola kr/elev" in page.content.decode()


def test_the_goal_page_groups_its_indicators_resources_performance_results(world, client):
    w = world
    goal = w.committee_goal
    IndicatorFactory(
        name="Aaa resultat", kind=IndicatorKind.RESULT, responsible_unit=w.bun, goals=[goal]
    )
    IndicatorFactory(
        name="Zzz resurs", kind=IndicatorKind.RESOURCE, responsible_unit=w.bun, goals=[goal]
    )
    IndicatorFactory(
        name="Mmm prestation",
        kind=IndicatorKind.PERFORMANCE,
        responsible_unit=w.bun,
        goals=[goal],
    )
    client.force_login(w.reader)
    page = client.get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
    table = page.split('id="indikatorer"')[1].split("</table>")[0]
    order = [table.index(s) for s in ("Resurs</th>", "Zzz resurs", "Prestation</th>")]
    order += [table.index(s) for s in ("Mmm prestation", "Resultat</th>", "Aaa resultat")]
    assert order == sorted(order)
    assert table.count('scope="rowgroup"') == 3


def test_the_workbook_carries_goal_type_and_indicator_kind(world):
    w = world
    data = exported(w.controller)
    goals = sheet_rows(data, "Mål")
    row = goals[find_row(data, "Mål", "Id", w.council_goal.pk) - 1]
    assert row[goals[0].index("Måltyp")] == "Verksamhetsmål"
    indicators = sheet_rows(data, "Indikatorer")
    irow = find_row(data, "Indikatorer", "Id", w.indicator.pk)
    assert indicators[irow - 1][indicators[0].index("Typ")] == "Resultat"

    data = edit(
        data, "Mål", find_row(data, "Mål", "Id", w.council_goal.pk), "Måltyp", "Finansiellt mål"
    )
    data = edit(data, "Indikatorer", irow, "Typ", "Resurs")
    plan = read_plan(io.BytesIO(data), user=w.controller)
    assert plan.ok, plan.problems
    changed = {(r.sheet, r.pk): r for rows in plan.rows.values() for r in rows}
    goal_row = changed[("goals", w.council_goal.pk)]
    assert goal_row.action == CHANGE
    assert [(c.column, c.old, c.new) for c in goal_row.changes] == [
        ("Måltyp", "Verksamhetsmål", "Finansiellt mål")
    ]
    apply_plan(plan, user=w.controller)
    assert Goal.objects.get(pk=w.council_goal.pk).goal_type == GoalType.FINANCIAL
    assert Indicator.objects.get(pk=w.indicator.pk).kind == IndicatorKind.RESOURCE

    # An empty cell leaves the type as it is; a wrong one is refused by row and column.
    data = edit(exported(w.controller), "Indikatorer", irow, "Typ", None)
    plan = read_plan(io.BytesIO(data), user=w.controller)
    assert plan.ok and not plan.has_changes
    data = edit(exported(w.controller), "Indikatorer", irow, "Typ", "Pengar")
    plan = read_plan(io.BytesIO(data), user=w.controller)
    assert [(p.sheet, p.row, p.column) for p in plan.problems] == [("Indikatorer", irow, "Typ")]
