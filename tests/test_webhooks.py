"""Webhooks: the sender against a real HTTP server on loopback, and HR's registration pages."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect

from actiontrack.messages import Message, SendResult
from actiontrack.models import AuditEvent, Delivery, Role, User, Webhook
from actiontrack.webhooks.delivery import send_webhook, webhook_client
from actiontrack.webhooks.rules import is_public_address, masked_url

from browser_checks import sign_in_page
from conftest import LiveServer, Persona, off_loop, post_form, rows, run

SECRET = "5e" * 32


# --- a real receiver on a loopback port --------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """An HTTP server in a thread that records each request and answers from a script.

    The script's replies are used in order; the last one repeats.
    """

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: list[Reply] = [Reply()]
        self.stopping = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.received.append(Received(self.command, self.path,
                                                  {k.lower(): v for k, v in self.headers.items()}, body))
                reply = receiver.script.pop(0) if len(receiver.script) > 1 else receiver.script[0]
                if reply.delay:
                    receiver.stopping.wait(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up waiting (the timeout test)

            do_GET = do_POST  # noqa: N815 (http.server's method names)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *replies: Reply) -> None:
        self.script = list(replies)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


@pytest.fixture
def other_host() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


MESSAGE = Message(
    kind="deadline_soon", subject="Deadline in 7 days: Shorter onboarding",
    text="“Shorter onboarding” is due on 2 Dec 2026.", html="<p>…</p>",
    link="https://actiontrack.example/actions/12",
    facts=(("Deadline", "2 Dec 2026"), ("Owner", "Charlie Owner")),
)


def hook(url: str, style: str = "generic", *, secret: str = SECRET, name: str = "Team channel") -> Webhook:
    return Webhook(id=7, name=name, url=url, style=style, secret=secret, created_by_id=1)


class Sleeps(list):
    """Stands in for asyncio.sleep: records the backoff delays instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def send(webhook: Webhook, message: Message = MESSAGE, *, timeout: float = 2, retries: int = 3,
         backoff: float = 0.5, sleeps: Sleeps | None = None, allow_private: bool = True) -> SendResult:
    """send_webhook on an event loop of its own (Playwright's sync API may hold this thread's loop).

    The receiver listens on loopback, so private addresses are allowed unless a test says otherwise.
    """

    async def main() -> SendResult:
        async with webhook_client(allow_private=allow_private) as client:
            return await send_webhook(client, webhook, message, timeout=timeout, retries=retries,
                                      backoff=backoff, sleep=sleeps if sleeps is not None else Sleeps())

    return off_loop(lambda: asyncio.run(main()))


# --- the sender ---------------------------------------------------------------------------------


def test_generic_json_is_posted_with_a_signature_the_receiver_can_verify(receiver: Receiver) -> None:
    result = send(hook(receiver.url("/in/actiontrack?team=hr")))
    assert (result.ok, result.attempts, result.error) == (True, 1, "")
    [request] = receiver.received
    assert (request.method, request.path) == ("POST", "/in/actiontrack?team=hr")
    assert request.headers["content-type"].startswith("application/json")
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["x-actiontrack-signature"], expected)
    wrong = "sha256=" + hmac.new(b"another secret", request.body, hashlib.sha256).hexdigest()
    assert not hmac.compare_digest(request.headers["x-actiontrack-signature"], wrong)
    payload = request.json()
    assert payload["kind"] == "deadline_soon"
    assert payload["subject"] == MESSAGE.subject
    assert payload["text"] == MESSAGE.text
    assert payload["link"] == "https://actiontrack.example/actions/12"
    assert payload["facts"] == [{"label": "Deadline", "value": "2 Dec 2026"},
                                {"label": "Owner", "value": "Charlie Owner"}]
    assert datetime.fromisoformat(payload["sent_at"]).utcoffset() is not None
    assert SECRET not in request.body.decode()


