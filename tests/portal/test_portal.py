"""The public portal (issue 18 point 1): what an anonymous visitor can reach, and that
nothing unpublished or internal is among it."""

import re
import shutil
import tempfile
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from portal.services import round_publication_set
from tests.portal.world import NAMES, PDF, SECRET, published_world


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


class PortalTestCase(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.media = tempfile.mkdtemp()
        cls.enterClassContext(
            override_settings(MEDIA_ROOT=cls.media, LEDMOT_BASE_URL="https://mal.asbacka.se")
        )
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        cls.w = published_world()


class CrawlTests(PortalTestCase):
    def crawl(self):
        """Every page and file reachable from /oppen/ by following links, anonymously."""
        seen, queue, bodies = set(), [reverse("portal:home")], {}
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            response = self.client.get(url)
            if response.status_code == 302:
                queue.append(response["Location"])
                continue
            self.assertEqual(response.status_code, 200, url)
            if response["Content-Type"].startswith("application/pdf"):
                bodies[url] = b"".join(response.streaming_content)
                continue
            text = _text(response)
            bodies[url] = text
            if response["Content-Type"].startswith("text/html"):
                parser = _Links()
                parser.feed(text)
                for link in parser.links:
                    target = urljoin(url, link.split("#")[0])
                    parts = urlsplit(target)
                    if parts.scheme or parts.netloc:
                        continue  # the catalogue's vocabularies, licence
                    if parts.path.startswith("/static/"):
                        continue
                    self.assertTrue(parts.path.startswith("/oppen/"), f"{url} links to {link}")
                    queue.append(target)
        return bodies

    def test_the_crawl_finds_no_text_that_is_not_public(self):
        bodies = self.crawl()
        w = self.w
        texts = {url: body for url, body in bodies.items() if isinstance(body, str)}
        for url, text in texts.items():
            with self.subTest(url=url):
                self.assertNotIn(SECRET, text)
                for name in NAMES:
                    self.assertNotIn(name, text)
                # The value of 2026 comes after the published round's period.
                self.assertNotIn("99,5", text)
                self.assertNotIn("99.5", text)
        everything = "\n".join(texts.values())
        # … and it does find what is public (so the test cannot pass by finding nothing).
        for public in [
            w.vision.text,
            w.council_goal.title,
            w.committee_goal.title,
            "Analysen: fler elever når målen i år än förra året.",
            "Åtgärden: läxhjälp på alla skolor.",
            "Förvaltningschef",
            w.indicator.name,
            "74,25",
            "68,5",  # Kolada's comparison
            "Årsredovisning 2025 – Barn- och utbildningsnämnden",
        ]:
            self.assertIn(public, everything)
        pdfs = [body for body in bodies.values() if isinstance(body, bytes)]
        self.assertEqual(pdfs, [PDF])
        # The open data and its catalogue were reached by links.
        self.assertTrue(any(url.endswith(".csv") for url in bodies))
        self.assertTrue(any(url.endswith(".json") for url in bodies))
        self.assertIn(reverse("portal:catalog"), bodies)

    def test_unpublished_things_answer_404_when_asked_for_directly(self):
        w = self.w
        for url in [
            reverse("portal:goal", args=[w.unit_goal.pk]),
            reverse("portal:goal", args=[w.proposed_council_goal.pk]),
            reverse("portal:goal", args=[w.ended_goal.pk]),
            reverse("portal:report_file", args=[w.hidden_pdf.pk]),
            reverse("portal:report_file", args=[w.tertial_pdf.pk]),
            reverse("portal:committee", args=[w.buf.pk]),
            reverse("portal:dataset", args=["anvandare"]),
            reverse("portal:download", args=["mal", "xlsx"]),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_withdrawing_the_round_takes_its_results_and_reports_away(self):
        w = self.w
        round_publication_set(rnd=w.annual, published=False, user=w.controller)
        home = self.client.get(reverse("portal:home")).content.decode()
        self.assertNotIn("Årsredovisning 2025 – Barn", home)
        goal = self.client.get(reverse("portal:goal", args=[w.committee_goal.pk])).content
        self.assertNotIn("Analysen: fler elever", goal.decode())
        self.assertNotIn("74,25", goal.decode())
        self.assertEqual(
            self.client.get(reverse("portal:report_file", args=[w.pdf.pk])).status_code, 404
        )


class SwitchedOffTests(PortalTestCase):
    def test_every_public_address_is_404_when_the_portal_is_off(self):
        urls = [
            reverse("portal:home"),
            reverse("portal:goal", args=[self.w.committee_goal.pk]),
            reverse("portal:committee", args=[self.w.bun.pk]),
            reverse("portal:reports"),
            reverse("portal:report_file", args=[self.w.pdf.pk]),
            reverse("portal:open_data"),
            reverse("portal:catalog"),
            reverse("portal:dataset", args=["mal"]),
            reverse("portal:download", args=["mal", "csv"]),
            reverse("portal:language", args=["en"]),
        ]
        with self.settings(LEDMOT_PUBLIC_PORTAL=False):
            for url in urls:
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
            self.client.force_login(self.w.controller)
            self.assertEqual(self.client.get(reverse("portal:publishing")).status_code, 404)


class CachingTests(PortalTestCase):
    def test_anonymous_pages_are_cacheable_and_answer_304_when_unchanged(self):
        url = reverse("portal:home")
        first = self.client.get(url)
        self.assertEqual(first.status_code, 200)
        self.assertIn("public", first["Cache-Control"])
        self.assertIn("max-age=300", first["Cache-Control"])
        self.assertIn("Cookie", first["Vary"])
        self.assertTrue(first.has_header("Last-Modified"))
        # No cookie is set: nothing stops a shared cache.
        self.assertEqual(list(first.cookies), [])
        again = self.client.get(url, headers={"if-none-match": first["ETag"]})
        self.assertEqual(again.status_code, 304)
        since = self.client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        self.assertEqual(since.status_code, 304)

    def test_publishing_changes_the_etag(self):
        url = reverse("portal:home")
        before = self.client.get(url)["ETag"]
        round_publication_set(rnd=self.w.tertial, published=True, user=self.w.controller)
        response = self.client.get(url, headers={"if-none-match": before})
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], before)

    def assert_changes_the_etag(self, change):
        url = reverse("portal:home")
        before = self.client.get(url)
        change()
        for header, value in (("if-none-match", before["ETag"]),):
            response = self.client.get(url, headers={header: value})
            self.assertEqual(response.status_code, 200)
            self.assertNotEqual(response["ETag"], before["ETag"])

    def test_a_kolada_sync_changes_the_etag(self):
        """The portal shows Kolada's comparison values: after a sync a browser that
        asks again gets the new page, not a 304 for the old one."""
        from goals import kolada

        def sync():
            rows = [kolada.Row("N15033", "0180", 2025, "T", Decimal("81.5"))]
            kolada.sync(rows, fetched_at=timezone.now(), own_code="0583")

        self.assert_changes_the_etag(sync)

    def test_a_changed_indicator_or_target_changes_the_etag(self):
        from goals.services import targets_save
        from ledmot.services import versioned_save

        indicator = self.w.indicator

        def rename():
            indicator.name = "Andel elever som är behöriga till gymnasiet"
            versioned_save(indicator, user=self.w.controller, expected_version=indicator.version)

        self.assert_changes_the_etag(rename)
        self.assert_changes_the_etag(
            lambda: targets_save(
                indicator=indicator, values={2027: Decimal("95")}, user=self.w.controller
            )
        )

    def test_the_language_is_part_of_the_etag(self):
        url = reverse("portal:home")
        swedish = self.client.get(url)
        self.client.cookies["django_language"] = "en"
        english = self.client.get(url, headers={"if-none-match": swedish["ETag"]})
        self.assertEqual(english.status_code, 200)
        self.assertIn('lang="en"', english.content.decode())

    def test_signed_in_users_get_no_store(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(reverse("portal:home"))
        self.assertIn("no-store", response["Cache-Control"])


class LanguageTests(PortalTestCase):
    def test_the_language_link_switches_to_english_and_back(self):
        home = reverse("portal:home")
        page = self.client.get(home).content.decode()
        link = re.search(r'href="(/oppen/sprak/en/\?next=[^"]+)"', page)[1]
        response = self.client.get(link.replace("&amp;", "&"))
        self.assertRedirects(response, home, fetch_redirect_response=False)
        english = self.client.get(home).content.decode()
        self.assertIn('<html lang="en">', english)
        self.assertIn('href="/oppen/sprak/sv/', english)

    def test_the_language_link_goes_nowhere_outside_the_portal(self):
        response = self.client.get(
            reverse("portal:language", args=["en"]) + "?next=https://evil.example/"
        )
        self.assertEqual(response["Location"], reverse("portal:home"))
        response = self.client.get(reverse("portal:language", args=["en"]) + "?next=/admin/")
        self.assertEqual(response["Location"], reverse("portal:home"))
        self.assertEqual(self.client.get(reverse("portal:language", args=["xx"])).status_code, 404)


class QueryTests(PortalTestCase):
    def test_the_home_page_costs_the_same_with_more_goals(self):
        from tests.factories import GoalFactory

        url = reverse("portal:home")
        self.client.get(url)
        with self.assertNumQueries(14):
            self.client.get(url)
        for n in range(5):
            GoalFactory(owner=self.w.kf, mandate_period=self.w.period, title=f"Nytt mål {n}")
        with self.assertNumQueries(14):
            self.client.get(url)


class CompanyTests(PortalTestCase):
    def test_a_municipal_company_is_listed_with_the_committees(self):
        from goals.models import GoalLevel
        from ledmot.models import OrgKind
        from tests.factories import GoalFactory, OrgUnitFactory

        w = self.w
        company = OrgUnitFactory(
            name="Åsbacka Energi AB", code="ENERGI", kind=OrgKind.COMPANY, parent=w.kf
        )
        goal = GoalFactory(
            level=GoalLevel.COMMITTEE,
            parent=w.council_goal,
            owner=company,
            mandate_period=w.period,
            title="Fossilfri fjärrvärme",
        )
        home = self.client.get(reverse("portal:home")).content.decode()
        self.assertIn(reverse("portal:committee", args=[company.pk]), home)
        page = self.client.get(reverse("portal:committee", args=[company.pk]))
        self.assertContains(page, goal.title)
        goal_page = self.client.get(reverse("portal:goal", args=[goal.pk]))
        self.assertContains(goal_page, reverse("portal:committee", args=[company.pk]))
