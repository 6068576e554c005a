"""Signing in through the municipality's identity provider in a real browser: LedMot's
button, the provider's own sign-in form (django-oidc-provider on 127.0.0.1,
tests/oidc_op/), back in LedMot with the roles the person's group gives, and signing
out of both."""

import copy

import pytest
from playwright.sync_api import expect

from ledmot import oidc
from ledmot.models import OrgKind
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.factories import OrgUnitFactory
from tests.oidc_op import provider as op

pytestmark = pytest.mark.browser

PERSON = {
    "username": "anna.rektor",
    "password": "anna-pw-123",
    "email": "anna@asbacka.se",
    "first_name": "Anna",
    "last_name": "Ek",
    "groups": ["Rektorer"],
}


@pytest.fixture(scope="module")
def provider(live_server):
    started = op.start(
        redirect_uris=[f"{live_server.url}/logga-in/sso/svar/"],
        post_logout_redirect_uris=[f"{live_server.url}/logga-in/"],
        users=[PERSON],
    )
    yield started
    started.stop()


@pytest.fixture
def sso(provider, settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    settings.LEDMOT_OIDC_ISSUER = provider.url
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_RP_SCOPES = "openid profile email groups"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "ledmot.oidc.Backend"]
    settings.LEDMOT_OIDC_GROUP_ROLES = {"Rektorer": ["editor@SKOLA"]}
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], provider.url]
    settings.CONTENT_SECURITY_POLICY = policy
    oidc.forget_provider_metadata()
    yield provider
    oidc.forget_provider_metadata()


def test_sign_in_and_out_through_the_identity_provider(page, live_server, transactional_db, sso):
    council = OrgUnitFactory(code="KF", kind=OrgKind.COUNCIL, name="Kommunfullmäktige")
    committee = OrgUnitFactory(code="BUN", kind=OrgKind.COMMITTEE, parent=council)
    OrgUnitFactory(code="SKOLA", name="Åsbacka skola", parent=committee)

    page.goto(f"{live_server.url}/logga-in/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Logga in med kommunens konto").click()

    expect(page.get_by_role("heading", name="Testleverantörens inloggning")).to_be_visible()
    page.get_by_label("Användarnamn").fill("anna.rektor")
    page.get_by_label("Lösenord").fill("anna-pw-123")
    page.get_by_role("button", name="Logga in hos leverantören").click()

    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".usermenu__name")).to_have_text("Anna Ek")
    # The group's role: Min enhet is the school.
    page.get_by_role("link", name="Min enhet").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Åsbacka skola")

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{live_server.url}/logga-in/")
    # Signed out at the provider too: its sign-in form comes again.
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    expect(page.get_by_role("heading", name="Testleverantörens inloggning")).to_be_visible()


def test_the_password_reset_pages(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glömt lösenordet?")
    assert_no_serious_violations(page)
    page.get_by_label("E-postadress").fill("ingen@asbacka.se")
    page.get_by_role("button", name="Skicka länken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kolla din e-post")
    assert_no_serious_violations(page)