def test_slack_payload_has_fallback_text_a_section_and_a_link_button(receiver: Receiver) -> None:
    message = Message(kind="overdue", subject="Overdue: <script>alert(1)</script>", text="Pay & benefits",
                      html="", link="https://actiontrack.example/actions/3", facts=(("Deadline", "1 Dec"),))
    assert (send(hook(receiver.url(), "slack"), message)).ok
    [request] = receiver.received
    payload = request.json()
    assert "x-actiontrack-signature" not in request.headers
    # Slack reads <...> as links or mentions: user text is escaped.
    assert payload["text"] == "Overdue: &lt;script&gt;alert(1)&lt;/script&gt;: Pay &amp; benefits"
    section, facts, actions = payload["blocks"]
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert "*Overdue: &lt;script&gt;" in section["text"]["text"]
    assert facts["fields"] == [{"type": "mrkdwn", "text": "*Deadline*\n1 Dec"}]
    [button] = actions["elements"]
    assert button["type"] == "button"
    assert button["url"] == "https://actiontrack.example/actions/3"
    assert button["text"] == {"type": "plain_text", "text": "Open in actiontrack"}


def test_teams_payload_is_a_message_card_with_facts_and_an_open_link(receiver: Receiver) -> None:
    assert (send(hook(receiver.url(), "teams"))).ok
    card = receiver.received[0].json()
    assert card["@type"] == "MessageCard"
    assert card["@context"] == "https://schema.org/extensions"
    assert card["summary"] == card["title"] == MESSAGE.subject
    assert card["text"] == MESSAGE.text
    assert card["sections"] == [{"facts": [{"name": "Deadline", "value": "2 Dec 2026"},
                                           {"name": "Owner", "value": "Charlie Owner"}]}]
    [action] = card["potentialAction"]
    assert action["@type"] == "OpenUri"
    assert action["targets"] == [{"os": "default", "uri": "https://actiontrack.example/actions/12"}]


def test_teams_workflow_payload_is_one_adaptive_card_with_facts_and_an_open_link(receiver: Receiver) -> None:
    assert (send(hook(receiver.url(), "teams_workflow"))).ok
    request = receiver.received[0]
    assert "x-actiontrack-signature" not in request.headers
    message = request.json()
    assert message["type"] == "message"
    [attachment] = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    title, text, *facts = card["body"]
    assert title == {"type": "RichTextBlock", "inlines": [
        {"type": "TextRun", "text": MESSAGE.subject, "weight": "Bolder", "size": "Medium"}]}
    assert text == {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": MESSAGE.text}]}
    assert [[run["text"] for run in fact["inlines"]] for fact in facts] == [
        ["Deadline: ", "2 Dec 2026"], ["Owner: ", "Charlie Owner"]]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open in actiontrack",
                                "url": "https://actiontrack.example/actions/12"}]


def test_a_500_is_retried_after_the_backoff_and_then_succeeds(receiver: Receiver) -> None:
    receiver.answer(Reply(500, body=b"boom"), Reply(200))
    sleeps = Sleeps()
    result = send(hook(receiver.url()), backoff=0.5, sleeps=sleeps)
    assert (result.ok, result.attempts) == (True, 2)
    assert sleeps == [0.5]
    assert len(receiver.received) == 2
    # The same signed body is sent again, so a receiver can recognise the retry.
    assert receiver.received[0].body == receiver.received[1].body


def test_a_receiver_that_always_fails_is_tried_retries_plus_one_times_with_exponential_backoff(
    receiver: Receiver,
) -> None:
    receiver.answer(Reply(503, body=b"down for maintenance"))
    sleeps = Sleeps()
    result = send(hook(receiver.url()), retries=3, backoff=1.0, sleeps=sleeps)
    assert not result.ok
    assert result.attempts == 4
    assert sleeps == [1.0, 2.0, 4.0]
    assert len(receiver.received) == 4
    # The status code only: what the receiver says is not shown (it would let HR read any server's answers).
    assert result.error == "HTTP 503"


def test_429_is_retried(receiver: Receiver) -> None:
    receiver.answer(Reply(429), Reply(204, body=b""))
    result = send(hook(receiver.url()))
    assert (result.ok, result.attempts) == (True, 2)


