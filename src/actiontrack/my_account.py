"""My account (everyone): name and language, a new password, signing out everywhere else, and
what is linked to the account (calendar links, API tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack import audit
from actiontrack.auth.passwords import (
    MAX_PASSWORD_LENGTH,
    PasswordChecks,
    PasswordChecksBusy,
    busy_message,
    hash_password,
    new_password_errors,
    run_argon2,
    verify_password,
)
from actiontrack.auth.roles import signed_in
from actiontrack.auth.sessions import end_sessions, start_session
from actiontrack.auth.throttling import claim_sign_in_attempt, forgive_failures, record_failure
from actiontrack.auth.tokens import revoke_api_tokens
from actiontrack.calendar_feeds.queries import active_feeds
from actiontrack.clock import utcnow
from actiontrack.i18n import gettext as _
from actiontrack.i18n import ngettext
from actiontrack.models import ApiToken, Role, User, column_limit
from actiontrack.params import is_id
from actiontrack.settings import LANGUAGES, Settings
from actiontrack.web import NO_STORE, FormBody, redirect_to

DONE = {"profile", "password", "signed_out_elsewhere", "token_revoked"}
NAME_MAX = column_limit(User, "display_name")


@dataclass
class ProfileForm:
    display_name: str = ""
    language: str = ""


@dataclass
class PasswordChangeForm:
    current: str = ""
    password: str = ""
    confirm: str = ""


async def _account_page(
    request: Request, session: AsyncSession, *, profile: ProfileForm | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200, done: str | None = None,
) -> Template:
    user: User = request.user
    tokens = list((await session.execute(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    )).scalars())
    context: dict[str, Any] = {
        "profile": profile or ProfileForm(display_name=user.display_name, language=user.language),
        "errors": errors or {}, "done": done if done in DONE else None, "languages": LANGUAGES,
        "feeds": await active_feeds(session, user=user), "tokens": tokens,
        "may_manage_tokens": user.role == Role.HR.value,
    }
    return Template("account/index.html", context=context, status_code=status_code, headers=NO_STORE)


async def _me(request: Request, session: AsyncSession) -> User:
    """The signed-in user, loaded in this request's transaction so that changes to it are saved."""
    return await session.get_one(User, request.user.id)


@get("/account", name="account", guards=[signed_in])
async def account_page(
    request: Request, db: NamedDependency[AsyncSession], done: FromQuery[str | None] = None,
) -> Template:
    return await _account_page(request, db, done=done)


@post("/account", name="account.profile", guards=[signed_in])
async def update_profile(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    data: FormBody[ProfileForm],
) -> Template | Response:
    user = await _me(request, db)
    name = " ".join(data.display_name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["display_name"] = _("Enter a name.")
    elif len(name) > NAME_MAX:
        errors["display_name"] = _("Use at most %(max)d characters.") % {"max": NAME_MAX}
    if data.language not in LANGUAGES:
        errors["language"] = _("Choose a language.")
    if errors:
        return await _account_page(request, db, profile=data, errors=errors, status_code=400)
    changes = audit.changed_fields({"display_name": user.display_name, "language": user.language},
                                   {"display_name": name, "language": data.language})
    if changes:
        user.display_name, user.language = name, data.language
        audit.record(db, actor=user, verb="update", entity="user", entity_id=user.id, changes=changes, request=request)
    response = redirect_to(request, "account", query={"done": "profile"})
    # The switcher's cookie follows, so the sign-in page speaks the same language after signing out.
    response.set_cookie("lang", data.language, max_age=365 * 24 * 3600, httponly=True, samesite="lax",
                        secure=settings.secure_cookies)
    return response


@post("/account/password", name="account.password", guards=[signed_in])
async def change_password(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    sessionmaker: NamedDependency[async_sessionmaker[AsyncSession]],
    password_checks: NamedDependency[PasswordChecks],
    data: FormBody[PasswordChangeForm],
) -> Template | Redirect:
    """A new password, with the current one; every other session of the user ends."""
    user = await _me(request, db)
    errors = new_password_errors(data.password, data.confirm, user_inputs=[user.display_name, user.email])
    # A stolen session must not become a way to guess the password: wrong tries count as failed sign-ins.
    claim = await claim_sign_in_attempt(sessionmaker, email=user.email, ip=audit.client_ip(request),
                                        settings=settings)
    if claim.busy:
        return await _account_page(request, db, errors={"current": busy_message()}, status_code=429)
    if claim.wait is not None:
        minutes = max(1, round(claim.wait.total_seconds() / 60))
        errors = {"current": ngettext("Too many failed attempts. Try again in %(num)d minute.",
                                      "Too many failed attempts. Try again in %(num)d minutes.",
                                      minutes) % {"num": minutes}}
        return await _account_page(request, db, errors=errors, status_code=429)
    try:
        valid = user.password_hash is not None and await run_argon2(
            password_checks, verify_password, user.password_hash, data.current[:MAX_PASSWORD_LENGTH])
        if valid and not errors:
            new_hash = await run_argon2(password_checks, hash_password, data.password)
    except PasswordChecksBusy:
        await record_failure(db, claim)
        return await _account_page(request, db, errors={"current": busy_message()}, status_code=429)
    if not valid:
        await record_failure(db, claim)
        errors["current"] = _("This is not your current password.")
        return await _account_page(request, db, errors=errors, status_code=400)
    await forgive_failures(db, email=user.email, claim=claim)
    if errors:
        return await _account_page(request, db, errors=errors, status_code=400)
    user.password_hash = new_hash
    await end_sessions(db, user=user)
    await revoke_api_tokens(db, user=user, actor=user, reason="password changed", request=request)
    audit.record(db, actor=user, verb="change_password", entity="user", entity_id=user.id, request=request)
    start_session(request, user)
    return redirect_to(request, "account", query={"done": "password"})


@post("/account/sign-out-everywhere", name="account.sign_out_everywhere", guards=[signed_in])
async def sign_out_everywhere(request: Request, db: NamedDependency[AsyncSession]) -> Redirect:
    """Every other browser and device signs in again; this one stays signed in."""
    user = await _me(request, db)
    await end_sessions(db, user=user)
    audit.record(db, actor=user, verb="sign_out_everywhere", entity="user", entity_id=user.id, request=request)
    start_session(request, user)
    return redirect_to(request, "account", query={"done": "signed_out_elsewhere"})


@post("/account/api-tokens/{token_id:int}/revoke", name="account.revoke_token", guards=[signed_in])
async def revoke_own_token(request: Request, db: NamedDependency[AsyncSession], token_id: FromPath[int]) -> Redirect:
    api_token = await db.get(ApiToken, token_id) if is_id(token_id) else None
    if api_token is None or api_token.user_id != request.user.id:
        raise NotFoundException()
    if api_token.revoked_at is None:
        api_token.revoked_at = utcnow()
        audit.record(db, actor=request.user, verb="revoke", entity="api_token", entity_id=api_token.id, request=request)
    return redirect_to(request, "account", query={"done": "token_revoked"})


routes = [account_page, update_profile, change_password, sign_out_everywhere, revoke_own_token]
