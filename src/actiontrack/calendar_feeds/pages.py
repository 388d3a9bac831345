"""The calendar pages: HR, leadership and owners make or revoke a feed; calendar apps fetch it by its token.

A feed's URL carries a secret token; like API tokens it is shown once and stored only as its
SHA-256. Owners get their own open actions ("own"); HR and leadership, who follow every action,
may also have every open deadline ("all"). Calendar apps fetch the feed without a session.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.auth.roles import signed_in
from actiontrack.calendar_feeds.ical import REFRESH, build_calendar, etag_of
from actiontrack.calendar_feeds.queries import active_feeds, create_feed, feed_actions, feed_by_token, revoke_feed
from actiontrack.calendar_feeds.rules import OWN, SCOPE_LABELS, mark_used, may_have, scopes_for
from actiontrack.i18n import gettext as _
from actiontrack.i18n import set_language
from actiontrack.models import User
from actiontrack.settings import Settings
from actiontrack.web import NO_STORE, FormBody, redirect_to

SUFFIX = ".ics"
FEED_HEADERS = {
    "Cache-Control": f"private, max-age={int(REFRESH.total_seconds())}",
    # The token is in the URL: never let it travel on in a Referer header.
    "Referrer-Policy": "no-referrer",
}
FEED_PATH = re.compile(r"^/calendar/[^/?]+\.ics")


class HideFeedTokens(logging.Filter):
    """Keeps the secret of a feed URL out of the server's access log (uvicorn logs each path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = (*record.args[:2], FEED_PATH.sub("/calendar/<token>.ics", record.args[2]), *record.args[3:])
        return True


def base_url(request: Request, settings: Settings) -> str:
    """Where feed URLs and links point: ACTIONTRACK_BASE_URL when set, else the address of this request.

    The setting's default is a development placeholder; a server without it configured still
    knows the address it was reached at.
    """
    if "base_url" in settings.model_fields_set:
        return settings.base_url.rstrip("/")
    return str(request.base_url).rstrip("/")


# --- routes -----------------------------------------------------------------------------------


@dataclass
class FeedForm:
    scope: str = OWN


async def _page(
    session: AsyncSession, *, user: User, error: str | None = None, status_code: int = 200
) -> Template:
    context = {"feeds": await active_feeds(session, user=user), "scopes": scopes_for(user),
               "scope_labels": SCOPE_LABELS, "error": error}
    return Template("calendar/index.html", context=context, status_code=status_code)


@get("/calendar", name="calendar", guards=[signed_in], include_in_schema=False)
async def calendar_page(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    return await _page(db, user=request.user)


@post("/calendar/feeds", name="calendar.create", guards=[signed_in], include_in_schema=False)
async def create_calendar_feed(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    data: FormBody[FeedForm],
) -> Template:
    """A new feed (replacing the earlier one of its scope); its URL is shown in this answer only."""
    user: User = request.user
    if data.scope not in SCOPE_LABELS:
        return await _page(db, user=user, error=_("Choose which deadlines the calendar shows."), status_code=400)
    if not may_have(user, scope=data.scope):
        raise PermissionDeniedException(_("Only HR and leadership can subscribe to all deadlines."))
    feed, token = await create_feed(db, user=user, scope=data.scope, request=request)
    url = base_url(request, settings) + request.app.route_reverse("calendar.feed", filename=f"{token}{SUFFIX}")
    context = {"feed": feed, "url": url, "webcal_url": "webcal://" + url.split("://", 1)[1],
               "scope_labels": SCOPE_LABELS}
    return Template("calendar/created.html", context=context, headers=NO_STORE)


@post("/calendar/feeds/{feed_id:int}/revoke", name="calendar.revoke", guards=[signed_in], include_in_schema=False)
async def revoke_calendar_feed(request: Request, db: NamedDependency[AsyncSession], feed_id: FromPath[int]) -> Redirect:
    await revoke_feed(db, user=request.user, feed_id=feed_id, request=request)
    return redirect_to(request, "calendar")


def _feed_not_found() -> Response:
    # One answer for an unknown, revoked or malformed token and an inactive holder: no hints.
    return Response("Not found\n", status_code=404, media_type="text/plain",
                    headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


@get("/calendar/{filename:str}", name="calendar.feed", include_in_schema=False)
async def calendar_feed(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings], filename: FromPath[str]
) -> Response:
    """The .ics document a calendar app subscribes to (the path is /calendar/{token}.ics)."""
    token = filename.removesuffix(SUFFIX)
    if not filename.endswith(SUFFIX) or not token or len(token) > 128:
        return _feed_not_found()
    found = await feed_by_token(db, token=token)
    if found is None:
        return _feed_not_found()
    feed, holder = found
    mark_used(feed, now=clock.utcnow())
    set_language(holder.language)
    rows = await feed_actions(db, feed=feed)
    base = base_url(request, settings)
    body = build_calendar(
        rows=rows, scope=feed.scope, today=clock.today(),
        action_url=lambda action_id: base + request.app.route_reverse("actions.detail", action_id=action_id))
    etag = etag_of(body)
    headers = {**FEED_HEADERS, "ETag": etag}
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(b"", status_code=304, headers=headers)
    return Response(body, media_type="text/calendar", headers=headers)


routes = [calendar_page, create_calendar_feed, revoke_calendar_feed, calendar_feed]
