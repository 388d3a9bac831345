"""What lets /changes answer a crowd cheaply: HTTP validators and the new-visitor replay.

VALIDATOR_QUERY states the public data in one row; every request asks it (shared between the requests
of a burst by SharedValidatorQuery), answers 304 when the reader's copy is current, and otherwise
looks up the rendered content under the data's version in the worker's memo (caching.py, piece
"changes"). NewVisitorReplay, installed by app.py, replays a whole recorded page, kept in the same
memo ("new_visitors"), to visitors without any cookie.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from time import monotonic
from typing import Any

from litestar import Request
from litestar.datastructures import Headers
from litestar.middleware.csrf import generate_csrf_token
from litestar.types import ASGIApp, Message, Receive, Send
from litestar.types import Scope as ASGIScope
from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from actiontrack.caching import Memo
from actiontrack.changes.queries import visible
from actiontrack.models import ActionItem, Department, JobFamily, ReportingChoice, ReportingPeriod, Theme


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime | None
    # The state of the public data alone: the same for every visitor and in every worker.
    version: str = ""


def _names(table: Any, *columns: Any) -> Any:
    """Every row of a small naming table as one string, so a renamed theme or department changes it."""
    joined = cast(table.id, String)
    for column in columns:
        joined = joined + "\x1f" + cast(column, String)
    return select(func.aggregate_strings(joined, "\x1e")).scalar_subquery()


# Built once: constructing this statement costs more than running it on a small database.
VALIDATOR_QUERY = select(
    func.max(ActionItem.updated_at),
    # Every change through the app bumps an action's version, even within one clock tick.
    func.coalesce(func.sum(ActionItem.version), 0),
    func.count(ActionItem.id).filter(visible()),
    func.coalesce(func.sum(ActionItem.id).filter(visible()), 0),
    func.max(ActionItem.published_at),
    _names(Theme, Theme.code, Theme.name_nl, Theme.name_fr, Theme.name_en, Theme.position, Theme.active),
    _names(Department, Department.name, Department.name_nl, Department.name_fr, Department.name_en,
           Department.active),
    _names(JobFamily, JobFamily.name, JobFamily.name_nl, JobFamily.name_fr, JobFamily.name_en),
    # A newly released period changes the evidence shown, and so does HR's choice of period length.
    select(func.max(ReportingPeriod.id)).scalar_subquery(),
    select(ReportingChoice.length).where(ReportingChoice.id == 1).scalar_subquery(),
)


def validator(row: Sequence[Any], *, key: str) -> Validator:
    """The validators of a page from the VALIDATOR_QUERY row and what else the answer depends on."""
    latest, last_published = row[0], row[4]
    stamps = [stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp for stamp in (latest, last_published)
              if stamp]
    last_modified = max(stamps) if stamps else None
    version = hashlib.sha256("|".join(map(str, row)).encode()).hexdigest()[:32]
    digest = hashlib.sha256(f"{version}|{key}".encode()).hexdigest()[:32]
    return Validator(etag=f'"{digest}"', last_modified=last_modified, version=version)


class SharedValidatorQuery:
    """Runs VALIDATOR_QUERY once for all the requests that arrive while the previous run is under way.

    In a burst, a worker then asks the database about once per query time instead of once per
    request. A request only ever shares a run that starts after it arrived, so it still sees every
    change committed before it came in, whichever worker made it, unless `max_age` is set: then an
    answer younger than `max_age` seconds is reused as is (ACTIONTRACK_CHANGES_MAX_STALE_SECONDS),
    so a change made on another worker shows at most that long after it was committed.
    """

    def __init__(self, engine: AsyncEngine, *, max_age: float = 0.0, clock: Callable[[], float] = monotonic) -> None:
        self.engine = engine
        self.max_age, self.clock = max_age, clock
        self.waiting: asyncio.Future[Sequence[Any]] | None = None
        self.runner: asyncio.Task[None] | None = None
        self.latest: tuple[float, Sequence[Any]] | None = None

    async def row(self) -> Sequence[Any]:
        """The VALIDATOR_QUERY row, from a run that started after this call (or a young enough one)."""
        if self.latest is not None and self.clock() - self.latest[0] < self.max_age:
            return self.latest[1]
        if self.waiting is None:
            self.waiting = asyncio.get_running_loop().create_future()
        waiting = self.waiting
        if self.runner is None or self.runner.done():
            self.runner = asyncio.create_task(self._run())
        # Shielded: a visitor who goes away must not cancel the answer of the others.
        return await asyncio.shield(waiting)

    async def _run(self) -> None:
        while self.waiting is not None:
            answer, self.waiting = self.waiting, None
            started = self.clock()
            try:
                async with self.engine.connect() as connection:
                    row = (await connection.execute(VALIDATOR_QUERY)).one()
                self.latest = (started, row)
                answer.set_result(row)
            except Exception as exc:
                if not answer.done():
                    answer.set_exception(exc)


VALIDATOR_ROW = "actiontrack.changes.validator_row"  # in the ASGI scope, when NewVisitorReplay already asked


# --- HTTP caching -----------------------------------------------------------------------------


def is_fresh(request: Request, found: Validator) -> bool:
    """True when the client's copy is still current (If-None-Match first, as RFC 9110 says)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or found.etag in tags
    since = request.headers.get("if-modified-since")
    if since and found.last_modified is not None:
        try:
            return found.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def caching_headers(found: Validator) -> dict[str, str]:
    """The validators and caching rules every /changes answer carries, 200 or 304."""
    headers = {"ETag": found.etag, "Cache-Control": "private, no-cache", "Vary": "HX-Request, Cookie, Accept-Language"}
    if found.last_modified is not None:
        headers["Last-Modified"] = format_datetime(found.last_modified.astimezone(UTC), usegmt=True)
    return headers


