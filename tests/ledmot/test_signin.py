"""Local passwords switched off (LEDMOT_LOCAL_LOGIN=0) but for break-glass accounts,
and the password reset by e-mail that does not tell whether an address exists."""

import re

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")
RESET = reverse("password_reset")

PASSWORDS_OFF = override_settings(
    LEDMOT_LOCAL_LOGIN=False,
    LEDMOT_BREAK_GLASS_USERS=["nodkonto"],
    LEDMOT_OIDC_ISSUER="https://login.example.se/tenant/v2.0",
)


class LocalLoginSwitchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.eva = UserFactory(username="eva")
        cls.admin = UserFactory(username="nodkonto", is_superuser=True, is_staff=True)

    @PASSWORDS_OFF
    def test_passwords_off_refuses_a_right_password(self):
        response = self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Inloggning med lösenord gäller bara nödkonton")
        self.assertNotIn("_auth_user_id", self.client.session)

    @PASSWORDS_OFF
    def test_the_refusal_is_the_same_for_a_wrong_password(self):
        """The message does not tell a break-glass account from any other."""
        right = self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        wrong = self.client.post(LOGIN, {"username": "nodkonto", "password": "fel"})
        self.assertEqual(right.context["form"].errors, wrong.context["form"].errors)

    @PASSWORDS_OFF
    def test_the_break_glass_account_still_signs_in_with_its_password(self):
        response = self.client.post(LOGIN, {"username": "nodkonto", "password": "losenord-123"})
        self.assertRedirects(response, reverse("goals:chain"))

    @PASSWORDS_OFF
    def test_passwords_off_hides_the_reset_link(self):
        page = self.client.get(LOGIN)
        self.assertContains(page, "Logga in med kommunens konto")
        self.assertNotContains(page, "Glömt lösenordet?")

    def test_passwords_on_by_default(self):
        response = self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        self.assertRedirects(response, reverse("goals:chain"))
        self.assertContains(self.client.get(LOGIN, follow=True), "LedMot")

    def test_a_password_session_ends_when_the_account_is_deactivated(self):
        # The session's user is read by ledmot.signin.session_user (raw SQL): an account
        # switched off, or a password session once passwords are off, is signed out.
        self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        self.assertEqual(self.client.get(reverse("goals:chain")).status_code, 200)
        self.eva.is_active = False
        self.eva.save()
        response = self.client.get(reverse("goals:chain"))
        self.assertRedirects(response, f"{LOGIN}?next=/", fetch_redirect_response=False)

    def test_a_password_session_ends_when_passwords_are_switched_off(self):
        self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        self.assertEqual(self.client.get(reverse("goals:chain")).status_code, 200)
        with PASSWORDS_OFF:
            response = self.client.get(reverse("goals:chain"))
        self.assertEqual(response.status_code, 302)


def _page(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'"[^"]{40,}"', "", response.content.decode())


class PasswordResetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.eva = UserFactory(username="eva", email="eva@asbacka.se")
        cls.sso_only = UserFactory(username="sso", email="sso@asbacka.se")
        cls.sso_only.set_unusable_password()
        cls.sso_only.save()

    def test_the_login_page_links_to_the_reset(self):
        self.assertContains(self.client.get(LOGIN), f'href="{RESET}"')

    def test_the_answer_is_the_same_whether_or_not_the_address_exists(self):
        known = self.client.post(RESET, {"email": "eva@asbacka.se"}, follow=True)
        unknown = self.client.post(RESET, {"email": "ingen@asbacka.se"}, follow=True)
        self.assertEqual(known.redirect_chain, unknown.redirect_chain)
        self.assertContains(known, "Kolla din e-post")
        self.assertEqual(_page(known), _page(unknown))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["eva@asbacka.se"])
        self.assertEqual(mail.outbox[0].subject, "Nytt lösenord i LedMot")

    def test_the_link_in_the_mail_sets_a_new_password(self):
        self.client.post(RESET, {"email": "eva@asbacka.se"})
        link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
        form = self.client.get(link, follow=True)
        self.assertContains(form, "Välj nytt lösenord")
        done = self.client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "Ny-Losen-2026!", "new_password2": "Ny-Losen-2026!"},
            follow=True,
        )
        self.assertContains(done, "Lösenordet är bytt")
        self.eva.refresh_from_db()
        self.assertTrue(self.eva.check_password("Ny-Losen-2026!"))

    def test_a_single_sign_on_account_gets_no_mail(self):
        self.client.post(RESET, {"email": "sso@asbacka.se"})
        self.assertEqual(mail.outbox, [])

    @PASSWORDS_OFF
    def test_with_passwords_off_only_break_glass_accounts_get_mail(self):
        self.client.post(RESET, {"email": "eva@asbacka.se"})
        self.assertEqual(mail.outbox, [])


@override_settings(
    LEDMOT_LOCAL_LOGIN=False,
    LEDMOT_BREAK_GLASS_USERS=["nodkonto"],
    # Nothing listens on port 9: the provider is down.
    LEDMOT_OIDC_ISSUER="http://127.0.0.1:9",
    OIDC_RP_CLIENT_ID="ledmot",
    OIDC_RP_CLIENT_SECRET="hemligt",
    AUTHENTICATION_BACKENDS=[
        "axes.backends.AxesStandaloneBackend",
        "ledmot.signin.PasswordBackend",
        "ledmot.oidc.Backend",
    ],
)
class ProviderDownTests(TestCase):
    """The break-glass account is for when the identity provider is down."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(username="nodkonto")
        cls.sso_user = UserFactory(username="sso")

    def setUp(self):
        from ledmot import oidc

        oidc.forget_provider_metadata()

    def test_the_break_glass_account_signs_in(self):
        response = self.client.post(LOGIN, {"username": "nodkonto", "password": "losenord-123"})
        self.assertRedirects(response, reverse("goals:chain"))

    def test_a_single_sign_on_session_goes_on(self):
        self.client.force_login(self.sso_user, backend="ledmot.oidc.Backend")
        self.assertEqual(self.client.get(reverse("goals:chain")).status_code, 200)

    def test_the_button_says_the_service_does_not_answer(self):
        response = self.client.get(reverse("oidc_login"), follow=True)
        self.assertContains(response, "Kommunens inloggningstjänst svarar inte")
