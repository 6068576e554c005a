"""A closed round's values and a closed year's targets cannot change by any path.

The lock is checked inside the one write path of each (``measurements_save``,
``targets_save``); every way in is tried here: the results screen, the report
page, the indicator page's targets, the Excel import (preview and apply), Kolada
and the admin. Each refusal says what froze the value, and writes nothing (no row,
no history).
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from followup.models import Report
from followup.services import round_close
from goals import kolada
from goals.kolada import Row
from goals.models import IndicatorSource, Measurement, Target
from goals.services import (
    TargetsLocked,
    ValueInput,
    ValuesLocked,
    measurements_save,
    targets_fill_linear,
    targets_save,
)
from goals.workbook.importer import apply_plan, read_plan
from ledmot.services import LockedError
from tests.followup.helpers import open_round
from tests.goals.workbook.helpers import xlsx

VALUE_LOCKED = "Värdet för 2025 ingår i Årsredovisning 2025, som är stängd, och kan inte ändras."
TARGET_LOCKED = (
    "Målvärdet för 2025 ingår i Årsredovisning 2025, som är stängd, och kan inte ändras."
)


def close_annual_report(w, year=2025):
    rnd = open_round(w, kind="Årsredovisning", period_end=datetime.date(year, 12, 31))
    assert Report.objects.filter(round=rnd, org_unit=w.skola1).exists()
    return round_close(rnd=rnd, user=w.controller)


def history_rows():
    return Measurement.history.count() + Target.history.count()


@pytest.fixture
def locked(world):
    """SKOLA1's yearly indicator with a value and a target for 2025, then the annual
    report 2025 closed."""
    w = world
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("70"))], user=w.controller)
    targets_save(indicator=w.indicator, values={2025: Decimal("80")}, user=w.controller)
    close_annual_report(w)
    w.before = (
        list(Measurement.objects.values_list("period", "gender", "value", "comment")),
        list(Target.objects.values_list("year", "value")),
        history_rows(),
    )
    return w


def unchanged(w):
    return (
        list(Measurement.objects.values_list("period", "gender", "value", "comment")),
        list(Target.objects.values_list("year", "value")),
        history_rows(),
    ) == w.before


# --------------------------------------------------------------------------- the services


def test_the_service_refuses_a_value_of_the_closed_round(locked):
    w = locked
    with pytest.raises(LockedError) as exc:
        measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("99"))], user=w.editor)
    assert exc.value.messages == [VALUE_LOCKED]
    assert unchanged(w)


def test_the_service_refuses_a_new_value_of_the_closed_period(locked):
    w = locked
    with pytest.raises(ValuesLocked):
        measurements_save(
            values=[ValueInput(w.indicator, "2025", Decimal("40"), gender="K")], user=w.editor
        )
    assert unchanged(w)


def test_the_service_still_takes_other_periods_and_unchanged_values(locked):
    w = locked
    saved = measurements_save(
        values=[
            ValueInput(w.indicator, "2025", Decimal("70")),  # unchanged: no write
            ValueInput(w.indicator, "2026", Decimal("75")),
        ],
        user=w.editor,
    )
    assert [(m.period, m.value) for m in saved] == [("2026", Decimal("75"))]


def test_a_value_reported_by_two_closed_rounds_names_the_first(locked):
    # The tertial report 2026 reports last year's yearly value too; the annual report
    # 2025, which closed it first, is the round the message names.
    w = locked
    tertial = open_round(w, kind="Tertialrapport", period_end=datetime.date(2026, 4, 30))
    round_close(rnd=tertial, user=w.controller)
    with pytest.raises(LockedError) as exc:
        measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("99"))], user=w.editor)
    assert exc.value.messages == [VALUE_LOCKED]


def test_a_unit_that_did_not_report_in_the_round_is_not_locked(locked):
    w = locked
    Report.objects.filter(org_unit=w.skola1).delete()
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("99"))], user=w.editor)
    assert Measurement.objects.get(period="2025").value == Decimal("99")


def test_the_service_refuses_a_target_of_the_closed_year(locked):
    w = locked
    for values in ({2025: Decimal("85")}, {2025: None}):
        with pytest.raises(TargetsLocked) as exc:
            targets_save(indicator=w.indicator, values=values, user=w.editor)
        assert exc.value.messages == [TARGET_LOCKED]
    assert unchanged(w)
    targets_save(indicator=w.indicator, values={2026: Decimal("90")}, user=w.editor)
    assert w.indicator.targets.get(year=2026).value == Decimal("90")


def test_filling_targets_linearly_is_refused_for_the_closed_year(locked):
    w = locked
    w.indicator.baseline_value, w.indicator.baseline_year = Decimal("60"), 2022
    w.indicator.save()
    with pytest.raises(LockedError) as exc:
        targets_fill_linear(
            indicator=w.indicator, period=w.period, end_value=Decimal("90"), user=w.editor
        )
    assert TARGET_LOCKED in exc.value.messages
    assert unchanged(w)


def test_only_a_round_over_the_whole_year_closes_its_targets(world):
    w = world
    rnd = open_round(w, kind="Delårsrapport", period_end=datetime.date(2025, 8, 31))
    round_close(rnd=rnd, user=w.controller)
    targets_save(indicator=w.indicator, values={2025: Decimal("85")}, user=w.editor)
    assert w.indicator.targets.get(year=2025).value == Decimal("85")


# --------------------------------------------------------------------------- the screens


def test_results_screen_shows_a_locked_value_as_read_only_before_anyone_types(client, locked):
    w = locked
    client.force_login(w.editor)
    html = client.get(reverse("goals:results") + "?period=2025").content.decode()
    pk = w.indicator.pk
    assert VALUE_LOCKED in html
    assert f'id="las-{pk}"' in html
    cell = html[html.index(f'id="id_v-{pk}-T"') :]
    cell = cell[: cell.index(">")]
    assert "readonly" in cell and f'aria-describedby="las-{pk}"' in cell
    # The open period of the same indicator is not locked.
    html = client.get(reverse("goals:results") + "?period=2026").content.decode()
    assert VALUE_LOCKED not in html and f'id="las-{pk}"' not in html


def test_targets_form_shows_a_frozen_year_read_only_before_anyone_types(client, locked):
    w = locked
    client.force_login(w.editor)
    html = client.get(reverse("goals:indicator_detail", args=[w.indicator.pk])).content.decode()
    field = re.search(r'<input[^>]*id="id_t-2025"[^>]*>', html).group()
    assert "readonly" in field and 'aria-describedby="id_t-2025_helptext"' in field
    assert TARGET_LOCKED in html
    # The years after the closed one are open.
    assert "readonly" not in re.search(r'<input[^>]*id="id_t-2026"[^>]*>', html).group()


def test_results_screen_refuses_the_value_beside_its_cell(client, locked):
    w = locked
    client.force_login(w.editor)
    url = reverse("goals:results") + "?period=2025"
    page = client.get(url)
    assert 'value="2025"' in page.content.decode()
    pk = w.indicator.pk
    response = client.post(url, {f"p-{pk}": "2025", f"v-{pk}-T": "99", f"o-{pk}-T": "70"})
    assert response.status_code == 200
    html = response.content.decode()
    assert VALUE_LOCKED in html
    assert f'id="id_v-{pk}-T_error"' in html
    assert "Inget har sparats" in html
    assert unchanged(w)


def test_report_page_refuses_a_value_of_a_closed_round(client, locked):
    """An open tertial report of 2026 asks for the yearly value of 2025, which the
    closed annual report 2025 holds."""
    w = locked
    rnd = open_round(w, kind="Tertialrapport", period_end=datetime.date(2026, 4, 30))
    report = Report.objects.get(round=rnd, org_unit=w.skola1)
    client.force_login(w.editor)
    pk = w.indicator.pk
    response = client.post(
        reverse("followup:report_values", args=[report.pk]),
        {f"v-{pk}-T": "99", f"o-{pk}-T": "70"},
    )
    assert response.status_code == 200
    assert VALUE_LOCKED in response.content.decode()
    assert unchanged(w)


def test_indicator_page_refuses_a_target_of_the_closed_year(client, locked):
    w = locked
    client.force_login(w.editor)
    response = client.post(
        reverse("goals:indicator_targets", args=[w.indicator.pk]),
        {"o-2023": "", "o-2024": "", "o-2025": "80", "o-2026": "", "t-2025": "85", "t-2026": "90"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert TARGET_LOCKED in html
    assert 'id="id_t-2025_error"' in html
    assert unchanged(w)


def test_admin_has_no_way_to_write_values_or_targets(client, locked):
    """Values and targets are not in the admin: their one write path is the service."""
    w = locked
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    assert client.get("/admin/goals/measurement/").status_code == 404
    assert client.get("/admin/goals/target/").status_code == 404
    assert client.get("/admin/goals/indicator/").status_code == 200
    assert unchanged(w)


# --------------------------------------------------------------------------- import, Kolada


def test_import_preview_names_the_closed_round(locked):
    w = locked
    data = xlsx(
        {
            "Utfall": [[w.indicator.pk, "2025", "T", "99", None]],
            "Målvärden": [[w.indicator.pk, 2025, "85"]],
        }
    )
    plan = read_plan(io.BytesIO(data), user=w.controller)
    got = {(p.sheet, p.row, p.message) for p in plan.problems}
    assert ("Utfall", 2, VALUE_LOCKED) in got
    assert ("Målvärden", 2, TARGET_LOCKED) in got
    assert unchanged(w)


def test_import_apply_is_refused_when_the_round_closed_after_the_preview(world):
    w = world
    data = xlsx({"Utfall": [[w.indicator.pk, "2025", "T", "99", None]]})
    plan = read_plan(io.BytesIO(data), user=w.controller)
    assert plan.ok
    close_annual_report(w)
    before = (Measurement.objects.count(), history_rows())
    with pytest.raises(LockedError) as exc:
        apply_plan(plan, user=w.controller)
    assert exc.value.messages == [VALUE_LOCKED]
    assert (Measurement.objects.count(), history_rows()) == before


def test_kolada_skips_a_value_of_the_closed_round_with_the_message(locked, settings):
    w = locked
    Measurement.objects.update(source=IndicatorSource.KOLADA)  # a Kolada value may be updated
    w.indicator.kolada_id = "N15428"
    w.indicator.save()
    summary = kolada.sync(
        [
            Row("N15428", "0583", 2025, "T", Decimal("99")),
            Row("N15428", "0583", 2024, "T", Decimal("65")),
        ],
        fetched_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        own_code="0583",
    )
    assert VALUE_LOCKED in summary.messages
    assert summary.measurements_saved == 1
    assert Measurement.objects.get(period="2025").value == Decimal("70")
    assert Measurement.objects.get(period="2024").value == Decimal("65")


def test_import_screen_shows_the_closed_round_when_it_closed_after_the_preview(
    client, world, settings, tmp_path
):
    """Upload, preview (fine), the round closes, confirm: nothing is saved and the
    preview comes back with the lock's message beside the row."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from goals.models import WorkbookImport

    settings.MEDIA_ROOT = tmp_path / "media"
    w = world
    client.force_login(w.controller)
    data = xlsx({"Utfall": [[w.indicator.pk, "2025", "T", "99", None]]})
    client.post(
        "/import/",
        {
            "file": SimpleUploadedFile(
                "utfall.xlsx",
                data,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
    )
    job = WorkbookImport.objects.get()
    assert VALUE_LOCKED not in client.get(f"/import/{job.pk}/").content.decode()
    close_annual_report(w)
    before = (Measurement.objects.count(), history_rows())
    client.post(f"/import/{job.pk}/genomfor/")
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert VALUE_LOCKED in page
    assert (Measurement.objects.count(), history_rows()) == before
