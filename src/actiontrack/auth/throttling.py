"""Sign-in throttling: failed attempts per email and per address, and attempts still being checked.

An attempt is recorded as *pending* before its password is checked, in a transaction of its own
that commits at once; when the check fails it becomes a failure, when it succeeds it is removed.
- Per email, failures and pending attempts together may not pass the limit: 30 simultaneous
  wrong passwords for one email get `login_max_failures` checks. Attempts beyond the limit that
  only pending ones block wait for those to end (a right password ends them well, so colleagues
  or tabs signing in to one account at once all get in), then are refused if they became failures.
- Per address only failures count: 40 colleagues behind one office NAT signing in at once are not
  refused for attempts that have not failed.
A pending attempt older than `STALE_PENDING` was cut off (a worker stopped mid-check): it counts as a failure.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, false, func, not_, or_, select, text, true, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.clock import utcnow
from actiontrack.models import LoginFailure
from actiontrack.settings import Settings

logger = logging.getLogger("actiontrack.auth")
STALE_PENDING = timedelta(minutes=1)
# How often a waiting attempt looks again whether the pending ones of its email have ended.
RETRY_SECONDS = 0.1


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming an attempt: its pending row, or why it may not try now."""

    attempt_id: int | None = None
    wait: timedelta | None = None  # refused: failures reached a limit; try again after this
    busy: bool = False  # refused: the email's pending attempts did not end in time


async def _lock_sign_in_keys(session: AsyncSession, *keys: str) -> None:
    """Serialise attempts for the same email and address (PostgreSQL; SQLite has one writer at a time).

    Always taken in the same order (email, then address), so two attempts cannot wait for each other.
    """
    if session.bind.dialect.name != "postgresql":
        return
    for key in keys:
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": number})


def _failed() -> ColumnElement[bool]:
    """A failure, or an attempt pending for so long that its check was cut off."""
    return or_(not_(LoginFailure.pending), LoginFailure.created_at < utcnow() - STALE_PENDING)


async def _counts(session: AsyncSession, *, email: str, ip: str, settings: Settings,
                  exclude: int | None = None) -> tuple[int, int, int, datetime | None]:
    """Failures of the email, its pending attempts, failures of the address, and the oldest failure."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    failed = _failed()
    by_email, pending, by_ip, oldest = (
        await session.execute(
            select(
                func.count().filter(LoginFailure.email == email, failed),
                func.count().filter(LoginFailure.email == email, not_(failed)),
                func.count().filter(LoginFailure.ip == ip, failed),
                func.min(LoginFailure.created_at).filter(failed),
            ).where(LoginFailure.created_at >= since,
                    or_(LoginFailure.email == email, and_(LoginFailure.ip == ip, failed)),
                    LoginFailure.id != exclude if exclude is not None else true())
        )
    ).one()
    return by_email, pending, by_ip, oldest


def _wait(oldest: datetime | None, settings: Settings) -> timedelta:
    if oldest is None:
        return timedelta(minutes=1)
    return max(timedelta(minutes=1), oldest + timedelta(minutes=settings.login_window_minutes) - utcnow())


async def claim_sign_in_attempt(
    sessionmaker: Callable[[], AsyncSession], *, email: str, ip: str, settings: Settings,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Claim:
    """Record this attempt as pending before the password is checked, or say why it may not try now.

    Recording first, in a transaction of its own that commits at once, is what makes the limit hold
    when attempts arrive together: the sixth of thirty simultaneous attempts already sees five.
    """
    give_up = time.monotonic() + settings.password_check_wait_seconds
    try:
        return await _claim(sessionmaker, email=email, ip=ip, settings=settings, sleep=sleep, give_up=give_up)
    except OperationalError as exc:
        # SQLite under a flood: the write lock stayed taken for the whole busy timeout. Refused like
        # a busy worker (429, try again in a few seconds), not a failure of the app.
        if "database is locked" not in str(exc.orig):
            raise
        logger.warning("a sign-in was refused as busy: the database stayed locked")
        return Claim(busy=True)


async def _claim(sessionmaker: Callable[[], AsyncSession], *, email: str, ip: str, settings: Settings,
                 sleep: Callable[[float], Awaitable[None]], give_up: float) -> Claim:
    while True:
        async with sessionmaker() as session:
            await _lock_sign_in_keys(session, f"sign-in email {email}", f"sign-in ip {ip}")
            # Inserting first takes SQLite's write lock, so the count below sees every earlier attempt.
            attempt = LoginFailure(email=email, ip=ip, pending=True)
            session.add(attempt)
            await session.flush()
            by_email, pending, by_ip, oldest = await _counts(session, email=email, ip=ip, settings=settings,
                                                             exclude=attempt.id)
            limit = settings.login_max_failures
            # Per address the limit is higher: many colleagues may share one office NAT.
            if by_email >= limit or by_ip >= limit * 4:
                # A refused attempt is not counted: it did not try a password.
                await session.rollback()
                return Claim(wait=_wait(oldest, settings))
            if by_email + pending < limit:
                await session.execute(delete(LoginFailure).where(
                    LoginFailure.created_at < utcnow() - timedelta(days=1)))
                await session.commit()
                return Claim(attempt_id=attempt.id)
            await session.rollback()
        # Only attempts still being checked stand in the way: they end within moments. Watch them
        # with reads, which take no lock, and claim again once they have ended.
        while True:
            if time.monotonic() >= give_up:
                return Claim(busy=True)
            await sleep(RETRY_SECONDS)
            async with sessionmaker() as session:
                by_email, pending, _by_ip, _oldest = await _counts(session, email=email, ip=ip, settings=settings)
            if by_email + pending < limit or by_email >= limit:
                break


async def record_failure(session: AsyncSession, claim: Claim) -> None:
    """The claimed attempt's password was wrong (or could not be checked): it counts as a failure now.

    In the request's own session, committed at once: a second connection per request could empty the
    pool while every request holds one, and SQLite's write lock is not kept while the page renders.
    """
    if claim.attempt_id is None:
        return
    try:
        await session.execute(update(LoginFailure).where(LoginFailure.id == claim.attempt_id).values(pending=False))
        await session.commit()
    except OperationalError as exc:
        if "database is locked" not in str(exc.orig):
            raise
        # Still counted: a pending attempt older than STALE_PENDING is a failure.
        await session.rollback()
        logger.warning("a failed sign-in stays pending for a minute: the database was busy")


async def forgive_failures(session: AsyncSession, *, email: str, claim: Claim | None = None) -> None:
    """A right password: the email's failures and this attempt go; others still being checked stay."""
    mine = LoginFailure.id == claim.attempt_id if claim is not None and claim.attempt_id is not None else false()
    await session.execute(delete(LoginFailure).where(LoginFailure.email == email, or_(_failed(), mine)))
