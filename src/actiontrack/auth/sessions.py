"""Who is signed in: the session cookie and its generation, the current user and the request's language.

A session ends everywhere at once when its user's `session_generation` moves on (sign-out, new
password, role change, deactivation).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack.auth.tokens import API_PREFIX, api_token_user
from actiontrack.clock import utcnow
from actiontrack.i18n import parse_accept_language, set_language
from actiontrack.models import User
from actiontrack.settings import LANGUAGES, Settings


class CurrentUserMiddleware(ASGIMiddleware):
    """Puts the signed-in user (or None) on the request and picks the request's language."""

    scopes = (ScopeType.HTTP,)
    # Assets need no user: no database round trip for them.
    should_bypass_for_scope = staticmethod(lambda scope: scope["path"].startswith(("/static/", "/vendor/")))

    def __init__(self, settings: Settings, *, sessions: Callable[[], async_sessionmaker[AsyncSession]]) -> None:
        self.settings = settings
        self.sessions = sessions  # the app's sessionmaker, from app.py (a test's app moves to another database)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        settings = self.settings
        session = scope.get("session") or {}
        request: Request = Request(scope)
        user = None
        issued_at = session.get("iat", 0) if isinstance(session, dict) else 0
        if scope["path"].startswith(API_PREFIX):
            # The API knows only bearer tokens, never the session cookie: that is what makes it
            # safe to leave the API out of CSRF protection (see app.py).
            async with self.sessions()() as db, db.begin():
                user = await api_token_user(db, authorization=request.headers.get("authorization"))
        elif session and "uid" in session and time.time() - issued_at < settings.session_max_age:
            async with self.sessions()() as db:
                user = await db.get(User, session["uid"])
            # A session ends when its user's generation moved on (sign-out, new password, role change,
            # deactivation): checked here, on every worker, with the lookup that happens anyway.
            if user is not None and (not user.active or session.get("gen") != user.session_generation):
                user = None
        scope["user"] = user
        set_language(pick_language(request, user, settings))
        await next_app(scope, receive, send)


def pick_language(request: Request, user: User | None, settings: Settings) -> str:
    """An explicit ?lang=, else the user's profile, the switcher's cookie, the browser, the default."""
    for candidate in (
        request.query_params.get("lang"),
        user.language if user else None,
        request.cookies.get("lang"),
        parse_accept_language(request.headers.get("accept-language")),
    ):
        if candidate in LANGUAGES:
            return candidate
    return settings.default_language


def start_session(request: Request, user: User) -> None:
    """Sign the user in on this browser: a new cookie carrying the user's current session generation."""
    user.last_sign_in_at = utcnow()
    request.clear_session()
    request.set_session({"uid": user.id, "gen": user.session_generation, "iat": int(time.time())})


async def end_sessions(session: AsyncSession, *, user: User) -> None:
    """End every session of the user, on every device and worker, from the next request on.

    The increment happens in SQL, so two changes at once both count; `user` gets the new generation,
    which `start_session` puts in a cookie that stays valid.
    """
    generation = (
        await session.execute(
            update(User).where(User.id == user.id)
            .values(session_generation=User.session_generation + 1)
            .returning(User.session_generation)
            .execution_options(synchronize_session=False)
        )
    ).scalar_one()
    user.session_generation = generation
