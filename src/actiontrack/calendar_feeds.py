"""Calendar feeds: a private iCalendar (.ics) URL with open deadlines, for Outlook or Google Calendar.

A feed's URL carries a secret token; like API tokens it is shown once and stored only as its
SHA-256. Owners get their own open actions ("own"); HR and leadership, who follow every action,
may also have every open deadline ("all"). Calendar apps fetch the feed without a session.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated

from icalendar import Alarm, Calendar, Event
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.actions.rules import OPEN_STATUSES, STATUS_LABELS, is_overdue
from actiontrack.auth.roles import signed_in
from actiontrack.auth.tokens import new_secret, token_digest
from actiontrack.i18n import N_, current_language, format_date, format_share, set_language
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionItem, CalendarFeed, Role, User
from actiontrack.params import is_id, one_line
from actiontrack.settings import Settings
from actiontrack.web import NO_STORE, redirect_to

OWN = "own"
ALL = "all"
SCOPE_LABELS = {OWN: N_("My deadlines"), ALL: N_("All deadlines")}
# HR and leadership read every action, so they may carry every deadline in their calendar.
ALL_DEADLINES_ROLES = frozenset({Role.HR.value, Role.LEADERSHIP.value})
ENTITY = "calendar_feed"
SUFFIX = ".ics"
# Calendar apps poll; an hour is what Outlook and Google do at best anyway.
REFRESH = timedelta(hours=1)
# Marking a feed as used once an hour is precise enough and spares a write on nearly every fetch.
LAST_USED_PRECISION = timedelta(hours=1)
FEED_HEADERS = {
    "Cache-Control": f"private, max-age={int(REFRESH.total_seconds())}",
    # The token is in the URL: never let it travel on in a Referer header.
    "Referrer-Policy": "no-referrer",
}


logger = logging.getLogger("actiontrack.calendar")
FEED_PATH = re.compile(r"^/calendar/[^/?]+\.ics")


class HideFeedTokens(logging.Filter):
    """Keeps the secret of a feed URL out of the server's access log (uvicorn logs each path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = (*record.args[:2], FEED_PATH.sub("/calendar/<token>.ics", record.args[2]), *record.args[3:])
        return True


# --- rules ------------------------------------------------------------------------------------


def scopes_for(user: User) -> list[str]:
    """The feeds a user may have: everyone their own deadlines, HR and leadership also all of them."""
    return [OWN, ALL] if user.role in ALL_DEADLINES_ROLES else [OWN]


def may_have(user: User, *, scope: str) -> bool:
    return scope in scopes_for(user)


def base_url(request: Request, settings: Settings) -> str:
    """Where feed URLs and links point: ACTIONTRACK_BASE_URL when set, else the address of this request.

    The setting's default is a development placeholder; a server without it configured still
    knows the address it was reached at.
    """
    if "base_url" in settings.model_fields_set:
        return settings.base_url.rstrip("/")
    return str(request.base_url).rstrip("/")


# --- feeds: queries and changes ---------------------------------------------------------------


async def active_feeds(session: AsyncSession, *, user: User) -> dict[str, list[CalendarFeed]]:
    """The user's unrevoked feeds by scope (normally one each), newest first."""
    feeds = (
        await session.execute(
            select(CalendarFeed)
            .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
            .order_by(CalendarFeed.created_at.desc(), CalendarFeed.id.desc())
        )
    ).scalars().all()
    by_scope: dict[str, list[CalendarFeed]] = {}
    for feed in feeds:
        by_scope.setdefault(feed.scope, []).append(feed)
    return by_scope


