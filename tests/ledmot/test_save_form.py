"""ledmot.conflicts.save_form: how every form answers a service's write. Two
controllers keep the glossary; the views (tests/ledmot/test_glossary.py and every form's
tests) check who may."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.glossary import glossary_term_save
from ledmot.glossary_views import GlossaryTermForm
from ledmot.models import GlossaryTerm, Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant


class SaveFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.colleague = UserFactory(username="controller2", first_name="Karl", last_name="Kollega")
        grant(cls.colleague, cls.w.kf, Role.CONTROLLER)

    def setUp(self):
        self.term = glossary_term_save(
            term=GlossaryTerm(term="Nämndmål", definition="Nämndens mål."),
            user=self.w.controller,
            expected_version=None,
        )

    def form(self, version, definition="Mitt förslag."):
        form = GlossaryTermForm(
            {"term": "Nämndmål", "definition": definition, "version": version},
            instance=GlossaryTerm.objects.get(pk=self.term.pk),
        )
        self.assertTrue(form.is_valid(), form.errors)
        return form

    def save(self, form, user=None):
        return glossary_term_save(
            term=form.instance,
            user=user or self.w.controller,
            expected_version=form.cleaned_data["version"],
        )

    def test_a_save_on_the_current_version_is_ok(self):
        form = self.form(self.term.version)
        outcome = save_form(form, lambda: self.save(form))
        self.assertTrue(outcome.ok)
        self.assertEqual((outcome.saved.pk, outcome.status), (self.term.pk, 200))
        self.term.refresh_from_db()
        self.assertEqual(self.term.definition, "Mitt förslag.")

    def test_a_stale_version_is_a_conflict_and_nothing_is_saved(self):
        stale = self.form(self.term.version)
        # The colleague saves first.
        self.save(self.form(self.term.version, "Kollegans text."), user=self.colleague)
        outcome = save_form(stale, lambda: self.save(stale))
        self.assertFalse(outcome.ok)
        self.assertEqual(outcome.status, 409)
        self.assertIn("Någon annan har sparat", outcome.conflict["message"])
        self.assertIn("Karl Kollega", outcome.conflict["who"])
        # The colleague's text stays; the next save is based on the version now saved.
        current = GlossaryTerm.objects.get(pk=self.term.pk)
        self.assertEqual(current.definition, "Kollegans text.")
        self.assertEqual(int(stale.data["version"]), current.version)

    def test_a_services_refusal_goes_beside_its_field(self):
        form = self.form(self.term.version)

        def refuse():
            raise ValidationError({"definition": ["Definitionen är för kort."]})

        outcome = save_form(form, refuse)
        self.assertIs(outcome, NOT_SAVED)
        self.assertEqual(outcome.status, 200)
        self.assertEqual(form.errors["definition"], ["Definitionen är för kort."])

    def test_a_refusal_after_a_first_write_leaves_nothing_saved(self):
        """As a risk's save makes the committee's analysis first: refused, neither stays."""
        form = self.form(self.term.version)

        def write_then_refuse():
            glossary_term_save(
                term=GlossaryTerm(term="Enhetsmål", definition="Enhetens mål."),
                user=self.w.controller,
                expected_version=None,
            )
            self.save(form)
            raise ValidationError({"definition": ["Definitionen är för kort."]})

        outcome = save_form(form, write_then_refuse)
        self.assertFalse(outcome.ok)
        self.assertFalse(GlossaryTerm.objects.filter(term="Enhetsmål").exists())
        self.term.refresh_from_db()
        self.assertEqual(self.term.definition, "Nämndens mål.")

    def test_other_errors_are_not_swallowed(self):
        form = self.form(self.term.version)

        def broken():
            raise ZeroDivisionError

        with self.assertRaises(ZeroDivisionError):
            save_form(form, broken)
