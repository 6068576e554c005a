"""One rule in one place (goals/rules.py): the same rule gives the same answer and the
same message from the screens, the model, the Excel import and Kolada."""

import datetime
import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from goals import rules
from goals.models import (
    Frequency,
    Goal,
    GoalLevel,
    Indicator,
    IndicatorLatest,
    KoladaValue,
    Measurement,
)
from goals.services import ValueInput, measurements_save
from goals.workbook.importer import apply_plan, read_plan
from tests.factories import IndicatorFactory
from tests.goals.workbook.helpers import xlsx

KOLADA_MESSAGE = "Ett Kolada-id är en bokstav och fem siffror, t.ex. N15428."


def problems(data, user):
    return [
        (p.sheet, p.row, p.column, p.message)
        for p in read_plan(io.BytesIO(data), user=user).problems
    ]


# --------------------------------------------------------------------------- staleness


@pytest.fixture
def staleness(world):
    """Indicators of every frequency, some stale and some not, all of SKOLA1 (under BUN)."""
    w = world
    today = timezone.localdate()
    due = {f: rules.stale_before(f, today) for f in Frequency.values}
    cases = {
        "Stale-ar-utan-varde": (Frequency.YEAR, None),
        "Stale-ar-i-tid": (Frequency.YEAR, due[Frequency.YEAR].key),
        "Stale-ar-gammalt": (Frequency.YEAR, due[Frequency.YEAR].previous().key),
        "Stale-tertial-gammalt": (Frequency.TERTIAL, "2020-T2"),
        "Stale-tertial-i-tid": (Frequency.TERTIAL, due[Frequency.TERTIAL].key),
        "Stale-manad-i-tid": (Frequency.MONTH, due[Frequency.MONTH].key),
        "Stale-manad-gammalt": (Frequency.MONTH, due[Frequency.MONTH].previous().key),
        # A year's value sorts after its tertials: it counts for a tertial indicator.
        "Stale-tertial-med-arsvarde": (Frequency.TERTIAL, str(due[Frequency.TERTIAL].year)),
    }
    w.indicators = {}
    values = []
    for name, (frequency, period) in cases.items():
        ind = IndicatorFactory(name=name, frequency=frequency, responsible_unit=w.skola1)
        w.indicators[name] = ind
        if period:
            values.append(ValueInput(ind, period, Decimal(1)))
    # Only a comment, no value: still no value for the period.
    values.append(
        ValueInput(w.indicators["Stale-ar-utan-varde"], "2026", None, comment="Kommer snart")
    )
    measurements_save(values=values, user=w.controller)
    latest = {
        i.name: i
        for i in Indicator.objects.filter(name__startswith="Stale-").select_related("latest")
    }
    w.expected = {
        name
        for name, ind in latest.items()
        if rules.is_stale(
            ind.frequency, getattr(ind, "latest", None) and ind.latest.sort_key, today
        )
    }
    return w


def test_the_rule_on_the_stored_sort_key(staleness):
    assert staleness.expected == {
        "Stale-ar-utan-varde",
        "Stale-ar-gammalt",
        "Stale-tertial-gammalt",
        "Stale-manad-gammalt",
    }
    latest = IndicatorLatest.objects.get(indicator=staleness.indicators["Stale-tertial-gammalt"])
    assert (latest.period, latest.sort_key) == ("2020-T2", 202008)


def test_indicator_list_unit_page_and_structure_agree_with_the_rule(client, staleness):
    w = staleness
    client.force_login(w.controller)
    listed = client.get(reverse("goals:indicator_list"), {"inaktuell": "1", "sok": "Stale-"})
    html = listed.content.decode()
    assert {n for n in w.indicators if f">{n}</a>" in html} == w.expected

    unit = client.get(reverse("goals:unit_detail", args=[w.skola1.pk]))
    flagged = {
        i.name for i, stale in unit.context["indicators"] if stale and i.name in w.indicators
    }
    assert flagged == w.expected

    structure = client.get(reverse("goals:structure"), {"org": w.bun.code, "brist": "stale"})
    [bun] = [r for r in structure.context["rows"] if r["unit"] == w.bun]
    listed = structure.context["drill"]["page"].object_list
    assert {i.name for i in listed if i.name.startswith("Stale-")} == w.expected
    assert bun["stale"] == len(listed)


