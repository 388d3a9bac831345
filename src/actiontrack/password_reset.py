"""Forgotten passwords: a one-time link by email (stored hashed, one hour, single use).

The answer is the same whether or not the address has an account, and it is sent before the email
(the email goes out after the response), so neither the words nor the timing tell who has one.
Requests are throttled per address and per client, in the database, so the limits hold across workers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from litestar import Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack import audit
from actiontrack.account_mail import send_link
from actiontrack.auth.passwords import (
    PasswordChecks,
    PasswordChecksBusy,
    PasswordForm,
    busy_message,
    hash_password,
    new_password_errors,
    password_sign_in_off_message,
    run_argon2,
)
from actiontrack.auth.sessions import end_sessions, start_session
from actiontrack.auth.tokens import new_secret, revoke_api_tokens, use_link, valid_link
from actiontrack.clock import utcnow
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import LoginFailure, PasswordResetRequest, User, UserToken
from actiontrack.params import normalise_email
from actiontrack.settings import Settings
from actiontrack.web import NO_STORE, FormBody, redirect_to

RESET_PASSWORD = "reset_password"
RESET_HOURS = 1
# Per hour: an address gets at most this many emails; a client may ask this many times.
MAX_MAILS_PER_ADDRESS = 3
MAX_REQUESTS_PER_CLIENT = 10
logger = logging.getLogger(__name__)


@dataclass
class ForgotForm:
    email: str = ""


@get("/password/forgot", name="password.forgot")
async def forgot_page(request: Request, settings: NamedDependency[Settings]) -> Template:
    if not settings.password_sign_in:
        return Template("auth/forgot.html", context={
            "email": "", "sent": False, "error": None, "passwords_off": password_sign_in_off_message(settings)})
    return Template("auth/forgot.html", context={"email": "", "sent": False, "error": None, "passwords_off": None})


async def _recent_requests(session: AsyncSession, *, email: str, ip: str) -> tuple[int, int]:
    since = utcnow() - timedelta(hours=1)
    by_email, by_ip = (await session.execute(
        select(func.count().filter(PasswordResetRequest.email == email),
               func.count().filter(PasswordResetRequest.ip == ip))
        .where(PasswordResetRequest.created_at >= since)
    )).one()
    return by_email, by_ip


async def _issue_reset_link(session: AsyncSession, *, user: User) -> str:
    """A fresh reset token for the user; earlier unused ones stop working."""
    now = utcnow()
    await session.execute(
        update(UserToken)
        .where(UserToken.user_id == user.id, UserToken.purpose == RESET_PASSWORD, UserToken.used_at.is_(None))
        .values(used_at=now)
    )
    token, digest = new_secret()
    session.add(UserToken(user_id=user.id, purpose=RESET_PASSWORD, token_hash=digest,
                          expires_at=now + timedelta(hours=RESET_HOURS)))
    return token


@post("/password/forgot", name="password.forgot.submit")
async def forgot_submit(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    sessionmaker: NamedDependency[async_sessionmaker[AsyncSession]],
    data: FormBody[ForgotForm],
) -> Template:
    email = normalise_email(data.email)[:254]
    ip = audit.client_ip(request)
    if not settings.password_sign_in:
        return Template("auth/forgot.html", status_code=403, context={
            "email": "", "sent": False, "error": None, "passwords_off": password_sign_in_off_message(settings)})
    if "@" not in email:
        return Template("auth/forgot.html", status_code=400, context={
            "email": data.email[:254], "sent": False, "error": _("Enter a valid email address."),
            "passwords_off": None})
    by_email, by_ip = await _recent_requests(db, email=email, ip=ip)
    if by_ip >= MAX_REQUESTS_PER_CLIENT:
        return Template("auth/forgot.html", status_code=429, context={
            "email": email, "sent": False, "error": _("Too many requests from your connection. Try again in an hour."),
            "passwords_off": None})
    db.add(PasswordResetRequest(email=email, ip=ip))
    await db.execute(delete(PasswordResetRequest).where(PasswordResetRequest.created_at < utcnow() - timedelta(days=1)))
    # Whether the address has an account is looked up after the answer, for every address alike: the
    # answer's work and time must not tell a known email from an unknown one.
    background = BackgroundTask(_reset_after_answer, request, settings, sessionmaker, email,
                                by_email < MAX_MAILS_PER_ADDRESS)
    return Template("auth/forgot.html", context={"email": email, "sent": True, "error": None, "passwords_off": None},
                    background=background)


async def _reset_after_answer(request: Request, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
                              email: str, may_mail: bool) -> None:
    """Issue and mail a reset link if the email is an active account's (and under its hourly limit)."""
    async with sessionmaker() as session, session.begin():
        user = (await session.execute(
            select(User).where(User.email == email, User.active.is_(True)))).scalar_one_or_none()
        # Over the per-address limit the answer stays the same; only the email is not sent again.
        if user is None or not may_mail:
            return
        token = await _issue_reset_link(session, user=user)
        audit.record(session, actor=None, verb="request_password_reset", entity="user", entity_id=user.id,
                     request=request)
        to, language = user.email, user.language
    await _mail_reset_link(request, settings, to, language,
                           settings.base_url + request.app.route_reverse("password.reset", token=token))