def test_a_slow_receiver_times_out_is_retried_and_then_fails(receiver: Receiver) -> None:
    receiver.answer(Reply(200, delay=2.0))
    sleeps = Sleeps()
    result = send(hook(receiver.url()), timeout=0.2, retries=1, backoff=0.25, sleeps=sleeps)
    assert not result.ok
    assert result.attempts == 2
    assert sleeps == [0.25]
    assert result.error == "timed out after 0.2 s"
    assert len(receiver.received) == 2


def test_a_redirect_to_another_host_is_not_followed(receiver: Receiver, other_host: Receiver) -> None:
    elsewhere = f"http://localhost:{other_host.port}/collect"
    receiver.answer(Reply(302, headers={"Location": elsewhere}))
    sleeps = Sleeps()
    result = send(hook(receiver.url()), sleeps=sleeps)
    assert not result.ok
    assert result.attempts == 1
    assert result.error == "HTTP 302: redirect to localhost not followed"
    assert sleeps == []
    assert len(receiver.received) == 1
    assert other_host.received == []


@pytest.mark.parametrize("status", [400, 401, 404, 410])
def test_other_client_errors_are_permanent_and_not_retried(receiver: Receiver, status: int) -> None:
    receiver.answer(Reply(status, body=b"invalid_payload"))
    sleeps = Sleeps()
    result = send(hook(receiver.url()), sleeps=sleeps)
    assert (result.ok, result.attempts, sleeps) == (False, 1, [])
    assert result.error.startswith(f"HTTP {status}")
    assert len(receiver.received) == 1


def test_an_unreachable_receiver_is_retried_and_reported_without_the_secret_or_the_url() -> None:
    with Receiver() as closed:
        url = closed.url(f"/services/T0/B0/{SECRET}")
    sleeps = Sleeps()
    result = send(hook(url), retries=2, sleeps=sleeps)
    assert (result.ok, result.attempts) == (False, 3)
    assert sleeps == [0.5, 1.0]
    assert result.error.startswith("connection failed")
    assert SECRET not in result.error and url not in result.error
    assert len(result.error) <= 200


def test_errors_echoing_the_secret_do_not_reveal_it(receiver: Receiver) -> None:
    receiver.answer(Reply(400, body=f"bad signature for key {SECRET}".encode()))
    result = send(hook(receiver.url()))
    assert not result.ok
    assert SECRET not in result.error


def test_a_url_that_is_not_http_is_refused_without_a_request() -> None:
    result = send(hook("ftp://127.0.0.1/hook"))
    assert (result.ok, result.attempts) == (False, 0)
    assert "ftp" in result.error


@pytest.mark.parametrize("url", ["http://[::1/hook", "http://exa mple.com/hook", "https:///hook"])
def test_a_malformed_stored_url_fails_cleanly(url: str) -> None:
    result = send(hook(url))
    assert (result.ok, result.attempts, result.error) == (False, 0, "invalid URL")


def test_masked_url_hides_credentials_query_values_and_long_path_tokens() -> None:
    assert masked_url("https://user:pw@hooks.example.com:8443/in?token=abc&x=1") == (
        "https://***@hooks.example.com:8443/in?token=***&x=***")
    masked = masked_url("https://hooks.slack.com/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX")
    assert masked == "https://hooks.slack.com/services/T0001/B0001/XXXX…"


# --- pages --------------------------------------------------------------------------------------


@pytest.fixture
def make_webhook(database_url: str, make_user: Callable[..., User]) -> Callable[..., Webhook]:
    creator: list[User] = []

    def factory(*, name: str = "HR channel", url: str = "https://hooks.example.com/in", style: str = "generic",
                active: bool = True, secret: str = SECRET) -> Webhook:
        if not creator:
            creator.append(make_user(Role.HR, "webhook.maker@example.com"))

        async def create(session):
            webhook = Webhook(name=name, url=url, style=style, secret=secret, active=active,
                              created_by_id=creator[0].id)
            session.add(webhook)
            await session.flush()
            return webhook

        return run(create, database_url)

    return factory


def add(hr: Persona, **values: str) -> httpx.Response:
    return hr.post("/webhooks", {"name": "Leadership channel", "url": "https://hooks.example.com/in",
                                 "style": "slack", **values}, follow_redirects=False)


