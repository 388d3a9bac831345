"""How every request is served: an id, one log line, an unexpected error logged once, common headers.

`RequestLog` wraps the whole app (routes, static files, the router's own 404s). It gives each
request an id (or keeps a sane one a proxy sent in `X-Request-ID`), answers with it in the same
header, and writes one line per request with client address (none for survey pages and static files),
method, path, status and duration. Any log line written while a request runs carries the same id, so
the traceback of an error, logged once by `unexpected_error`, is found from the id that the 500 page
and JSON body show.

Tokens never reach the log: the secret parts of feed, survey and invitation URLs, any other path
segment that looks like a token, and query values named like secrets are masked.

It also sets what every answer needs, error pages and static files included: the security headers
(CSP, X-Frame-Options, nosniff, Referrer-Policy), `Cache-Control: no-store` unless a route chose its
own caching (pages show individual data; only static files and feeds may be kept), and HSTS whenever
cookies are Secure, which is when the app is served over HTTPS.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.response import Template
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from actiontrack.params import one_line

logger = logging.getLogger("actiontrack.errors")
access_logger = logging.getLogger("actiontrack.access")

REQUEST_ID_HEADER = "x-request-id"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_request_id: ContextVar[str] = ContextVar("request_id", default="-")

# Paths whose segment after the prefix is a secret, and any segment that looks like a random token.
# Masked by route, the whole segment whatever it holds ("…token)" too): every route that takes a token
# in its path is listed here (tests/test_account_emails.py checks the route table).
_SECRET_AFTER = re.compile(r"^/(calendar|survey|welcome|password/reset)/[^/]+")
_TOKEN_LIKE = re.compile(r"(?<=/)[A-Za-z0-9_-]{24,}(?=/|\.|$)")
_SECRET_QUERY_KEYS = frozenset({"token", "code", "state", "key", "secret", "password", "email", "next"})
# What browsers may keep: files that are the same for everyone.
STATIC_PREFIXES = ("/static/", "/vendor/")
# Requests whose line never carries the client's address: survey pages, answered anonymously, and the
# files every page loads, which are the same for everyone. A survey page's stylesheet, script and the
# browser's favicon follow it by a few milliseconds: with an address, they would name the leaver.
ANONYMOUS_PREFIXES = ("/survey/", "/survey-thanks", *STATIC_PREFIXES, "/favicon.ico")
HSTS = "max-age=31536000; includeSubDomains"
# On every answer, whatever made it: pages, redirects, error pages of any status, static files.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def current_request_id() -> str:
    """The id of the request being served ("-" outside one)."""
    return _request_id.get()


def masked_path(path: str, query: str = "") -> str:
    """The path (and query) as it may be logged: tokens replaced, no control characters."""
    shown = _SECRET_AFTER.sub(lambda match: f"/{match.group(1)}/<token>", path)
    shown = _TOKEN_LIKE.sub("<token>", shown)
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        shown += "?" + urlencode([(key, "<hidden>" if key.lower() in _SECRET_QUERY_KEYS else value)
                                  for key, value in pairs])
    return one_line(shown)[:500]


def wants_json(request: Request) -> bool:
    """Whether an error is answered as JSON (the API and JSON clients) rather than as a page."""
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def unexpected_error(request: Request, exc: Exception) -> Response:
    """A 500: the traceback logged once with the request's id, which the page or JSON body shows."""
    request_id = current_request_id()
    request.scope["state"]["error_logged"] = True
    logger.error("unexpected error in %s %s: %s", request.method,
                 masked_path(request.url.path, request.url.query or ""), type(exc).__name__, exc_info=exc,
                 extra={"request_id": request_id})
    if wants_json(request):
        return Response({"status_code": 500, "detail": "Internal Server Error", "request_id": request_id},
                        status_code=500)
    return Template("errors/error.html", context={"status_code": 500, "request_id": request_id}, status_code=500)


class RequestLog:
    """The outermost layer of the app: request id, access line, common headers."""

    def __init__(self, app: ASGIApp, *, hsts: bool, methods: Mapping[str, Iterable[str]] | None = None) -> None:
        self.app = app
        self.hsts = hsts
        # Every method of each route path. Litestar's own OPTIONS answer names only the methods of the
        # first handler of a path (GET /login, not POST /login, which is another handler).
        self.methods = {path: ", ".join(sorted(found)) for path, found in (methods or {}).items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = MutableScopeHeaders(scope).get(REQUEST_ID_HEADER) or ""
        request_id = sent if _SANE_REQUEST_ID.match(sent) else secrets.token_hex(8)
        context = _request_id.set(request_id)
        path: str = scope["path"]
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableScopeHeaders(message)
                headers[REQUEST_ID_HEADER] = request_id
                if "cache-control" not in headers and not path.startswith(STATIC_PREFIXES):
                    headers["cache-control"] = "no-store"
                if self.hsts:
                    headers["strict-transport-security"] = HSTS
                if scope["method"] == "OPTIONS" and "allow" in headers:
                    headers["allow"] = self.methods.get(scope.get("path_template", ""), headers["allow"])
                # A route that sets its own policy decides its framing (the careers embed names the
                # origins that may frame it): X-Frame-Options cannot name one, and DENY would win.
                own_policy = "content-security-policy" in headers
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers and not (own_policy and name == "x-frame-options"):
                        headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Only what escaped the app's own handlers (an error after the answer began) is logged here.
            if not scope.get("state", {}).get("error_logged"):
                logger.exception("unexpected error in %s %s", scope["method"], masked_path(path),
                                 extra={"request_id": request_id})
            raise
        finally:
            duration = (time.perf_counter() - started) * 1000
            query = scope.get("query_string", b"").decode("latin-1")
            # A leaver's address would tie an anonymous survey answer to a person: never logged with it.
            client = "-" if path.startswith(ANONYMOUS_PREFIXES) or not scope.get("client") else scope["client"][0]
            access_logger.info(
                "%s %s %s %d %.1fms", client, scope["method"], masked_path(path, query), status, duration,
                extra={"request_id": request_id, "client": client, "method": scope["method"],
                       "path": masked_path(path, query), "status": status, "duration_ms": round(duration, 1)},
            )
            _request_id.reset(context)


# --- log output ---------------------------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Gives every log record the id of the request it was written in."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    FIELDS = ("client", "method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update({name: getattr(record, name) for name in self.FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def configure_logging(log_format: str) -> None:
    """The app's log lines on standard error, as text or JSON (ACTIONTRACK_LOG_FORMAT); once per process."""
    root = logging.getLogger("actiontrack")
    if any(getattr(handler, "actiontrack", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.actiontrack = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False