# --- the new-visitor replay (kept in the worker's memo) ---------------------------------------


@dataclass(frozen=True)
class RecordedPage:
    """A whole /changes response as sent to one new visitor, and the CSRF token it carried."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    token: bytes

    def for_visitor(self, token: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """The recorded headers and body, carrying `token` instead of the recorded one."""
        body = self.body.replace(self.token, token)
        headers = [(name, str(len(body)).encode() if name == b"content-length" else value.replace(self.token, token))
                   for name, value in self.headers]
        return headers, body


class NewVisitorReplay:
    """ASGI middleware: /changes for visitors without any cookie, replayed from a recorded response.

    An all-staff email brings thousands of new visitors in minutes. Their pages differ only by the
    CSRF token of the language switcher (the token is also their new cookie), so the first such
    response for a query string, Accept-Language and data version is recorded whole as it leaves
    the app (every header included), and later visitors get a copy carrying a token of their own,
    without the app's middleware, routing, dependencies and templates. Anyone with a cookie (signed
    in, or coming back), HTMX requests and conditional requests take the normal way.
    """

    def __init__(self, app: ASGIApp, *, memo: Callable[[], Memo], validator: Callable[[], SharedValidatorQuery],
                 public: bool) -> None:
        self.app = app
        # The app's, from app.py (a test's app moves to another database).
        self.memo, self.validator = memo, validator
        self.public = public

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        memo = self.memo()
        row = await self.validator().row()
        version = validator(row, key="").version
        # Read as the app reads them (the first of repeated headers), so a request cannot file a
        # page in one language under another language's key.
        headers = Headers.from_scope(scope)
        key = ("new visitor", scope["query_string"].decode("latin-1"), headers.get("accept-language", ""),
               headers.get("host", ""))
        recorded = memo.get("new_visitors", version, key)
        if isinstance(recorded, RecordedPage):
            csrf_secret = scope["litestar_app"].csrf_config.secret
            page_headers, body = recorded.for_visitor(generate_csrf_token(secret=csrf_secret).encode())
            await send({"type": "http.response.start", "status": recorded.status, "headers": page_headers})
            await send({"type": "http.response.body", "body": body})
            return
        messages: list[Message] = []

        async def record(message: Message) -> None:
            messages.append(message)
            await send(message)

        scope[VALIDATOR_ROW] = row  # type: ignore[typeddict-unknown-key] # the page need not ask again
        await self.app(scope, receive, record)
        page = self._recorded(messages, cookie=scope["litestar_app"].csrf_config.cookie_name.encode())
        if page is not None:
            memo.put("new_visitors", version, key, page)

    def _applies(self, scope: ASGIScope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/changes":
            return False
        if not self.public:
            return False
        names = {name for name, _value in scope["headers"]}
        return not names & {b"cookie", b"authorization", b"hx-request", b"if-none-match", b"if-modified-since"}

    @staticmethod
    def _recorded(messages: list[Message], *, cookie: bytes) -> RecordedPage | None:
        """The response, if it is a complete 200 page that set a new CSRF cookie (and nothing else)."""
        if not messages or messages[0]["type"] != "http.response.start" or messages[0]["status"] != 200:
            return None
        cookies = [value for name, value in messages[0]["headers"] if name.lower() == b"set-cookie"]
        if len(cookies) != 1 or not cookies[0].startswith(cookie + b"="):
            return None
        token = cookies[0].split(b";", 1)[0].removeprefix(cookie + b"=")
        body = b"".join(message.get("body", b"") for message in messages[1:])
        if len(token) < 32 or messages[-1].get("more_body"):
            return None
        headers = [(name.lower(), value) for name, value in messages[0]["headers"]]
        return RecordedPage(status=200, headers=headers, body=body, token=token)