def test_hr_adds_a_webhook_and_sees_its_generated_secret(hr: Persona, database_url: str) -> None:
    response = add(hr, name="  Leadership   channel ", style="generic")
    assert response.status_code == 303
    [webhook] = rows(database_url, Webhook)
    assert response.headers["location"] == f"/webhooks/{webhook.id}?notice=created"
    assert (webhook.name, webhook.url, webhook.style, webhook.active) == (
        "Leadership channel", "https://hooks.example.com/in", "generic", True)
    assert len(webhook.secret) == 64 and int(webhook.secret, 16) >= 0
    assert webhook.created_by_id == hr.user.id
    page = hr.client.get(response.headers["location"])
    assert page.status_code == 200
    assert webhook.secret in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "Webhook saved." in page.text
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "webhook")
    assert (event.verb, event.entity_id, event.actor_id) == ("create", webhook.id, hr.user.id)
    assert event.changes["name"] == "Leadership channel"
    assert webhook.secret not in json.dumps(event.changes)


def test_list_shows_masked_urls_and_the_last_delivery(hr: Persona, make_webhook, database_url: str) -> None:
    quiet = make_webhook(name="Quiet channel", url="https://user:pw@hooks.example.com/in?key=topsecret")
    busy = make_webhook(name="Busy channel", url="https://chat.example.com/hook", style="teams")

    async def deliveries(session):
        session.add(Delivery(channel="webhook", target="Busy channel", webhook_id=busy.id, subject="Old",
                             status="failed", attempts=4, error="HTTP 500"))
        session.add(Delivery(channel="webhook", target="Busy channel", webhook_id=busy.id, subject="New",
                             status="sent", attempts=1))

    run(deliveries, database_url)
    page = hr.client.get("/webhooks")
    assert page.status_code == 200
    assert "topsecret" not in page.text and "user:pw" not in page.text
    assert "https://***@hooks.example.com/in?key=***" in page.text
    busy_row = page.text.split("Busy channel</a>")[1].split("</tr>")[0]
    assert "Microsoft Teams" in busy_row
    assert "Sent" in busy_row and "Failed" not in busy_row
    quiet_row = page.text.split("Quiet channel</a>")[1].split("</tr>")[0]
    assert "Nothing sent yet" in quiet_row
    assert quiet.id != busy.id


@pytest.mark.parametrize("url, message", [
    ("ftp://files.example.com/hook", "Only http:// and https:// URLs"),
    ("javascript:alert(1)", "Only http:// and https:// URLs"),
    ("https:///no-host", "The URL needs a host name"),
    ("https://alice:secret@hooks.example.com/in", "Do not put a user name or password in the URL"),
    ("https://hooks.example.com/in put", "cannot contain spaces"),
    ("https://hooks.example.com:99999/in", "This is not a valid URL"),
    ("", "Enter the URL"),
    ("https://hooks.example.com/" + "a" * 2000, "Use at most 2000 characters"),
])
def test_bad_urls_are_rejected_with_a_message_and_nothing_is_saved(
    hr: Persona, database_url: str, url: str, message: str
) -> None:
    response = add(hr, url=url, name="Kept <name>")
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true" aria-describedby="url-error"' in response.text
    assert 'value="Kept &lt;name&gt;"' in response.text
    assert rows(database_url, Webhook) == []
    assert rows(database_url, AuditEvent, AuditEvent.entity == "webhook") == []


def test_bad_name_and_style_are_explained_per_field(hr: Persona, make_webhook, database_url: str) -> None:
    make_webhook(name="HR channel")
    response = add(hr, name="hr CHANNEL", style="carrier-pigeon")
    assert response.status_code == 400
    assert "Another webhook already has this name." in response.text
    assert "Choose a payload style." in response.text
    assert len(rows(database_url, Webhook)) == 1
    too_long = add(hr, name="x" * 121)
    assert too_long.status_code == 400 and "Use at most 120 characters." in too_long.text


