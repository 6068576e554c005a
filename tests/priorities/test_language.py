"""Labels follow the language each user chose (the footer's language switcher), request
by request: nothing is translated once for everyone when a module is imported."""

from django.test import TestCase
from django.urls import reverse

from tests.priorities.helpers import make_item, prio_world, submit


class LanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = prio_world()
        make_item(w.bun_sheet, w.bun_staff, title="Läxhjälp")
        submit(w.bun_sheet, w.bun_staff)

    def switch(self, language: str, url: str):
        """As the footer's form does: post the language, follow back to the page."""
        response = self.client.post(
            reverse("set_language"), {"language": language, "next": url}, follow=True
        )
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_worksheet_sort_labels_follow_the_language(self):
        url = reverse("priorities:worksheet", args=[self.w.round.pk, "BUN"])
        self.client.force_login(self.w.bun_staff)
        for language, label in (("sv", "Föreslagen rang"), ("en", "Suggested rank"),
                                ("sv", "Föreslagen rang")):  # fmt: skip
            response = self.switch(language, url)
            labels = [str(c["label"]) for c in response.context["columns"]]
            self.assertIn(label, labels, language)
            self.assertContains(response, f">{label}</a>")

    def test_the_overview_labels_follow_the_language(self):
        url = reverse("priorities:overview", args=[self.w.round.pk])
        self.client.force_login(self.w.reader)
        for language, status, undecided in (
            ("sv", "Öppen för förslag", "Ej beslutade"),
            ("en", "Open for proposals", "Not decided"),
            ("sv", "Öppen för förslag", "Ej beslutade"),
        ):
            response = self.switch(language, url)
            self.assertContains(response, status)
            self.assertContains(response, f"{undecided}: <strong>")
