"""Single sign-on end to end against a real OpenID Connect provider.

The provider (django-oidc-provider in its own small project, tests/oidc_op/) runs as a
subprocess on 127.0.0.1. The Django test client is LedMot's browser; a requests
session is the same person's browser at the provider: it follows the provider's real
redirects and signs in on the provider's own form. LedMot fetches the discovery
document, exchanges the code at the token endpoint and checks the id token against the
provider's JWKS over HTTP: nothing is mocked except, in one test, a token altered on
its way.
"""

from __future__ import annotations

import base64
import uuid
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import User
from django.urls import reverse

from ledmot import oidc
from ledmot.models import (
    ExternalIdentity,
    OrgKind,
    Role,
    RoleAssignment,
    SecurityEvent,
    SecurityEventKind,
)
from tests.factories import OrgUnitFactory, UserFactory
from tests.oidc_op import provider as op

CALLBACK = "http://testserver" + reverse("oidc_callback")
AFTER_LOGOUT = "http://testserver" + reverse("login")

USERS = [
    {
        "username": "anna.rektor",
        "password": "anna-pw-123",
        "email": "anna@asbacka.se",
        "first_name": "Anna",
        "last_name": "Ek",
        "groups": ["LedMot-Skola-Redigerare"],
    },
    {
        "username": "bo.bygg",
        "password": "bo-pw-123",
        "email": "bo@asbacka.se",
        "first_name": "Bo",
        "last_name": "Berg",
        "groups": ["Annan grupp"],
    },
]


@pytest.fixture(scope="module")
def provider():
    started = op.start(
        redirect_uris=[CALLBACK], post_logout_redirect_uris=[AFTER_LOGOUT], users=USERS
    )
    yield started
    started.stop()


@pytest.fixture
def sso(provider, settings, db, monkeypatch):
    """LedMot configured for the provider, as the environment would configure it."""
    # The provider is on this machine: never through a proxy the environment names.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    settings.LEDMOT_OIDC_ISSUER = provider.url
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_RP_SCOPES = "openid profile email groups"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "ledmot.oidc.Backend"]
    settings.LEDMOT_OIDC_GROUP_ROLES = {"LedMot-Skola-Redigerare": ["editor@SKOLA"]}
    oidc.forget_provider_metadata()
    yield provider
    oidc.forget_provider_metadata()
    provider.set_idtoken_expiry(600)


def sub_of(username):
    """The provider's stable id for a user (tests/oidc_op/claims.py): users are made
    in order, so their primary keys are 1, 2, …"""
    pk = [u["username"] for u in USERS].index(username) + 1
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"test-op:{pk}"))


class Browser:
    """One person: LedMot's test client and their session at the provider."""

    def __init__(self, client, provider):
        self.client = client
        self.provider = provider
        self.at_provider = requests.Session()
        self.at_provider.trust_env = False

    def sign_in(self, username):
        """Click LedMot's button, sign in at the provider, come back; LedMot's answer."""
        start = self.client.get(reverse("oidc_login"))
        assert start.status_code == 302, start
        location = start["Location"]
        assert location.startswith(self.provider.url + "/authorize")
        answer = self.at_provider.get(location, allow_redirects=False)
        if not answer.headers["Location"].startswith("http://testserver"):
            # Not signed in at the provider yet: its sign-in form.
            login_url = urljoin(self.provider.url, answer.headers["Location"])
            self.at_provider.get(login_url).raise_for_status()
            person = self.provider.users[username]
            answer = self.at_provider.post(
                login_url,
                data={
                    "username": username,
                    "password": person["password"],
                    "next": parse_qs(urlsplit(login_url).query)["next"][0],
                    "csrfmiddlewaretoken": self.at_provider.cookies["op_csrftoken"],
                },
                allow_redirects=False,
            )
            assert answer.status_code == 302, answer.text[:500]
            answer = self.at_provider.get(
                urljoin(self.provider.url, answer.headers["Location"]), allow_redirects=False
            )
        back = answer.headers["Location"]
        assert back.startswith(CALLBACK), back
        return self.client.get(back.removeprefix("http://testserver"))


@pytest.fixture
def browser(client, sso):
    return Browser(client, sso)


@pytest.fixture
def school(db):
    council = OrgUnitFactory(code="KF", kind=OrgKind.COUNCIL, name="Kommunfullmäktige")
    committee = OrgUnitFactory(code="BUN", kind=OrgKind.COMMITTEE, parent=council)
    return OrgUnitFactory(code="SKOLA", name="Åsbacka skola", parent=committee)


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_first_sign_in_creates_the_user_matched_on_the_stable_claim(browser, school):
    response = browser.sign_in("bo.bygg")

    assert response.status_code == 302
    assert response["Location"] == reverse("goals:chain")
    user = signed_in_user(browser.client)
    assert user.username == "bo.bygg"
    assert (user.first_name, user.last_name, user.email) == ("Bo", "Berg", "bo@asbacka.se")
    assert not user.has_usable_password()
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (browser.provider.url, sub_of("bo.bygg"))
    # No group of Bo's is mapped: no roles.
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert browser.client.get(reverse("goals:chain")).status_code == 200


def test_the_next_sign_in_finds_the_same_user(browser, school):
    browser.sign_in("bo.bygg")
    browser.client.logout()
    browser.at_provider.cookies.clear()
    browser.sign_in("bo.bygg")
    assert User.objects.filter(username__startswith="bo.bygg").count() == 1
    assert signed_in_user(browser.client).username == "bo.bygg"


