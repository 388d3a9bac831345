"""Single sign-on with OpenID Connect, end to end against real providers: oidc-provider-mock, and
panva's oidc-provider in its standards-strict defaults (the email only at the userinfo endpoint)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from litestar.testing import TestClient
from pydantic import ValidationError

from actiontrack.app import create_app
from actiontrack.models import AuditEvent, Role, User
from actiontrack.settings import Settings

from conftest import SECRET, count, make_client, post_form, rows
from oidc_provider import Provider, StrictProvider, callback_path, query, running_provider, running_strict_provider

CLIENT_ID = "actiontrack-test"


@pytest.fixture(scope="module")
def provider_server() -> Iterator[Provider]:
    with running_provider() as provider:
        yield provider


@pytest.fixture(scope="module")
def strict_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StrictProvider]:
    with running_strict_provider(tmp_path_factory.mktemp("strict-provider")) as provider:
        yield provider


@pytest.fixture
def provider(provider_server: Provider) -> Iterator[Provider]:
    provider_server.reset()
    yield provider_server
    provider_server.reset()


def sso_settings(database_url: str, provider: Provider, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url, "secret_key": SECRET, "env": "production", "cookie_secure": True,
        "base_url": "https://testserver.local", "oidc_issuer": provider.url, "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": "client-secret", "oidc_provider_name": "Contoso", "oidc_allowed_domains": "example.com",
    }
    return Settings(**{**values, **overrides})


@pytest.fixture
def sso_client(database_url: str, provider: Provider) -> Callable[..., TestClient]:
    clients: list[TestClient] = []

    def factory(**overrides: object) -> TestClient:
        client = make_client(create_app(sso_settings(database_url, provider, **overrides))).__enter__()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


def start(client: TestClient, next_path: str = "/") -> str:
    """Click "Sign in with Contoso": the URL of the provider's page the browser is sent to."""
    response = client.get("/login/sso", params={"next": next_path}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def sign_in_with_sso(client: TestClient, provider: Provider, sub: str, next_path: str = "/") -> httpx.Response:
    authorize_url = start(client, next_path)
    return client.get(callback_path(provider.authorize(authorize_url, sub)), follow_redirects=False)


def failures(database_url: str) -> list[AuditEvent]:
    return rows(database_url, AuditEvent, AuditEvent.verb == "sign_in_failed")


def test_login_page_offers_the_provider_by_name_in_every_language(sso_client: Callable[..., TestClient]) -> None:
    client = sso_client()
    for language, words in (("en", "Sign in with Contoso"), ("nl", "Aanmelden met Contoso"),
                            ("fr", "Se connecter avec Contoso")):
        page = client.get("/login", params={"lang": language, "next": "/actions"})
        assert words in page.text
        assert 'href="/login/sso?next=%2Factions"' in page.text
    assert 'name="password"' in page.text  # password sign-in stays on unless switched off


def test_the_authorization_request_uses_pkce_state_and_nonce(sso_client: Callable[..., TestClient],
                                                           provider: Provider) -> None:
    params = query(start(sso_client()))
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == "https://testserver.local/login/sso/callback"
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert set(params["scope"].split()) == {"openid", "email", "profile"}
    # A second attempt gets fresh values.
    assert query(start(sso_client()))["state"] != params["state"]


def test_known_person_signs_in_with_a_verified_email(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str
) -> None:
    user = make_user(Role.HR, "hilde@example.com", name="Hilde HR")
    provider.set_user("hilde-sub", {"email": "Hilde@Example.com", "email_verified": True, "name": "H"})
    client = sso_client()
    response = sign_in_with_sso(client, provider, "hilde-sub", next_path="/people")
    assert response.status_code == 303
    assert response.headers["location"] == "/people"
    home = client.get("/", params={"lang": "en"})
    assert "Welcome, Hilde HR" in home.text
    [signed_in] = rows(database_url, User, User.id == user.id)
    assert signed_in.last_sign_in_at is not None
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "sign_in")
    assert (event.actor_id, event.changes) == (user.id, {"method": "oidc"})
    # The same session as a password sign-in: signing out ends it everywhere.
    copied = dict(client.cookies)
    assert post_form(client, "/logout", follow_redirects=False).status_code == 303
    other = sso_client()
    other.cookies.update(copied)
    assert other.get("/", follow_redirects=False).status_code == 303


