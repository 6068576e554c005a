"""Publicering (issue 18 point 1): a controller publishes a closed round's results and
chosen report PDFs, and withdraws them, with history; nobody else can."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.models import GeneratedReport
from ledmot.models import JobStatus, Role
from portal.models import ReportPublication, RoundPublication
from portal.publication import is_public, published_reports, published_rounds
from portal.services import report_publication_set, round_publication_set
from tests.factories import UserFactory, grant
from tests.followup.helpers import open_round
from tests.portal.test_portal import PortalTestCase


class PublishingServiceTests(PortalTestCase):
    def test_an_open_round_cannot_be_published(self):
        rnd = open_round(self.w, kind="Delårsrapport", period_end=datetime.date(2026, 8, 31))
        with self.assertRaisesMessage(
            ValidationError, "Bara en stängd uppföljning kan publiceras."
        ):
            round_publication_set(rnd=rnd, published=True, user=self.w.controller)
        self.assertFalse(RoundPublication.objects.filter(round=rnd).exists())

    def test_a_report_of_an_unpublished_round_cannot_be_published(self):
        with self.assertRaisesMessage(ValidationError, "Publicera uppföljningens resultat"):
            report_publication_set(
                report=self.w.tertial_pdf, published=True, user=self.w.controller
            )
        self.assertFalse(is_public(self.w.tertial_pdf))

    def test_an_unfinished_report_cannot_be_published(self):
        job = GeneratedReport.objects.create(
            round=self.w.annual, title="Pågår", status=JobStatus.RUNNING
        )
        with self.assertRaisesMessage(ValidationError, "Rapporten är inte färdig"):
            report_publication_set(report=job, published=True, user=self.w.controller)

    def test_publishing_and_withdrawing_keep_history_with_the_user(self):
        w = self.w
        publication = RoundPublication.objects.get(round=w.annual)
        self.assertEqual(publication.history.count(), 1)
        round_publication_set(rnd=w.annual, published=False, user=w.controller)
        round_publication_set(rnd=w.annual, published=False, user=w.controller)  # no change
        history = list(publication.history.order_by("history_date"))
        self.assertEqual([h.published for h in history], [True, False])
        self.assertEqual(history[-1].history_user, w.controller)
        self.assertEqual(history[-1].history_change_reason, "Avpublicerad")
        self.assertFalse(published_rounds().exists())
        # The round's reports go with it (and come back with it).
        self.assertFalse(published_reports().exists())
        round_publication_set(rnd=w.annual, published=True, user=w.controller)
        self.assertEqual(list(published_reports()), [w.pdf])

    def test_is_public(self):
        w = self.w
        self.assertTrue(is_public(w.committee_goal))
        self.assertTrue(is_public(w.council_goal))
        self.assertFalse(is_public(w.unit_goal))
        self.assertFalse(is_public(w.proposed_council_goal))
        self.assertTrue(is_public(w.annual))
        self.assertFalse(is_public(w.tertial))
        self.assertTrue(is_public(w.pdf))
        self.assertFalse(is_public(w.hidden_pdf))
        self.assertTrue(is_public(w.indicator))
        self.assertTrue(is_public(w.vision))
        values = {m.period: is_public(m) for m in w.indicator.measurements.all()}
        self.assertEqual(values, {"2024": True, "2025": True, "2026": False})
        with self.settings(LEDMOT_PUBLIC_PORTAL=False):
            self.assertFalse(is_public(w.committee_goal))


class PublishingScreenTests(PortalTestCase):
    url = reverse("portal:publishing")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.w.committee_controller = UserFactory(username="bunctl")
        grant(cls.w.committee_controller, cls.w.bun, Role.CONTROLLER)
        cls.w.admin = UserFactory(username="admin")
        grant(cls.w.admin, cls.w.kf, Role.ADMIN)

    def test_the_grid(self):
        w = self.w
        grid = {
            "anonymous": (None, 302),
            "reader": (w.reader, 403),
            "unit editor": (w.editor, 403),
            "other editor": (w.other_editor, 403),
            "committee controller": (w.committee_controller, 403),
            "controller": (w.controller, 200),
            "admin": (w.admin, 200),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            with self.subTest(persona=persona):
                self.assertEqual(self.client.get(self.url).status_code, expected)
                response = self.client.post(self.url, {"round": self.w.tertial.pk, "publish": "1"})
                self.assertEqual(response.status_code, 302 if expected == 200 else expected)
                # A refused post changes nothing.
                published = RoundPublication.objects.filter(
                    round=self.w.tertial, published=True
                ).exists()
                self.assertEqual(published, expected == 200)
                if published:
                    round_publication_set(rnd=self.w.tertial, published=False, user=w.controller)

    def test_the_controller_publishes_a_report_from_the_screen(self):
        self.client.force_login(self.w.controller)
        page = self.client.get(self.url).content.decode()
        self.assertIn("Resultaten är publicerade.", page)
        self.assertIn(self.w.hidden_pdf.title, page)
        response = self.client.post(
            self.url, {"report": self.w.hidden_pdf.pk, "publish": "1"}, follow=True
        )
        self.assertContains(response, "Rapporten är publicerad.")
        self.assertTrue(ReportPublication.objects.get(report=self.w.hidden_pdf).published)
        home = self.client.get(reverse("portal:reports")).content.decode()
        self.assertIn(self.w.hidden_pdf.title, home)

    def test_a_refused_publication_shows_why_and_changes_nothing(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(
            self.url, {"report": self.w.tertial_pdf.pk, "publish": "1"}, follow=True
        )
        self.assertContains(
            response, "Publicera uppföljningens resultat innan dess rapporter publiceras."
        )
        self.assertFalse(ReportPublication.objects.filter(report=self.w.tertial_pdf).exists())

    def test_an_unknown_or_odd_id_is_404(self):
        self.client.force_login(self.w.controller)
        for data in [{"round": "9999"}, {"round": "abc"}, {"report": "x"}, {}]:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url, data).status_code, 404)

    def test_the_menu_shows_publicering_to_the_controller_only(self):
        self.client.force_login(self.w.controller)
        chain = self.client.get(reverse("goals:chain")).content.decode()
        self.assertIn(f'href="{self.url}"', chain)
        self.client.force_login(self.w.reader)
        chain = self.client.get(reverse("goals:chain")).content.decode()
        self.assertNotIn(f'href="{self.url}"', chain)
