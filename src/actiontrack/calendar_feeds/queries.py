"""A user's calendar feeds: the live ones, creating and revoking them, a feed by its token and its actions.

Feed tokens are stored only as their SHA-256, like API tokens.
"""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.actions.rules import OPEN_STATUSES
from actiontrack.auth.tokens import is_token_shaped, new_secret, token_digest
from actiontrack.calendar_feeds.rules import ALL, ENTITY, may_have
from actiontrack.models import ActionItem, CalendarFeed, User
from actiontrack.params import is_id


async def active_feeds(session: AsyncSession, *, user: User) -> dict[str, list[CalendarFeed]]:
    """The user's unrevoked feeds by scope (normally one each), newest first."""
    feeds = (
        await session.execute(
            select(CalendarFeed)
            .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
            .order_by(CalendarFeed.created_at.desc(), CalendarFeed.id.desc())
        )
    ).scalars().all()
    by_scope: dict[str, list[CalendarFeed]] = {}
    for feed in feeds:
        by_scope.setdefault(feed.scope, []).append(feed)
    return by_scope


async def create_feed(
    session: AsyncSession, *, user: User, scope: str, request: Request | None = None
) -> tuple[CalendarFeed, str]:
    """A new feed and its token (shown once); it replaces the user's earlier feed of the same scope."""
    now = clock.utcnow()
    replaced = (
        await session.execute(
            update(CalendarFeed)
            .where(CalendarFeed.user_id == user.id, CalendarFeed.scope == scope, CalendarFeed.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(CalendarFeed.id)
        )
    ).scalars().all()
    for feed_id in replaced:
        audit.record(session, actor=user, verb="revoke", entity=ENTITY, entity_id=feed_id,
                     changes={"reason": "replaced"}, request=request)
    token, digest = new_secret()
    feed = CalendarFeed(user_id=user.id, scope=scope, token_hash=digest, created_at=now)
    session.add(feed)
    await session.flush()
    changes: dict[str, object] = {"scope": scope}
    if replaced:
        changes["replaces"] = sorted(replaced)
    audit.record(session, actor=user, verb="create", entity=ENTITY, entity_id=feed.id, changes=changes,
                 request=request)
    return feed, token


async def revoke_feed(session: AsyncSession, *, user: User, feed_id: int, request: Request | None = None) -> None:
    """Revokes one of the user's own feeds; someone else's feed is as unknown as a missing one."""
    feed = await session.get(CalendarFeed, feed_id) if is_id(feed_id) else None
    if feed is None or feed.user_id != user.id:
        raise NotFoundException()
    if feed.revoked_at is None:
        feed.revoked_at = clock.utcnow()
        audit.record(session, actor=user, verb="revoke", entity=ENTITY, entity_id=feed.id,
                     changes={"scope": feed.scope}, request=request)


async def feed_by_token(session: AsyncSession, *, token: str) -> tuple[CalendarFeed, User] | None:
    """The live feed of a token with its (active) user, or None for anything else."""
    if not is_token_shaped(token):
        return None
    row = (
        await session.execute(
            select(CalendarFeed, User)
            .join(User, User.id == CalendarFeed.user_id)
            .where(CalendarFeed.token_hash == token_digest(token), CalendarFeed.revoked_at.is_(None), User.active)
        )
    ).first()
    if row is None:
        return None
    feed, user = row
    # A feed of all deadlines stops working when its holder no longer has a role that reads them.
    if not may_have(user, scope=feed.scope):
        return None
    return feed, user


async def feed_actions(session: AsyncSession, *, feed: CalendarFeed) -> list[tuple[ActionItem, str]]:
    """The open actions a feed shows, with their owner's name, by deadline."""
    query = (
        select(ActionItem, User.display_name)
        .join(User, User.id == ActionItem.owner_id)
        .where(ActionItem.status.in_([status.value for status in OPEN_STATUSES]))
        .order_by(ActionItem.deadline, ActionItem.id)
    )
    if feed.scope != ALL:
        query = query.where(ActionItem.owner_id == feed.user_id)
    return [(action, owner) for action, owner in (await session.execute(query)).all()]
