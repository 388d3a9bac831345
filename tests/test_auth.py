"""Sign-in, sessions, throttling, CSRF and role guards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from litestar.testing import TestClient

from actiontrack.models import AuditEvent, LoginFailure, Role, User
from conftest import PERSONA_PASSWORD, Persona, count, post_form, run, sign_in


def test_login_page_has_labelled_fields(anon: TestClient) -> None:
    page = anon.get("/login", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert '<label for="email">Email</label>' in page.text
    assert '<label for="password">Password</label>' in page.text
    assert 'name="_csrf_token"' in page.text


def test_anonymous_visitor_is_sent_to_login_with_the_page_to_return_to(anon: TestClient) -> None:
    response = anon.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_sign_in_with_any_email_case_opens_the_home_page(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "erin@example.com", name="Erin")
    response = sign_in(anon, "  ERIN@Example.com ")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = anon.get("/")
    assert home.status_code == 200
    assert "Erin" in home.text


def test_session_cookie_is_secure_httponly_and_samesite(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.OWNER, "frank@example.com")
    response = sign_in(anon, "frank@example.com")
    cookie = next(value for value in response.headers.get_list("set-cookie") if value.startswith("actiontrack_session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite"} <= attributes
    assert "samesite=lax" in cookie.lower()


def test_wrong_password_and_unknown_email_get_the_same_message(
    anon: TestClient, make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "gina@example.com")
    wrong_password = sign_in(anon, "gina@example.com", "not-the-password")
    unknown_email = sign_in(anon, "nobody@example.com", "whatever-password")
    for response in (wrong_password, unknown_email):
        assert response.status_code == 400
        assert "Email or password is not correct." in response.text
    assert 'value="gina@example.com"' in wrong_password.text
    assert count(database_url, LoginFailure) == 2


def test_inactive_user_cannot_sign_in(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "henk@example.com", active=False)
    assert sign_in(anon, "henk@example.com").status_code == 400


def test_deactivated_user_loses_an_open_session(hr: Persona, database_url: str) -> None:
    assert hr.client.get("/").status_code == 200

    async def deactivate(session):  # noqa: ANN001, ANN202
        (await session.get(User, hr.user.id)).active = False

    run(deactivate, database_url)
    assert hr.client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_is_throttled_after_repeated_failures(
    anon: TestClient, make_user: Callable[..., User], settings
) -> None:  # noqa: ANN001
    make_user(Role.HR, "ivy@example.com")
    for _ in range(settings.login_max_failures):
        assert sign_in(anon, "ivy@example.com", "wrong-password").status_code == 400
    blocked = sign_in(anon, "ivy@example.com", PERSONA_PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text
    assert "actiontrack_session" not in blocked.headers.get("set-cookie", "")


def test_throttling_is_shared_by_every_worker_through_the_database(
    app, make_user: Callable[..., User], settings  # noqa: ANN001
) -> None:
    from actiontrack.app import create_app
    from conftest import make_client

    make_user(Role.HR, "jan@example.com")
    # A second app instance stands for a second worker process: it shares only the database.
    with make_client(app) as first, make_client(create_app(settings)) as second:
        for attempt in range(settings.login_max_failures):
            client = first if attempt % 2 else second
            sign_in(client, "jan@example.com", "wrong-password")
        assert sign_in(first, "jan@example.com").status_code == 429
        assert sign_in(second, "jan@example.com").status_code == 429


def test_successful_sign_in_is_audited_and_clears_failures(
    anon: TestClient, make_user: Callable[..., User], database_url: str
) -> None:
    user = make_user(Role.OWNER, "kim@example.com")
    sign_in(anon, "kim@example.com", "wrong-password")
    assert sign_in(anon, "kim@example.com").status_code == 303
    assert count(database_url, LoginFailure) == 0
    assert count(database_url, AuditEvent, AuditEvent.verb == "sign_in", AuditEvent.actor_id == user.id) == 1


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_to_another_site(anon: TestClient, make_user: Callable[..., User], target: str) -> None:
    make_user(Role.HR, "lea@example.com")
    response = post_form(anon, "/login", {"email": "lea@example.com", "password": PERSONA_PASSWORD, "next": target},
                         follow_redirects=False)
    assert response.headers["location"] == "/"


def test_sign_in_returns_to_the_requested_page(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "mo@example.com")
    response = post_form(anon, "/login", {"email": "mo@example.com", "password": PERSONA_PASSWORD, "next": "/?x=1"},
                         follow_redirects=False)
    assert response.headers["location"] == "/?x=1"


def test_sign_out_ends_the_session(owner: Persona, database_url: str) -> None:
    response = owner.post("/logout", follow_redirects=False)
    assert response.status_code == 303
    assert owner.client.get("/", follow_redirects=False).status_code == 303
    assert count(database_url, AuditEvent, AuditEvent.verb == "sign_out") == 1


def test_a_form_without_csrf_token_is_rejected(owner: Persona) -> None:
    response = owner.client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert owner.client.get("/").status_code == 200


def test_a_forged_csrf_token_is_rejected(anon: TestClient, make_user: Callable[..., User]) -> None:
    make_user(Role.HR, "nora@example.com")
    anon.get("/login")
    response = anon.post("/login", data={"email": "nora@example.com", "password": PERSONA_PASSWORD,
                                         "_csrf_token": "forged"}, follow_redirects=False)
    assert response.status_code == 403


def test_htmx_requests_send_the_csrf_token_as_a_header(owner: Persona) -> None:
    token = owner.client.cookies["csrftoken"]
    response = owner.client.post("/logout", headers={"x-csrftoken": token, "hx-request": "true"},
                                 follow_redirects=False)
    assert response.status_code == 303


def test_htmx_request_after_the_session_ends_is_told_to_go_to_login(anon: TestClient) -> None:
    response = anon.get("/", headers={"hx-request": "true"}, follow_redirects=False)
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/login?next=/"


@pytest.mark.parametrize("role_fixture, heading", [
    ("hr", "Exit feedback"), ("leader", "Actions"), ("owner", "Your open actions"),
])
def test_each_role_gets_its_own_home_page(request: pytest.FixtureRequest, role_fixture: str, heading: str) -> None:
    person: Persona = request.getfixturevalue(role_fixture)
    page = person.client.get("/?lang=en")
    assert page.status_code == 200
    assert heading in page.text
    assert person.user.display_name in page.text


def test_pages_carry_security_headers(anon: TestClient) -> None:
    response = anon.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
