"""Journeys in a real Chromium: signing in with single sign-on at real OpenID Connect providers
(oidc-provider-mock, and panva's standards-strict oidc-provider)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from actiontrack.models import AuditEvent, Role, User

from conftest import LiveServer, rows
from oidc_provider import Provider, StrictProvider, running_provider, running_strict_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider() as provider:
        yield provider


@pytest.fixture(scope="module")
def strict_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StrictProvider]:
    with running_strict_provider(tmp_path_factory.mktemp("strict-provider")) as provider:
        yield provider


@pytest.fixture
def live_server_env(request: pytest.FixtureRequest, provider: Provider) -> Callable[[str], dict[str, str]]:
    """The app signs in with oidc-provider-mock, or with panva's provider for a test that asks for it."""
    def env(url: str) -> dict[str, str]:
        issuer, client_id, secret = provider.url, "actiontrack-browser", "browser-secret"
        if "strict_provider" in request.fixturenames:
            strict: StrictProvider = request.getfixturevalue("strict_provider")
            issuer = strict.url
            client_id, secret = strict.register(f"{url}/login/sso/callback")
        return {
            "ACTIONTRACK_BASE_URL": url,
            "ACTIONTRACK_OIDC_ISSUER": issuer,
            "ACTIONTRACK_OIDC_CLIENT_ID": client_id,
            "ACTIONTRACK_OIDC_CLIENT_SECRET": secret,
            "ACTIONTRACK_OIDC_PROVIDER_NAME": "Contoso",
            "ACTIONTRACK_OIDC_ALLOWED_DOMAINS": "example.com",
            "ACTIONTRACK_PASSWORD_SIGN_IN": "false",
        }
    return env


def test_owner_signs_in_with_the_provider_and_lands_where_they_were_going(
    page: Page, live_server: LiveServer, provider: Provider, make_user: Callable[..., User]
) -> None:
    owner = make_user(Role.OWNER, "omer@example.com", name="Omer Owner", language="nl")
    provider.set_user("omer", {"email": "omer@example.com", "email_verified": True, "name": "Omer"})
    page.set_extra_http_headers({"accept-language": "nl"})

    page.goto(f"{live_server.url}/actions")
    expect(page).to_have_url(f"{live_server.url}/login?next=/actions")
    # Password sign-in is switched off: only the provider's button is offered.
    expect(page.get_by_label("Wachtwoord")).to_have_count(0)
    page.get_by_role("link", name="Aanmelden met Contoso").click()

    # The provider's own page: who are you?
    expect(page).to_have_url(re.compile(rf"^{re.escape(provider.url)}/oauth2/authorize\?.*code_challenge="))
    page.get_by_placeholder("sub").fill("omer")
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url(f"{live_server.url}/actions")
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    [event] = rows(live_server.database_url, AuditEvent, AuditEvent.verb == "sign_in")
    assert (event.actor_id, event.changes) == (owner.id, {"method": "oidc"})

    page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(f"{live_server.url}/login")


def test_person_without_a_verified_email_gets_the_sign_in_page_with_the_reason(
    page: Page, live_server: LiveServer, provider: Provider, make_user: Callable[..., User]
) -> None:
    make_user(Role.HR, "hilde@example.com")
    provider.set_user("mallory", {"email": "hilde@example.com", "email_verified": False})
    page.set_extra_http_headers({"accept-language": "en"})
    page.goto(f"{live_server.url}/login")
    page.get_by_role("link", name="Sign in with Contoso").click()
    page.get_by_placeholder("sub").fill("mallory")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Contoso did not confirm your email address, so we cannot match it to an account.")
    expect(page.get_by_role("link", name="Sign in with Contoso")).to_be_visible()


def test_leader_signs_in_at_a_standards_strict_provider_that_gives_the_email_at_userinfo_only(
    strict_provider: StrictProvider, page: Page, live_server: LiveServer, make_user: Callable[..., User]
) -> None:
    leader = make_user(Role.LEADERSHIP, "lena@example.com", name="Lena Leader", language="fr")
    strict_provider.set_user("lena", {"email": "lena@example.com", "email_verified": True})
    page.set_extra_http_headers({"accept-language": "fr"})
    page.goto(f"{live_server.url}/status")
    page.get_by_role("link", name="Se connecter avec Contoso").click()

    # panva's own pages: sign in (any password), then consent.
    expect(page).to_have_url(re.compile(rf"^{re.escape(strict_provider.url)}/interaction/"))
    page.locator("input[name=login]").fill("lena")
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{live_server.url}/status")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    [event] = rows(live_server.database_url, AuditEvent, AuditEvent.verb == "sign_in")
    assert (event.actor_id, event.changes) == (leader.id, {"method": "oidc"})
    assert rows(live_server.database_url, AuditEvent, AuditEvent.verb == "sign_in_failed") == []
