"""The admin is one more way to edit: a save from a stale admin page is refused like one
from a screen, also for what is edited only there (perspectives, follow-up kinds)."""

import pytest
from django.urls import reverse

from followup.models import RoundKind
from goals.models import Perspective
from ledmot.services import versioned_save

CONFLICT = "Någon annan har sparat en ny version medan du skrev."


def loaded(client, url) -> dict:
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    return {k: v for k, v in data.items() if v is not None and v is not False}


@pytest.fixture
def admin_client(client, world):
    world.controller.is_staff = world.controller.is_superuser = True
    world.controller.save()
    client.force_login(world.controller)
    return client


@pytest.mark.parametrize(
    ("model", "make", "field"),
    [
        (Perspective, lambda: Perspective.objects.create(name="Hållbarhet"), "name"),
        (RoundKind, lambda: RoundKind.objects.create(name="Månadsrapport"), "name"),
    ],
)
def test_a_stale_admin_page_is_refused_and_the_other_save_is_kept(
    admin_client, world, model, make, field
):
    obj = make()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    stale = loaded(admin_client, url)

    other = model.objects.get(pk=obj.pk)
    setattr(other, field, "Sparat av en kollega")
    versioned_save(other, user=world.editor, expected_version=other.version)

    stale[field] = "Från en gammal sida"
    response = admin_client.post(url, stale)

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert getattr(model.objects.get(pk=obj.pk), field) == "Sparat av en kollega"
    fresh = loaded(admin_client, url)
    fresh[field] = "Från en ny sida"
    assert admin_client.post(url, fresh).status_code == 302
    assert getattr(model.objects.get(pk=obj.pk), field) == "Från en ny sida"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_saving_the_same_perspective_at_once_give_one_winner():
    from ledmot.models import Role
    from tests.concurrency import signed_in_clients, together
    from tests.conftest import build_world
    from tests.factories import UserFactory, grant

    w = build_world()
    admins = [w.controller, UserFactory(username="admin2")]
    grant(admins[1], w.kf, Role.CONTROLLER)
    for user in admins:
        user.is_staff = user.is_superuser = True
        user.save()
    obj = Perspective.objects.create(name="Hållbarhet")
    url = reverse("admin:goals_perspective_change", args=[obj.pk])
    clients = signed_in_clients(admins)
    page = loaded(clients[0], url)
    forms = [dict(page, name="Namn A"), dict(page, name="Namn B")]

    responses = together(2, lambda i: clients[i].post(url, forms[i]))

    saved = [i for i, r in enumerate(responses) if r.status_code == 302 and r["Location"] != url]
    assert len(saved) == 1, [(r.status_code, r.get("Location")) for r in responses]
    loser = responses[1 - saved[0]]
    assert loser.status_code == 200 or loser["Location"] == url
    assert Perspective.objects.get(pk=obj.pk).name == forms[saved[0]]["name"]
    assert Perspective.objects.get(pk=obj.pk).history.count() == 2


def test_every_admin_with_history_refuses_to_save_back_a_past_version():
    """simple_history's revert would save an old row whole past the services, the locks
    and the version check; every admin with history is a HistoryAdmin, which refuses it."""
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from ledmot.admin import HistoryAdmin

    loose = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, HistoryAdmin)
    ]
    assert loose == []


def test_a_goal_is_not_reverted_to_an_old_text_from_its_history(admin_client, world):
    goal = world.unit_goal
    old_record = goal.history.latest()
    old_title = goal.title
    goal.title = "Fler elever når kunskapskraven i alla ämnen"
    versioned_save(goal, user=world.editor, expected_version=goal.version)
    records = goal.history.count()
    url = reverse("admin:goals_goal_simple_history", args=[goal.pk, old_record.history_id])

    response = admin_client.post(url, loaded(admin_client, url))

    assert response.status_code == 403
    assert "En tidigare version kan visas här men inte återställas." in response.content.decode()
    goal.refresh_from_db()
    assert goal.title == "Fler elever når kunskapskraven i alla ämnen" != old_title
    assert goal.history.count() == records


def test_no_admin_list_saves_rows_past_the_version_check():
    """A changelist with editable columns saves each row without the version it was
    loaded with; versioned records are edited only in their own (checked) form."""
    from django.contrib import admin

    from ledmot.models import VersionedModel

    editable_lists = [
        type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if issubclass(model, VersionedModel) and model_admin.list_editable
    ]
    assert editable_lists == []