def test_a_local_user_with_the_same_email_is_not_taken_over(browser, school):
    local = UserFactory(username="bo", email="bo@asbacka.se")

    browser.sign_in("bo.bygg")

    user = signed_in_user(browser.client)
    assert user != local
    assert not ExternalIdentity.objects.filter(user=local).exists()


def test_group_mapping_gives_roles_on_units(browser, school):
    browser.sign_in("anna.rektor")

    user = signed_in_user(browser.client)
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.org_unit, assignment.role) == (school, Role.EDITOR)
    # Through the one write path (ledmot.services.role_grant), as a grant by the system
    # that says why, and a security event with the sign-in's address.
    record = assignment.history.get()
    assert record.history_user is None
    assert record.history_change_reason.startswith("Roll från gruppen")
    event = SecurityEvent.objects.get()
    assert (event.kind, event.username, event.actor_username, event.ip_address) == (
        SecurityEventKind.ROLE_GRANTED,
        user.username,
        "",
        "127.0.0.1",
    )
    assert event.subject == f"Redigerare på {school.name}"


def test_a_deactivated_user_is_refused_with_a_swedish_message(browser, school):
    browser.sign_in("bo.bygg")
    user = signed_in_user(browser.client)
    browser.client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = browser.sign_in("bo.bygg")

    assert response["Location"] == reverse("login")
    assert signed_in_user(browser.client) is None
    page = browser.client.get(reverse("login"))
    assert "Ditt konto i LedMot är avstängt" in page.content.decode()
    assert AccessAttempt.objects.filter(username__contains="deactivated").exists()


def test_deactivating_someone_ends_their_single_sign_on_session(browser, school):
    browser.sign_in("bo.bygg")
    assert browser.client.get(reverse("goals:chain")).status_code == 200

    User.objects.filter(username="bo.bygg").update(is_active=False)

    response = browser.client.get(reverse("goals:chain"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_expired_id_token_is_refused(browser, school):
    browser.provider.set_idtoken_expiry(-600)

    response = browser.sign_in("bo.bygg")

    assert response["Location"] == reverse("login")
    assert signed_in_user(browser.client) is None
    assert not User.objects.filter(username="bo.bygg").exists()
    page = browser.client.get(reverse("login"))
    assert "Inloggningen via kommunens konto kunde inte godkännas" in page.content.decode()
    assert AccessAttempt.objects.filter(username__contains="expired").exists()


def _tampered(token: str) -> str:
    """The id token with another subject in its payload and the provider's signature."""
    header, payload, signature = token.split(".")
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    data = data.replace(sub_of("bo.bygg").encode(), sub_of("anna.rektor").encode())
    forged = base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_tampered_id_token_is_refused(browser, school, monkeypatch):
    original = oidc.Backend.get_token

    def get_token_altered_on_the_way(self, payload):
        tokens = original(self, payload)
        return {**tokens, "id_token": _tampered(tokens["id_token"])}

    monkeypatch.setattr(oidc.Backend, "get_token", get_token_altered_on_the_way)

    response = browser.sign_in("bo.bygg")

    assert response["Location"] == reverse("login")
    assert signed_in_user(browser.client) is None
    assert not User.objects.exists()
    assert AccessAttempt.objects.filter(username__contains="Signature verification").exists()


def test_a_sign_in_is_a_security_event_with_who_and_where(browser, school):
    browser.sign_in("bo.bygg")
    log = AccessLog.objects.get(username="bo.bygg")
    assert log.ip_address == "127.0.0.1"


def test_sign_out_ends_the_provider_session_too(browser, school):
    browser.sign_in("bo.bygg")

    response = browser.client.post(reverse("logout"))

    assert signed_in_user(browser.client) is None
    location = response["Location"]
    assert location.startswith(browser.provider.url + "/end-session")
    ended = browser.at_provider.get(location, allow_redirects=False)
    assert ended.headers["Location"] == AFTER_LOGOUT
    # Signed out at the provider: the next sign-in asks for the password again.
    start = browser.client.get(reverse("oidc_login"))
    again = browser.at_provider.get(start["Location"], allow_redirects=False)
    assert again.headers["Location"].startswith("/login/")


def test_the_sign_in_page_offers_the_providers_button(client, sso):
    page = client.get(reverse("login"))
    assert "Logga in med kommunens konto" in page.content.decode()


def test_without_single_sign_on_there_is_no_button_and_no_flow(client, db):
    page = client.get(reverse("login"))
    assert "Logga in med kommunens konto" not in page.content.decode()
    assert client.get(reverse("oidc_login")).status_code == 404
    assert client.get(reverse("oidc_callback") + "?code=x&state=y").status_code == 404


def test_a_sign_in_without_the_configured_user_claim_is_refused(browser, school, settings):
    settings.LEDMOT_OIDC_USER_CLAIM = "oid"  # this provider sends no oid

    response = browser.sign_in("bo.bygg")

    assert response["Location"] == reverse("login")
    assert not User.objects.exists()
    page = browser.client.get(reverse("login"))
    assert "Inloggningen via kommunens konto kunde inte godkännas" in page.content.decode()
    # One failure, with its reason.
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "sso (Claims verification failed)"
    ]
