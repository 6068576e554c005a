"""An indicator whose values a closed round has locked cannot be deleted by any path
(issue 11, point 5): the admin's delete page, its bulk "delete selected" action, the
service and the model's ``delete()`` all refuse with the same Swedish message, and
nothing is deleted (rows and history as they were). One without locked values is
deleted, with the acting user in its history."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.models import Indicator, Measurement, Target
from goals.services import ValueInput, indicator_delete, measurements_save, targets_save
from ledmot.services import LockedError
from tests.factories import IndicatorFactory
from tests.goals.test_locks import close_annual_report

LOCKED = (
    "Indikatorn ”Andel elever i åk 9 med godkänt i matematik” har värden som ingår i "
    "Årsredovisning 2025, som är stängd, och kan inte tas bort"
)


def counts():
    return (
        Indicator.objects.count(),
        Measurement.objects.count(),
        Target.objects.count(),
        Indicator.history.count(),
        Measurement.history.count(),
        Target.history.count(),
    )


@pytest.fixture
def locked(world):
    w = world
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("70"))], user=w.controller)
    targets_save(indicator=w.indicator, values={2025: Decimal("80")}, user=w.controller)
    close_annual_report(w)
    w.admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    w.before = counts()
    return w


def test_the_admin_delete_page_refuses_with_the_message(client, locked):
    w = locked
    client.force_login(w.admin)
    url = reverse("admin:goals_indicator_delete", args=[w.indicator.pk])
    for response in (client.get(url), client.post(url, {"post": "yes"})):
        assert response.status_code == 403
        assert LOCKED in response.content.decode()
    assert counts() == w.before
    page = client.get(reverse("admin:goals_indicator_change", args=[w.indicator.pk]))
    assert url not in page.content.decode()  # no delete link offered


def test_the_admin_bulk_delete_refuses_with_the_message(client, locked):
    w = locked
    free = IndicatorFactory(name="Utan låsta värden", responsible_unit=w.skola1)
    before = counts()
    client.force_login(w.admin)
    changelist = reverse("admin:goals_indicator_changelist")
    for data in ({}, {"post": "yes"}):  # the confirmation page and the confirmed post
        response = client.post(
            changelist,
            {"action": "delete_selected", "_selected_action": [w.indicator.pk, free.pk], **data},
        )
        assert response.status_code == 403
        assert LOCKED in response.content.decode()
    assert counts() == before


def test_the_service_and_the_model_refuse(locked):
    w = locked
    with pytest.raises(LockedError, match=LOCKED):
        indicator_delete(indicator=w.indicator, user=w.controller)
    with pytest.raises(LockedError, match=LOCKED):
        Indicator.objects.get(pk=w.indicator.pk).delete()
    assert counts() == w.before


def test_a_locked_target_alone_also_refuses(world):
    w = world
    targets_save(indicator=w.indicator, values={2025: Decimal("80")}, user=w.controller)
    close_annual_report(w)
    with pytest.raises(LockedError, match=LOCKED):
        indicator_delete(indicator=w.indicator, user=w.controller)


def test_an_indicator_without_locked_values_is_deleted_in_bulk_with_history(client, world):
    w = world
    # A value of 2026 is not in the closed annual report 2025.
    close_annual_report(w)
    measurements_save(values=[ValueInput(w.indicator, "2026", Decimal("70"))], user=w.controller)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    response = client.post(
        reverse("admin:goals_indicator_changelist"),
        {"action": "delete_selected", "_selected_action": [w.indicator.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Indicator.objects.exists()
    deleted = Indicator.history.filter(history_type="-").get()
    assert deleted.history_user == admin


def test_the_open_rounds_values_do_not_lock(world):
    w = world
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("70"))], user=w.controller)
    from tests.followup.helpers import open_round

    open_round(w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
    indicator_delete(indicator=w.indicator, user=w.controller)
    assert not Indicator.objects.exists()