RESET_SUBJECT = N_("Choose a new actiontrack password")
RESET_TEXT = N_("Someone (probably you) asked for a new password for %(email)s. Use this link to choose one.")


async def _mail_reset_link(request: Request, settings: Settings, to: str, language: str, link: str) -> None:
    if not settings.smtp_host:
        logger.warning("password reset requested for an account, but SMTP is not configured (ACTIONTRACK_SMTP_HOST)")
        return
    await send_link(request, settings=settings, kind="password_reset", to=to, language=language,
                    subject=RESET_SUBJECT, text=RESET_TEXT, values={"email": to}, link=link,
                    button=N_("Choose a new password"), valid_hours=RESET_HOURS)


def _reset_form(*, user: User, token: str, errors: dict[str, str], status_code: int = 200) -> Template:
    return Template("auth/reset.html", status_code=status_code, headers=NO_STORE, context={
        "person": user, "token": token, "errors": errors})


def _reset_invalid() -> Template:
    return Template("auth/reset_invalid.html", context={}, status_code=404, headers=NO_STORE)


@get("/password/reset/{token:str}", name="password.reset")
async def reset_page(db: NamedDependency[AsyncSession], token: FromPath[str]) -> Template:
    found = await valid_link(db, token=token, purpose=RESET_PASSWORD)
    if found is None:
        return _reset_invalid()
    return _reset_form(user=found[1], token=token, errors={})


@post("/password/reset/{token:str}", name="password.reset.submit")
async def reset_submit(
    request: Request,
    db: NamedDependency[AsyncSession],
    token: FromPath[str],
    password_checks: NamedDependency[PasswordChecks],
    data: FormBody[PasswordForm],
) -> Template | Redirect:
    """The new password is set once; every other session of the user ends and this browser is signed in."""
    found = await valid_link(db, token=token, purpose=RESET_PASSWORD)
    if found is None:
        return _reset_invalid()
    user_token, user = found
    if errors := new_password_errors(data.password, data.confirm, user_inputs=[user.display_name, user.email]):
        return _reset_form(user=user, token=token, errors=errors, status_code=400)
    if not await use_link(db, user_token):
        return _reset_invalid()
    try:
        user.password_hash = await run_argon2(password_checks, hash_password, data.password)
    except PasswordChecksBusy:
        await db.rollback()
        return _reset_form(user=user, token=token, errors={"password": busy_message()}, status_code=429)
    await db.execute(delete(LoginFailure).where(LoginFailure.email == user.email))
    await end_sessions(db, user=user)
    await revoke_api_tokens(db, user=user, actor=user, reason="password reset", request=request)
    audit.record(db, actor=user, verb="reset_password", entity="user", entity_id=user.id, request=request)
    start_session(request, user)
    return redirect_to(request, "home")


routes = [forgot_page, forgot_submit, reset_page, reset_submit]
