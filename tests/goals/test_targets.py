"""The indicator page's targets form: only what the person changed is saved, a year
someone else saved meanwhile is a conflict, and numbers the database cannot hold get a
message beside the field, never a 500 (issue 11, points 2 and 4)."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from goals import services
from goals.models import Target
from goals.services import targets_save
from ledmot.models import Role
from tests.concurrency import signed_in_clients, together
from tests.conftest import build_world
from tests.factories import UserFactory, grant


def targets_url(indicator):
    return reverse("goals:indicator_targets", args=[indicator.pk])


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and re.fullmatch(r"[to]-\d{4}", attrs.get("name") or ""):
            self.values[attrs["name"]] = attrs.get("value") or ""


def form_in(response) -> dict[str, str]:
    """The targets form's inputs (per year, and the hidden values they were loaded
    with) as the page shows them, to post back as a browser would."""
    parser = _Inputs()
    parser.feed(response.content.decode())
    return parser.values


def loaded_form(client, indicator) -> dict[str, str]:
    return form_in(client.get(reverse("goals:indicator_detail", args=[indicator.pk])))


def saved(indicator) -> dict[int, Decimal]:
    return dict(Target.objects.filter(indicator=indicator).values_list("year", "value"))


@pytest.fixture
def targets(world):
    """SKOLA1's indicator (a share, in %) with targets 2023–2026."""
    w = world
    values = {2023: Decimal("70"), 2024: Decimal("72"), 2025: Decimal("74"), 2026: Decimal("76")}
    targets_save(indicator=w.indicator, values=values, user=w.controller)
    w.colleague = colleague(w)
    return w


def colleague(w):
    """A second editor of SKOLA1."""
    user = UserFactory(username="kollega", first_name="Kim", last_name="")
    grant(user, w.skola1, Role.EDITOR)
    return user


# --------------------------------------------------------------------------- stale forms


def test_a_stale_form_leaves_the_years_the_person_did_not_touch(client, targets):
    w = targets
    client.force_login(w.editor)
    stale = loaded_form(client, w.indicator)
    targets_save(
        indicator=w.indicator,
        values={2024: Decimal("73"), 2025: Decimal("75.5")},
        user=w.colleague,
    )

    stale["t-2025"] = "75,50"  # the same change as the colleague's: no conflict
    response = client.post(targets_url(w.indicator), stale)

    assert response.status_code == 302
    assert saved(w.indicator) == {
        2023: Decimal("70"),
        2024: Decimal("73"),  # the colleague's, not put back to 72
        2025: Decimal("75.5"),
        2026: Decimal("76"),
    }
    assert Target.history.filter(indicator_id=w.indicator.pk, year=2024).count() == 2


def test_a_year_both_changed_is_a_conflict_naming_the_year_and_the_saved_value(client, targets):
    w = targets
    client.force_login(w.editor)
    stale = loaded_form(client, w.indicator)
    targets_save(indicator=w.indicator, values={2025: Decimal("80")}, user=w.colleague)
    before = Target.history.count()

    stale["t-2025"] = "77"
    stale["t-2026"] = "79"
    response = client.post(targets_url(w.indicator), stale)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kim har ändrat målvärdet för 2025 till 80 medan du skrev." in html
    assert 'id="id_t-2025_error"' in html
    assert saved(w.indicator)[2025] == Decimal("80")
    assert saved(w.indicator)[2026] == Decimal("76")  # nothing saved
    assert Target.history.count() == before
    # The page now carries the saved value as the loaded one: saving again goes through.
    again = form_in(response)
    assert again["o-2025"] == "80" and again["t-2025"] == "77"
    assert client.post(targets_url(w.indicator), again).status_code == 302
    assert saved(w.indicator)[2025] == Decimal("77")
    assert saved(w.indicator)[2026] == Decimal("79")


def test_a_removed_target_that_someone_else_set_again_is_a_conflict(client, targets):
    w = targets
    client.force_login(w.editor)
    stale = loaded_form(client, w.indicator)
    targets_save(indicator=w.indicator, values={2023: None}, user=w.colleague)
    stale["t-2023"] = "71"
    response = client.post(targets_url(w.indicator), stale)
    assert "målvärdet för 2023 till tomt medan du skrev" in response.content.decode()
    assert 2023 not in saved(w.indicator)


