"""The lock on /resultat/ is drawn, not typed (issue 11, point 8): an inline SVG beside
the text that says what locked the value, so it shows without an emoji font on the
reader's computer and the status is never told by the icon alone."""

from decimal import Decimal

import pytest
from django.urls import reverse

from goals.services import ValueInput, measurements_save
from tests.goals.test_locks import VALUE_LOCKED, close_annual_report


@pytest.mark.django_db
def test_a_locked_value_shows_a_drawn_lock_with_its_reason(client, world):
    w = world
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("70"))], user=w.controller)
    close_annual_report(w)
    client.force_login(w.editor)
    html = client.get(reverse("goals:results") + "?period=2025").content.decode()
    flag = html[html.index(f'id="las-{w.indicator.pk}"') :]
    flag = flag[: flag.index("</p>")]
    assert "<svg" in flag and 'aria-hidden="true"' in flag
    assert VALUE_LOCKED in flag
    assert "🔒" not in html
