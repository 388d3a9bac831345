"""Webhooks: HR registers chat channels (Slack, Teams) or systems (signed JSON); the sender posts to them."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape as html_escape
from typing import Annotated, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.messages import Message, SendResult
from actiontrack.models import Delivery, DeliveryStatus, User, Webhook, WebhookStyle, column_limit
from actiontrack.params import is_id
from actiontrack.settings import Settings
from actiontrack.web import hr_only, NO_STORE

SIGNATURE_HEADER = "X-Actiontrack-Signature"
USER_AGENT = "actiontrack-webhooks/1"
# Answers worth another try: the receiver is down or busy, not refusing this message.
RETRYABLE_STATUSES = frozenset({429}) | frozenset(range(500, 600))
_ERROR_MAX = 200


# --- payloads ---------------------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn reads <...> as links and mentions: user text must not become one.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(message: Message) -> dict[str, Any]:
    """Slack-compatible JSON: a plain `text` fallback plus blocks (section, facts, link button)."""
    body = f"*{_slack_escape(message.subject)}*\n{_slack_escape(message.text)}"
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": body}}]
    if message.facts:
        blocks.append(
            {
                "type": "section",
                # Slack shows at most ten fields in a section.
                "fields": [
                    {"type": "mrkdwn", "text": f"*{_slack_escape(label)}*\n{_slack_escape(value)}"}
                    for label, value in message.facts[:10]
                ],
            }
        )
    if message.link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": _("Open in actiontrack")},
                        "url": message.link,
                    }
                ],
            }
        )
    fallback = f"{_slack_escape(message.subject)}: {_slack_escape(message.text)}"
    return {"text": fallback, "blocks": blocks}


def teams_payload(message: Message) -> dict[str, Any]:
    """A Teams (Office 365 connector) message card with facts and an OpenUri action."""
    card: dict[str, Any] = {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": message.subject,
        "themeColor": "0F6CBD",
        # Card text renders a subset of HTML and markdown: user text is escaped to stay text.
        "title": html_escape(message.subject, quote=False),
        "text": html_escape(message.text, quote=False),
    }
    if message.facts:
        card["sections"] = [
            {
                "facts": [
                    {"name": html_escape(label, quote=False), "value": html_escape(value, quote=False)}
                    for label, value in message.facts
                ]
            }
        ]
    if message.link:
        card["potentialAction"] = [
            {
                "@type": "OpenUri",
                "name": _("Open in actiontrack"),
                "targets": [{"os": "default", "uri": message.link}],
            }
        ]
    return card


def adaptive_card_payload(message: Message) -> dict[str, Any]:
    """A message with one Adaptive Card, what Teams Workflows ("post to a channel when a webhook
    request is received") expects now that Microsoft retires the connectors' message cards."""
    # TextBlocks and FactSets render markdown ([a link](…), **bold**); text runs do not, so user text
    # goes only into runs of rich text blocks: it stays text, as Slack's and the message card's do.
    body: list[dict[str, Any]] = [
        _rich_text({"text": message.subject, "weight": "Bolder", "size": "Medium"}),
        _rich_text({"text": message.text}),
    ]
    body.extend(_rich_text({"text": f"{label}: ", "weight": "Bolder"}, {"text": value})
                for label, value in message.facts)
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message.link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": _("Open in actiontrack"), "url": message.link}]
    return {"type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
                             "content": card}]}


def _rich_text(*runs: dict[str, str]) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", **run} for run in runs]}


def generic_payload(message: Message) -> dict[str, Any]:
    """Plain JSON for any system: the message as data, with the time it was sent."""
    return {
        "kind": message.kind,
        "subject": message.subject,
        "text": message.text,
        "link": message.link,
        "facts": [{"label": label, "value": value} for label, value in message.facts],
        "sent_at": clock.utcnow().isoformat(timespec="seconds"),
    }


