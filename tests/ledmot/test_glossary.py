"""The glossary (ordlista, issue 17 point 5): the Ordlista page one click from any
screen, kept by the controllers with its history, and the known terms of a text shown
with their definitions (keyboard accessible, escaped)."""

from django.test import TestCase
from django.urls import reverse

from ledmot.glossary import glossary_term_save, mark_terms
from ledmot.models import GlossaryTerm
from tests.conftest import build_world


def term(name, definition):
    return glossary_term_save(
        term=GlossaryTerm(term=name, definition=definition), user=None, expected_version=None
    )


class GlossaryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.indicator = term("indikator", "Ett mått som visar om ett mål nås.")
        cls.internal = term("intern kontroll", "Nämndens kontroll av sin egen verksamhet.")

    def test_the_glossary_is_linked_from_every_screen(self):
        self.client.force_login(self.w.editor)
        for url in (reverse("goals:chain"), reverse("goals:my_unit"), reverse("glossary")):
            with self.subTest(url=url):
                self.assertContains(
                    self.client.get(url, follow=True), f'href="{reverse("glossary")}"'
                )
        page = self.client.get(reverse("glossary"))
        self.assertContains(page, "Ett mått som visar om ett mål nås.")
        self.assertContains(page, f'id="{self.indicator.anchor}"')

    def test_a_term_is_marked_once_with_its_definition_and_text_is_escaped(self):
        html = mark_terms(
            "Indikatorerna <b>visar</b>; en indikator till. Intern kontroll görs.",
            [self.indicator, self.internal],
        )
        self.assertEqual(html.count("<details"), 2)
        self.assertIn("<summary><dfn>Indikatorerna</dfn></summary>", html)
        self.assertIn("&lt;b&gt;visar&lt;/b&gt;", html)
        self.assertIn("Nämndens kontroll av sin egen verksamhet.", html)
        self.assertNotIn("<b>", html)

    def test_a_definition_is_escaped(self):
        bad = term("målvärde", "<script>alert(1)</script>")
        html = mark_terms("Ett målvärde.", [bad])
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)

    def test_a_goals_description_shows_the_definition(self):
        goal = self.w.unit_goal
        goal.description = "Varje indikator följs upp."
        goal.save()
        self.client.force_login(self.w.reader)
        page = self.client.get(reverse("goals:goal_detail", args=[goal.pk]))
        self.assertContains(page, '<details class="term"><summary><dfn>indikator</dfn></summary>')

    def test_the_grid(self):
        w = self.w
        urls = {
            "list": reverse("glossary"),
            "history": reverse("glossary_term_history", args=[self.indicator.pk]),
            "create": reverse("glossary_term_create"),
            "edit": reverse("glossary_term_edit", args=[self.indicator.pk]),
        }
        grid = {
            "anonymous": (None, dict.fromkeys(urls, 302)),
            "reader": (w.reader, {"list": 200, "history": 200, "create": 403, "edit": 403}),
            "editor": (w.editor, {"list": 200, "history": 200, "create": 403, "edit": 403}),
            "controller": (w.controller, {"list": 200, "history": 200, "create": 200, "edit": 200}),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name, url in urls.items():
                with self.subTest(persona=persona, url=name):
                    self.assertEqual(self.client.get(url).status_code, expected[name])

    def test_a_refused_write_changes_nothing(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("glossary_term_edit", args=[self.indicator.pk]),
            {"term": "indikator", "definition": "Kapat", "version": 1},
        )
        self.assertEqual(response.status_code, 403)
        response = self.client.post(
            reverse("glossary_term_delete", args=[self.indicator.pk]), {"version": 1}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            GlossaryTerm.objects.get(pk=self.indicator.pk).definition,
            "Ett mått som visar om ett mål nås.",
        )

    def test_the_controller_edits_a_term_with_history(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("glossary_term_edit", args=[self.indicator.pk]),
            {"term": "indikator", "definition": "Ett mått.", "version": self.indicator.version},
        )
        self.assertEqual(response.status_code, 302)
        records = GlossaryTerm.history.filter(id=self.indicator.pk).order_by("-history_date")
        self.assertEqual(records.count(), 2)
        self.assertEqual(records.first().history_user, self.w.controller)
        page = self.client.get(reverse("glossary_term_history", args=[self.indicator.pk]))
        self.assertContains(page, "Ett mått.")

    def test_a_term_is_unique_whatever_its_case(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(
            reverse("glossary_term_create"), {"term": "Indikator", "definition": "Dubblett"}
        )
        self.assertContains(response, "finns redan i ordlistan")
        self.assertEqual(GlossaryTerm.objects.count(), 2)

    def test_a_forms_help_text_shows_the_definition_and_still_describes_its_field(self):
        term("målvärde", "Det värde en indikator ska nå ett visst år.")
        self.client.force_login(self.w.controller)
        page = self.client.get(reverse("goals:indicator_detail", args=[self.w.indicator.pk]))
        html = page.content.decode()
        # The help of the "last day measured" field, in a <div> (a <p> cannot hold the
        # term's <details>: the browser would close the paragraph before it).
        help_ = html.split('<div class="help" id="id_ended_on_helptext">')[1].split("</div>")[0]
        self.assertIn("<summary><dfn>målvärden</dfn></summary>", help_)
        self.assertIn("Det värde en indikator ska nå ett visst år.", help_)
        self.assertIn(
            f'href="{reverse("glossary")}#{GlossaryTerm.objects.get(term="målvärde").anchor}"',
            help_,
        )
        # The field is still described by its help.
        field = html.split('name="ended_on"')[1].split(">")[0]
        self.assertIn('aria-describedby="id_ended_on_helptext"', field)
        self.assertNotIn('<p class="help" id="id_ended_on_helptext">', html)
