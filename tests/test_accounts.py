"""HR invites action owners (a one-time link to set a password) and manages API tokens."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from actiontrack import clock
from actiontrack.models import ApiToken, AuditEvent, Role, User, UserToken

from conftest import Persona, post_form, rows, run

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def invite(hr: Persona, **form: str) -> tuple[Any, str]:
    data = {"email": "Nina.New@Example.com", "display_name": "Nina New", "language": "fr", **form}
    response = hr.post("/accounts/invite", data)
    match = re.search(r'value="(https://testserver\.local/welcome/[^"]+)"', response.text)
    return response, (match.group(1).removeprefix("https://testserver.local") if match else "")


# --- invitations --------------------------------------------------------------------------------


def test_hr_invites_an_owner_who_sets_a_password_once_and_lands_on_my_actions(
    hr: Persona, anon: TestClient, database_url: str
) -> None:
    response, link = invite(hr)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "Give this link to Nina New (nina.new@example.com)" in response.text
    [nina] = rows(database_url, User, User.email == "nina.new@example.com")
    assert (nina.role, nina.language, nina.password_hash) == ("owner", "fr", None)
    [token] = rows(database_url, UserToken)
    raw = link.rsplit("/", 1)[1]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest() != raw
    assert token.purpose == "set_password"
    assert timedelta(days=6, hours=23) < token.expires_at - clock.utcnow() <= timedelta(days=7)
    assert [event.verb for event in rows(database_url, AuditEvent, AuditEvent.entity == "user")][-1] == "invite"

    page = anon.get(link + "?lang=en")
    assert page.status_code == 200 and "Welcome, Nina New" in page.text
    short = post_form(anon, link + "?lang=en", {"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "Use at least 12 characters." in short.text
    for weak, reason in (("letmeinletmein", "Repeated characters or words"),
                         ("nina.new@example", "your name or email address")):
        refused = post_form(anon, link + "?lang=en", {"password": weak, "confirm": weak})
        assert refused.status_code == 400 and reason in refused.text
    differ = post_form(anon, link + "?lang=en", {"password": "long-enough-1", "confirm": "long-enough-2"})
    assert differ.status_code == 400 and "The two passwords differ." in differ.text
    done = post_form(anon, link, {"password": "long-enough-1", "confirm": "long-enough-1"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/my/actions"
    assert anon.get("/my/actions").status_code == 200  # signed in

    [nina] = rows(database_url, User, User.email == "nina.new@example.com")
    assert nina.password_hash is not None and nina.password_hash.startswith("$argon2")
    [token] = rows(database_url, UserToken)
    assert token.used_at is not None
    again = post_form(anon, link, {"password": "another-pass-1", "confirm": "another-pass-1"})
    assert again.status_code == 404
    assert anon.get(link).status_code == 404


def test_expired_or_unknown_links_do_not_work(hr: Persona, anon: TestClient, database_url: str) -> None:
    _response, link = invite(hr)

    async def expire(session):
        for token in (await session.execute(select(UserToken))).scalars():
            token.expires_at = clock.utcnow() - timedelta(minutes=1)

    run(expire, database_url)
    assert anon.get(link).status_code == 404
    assert post_form(anon, link, {"password": "long-enough-1", "confirm": "long-enough-1"}).status_code == 404
    assert anon.get("/welcome/made-up-token").status_code == 404


def test_a_new_link_replaces_the_old_one(hr: Persona, anon: TestClient, database_url: str) -> None:
    _response, old_link = invite(hr)
    [nina] = rows(database_url, User, User.email == "nina.new@example.com")
    assert "Nina New" in hr.client.get("/accounts/invite").text  # waiting to set a password
    renewed = hr.post(f"/accounts/invite/{nina.id}/renew")
    assert renewed.status_code == 200
    new_link = re.search(r'value="https://testserver\.local(/welcome/[^"]+)"', renewed.text).group(1)
    assert new_link != old_link
    assert anon.get(old_link).status_code == 404
    assert anon.get(new_link).status_code == 200


@pytest.mark.parametrize("form, message", [
    ({"email": "not-an-email"}, "Enter a valid email address."),
    ({"email": "alice.hr@example.com"}, "Someone with this email already has an account."),
    ({"display_name": "  "}, "Enter a name."),
    ({"language": "de"}, "Choose a language."),
])
def test_bad_invitation_is_explained_and_nothing_is_created(
    hr: Persona, database_url: str, form: dict[str, str], message: str
) -> None:
    response, link = invite(hr, **form)
    assert response.status_code == 400
    assert message in response.text and not link
    assert rows(database_url, UserToken) == []
    assert len(rows(database_url, User)) == 1


def test_invitation_from_the_action_form_returns_to_it_with_the_new_owner_chosen(
    hr: Persona, database_url: str,
) -> None:
    back = "/actions/new?theme=3&scope=company&start=2026-01-01&end=2026-06-30"
    page = hr.client.get(f"/accounts/invite?next={back.replace('&', '%26').replace('?', '%3F')}")
    assert 'name="next" value="/actions/new?theme=3&amp;scope=company' in page.text
    response, _link = invite(hr, next=back)
    [nina] = rows(database_url, User, User.email == "nina.new@example.com")
    continue_to = f"{back}&owner={nina.id}"
    assert f'href="{continue_to.replace("&", "&amp;")}"' in response.text
    form = hr.client.get(continue_to).text
    assert f'<option value="{nina.id}" selected>Nina New' in form


def test_invitation_never_sends_hr_to_another_site(hr: Persona) -> None:
    response, _link = invite(hr, next="https://evil.example/")
    assert "evil.example" not in response.text


def test_names_are_escaped_on_account_pages(hr: Persona, anon: TestClient) -> None:
    response, link = invite(hr, display_name=SCRIPT)
    assert SCRIPT not in response.text and ESCAPED in response.text
    assert SCRIPT not in hr.client.get("/accounts/invite").text
    page = anon.get(link).text
    assert SCRIPT not in page and ESCAPED in page
    created = hr.post("/accounts/api-tokens", {"name": SCRIPT})
    assert SCRIPT not in created.text and ESCAPED in created.text
    listing = hr.client.get("/accounts/api-tokens").text
    assert SCRIPT not in listing and ESCAPED in listing


# --- API tokens ---------------------------------------------------------------------------------


def test_hr_creates_a_token_shown_once_that_the_api_accepts_until_it_is_revoked(
    hr: Persona, leader: Persona, anon: TestClient, database_url: str
) -> None:
    # A user_id sent anyway (an old form, a crafted post) does not make the token someone else's.
    response = hr.post("/accounts/api-tokens", {"name": "Power BI", "user_id": str(leader.user.id)})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    token = re.search(r'<input id="token" name="token" type="text" value="([^"]+)"', response.text).group(1)
    [stored] = rows(database_url, ApiToken)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (stored.name, stored.user_id, stored.created_by_id) == ("Power BI", hr.user.id, hr.user.id)
    listing = hr.client.get("/accounts/api-tokens").text
    assert "Power BI" in listing and token not in listing

    headers = {"authorization": f"Bearer {token}"}
    assert anon.get("/api/v1/actions", headers=headers).status_code == 200

    assert hr.post(f"/accounts/api-tokens/{stored.id}/revoke", follow_redirects=False).status_code == 303
    assert anon.get("/api/v1/actions", headers=headers).status_code == 401
    assert "Revoked on" in hr.client.get("/accounts/api-tokens").text
    verbs = [event.verb for event in rows(database_url, AuditEvent, AuditEvent.entity == "api_token")]
    assert verbs == ["create", "revoke"]


@pytest.mark.parametrize("form, message", [
    ({"name": ""}, "Enter a name"),
    ({"name": "x" * 121}, "Use at most 120 characters."),
])
def test_bad_token_form_is_explained_and_nothing_is_created(
    hr: Persona, database_url: str, form: dict[str, str], message: str
) -> None:
    response = hr.post("/accounts/api-tokens", form)
    assert response.status_code == 400
    assert message in response.text
    assert rows(database_url, ApiToken) == []


# --- who may do what ----------------------------------------------------------------------------

ROUTES = [
    ("GET", "/accounts/invite"), ("POST", "/accounts/invite"), ("POST", "/accounts/invite/{user}/renew"),
    ("GET", "/accounts/api-tokens"), ("POST", "/accounts/api-tokens"), ("POST", "/accounts/api-tokens/{token}/revoke"),
]


@pytest.mark.parametrize("who", ["hr", "leader", "owner", "anon"])
def test_authorisation_matrix_for_account_routes(
    request: pytest.FixtureRequest, who: str, make_user: Callable[..., User], make_api_token, database_url: str
) -> None:
    invited = make_user(Role.OWNER, "pending@example.com")
    make_api_token(invited)
    [api_token] = rows(database_url, ApiToken)

    async def no_password(session):
        (await session.get(User, invited.id)).password_hash = None

    run(no_password, database_url)
    client: TestClient = request.getfixturevalue("anon") if who == "anon" else request.getfixturevalue(who).client
    forms = {"/accounts/invite": {"email": "x@example.com", "display_name": "X"},
             "/accounts/api-tokens": {"name": "Sync"}}
    for method, template in ROUTES:
        path = template.replace("{user}", str(invited.id)).replace("{token}", str(api_token.id))
        if method == "GET":
            response = client.get(path, follow_redirects=False)
        else:
            response = post_form(client, path, forms.get(path, {}), follow_redirects=False)
        if who == "hr":
            assert response.status_code in (200, 303), (path, response.status_code)
        elif who == "anon":
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
        else:
            assert response.status_code == 403, (path, response.status_code)
    if who != "hr":
        assert len(rows(database_url, ApiToken)) == 1 and rows(database_url, ApiToken)[0].revoked_at is None
        assert rows(database_url, UserToken) == []


def test_welcome_link_form_needs_its_csrf_token(hr: Persona, anon: TestClient, database_url: str) -> None:
    _response, link = invite(hr)
    anon.get(link)
    forged = anon.post(link, data={"password": "long-enough-1", "confirm": "long-enough-1"})
    assert forged.status_code == 403
    [nina] = rows(database_url, User, User.email == "nina.new@example.com")
    assert nina.password_hash is None
