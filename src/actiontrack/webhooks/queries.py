"""Reading webhooks back (the list with each one's last delivery, one webhook, its recent deliveries) and
saving them with their audit entries."""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.models import Delivery, User, Webhook
from actiontrack.params import is_id
from actiontrack.webhooks.rules import FormCheck, audited_webhook, masked_url, new_webhook_secret


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


async def save_new_webhook(session: AsyncSession, *, check: FormCheck, style: str, actor: User,
                           request: Request) -> Webhook:
    """Register a checked webhook with a fresh secret, audited."""
    webhook = Webhook(name=check.name, url=check.url, style=style, secret=new_webhook_secret(), created_by_id=actor.id)
    session.add(webhook)
    await session.flush()
    audit.record(session, actor=actor, verb="create", entity="webhook", entity_id=webhook.id,
                 changes=audited_webhook(webhook), request=request)
    return webhook


def save_webhook_changes(session: AsyncSession, *, webhook: Webhook, check: FormCheck, style: str, actor: User,
                         request: Request) -> None:
    """Apply a checked form to a webhook; audit what changed (the URL masked)."""
    before, old_url = audited_webhook(webhook), webhook.url
    webhook.name, webhook.url, webhook.style = check.name, check.url, style
    changes = audit.changed_fields(before, audited_webhook(webhook))
    if webhook.url != old_url and "url" not in changes:
        # Two URLs can look alike once masked: the trail still says the URL changed.
        changes["url"] = [before["url"], masked_url(webhook.url)]
    if changes:
        audit.record(session, actor=actor, verb="update", entity="webhook", entity_id=webhook.id,
                     changes=changes, request=request)
