"""Swedish login, and the cool-off lock after repeated failures."""

from django.test import TestCase, override_settings
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")


class LoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = UserFactory(username="eva")

    def test_login_page_is_swedish(self):
        response = self.client.get(LOGIN)
        self.assertContains(response, "Logga in i LedMot")
        self.assertContains(response, "Användarnamn")
        self.assertContains(response, "Lösenord")
        self.assertContains(response, '<html lang="sv">')

    def test_good_login_lands_on_the_chain(self):
        response = self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        self.assertRedirects(response, reverse("goals:chain"))

    def test_bad_password_gets_a_swedish_message(self):
        response = self.client.post(LOGIN, {"username": "eva", "password": "fel"})
        self.assertContains(response, "Ange ett korrekt användarnamn och lösenord")

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_repeated_failures_lock_the_account_even_with_the_right_password(self):
        for _ in range(3):
            self.client.post(LOGIN, {"username": "eva", "password": "fel"})
        response = self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        self.assertContains(response, "Kontot är tillfälligt låst", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_lock_is_a_cool_off_not_forever(self):
        import datetime

        from axes.models import AccessAttempt
        from django.utils import timezone

        for _ in range(3):
            self.client.post(LOGIN, {"username": "eva", "password": "fel"})
        AccessAttempt.objects.all().update(
            attempt_time=timezone.now() - datetime.timedelta(hours=1)
        )
        response = self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        self.assertRedirects(response, reverse("goals:chain"))

    def test_logout_needs_post(self):
        self.client.force_login(self.user)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, LOGIN)

    def test_english_is_available(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
        response = self.client.get(LOGIN)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Log in to LedMot")
