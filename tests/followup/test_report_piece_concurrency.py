"""Two saves of one goal's assessment at the same instant (issue 13, point 1), on
PostgreSQL with a connection per request, as in production: two people with different
texts, one wins and the other is told, with both texts; one person's draft save and
"Spara" with the same text, both are answered "Sparat" and the text is saved once."""

import pytest
from django.urls import reverse

from followup.models import GoalAssessment, Report
from ledmot.models import Role
from tests.concurrency import signed_in_clients, together
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONFLICT = "Någon annan har sparat en ny version medan du skrev."
HTMX = {"HX-Request": "true"}


def _setup():
    w = build_world()
    report = Report.objects.get(round=open_round(w), org_unit=w.skola1)
    assessment = report.assessments.get(goal=w.unit_goal)
    colleague = UserFactory(username="kollega", first_name="Kim", last_name="Kollega")
    grant(colleague, w.skola1, Role.EDITOR)
    url = reverse("followup:assessment_edit", args=[report.pk, assessment.pk])
    return w, assessment, colleague, url


def _data(assessment, analysis):
    return {"chosen": assessment.proposed, "analysis": analysis, "version": assessment.version}


def test_two_people_saving_at_once_one_wins_the_other_sees_both_texts():
    w, assessment, colleague, url = _setup()
    history = assessment.history.count()
    clients = signed_in_clients([w.editor, colleague])
    texts = ["Annas analys", "Kims analys"]

    responses = together(
        2, lambda i: clients[i].post(url, _data(assessment, texts[i]), headers=HTMX)
    )

    assert [r.status_code for r in responses] == [200, 200]
    bodies = [r.content.decode() for r in responses]
    lost = [i for i, body in enumerate(bodies) if CONFLICT in body]
    assert len(lost) == 1, bodies
    winner = 1 - lost[0]
    assert "Sparat" in bodies[winner]
    assert texts[winner] in bodies[lost[0]] and texts[lost[0]] in bodies[lost[0]]  # both texts
    saved = GoalAssessment.objects.get(pk=assessment.pk)
    assert (saved.analysis, saved.version) == (texts[winner], assessment.version + 1)
    assert saved.history.count() == history + 1


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_one_persons_draft_save_and_spara_at_once_save_the_text_once(htmx):
    w, assessment, _colleague, url = _setup()
    history = assessment.history.count()
    clients = signed_in_clients([w.editor, w.editor])
    data = _data(assessment, "Annas analys")

    responses = together(
        2, lambda i: clients[i].post(url, data, headers=HTMX if i == 0 or htmx else {})
    )

    for response in responses:
        assert response.status_code in (200, 302)
        assert CONFLICT not in response.content.decode()
    saved = GoalAssessment.objects.get(pk=assessment.pk)
    assert (saved.analysis, saved.version) == ("Annas analys", assessment.version + 1)
    assert saved.history.count() == history + 1
