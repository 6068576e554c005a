"""What every request pays, whatever the page (issue 12, point 5: many users at once).

A signed-in request reads its session, its user and the user's roles: three queries,
and nothing else before the view does its own work (no lockout check, no context
processor query) but, for those who approve reports, the menu's count of the reports
waiting for them ("Att granska (3)", issue 13 point 3: the units with an approver and
one COUNT). The production server (gunicorn.conf.py) loads the URLs,
templates and translations once in its master, without a database connection that its
workers would otherwise share."""

from pathlib import Path

from django.template import engines
from django.test import TestCase
from django.urls import reverse

from ledmot.wsgi import warm_up
from tests.conftest import build_world

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class SignedInRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_a_signed_in_request_pays_session_user_and_roles_only(self):
        self.client.force_login(self.w.editor)
        # "Min enhet" only sends the user to the unit of their role.
        with self.assertNumQueries(3):
            response = self.client.get(reverse("goals:my_unit"))
        self.assertRedirects(
            response,
            reverse("goals:unit_detail", args=[self.w.skola1.pk]),
            fetch_redirect_response=False,
        )

    def test_the_menu_and_page_frame_add_no_query_but_the_count_of_what_waits(self):
        self.client.force_login(self.w.controller)  # Perioder is in a controller's menu
        # The periods page: session, user, roles, the page's own two queries, and the
        # menu's count of the reports waiting for the controller's approval (the units
        # with an approver, the count).
        with self.assertNumQueries(7):
            response = self.client.get(reverse("goals:periods"))
        self.assertContains(response, 'aria-current="page">Perioder</a>')
        self.assertContains(response, "Logga ut")

    def test_the_sign_in_page_needs_no_query(self):
        with self.assertNumQueries(0):
            response = self.client.get(reverse("login"))
        self.assertContains(response, "Logga in i LedMot")


def test_warm_up_compiles_every_template_without_touching_the_database():
    # No database fixture: pytest-django refuses any query, so the test would fail.
    compiled = warm_up()
    assert compiled == len(list(TEMPLATES.rglob("*.html")))
    # In the cached loader the workers inherit: rendering needs no more compiling.
    (partials,) = engines["django"].engine.template_loaders  # template_partials' wrapper
    cache = partials.loaders[0].get_template_cache  # Django's cached loader
    assert {"base.html", "goals/results.html", "followup/report_detail.html"} <= set(cache)
