"""The deliveries page: every email and webhook message, how sending it ended, and a retry for failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack import audit, clock
from actiontrack.disclosure import Disclosure
from actiontrack.i18n import N_
from actiontrack.models import ActionItem, Delivery, DeliveryStatus, Reminder
from actiontrack.paging import Page, page_number
from actiontrack.params import is_id, parse_id
from actiontrack.reminders.job import resend
from actiontrack.reminders.rules import KIND_LABELS, gave_up
from actiontrack.settings import Settings
from actiontrack.texts import Localized
from actiontrack.web import HTMX_VARY, hr_only, redirect_to

PAGE_SIZE = 50
STATUS_LABELS = {
    DeliveryStatus.FAILED.value: N_("Failed"),
    DeliveryStatus.SENT.value: N_("Sent"),
    DeliveryStatus.PENDING.value: N_("Pending"),
}
CHANNEL_LABELS = {"email": N_("Email"), "webhook": N_("Webhook")}


@dataclass(frozen=True)
class DeliveryFilters:
    status: str | None = None
    channel: str | None = None

    def query(self, **extra: object) -> str:
        params = {"status": self.status, "channel": self.channel, **extra}
        return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@dataclass(frozen=True)
class DeliveryRow:
    delivery: Delivery
    kind: str | None  # None: a test message sent from the webhooks page
    action_id: int | None
    action_title: Localized | None
    due_on: date | None


def read_filters(*, status: str | None, channel: str | None) -> DeliveryFilters:
    """Unknown values are ignored: the page shows everything rather than an error."""
    return DeliveryFilters(status=status if status in STATUS_LABELS else None,
                           channel=channel if channel in CHANNEL_LABELS else None)


async def list_deliveries(session: AsyncSession, *, filters: DeliveryFilters, page: int) -> Page[DeliveryRow]:
    """One page of deliveries, newest first, with what each was about (two queries)."""
    conditions = []
    if filters.status:
        conditions.append(Delivery.status == filters.status)
    if filters.channel:
        conditions.append(Delivery.channel == filters.channel)
    total = await session.scalar(select(func.count()).select_from(Delivery).where(*conditions)) or 0
    number = page_number(page, total=total, size=PAGE_SIZE)
    rows = (await session.execute(
        select(Delivery, Reminder.kind, Reminder.action_id, *ActionItem.title_sql(), Reminder.due_on)
        .join(Reminder, Reminder.id == Delivery.reminder_id, isouter=True)
        .join(ActionItem, ActionItem.id == Reminder.action_id, isouter=True)
        .where(*conditions)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
        .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    )).all()
    return Page(rows=[DeliveryRow(delivery, kind, action_id, Localized(title, lang) if action_id else None, due_on)
                      for delivery, kind, action_id, title, lang, due_on in rows],
                number=number, total=total, size=PAGE_SIZE)


@get("/deliveries", name="deliveries", guards=hr_only)
async def deliveries_page(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    status: FromQuery[str | None] = None,
    channel: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    filters = read_filters(status=status, channel=channel)
    number = parse_id(page) or 1
    listing = await list_deliveries(db, filters=filters, page=number)
    context = {
        "filters": filters, "listing": listing, "delivery_status_labels": STATUS_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "kind_labels": KIND_LABELS, "smtp_configured": bool(settings.smtp_host),
        "retry_hours": settings.delivery_retry_hours,
        "gave_up": lambda delivery: gave_up(delivery, retry_for=timedelta(hours=settings.delivery_retry_hours)),
    }
    template = "reminders/_deliveries.html" if request.htmx else "reminders/deliveries.html"
    return Template(template, context=context, headers=HTMX_VARY)


@post("/deliveries/{delivery_id:int}/retry", name="deliveries.retry", guards=hr_only)
async def retry_delivery(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    sessionmaker: NamedDependency[async_sessionmaker[AsyncSession]],
    disclosure: NamedDependency[Disclosure],
    delivery_id: FromPath[int],
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Redirect:
    """Send a failed reminder again, now, to the same person or webhook; the delivery keeps its history."""
    if not is_id(delivery_id) or await db.get(Delivery, delivery_id) is None:
        raise NotFoundException()
    result = await resend(sessionmaker, settings=settings, disclosure=disclosure, paths=request.app.route_reverse,
                          delivery_id=delivery_id, today=clock.today())
    if result is not None:
        outcome = DeliveryStatus.SENT.value if result.ok else DeliveryStatus.FAILED.value
        audit.record(db, actor=request.user, verb="retry", entity="delivery", entity_id=delivery_id,
                     changes={"status": [DeliveryStatus.FAILED.value, outcome],
                              **({"error": result.error} if result.error else {})},
                     request=request)
    back = read_filters(status=data.get("status"), channel=data.get("channel")).query()
    return redirect_to(request, "deliveries", query=back)


routes = [deliveries_page, retry_delivery]
