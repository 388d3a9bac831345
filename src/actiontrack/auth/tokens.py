"""Secrets: one-time links, calendar feeds and API tokens are stored only as their SHA-256.

An API request is signed in by its bearer token (`api_token_user`), never by the session cookie.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from litestar import Request
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.clock import utcnow
from actiontrack.models import ApiToken, User, UserToken

# The API's paths: signed in by bearer token only, and so left out of CSRF protection (see app.py).
API_PREFIX = "/api/"


# What new_secret makes: 32 random bytes in URL-safe base64, 43 characters. A link with anything
# more ("…token)" from a mail client's parentheses) is a wrong link, not the token.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def is_token_shaped(token: str) -> bool:
    """Whether a value from a URL is exactly what `new_secret` makes (checked before any lookup)."""
    return _TOKEN_SHAPE.fullmatch(token) is not None


def token_digest(token: str) -> str:
    """How one-time links and API tokens are stored: only their SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


async def valid_link(session: AsyncSession, *, token: str, purpose: str) -> tuple[UserToken, User] | None:
    """The unused, unexpired one-time link (a `UserToken` of `purpose`) of an active account with this token, and
    its user."""
    if not is_token_shaped(token):
        return None
    row = (await session.execute(
        select(UserToken, User).join(User, User.id == UserToken.user_id).where(
            UserToken.token_hash == token_digest(token), UserToken.purpose == purpose,
            UserToken.used_at.is_(None), UserToken.expires_at > utcnow(), User.active.is_(True))
    )).first()
    return (row[0], row[1]) if row else None


async def use_link(session: AsyncSession, link: UserToken) -> bool:
    """Marks a one-time link used; False when it was used already. The condition makes a double submit (or two
    tabs) use it once."""
    used = await session.execute(
        update(UserToken).where(UserToken.id == link.id, UserToken.used_at.is_(None)).values(used_at=utcnow()))
    return used.rowcount == 1


def new_secret() -> tuple[str, str]:
    """A random token (for a link, a feed or the API) and the digest that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


async def revoke_api_tokens(session: AsyncSession, *, user: User, actor: User | None, reason: str,
                            request: Request | None = None) -> list[int]:
    """End every live API token of the user, audited: a token must not keep rights its holder lost.

    Called where sessions end for a reason that concerns tokens too: a new role, a new or reset
    password, deactivation. The ids of the revoked tokens.
    """
    revoked = list((await session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()).returning(ApiToken.id).execution_options(synchronize_session=False)
    )).scalars())
    for token_id in sorted(revoked):
        audit.record(session, actor=actor, verb="revoke", entity="api_token", entity_id=token_id,
                     changes={"reason": reason}, request=request)
    return revoked


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
