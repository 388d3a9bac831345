"""My account: name and language, a new password, signing out everywhere else, own API tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from litestar.testing import TestClient

from actiontrack.app import create_app
from actiontrack.auth.passwords import verify_password
from actiontrack.models import ApiToken, AuditEvent, LoginFailure, User

from conftest import PERSONA_PASSWORD, Persona, make_client, rows, sign_in

NEW_PASSWORD = "Schelde-kaai-2026"


def second_browser(persona: Persona, settings) -> TestClient:
    client = make_client(create_app(settings)).__enter__()
    assert sign_in(client, persona.user.email).status_code == 303
    return client


def test_everyone_has_an_account_page(hr: Persona, leader: Persona, owner: Persona, anon: TestClient) -> None:
    for person in (hr, leader, owner):
        page = person.client.get("/account?lang=en")
        assert page.status_code == 200 and "My account" in page.text
        assert page.headers["cache-control"] == "no-store"
        assert person.user.email in page.text and 'href="/calendar"' in page.text
    assert 'href="/accounts/api-tokens"' in hr.client.get("/account").text
    assert 'href="/accounts/api-tokens"' not in owner.client.get("/account").text
    assert anon.get("/account", follow_redirects=False).headers["location"] == "/login?next=/account"


def test_name_and_language_are_saved_and_audited(owner: Persona, database_url: str) -> None:
    response = owner.post("/account", {"display_name": "  Charlie   De Smet ", "language": "fr"},
                          follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/account?done=profile"
    assert "lang=fr" in response.headers["set-cookie"]
    [charlie] = rows(database_url, User, User.id == owner.user.id)
    assert (charlie.display_name, charlie.language) == ("Charlie De Smet", "fr")
    page = owner.client.get("/account")
    assert '<html lang="fr">' in page.text and "Charlie De Smet" in page.text
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "update")
    assert event.changes == {"display_name": ["Charlie Owner", "Charlie De Smet"], "language": ["nl", "fr"]}


@pytest.mark.parametrize("form, message", [
    ({"display_name": "   ", "language": "en"}, "Enter a name."),
    ({"display_name": "x" * 121, "language": "en"}, "Use at most 120 characters."),
    ({"display_name": "Charlie", "language": "de"}, "Choose a language."),
])
def test_bad_profile_is_explained_and_nothing_saved(
    owner: Persona, database_url: str, form: dict[str, str], message: str
) -> None:
    response = owner.post("/account?lang=en", form)
    assert response.status_code == 400 and message in response.text
    [charlie] = rows(database_url, User, User.id == owner.user.id)
    assert (charlie.display_name, charlie.language) == ("Charlie Owner", "nl")


def test_a_new_password_needs_the_current_one_and_ends_the_other_sessions(
    owner: Persona, settings, database_url: str
) -> None:
    other = second_browser(owner, settings)
    try:
        wrong = owner.post("/account/password?lang=en", {"current": "not-my-password", "password": NEW_PASSWORD,
                                                         "confirm": NEW_PASSWORD})
        assert wrong.status_code == 400 and "This is not your current password." in wrong.text
        assert verify_password(rows(database_url, User, User.id == owner.user.id)[0].password_hash, PERSONA_PASSWORD)

        changed = owner.post("/account/password", {"current": PERSONA_PASSWORD, "password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD}, follow_redirects=False)
        assert changed.headers["location"] == "/account?done=password"
        assert owner.client.get("/account").status_code == 200  # this browser stays signed in
        assert other.get("/account", follow_redirects=False).status_code == 303  # the other one does not
        [charlie] = rows(database_url, User, User.id == owner.user.id)
        assert verify_password(charlie.password_hash, NEW_PASSWORD)
        assert rows(database_url, LoginFailure) == []  # the wrong try is forgiven once the right one came
        assert [e.verb for e in rows(database_url, AuditEvent, AuditEvent.verb == "change_password")] == [
            "change_password"]
        assert sign_in(other, owner.user.email, NEW_PASSWORD).status_code == 303
    finally:
        other.__exit__(None, None, None)


@pytest.mark.parametrize("new, confirm, message", [
    (" " * 12, " " * 12, "not only spaces"),
    ("short-one", "short-one", "Use at least 12 characters."),
    ("qwerty123456", "qwerty123456", "one of the most common"),
    ("passwordpassword", "passwordpassword", "Repeated characters or words"),
    ("123456789012", "123456789012", "close to a common one"),
    (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords differ."),
])
def test_a_weak_or_mistyped_new_password_is_refused(
    owner: Persona, database_url: str, new: str, confirm: str, message: str
) -> None:
    response = owner.post("/account/password?lang=en", {"current": PERSONA_PASSWORD, "password": new,
                                                        "confirm": confirm})
    assert response.status_code == 400 and message in response.text
    assert verify_password(rows(database_url, User, User.id == owner.user.id)[0].password_hash, PERSONA_PASSWORD)
    assert owner.client.get("/account").status_code == 200


def test_guessing_the_current_password_is_throttled_like_sign_in(owner: Persona, settings) -> None:
    for _ in range(settings.login_max_failures):
        owner.post("/account/password", {"current": "guess-guess-guess", "password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD})
    blocked = owner.post("/account/password?lang=en", {"current": PERSONA_PASSWORD, "password": NEW_PASSWORD,
                                                       "confirm": NEW_PASSWORD})
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text


def test_sign_out_everywhere_else_keeps_this_browser(owner: Persona, settings, database_url: str) -> None:
    other = second_browser(owner, settings)
    try:
        response = owner.post("/account/sign-out-everywhere", follow_redirects=False)
        assert response.headers["location"] == "/account?done=signed_out_elsewhere"
        assert owner.client.get("/").status_code == 200
        assert other.get("/", follow_redirects=False).status_code == 303
        assert len(rows(database_url, AuditEvent, AuditEvent.verb == "sign_out_everywhere")) == 1
    finally:
        other.__exit__(None, None, None)


def test_people_see_and_revoke_only_their_own_api_tokens(
    owner: Persona, other_owner: Persona, make_api_token: Callable[..., str], database_url: str
) -> None:
    make_api_token(owner.user, name="My sync")
    make_api_token(other_owner.user, name="Dana's sync")
    page = owner.client.get("/account").text
    assert "My sync" in page and "Dana&#39;s sync" not in page
    mine, theirs = rows(database_url, ApiToken)
    assert owner.post(f"/account/api-tokens/{theirs.id}/revoke").status_code == 404
    assert owner.post(f"/account/api-tokens/{mine.id}/revoke", follow_redirects=False).status_code == 303
    mine, theirs = rows(database_url, ApiToken)
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_account_forms_need_their_csrf_token(owner: Persona, database_url: str) -> None:
    response = owner.client.post("/account", data={"display_name": "Hacked", "language": "en"})
    assert response.status_code == 403
    assert rows(database_url, User, User.id == owner.user.id)[0].display_name == "Charlie Owner"
