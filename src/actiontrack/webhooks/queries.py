"""Reading webhooks back: the list with each one's last delivery, one webhook, its recent deliveries."""

from __future__ import annotations

from litestar.exceptions import NotFoundException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.models import Delivery, Webhook
from actiontrack.params import is_id


async def webhooks_with_last_delivery(session: AsyncSession) -> list[tuple[Webhook, Delivery | None]]:
    """Every webhook, active first, with its most recent delivery (one query)."""
    latest = (
        select(Delivery.webhook_id, func.max(Delivery.id).label("delivery_id"))
        .where(Delivery.webhook_id.is_not(None))
        .group_by(Delivery.webhook_id)
        .subquery()
    )
    query = (
        select(Webhook, Delivery)
        .outerjoin(latest, latest.c.webhook_id == Webhook.id)
        .outerjoin(Delivery, Delivery.id == latest.c.delivery_id)
        .order_by(Webhook.active.desc(), func.lower(Webhook.name))
    )
    return [(webhook, delivery) for webhook, delivery in (await session.execute(query)).all()]


async def webhook_or_404(session: AsyncSession, webhook_id: int) -> Webhook:
    """The webhook with this id, or a 404."""
    webhook = await session.get(Webhook, webhook_id) if is_id(webhook_id) else None
    if webhook is None:
        raise NotFoundException()
    return webhook


async def name_in_use(session: AsyncSession, *, name: str, webhook_id: int | None = None) -> bool:
    """Whether another webhook than `webhook_id` has this name, whatever its case."""
    same_name = select(Webhook.id).where(func.lower(Webhook.name) == name.lower())
    if webhook_id is not None:
        same_name = same_name.where(Webhook.id != webhook_id)
    return (await session.execute(same_name)).first() is not None


async def recent_deliveries(session: AsyncSession, *, webhook_id: int, limit: int = 10) -> list[Delivery]:
    """A webhook's latest deliveries, newest first."""
    query = (
        select(Delivery).where(Delivery.webhook_id == webhook_id).order_by(Delivery.id.desc()).limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def tested_delivery(session: AsyncSession, *, webhook: Webhook, delivery_id: int | None) -> Delivery | None:
    """The test delivery a detail page reports on, if it went to this webhook."""
    tested = await session.get(Delivery, delivery_id) if delivery_id is not None else None
    return tested if tested is not None and tested.webhook_id == webhook.id else None