def test_any_worker_finishes_a_flow_another_worker_started(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User]
) -> None:
    make_user(Role.OWNER, "omer@example.com", name="Omer Owner")
    provider.set_user("omer-sub", {"email": "omer@example.com", "email_verified": True})
    first, second = sso_client(), sso_client()
    callback = provider.authorize(start(first), "omer-sub")
    second.cookies.update(dict(first.cookies))
    response = second.get(callback_path(callback), follow_redirects=False)
    assert response.status_code == 303
    assert "Omer Owner" in second.get("/", params={"lang": "en"}).text


def test_deactivated_account_stays_out_whatever_the_provider_says(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str
) -> None:
    user = make_user(Role.LEADERSHIP, "gone@example.com", active=False)
    provider.set_user("gone-sub", {"email": "gone@example.com", "email_verified": True})
    client = sso_client()
    response = sign_in_with_sso(client, provider, "gone-sub")
    assert response.status_code == 400
    assert "Your account has been deactivated." in response.text
    assert client.get("/", follow_redirects=False).status_code == 303
    [event] = failures(database_url)
    assert event.entity_id == user.id
    assert event.changes["reason"] == "deactivated"


def test_unknown_person_is_turned_away_unless_owners_may_be_created(
    sso_client: Callable[..., TestClient], provider: Provider, database_url: str
) -> None:
    provider.set_user("newbie-sub", {"email": "newbie@example.com", "email_verified": True, "name": "Nina  New"})
    refused = sign_in_with_sso(sso_client(), provider, "newbie-sub")
    assert refused.status_code == 400
    assert "There is no account for newbie@example.com. Ask HR to invite you." in refused.text
    assert count(database_url, User, User.email == "newbie@example.com") == 0

    client = sso_client(oidc_create_owners=True)
    created = sign_in_with_sso(client, provider, "newbie-sub")
    assert created.status_code == 303
    [user] = rows(database_url, User, User.email == "newbie@example.com")
    assert (user.role, user.display_name, user.password_hash, user.active) == (Role.OWNER.value, "Nina New", None, True)
    assert count(database_url, AuditEvent, AuditEvent.verb == "create", AuditEvent.entity_id == user.id) == 1
    assert "Nina New" in client.get("/", params={"lang": "en"}).text


def test_unverified_email_is_refused(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "victim@example.com")
    provider.set_user("sneaky-sub", {"email": "victim@example.com", "email_verified": False})
    client = sso_client()
    response = sign_in_with_sso(client, provider, "sneaky-sub")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "Contoso did not confirm your email address" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303
    assert [event.changes["reason"] for event in failures(database_url)] == ["unverified_email"]


def test_email_that_only_the_userinfo_endpoint_gives_signs_in(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str
) -> None:
    user = make_user(Role.HR, "hilde@example.com", name="Hilde HR")
    provider.set_user("hilde-sub", {"email": "hilde@example.com", "email_verified": True})
    provider.leave_out.update({"email", "email_verified"})
    client = sso_client()
    response = sign_in_with_sso(client, provider, "hilde-sub")
    assert response.status_code == 303, response.text
    assert "Welcome, Hilde HR" in client.get("/", params={"lang": "en"}).text
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "sign_in")
    assert (event.actor_id, event.changes) == (user.id, {"method": "oidc"})


@pytest.mark.parametrize(("doctor", "status", "reason"), [
    ({"sub": "someone-else"}, None, "userinfo_sub_mismatch"),
    ({}, 500, "userinfo_failed"),
    ({}, 401, "userinfo_failed"),
    ({"email": None}, None, "no_email"),
    ({"email_verified": False}, None, "unverified_email"),
], ids=["other-subject", "server-error", "token-refused", "no-email", "unverified"])
def test_userinfo_that_does_not_vouch_for_the_person_is_refused_with_its_reason(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str,
    doctor: dict[str, object], status: int | None, reason: str,
) -> None:
    make_user(Role.HR, "hilde@example.com")
    provider.set_user("hilde-sub", {"email": "hilde@example.com", "email_verified": True})
    provider.leave_out.update({"email", "email_verified"})
    provider.doctor_userinfo.update(doctor)
    provider.userinfo_status = status
    client = sso_client()
    response = sign_in_with_sso(client, provider, "hilde-sub")
    assert response.status_code == 400
    assert client.get("/", follow_redirects=False).status_code == 303
    [event] = failures(database_url)
    assert event.changes == {"method": "oidc", "reason": reason}
    messages = {"unverified_email": "Contoso did not confirm your email address",
                "no_email": "Contoso did not give us your email address"}
    assert messages.get(reason, "Sign-in with Contoso did not work.") in response.text


