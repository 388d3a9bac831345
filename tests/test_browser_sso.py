"""Journey in a real Chromium: signing in with single sign-on at a real OpenID Connect provider."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from actiontrack.models import AuditEvent, Role, User

from conftest import LiveServer, rows
from oidc_provider import Provider, running_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider() as provider:
        yield provider


@pytest.fixture
def live_server_env(provider: Provider) -> Callable[[str], dict[str, str]]:
    return lambda url: {
        "ACTIONTRACK_BASE_URL": url,
        "ACTIONTRACK_OIDC_ISSUER": provider.url,
        "ACTIONTRACK_OIDC_CLIENT_ID": "actiontrack-browser",
        "ACTIONTRACK_OIDC_CLIENT_SECRET": "browser-secret",
        "ACTIONTRACK_OIDC_PROVIDER_NAME": "Contoso",
        "ACTIONTRACK_OIDC_ALLOWED_DOMAINS": "example.com",
        "ACTIONTRACK_PASSWORD_SIGN_IN": "false",
    }


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
