"""No page offers a link that answers 403 (or 404, or 500) to the user who sees it
(issue 11, point 8). The main screens of every app are rendered as each persona of the
suite (tests/conftest.py, tests/priorities/helpers.py) and every link on them is
followed as that persona (tests/links.py). The links are built in the templates, the
checks in each app's access.py: this test is what holds the two together."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from economy.models import FigureKind
from economy.services import FigureInput, figures_save
from followup.models import Report
from goals.models import GoalProposal
from ledmot.models import Role
from priorities.models import PriorityRound
from priorities.services import round_start_review
from tests.control.helpers import adopt, make_control, make_risk
from tests.factories import MandatePeriodFactory, UserFactory, grant
from tests.followup.helpers import open_round
from tests.links import broken_links, page_links
from tests.priorities.helpers import make_item, prio_world, submit


def steering_pages(w) -> list[str]:
    """Issue 17: the steering register and documents (a decided one behind a goal and a
    draft), a unit's service guarantees and the glossary."""
    from goals.models import IndicatorKind, ServiceGuarantee
    from goals.services import guarantee_save
    from ledmot.glossary import glossary_term_save
    from ledmot.models import GlossaryTerm
    from tests.factories import IndicatorFactory
    from tests.steering.test_register import make_document

    decided = make_document(w)
    decided.goals.add(w.committee_goal)
    draft = make_document(w, decided=False, owner=w.bun, title="Utkast till plan")
    indicator = IndicatorFactory(kind=IndicatorKind.KEPT_SHARE, responsible_unit=w.skola1)
    guarantee_save(
        guarantee=ServiceGuarantee(
            unit=w.skola1, title="Svar", promise="Svar", indicator=indicator
        ),
        user=None,
        expected_version=None,
    )
    glossary_term_save(
        term=GlossaryTerm(term="indikator", definition="Ett mått."),
        user=None,
        expected_version=None,
    )
    return [
        reverse("steering:register"),
        reverse("steering:detail", args=[decided.pk]),
        reverse("steering:detail", args=[draft.pk]),
        reverse("goals:guarantee_list", args=[w.skola1.pk]),
        reverse("glossary"),
    ]


class LinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        cls.item = make_item(w.bun_sheet, w.bun_staff, title="Läxhjälp", goals=[w.committee_goal])
        submit(w.bun_sheet, w.bun_staff)
        rnd = PriorityRound.objects.get(pk=w.round.pk)
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)
        cls.followup = open_round(w)
        w.bun_approver = UserFactory(username="bunapprover", first_name="Bo", last_name="Chef")
        grant(w.bun_approver, w.bun, Role.APPROVER)
        # Issue 15: a goal proposal for the next mandate period, open for edits.
        start = timezone.localdate().year + 1
        cls.proposal = GoalProposal.objects.create(
            mandate_period=MandatePeriodFactory(start_year=start, end_year=start + 3),
            proposer=w.bun,
            title="Fler elever ska vara behöriga till gymnasiet",
            perspective=w.committee_goal.perspective,
        )
        figures_save(
            figures=[
                FigureInput(w.skola1, str(timezone.localdate().year), FigureKind.BUDGET, 4500)
            ],
            user=None,
        )
        cls.risk = make_risk(w)
        adopt(w, cls.risk.analysis)
        make_control(w, cls.risk)
        cls.steering = steering_pages(w)

    def main_pages(self):
        w, report = self.w, Report.objects.filter(round=self.followup)
        return [
            "/",
            reverse("goals:my_unit"),
            reverse("goals:results"),
            reverse("goals:activity_list"),
            reverse("goals:indicator_list"),
            reverse("goals:structure"),
            reverse("goals:periods"),
            reverse("goals:goal_detail", args=[w.unit_goal.pk]),
            reverse("goals:goal_detail", args=[w.committee_goal.pk]),
            reverse("goals:indicator_detail", args=[w.indicator.pk]),
            reverse("goals:unit_detail", args=[w.skola1.pk]),
            reverse("goals:unit_detail", args=[w.bun.pk]),
            reverse("followup:round_list"),
            reverse("followup:round_dashboard", args=[self.followup.pk]),
            reverse("followup:report_detail", args=[report.get(org_unit=w.skola1).pk]),
            reverse("followup:report_detail", args=[report.get(org_unit=w.bun).pk]),
            reverse("priorities:round_list"),
            reverse("priorities:overview", args=[w.round.pk]),
            reverse("priorities:worksheet", args=[w.round.pk, w.bun.code]),
            reverse("priorities:item_detail", args=[self.item.pk]),
            reverse("goals:plan_year", args=[self.proposal.mandate_period.start_year]),
            reverse("goals:proposal_list"),
            reverse("goals:proposal_detail", args=[self.proposal.pk]),
            reverse("goals:assignment_list"),
            reverse("portal:publishing"),
            reverse("portal:home"),
            reverse("portal:goal", args=[w.committee_goal.pk]),
            reverse("portal:open_data"),
            reverse("economy:home"),
            reverse("economy:entry", args=[w.skola1.pk]),
            reverse("economy:entry", args=[w.bun.pk]),
            reverse("control:risk_list") + "?ar=2025",
            reverse("control:risk_detail", args=[self.risk.pk]),
            reverse("control:risk_create"),
            reverse("control:risk_create_unit", args=[w.skola1.pk]),
            reverse("control:analysis_detail", args=[self.risk.analysis_id]),
            *self.steering,
            reverse("economy:judgement_list"),
            reverse("economy:judgement", args=[self.followup.pk]),
        ]

    def assert_no_broken_links(self, user):
        """Every main page the user can open: none of its links refuses the user."""
        self.client.force_login(user)
        seen: dict[str, int] = {}
        broken = {}
        for url in self.main_pages():
            if self.client.get(url).status_code != 200:
                continue  # not the user's page; a link to it would be caught below
            if found := broken_links(self.client, url, seen=seen):
                broken[url] = found
        self.assertEqual(broken, {}, user.username)

    def test_the_priority_item_page_links_an_approver_only_to_what_they_may_open(self):
        w = self.w
        url = reverse("priorities:item_detail", args=[self.item.pk])
        overview = reverse("priorities:overview", args=[w.round.pk])
        for user in (w.bun_approver, w.bun_staff):
            self.client.force_login(user)
            page = self.client.get(url)
            self.assertContains(page, w.round.title)  # named, not linked
            self.assertNotIn(overview, page_links(page.content.decode()))
            self.assertEqual(broken_links(self.client, url), [])
        self.client.force_login(w.kf_approver)
        self.assertIn(overview, page_links(self.client.get(url).content.decode()))

    def test_editor(self):
        self.assert_no_broken_links(self.w.editor)

    def test_reader(self):
        self.assert_no_broken_links(self.w.reader)

    def test_other_editor(self):
        self.assert_no_broken_links(self.w.other_editor)

    def test_controller(self):
        self.assert_no_broken_links(self.w.controller)

    def test_committee_staff(self):
        self.assert_no_broken_links(self.w.bun_staff)

    def test_committee_approver(self):
        self.assert_no_broken_links(self.w.bun_approver)

    def test_council_approver(self):
        self.assert_no_broken_links(self.w.kf_approver)


def test_page_links_keeps_the_sites_own_links_once():
    html = (
        '<a href="/mal/1/#x">a</a><a href="/mal/1/">b</a><a href="https://example.org/">c</a>'
        '<a href="#top">d</a><a href="/static/x.css">e</a><button hx-get="/gren/2/">f</button>'
        '<a href="mailto:a@b.se">g</a>'
    )
    assert page_links(html) == ["/mal/1/", "/gren/2/"]