def strict_client(sso_client: Callable[..., TestClient], strict_provider: StrictProvider) -> TestClient:
    """The app with panva's provider as its single sign-on, registered as a client there."""
    client_id, secret = strict_provider.register("https://testserver.local/login/sso/callback")
    return sso_client(oidc_issuer=strict_provider.url, oidc_client_id=client_id, oidc_client_secret=secret)


def test_standards_strict_provider_signs_in_with_the_email_from_userinfo(
    sso_client: Callable[..., TestClient], strict_provider: StrictProvider, make_user: Callable[..., User],
    database_url: str,
) -> None:
    user = make_user(Role.LEADERSHIP, "lena@example.com", name="Lena Leader")
    strict_provider.set_user("lena", {"email": "lena@example.com", "email_verified": True})
    client = strict_client(sso_client, strict_provider)
    callback = strict_provider.authorize(start(client, "/status"), "lena")
    response = client.get(callback_path(callback), follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/status"
    assert "Welcome, Lena Leader" in client.get("/", params={"lang": "en"}).text
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "sign_in")
    assert (event.actor_id, event.changes) == (user.id, {"method": "oidc"})
    assert failures(database_url) == []


def test_standards_strict_provider_saying_unverified_is_refused_as_unverified(
    sso_client: Callable[..., TestClient], strict_provider: StrictProvider, make_user: Callable[..., User],
    database_url: str,
) -> None:
    make_user(Role.HR, "hilde@example.com")
    strict_provider.set_user("mallory", {"email": "hilde@example.com", "email_verified": False})
    client = strict_client(sso_client, strict_provider)
    response = client.get(callback_path(strict_provider.authorize(start(client), "mallory")))
    assert response.status_code == 400
    assert "Contoso did not confirm your email address" in response.text
    assert [event.changes["reason"] for event in failures(database_url)] == ["unverified_email"]


def test_domain_that_is_not_allowed_is_refused(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "someone@elsewhere.org")
    provider.set_user("else-sub", {"email": "someone@elsewhere.org", "email_verified": True})
    client = sso_client(oidc_create_owners=True)
    response = sign_in_with_sso(client, provider, "else-sub")
    assert response.status_code == 400
    assert "Accounts of elsewhere.org cannot sign in here." in response.text
    assert client.get("/", follow_redirects=False).status_code == 303
    assert [event.changes["reason"] for event in failures(database_url)] == ["domain"]


@pytest.mark.parametrize(("doctor", "reason"), [
    ({"aud": "another-app"}, "id_token_invalid:aud"),
    ({"nonce": "a-nonce-this-browser-never-sent"}, "id_token_invalid:nonce"),
    ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "id_token_expired"),
    ({"iss": "https://impostor.example"}, "id_token_invalid:iss"),
], ids=["wrong-audience", "bad-nonce", "expired", "wrong-issuer"])
def test_doctored_id_tokens_are_refused(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str,
    doctor: dict[str, object], reason: str,
) -> None:
    make_user(Role.HR, "hilde@example.com")
    provider.set_user("hilde-sub", {"email": "hilde@example.com", "email_verified": True})
    provider.doctor.update(doctor)
    client = sso_client()
    response = sign_in_with_sso(client, provider, "hilde-sub")
    assert response.status_code == 400
    assert "Sign-in with Contoso did not work." in response.text
    assert client.get("/", follow_redirects=False).status_code == 303
    [event] = failures(database_url)
    assert event.changes == {"method": "oidc", "reason": reason}
    assert count(database_url, AuditEvent, AuditEvent.verb == "sign_in") == 0


def test_id_token_signed_with_another_key_is_refused(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "hilde@example.com")
    provider.set_user("hilde-sub", {"email": "hilde@example.com", "email_verified": True})
    provider.foreign_key = True
    client = sso_client()
    assert sign_in_with_sso(client, provider, "hilde-sub").status_code == 400
    assert client.get("/", follow_redirects=False).status_code == 303
    [event] = failures(database_url)
    assert event.changes["reason"].startswith("id_token_invalid")