def test_plain_http_is_saved_with_a_clear_warning(hr: Persona, database_url: str) -> None:
    response = add(hr, url="http://intranet.example.com/hooks/actiontrack")
    assert response.status_code == 303
    [webhook] = rows(database_url, Webhook)
    page = hr.client.get(response.headers["location"])
    assert "This URL uses plain http" in page.text
    assert "plain http" in hr.client.get("/webhooks").text
    https = add(hr, name="Safe", url="https://intranet.example.com/hooks")
    assert "This URL uses plain http" not in hr.client.get(https.headers["location"]).text
    # An edit with another problem keeps the warning next to the URL.
    edit = hr.post(f"/webhooks/{webhook.id}", {"name": "", "url": webhook.url, "style": "generic"})
    assert edit.status_code == 400
    assert 'id="url-warning"' in edit.text


def test_names_are_escaped_everywhere(hr: Persona, make_webhook, database_url: str) -> None:
    webhook = make_webhook(name="<script>alert('x')</script>")
    for path in ("/webhooks", f"/webhooks/{webhook.id}"):
        page = hr.client.get(path)
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;alert" in page.text


def test_hr_edits_a_webhook_and_the_change_is_audited_without_secrets(
    hr: Persona, make_webhook, database_url: str
) -> None:
    webhook = make_webhook(url="https://hooks.example.com/in?token=old-key-value")
    response = hr.post(f"/webhooks/{webhook.id}", {"name": "Renamed", "url": "https://hooks.example.com/in?token=new-key-value",
                                                   "style": "teams"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/webhooks/{webhook.id}?notice=saved"
    [saved] = rows(database_url, Webhook)
    assert (saved.name, saved.url, saved.style, saved.secret) == (
        "Renamed", "https://hooks.example.com/in?token=new-key-value", "teams", SECRET)
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "webhook")
    assert event.verb == "update"
    assert event.changes["name"] == ["HR channel", "Renamed"]
    assert event.changes["style"] == ["generic", "teams"]
    assert "url" in event.changes
    text = json.dumps(event.changes)
    assert "key-value" not in text and SECRET not in text


def test_renaming_a_webhook_with_a_masked_url_audits_the_name_alone(
    hr: Persona, make_webhook, database_url: str
) -> None:
    url = "https://hooks.slack.example.com/services/T000/B000/abcdefghijkl"
    webhook = make_webhook(url=url, style="slack")
    assert hr.post(f"/webhooks/{webhook.id}", {"name": "Renamed", "url": url, "style": "slack"},
                   follow_redirects=False).status_code == 303
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "webhook")
    assert event.changes == {"name": ["HR channel", "Renamed"]}
    assert hr.post(f"/webhooks/{webhook.id}", {"name": "Renamed", "url": url, "style": "slack"},
                   follow_redirects=False).status_code == 303
    assert len(rows(database_url, AuditEvent, AuditEvent.entity == "webhook")) == 1  # nothing changed, nothing audited


def test_ids_too_large_for_the_database_are_not_found(hr: Persona) -> None:
    huge = 10**20
    assert hr.client.get(f"/webhooks/{huge}").status_code == 404
    assert hr.post(f"/webhooks/{huge}/delete", {}, follow_redirects=False).status_code == 404


@pytest.mark.parametrize("test", [str(2**63), str(10**30), str(2**31), "-1", str(-(2**63)), "0", "abc"])
def test_a_test_delivery_id_the_database_cannot_hold_shows_the_page_without_a_report(
    hr: Persona, make_webhook, test: str,
) -> None:
    webhook = make_webhook()
    response = hr.client.get(f"/webhooks/{webhook.id}", params={"test": test})
    assert response.status_code == 200
    assert "HR channel" in response.text


def test_a_bad_edit_changes_nothing(hr: Persona, make_webhook, database_url: str) -> None:
    webhook = make_webhook()
    response = hr.post(f"/webhooks/{webhook.id}", {"name": "New name", "url": "javascript:alert(1)", "style": "slack"})
    assert response.status_code == 400
    assert "Only http:// and https:// URLs" in response.text
    [unchanged] = rows(database_url, Webhook)
    assert (unchanged.name, unchanged.url, unchanged.style) == ("HR channel", "https://hooks.example.com/in", "generic")
    assert rows(database_url, AuditEvent, AuditEvent.entity == "webhook") == []


