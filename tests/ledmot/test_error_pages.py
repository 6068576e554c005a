"""The error pages (400, 403, 404, 500): in the normal layout, in the user's language,
saying what happened and where to go; the 403 names the role that would allow it. The
main menu shows a read-only user no entry they cannot use."""

from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from followup.models import ReportStatus
from ledmot.views import server_error
from tests.conftest import build_world
from tests.followup.helpers import open_round


class ErrorPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_404_is_in_the_layout_and_says_where_to_go(self):
        self.client.force_login(self.w.editor)
        response = self.client.get("/finns-inte/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Sidan finns inte", status_code=404)
        self.assertContains(response, 'aria-label="Huvudmeny"', status_code=404)
        self.assertContains(response, f'href="{reverse("goals:my_unit")}"', status_code=404)

    def test_404_of_an_object_out_of_scope_uses_the_same_page(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.get(reverse("goals:goal_detail", args=[self.w.proposed_goal.pk]))
        self.assertContains(response, "Sidan finns inte", status_code=404)

    def test_404_for_a_visitor_offers_the_login(self):
        response = self.client.get("/finns-inte/")
        self.assertContains(response, f'href="{reverse("login")}"', status_code=404)

    def test_error_page_follows_the_chosen_language(self):
        self.client.force_login(self.w.editor)
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get("/finns-inte/")
        self.assertContains(response, '<html lang="en">', status_code=404)
        self.assertContains(response, "Log out", status_code=404)

    def test_403_names_the_role_that_would_allow_it(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(reverse("goals:goal_edit", args=[self.w.unit_goal.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertContains(
            response,
            "Det här kräver rollen redigerare, controller eller administratör på "
            "Ekbackens skola eller på en enhet ovanför den.",
            status_code=403,
        )
        # The user's own roles, and the layout around it.
        self.assertContains(response, "Läsare på Kommunfullmäktige", status_code=403)
        self.assertContains(response, 'aria-label="Huvudmeny"', status_code=403)

    def test_403_of_a_council_task_names_the_controller(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(reverse("goals:period_create"))
        self.assertContains(
            response,
            "Det här kräver rollen controller eller administratör på kommunfullmäktige "
            "(hela kommunen).",
            status_code=403,
        )

    def test_403_of_a_refused_post_changes_nothing(self):
        self.client.force_login(self.w.reader)
        title = self.w.activity.title
        response = self.client.post(
            reverse("goals:activity_edit", args=[self.w.activity.pk]), {"title": "Nytt"}
        )
        self.assertContains(response, "Ingenting har ändrats.", status_code=403)
        self.w.activity.refresh_from_db()
        self.assertEqual(self.w.activity.title, title)

    def test_403_of_a_report_that_cannot_be_approved_says_why(self):
        report = open_round(self.w).reports.get(org_unit=self.w.skola1)
        self.client.force_login(self.w.controller)
        response = self.client.post(reverse("followup:report_approve", args=[report.pk]))
        self.assertContains(
            response, "Bara en inlämnad rapport kan godkännas eller återsändas.", status_code=403
        )
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.DRAFT)

    def test_403_of_a_report_approval_names_the_approver_role(self):
        report = open_round(self.w).reports.get(org_unit=self.w.skola1)
        self.client.force_login(self.w.editor)
        response = self.client.post(reverse("followup:report_approve", args=[report.pk]))
        self.assertContains(
            response,
            "Det här kräver rollen godkännare, controller eller administratör på "
            "Barn- och utbildningsförvaltningen eller på en enhet ovanför den.",
            status_code=403,
        )

    @override_settings(ALLOWED_HOSTS=["testserver"])
    def test_400_is_in_the_layout(self):
        self.client.force_login(self.w.editor)
        response = self.client.get("/", HTTP_HOST="elak.example")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Det som skickades gick inte att ta emot", status_code=400)
        # A request refused before sign-in is read: the layout, without the menu.
        self.assertContains(response, 'class="site-footer"', status_code=400)
        self.assertContains(response, "Vart vill du gå?", status_code=400)


@override_settings(ROOT_URLCONF="tests.ledmot.error_urls")
class ServerErrorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_500_says_what_happened_in_swedish(self):
        client = Client(raise_request_exception=False)
        client.force_login(self.w.editor)
        response = client.get("/boom/")
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, "Något gick fel hos oss", status_code=500)
        self.assertContains(response, "Försök igen om en stund", status_code=500)
        self.assertContains(response, '<html lang="sv">', status_code=500)
        self.assertContains(response, 'class="site-header"', status_code=500)

    def test_500_in_english_when_chosen(self):
        client = Client(raise_request_exception=False)
        client.force_login(self.w.editor)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = client.get("/boom/")
        self.assertContains(response, '<html lang="en">', status_code=500)

    def test_500_needs_no_database(self):
        request = RequestFactory().get("/")
        with translation.override("sv"), self.assertNumQueries(0):
            response = server_error(request)
        self.assertEqual(response.status_code, 500)
        self.assertIn("Något gick fel hos oss", response.content.decode())


class MenuTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def menu_of(self, user):
        self.client.force_login(user)
        response = self.client.get(reverse("goals:chain"))
        html = response.content.decode()
        return html[html.index('aria-label="Huvudmeny"') : html.index("</nav>")]

    def test_a_reader_sees_no_entry_for_writing(self):
        menu = self.menu_of(self.w.reader)
        self.assertNotIn("Mata in resultat", menu)
        self.assertNotIn("Perioder", menu)
        self.assertIn("Röda tråden", menu)

    def test_an_editor_enters_results_but_keeps_no_periods(self):
        menu = self.menu_of(self.w.editor)
        self.assertIn("Mata in resultat", menu)
        self.assertNotIn("Perioder", menu)

    def test_a_controller_of_the_council_sees_both(self):
        menu = self.menu_of(self.w.controller)
        self.assertIn("Mata in resultat", menu)
        self.assertIn("Perioder", menu)