def test_audit_of_failures_keeps_no_code_or_token(
    sso_client: Callable[..., TestClient], provider: Provider, database_url: str
) -> None:
    provider.set_user("x-sub", {"email": "x@example.com", "email_verified": True})
    provider.doctor["aud"] = "another-app"
    client = sso_client()
    callback = provider.authorize(start(client), "x-sub")
    code = query(callback)["code"]
    assert client.get(callback_path(callback)).status_code == 400
    stored = json.dumps([event.changes for event in failures(database_url)])
    assert code not in stored and "eyJ" not in stored


def test_callback_without_the_flow_of_this_browser_is_refused(
    sso_client: Callable[..., TestClient], provider: Provider, make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "hilde@example.com")
    provider.set_user("hilde-sub", {"email": "hilde@example.com", "email_verified": True})
    victim, attacker = sso_client(), sso_client()
    # A callback URL made for another browser (login CSRF) does not sign this one in.
    callback = provider.authorize(start(attacker), "hilde-sub")
    response = victim.get(callback_path(callback) + "&lang=en")
    assert response.status_code == 400
    assert "This sign-in took too long or was started in another window." in response.text
    # Nor does a forged state in this browser's own flow; and the flow is used once only.
    start(victim)
    forged = victim.get("/login/sso/callback", params={"code": "x", "state": "forged"})
    assert forged.status_code == 400
    assert victim.get("/", follow_redirects=False).status_code == 303
    assert [event.changes["reason"] for event in failures(database_url)] == ["flow", "flow"]


def test_person_who_cancels_at_the_provider_gets_the_sign_in_page_back(
    sso_client: Callable[..., TestClient], provider: Provider
) -> None:
    client = sso_client()
    callback = provider.authorize(start(client), "anyone", deny=True)
    response = client.get(callback_path(callback) + "&lang=fr")
    assert response.status_code == 400
    assert "La connexion avec Contoso a été annulée." in response.text


def test_password_sign_in_switched_off(
    sso_client: Callable[..., TestClient], make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "hilde@example.com")
    client = sso_client(password_sign_in=False)
    page = client.get("/login", params={"lang": "en"})
    assert "Sign in with Contoso" in page.text
    assert 'name="password"' not in page.text and "/password/forgot" not in page.text
    refused = post_form(client, "/login", {"email": "hilde@example.com", "password": "persona-password-42"},
                        follow_redirects=False)
    assert refused.status_code == 403
    assert "Passwords are not used here: sign in with Contoso." in refused.text
    assert client.get("/", follow_redirects=False).status_code == 303
    forgot = client.get("/password/forgot")
    assert "Passwords are not used here: sign in with Contoso." in forgot.text and 'name="email"' not in forgot.text
    assert post_form(client, "/password/forgot", {"email": "hilde@example.com"}).status_code == 403
    assert count(database_url, AuditEvent, AuditEvent.verb == "request_password_reset") == 0


def test_without_an_issuer_there_is_no_single_sign_on(anon: TestClient) -> None:
    assert "/login/sso" not in anon.get("/login").text
    assert anon.get("/login/sso", follow_redirects=False).status_code == 404
    assert anon.get("/login/sso/callback", params={"code": "x", "state": "y"}).status_code == 404


def test_unreachable_provider_gives_the_sign_in_page_with_a_message(
    database_url: str, provider: Provider
) -> None:
    settings = sso_settings(database_url, provider, oidc_issuer="http://127.0.0.1:9")
    with make_client(create_app(settings)) as client:
        response = client.get("/login/sso", params={"lang": "nl"}, follow_redirects=False)
    assert response.status_code == 502
    assert "Aanmelden met Contoso is niet gelukt." in response.text


@pytest.mark.parametrize("overrides", [
    {"oidc_client_secret": None},
    {"oidc_issuer": None, "password_sign_in": False},
    {"oidc_allowed_domains": "", "oidc_create_owners": True},
    {"oidc_allowed_domains": "not a domain"},
    {"oidc_issuer": "login.example.com"},
])
def test_incomplete_single_sign_on_settings_are_refused(
    database_url: str, provider: Provider, overrides: dict[str, object]
) -> None:
    with pytest.raises(ValidationError):
        sso_settings(database_url, provider, **overrides)