def webhook_payload(style: str, message: Message) -> dict[str, Any]:
    """The JSON document for a webhook's payload style."""
    if style == WebhookStyle.SLACK:
        return slack_payload(message)
    if style == WebhookStyle.TEAMS:
        return teams_payload(message)
    if style == WebhookStyle.TEAMS_WORKFLOW:
        return adaptive_card_payload(message)
    return generic_payload(message)


def signature(body: bytes, secret: str) -> str:
    """The value of the signature header: HMAC-SHA256 of the exact body bytes, hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def build_request(webhook: Webhook, message: Message) -> tuple[bytes, dict[str, str]]:
    """The body bytes and headers to POST; generic JSON bodies carry their signature."""
    body = json.dumps(webhook_payload(webhook.style, message), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    if webhook.style == WebhookStyle.GENERIC:
        headers[SIGNATURE_HEADER] = signature(body, webhook.secret)
    return body, headers


# --- sending ----------------------------------------------------------------------------------


class PrivateAddressRefused(Exception):
    """The webhook's host resolves to an address inside the network (loopback, private, link-local)."""


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, reserved, multicast)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    """Connects only to public addresses: every address the host resolves to is checked, then one of
    them is connected to by number, so a DNS answer that changes between check and connection
    (DNS rebinding) cannot point the request inside the network. TLS still verifies the host name."""

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        try:
            found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        if not addresses or not all(is_public_address(address) for address in addresses):
            raise PrivateAddressRefused(host)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._backend.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                       socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class PublicOnlyTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with a connection pool that connects through `PublicOnlyBackend`."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # httpx has no option for the network backend; the pool it builds is replaced by an equal one that has it.
        self._pool = httpcore.AsyncConnectionPool(ssl_context=httpx.create_ssl_context(),
                                                  network_backend=PublicOnlyBackend())


def webhook_client(*, allow_private: bool) -> httpx.AsyncClient:
    """The HTTP client webhooks are posted with; it refuses addresses inside the network unless allowed
    (ACTIONTRACK_WEBHOOK_ALLOW_PRIVATE, for a chat server on the premises). Proxy variables are
    ignored: a proxy would resolve the name itself, past the check."""
    if allow_private:
        return httpx.AsyncClient(trust_env=False)
    return httpx.AsyncClient(transport=PublicOnlyTransport(), trust_env=False)



def short_error(text: str, webhook: Webhook) -> str:
    # Errors are shown to HR and stored: never the secret, nor the URL (a Slack URL is a secret too).
    for secret in (webhook.secret, webhook.url):
        if secret:
            text = text.replace(secret, "***")
    text = " ".join(text.split())
    return text if len(text) <= _ERROR_MAX else text[: _ERROR_MAX - 1] + "…"


def _redirect_error(response: httpx.Response) -> str:
    location = response.headers.get("location", "")
    try:
        where = (urlsplit(urljoin(str(response.request.url), location)).hostname if location else None) or "?"
    except ValueError:
        where = "?"
    return f"HTTP {response.status_code}: redirect to {where} not followed"


def _status_error(response: httpx.Response) -> str:
    # The status code only: the body and reason phrase are the receiver's words, and showing them
    # would let anyone who registers a URL read what other servers answer.
    return f"HTTP {response.status_code}"


def _url_problem(url: str) -> str | None:
    # Rows saved through the pages are valid; this guards against anything else, without a request.
    try:
        parts = urlsplit(url)
    except ValueError:
        return "invalid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported URL scheme {parts.scheme or '(none)'!r}"
    if not parts.hostname or any(char.isspace() or ord(char) < 32 for char in url):
        return "invalid URL"
    return None


