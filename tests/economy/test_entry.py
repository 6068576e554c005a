"""Ekonomi: the entry screen, through HTTP. Swedish amounts (also negative, with "−"),
all or nothing, conflicts and locks beside the cell, the roll-up named, and who may
enter what (every persona against every URL; a refused write changes nothing)."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse

from economy.models import EconomyCategory, EconomyFigure, FigureKind
from economy.services import FigureInput, figures_save
from followup.services import round_close
from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round

B, OUT, F = FigureKind.BUDGET, FigureKind.OUTCOME, FigureKind.FORECAST


def entry_url(unit, period="2026", **params):
    query = "&".join([f"period={period}", *(f"{k}={v}" for k, v in params.items())])
    return reverse("economy:entry", args=[unit.pk]) + "?" + query


class EntryGridTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        w.bun_editor = UserFactory(username="bunred", first_name="Bo", last_name="Nämnd")
        grant(w.bun_editor, w.bun, Role.EDITOR)

    def urls(self):
        w = self.w
        return {
            "home": reverse("economy:home"),
            "school": entry_url(w.skola1),
            "committee": entry_url(w.bun),
            "other committee": entry_url(w.von),
        }

    def test_the_grid(self):
        w = self.w
        grid = {
            "anonymous": (None, dict.fromkeys(self.urls(), 302)),
            "reader": (
                w.reader,
                {"home": 403, "school": 403, "committee": 403, "other committee": 403},
            ),
            "unit editor": (
                w.editor,
                {"home": 302, "school": 200, "committee": 403, "other committee": 403},
            ),
            "committee editor": (
                w.bun_editor,
                {"home": 302, "school": 200, "committee": 200, "other committee": 403},
            ),
            "other editor": (
                w.other_editor,
                {"home": 302, "school": 403, "committee": 403, "other committee": 403},
            ),
            "controller": (w.controller, dict.fromkeys(self.urls(), 200) | {"home": 302}),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name, url in self.urls().items():
                with self.subTest(persona=persona, url=name):
                    self.assertEqual(self.client.get(url).status_code, expected[name])

    def test_a_refused_write_changes_nothing(self):
        w = self.w
        for user, unit in [(w.other_editor, w.skola1), (w.editor, w.bun), (w.reader, w.skola1)]:
            self.client.force_login(user)
            response = self.client.post(
                entry_url(unit), {f"a-{w.skola1.pk}-budget": "1", f"v-{w.skola1.pk}-budget": "0"}
            )
            self.assertEqual(response.status_code, 403)
        self.assertFalse(EconomyFigure.objects.exists())

    def test_a_crafted_post_for_a_unit_not_on_the_page_is_ignored(self):
        w = self.w
        self.client.force_login(w.editor)
        self.client.post(entry_url(w.skola1), {f"a-{w.boende1.pk}-budget": "5"})
        self.assertFalse(EconomyFigure.objects.exists())

    def test_the_menu_leads_an_editor_to_the_unit(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(reverse("economy:home"))
        self.assertRedirects(response, reverse("economy:entry", args=[self.w.skola1.pk]))


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_swedish_amounts_are_saved_with_history(world, client_of):
    w = world
    client = client_of(w.controller)
    response = client.post(
        entry_url(w.buf),
        {
            f"a-{w.skola1.pk}-budget": "45 000 000",
            f"v-{w.skola1.pk}-budget": "0",
            f"a-{w.skola1.pk}-forecast": "\u2212250 000",
            f"v-{w.skola1.pk}-forecast": "0",
            f"a-{w.skola2.pk}-budget": "-1\u00a0000",
            f"v-{w.skola2.pk}-budget": "0",
        },
        follow=True,
    )
    assert "3 belopp sparade." in response.content.decode()
    assert sorted(EconomyFigure.objects.values_list("org_unit__code", "kind", "amount")) == [
        ("SKOLA1", "budget", 45_000_000),
        ("SKOLA1", "forecast", -250_000),
        ("SKOLA2", "budget", -1000),
    ]
    row = EconomyFigure.objects.get(org_unit=w.skola1, kind=B)
    assert [h.history_user for h in row.history.all()] == [w.controller]
    # The page shows the amounts as Swedes write them, and the förvaltning's sum.
    html = client.get(entry_url(w.buf)).content.decode()
    assert 'value="\u2212250\u00a0000"' in html
    assert "Summa av enheterna: 44\u00a0999\u00a0000 kr" in html


def test_one_bad_amount_saves_nothing_and_says_so_beside_it(world, client_of):
    w = world
    client = client_of(w.editor)
    response = client.post(
        entry_url(w.skola1),
        {
            f"a-{w.skola1.pk}-budget": "45 000 000",
            f"v-{w.skola1.pk}-budget": "0",
            f"a-{w.skola1.pk}-outcome": "12,5",
            f"v-{w.skola1.pk}-outcome": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 belopp behöver rättas. Inget har sparats." in html
    assert f'id="id_a-{w.skola1.pk}-outcome_error"' in html
    assert "Ange beloppet i hela kronor, utan ören." in html
    assert 'value="12,5"' in html
    assert not EconomyFigure.objects.exists()


def test_a_conflict_is_shown_beside_the_cell_and_a_second_save_goes_through(world, client_of):
    w = world
    client = client_of(w.editor)
    page = client.get(entry_url(w.skola1)).content.decode()
    assert f'name="v-{w.skola1.pk}-budget" value="0"' in page
    figures_save(figures=[FigureInput(w.skola1, "2026", B, 44_000_000)], user=w.controller)
    data = {f"a-{w.skola1.pk}-budget": "45 000 000", f"v-{w.skola1.pk}-budget": "0"}
    html = client.post(entry_url(w.skola1), data).content.decode()
    assert "Någon annan har sparat medan du skrev" in html
    assert "Cecilia Controller har ändrat beloppet till 44\u00a0000\u00a0000" in html
    assert EconomyFigure.objects.get().amount == 44_000_000
    data[f"v-{w.skola1.pk}-budget"] = "1"
    client.post(entry_url(w.skola1), data)
    assert EconomyFigure.objects.get().amount == 45_000_000


def test_a_closed_rounds_period_is_locked_on_the_screen_and_in_the_service(world, client_of):
    w = world
    figures_save(figures=[FigureInput(w.skola1, "2025", OUT, 43_000_000)], user=w.controller)
    rnd = open_round(w, kind="Årsredovisning", period_end=datetime.date(2025, 12, 31))
    round_close(rnd=rnd, user=w.controller)
    client = client_of(w.controller)
    page = client.get(entry_url(w.skola1, "2025")).content.decode()
    message = "Ekonomin för 2025 ingår i Årsredovisning 2025, som är stängd, och kan inte ändras."
    assert message in page
    html = client.post(
        entry_url(w.skola1, "2025"),
        {f"a-{w.skola1.pk}-outcome": "1", f"v-{w.skola1.pk}-outcome": "1"},
    ).content.decode()
    assert "Inget har sparats." in html and message in html
    assert EconomyFigure.objects.get().amount == 43_000_000
    assert EconomyFigure.history.count() == 1


def test_the_screen_says_whether_a_committee_is_summed_or_entered(world, client_of):
    w = world
    figures_save(figures=[FigureInput(w.skola1, "2026", B, 45_000_000)], user=None)
    client = client_of(w.controller)
    html = client.get(reverse("goals:unit_detail", args=[w.bun.pk])).content.decode()
    assert "summerat från enheterna" in html and "45,0\u00a0mnkr" in html
    figures_save(figures=[FigureInput(w.bun, "2026", B, 50_000_000)], user=None)
    html = client.get(reverse("goals:unit_detail", args=[w.bun.pk])).content.decode()
    assert "inmatat för nämnden" in html and "50,0\u00a0mnkr" in html


def test_a_category_is_entered_apart_from_the_total(world, client_of):
    w = world
    staff = EconomyCategory.objects.create(name="Personal", code="personal")
    client = client_of(w.editor)
    client.post(
        entry_url(w.skola1, kategori="personal"),
        {f"a-{w.skola1.pk}-budget": "30 000 000", f"v-{w.skola1.pk}-budget": "0"},
    )
    row = EconomyFigure.objects.get()
    assert (row.category, row.amount) == (staff, 30_000_000)
