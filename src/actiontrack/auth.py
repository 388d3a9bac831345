"""Sign-in, sessions, throttling and role guards."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar import Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.i18n import gettext as _
from actiontrack.i18n import N_, ngettext, parse_accept_language, set_language
from actiontrack.clock import utcnow
from actiontrack.models import ApiToken, LoginFailure, Role, User
from actiontrack.settings import LANGUAGES, Settings

_hasher = PasswordHasher()
# Verified when the email is unknown, so a wrong email costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("actiontrack-timing-equaliser")


ROLE_LABELS = {Role.HR.value: N_("HR"), Role.LEADERSHIP.value: N_("Leadership"), Role.OWNER.value: N_("Action owner")}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- who is signed in -------------------------------------------------------------------------


class CurrentUserMiddleware(ASGIMiddleware):
    """Puts the signed-in user (or None) on the request and picks the request's language."""

    scopes = (ScopeType.HTTP,)
    # Assets need no user: no database round trip for them.
    should_bypass_for_scope = staticmethod(lambda scope: scope["path"].startswith(("/static/", "/vendor/")))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        state: State = scope["litestar_app"].state
        settings: Settings = state.settings
        session = scope.get("session") or {}
        request: Request = Request(scope)
        user = None
        issued_at = session.get("iat", 0) if isinstance(session, dict) else 0
        if scope["path"].startswith(API_PREFIX):
            # The API knows only bearer tokens, never the session cookie: that is what makes it
            # safe to leave the API out of CSRF protection (see app.py).
            async with state.sessionmaker() as db, db.begin():
                user = await api_token_user(db, authorization=request.headers.get("authorization"))
        elif session and "uid" in session and time.time() - issued_at < settings.session_max_age:
            async with state.sessionmaker() as db:
                user = await db.get(User, session["uid"])
            if user is not None and not user.active:
                user = None
        scope["user"] = user
        set_language(pick_language(request, user, settings))
        await next_app(scope, receive, send)


API_PREFIX = "/api/"


def token_digest(token: str) -> str:
    """How one-time links and API tokens are stored: only their SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


async def api_token_user(session: AsyncSession, *, authorization: str | None) -> User | None:
    """The active user of a valid, unrevoked `Authorization: Bearer` API token, which is marked as used."""
    scheme, _space, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = (
        await session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == token_digest(token.strip()), ApiToken.revoked_at.is_(None), User.active)
        )
    ).first()
    if row is None:
        return None
    token_row, user = row
    now = utcnow()
    # "Last used" needs no more precision than a minute; sparing the write spares a lock per call.
    if token_row.last_used_at is None or now - token_row.last_used_at > timedelta(minutes=1):
        token_row.last_used_at = now
    return user


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


def requires(*roles: Role) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    """A guard letting signed-in users with one of these roles through."""
    allowed = {role.value for role in roles}

    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:  # noqa: ARG001
        user = connection.user
        if user is None:
            raise NotAuthorizedException(_("Please sign in."))
        if user.role not in allowed:
            raise PermissionDeniedException(_("Your role does not give access to this page."))

    return guard


signed_in = requires(Role.HR, Role.LEADERSHIP, Role.OWNER)


# --- throttling -------------------------------------------------------------------------------


async def sign_in_blocked_for(
    session: AsyncSession, *, email: str, ip: str, settings: Settings
) -> timedelta | None:
    """How long until this email or address may try again, or None when it may try now."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    # Per address the limit is higher: many colleagues may share one office NAT.
    counts = (
        await session.execute(
            select(
                func.count().filter(LoginFailure.email == email),
                func.count().filter(LoginFailure.ip == ip),
                func.min(LoginFailure.created_at),
            ).where(LoginFailure.created_at >= since, or_(LoginFailure.email == email, LoginFailure.ip == ip))
        )
    ).one()
    by_email, by_ip, oldest = counts
    if by_email < settings.login_max_failures and by_ip < settings.login_max_failures * 4:
        return None
    return max(timedelta(minutes=1), oldest + timedelta(minutes=settings.login_window_minutes) - utcnow())


async def record_failure(session: AsyncSession, *, email: str, ip: str) -> None:
    session.add(LoginFailure(email=email, ip=ip))
    await session.execute(delete(LoginFailure).where(LoginFailure.created_at < utcnow() - timedelta(days=1)))


# --- routes -----------------------------------------------------------------------------------


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    next: str = "/"


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the login page cannot send anyone to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@get("/login", name="login", sync_to_thread=False)
def login_page(request: Request, next: FromQuery[str] = "/") -> Template | Redirect:
    if request.user is not None:
        return Redirect(safe_next(next))
    return Template("auth/login.html", context={"email": "", "next": safe_next(next), "error": None})


@post("/login", name="login.submit")
async def login_submit(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    settings: Settings = request.app.state.settings
    email = normalise_email(data.email)[:254]
    ip = audit.client_ip(request)
    context: dict[str, Any] = {"email": email, "next": safe_next(data.next)}

    wait = await sign_in_blocked_for(db, email=email, ip=ip, settings=settings)
    if wait is not None:
        minutes = max(1, round(wait.total_seconds() / 60))
        context["error"] = ngettext(
            "Too many failed sign-ins. Try again in %(num)d minute.",
            "Too many failed sign-ins. Try again in %(num)d minutes.",
            minutes,
        ) % {"num": minutes}
        return Template("auth/login.html", context=context, status_code=429)

    user = (await db.execute(select(User).where(User.email == email))).scalar_one_or_none()
    password_hash = user.password_hash if user and user.active else None
    # argon2 is deliberately slow: keep it off the event loop.
    valid = await anyio.to_thread.run_sync(verify_password, password_hash, data.password[:1024])
    if not valid:
        await record_failure(db, email=email, ip=ip)
        context["error"] = _("Email or password is not correct.")
        return Template("auth/login.html", context=context, status_code=400)

    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(data.password)
    await db.execute(delete(LoginFailure).where(LoginFailure.email == email))
    audit.record(db, actor=user, verb="sign_in", entity="user", entity_id=user.id, request=request)
    request.clear_session()
    request.set_session({"uid": user.id, "iat": int(time.time())})
    return Redirect(context["next"], status_code=303)


@post("/logout", name="logout", guards=[signed_in])
async def logout(request: Request, db: NamedDependency[AsyncSession]) -> Redirect:
    audit.record(db, actor=request.user, verb="sign_out", entity="user", entity_id=request.user.id, request=request)
    request.clear_session()
    return Redirect("/login", status_code=303)


@dataclass
class LanguageForm:
    lang: str = ""
    next: str = "/"


@post("/language", name="language")
async def switch_language(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[LanguageForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response:
    """The language switcher: a cookie for everyone, and the profile of a signed-in user."""
    if data.lang not in LANGUAGES:
        return Response({"detail": _("Unknown language.")}, status_code=400)
    user: User | None = request.user
    if user is not None and user.language != data.lang:
        audit.record(
            db, actor=user, verb="update", entity="user", entity_id=user.id,
            changes={"language": [user.language, data.lang]}, request=request,
        )
        await db.execute(update(User).where(User.id == user.id).values(language=data.lang))
    response = Redirect(safe_next(data.next), status_code=303)
    settings: Settings = request.app.state.settings
    response.set_cookie(
        "lang", data.lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response


routes = [login_page, login_submit, logout, switch_language]
