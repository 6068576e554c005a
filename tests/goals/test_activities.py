"""Activities: inline create/edit with htmx and without, for every persona."""

from django.test import TestCase
from django.urls import reverse

from goals.models import Activity, ActivityStatus
from tests.conftest import build_world


def activity_data(a, **overrides):
    data = {
        "title": a.title,
        "description": a.description,
        "owner": a.owner_id,
        "responsible": a.responsible,
        "start": "2025-01-10",
        "end": "2025-06-30",
        "status": a.status,
        "progress": a.progress,
        # As the form shows it and posts it back: "1 250 000".
        "cost": "" if a.cost is None else f"{a.cost:,}".replace(",", " "),
        "version": a.version,
    }
    data.update(overrides)
    return data


NEW = {
    "title": "Mattecafé på onsdagar",
    "responsible": "Lars Lärare",
    "start": "2025-02-01",
    "end": "2025-12-15",
    "status": ActivityStatus.IN_PROGRESS,
    "progress": "30",
}


class ActivityCreateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self):
        return reverse("goals:activity_create", args=[self.w.unit_goal.pk])

    def test_editor_adds_activity_without_javascript(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(self.url(), {**NEW, "owner": self.w.skola1.pk})
        self.assertRedirects(
            response, reverse("goals:goal_detail", args=[self.w.unit_goal.pk]) + "#aktiviteter"
        )
        activity = Activity.objects.get(title="Mattecafé på onsdagar")
        self.assertEqual(activity.progress, 30)
        self.assertEqual(activity.history.get().history_user, self.w.editor)

    def test_editor_adds_activity_inline_with_htmx(self):
        self.client.force_login(self.w.editor)
        form = self.client.get(self.url(), headers={"HX-Request": "true"})
        self.assertContains(form, 'hx-post="')
        self.assertNotContains(form, "<html")
        response = self.client.post(
            self.url(), {**NEW, "owner": self.w.skola1.pk}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response["HX-Retarget"], "#activity-section")
        self.assertContains(response, "Mattecafé på onsdagar")
        self.assertContains(response, self.w.activity.title)
        self.assertContains(response, "Aktiviteten är tillagd.")

    def test_own_page_posts_as_a_plain_form(self):
        """On its own page the form is not an htmx form: its answer would be retargeted to
        the goal page's activity section, which that page does not have."""
        self.client.force_login(self.w.editor)
        page = self.client.get(self.url())
        self.assertContains(page, f'action="{self.url()}"')
        self.assertNotContains(page, "hx-post=")
        invalid = self.client.post(self.url(), {**NEW, "title": ""})
        self.assertContains(invalid, "<html")
        self.assertContains(invalid, "Formuläret innehåller fel. Inget har sparats.", count=1)
        self.assertNotContains(invalid, "hx-post=")

    def test_bad_input_is_shown_beside_the_field_and_nothing_saved(self):
        self.client.force_login(self.w.editor)
        before = Activity.objects.count()
        response = self.client.post(
            self.url(),
            {**NEW, "owner": self.w.skola1.pk, "end": "2025-01-01", "progress": "150"},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_progress_error"')
        self.assertEqual(Activity.objects.count(), before)
        response = self.client.post(
            self.url(),
            {**NEW, "owner": self.w.skola1.pk, "end": "2025-01-01"},
        )
        self.assertContains(response, "Slutdatum kan inte vara före startdatum")
        response = self.client.post(
            self.url(),
            {**NEW, "owner": self.w.skola1.pk, "status": "done", "progress": "50"},
        )
        self.assertContains(response, "En klar aktivitet har framdriften 100")
        response = self.client.post(self.url(), {**NEW, "owner": self.w.skola1.pk, "start": "igår"})
        self.assertContains(response, "Fyll i ett giltigt datum")
        self.assertEqual(Activity.objects.count(), before)

    def test_other_editor_reader_and_anonymous_are_refused(self):
        before = Activity.objects.count()
        for user in (self.w.other_editor, self.w.reader):
            self.client.force_login(user)
            response = self.client.post(self.url(), {**NEW, "owner": self.w.skola1.pk})
            self.assertEqual(response.status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(self.url(), NEW).status_code, 302)
        self.assertEqual(Activity.objects.count(), before)


class ActivityEditTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self):
        return reverse("goals:activity_edit", args=[self.w.activity.pk])

    def test_editor_updates_status_and_progress(self):
        a = self.w.activity
        self.client.force_login(self.w.editor)
        self.client.post(self.url(), activity_data(a, status="done", progress="100"))
        a.refresh_from_db()
        self.assertEqual(a.status, ActivityStatus.DONE)
        self.assertEqual(a.version, 2)

    def test_the_cost_is_typed_in_kronor_the_swedish_way_with_history(self):
        a = self.w.activity
        self.client.force_login(self.w.editor)
        page = self.client.get(self.url())
        self.assertContains(page, 'name="cost"')
        self.client.post(self.url(), activity_data(a, cost="1 250 000"))
        a.refresh_from_db()
        self.assertEqual(a.cost, 1_250_000)
        self.assertEqual(a.history.latest().cost, 1_250_000)
        self.assertContains(self.client.get(self.url()), 'value="1\u00a0250\u00a0000"')

    def test_a_cost_in_oren_is_refused_beside_the_field_and_nothing_saved(self):
        a = self.w.activity
        self.client.force_login(self.w.editor)
        response = self.client.post(self.url(), activity_data(a, cost="12,50", progress="90"))
        self.assertContains(response, "Ange beloppet i hela kronor, utan ören.")
        a.refresh_from_db()
        self.assertEqual((a.cost, a.version), (None, 1))

    def test_stale_edit_is_refused_with_the_other_version(self):
        a = self.w.activity
        self.client.force_login(self.w.editor)
        stale = activity_data(a, title="Min titel")
        self.client.post(self.url(), activity_data(a, title="Den andras titel"))
        response = self.client.post(self.url(), stale, headers={"HX-Request": "true"})
        self.assertContains(response, "Någon annan har sparat")
        self.assertContains(response, "Den andras titel")
        a.refresh_from_db()
        self.assertEqual(a.title, "Den andras titel")

    def test_other_editor_and_reader_get_403(self):
        a = self.w.activity
        for user in (self.w.other_editor, self.w.reader):
            self.client.force_login(user)
            self.assertEqual(
                self.client.post(self.url(), activity_data(a, title="Kapad")).status_code, 403
            )
        a.refresh_from_db()
        self.assertNotEqual(a.title, "Kapad")

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(self.url()).status_code, 302)