async def send_webhook(
    client: httpx.AsyncClient,
    webhook: Webhook,
    message: Message,
    *,
    timeout: float,
    retries: int,
    backoff: float = 1.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> SendResult:
    """POST a message to a webhook; retry (waiting backoff * 2**n) on 5xx, 429, timeouts and network errors.

    Never follows redirects (a redirect to another host could leak the message). Does not touch the
    database: the caller records the outcome. Button labels use the current language.
    """
    problem = _url_problem(webhook.url)
    if problem:
        return SendResult(ok=False, attempts=0, error=problem)
    body, headers = build_request(webhook, message)
    error = ""
    attempt = 0
    while True:
        attempt += 1
        retryable = False
        try:
            # httpx's timeout bounds each phase; asyncio.timeout bounds the whole exchange, so a
            # receiver that trickles its answer cannot hold the job.
            async with asyncio.timeout(timeout):
                response = await client.post(
                    webhook.url, content=body, headers=headers, timeout=timeout, follow_redirects=False
                )
        except PrivateAddressRefused:
            error = ("refused: the host is a loopback, private or link-local address "
                     "(set ACTIONTRACK_WEBHOOK_ALLOW_PRIVATE=true for a chat server inside your network)")
        except (TimeoutError, httpx.TimeoutException):
            error, retryable = f"timed out after {timeout:g} s", True
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            error, retryable = f"connection failed: {str(exc) or type(exc).__name__}", True
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            error = f"request failed: {str(exc) or type(exc).__name__}"
        else:
            if response.is_success:
                return SendResult(ok=True, attempts=attempt)
            if response.is_redirect or 300 <= response.status_code < 400:
                error = _redirect_error(response)
            else:
                error = _status_error(response)
                retryable = response.status_code in RETRYABLE_STATUSES
        if not retryable or attempt > retries:
            return SendResult(ok=False, attempts=attempt, error=short_error(error, webhook))
        await sleep(backoff * 2 ** (attempt - 1))


# --- registration rules -----------------------------------------------------------------------

NAME_MAX = column_limit(Webhook, "name")
URL_MAX = column_limit(Webhook, "url")
STYLE_LABELS = {
    WebhookStyle.SLACK.value: N_("Slack (incoming webhook)"),
    WebhookStyle.TEAMS.value: N_("Microsoft Teams (message card)"),
    WebhookStyle.TEAMS_WORKFLOW.value: N_("Microsoft Teams Workflows (Adaptive Card)"),
    WebhookStyle.GENERIC.value: N_("Generic JSON, signed"),
}


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


def check_url(url: str) -> tuple[str | None, str | None]:
    """An error that rejects the URL (or None), and a warning that lets it be saved (or None)."""
    if not url:
        return _("Enter the URL the messages are posted to."), None
    if len(url) > URL_MAX:
        return _("Use at most %(max)d characters.") % {"max": URL_MAX}, None
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url):
        return _("A URL cannot contain spaces or control characters."), None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        return _("This is not a valid URL."), None
    if parts.scheme.lower() not in ("http", "https"):
        return _("Only http:// and https:// URLs can receive webhooks."), None
    if parts.username is not None or parts.password is not None:
        return _("Do not put a user name or password in the URL; the receiver can check the signature instead."), None
    if not parts.hostname:
        return _("The URL needs a host name, for example https://hooks.slack.com/…"), None
    if parts.scheme.lower() == "http":
        return None, plain_http_warning()
    return None, None


def plain_http_warning() -> str:
    return _("This URL uses plain http: messages travel unencrypted and can be read or changed on the way. "
             "Use https unless the receiver is on a trusted network.")


