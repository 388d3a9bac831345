"""Emails about accounts through a real SMTP server (aiosmtpd): invitations and forgotten passwords."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.auth.passwords import verify_password
from actiontrack.models import AuditEvent, PasswordResetRequest, Role, User, UserToken
from actiontrack.settings import Settings

from conftest import (
    PERSONA_PASSWORD,
    SECRET,
    Persona,
    SmtpServer,
    free_port,
    make_client,
    post_form,
    rows,
    run,
    sign_in,
)

BASE = "https://actiontrack.example.com"
NEW_PASSWORD = "Kempen-fietsroute-9"


@pytest.fixture
def settings(database_url: str, smtp_server: SmtpServer) -> Settings:
    return Settings(database_url=database_url, secret_key=SECRET, env="production", cookie_secure=True,
                    changes_max_stale_seconds=0, smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                    smtp_security="none", mail_from="actiontrack@example.com", base_url=BASE,
                    smtp_timeout_seconds=5)


def link_in(message, prefix: str) -> str:
    """The path of the one-time link in the plain-text part of an email."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(re.escape(BASE) + r"(" + re.escape(prefix) + r"[A-Za-z0-9_\-]+)", text).group(1)


def forgot(client: TestClient, email: str) -> object:
    return post_form(client, "/password/forgot?lang=en", {"email": email})


# --- forgotten password -------------------------------------------------------------------------


