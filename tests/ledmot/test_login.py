"""Swedish login, and the cool-off lock after repeated failures.

The lock counts a user name at one address and a user name across addresses (with a
higher limit), never an address alone: behind the reverse proxy every user has the
proxy's address (ledmot/lockout.py).
"""

from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from ledmot.lockout import client_ip
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

    def test_with_the_default_limits_invented_names_lock_out_no_one_else(self):
        # The reproduction: wrong passwords with invented user names, all from
        # the reverse proxy's address (the test client's REMOTE_ADDR).
        for i in range(6):
            self.client.post(LOGIN, {"username": f"pahittad{i}", "password": "fel"})
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


PROXY = "10.0.0.1"
LOCKED = "Kontot är tillfälligt låst"


@override_settings(AXES_FAILURE_LIMIT=3, LEDMOT_LOGIN_USER_FAILURE_LIMIT=6)
class LockoutBehindProxyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.eva = UserFactory(username="eva")
        cls.olle = UserFactory(username="olle")

    def sign_in(self, username, password="losenord-123", *, address=PROXY, forwarded=None):
        extra = {"REMOTE_ADDR": address}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        self.client.logout()
        return self.client.post(LOGIN, {"username": username, "password": password}, **extra)

    def assertSignedIn(self, response):
        self.assertRedirects(response, reverse("goals:chain"))

    def assertLocked(self, response):
        self.assertContains(response, LOCKED, status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_guessing_one_account_from_one_address_is_stopped(self):
        for _ in range(3):
            self.sign_in("eva", "gissning", address="198.51.100.7")
        self.assertLocked(self.sign_in("eva", address="198.51.100.7"))

    def test_guessing_one_account_from_many_addresses_is_stopped_at_the_higher_limit(self):
        for i in range(5):
            self.sign_in("eva", "gissning", address=f"198.51.100.{i + 1}")
        # Five failures from five addresses: above the per-address limit, below the
        # account's own; eva herself still gets in.
        self.assertSignedIn(self.sign_in("eva", address="192.0.2.50"))
        for i in range(6):
            self.sign_in("eva", "gissning", address=f"198.51.100.{i + 1}")
        self.assertLocked(self.sign_in("eva", address="192.0.2.50"))

    def test_invented_user_names_from_the_proxy_do_not_lock_out_the_others(self):
        for i in range(10):
            self.sign_in(f"pahittad{i}", "gissning")
        for i in range(3):
            self.sign_in("eva", "gissning")
        self.assertLocked(self.sign_in("eva"))
        # Everyone else behind the same proxy address still signs in.
        self.assertSignedIn(self.sign_in("olle"))

    def test_forwarded_for_is_ignored_without_a_trusted_proxy(self):
        # A client cannot dodge the lock by making up a new X-Forwarded-For each time.
        for i in range(3):
            self.sign_in("eva", "gissning", address="198.51.100.7", forwarded=f"203.0.113.{i}")
        self.assertLocked(self.sign_in("eva", address="198.51.100.7", forwarded="203.0.113.99"))

    @override_settings(LEDMOT_TRUSTED_PROXIES=1)
    def test_forwarded_for_is_honoured_behind_a_trusted_proxy(self):
        for _ in range(3):
            self.sign_in("eva", "gissning", forwarded="203.0.113.5")
        self.assertLocked(self.sign_in("eva", forwarded="203.0.113.5"))
        # eva at her own desk, behind the same proxy, is a different address.
        self.assertSignedIn(self.sign_in("eva", forwarded="192.0.2.20"))

    @override_settings(LEDMOT_TRUSTED_PROXIES=1)
    def test_only_the_part_the_trusted_proxy_wrote_is_believed(self):
        # The attacker sends a new made-up X-Forwarded-For each time; the proxy appends
        # the address it really saw, and only that is used.
        for i in range(3):
            self.sign_in("eva", "gissning", forwarded=f"192.0.2.{i}, 203.0.113.5")
        self.assertLocked(self.sign_in("eva", forwarded="192.0.2.20, 203.0.113.5"))


class ClientAddressTests(TestCase):
    def request(self, forwarded):
        return RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    def test_remote_addr_without_trusted_proxies(self):
        self.assertEqual(client_ip(self.request("203.0.113.5")), PROXY)

    @override_settings(LEDMOT_TRUSTED_PROXIES=2)
    def test_two_proxies_take_the_second_entry_from_the_right(self):
        request = self.request("192.0.2.1, 203.0.113.5, 10.0.0.2")
        self.assertEqual(client_ip(request), "203.0.113.5")
        # A header that did not pass through both proxies is not believed.
        self.assertEqual(client_ip(self.request("203.0.113.5")), PROXY)

    @override_settings(LEDMOT_TRUSTED_PROXIES=1)
    def test_an_entry_that_is_not_an_address_is_not_believed(self):
        self.assertEqual(client_ip(self.request("203.0.113.5, <script>")), PROXY)
        self.assertEqual(client_ip(self.request("2001:db8::1")), "2001:db8::1")

    @override_settings(LEDMOT_TRUSTED_PROXIES=1)
    def test_sign_in_with_a_garbled_forwarded_header_is_no_error(self):
        response = self.client.post(
            LOGIN,
            {"username": "nobody", "password": "fel"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.5:4431",
        )
        self.assertContains(response, "Ange ett korrekt användarnamn och lösenord")