def masked_url(url: str) -> str:
    """The URL for lists and the audit trail: credentials, query values and long tokens in the path hidden."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "***"
    userinfo = "***@" if parts.username is not None or parts.password is not None else ""
    # Slack and Teams put the key in the path: long segments are shown by their first characters.
    path = "/".join(segment if len(segment) < 16 else segment[:4] + "…" for segment in parts.path.split("/"))
    query = "&".join(f"{pair.partition('=')[0]}=***" for pair in parts.query.split("&") if pair)
    return urlunsplit((parts.scheme, f"{userinfo}{host}{port}", path, query, ""))


@dataclass
class WebhookForm:
    name: str = ""
    url: str = ""
    style: str = WebhookStyle.SLACK.value


@dataclass(frozen=True)
class FormCheck:
    errors: dict[str, str]
    warnings: dict[str, str]
    name: str
    url: str


async def check_webhook_form(session: AsyncSession, *, form: WebhookForm, webhook_id: int | None = None) -> FormCheck:
    """Every problem of the form by field; nothing is written."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    name = " ".join(form.name.split())
    url = form.url.strip()
    if not name:
        errors["name"] = _("Enter a name, for example the channel the messages go to.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Use at most %(max)d characters.") % {"max": NAME_MAX}
    else:
        same_name = select(Webhook.id).where(func.lower(Webhook.name) == name.lower())
        if webhook_id is not None:
            same_name = same_name.where(Webhook.id != webhook_id)
        if (await session.execute(same_name)).first():
            errors["name"] = _("Another webhook already has this name.")
    url_error, url_warning = check_url(url)
    if url_error:
        errors["url"] = url_error
    elif url_warning:
        warnings["url"] = url_warning
    if form.style not in STYLE_LABELS:
        errors["style"] = _("Choose a payload style.")
    return FormCheck(errors=errors, warnings=warnings, name=name, url=url)


def _audited(webhook: Webhook) -> dict[str, Any]:
    # The secret never enters the audit trail, and the URL only masked (chat URLs are keys too).
    return {"name": webhook.name, "url": masked_url(webhook.url), "style": webhook.style, "active": webhook.active}


async def webhooks_with_last_delivery(session: AsyncSession) -> list[tuple[Webhook, Delivery | None]]:
    """Every webhook, active first, with its most recent delivery (one query)."""
    latest = (
        select(Delivery.webhook_id, func.max(Delivery.id).label("delivery_id"))
        .where(Delivery.webhook_id.is_not(None))
        .group_by(Delivery.webhook_id)
        .subquery()
    )
    query = (
        select(Webhook, Delivery)
        .outerjoin(latest, latest.c.webhook_id == Webhook.id)
        .outerjoin(Delivery, Delivery.id == latest.c.delivery_id)
        .order_by(Webhook.active.desc(), func.lower(Webhook.name))
    )
    return [(webhook, delivery) for webhook, delivery in (await session.execute(query)).all()]


async def recent_deliveries(session: AsyncSession, *, webhook_id: int, limit: int = 10) -> list[Delivery]:
    query = (
        select(Delivery).where(Delivery.webhook_id == webhook_id).order_by(Delivery.id.desc()).limit(limit)
    )
    return list((await session.execute(query)).scalars())


def trial_message(*, webhook: Webhook, sender: User, link: str) -> Message:
    """A harmless message, in the current language, that proves the receiver gets our posts."""
    subject = _("Test message from actiontrack")
    text = _("If you can read this, the webhook “%(name)s” works. %(person)s sent it from the webhooks page.") % {
        "name": webhook.name, "person": sender.display_name}
    return Message(
        kind="test", subject=subject, text=text, html=f"<p>{html_escape(text)}</p>", link=link,
        facts=((_("Webhook"), webhook.name), (_("Sent by"), sender.display_name)),
    )


async def send_test_message(
    session: AsyncSession, *, webhook: Webhook, sender: User, link: str, timeout: float, allow_private: bool
) -> Delivery:
    """Post a test message now (one try, so HR gets an answer quickly) and record the delivery."""
    message = trial_message(webhook=webhook, sender=sender, link=link)
    async with webhook_client(allow_private=allow_private) as client:
        result = await send_webhook(client, webhook, message, timeout=timeout, retries=0)
    delivery = Delivery(
        reminder_id=None, channel="webhook", target=webhook.name[:254], webhook_id=webhook.id,
        subject=message.subject[:300], status=DeliveryStatus.SENT if result.ok else DeliveryStatus.FAILED,
        attempts=result.attempts, error=result.error, finished_at=clock.utcnow(),
    )
    session.add(delivery)
    await session.flush()
    return delivery