def test_forgotten_password_mails_a_one_time_link_that_ends_the_other_sessions(
    owner: Persona, anon: TestClient, smtp_server: SmtpServer, database_url: str
) -> None:
    assert 'href="/password/forgot"' in anon.get("/login").text
    answer = forgot(anon, "  Charlie.Owner@Example.com ")
    assert answer.status_code == 200 and "we have emailed it a link" in answer.text
    [message] = smtp_server.inbox.to("charlie.owner@example.com")
    assert message["Content-Language"] == "nl" and message["X-Actiontrack-Kind"] == "password_reset"
    assert message["Subject"] == "Kies een nieuw wachtwoord voor actiontrack"
    path = link_in(message, "/password/reset/")
    [token] = rows(database_url, UserToken)
    assert token.purpose == "reset_password"
    assert token.token_hash == hashlib.sha256(path.rsplit("/", 1)[1].encode()).hexdigest()
    assert timedelta(minutes=59) < token.expires_at - clock.utcnow() <= timedelta(hours=1)

    form = anon.get(path + "?lang=en")
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    weak = post_form(anon, path + "?lang=en", {"password": " " * 12, "confirm": " " * 12})
    assert weak.status_code == 400 and "not only spaces" in weak.text
    guessable = post_form(anon, path + "?lang=en", {"password": "123123123123", "confirm": "123123123123"})
    assert guessable.status_code == 400 and "Repeated characters or words" in guessable.text
    done = post_form(anon, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert anon.get("/").status_code == 200  # signed in here
    assert owner.client.get("/", follow_redirects=False).status_code == 303  # the other session ended
    assert anon.get(path).status_code == 404  # once only
    [charlie] = rows(database_url, User, User.id == owner.user.id)
    assert verify_password(charlie.password_hash, NEW_PASSWORD)
    assert sign_in(owner.client, owner.user.email, PERSONA_PASSWORD).status_code == 400
    verbs = [event.verb for event in rows(database_url, AuditEvent, AuditEvent.entity_id == owner.user.id)]
    assert verbs[-2:] == ["request_password_reset", "reset_password"]


def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_email(
    anon: TestClient, make_user: Callable[..., User], smtp_server: SmtpServer, database_url: str
) -> None:
    make_user(Role.OWNER, "known@example.com")
    make_user(Role.OWNER, "left@example.com", active=False)

    def answer(email: str) -> str:
        text = forgot(anon, email).text
        return re.sub(r'value="[^"]*"', "", text.replace(email, "EMAIL"))

    known, unknown, left = answer("known@example.com"), answer("nobody@example.com"), answer("left@example.com")
    assert known == unknown == left
    assert [message["To"] for message in smtp_server.inbox.messages] == ["known@example.com"]
    assert len(rows(database_url, PasswordResetRequest)) == 3
    assert len(rows(database_url, UserToken)) == 1


def test_reset_requests_are_throttled_per_address_and_per_client(
    anon: TestClient, make_user: Callable[..., User], smtp_server: SmtpServer, database_url: str
) -> None:
    make_user(Role.OWNER, "often@example.com")
    answers = [forgot(anon, "often@example.com") for _ in range(5)]
    # The answer never changes for the address; only three emails go out in an hour.
    assert {answer.status_code for answer in answers} == {200}
    assert len(smtp_server.inbox.to("often@example.com")) == 3
    # The newest link replaced the earlier ones.
    assert [token.used_at is None for token in rows(database_url, UserToken)] == [False, False, True]
    for n in range(5):
        assert forgot(anon, f"someone{n}@example.com").status_code == 200
    refused = forgot(anon, "one-more@example.com")
    assert refused.status_code == 429 and "Too many requests from your connection" in refused.text
    assert len(rows(database_url, PasswordResetRequest)) == 10


def test_an_expired_or_made_up_reset_link_does_not_work(
    owner: Persona, anon: TestClient, smtp_server: SmtpServer, database_url: str
) -> None:
    forgot(anon, owner.user.email)
    path = link_in(smtp_server.inbox.messages[0], "/password/reset/")

    async def expire(session):
        for token in (await session.execute(select(UserToken))).scalars():
            token.expires_at = clock.utcnow() - timedelta(seconds=1)

    run(expire, database_url)
    assert anon.get(path).status_code == 404
    assert post_form(anon, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 404
    assert anon.get("/password/reset/made-up").status_code == 404
    assert verify_password(rows(database_url, User, User.id == owner.user.id)[0].password_hash, PERSONA_PASSWORD)


def test_a_bad_address_gets_the_form_back(anon: TestClient, database_url: str) -> None:
    response = forgot(anon, "not-an-address")
    assert response.status_code == 400 and "Enter a valid email address." in response.text
    assert rows(database_url, PasswordResetRequest) == []


# --- invitations by email -----------------------------------------------------------------------


def test_hr_invites_a_colleague_who_gets_the_link_by_email(
    hr: Persona, anon: TestClient, smtp_server: SmtpServer, database_url: str
) -> None:
    response = hr.post("/accounts/invite?lang=en", {"email": "Ruth.Hr@example.com", "display_name": "Ruth",
                                                    "role": "hr", "language": "fr"})
    assert response.status_code == 200
    assert "We emailed Ruth (ruth.hr@example.com) a link" in response.text
    assert "/welcome/" not in response.text  # the link went by email only
    [message] = smtp_server.inbox.to("ruth.hr@example.com")
    assert message["Content-Language"] == "fr" and "Alice HR" in message.get_body(("plain",)).get_content()
    path = link_in(message, "/welcome/")
    done = post_form(anon, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert anon.get("/people").status_code == 200  # an HR colleague
    [ruth] = rows(database_url, User, User.email == "ruth.hr@example.com")
    assert ruth.role == "hr" and ruth.last_sign_in_at is not None


def test_when_the_mail_server_is_down_hr_gets_the_link_to_pass_on(
    settings: Settings, make_user: Callable[..., User], database_url: str
) -> None:
    make_user(Role.HR, "hilde@example.com")
    down = settings.model_copy(update={"smtp_port": free_port()})
    with make_client(create_app(down)) as client:
        assert sign_in(client, "hilde@example.com").status_code == 303
        response = post_form(client, "/accounts/invite?lang=en", {"email": "o@example.com", "display_name": "O"})
    assert "The email could not be sent" in response.text
    assert re.search(r'value="https://actiontrack\.example\.com/welcome/[^"]+"', response.text)
    assert len(rows(database_url, User, User.email == "o@example.com")) == 1


def test_the_invitation_mail_sets_its_sentences_apart_in_every_part(hr: Persona, smtp_server: SmtpServer) -> None:
    hr.post("/accounts/invite?lang=nl", {"email": "lotte@example.com", "display_name": "Lotte", "role": "owner",
                                         "language": "nl"})
    [message] = smtp_server.inbox.to("lotte@example.com")
    html = message.get_body(("html",)).get_content()
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "7 dagen. Had je dit bericht niet verwacht?" in words
    assert not re.search(r"dagen\.[^\s<]", html)
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "7 dagen.\n\nHad je dit bericht niet verwacht?" in plain


# --- tokens never reach the log ------------------------------------------------------------------

ODD_ENDINGS = [")", ",", "!", "'", "~", ";x", "%20", "%00", "%C2%A0", ".", "%29%29"]


@pytest.mark.parametrize("ending", ODD_ENDINGS)
def test_a_reset_link_with_something_after_the_token_is_logged_masked_and_refused(
    anon: TestClient, owner: Persona, smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture, ending: str,
) -> None:
    import logging

    forgot(anon, owner.user.email)
    [message] = smtp_server.inbox.to(owner.user.email)
    path = link_in(message, "/password/reset/")
    token = path.rsplit("/", 1)[1]
    caplog.set_level(logging.INFO, logger="actiontrack")
    odd = anon.get(path + ending + "?lang=en")
    assert odd.status_code == 404 and "This link" in odd.text
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name.startswith("actiontrack"))
    assert token not in logged and token[:12] not in logged
    assert "/password/reset/<token>" in logged
    assert anon.get(path).status_code == 200  # the link itself, as mailed, still works


# Text path segments that are not secrets: the organisation's kinds and the OpenAPI document's pages.
NOT_TOKENS = {"kind", "path"}


def test_every_token_route_is_masked_in_the_log_whatever_follows_the_token(app: Litestar) -> None:
    from actiontrack.serving import masked_path

    secret = "Zq3xT0kenThatMustNotBeLogged_abcdef123456"
    # Every route with a text segment in its path takes a token there, but a few named ones.
    token_routes = sorted({route.path for route in app.routes
                           if any(param.type is str and param.name not in NOT_TOKENS
                                  for param in route.path_parameters.values())})
    assert token_routes == ["/calendar/{filename:str}", "/password/reset/{token:str}", "/survey/{token:str}",
                            "/welcome/{token:str}"]
    for route in token_routes:
        for ending in [*ODD_ENDINGS, "", ")/more", "\u00a0"]:
            path = re.sub(r"\{[^}]+\}", secret + ending, route)
            shown = masked_path(path)
            assert secret[:12] not in shown, (route, ending, shown)


def test_a_reset_request_does_the_same_work_before_answering_for_a_known_and_an_unknown_email(
    settings: Settings, owner: Persona, smtp_server: SmtpServer,
) -> None:
    from litestar.types import Message, Receive, Scope, Send
    from sqlalchemy import event

    app = create_app(settings)
    answered = False
    before: list[str] = []

    def seen(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not answered:
            before.append(" ".join(statement.split()))

    inner = app.asgi_handler

    async def marking(scope: Scope, receive: Receive, send: Send) -> None:
        async def marked(message: Message) -> None:
            nonlocal answered
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                answered = True
        await inner(scope, receive, marked)

    app.asgi_handler = marking
    event.listen(app.state.engine.sync_engine, "before_cursor_execute", seen)
    work: dict[str, list[str]] = {}
    with make_client(app) as client:
        for label, email in (("known", owner.user.email), ("unknown", "nobody.here@example.com")):
            client.get("/password/forgot")
            before.clear()
            answered = False
            assert forgot(client, email).status_code == 200
            work[label] = list(before)
    assert work["known"] == work["unknown"] and work["known"]
    assert len(smtp_server.inbox.to(owner.user.email)) == 1  # the mail still goes, after the answer


def test_a_password_reset_ends_the_persons_api_tokens(
    anon: TestClient, owner: Persona, smtp_server: SmtpServer, make_api_token: Callable[..., str],
) -> None:
    token = make_api_token(owner.user)
    api = {"authorization": f"Bearer {token}"}
    assert anon.get("/api/v1/actions", headers=api).status_code == 200
    forgot(anon, owner.user.email)
    [message] = smtp_server.inbox.to(owner.user.email)
    path = link_in(message, "/password/reset/")
    done = post_form(anon, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, follow_redirects=False)
    assert done.status_code == 303
    assert anon.get("/api/v1/actions", headers=api).status_code == 401
