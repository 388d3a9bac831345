"""Sign-in throttling: failed attempts per email and per address, counted before the password is checked."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.clock import utcnow
from actiontrack.models import LoginFailure
from actiontrack.settings import Settings


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