# --- pages --------------------------------------------------------------------------------------



async def _index_page(
    session: AsyncSession, *, form: WebhookForm, check: FormCheck | None = None, status_code: int = 200
) -> Template:
    context = {
        "webhooks": await webhooks_with_last_delivery(session), "form": form,
        "errors": check.errors if check else {}, "warnings": check.warnings if check else {},
        "style_labels": STYLE_LABELS, "masked_url": masked_url,
    }
    return Template("webhooks/index.html", context=context, status_code=status_code)


async def _load(session: AsyncSession, webhook_id: int) -> Webhook:
    webhook = await session.get(Webhook, webhook_id) if is_id(webhook_id) else None
    if webhook is None:
        raise NotFoundException()
    return webhook


async def _detail_page(
    session: AsyncSession, *, webhook: Webhook, form: WebhookForm | None = None, check: FormCheck | None = None,
    notice: str = "", tested: Delivery | None = None, status_code: int = 200,
) -> Template:
    form = form or WebhookForm(name=webhook.name, url=webhook.url, style=webhook.style)
    context = {
        "webhook": webhook, "form": form, "errors": check.errors if check else {},
        "warnings": check.warnings if check else {},
        "plain_http": urlsplit(webhook.url).scheme.lower() == "http", "plain_http_warning": plain_http_warning(),
        "style_labels": STYLE_LABELS, "masked_url": masked_url, "notice": notice, "tested": tested,
        "deliveries": await recent_deliveries(session, webhook_id=webhook.id),
    }
    # The page shows the signing secret: keep it out of caches.
    return Template("webhooks/detail.html", context=context, status_code=status_code, headers=NO_STORE)


@get("/webhooks", name="webhooks.index", guards=hr_only, include_in_schema=False)
async def webhooks_index(db: NamedDependency[AsyncSession]) -> Template:
    return await _index_page(db, form=WebhookForm())