def test_rotating_the_secret_replaces_it_and_is_audited(hr: Persona, make_webhook, database_url: str) -> None:
    webhook = make_webhook()
    response = hr.post(f"/webhooks/{webhook.id}/secret", follow_redirects=False)
    assert response.status_code == 303
    [rotated] = rows(database_url, Webhook)
    assert rotated.secret != SECRET and len(rotated.secret) == 64
    page = hr.client.get(response.headers["location"])
    assert rotated.secret in page.text and SECRET not in page.text
    assert "A new secret was generated" in page.text
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "webhook")
    assert event.verb == "rotate_secret"
    assert rotated.secret not in json.dumps(event.changes) and SECRET not in json.dumps(event.changes)


def test_deactivate_reactivate_and_delete(hr: Persona, make_webhook, database_url: str) -> None:
    webhook = make_webhook()

    async def old_delivery(session):
        session.add(Delivery(channel="webhook", target="HR channel", webhook_id=webhook.id, status="sent", attempts=1))

    run(old_delivery, database_url)
    assert hr.post(f"/webhooks/{webhook.id}/deactivate", follow_redirects=False).status_code == 303
    assert rows(database_url, Webhook)[0].active is False
    assert "Reactivate" in hr.client.get(f"/webhooks/{webhook.id}").text
    assert hr.post(f"/webhooks/{webhook.id}/reactivate", follow_redirects=False).status_code == 303
    assert rows(database_url, Webhook)[0].active is True
    deleted = hr.post(f"/webhooks/{webhook.id}/delete", follow_redirects=False)
    assert (deleted.status_code, deleted.headers["location"]) == (303, "/webhooks")
    assert rows(database_url, Webhook) == []
    [delivery] = rows(database_url, Delivery)
    assert (delivery.webhook_id, delivery.target) == (None, "HR channel")
    verbs = [(event.verb, event.changes.get("active"))
             for event in rows(database_url, AuditEvent, AuditEvent.entity == "webhook")]
    assert verbs == [("update", [True, False]), ("update", [False, True]), ("delete", True)]
    assert hr.client.get(f"/webhooks/{webhook.id}").status_code == 404


def test_test_message_is_sent_in_hrs_language_and_recorded_as_a_delivery(
    persona: Callable[..., Persona], make_webhook, receiver: Receiver, database_url: str
) -> None:
    hr = persona(Role.HR, "hr.fr@example.com", name="Fanny RH", language="fr")
    webhook = make_webhook(url=receiver.url("/chat"), style="generic")
    response = hr.post(f"/webhooks/{webhook.id}/test", follow_redirects=False)
    assert response.status_code == 303
    [delivery] = rows(database_url, Delivery)
    assert response.headers["location"] == f"/webhooks/{webhook.id}?test={delivery.id}"
    assert (delivery.reminder_id, delivery.channel, delivery.webhook_id, delivery.target) == (
        None, "webhook", webhook.id, "HR channel")
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 1, "")
    assert delivery.finished_at is not None
    [request] = receiver.received
    payload = request.json()
    assert payload["kind"] == "test"
    assert payload["subject"] == delivery.subject
    assert "Fanny RH" in payload["text"]
    assert hmac.compare_digest(request.headers["x-actiontrack-signature"],
                               "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest())
    page = hr.client.get(response.headers["location"])
    assert 'class="tag ok"' in page.text
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "webhook")
    assert (event.verb, event.changes["status"], event.changes["delivery_id"]) == ("test", "sent", delivery.id)


