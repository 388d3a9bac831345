"""Invitations: an account without a password and a one-time link to choose it, mailed or shown to HR.

Used by the invitation pages (accounts/pages.py) and the people import (org_import/). Links are
stored only as their SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from litestar import Request
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.account_mail import send_link
from actiontrack.auth.tokens import new_secret
from actiontrack.clock import utcnow
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import Role, User, UserToken, column_limit
from actiontrack.params import normalise_email, text_fields
from actiontrack.settings import LANGUAGES, Settings

INVITATION_DAYS = 7  # how long a set-password link works
SET_PASSWORD = "set_password"  # the UserToken purpose of an invitation link


@text_fields("email", "display_name", "next")
class InviteForm:
    """An invitation as HR fills it in (and as the people import reads each row)."""

    language: str = "en"
    role: str = Role.OWNER.value


async def check_invitation(session: AsyncSession, *, form: InviteForm) -> dict[str, str]:
    """The problems of an invitation by field, including an email that already has an account."""
    errors = invitation_problems(form)
    email = normalise_email(form.email)
    if "email" not in errors and (await session.execute(select(User.id).where(User.email == email))).first():
        errors["email"] = _("Someone with this email already has an account.")
    return errors


def invitation_problems(form: InviteForm) -> dict[str, str]:
    """The checks of an invitation that need no database (the people import checks many rows at once)."""
    errors: dict[str, str] = {}
    email = normalise_email(form.email)
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or len(email) > column_limit(User, "email") or " " in email:
        errors["email"] = _("Enter a valid email address.")
    name = " ".join(form.display_name.split())
    if not name:
        errors["display_name"] = _("Enter a name.")
    elif len(name) > (most := column_limit(User, "display_name")):
        errors["display_name"] = _("Use at most %(max)d characters.") % {"max": most}
    if form.language not in LANGUAGES:
        errors["language"] = _("Choose a language.")
    if form.role not in {role.value for role in Role}:
        errors["role"] = _("Choose a role.")
    return errors


async def void_invitation_links(session: AsyncSession, *, user: User, now: datetime) -> None:
    """The user's unused set-password links stop working."""
    await session.execute(
        update(UserToken)
        .where(UserToken.user_id == user.id, UserToken.purpose == SET_PASSWORD, UserToken.used_at.is_(None))
        .values(used_at=now)
    )


async def issue_invitation(session: AsyncSession, *, user: User) -> str:
    """A fresh set-password link for the user; earlier unused links stop working."""
    now = utcnow()
    await void_invitation_links(session, user=user, now=now)
    token, digest = new_secret()
    session.add(UserToken(user_id=user.id, purpose=SET_PASSWORD, token_hash=digest,
                          expires_at=now + timedelta(days=INVITATION_DAYS)))
    return token


async def invite_person(
    session: AsyncSession, *, actor: User, form: InviteForm, request: Request | None = None,
) -> tuple[User, str]:
    """An account (HR, leadership or owner) without a password, and the one-time link to set it."""
    user = User(email=normalise_email(form.email), display_name=" ".join(form.display_name.split()),
                role=form.role, language=form.language, password_hash=None)
    session.add(user)
    await session.flush()
    token = await issue_invitation(session, user=user)
    audit.record(session, actor=actor, verb="invite", entity="user", entity_id=user.id,
                 changes={"email": user.email, "display_name": user.display_name, "role": user.role}, request=request)
    return user, token


async def pending_invitations(session: AsyncSession) -> list[tuple[User, datetime | None]]:
    """Invited people who have not set a password yet, with the expiry of their latest link."""
    latest = (
        select(UserToken.user_id, func.max(UserToken.expires_at).label("expires_at"))
        .where(UserToken.purpose == SET_PASSWORD)
        .group_by(UserToken.user_id)
        .subquery()
    )
    query = (
        select(User, latest.c.expires_at)
        .join(latest, latest.c.user_id == User.id)
        .where(User.password_hash.is_(None), User.active)
        .order_by(User.display_name)
    )
    return [(user, expires) for user, expires in (await session.execute(query)).all()]


INVITATION_SUBJECT = N_("Your actiontrack account")
INVITATION_TEXT = N_("%(inviter)s invited you to actiontrack. Choose a password to sign in as %(email)s.")


@dataclass(frozen=True)
class Delivered:
    """An invitation on its way: mailed, or its link for HR to pass on (when mailing is off or failed)."""

    user: User
    link: str
    mailed: bool
    mail_failed: bool


async def deliver_invitation(request: Request, *, settings: Settings, user: User, token: str) -> Delivered:
    """Mail the link when SMTP is configured; the link stays in the answer for HR unless it was mailed."""
    # A mailed link points at the configured address; a link shown to HR, at the address HR is using.
    link = (settings.base_url + request.app.route_reverse("welcome", token=token) if settings.smtp_host
            else request.url_for("welcome", token=token))
    mailed = False
    if settings.smtp_host:
        result = await send_link(
            request, settings=settings, kind="invitation", to=user.email, language=user.language,
            subject=INVITATION_SUBJECT, text=INVITATION_TEXT,
            values={"inviter": request.user.display_name, "email": user.email}, link=link,
            button=N_("Choose a password"), valid_days=INVITATION_DAYS)
        mailed = result.ok
    return Delivered(user=user, link="" if mailed else link, mailed=mailed,
                     mail_failed=bool(settings.smtp_host) and not mailed)
