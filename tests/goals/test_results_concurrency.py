"""Indicator values saved at the same moment (issue 11, point 1): one winner, a clear
conflict for everyone else, never a 500 and never a silent loss.

The simultaneous tests send real HTTP POSTs from twenty signed-in clients released
together (tests/concurrency.py) and need PostgreSQL's row locks; the stale-form test
at the end runs on both databases.
"""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import Measurement
from goals.results import due_period
from goals.services import ValueInput, measurements_save
from ledmot.models import Role
from tests.concurrency import signed_in_clients, together
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.goals.test_results import _hidden_fields

URL = reverse("goals:results")
CONFLICT = "Någon annan har sparat medan du skrev"
N = 20


def _editors(w, n):
    users = []
    for i in range(n):
        user = UserFactory(username=f"samtidig{i}", first_name="Person", last_name=f"Nr {i}")
        grant(user, w.skola1, Role.EDITOR)
        users.append(user)
    return users


def _form(response) -> dict:
    """What the browser would post from the page: hidden fields, cells and comments."""
    fields = {k: html.unescape(v) for k, v in _hidden_fields(response).items()}
    for name, text in re.findall(
        r'<textarea [^>]*name="(c-\d+)"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    ):
        fields[name] = html.unescape(text)
    return fields


def _loaded_forms(clients):
    """Every person opens the page before anyone saves (the race is in the save)."""
    return [_form(client.get(URL)) for client in clients]


def _race(w, initial: Decimal | None):
    """Twenty people post different values for the same cell at the same moment."""
    period = due_period("year", timezone.localdate()).key
    if initial is not None:
        measurements_save(
            values=[ValueInput(w.indicator, period, initial)], user=w.controller, reason="start"
        )
    clients = signed_in_clients(_editors(w, N))
    forms = _loaded_forms(clients)
    cell = f"v-{w.indicator.pk}-T"
    for i, form in enumerate(forms):
        form[cell] = str(i + 1)  # 1..20, none equal to the initial value
    responses = together(N, lambda i: clients[i].post(URL, forms[i]))
    return period, responses


def _assert_one_winner(w, period, responses, history_before: int):
    assert not [r for r in responses if isinstance(r, BaseException)], responses
    statuses = sorted(r.status_code for r in responses)
    assert 500 not in statuses, statuses
    winners = [i for i, r in enumerate(responses) if r.status_code == 302]
    assert len(winners) == 1, statuses
    losers = [r for r in responses if r.status_code != 302]
    assert all(r.status_code == 200 for r in losers), statuses
    for r in losers:
        page = r.content.decode()
        assert CONFLICT in page
        assert "har ändrat värdet till" in page
    stored = Measurement.objects.get(indicator=w.indicator, period=period, gender="T")
    assert stored.value == Decimal(winners[0] + 1)
    assert stored.entered_by.username == f"samtidig{winners[0]}"
    assert stored.history.count() == history_before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_saves_of_an_existing_cell_give_one_winner():
    w = build_world()
    period, responses = _race(w, initial=Decimal("50"))
    _assert_one_winner(w, period, responses, history_before=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_first_entries_into_an_empty_cell_give_one_winner():
    w = build_world()
    period, responses = _race(w, initial=None)
    _assert_one_winner(w, period, responses, history_before=0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_comment_and_a_value_saved_together_from_the_same_page_keep_one_whole():
    """A writes a comment, B (same page, loaded at the same time) changes the value:
    whoever saves second is told, and the stored row is the winner's, whole."""
    w = build_world()
    period = due_period("year", timezone.localdate()).key
    measurements_save(values=[ValueInput(w.indicator, period, Decimal("50"))], user=w.controller)
    a, b = _editors(w, 2)
    clients = signed_in_clients([a, b])
    forms = _loaded_forms(clients)
    forms[0][f"c-{w.indicator.pk}"] = "Nationella proven räknas med"
    forms[1][f"v-{w.indicator.pk}-T"] = "55"
    responses = together(2, lambda i: clients[i].post(URL, forms[i]))
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [200, 302], statuses
    loser = responses[statuses.index(200)].content.decode()
    assert CONFLICT in loser
    stored = Measurement.objects.get(indicator=w.indicator, period=period, gender="T")
    if statuses[0] == 302:
        assert (stored.value, stored.comment) == (Decimal("50"), "Nationella proven räknas med")
    else:
        assert (stored.value, stored.comment) == (Decimal("55"), "")
    assert stored.history.count() == 2


@pytest.mark.django_db
def test_a_stale_form_does_not_empty_the_comment_someone_else_saved():
    """B loaded the page, A then added a comment; B's save of a new value from the old
    page is refused with the conflict, and A's comment stays."""
    w = build_world()
    period = due_period("year", timezone.localdate()).key
    measurements_save(values=[ValueInput(w.indicator, period, Decimal("50"))], user=w.controller)
    a, b = _editors(w, 2)
    client_a, client_b = signed_in_clients([a, b])
    stale = _form(client_b.get(URL))

    form = _form(client_a.get(URL))
    form[f"c-{w.indicator.pk}"] = "Nationella proven räknas med"
    assert client_a.post(URL, form).status_code == 302

    stale[f"v-{w.indicator.pk}-T"] = "55"
    response = client_b.post(URL, stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    assert "Person Nr 0 har ändrat kommentaren" in page
    assert "Nationella proven räknas med" in page  # the other person's comment, to compare
    stored = Measurement.objects.get(indicator=w.indicator, period=period, gender="T")
    assert (stored.value, stored.comment) == (Decimal("50"), "Nationella proven räknas med")
    assert stored.history.count() == 2

    # The page now carries what is saved: saving again (B still wants 55) goes through.
    again = _form(response)
    again[f"c-{w.indicator.pk}"] = "Nationella proven räknas med"
    assert client_b.post(URL, again).status_code == 302
    stored.refresh_from_db()
    assert (stored.value, stored.comment) == (Decimal("55"), "Nationella proven räknas med")


@pytest.mark.django_db
def test_a_comment_with_line_breaks_is_no_conflict_when_the_browser_sends_them_back():
    """A browser posts line breaks as CRLF; a comment stored with LF (the import) is
    still the same comment, so saving a value next to it is no conflict."""
    w = build_world()
    period = due_period("year", timezone.localdate()).key
    measurements_save(
        values=[ValueInput(w.indicator, period, Decimal("50"), comment="Rad ett\nRad två")],
        user=w.controller,
    )
    [client] = signed_in_clients(_editors(w, 1))
    form = _form(client.get(URL))
    for name in (f"c-{w.indicator.pk}", f"oc-{w.indicator.pk}"):
        assert form[name] == "Rad ett\nRad två"
        form[name] = form[name].replace("\n", "\r\n")
    form[f"v-{w.indicator.pk}-T"] = "55"
    assert client.post(URL, form).status_code == 302
    assert Measurement.objects.get(indicator=w.indicator, gender="T").value == Decimal("55")


@pytest.mark.django_db
def test_a_gender_cell_keeps_its_comment_when_its_value_is_changed_on_the_page():
    """The page edits one comment per indicator (the total's); a comment on the women's
    or men's value (from the import) is kept, not emptied, when that value changes."""
    w = build_world()
    w.indicator.gender_breakdown = True
    w.indicator.save()
    period = due_period("year", timezone.localdate()).key
    measurements_save(
        values=[ValueInput(w.indicator, period, Decimal("40"), gender="K", comment="Från SCB")],
        user=w.controller,
    )
    [client] = signed_in_clients(_editors(w, 1))
    form = _form(client.get(URL))
    form[f"v-{w.indicator.pk}-K"] = "41"
    assert client.post(URL, form).status_code == 302
    women = Measurement.objects.get(indicator=w.indicator, gender="K")
    assert (women.value, women.comment) == (Decimal("41"), "Från SCB")
    assert not Measurement.objects.filter(indicator=w.indicator, gender="T").exists()