def test_a_failing_test_message_is_recorded_and_explained(
    hr: Persona, make_webhook, receiver: Receiver, other_host: Receiver, database_url: str
) -> None:
    receiver.answer(Reply(301, headers={"Location": f"http://localhost:{other_host.port}/"}))
    webhook = make_webhook(url=receiver.url(), style="slack")
    response = hr.post(f"/webhooks/{webhook.id}/test", follow_redirects=False)
    [delivery] = rows(database_url, Delivery)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.error == "HTTP 301: redirect to localhost not followed"
    assert other_host.received == []
    page = hr.client.get(response.headers["location"])
    assert "The test message could not be delivered: HTTP 301: redirect to localhost not followed" in page.text
    listing = hr.client.get("/webhooks").text.split("HR channel</a>")[1].split("</tr>")[0]
    assert "Failed" in listing


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("::1", False), ("10.1.2.3", False), ("172.16.0.9", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("fe80::1%eth0", False), ("fd00::5", False), ("100.64.0.1", False),
    ("0.0.0.0", False), ("::ffff:127.0.0.1", False), ("224.0.0.251", False),
    ("93.184.215.14", True), ("2606:4700:4700::1111", True),
    # IPv6 forms that carry an IPv4 address: IPv4-compatible, NAT64, 6to4, Teredo, mapped.
    ("::7f00:1", False), ("::127.0.0.1", False), ("::a01:203", False), ("64:ff9b::7f00:1", False),
    ("64:ff9b::a9fe:a9fe", False), ("64:ff9b:1::7f00:1", False), ("2002:7f00:1::", False),
    ("2002:c0a8:101::1", False), ("2001:0:4136:e378:8000:63bf:80ff:fffe", False), ("::ffff:7f00:1", False),
    ("::ffff:10.0.0.1", False), ("64:ff9b::5db8:d70e", True), ("2002:5db8:d70e::1", True),
])
def test_only_public_internet_addresses_count_as_public(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::7f00:1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]",
                                  "[::ffff:127.0.0.1]"])
def test_a_webhook_to_a_loopback_address_is_refused_before_anything_is_sent(receiver: Receiver, host: str) -> None:
    sleeps = Sleeps()
    result = send(hook(f"http://{host}:{receiver.port}/hook"), allow_private=False, sleeps=sleeps)
    assert (result.ok, result.attempts, sleeps) == (False, 1, [])
    assert result.error.startswith("refused: the host is a loopback, private or link-local address")
    assert receiver.received == []


def test_the_test_button_refuses_a_private_target_unless_the_setting_allows_it(
    settings: Any, make_user: Callable[..., User], receiver: Receiver, database_url: str,
) -> None:
    from actiontrack.app import create_app

    from conftest import make_client, sign_in

    hr = make_user(Role.HR, "hr@example.com")
    webhook = run(lambda session: _add_hook(session, hr, receiver.url("/chat")), database_url)
    strict = settings.model_copy(update={"webhook_allow_private": False})
    with make_client(create_app(strict)) as client:
        sign_in(client, "hr@example.com")
        response = post_form(client, f"/webhooks/{webhook.id}/test", follow_redirects=False)
        page = client.get(response.headers["location"]).text
    [delivery] = rows(database_url, Delivery)
    assert delivery.status == "failed" and delivery.error.startswith("refused:")
    assert "ACTIONTRACK_WEBHOOK_ALLOW_PRIVATE" in page
    assert receiver.received == []


async def _add_hook(session: Any, creator: User, url: str) -> Webhook:
    webhook = Webhook(name="Chat", url=url, style="generic", secret=SECRET, created_by_id=creator.id)
    session.add(webhook)
    await session.flush()
    return webhook


def test_user_text_in_a_teams_workflow_card_cannot_become_a_link_or_markup(receiver: Receiver) -> None:
    sneaky = "[Sign in again](https://evil.example) **now** <at>everyone</at>"
    message = Message(kind="overdue", subject=f"Overdue: {sneaky}", text=sneaky, html="", link=MESSAGE.link,
                      facts=(("Owner", sneaky),))
    assert send(hook(receiver.url(), "teams_workflow"), message).ok
    card = receiver.received[0].json()["attachments"][0]["content"]
    # Markdown is read in TextBlocks and FactSets only; every element here is rich text made of text runs.
    assert {element["type"] for element in card["body"]} == {"RichTextBlock"}
    runs = [run for element in card["body"] for run in element["inlines"]]
    assert {run["type"] for run in runs} == {"TextRun"}
    assert [run["text"] for run in runs if sneaky in run["text"]] == [f"Overdue: {sneaky}", sneaky, sneaky]