def test_stale_filter_compares_keys_not_period_strings(staleness):
    """The SQL is a comparison of integer keys (the same on SQLite and PostgreSQL)."""
    sql = str(Indicator.objects.filter(rules.stale_q(timezone.localdate())).query)
    assert "sort_key" in sql
    assert "SUBSTR" not in sql.upper()


# --------------------------------------------------------------------------- measurements


def test_a_value_is_stored_with_the_same_keys_by_the_model_the_service_and_the_import(world):
    w = world
    a = IndicatorFactory(responsible_unit=w.skola1, frequency=Frequency.TERTIAL)
    m = Measurement.objects.create(indicator=a, period="2024-t1", value=1)
    assert (m.period, m.year, m.sort_key) == ("2024-T1", 2024, 202404)
    b = IndicatorFactory(responsible_unit=w.skola1, frequency=Frequency.TERTIAL)
    [saved] = measurements_save(values=[ValueInput(b, "2024-t1", Decimal(1))], user=w.controller)
    c = IndicatorFactory(responsible_unit=w.skola1, frequency=Frequency.TERTIAL)
    plan = read_plan(io.BytesIO(xlsx({"Utfall": [[c.pk, "2024-T1", "T", "1", None]]})), user=None)
    apply_plan(plan, user=w.controller)
    imported = Measurement.objects.get(indicator=c)
    for row in (saved, imported):
        row.refresh_from_db()
        assert (row.period, row.year, row.sort_key) == ("2024-T1", 2024, 202404)


# --------------------------------------------------------------------------- goal chain


def test_the_chain_rules_give_the_same_message_in_the_model_and_the_import(world):
    w = world
    goal = Goal(
        level=GoalLevel.UNIT,
        parent=w.council_goal,
        owner=w.bun,
        title="Fel nivå",
        perspective=w.unit_goal.perspective,
        mandate_period=w.period,
    )
    with pytest.raises(ValidationError) as exc:
        goal.full_clean()
    model = exc.value.message_dict
    data = xlsx(
        {
            "Mål": [
                [
                    None,
                    "Enhet",
                    w.council_goal.pk,
                    "BUN",
                    "Fel nivå",
                    "",
                    w.unit_goal.perspective.name,
                    "2023-2026",
                    "Förslag",
                ],
                [
                    None,
                    "Enhet",
                    w.council_goal.pk,
                    "SKOLA1",
                    "Fel nivå",
                    "",
                    w.unit_goal.perspective.name,
                    "2023-2026",
                    "Förslag",
                ],
            ]
        }
    )
    got = problems(data, w.controller)
    assert ("Mål", 2, "Organisation", model["owner"][0]) in got
    assert model["owner"][0].startswith("Fel nivå: ett mål på nivån Enhetsmål ska ägas av")
    assert ("Mål", 3, "Överordnat id", model["parent"][0]) in got


def test_a_unit_goal_under_another_committee_has_one_message(world):
    w = world
    goal = Goal(
        level=GoalLevel.UNIT,
        parent=w.committee_goal,
        owner=w.boende1,
        title="Fel nämnd",
        perspective=w.unit_goal.perspective,
        mandate_period=w.period,
    )
    with pytest.raises(ValidationError) as exc:
        goal.full_clean()
    message = exc.value.message_dict["owner"][0]
    assert message == (
        "Enheten måste ligga under Barn- och utbildningsnämnden, som äger det överordnade målet."
    )
    data = xlsx(
        {
            "Mål": [
                [
                    None,
                    "Enhet",
                    w.committee_goal.pk,
                    "BOENDE1",
                    "Fel nämnd",
                    "",
                    w.unit_goal.perspective.name,
                    "2023-2026",
                    "Förslag",
                ]
            ]
        }
    )
    assert problems(data, None) == [("Mål", 2, "Organisation", message)]


# --------------------------------------------------------------------------- Kolada id


