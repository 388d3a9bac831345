"""Sign-in, sessions, throttling and role guards."""

from __future__ import annotations

import hashlib
import secrets
import time
import unicodedata
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
from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.i18n import gettext as _
from actiontrack.i18n import N_, ngettext, parse_accept_language, set_language
from actiontrack.clock import utcnow
from actiontrack.models import ApiToken, LoginFailure, Role, User, column_limit
from actiontrack.settings import LANGUAGES, Settings

PASSWORD_HASHERS = {
    # argon2id with argon2-cffi's defaults (RFC 9106's low-memory choice): 64 MiB, 3 passes, 4 lanes.
    "standard": PasswordHasher(),
    # The test suite's: the same algorithm at its smallest cost, so thousands of sign-ins take
    # milliseconds. Never for real passwords (ACTIONTRACK_PASSWORD_HASH_COST).
    "test": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_hasher = PASSWORD_HASHERS["standard"]
# Verified when the email is unknown, so a wrong email costs as much time as a wrong password.
_DUMMY_HASHES = {cost: hasher.hash("actiontrack-timing-equaliser") for cost, hasher in PASSWORD_HASHERS.items()}
_DUMMY_HASH = _DUMMY_HASHES["standard"]


def use_password_hash_cost(cost: str) -> None:
    """Hash new passwords (and rehash weaker ones at sign-in) with this cost; the app sets it from its settings."""
    global _hasher, _DUMMY_HASH
    _hasher, _DUMMY_HASH = PASSWORD_HASHERS[cost], _DUMMY_HASHES[cost]


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
            # A session ends when its user's generation moved on (sign-out, new password, role change,
            # deactivation): checked here, on every worker, with the lookup that happens anyway.
            if user is not None and (not user.active or session.get("gen") != user.session_generation):
                user = None
        scope["user"] = user
        set_language(pick_language(request, user, settings))
        await next_app(scope, receive, send)


API_PREFIX = "/api/"


def token_digest(token: str) -> str:
    """How one-time links and API tokens are stored: only their SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> tuple[str, str]:
    """A random token (for a link, a feed or the API) and the digest that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


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


# --- sessions ---------------------------------------------------------------------------------


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


# --- argon2 under load ------------------------------------------------------------------------


class PasswordChecksBusy(Exception):
    """Every argon2 slot of this worker stayed busy for the whole wait."""


async def run_argon2(state: State, function: Callable[..., Any], *args: Any) -> Any:
    """Run a password hash or check in a thread, at most `password_checks_at_once` per worker.

    Each check takes about 64 MiB for a moment: without a bound, a flood of sign-ins takes the
    worker's memory and everyone's pages with it. Extra attempts wait briefly, then give up.
    """
    settings: Settings = state.settings
    limiter: anyio.CapacityLimiter | None = state.get("password_checks")
    if limiter is None:  # made on first use: a limiter belongs to the worker's event loop
        limiter = state.password_checks = anyio.CapacityLimiter(settings.password_checks_at_once)
    try:
        with anyio.fail_after(settings.password_check_wait_seconds):
            await limiter.acquire()
    except TimeoutError:
        raise PasswordChecksBusy from None
    try:
        return await anyio.to_thread.run_sync(function, *args)
    finally:
        limiter.release()


def password_sign_in_off_message(settings: Settings) -> str:
    return _("Passwords are not used here: sign in with %(provider)s.") % {"provider": settings.oidc_provider_name}


def busy_message() -> str:
    return _("Too many people are signing in at this moment. Try again in a few seconds.")


# --- throttling -------------------------------------------------------------------------------


async def _lock_sign_in_keys(session: AsyncSession, *keys: str) -> None:
    """Serialise attempts for the same email and address (PostgreSQL; SQLite has one writer at a time).

    Always taken in the same order (email, then address), so two attempts cannot wait for each other.
    """
    if session.bind.dialect.name != "postgresql":
        return
    for key in keys:
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": number})


async def claim_sign_in_attempt(
    sessionmaker: Callable[[], AsyncSession], *, email: str, ip: str, settings: Settings
) -> timedelta | None:
    """Count this attempt as a failure before the password is checked, or say how long to wait.

    Counting first, in a transaction of its own that commits at once, is what makes the limit hold
    when attempts arrive together: the sixth of thirty simultaneous attempts already sees five. A
    successful sign-in then clears the failures of its email.
    """
    async with sessionmaker() as session:
        await _lock_sign_in_keys(session, f"sign-in email {email}", f"sign-in ip {ip}")
        # Inserting first takes SQLite's write lock, so the count below sees every earlier attempt.
        session.add(LoginFailure(email=email, ip=ip))
        await session.flush()
        wait = await sign_in_blocked_for(session, email=email, ip=ip, settings=settings, including_this=True)
        if wait is not None:
            # A refused attempt is not counted: it did not try a password.
            await session.rollback()
            return wait
        await session.execute(delete(LoginFailure).where(LoginFailure.created_at < utcnow() - timedelta(days=1)))
        await session.commit()
    return None


async def sign_in_blocked_for(
    session: AsyncSession, *, email: str, ip: str, settings: Settings, including_this: bool = False
) -> timedelta | None:
    """How long until this email or address may try again, or None when it may try now.

    `including_this`: the attempt being decided is already among the counted rows.
    """
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
    if including_this:
        by_email, by_ip = by_email - 1, by_ip - 1
    if by_email < settings.login_max_failures and by_ip < settings.login_max_failures * 4:
        return None
    return max(timedelta(minutes=1), oldest + timedelta(minutes=settings.login_window_minutes) - utcnow())


# --- routes -----------------------------------------------------------------------------------


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    next: str = "/"


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the login page cannot send anyone to another site.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so "/\t/evil.com"
    and "/\\evil.com" would become "//evil.com", another host: no control characters, no spaces, no
    backslashes, and no scheme-relative "//".
    """
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(unicodedata.category(char)[0] in "CZ" for char in target):
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
    settings: NamedDependency[Settings],
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    email = normalise_email(data.email)[:column_limit(User, "email")]
    ip = audit.client_ip(request)
    context: dict[str, Any] = {"email": email, "next": safe_next(data.next)}
    if not settings.password_sign_in:
        # Nothing is counted or checked: passwords are not a way in at all.
        context["error"] = password_sign_in_off_message(settings)
        return Template("auth/login.html", context=context, status_code=403)

    wait = await claim_sign_in_attempt(request.app.state.sessionmaker, email=email, ip=ip, settings=settings)
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
    password = data.password[:1024]
    try:
        # argon2 is deliberately slow and large: off the event loop, a few at a time.
        valid = await run_argon2(request.app.state, verify_password, password_hash, password)
        if valid and _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = await run_argon2(request.app.state, hash_password, password)
    except PasswordChecksBusy:
        context["error"] = busy_message()
        # The claimed attempt stays counted: a flood must not get unlimited tries by being refused.
        return Template("auth/login.html", context=context, status_code=429, headers={"Retry-After": "5"})
    if not valid:
        # The attempt was counted as a failure when it was claimed.
        context["error"] = _("Email or password is not correct.")
        return Template("auth/login.html", context=context, status_code=400)

    await db.execute(delete(LoginFailure).where(LoginFailure.email == email))
    audit.record(db, actor=user, verb="sign_in", entity="user", entity_id=user.id, request=request)
    start_session(request, user)
    return Redirect(context["next"], status_code=303)


@post("/logout", name="logout", guards=[signed_in])
async def logout(request: Request, db: NamedDependency[AsyncSession]) -> Redirect:
    audit.record(db, actor=request.user, verb="sign_out", entity="user", entity_id=request.user.id, request=request)
    # The cookie is not just forgotten by this browser: a copy of it stops working too.
    await end_sessions(db, user=request.user)
    request.clear_session()
    return Redirect(request.app.route_reverse("login"), status_code=303)


@dataclass
class LanguageForm:
    lang: str = ""
    next: str = "/"


@post("/language", name="language")
async def switch_language(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
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
    response.set_cookie(
        "lang", data.lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response


routes = [login_page, login_submit, logout, switch_language]
