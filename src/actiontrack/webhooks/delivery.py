"""Sending to webhooks: an HTTP client that reaches only public addresses, the POST with its retries,
and errors short enough to show and store."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.messages import Message, SendResult
from actiontrack.models import Delivery, DeliveryStatus, User, Webhook
from actiontrack.webhooks.rules import build_request, is_public_address, trial_message, url_problem

# Answers worth another try: the receiver is down or busy, not refusing this message.
RETRYABLE_STATUSES = frozenset({429}) | frozenset(range(500, 600))
_ERROR_MAX = 200


class PrivateAddressRefused(Exception):
    """The webhook's host resolves to an address inside the network (loopback, private, link-local)."""


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
    """An error as HR sees it and the delivery stores it: one line, at most 200 characters, no secrets."""
    # Never the secret, nor the URL (a Slack URL is a secret too).
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


@dataclass(frozen=True)
class _Attempt:
    ok: bool
    error: str = ""
    retryable: bool = False


async def _post_once(
    client: httpx.AsyncClient, url: str, *, body: bytes, headers: dict[str, str], timeout: float
) -> _Attempt:
    # One POST; whatever the receiver or the network does becomes an outcome, not an exception.
    try:
        # httpx's timeout bounds each phase; asyncio.timeout bounds the whole exchange, so a
        # receiver that trickles its answer cannot hold the job.
        async with asyncio.timeout(timeout):
            response = await client.post(url, content=body, headers=headers, timeout=timeout, follow_redirects=False)
    except PrivateAddressRefused:
        return _Attempt(ok=False, error=(
            "refused: the host is a loopback, private or link-local address "
            "(set ACTIONTRACK_WEBHOOK_ALLOW_PRIVATE=true for a chat server inside your network)"))
    except (TimeoutError, httpx.TimeoutException):
        return _Attempt(ok=False, error=f"timed out after {timeout:g} s", retryable=True)
    except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        return _Attempt(ok=False, error=f"connection failed: {str(exc) or type(exc).__name__}", retryable=True)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return _Attempt(ok=False, error=f"request failed: {str(exc) or type(exc).__name__}")
    if response.is_success:
        return _Attempt(ok=True)
    if response.is_redirect or 300 <= response.status_code < 400:
        return _Attempt(ok=False, error=_redirect_error(response))
    return _Attempt(ok=False, error=_status_error(response), retryable=response.status_code in RETRYABLE_STATUSES)


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
    problem = url_problem(webhook.url)
    if problem:
        return SendResult(ok=False, attempts=0, error=problem)
    body, headers = build_request(webhook, message)
    attempt = 0
    while True:
        attempt += 1
        outcome = await _post_once(client, webhook.url, body=body, headers=headers, timeout=timeout)
        if outcome.ok:
            return SendResult(ok=True, attempts=attempt)
        if not outcome.retryable or attempt > retries:
            return SendResult(ok=False, attempts=attempt, error=short_error(outcome.error, webhook),
                              retryable=outcome.retryable)
        await sleep(backoff * 2 ** (attempt - 1))


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