async def create_feed(
    session: AsyncSession, *, user: User, scope: str, request: Request | None = None
) -> tuple[CalendarFeed, str]:
    """A new feed and its token (shown once); it replaces the user's earlier feed of the same scope."""
    now = clock.utcnow()
    replaced = (
        await session.execute(
            update(CalendarFeed)
            .where(CalendarFeed.user_id == user.id, CalendarFeed.scope == scope, CalendarFeed.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(CalendarFeed.id)
        )
    ).scalars().all()
    for feed_id in replaced:
        audit.record(session, actor=user, verb="revoke", entity=ENTITY, entity_id=feed_id,
                     changes={"reason": "replaced"}, request=request)
    token, digest = new_secret()
    feed = CalendarFeed(user_id=user.id, scope=scope, token_hash=digest, created_at=now)
    session.add(feed)
    await session.flush()
    changes: dict[str, object] = {"scope": scope}
    if replaced:
        changes["replaces"] = sorted(replaced)
    audit.record(session, actor=user, verb="create", entity=ENTITY, entity_id=feed.id, changes=changes,
                 request=request)
    return feed, token


async def revoke_feed(session: AsyncSession, *, user: User, feed_id: int, request: Request | None = None) -> None:
    """Revokes one of the user's own feeds; someone else's feed is as unknown as a missing one."""
    feed = await session.get(CalendarFeed, feed_id) if is_id(feed_id) else None
    if feed is None or feed.user_id != user.id:
        raise NotFoundException()
    if feed.revoked_at is None:
        feed.revoked_at = clock.utcnow()
        audit.record(session, actor=user, verb="revoke", entity=ENTITY, entity_id=feed.id,
                     changes={"scope": feed.scope}, request=request)


async def feed_by_token(session: AsyncSession, *, token: str) -> tuple[CalendarFeed, User] | None:
    """The live feed of a token with its (active) user, or None for anything else."""
    row = (
        await session.execute(
            select(CalendarFeed, User)
            .join(User, User.id == CalendarFeed.user_id)
            .where(CalendarFeed.token_hash == token_digest(token), CalendarFeed.revoked_at.is_(None), User.active)
        )
    ).first()
    if row is None:
        return None
    feed, user = row
    # A feed of all deadlines stops working when its holder no longer has a role that reads them.
    if not may_have(user, scope=feed.scope):
        return None
    return feed, user


def mark_used(feed: CalendarFeed, *, now: datetime) -> None:
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_PRECISION:
        feed.last_used_at = now


async def feed_actions(session: AsyncSession, *, feed: CalendarFeed) -> list[tuple[ActionItem, str]]:
    """The open actions a feed shows, with their owner's name, by deadline."""
    query = (
        select(ActionItem, User.display_name)
        .join(User, User.id == ActionItem.owner_id)
        .where(ActionItem.status.in_([status.value for status in OPEN_STATUSES]))
        .order_by(ActionItem.deadline, ActionItem.id)
    )
    if feed.scope != ALL:
        query = query.where(ActionItem.owner_id == feed.user_id)
    return [(action, owner) for action, owner in (await session.execute(query)).all()]


# --- the iCalendar document --------------------------------------------------------------------


def action_uid(action: ActionItem) -> str:
    return f"action-{action.id}@actiontrack"


def build_calendar(*, rows: list[tuple[ActionItem, str]], scope: str, action_url: Callable[[int], str],
                   today: date) -> bytes:
    """The feed as RFC 5545 text, in the current language (the feed holder's)."""
    calendar = Calendar()
    name = _("actiontrack: all deadlines") if scope == ALL else _("actiontrack: my deadlines")
    calendar.add("prodid", "-//actiontrack//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # The older spelling of the same hint, which Outlook reads.
    calendar.add("x-published-ttl", "PT1H")
    for action, owner_name in rows:
        try:
            event = _event(action, owner_name=owner_name, show_owner=scope == ALL, action_url=action_url,
                           today=today)
            event.to_ical()  # fails here, for this action alone, rather than for the whole feed
        except Exception:  # one odd row must not empty everyone's calendar
            logger.exception("calendar feed: action %s skipped, it cannot be written as an event", action.id)
            continue
        calendar.add_component(event)
    return calendar.to_ical()


def _event(action: ActionItem, *, owner_name: str, show_owner: bool, action_url: Callable[[int], str],
           today: date) -> Event:
    link = action_url(action.id)
    # RFC 5545 text allows no control characters; the summary is one line.
    # The holder's language, else another one, tagged with RFC 5545's LANGUAGE parameter.
    shown = action.title_in()
    language = {"LANGUAGE": shown.lang} if shown.differs_from(current_language()) else None
    title = one_line(shown.text)
    if is_overdue(action, today=today):
        title = _("%(label)s: %(title)s") % {"label": _("Overdue"), "title": title}
    lines = [
        _("Status: %(status)s") % {"status": _(STATUS_LABELS[action.status])},
        _("Progress: %(progress)s") % {"progress": format_share(action.progress / 100)},
        _("Deadline: %(date)s") % {"date": format_date(action.deadline)},
    ]
    if show_owner:
        lines.append(_("Owner: %(name)s") % {"name": one_line(owner_name)})
    lines.append(link)
    event = Event()
    event.add("uid", action_uid(action))
    # The last change of the action, not the time of the fetch: an unchanged feed stays byte for
    # byte the same, which lets calendar apps revalidate it with the ETag.
    event.add("dtstamp", action.updated_at)
    event.add("last-modified", action.updated_at)
    event.add("sequence", action.version)
    event.add("dtstart", action.deadline)
    if action.deadline < date.max:  # without DTEND an all-day event lasts its one day anyway
        event.add("dtend", action.deadline + timedelta(days=1))
    event.add("summary", title, parameters=language)
    event.add("description", "\n".join(lines))
    event.add("url", link)
    # A deadline is a reminder, not a meeting: it must not make the day look busy.
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    return event


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


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
    data: Annotated[FeedForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
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
