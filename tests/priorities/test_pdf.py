"""The decision basis and the fact sheet as PDF: content, access, and user text that
is printed as text and never fetched."""

import io
import tempfile
from unittest.mock import patch

from django.test import TestCase, override_settings
from django.urls import reverse
from pypdf import PdfReader

from ledmot.lib.pdf import html_to_pdf
from priorities.models import PriorityItem
from priorities.services import round_start_review
from tests.priorities.helpers import make_item, prio_world, submit

HOSTILE = '<img src="file:///etc/passwd"> <script>alert(1)</script> =SUM(A1)'


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="ledmot-basis-"))
class PdfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world(frame=2_000_000)
        cls.a = make_item(w.bun_sheet, w.bun_staff, title="Fler lärare", cost_budget=1_500_000,
                          severity=4, effect=5, cost_effect=1, evidence=4,
                          consequences_children=HOSTILE, goals=[w.council_goal])  # fmt: skip
        cls.b = make_item(w.von_sheet, w.von_staff, title="Demensteam", cost_budget=900_000)
        cls.draft = make_item(w.von_sheet, w.von_staff, title="Utkast")
        submit(w.bun_sheet, w.bun_staff)
        PriorityItem.objects.filter(pk=cls.draft.pk).delete()
        submit(w.von_sheet, w.von_staff)
        rnd = w.round.__class__.objects.get()
        round_start_review(rnd=rnd, user=w.controller, expected_version=rnd.version)
        cls.url = reverse("priorities:round_pdf", args=[rnd.pk])

    def test_decision_basis_has_summary_ranked_table_chart_and_a_fact_sheet_per_item(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = _text(response)
        for expected in ("Beslutsunderlag", "Sammanfattning", "Förslagen i rangordning",
                         "Här tar ramen slut", "Fler lärare", "Demensteam",
                         "Barnkonsekvensanalys", "Sida 2 av"):  # fmt: skip
            self.assertIn(expected, text)
        self.assertIn("2 000 000 kr".replace(" ", "\u00a0"), text.replace(" ", "\u00a0"))
        # User text is printed as text; nothing was fetched.
        self.assertIn("<script>alert(1)</script>", text)
        self.assertIn("file:///etc/passwd", text)
        reader = PdfReader(io.BytesIO(response.content))
        self.assertGreaterEqual(len(reader.pages), 4)  # cover, summary, table, 2 fact sheets

    def test_the_decision_basis_is_tagged_for_a_screen_reader(self):
        from tests.pdf_tags import headings_in_order, read_tags

        self.client.force_login(self.w.reader)
        tags = read_tags(self.client.get(self.url).content)
        self.assertEqual(tags.lang, "sv")
        self.assertTrue(tags.title.startswith("Beslutsunderlag"))
        self.assertTrue(headings_in_order(tags.headings), tags.headings)
        self.assertGreater(tags.table_headers, 0)
        self.assertEqual(tags.figures_without_alt, 0)
        self.assertEqual(tags.pages_without_tags, [])

    def test_single_fact_sheet(self):
        self.client.force_login(self.w.bun_staff)
        response = self.client.get(reverse("priorities:item_pdf", args=[self.a.pk]))
        text = _text(response)
        self.assertIn("Faktaunderlag", text)
        self.assertIn("Fler lärare", text)
        self.assertIn("Alla barn och unga", text)  # the goal it serves

    def test_access(self):
        for user, status in ((self.w.bun_staff, 403), (self.w.editor, 403),
                             (self.w.other_editor, 403)):  # fmt: skip
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, status, user)
        item_url = reverse("priorities:item_pdf", args=[self.a.pk])
        self.client.force_login(self.w.other_editor)
        self.assertEqual(self.client.get(item_url).status_code, 404)
        self.client.force_login(self.w.reader)
        self.assertEqual(self.client.get(item_url).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="ledmot-basis-"))
class KeptDecisionBasisTests(TestCase):
    """Issue 13 point 9: the decision basis took ~10 s on every request in the demo.
    It is made once per state of the round and kept: asking again serves the kept
    file; a change to the round's proposals makes a new one."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world(frame=2_000_000)
        cls.a = make_item(w.bun_sheet, w.bun_staff, title="Fler lärare", cost_budget=1_500_000)
        submit(w.bun_sheet, w.bun_staff)
        cls.url = reverse("priorities:round_pdf", args=[w.round.pk])

    def test_the_decision_basis_is_made_once_and_kept(self):
        self.client.force_login(self.w.reader)
        with patch("priorities.views.documents.html_to_pdf", wraps=html_to_pdf) as made:
            first = self.client.get(self.url)
            again = self.client.get(self.url)
            self.assertEqual(made.call_count, 1)
            self.assertEqual(first.content, again.content)
            self.assertEqual(again["Content-Type"], "application/pdf")
            # PDF/A is a document of its own.
            self.client.get(self.url, {"pdfa": "1"})
            self.assertEqual(made.call_count, 2)
            # Another committee hands in its proposal: a new document, with it in it.
            make_item(self.w.von_sheet, self.w.von_staff, title="Demensteam", cost_budget=900)
            submit(self.w.von_sheet, self.w.von_staff)
            changed = self.client.get(self.url)
            self.assertEqual(made.call_count, 3)
            self.assertIn("Demensteam", _text(changed))
            self.assertNotIn("Demensteam", _text(first))