ROUTES = [
    ("GET", "/webhooks"), ("POST", "/webhooks"), ("GET", "/webhooks/{id}"), ("POST", "/webhooks/{id}"),
    ("POST", "/webhooks/{id}/secret"), ("POST", "/webhooks/{id}/deactivate"), ("POST", "/webhooks/{id}/reactivate"),
    ("POST", "/webhooks/{id}/test"), ("POST", "/webhooks/{id}/delete"),
]


@pytest.mark.parametrize("who", ["hr", "leader", "owner", "anon"])
def test_authorisation_matrix_for_webhook_routes(
    request: pytest.FixtureRequest, who: str, make_webhook, receiver: Receiver, database_url: str
) -> None:
    webhook = make_webhook(url=receiver.url())
    client: TestClient = request.getfixturevalue("anon") if who == "anon" else request.getfixturevalue(who).client
    form = {"name": "Renamed", "url": receiver.url(), "style": "generic"}
    for method, template in ROUTES:
        path = template.replace("{id}", str(webhook.id))
        if method == "GET":
            response = client.get(path, follow_redirects=False)
        else:
            data = form if path in ("/webhooks", f"/webhooks/{webhook.id}") else {}
            if path == "/webhooks":
                data = {**form, "name": "Another"}
            response = post_form(client, path, data, follow_redirects=False)
        if who == "hr":
            assert response.status_code in (200, 303), (path, response.status_code)
        elif who == "anon":
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
        else:
            assert response.status_code == 403, (path, response.status_code)
    if who != "hr":
        [unchanged] = rows(database_url, Webhook)
        assert (unchanged.name, unchanged.secret, unchanged.active) == ("HR channel", SECRET, True)
        assert receiver.received == []
        assert rows(database_url, Delivery) == []
        assert rows(database_url, AuditEvent, AuditEvent.entity == "webhook") == []


def test_only_hr_sees_webhooks_in_the_navigation(hr: Persona, leader: Persona) -> None:
    assert 'href="/webhooks"' in hr.client.get("/").text
    assert 'href="/webhooks"' not in leader.client.get("/").text


def test_changes_need_the_csrf_token(hr: Persona, make_webhook, receiver: Receiver, database_url: str) -> None:
    webhook = make_webhook(url=receiver.url())
    for path, data in [("/webhooks", {"name": "New", "url": "https://x.example.com/", "style": "slack"}),
                       (f"/webhooks/{webhook.id}", {"name": "Renamed", "url": receiver.url(), "style": "slack"}),
                       (f"/webhooks/{webhook.id}/secret", {}), (f"/webhooks/{webhook.id}/deactivate", {}),
                       (f"/webhooks/{webhook.id}/test", {}), (f"/webhooks/{webhook.id}/delete", {})]:
        assert hr.client.post(path, data=data, follow_redirects=False).status_code == 403, path
    [unchanged] = rows(database_url, Webhook)
    assert (unchanged.name, unchanged.secret, unchanged.active) == ("HR channel", SECRET, True)
    assert receiver.received == []


# --- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
def test_hr_registers_a_webhook_and_sends_a_test_message_in_the_browser(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], receiver: Receiver
) -> None:
    make_user(Role.HR, "hilde.hr@example.com", name="Hilde HR")
    sign_in_page(page, live_server, "hilde.hr@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Webhooks").click()
    page.get_by_label("Name").fill("Ops system")
    page.get_by_label("URL").fill("ftp://wrong.example.com/")
    page.get_by_label("Generic JSON, signed").check()
    # ftp: passes the browser's type=url check; the server says why it is refused.
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_text("Only http:// and https:// URLs can receive webhooks.")).to_be_visible()
    page.get_by_label("URL").fill(receiver.url("/ops"))
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ops system")
    expect(page.get_by_text("This URL uses plain http").first).to_be_visible()
    secret = page.get_by_role("textbox", name="Signing secret").input_value()
    assert len(secret) == 64
    page.get_by_role("button", name="Send a test message").click()
    expect(page.get_by_text("The test message was delivered.")).to_be_visible()
    [request] = receiver.received
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["x-actiontrack-signature"], expected)
