"""The proposed-fulfilment rule: Python and SQL agree, and the screens show it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from goals.fulfilment import Assessment, classify, combine
from goals.models import Goal, Measurement, Target
from goals.services import indicator_refresh_latest
from tests.factories import IndicatorFactory

D = Decimal


@pytest.mark.parametrize(
    ("direction", "value", "target", "expected"),
    [
        ("higher", D(80), D(80), Assessment.MET),
        ("higher", D(73), D(80), Assessment.PARTLY),  # within 10 % of 80 = 8
        ("higher", D(71), D(80), Assessment.NOT_MET),
        ("lower", D(5), D(6), Assessment.MET),
        ("lower", D("6.5"), D(6), Assessment.PARTLY),
        ("lower", D(7), D(6), Assessment.NOT_MET),
        ("target", D(102), D(100), Assessment.MET),  # within half the tolerance
        ("target", D(93), D(100), Assessment.PARTLY),
        ("target", D(85), D(100), Assessment.NOT_MET),
        ("higher", None, D(80), Assessment.NOT_ASSESSED),
        ("higher", D(80), None, Assessment.NOT_ASSESSED),
    ],
)
def test_classify(direction, value, target, expected):
    assert classify(direction, value, target, D("0.10")) == expected


def test_combine():
    M, P, N, X = Assessment.MET, Assessment.PARTLY, Assessment.NOT_MET, Assessment.NOT_ASSESSED
    assert combine([M, M, X]) == M
    assert combine([N, N]) == N
    assert combine([M, N]) == P
    assert combine([P]) == P
    assert combine([X]) == X
    assert combine([]) == X


CASES = [
    ("higher", 80, 80),
    ("higher", 73, 80),
    ("higher", 71, 80),
    ("lower", 5, 6),
    ("lower", "6.5", 6),
    ("lower", 7, 6),
    ("target", 102, 100),
    ("target", 93, 100),
    ("target", 85, 100),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", range(len(CASES)))
def test_sql_annotation_agrees_with_python_rule(world, case):
    direction, value, target = CASES[case]
    goal = world.council_goal
    ind = IndicatorFactory(responsible_unit=world.kf, direction=direction, goals=[goal])
    Measurement.objects.create(indicator=ind, period="2025", value=D(str(value)))
    Target.objects.create(indicator=ind, year=2025, value=D(str(target)))
    indicator_refresh_latest({ind.pk})
    annotated = Goal.objects.with_proposal().get(pk=goal.pk)
    assert annotated.proposal == combine([classify(direction, D(str(value)), D(str(target)))])


@pytest.mark.django_db
def test_latest_value_is_compared_with_the_target_of_its_own_year(world):
    ind = IndicatorFactory(responsible_unit=world.kf, goals=[world.council_goal])
    Measurement.objects.create(indicator=ind, period="2024", value=D(50))
    Measurement.objects.create(indicator=ind, period="2025", value=D(90))
    Target.objects.create(indicator=ind, year=2024, value=D(100))
    Target.objects.create(indicator=ind, year=2025, value=D(85))
    indicator_refresh_latest({ind.pk})
    assert Goal.objects.with_proposal().get(pk=world.council_goal.pk).proposal == Assessment.MET


@pytest.mark.django_db
def test_chain_and_goal_page_show_the_proposal_as_symbol_and_word(client, world):
    ind = world.indicator  # measures the unit goal and the committee goal
    Measurement.objects.create(indicator=ind, period="2025", value=D(60))
    Target.objects.create(indicator=ind, year=2025, value=D(80))
    indicator_refresh_latest({ind.pk})
    client.force_login(world.reader)
    chain = client.get(reverse("goals:chain"), {"oppna": [world.council_goal.pk]})
    assert "✗ </span>Förslag från indikatorerna: Ej uppfyllt" in chain.content.decode()
    page = client.get(reverse("goals:goal_detail", args=[world.unit_goal.pk]))
    html = page.content.decode()
    assert "Förslag till bedömning" in html
    assert "Ej uppfyllt" in html
    assert "Så föreslås bedömningen" in html  # the rule is described where it is used
    assert "<svg" in html and 'role="img"' in html
