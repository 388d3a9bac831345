"""Signing in and out with a password, and the language switcher (templates/auth/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack import audit
from actiontrack.auth.passwords import (
    PasswordChecks,
    PasswordChecksBusy,
    busy_message,
    hash_password,
    needs_rehash,
    password_sign_in_off_message,
    run_argon2,
    verify_password,
)
from actiontrack.auth.roles import signed_in
from actiontrack.auth.sessions import end_sessions, start_session
from actiontrack.auth.throttling import claim_sign_in_attempt, forgive_failures, record_failure
from actiontrack.i18n import gettext as _
from actiontrack.i18n import ngettext
from actiontrack.models import User, column_limit
from actiontrack.params import normalise_email, safe_next
from actiontrack.settings import LANGUAGES, Settings
from actiontrack.web import FormBody


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    next: str = "/"


@get("/login", name="login", sync_to_thread=False)
def login_page(request: Request, next: FromQuery[str] = "/") -> Template | Redirect:  # noqa: A002 (?next=)
    if request.user is not None:
        return Redirect(safe_next(next))
    return Template("auth/login.html", context={"email": "", "next": safe_next(next), "error": None})


@post("/login", name="login.submit")
async def login_submit(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    sessionmaker: NamedDependency[async_sessionmaker[AsyncSession]],
    password_checks: NamedDependency[PasswordChecks],
    data: FormBody[LoginForm],
) -> Template | Redirect:
    email = normalise_email(data.email)[:column_limit(User, "email")]
    ip = audit.client_ip(request)
    context: dict[str, Any] = {"email": email, "next": safe_next(data.next)}
    if not settings.password_sign_in:
        # Nothing is counted or checked: passwords are not a way in at all.
        context["error"] = password_sign_in_off_message(settings)
        return Template("auth/login.html", context=context, status_code=403)

    claim = await claim_sign_in_attempt(sessionmaker, email=email, ip=ip, settings=settings)
    if claim.busy:
        context["error"] = busy_message()
        return Template("auth/login.html", context=context, status_code=429, headers={"Retry-After": "5"})
    if claim.wait is not None:
        minutes = max(1, round(claim.wait.total_seconds() / 60))
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
        valid = await run_argon2(password_checks, verify_password, password_hash, password)
        if valid and needs_rehash(user.password_hash):
            user.password_hash = await run_argon2(password_checks, hash_password, password)
    except PasswordChecksBusy:
        # Counted as a failure: a flood must not get unlimited tries by being refused.
        await record_failure(db, claim)
        context["error"] = busy_message()
        return Template("auth/login.html", context=context, status_code=429, headers={"Retry-After": "5"})
    if not valid:
        await record_failure(db, claim)
        context["error"] = _("Email or password is not correct.")
        return Template("auth/login.html", context=context, status_code=400)

    await forgive_failures(db, email=email, claim=claim)
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
    data: FormBody[LanguageForm],
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
