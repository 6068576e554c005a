"""An indicator can be ended (issue 11, point 5): one with locked values cannot be
deleted, so it is ended instead. Its values and targets stay; values are no longer
asked for periods that start after the end (/resultat/, the follow-up report); it can
be resumed. Only an editor of the responsible unit may do either, with the version
check and the user in history."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import Indicator, Measurement
from goals.periods import ReportingPeriod
from goals.results import build_rows
from goals.services import (
    ValueInput,
    indicator_delete,
    indicator_end,
    measurements_save,
    targets_save,
)
from ledmot.services import LockedError
from tests.factories import IndicatorFactory
from tests.goals.test_locks import close_annual_report

END = datetime.date(2025, 12, 31)


def end_url(w):
    return reverse("goals:indicator_end", args=[w.indicator.pk])


def page_url(w):
    return reverse("goals:indicator_detail", args=[w.indicator.pk])


def state(w):
    ind = Indicator.objects.get(pk=w.indicator.pk)
    return ind.ended_on, ind.version, Indicator.history.filter(id=ind.pk).count()


@pytest.fixture
def measured(world):
    w = world
    measurements_save(
        values=[
            ValueInput(w.indicator, "2024", Decimal("71")),
            ValueInput(w.indicator, "2025", Decimal("73")),
        ],
        user=w.editor,
    )
    w.indicator.refresh_from_db()
    return w


def test_editor_ends_and_resumes_with_history(client, measured):
    w = measured
    client.force_login(w.editor)
    page = client.get(page_url(w)).content.decode()
    assert "Avsluta indikatorn" in page
    assert "värden och målvärden finns kvar" in page
    response = client.post(end_url(w), {"ended_on": "2025-12-31", "version": w.indicator.version})
    assert response.status_code == 302
    ind = Indicator.objects.get(pk=w.indicator.pk)
    assert ind.ended_on == END
    record = ind.history.latest()
    assert record.history_user == w.editor
    assert record.history_change_reason == "Avslutad"
    page = client.get(page_url(w)).content.decode()
    assert "Avslutad 31 december 2025" in page
    assert "Återuppta indikatorn" in page

    response = client.post(end_url(w), {"resume": "1", "version": ind.version})
    assert response.status_code == 302
    ind.refresh_from_db()
    assert ind.ended_on is None
    assert ind.history.latest().history_user == w.editor
    assert ind.history.latest().history_change_reason == "Återupptagen"
    assert "Avslutad" not in client.get(page_url(w)).content.decode()


@pytest.mark.parametrize("persona", ["reader", "other_editor"])
def test_reader_and_other_units_editor_are_refused(client, measured, persona):
    w = measured
    before = state(w)
    client.force_login(getattr(w, persona))
    assert "Avsluta indikatorn" not in client.get(page_url(w)).content.decode()
    response = client.post(end_url(w), {"ended_on": "2025-12-31", "version": w.indicator.version})
    assert response.status_code == 403
    assert state(w) == before


def test_anonymous_is_sent_to_login(client, measured):
    w = measured
    before = state(w)
    response = client.post(end_url(w), {"ended_on": "2025-12-31", "version": 1})
    assert response.status_code == 302
    assert "/login" in response["Location"] or "logga" in response["Location"]
    assert state(w) == before


def test_reader_sees_the_end_as_text(client, measured):
    w = measured
    ind = Indicator.objects.get(pk=w.indicator.pk)
    ind.ended_on = END
    ind.save()
    client.force_login(w.reader)
    page = client.get(page_url(w)).content.decode()
    assert "Avslutad 31 december 2025" in page
    assert "Återuppta indikatorn" not in page


def test_a_stale_version_gets_the_conflict_message(client, measured):
    w = measured
    loaded = w.indicator.version
    # Someone else changes the indicator after the page was loaded.
    client.force_login(w.editor)
    client.post(end_url(w), {"ended_on": "2025-12-31", "version": loaded})
    before = state(w)
    response = client.post(end_url(w), {"ended_on": "2026-06-30", "version": loaded})
    assert response.status_code == 409
    assert "Någon annan har sparat en ny version medan du skrev" in response.content.decode()
    assert state(w) == before


def test_an_end_before_the_latest_values_period_is_refused(client, measured):
    w = measured
    before = state(w)
    client.force_login(w.editor)
    response = client.post(end_url(w), {"ended_on": "2024-06-30", "version": w.indicator.version})
    assert response.status_code == 200
    assert "Indikatorn har ett värde för 2025 och kan inte avslutas före 2025-01-01" in (
        response.content.decode()
    )
    assert state(w) == before
    for absurd in ("9999-12-31", "1850-01-01"):
        response = client.post(end_url(w), {"ended_on": absurd, "version": w.indicator.version})
        assert "Ange ett datum mellan 1990-01-01 och 2100-12-31." in response.content.decode()
    response = client.post(end_url(w), {"ended_on": "", "version": w.indicator.version})
    assert "Ange sista dag som indikatorn mäts." in response.content.decode()
    assert state(w) == before


def test_the_model_rule_refuses_the_same_in_the_admin_path(measured):
    w = measured
    ind = Indicator.objects.get(pk=w.indicator.pk)
    ind.ended_on = datetime.date(2024, 6, 30)
    with pytest.raises(Exception, match="kan inte avslutas före 2025-01-01"):
        ind.full_clean()


def test_the_admin_ends_through_the_same_rule(client, measured):
    from django.contrib.auth import get_user_model

    w = measured
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    url = reverse("admin:goals_indicator_change", args=[w.indicator.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "goals"}
    data["goals"] = [g.pk for g in w.indicator.goals.all()]
    data["version"] = w.indicator.version
    data["ended_on"] = "2024-06-30"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "kan inte avslutas före 2025-01-01" in response.content.decode()
    assert Indicator.objects.get(pk=w.indicator.pk).ended_on is None
    data["ended_on"] = "2025-12-31"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Indicator.objects.get(pk=w.indicator.pk).ended_on == END


def test_an_ended_indicator_is_not_asked_for_later_periods(client, measured):
    w = measured
    client.force_login(w.editor)
    client.post(end_url(w), {"ended_on": "2025-12-31", "version": w.indicator.version})
    results = reverse("goals:results")
    later = client.get(results, {"period": "2026"}).content.decode()
    assert f'name="p-{w.indicator.pk}"' not in later
    earlier = client.get(results, {"period": "2025"}).content.decode()
    assert f'name="p-{w.indicator.pk}"' in earlier
    # The follow-up report asks through the same rows.
    ind = Indicator.objects.select_related("responsible_unit", "latest").get(pk=w.indicator.pk)
    today = datetime.date(2026, 3, 1)
    assert build_rows([ind], today, periods={ind.pk: ReportingPeriod.parse("2026")}) == []
    assert len(build_rows([ind], today, periods={ind.pk: ReportingPeriod.parse("2025")})) == 1
    # Its old values are still on its page.
    page = client.get(page_url(w)).content.decode()
    assert "73" in page and "71" in page
    assert Measurement.objects.filter(indicator=ind).count() == 2


def test_an_ended_indicator_is_not_stale_for_periods_after_its_end():
    from goals import rules

    today = datetime.date(2027, 6, 1)
    assert rules.is_stale("year", None, today)
    assert not rules.is_stale("year", None, today, END)
    assert rules.is_stale("year", None, today, datetime.date(2026, 6, 30))


def test_a_locked_indicators_delete_refusal_names_ending(world):
    w = world
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("70"))], user=w.controller)
    targets_save(indicator=w.indicator, values={2025: Decimal("80")}, user=w.controller)
    close_annual_report(w)
    with pytest.raises(LockedError, match="Avsluta den i stället på indikatorns sida"):
        indicator_delete(indicator=w.indicator, user=w.controller)


def test_a_value_typed_before_the_indicator_was_ended_is_refused_not_dropped(client, measured):
    w = measured
    other = IndicatorFactory(name="Andra indikatorn", responsible_unit=w.skola1)
    client.force_login(w.editor)
    results = reverse("goals:results")
    # The page for 2026 was loaded, then the indicator was ended at the end of 2025.
    form = {
        f"p-{w.indicator.pk}": "2026",
        f"v-{w.indicator.pk}-T": "80",
        f"o-{w.indicator.pk}-T": "",
        f"p-{other.pk}": "2026",
        f"v-{other.pk}-T": "5",
        f"o-{other.pk}-T": "",
    }
    client.post(end_url(w), {"ended_on": "2025-12-31", "version": w.indicator.version})
    response = client.post(f"{results}?period=2026", form)
    assert response.status_code == 200
    assert (
        "Indikatorn ”Andel elever i åk 9 med godkänt i matematik” är avslutad 2025-12-31 och "
        "tar inte emot värden för 2026. Inget har sparats."
    ) in response.content.decode()
    assert not Measurement.objects.filter(period="2026").exists()
    # Nothing typed in the ended indicator's row: the other values are saved.
    form[f"v-{w.indicator.pk}-T"] = ""
    response = client.post(f"{results}?period=2026", form)
    assert response.status_code == 302
    assert Measurement.objects.get(period="2026", indicator=other).value == Decimal("5")
    assert not Measurement.objects.filter(period="2026", indicator=w.indicator).exists()


def test_the_list_shows_it_ended_and_not_as_missing_a_value(client, world):
    w = world
    # No value at all: stale while measured, not once ended before the overdue periods.
    client.force_login(w.reader)
    url = reverse("goals:indicator_list")
    page = client.get(url).content.decode()
    assert "Värde saknas efter sista dag" in page
    assert w.indicator.name in client.get(url, {"inaktuell": "1"}).content.decode()
    ind = Indicator.objects.get(pk=w.indicator.pk)
    ind.ended_on = datetime.date(2000, 12, 31)
    ind.save()
    page = client.get(url).content.decode()
    assert "(avslutad 2000-12-31)" in page
    assert "Värde saknas efter sista dag" not in page
    assert w.indicator.name not in client.get(url, {"inaktuell": "1"}).content.decode()


ENDED_2025 = "är avslutad 2025-12-31 och tar inte emot värden för 2026. Inget har sparats."


def test_no_path_writes_a_value_after_the_end(measured):
    """The end is kept by the one write path: a value of a period that starts after it
    is refused for every caller (screens, report, import apply), and reported to a
    caller that skips such values (Kolada) — nothing is written."""
    from goals.services import ValuesLocked, measurements_locked

    w = measured
    indicator_end(indicator=w.indicator, user=w.editor, ended_on=datetime.date(2025, 12, 31),
                  expected_version=w.indicator.version)  # fmt: skip
    w.indicator.refresh_from_db()
    after = ValueInput(w.indicator, "2026", Decimal("75"))
    history = Measurement.history.count()

    with pytest.raises(ValuesLocked) as exc:
        measurements_save(values=[after], user=w.editor)

    assert ENDED_2025 in " ".join(exc.value.messages)
    assert [m for _v, m in measurements_locked([after])] == [
        f"Indikatorn ”{w.indicator.name}” {ENDED_2025}"
    ]
    assert not Measurement.objects.filter(indicator=w.indicator, period="2026").exists()
    assert Measurement.history.count() == history
    # A value of a period the indicator was still measured in is saved as before.
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("74"))], user=w.editor)
    assert Measurement.objects.get(indicator=w.indicator, period="2025").value == Decimal("74")


def test_the_workbook_import_refuses_a_value_after_the_end_in_its_row(measured):
    from goals.workbook.importer import read_plan
    from tests.goals.workbook.helpers import xlsx

    w = measured
    indicator_end(indicator=w.indicator, user=w.editor, ended_on=datetime.date(2025, 12, 31),
                  expected_version=w.indicator.version)  # fmt: skip
    data = xlsx({"Utfall": [[w.indicator.pk, "2026", "T", "75", None]]})

    plan = read_plan(io.BytesIO(data), user=w.controller)

    assert [(p.sheet, p.row, p.column) for p in plan.problems] == [("Utfall", 2, "Period")]
    assert ENDED_2025 in plan.problems[0].message
