"""The webhook pages (HR only): register chat channels or systems, test, deactivate, rotate the secret, delete."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import Delivery, Webhook
from actiontrack.params import parse_id
from actiontrack.settings import Settings
from actiontrack.web import NO_STORE, FormBody, hr_only, redirect_to
from actiontrack.webhooks.delivery import send_test_message
from actiontrack.webhooks.queries import (
    name_in_use,
    recent_deliveries,
    save_new_webhook,
    save_webhook_changes,
    tested_delivery,
    webhook_or_404,
    webhooks_with_last_delivery,
)
from actiontrack.webhooks.rules import (
    STYLE_LABELS,
    FormCheck,
    WebhookForm,
    audited_webhook,
    check_webhook_form,
    is_plain_http,
    masked_url,
    new_webhook_secret,
    plain_http_warning,
    webhook_name,
)

NOTICES = {
    "created": N_("Webhook saved. Send a test message to check that the receiver gets it."),
    "saved": N_("Changes saved."),
    "rotated": N_("A new secret was generated: update the receiver, the old secret no longer signs messages."),
    "deactivated": N_("Webhook deactivated: it receives no reminders until you reactivate it."),
    "reactivated": N_("Webhook reactivated."),
}


async def _checked(session: AsyncSession, *, form: WebhookForm, webhook_id: int | None = None) -> FormCheck:
    taken = await name_in_use(session, name=webhook_name(form.name), webhook_id=webhook_id)
    return check_webhook_form(form, name_taken=taken)


async def _index_page(
    session: AsyncSession, *, form: WebhookForm, check: FormCheck | None = None, status_code: int = 200
) -> Template:
    context = {
        "webhooks": await webhooks_with_last_delivery(session), "form": form,
        "errors": check.errors if check else {}, "warnings": check.warnings if check else {},
        "style_labels": STYLE_LABELS, "masked_url": masked_url,
    }
    return Template("webhooks/index.html", context=context, status_code=status_code)


async def _detail_page(
    session: AsyncSession, *, webhook: Webhook, form: WebhookForm | None = None, check: FormCheck | None = None,
    notice: str = "", tested: Delivery | None = None, status_code: int = 200,
) -> Template:
    form = form or WebhookForm(name=webhook.name, url=webhook.url, style=webhook.style)
    context = {
        "webhook": webhook, "form": form, "errors": check.errors if check else {},
        "warnings": check.warnings if check else {},
        "plain_http": is_plain_http(webhook.url), "plain_http_warning": plain_http_warning(),
        "style_labels": STYLE_LABELS, "masked_url": masked_url, "notice": notice, "tested": tested,
        "deliveries": await recent_deliveries(session, webhook_id=webhook.id),
    }
    # The page shows the signing secret: keep it out of caches.
    return Template("webhooks/detail.html", context=context, status_code=status_code, headers=NO_STORE)


@get("/webhooks", name="webhooks.index", guards=hr_only, include_in_schema=False)
async def webhooks_index(db: NamedDependency[AsyncSession]) -> Template:
    return await _index_page(db, form=WebhookForm())


@post("/webhooks", name="webhooks.create", guards=hr_only, include_in_schema=False)
async def create_webhook(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: FormBody[WebhookForm],
) -> Template | Redirect:
    check = await _checked(db, form=data)
    if check.errors:
        return await _index_page(db, form=data, check=check, status_code=400)
    webhook = await save_new_webhook(db, check=check, style=data.style, actor=request.user, request=request)
    return redirect_to(request, "webhooks.detail", query={"notice": "created"}, webhook_id=webhook.id)


@get("/webhooks/{webhook_id:int}", name="webhooks.detail", guards=hr_only, include_in_schema=False)
async def webhook_detail(
    db: NamedDependency[AsyncSession], webhook_id: FromPath[int], notice: FromQuery[str] = "",
    test: FromQuery[str | None] = None,
) -> Template:
    webhook = await webhook_or_404(db, webhook_id)
    tested = await tested_delivery(db, webhook=webhook, delivery_id=parse_id(test))
    return await _detail_page(db, webhook=webhook, notice=_(NOTICES[notice]) if notice in NOTICES else "",
                              tested=tested)


@post("/webhooks/{webhook_id:int}", name="webhooks.update", guards=hr_only, include_in_schema=False)
async def update_webhook(
    request: Request,
    db: NamedDependency[AsyncSession],
    webhook_id: FromPath[int],
    data: FormBody[WebhookForm],
) -> Template | Redirect:
    webhook = await webhook_or_404(db, webhook_id)
    check = await _checked(db, form=data, webhook_id=webhook.id)
    if check.errors:
        return await _detail_page(db, webhook=webhook, form=data, check=check, status_code=400)
    save_webhook_changes(db, webhook=webhook, check=check, style=data.style, actor=request.user, request=request)
    return redirect_to(request, "webhooks.detail", query={"notice": "saved"}, webhook_id=webhook.id)


@post("/webhooks/{webhook_id:int}/secret", name="webhooks.rotate_secret", guards=hr_only, include_in_schema=False)
async def rotate_secret(request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int]) -> Redirect:
    webhook = await webhook_or_404(db, webhook_id)
    webhook.secret = new_webhook_secret()
    audit.record(db, actor=request.user, verb="rotate_secret", entity="webhook", entity_id=webhook.id, request=request)
    return redirect_to(request, "webhooks.detail", query={"notice": "rotated"}, webhook_id=webhook.id)


async def _set_active(request: Request, db: AsyncSession, *, webhook_id: int, active: bool) -> Redirect:
    webhook = await webhook_or_404(db, webhook_id)
    if webhook.active != active:
        webhook.active = active
        audit.record(db, actor=request.user, verb="update", entity="webhook", entity_id=webhook.id,
                     changes={"active": [not active, active]}, request=request)
    return redirect_to(request, "webhooks.detail", query={"notice": "reactivated" if active else "deactivated"},
                       webhook_id=webhook.id)


@post("/webhooks/{webhook_id:int}/deactivate", name="webhooks.deactivate", guards=hr_only, include_in_schema=False)
async def deactivate_webhook(
    request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int],
) -> Redirect:
    return await _set_active(request, db, webhook_id=webhook_id, active=False)


@post("/webhooks/{webhook_id:int}/reactivate", name="webhooks.reactivate", guards=hr_only, include_in_schema=False)
async def reactivate_webhook(
    request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int],
) -> Redirect:
    return await _set_active(request, db, webhook_id=webhook_id, active=True)


@post("/webhooks/{webhook_id:int}/delete", name="webhooks.delete", guards=hr_only, include_in_schema=False)
async def delete_webhook(request: Request, db: NamedDependency[AsyncSession], webhook_id: FromPath[int]) -> Redirect:
    """Delete a webhook; its past deliveries stay on the deliveries page under its name."""
    webhook = await webhook_or_404(db, webhook_id)
    audit.record(db, actor=request.user, verb="delete", entity="webhook", entity_id=webhook.id,
                 changes=audited_webhook(webhook), request=request)
    await db.delete(webhook)
    return redirect_to(request, "webhooks.index")


@post("/webhooks/{webhook_id:int}/test", name="webhooks.test", guards=hr_only, include_in_schema=False)
async def send_test(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings], webhook_id: FromPath[int],
) -> Redirect:
    webhook = await webhook_or_404(db, webhook_id)
    delivery = await send_test_message(db, webhook=webhook, sender=request.user, link=request.url_for("home"),
                                       timeout=settings.webhook_timeout_seconds,
                                       allow_private=settings.webhook_allow_private)
    audit.record(db, actor=request.user, verb="test", entity="webhook", entity_id=webhook.id,
                 changes={"status": delivery.status, "delivery_id": delivery.id}, request=request)
    return redirect_to(request, "webhooks.detail", query={"test": str(delivery.id)}, webhook_id=webhook.id)


routes = [
    webhooks_index, create_webhook, webhook_detail, update_webhook, rotate_secret, deactivate_webhook,
    reactivate_webhook, delete_webhook, send_test,
]