@post("/webhooks", name="webhooks.create", guards=hr_only, include_in_schema=False)
async def create_webhook(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[WebhookForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    check = await check_webhook_form(db, form=data)
    if check.errors:
        return await _index_page(db, form=data, check=check, status_code=400)
    webhook = Webhook(name=check.name, url=check.url, style=data.style, secret=new_webhook_secret(),
                      created_by_id=request.user.id)
    db.add(webhook)
    await db.flush()
    audit.record(db, actor=request.user, verb="create", entity="webhook", entity_id=webhook.id,
                 changes=_audited(webhook), request=request)
    return Redirect(f"/webhooks/{webhook.id}?notice=created", status_code=303)


NOTICES = {
    "created": N_("Webhook saved. Send a test message to check that the receiver gets it."),
    "saved": N_("Changes saved."),
    "rotated": N_("A new secret was generated: update the receiver, the old secret no longer signs messages."),
    "deactivated": N_("Webhook deactivated: it receives no reminders until you reactivate it."),
    "reactivated": N_("Webhook reactivated."),
}


@get("/webhooks/{webhook_id:int}", name="webhooks.detail", guards=hr_only, include_in_schema=False)
async def webhook_detail(
    db: NamedDependency[AsyncSession], webhook_id: FromPath[int], notice: FromQuery[str] = "",
    test: FromQuery[int | None] = None,
) -> Template:
    webhook = await _load(db, webhook_id)
    tested = await db.get(Delivery, test) if test is not None else None
    if tested is not None and tested.webhook_id != webhook.id:
        tested = None
    return await _detail_page(db, webhook=webhook, notice=_(NOTICES[notice]) if notice in NOTICES else "",
                              tested=tested)


@post("/webhooks/{webhook_id:int}", name="webhooks.update", guards=hr_only, include_in_schema=False)
async def update_webhook(
    request: Request,
    db: NamedDependency[AsyncSession],
    webhook_id: FromPath[int],
    data: Annotated[WebhookForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    webhook = await _load(db, webhook_id)
    check = await check_webhook_form(db, form=data, webhook_id=webhook.id)
    if check.errors:
        return await _detail_page(db, webhook=webhook, form=data, check=check, status_code=400)
    before, old_url = _audited(webhook), webhook.url
    webhook.name, webhook.url, webhook.style = check.name, check.url, data.style
    changes = audit.changed_fields(before, _audited(webhook))
    if webhook.url != old_url and "url" not in changes:
        # Two URLs can look alike once masked: the trail still says the URL changed.
        changes["url"] = [before["url"], masked_url(webhook.url)]
    if changes:
        audit.record(db, actor=request.user, verb="update", entity="webhook", entity_id=webhook.id,
                     changes=changes, request=request)
    return Redirect(f"/webhooks/{webhook.id}?notice=saved", status_code=303)


@post("/webhooks/{webhook_id:int}/secret", name="webhooks.rotate_secret", guards=hr_only, include_in_schema=False)
async def rotate_secret(request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int]) -> Redirect:
    webhook = await _load(db, webhook_id)
    webhook.secret = new_webhook_secret()
    audit.record(db, actor=request.user, verb="rotate_secret", entity="webhook", entity_id=webhook.id, request=request)
    return Redirect(f"/webhooks/{webhook.id}?notice=rotated", status_code=303)


async def _set_active(request: Request, db: AsyncSession, *, webhook_id: int, active: bool) -> Redirect:
    webhook = await _load(db, webhook_id)
    if webhook.active != active:
        webhook.active = active
        audit.record(db, actor=request.user, verb="update", entity="webhook", entity_id=webhook.id,
                     changes={"active": [not active, active]}, request=request)
    return Redirect(f"/webhooks/{webhook.id}?notice={'reactivated' if active else 'deactivated'}", status_code=303)


@post("/webhooks/{webhook_id:int}/deactivate", name="webhooks.deactivate", guards=hr_only, include_in_schema=False)
async def deactivate_webhook(request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int]) -> Redirect:
    return await _set_active(request, db, webhook_id=webhook_id, active=False)


@post("/webhooks/{webhook_id:int}/reactivate", name="webhooks.reactivate", guards=hr_only, include_in_schema=False)
async def reactivate_webhook(request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int]) -> Redirect:
    return await _set_active(request, db, webhook_id=webhook_id, active=True)


@post("/webhooks/{webhook_id:int}/delete", name="webhooks.delete", guards=hr_only, include_in_schema=False)
async def delete_webhook(request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int]) -> Redirect:
    """Delete a webhook; its past deliveries stay on the deliveries page under its name."""
    webhook = await _load(db, webhook_id)
    audit.record(db, actor=request.user, verb="delete", entity="webhook", entity_id=webhook.id,
                 changes=_audited(webhook), request=request)
    await db.delete(webhook)
    return Redirect("/webhooks", status_code=303)


@post("/webhooks/{webhook_id:int}/test", name="webhooks.test", guards=hr_only, include_in_schema=False)
async def send_test(request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int]) -> Redirect:
    webhook = await _load(db, webhook_id)
    settings: Settings = request.app.state.settings
    delivery = await send_test_message(db, webhook=webhook, sender=request.user, link=str(request.base_url),
                                       timeout=settings.webhook_timeout_seconds,
                                       allow_private=settings.webhook_allow_private)
    audit.record(db, actor=request.user, verb="test", entity="webhook", entity_id=webhook.id,
                 changes={"status": delivery.status, "delivery_id": delivery.id}, request=request)
    return Redirect(f"/webhooks/{webhook.id}?test={delivery.id}", status_code=303)


routes = [
    webhooks_index, create_webhook, webhook_detail, update_webhook, rotate_secret, deactivate_webhook,
    reactivate_webhook, delete_webhook, send_test,
]