def test_a_form_without_the_loaded_values_saves_nothing(client, targets):
    w = targets
    client.force_login(w.editor)
    response = client.post(targets_url(w.indicator), {"t-2024": "1"})
    assert response.status_code == 200
    assert "Ladda om sidan" in response.content.decode()
    assert saved(w.indicator)[2024] == Decimal("72")


def test_the_service_refuses_a_year_saved_since_and_writes_nothing(targets):
    w = targets
    with pytest.raises(services.TargetsConflict) as exc:
        targets_save(
            indicator=w.indicator,
            values={2024: Decimal("1"), 2025: Decimal("2")},
            expected={2024: Decimal("72"), 2025: Decimal("73")},
            user=w.editor,
        )
    assert set(exc.value.current) == {2025}
    assert saved(w.indicator)[2024] == Decimal("72")


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1" * 30, "Talet är för stort."),
        ("100000000000000", "Talet är för stort."),
        ("12,34567", "Högst fyra decimaler."),
        ("101", "En andel måste ligga mellan 0 och 100 %."),
    ],
)
def test_a_number_the_target_cannot_hold_gets_a_message_beside_the_field(
    client, targets, typed, message
):
    w = targets
    client.force_login(w.editor)
    data = loaded_form(client, w.indicator)
    data["t-2024"] = typed
    response = client.post(targets_url(w.indicator), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_t-2024_error"' in html
    assert message in html
    assert saved(w.indicator)[2024] == Decimal("72")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9" * 30, "Talet är för stort."),
        ("−100 000 000 000 000", "Talet är för stort."),
        ("80,00001", "Högst fyra decimaler."),
        ("150", "En andel måste ligga mellan 0 och 100 %."),
    ],
)
def test_a_linear_fill_to_an_impossible_end_target_gets_a_message(client, targets, typed, message):
    w = targets
    w.indicator.baseline_value, w.indicator.baseline_year = Decimal("60"), 2022
    w.indicator.save()
    client.force_login(w.editor)
    response = client.post(targets_url(w.indicator), {"fill": "1", "end_value": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_end_value_error"' in html
    assert message in html
    assert saved(w.indicator)[2026] == Decimal("76")


def test_the_inputs_say_how_long_a_number_may_be(client, targets):
    w = targets
    client.force_login(w.editor)
    html = client.get(reverse("goals:indicator_detail", args=[w.indicator.pk])).content.decode()
    assert 'name="t-2024"' in html
    assert 'maxlength="40"' in html
    assert '<label for="id_t-2024">2024' in html


# --------------------------------------------------------------------------- simultaneous


def _post(client, indicator, data):
    return client.post(targets_url(indicator), data)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_people_saving_different_years_from_the_same_page_at_once_keep_every_year():
    w = build_world()
    before = {2023: Decimal("70"), 2024: Decimal("72"), 2025: Decimal("74"), 2026: Decimal("76")}
    targets_save(indicator=w.indicator, values=before, user=w.editor)
    people = [w.editor, colleague(w)]
    for n in range(2):
        person = UserFactory(username=f"kollega{n}")
        grant(person, w.skola1, Role.EDITOR)
        people.append(person)
    clients = signed_in_clients(people)
    page = loaded_form(clients[0], w.indicator)
    # Each changes one year of the same loaded page and leaves the others as loaded.
    forms = [dict(page, **{f"t-{year}": str(80 + i)}) for i, year in enumerate(before)]

    responses = together(4, lambda i: _post(clients[i], w.indicator, forms[i]))

    assert [r.status_code for r in responses] == [302] * 4
    assert saved(w.indicator) == {year: Decimal(80 + i) for i, year in enumerate(before)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_saving_the_same_year_give_one_winner_and_one_conflict():
    w = build_world()
    clients = signed_in_clients([w.editor, colleague(w)])
    page = loaded_form(clients[0], w.indicator)  # no targets yet: a first entry for both
    forms = [dict(page, **{"t-2025": "80"}), dict(page, **{"t-2025": "90"})]

    responses = together(2, lambda i: _post(clients[i], w.indicator, forms[i]))

    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 302]
    winner = 0 if responses[0].status_code == 302 else 1
    loser = responses[1 - winner]
    assert "har ändrat målvärdet för 2025 till" in loser.content.decode()
    assert saved(w.indicator) == {2025: Decimal(forms[winner]["t-2025"])}
    assert Target.history.filter(indicator_id=w.indicator.pk).count() == 1
