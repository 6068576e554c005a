"""The vision has the goals' lost-update check: two controllers saving it cannot both
get "sparat" while the first text disappears (issue 11, point 2)."""

import pytest
from django.urls import reverse

from goals.models import Goal, MandatePeriod, Vision
from ledmot.models import Role
from ledmot.services import versioned_save
from tests.concurrency import signed_in_clients, together
from tests.conftest import build_world
from tests.factories import UserFactory, grant

CONFLICT = "Någon annan har sparat en ny version medan du skrev."


def vision_url(period):
    return reverse("goals:vision_edit", args=[period.pk])


def loaded_form(client, period) -> dict[str, str]:
    form = client.get(vision_url(period)).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def second_controller(w):
    user = UserFactory(username="controller2", first_name="Karin", last_name="Kvalitet")
    grant(user, w.kf, Role.CONTROLLER)
    return user


def test_a_stale_vision_form_is_a_conflict_and_the_first_text_is_kept(client, world):
    w = world
    other = second_controller(w)
    client.force_login(w.controller)
    mine = loaded_form(client, w.period)
    client.force_login(other)
    theirs = loaded_form(client, w.period)
    theirs["text"] = "Åsbacka – tryggt, grönt och nära."
    assert client.post(vision_url(w.period), theirs).status_code == 302

    client.force_login(w.controller)
    mine["text"] = "Åsbacka – där alla får växa."
    response = client.post(vision_url(w.period), mine)

    assert response.status_code == 409
    html = response.content.decode()
    assert CONFLICT in html
    assert "senast sparad av Karin Kvalitet" in html
    assert "Åsbacka – tryggt, grönt och nära." in html  # what the other saved, in the diff
    assert Vision.objects.get().text == "Åsbacka – tryggt, grönt och nära."
    assert Vision.objects.get().history.count() == 2
    # Saving again from the conflict page is based on the version now saved.
    again = {name: response.context["form"][name].value() or "" for name in mine}
    assert client.post(vision_url(w.period), again).status_code == 302
    assert Vision.objects.get().text == "Åsbacka – där alla får växa."


def test_a_vision_written_while_the_page_had_none_is_a_conflict(client, world):
    w = world
    period = MandatePeriod.objects.create(start_year=2027, end_year=2030)
    client.force_login(w.controller)
    blank = loaded_form(client, period)
    Vision.objects.create(mandate_period=period, text="Först")

    blank["text"] = "Sist"
    response = client.post(vision_url(period), blank)

    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    assert Vision.objects.get(mandate_period=period).text == "Först"


def test_an_admin_save_makes_an_open_form_stale(client, world):
    w = world
    w.controller.is_staff = w.controller.is_superuser = True
    w.controller.save()
    client.force_login(w.controller)
    stale = loaded_form(client, w.period)
    admin_url = reverse("admin:goals_vision_change", args=[w.vision.pk])
    admin_form = client.get(admin_url).context["adminform"].form
    response = client.post(
        admin_url,
        {
            "mandate_period": w.period.pk,
            "text": "Från admin",
            "decision_reference": "",
            "version": admin_form["version"].value(),
        },
    )
    assert response.status_code == 302
    stale["text"] = "Från formuläret"
    assert client.post(vision_url(w.period), stale).status_code == 409
    assert Vision.objects.get().text == "Från admin"


def test_a_stale_admin_page_cannot_overwrite_a_goal_saved_on_the_screen(client, world):
    """The admin is one more way in: it has the same version check as the screens."""
    w = world
    w.controller.is_staff = w.controller.is_superuser = True
    w.controller.save()
    client.force_login(w.controller)
    admin_url = reverse("admin:goals_goal_change", args=[w.council_goal.pk])
    page = client.get(admin_url)
    assert 'name="version"' in page.content.decode()
    loaded = page.context["adminform"].form
    data = {name: loaded[name].value() for name in loaded.fields}
    data = {k: v for k, v in data.items() if v is not None and v is not False}

    goal = Goal.objects.get(pk=w.council_goal.pk)
    goal.title = "Sparat på skärmen"
    versioned_save(goal, user=w.editor, expected_version=goal.version)

    data["title"] = "Från en gammal adminsida"
    response = client.post(admin_url, data)

    assert response.status_code == 200
    assert "Någon annan har sparat en ny version medan du skrev." in response.content.decode()
    assert Goal.objects.get(pk=goal.pk).title == "Sparat på skärmen"
    data["version"] = Goal.objects.get(pk=goal.pk).version  # after reloading the page
    assert client.post(admin_url, data).status_code == 302
    assert Goal.objects.get(pk=goal.pk).title == "Från en gammal adminsida"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_controllers_saving_the_vision_at_once_give_one_winner_and_one_conflict():
    w = build_world()
    clients = signed_in_clients([w.controller, second_controller(w)])
    page = loaded_form(clients[0], w.period)
    forms = [dict(page, text="Vision A"), dict(page, text="Vision B")]

    responses = together(2, lambda i: clients[i].post(vision_url(w.period), forms[i]))

    assert sorted(r.status_code for r in responses) == [302, 409]
    winner = 0 if responses[0].status_code == 302 else 1
    assert CONFLICT in responses[1 - winner].content.decode()
    vision = Vision.objects.get()
    assert vision.text == forms[winner]["text"]
    assert vision.history.count() == 2  # created by the world, then the one winner


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_controllers_writing_a_periods_first_vision_at_once_give_one_conflict():
    w = build_world()
    period = MandatePeriod.objects.create(start_year=2027, end_year=2030)
    clients = signed_in_clients([w.controller, second_controller(w)])
    page = loaded_form(clients[0], period)
    forms = [dict(page, text="Vision A"), dict(page, text="Vision B")]

    responses = together(2, lambda i: clients[i].post(vision_url(period), forms[i]))

    assert sorted(r.status_code for r in responses) == [302, 409]
    winner = 0 if responses[0].status_code == 302 else 1
    assert Vision.objects.get(mandate_period=period).text == forms[winner]["text"]
