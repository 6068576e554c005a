"""Every page a user reaches from the main menu is a bench case (issue 12, point 2).

The main menu of base.html is followed as each persona of the suite, and every link on
the pages it leads to (one click further): each page's URL name must be the ``page`` of
a case in bench/run.py. A new page reachable from the menu without a case fails here."""

import re
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import NoReverseMatch, resolve, reverse

from bench.run import CASES, PERSONAS
from demo.content import PERSONA_USERNAMES
from ledmot.models import Role
from priorities.models import PriorityRound
from priorities.services import round_start_review
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round
from tests.links import page_links
from tests.priorities.helpers import make_item, prio_world, submit

MENU = re.compile(r'<nav aria-label="Huvudmeny">(.*?)</nav>', re.S)


def url_name(link: str) -> str:
    return resolve(urlsplit(link).path).view_name


class MenuCoverageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        make_item(w.bun_sheet, w.bun_staff, title="Läxhjälp", goals=[w.committee_goal])
        submit(w.bun_sheet, w.bun_staff)
        rnd = PriorityRound.objects.get(pk=w.round.pk)
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)
        open_round(w)
        w.bun_approver = UserFactory(username="bunapprover")
        grant(w.bun_approver, w.bun, Role.APPROVER)
        # As the admin persona of the demo: a superuser holding the admin role on KF.
        w.admin = get_user_model().objects.create_superuser("systemadmin", "", "x")
        grant(w.admin, w.kf, Role.ADMIN)

    def reached(self, user) -> dict[str, str]:
        """URL name → a link to it, for the menu's pages and the links on them."""
        self.client.force_login(user)
        home = self.client.get("/", follow=True)
        self.assertEqual(home.status_code, 200)
        found = {url_name(home.redirect_chain[-1][0] if home.redirect_chain else "/"): "/"}
        menu = page_links(MENU.search(home.content.decode()).group(1))
        # Röda tråden, Min enhet, Uppföljning, Prioriteringar, Målstrukturanalys at least
        # (a reader is not offered Mata in resultat or Perioder).
        self.assertGreaterEqual(len(menu), 5, user.username)
        for link in menu:
            page = self.client.get(link, follow=True)
            self.assertEqual(page.status_code, 200, (user.username, link))
            found[url_name(page.request["PATH_INFO"])] = link
            for further in page_links(page.content.decode()):
                if further not in menu:  # the menu's own links: followed above
                    found.setdefault(url_name(further), further)
        return found

    def test_every_page_reached_from_the_menu_has_a_bench_case(self):
        w = self.w
        covered = {case.page for case in CASES}
        users = (
            w.reader,
            w.editor,
            w.other_editor,
            w.controller,
            w.bun_staff,
            w.bun_approver,
            w.kf_approver,
            w.admin,
        )
        missing = {}
        for user in users:
            for name, link in self.reached(user).items():
                if name not in covered:
                    missing.setdefault(name, (user.username, link))
        self.assertEqual(missing, {}, "sidor utan fall i bench/run.py (CASES)")


def test_every_case_names_a_page_that_exists():
    for case in CASES:
        assert case.page, case.name
        try:
            reverse(case.page)
        except NoReverseMatch as exc:  # a page with arguments: the name must still exist
            assert "with no arguments not found" in str(exc), (case.name, case.page)


def test_each_persona_has_a_home_case_at_large_size():
    assert PERSONAS == PERSONA_USERNAMES
    names = {case.name: case for case in CASES}
    for persona in PERSONA_USERNAMES:
        case = names[f"home_{persona}@large"]
        assert case.page == "goals:chain"
    for name in (
        "unit_page@large",
        "committee_goal@large",
        "structure@large",
        "council_report@large",
        "results_controller@large",
    ):
        assert names[name].size == "large"


def test_case_names_are_unique_and_say_their_size():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert case.name.endswith(f"@{case.size}")