def test_a_bad_kolada_id_is_refused_by_the_form(client, world):
    client.force_login(world.editor)
    response = client.post(
        reverse("goals:indicator_create"),
        {
            "name": "Med fel Kolada-id",
            "unit": "%",
            "decimals": "1",
            "direction": "higher",
            "frequency": "year",
            "kind": "resultat",
            "source": "kolada",
            "kolada_id": "../x",
            "responsible_unit": world.skola1.pk,
        },
    )
    assert response.status_code == 200
    assert KOLADA_MESSAGE in response.content.decode()
    assert not Indicator.objects.filter(name="Med fel Kolada-id").exists()


def test_a_bad_kolada_id_is_refused_by_the_model_and_the_import(world):
    ind = world.indicator
    ind.kolada_id = "../x"
    with pytest.raises(ValidationError) as exc:
        ind.full_clean()
    assert exc.value.message_dict["kolada_id"] == [KOLADA_MESSAGE]
    data = xlsx(
        {
            "Indikatorer": [
                [None, "Ny", "%", "Högre är bättre", "År", "", "../x", "SKOLA1", None, None]
            ]
        }
    )
    assert problems(data, world.controller) == [("Indikatorer", 2, "Kolada-id", KOLADA_MESSAGE)]
    assert not Indicator.objects.filter(name="Ny").exists()


def test_kolada_sync_refuses_a_bad_kpi_id(world):
    with pytest.raises(CommandError) as exc:
        call_command("kolada_sync", "--kpi", "../x", "--from-file", "x.json", stdout=StringIO())
    assert KOLADA_MESSAGE in str(exc.value)
    assert not KoladaValue.objects.exists()


def test_kolada_sync_skips_a_saved_row_with_a_bad_kpi_id(world, tmp_path):
    rows = [
        {
            "kpi": kpi,
            "municipality": "0583",
            "period": 2023,
            "values": [{"gender": "T", "value": 5, "isdeleted": False}],
        }
        for kpi in ("../x", "N15428")
    ]
    path = tmp_path / "svar.json"
    path.write_text(json.dumps({"values": rows}), encoding="utf-8")
    err = StringIO()
    call_command("kolada_sync", "--from-file", str(path), stdout=StringIO(), stderr=err)
    assert list(KoladaValue.objects.values_list("kpi", flat=True)) == ["N15428"]
    assert KOLADA_MESSAGE in err.getvalue()


def test_kolada_sync_leaves_out_an_indicator_with_a_bad_stored_id(world, monkeypatch):
    """An id stored before the rule held is never put into a URL."""
    from goals import kolada

    Indicator.objects.filter(pk=world.indicator.pk).update(kolada_id="../x")
    summary = kolada.SyncSummary()
    assert kolada.linked_kpis(summary) == []
    assert any(KOLADA_MESSAGE in m for m in summary.messages)


def test_rules_module_has_the_day_rule(settings):
    settings.LEDMOT_RESULT_DEADLINE_DAYS = 60
    day = datetime.date(2026, 2, 15)  # 2025 ended 46 days ago: still within its deadline
    assert rules.stale_before("year", day).key == "2024"
    assert rules.stale_before("year", datetime.date(2026, 3, 2)).key == "2025"


# --------------------------------------------------------------------------- admin


def _admin_post(client, obj, **changes):
    from django.contrib.auth import get_user_model
    from django.forms.models import model_to_dict

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    data = {k: v for k, v in model_to_dict(obj).items() if v is not None}
    data = {k: [o.pk for o in v] if isinstance(v, list) else v for k, v in data.items()}
    data.update(changes)
    url = reverse(f"admin:goals_{obj._meta.model_name}_change", args=[obj.pk])
    return client.post(url, data)


def test_the_admin_gives_the_chain_rule_and_its_message(client, world):
    w = world
    response = _admin_post(client, w.unit_goal, owner=w.bun.pk)
    assert response.status_code == 200
    message = rules.goal_owner_error(GoalLevel.UNIT, w.bun)
    assert message in response.content.decode().replace("&quot;", '"')
    w.unit_goal.refresh_from_db()
    assert w.unit_goal.owner == w.skola1


def test_the_admin_refuses_a_bad_kolada_id_with_the_rule_message(client, world):
    w = world
    response = _admin_post(client, w.indicator, kolada_id="../x")
    assert response.status_code == 200
    assert KOLADA_MESSAGE in response.content.decode()
    w.indicator.refresh_from_db()
    assert w.indicator.kolada_id == ""
