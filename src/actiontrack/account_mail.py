"""Emails about a person's own account: an invitation link and a password reset link.

Sent at once, during the request, through the same SMTP settings as the reminders; written in the
recipient's language.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request

from actiontrack.i18n import gettext as _
from actiontrack.messages import Message, SendResult
from actiontrack.reminders.compose import speaking
from actiontrack.reminders.email import Mailer
from actiontrack.settings import Settings

logger = logging.getLogger(__name__)


async def send_link(
    request: Request, *, settings: Settings, kind: str, to: str, language: str, subject: str, text: str,
    values: dict[str, Any], link: str, button: str, valid_days: int = 0, valid_hours: int = 0,
) -> SendResult:
    """One message with a one-time link; `subject`, `text` and `button` are untranslated (N_) strings."""
    environment = request.app.template_engine.engine
    with speaking(language):
        context = {"subject": _(subject), "intro": _(text) % values, "link": link, "button": _(button),
                   "valid_days": valid_days, "valid_hours": valid_hours}
        message = Message(
            kind=kind, subject=context["subject"], link=link,
            text=environment.get_template("accounts/email_link_plain.html").render(context).strip() + "\n",
            html=environment.get_template("accounts/email_link.html").render(context),
        )
    mailer = Mailer(settings)
    try:
        result = await mailer.send(message, to=to, language=language)
    finally:
        await mailer.close()
    if not result.ok:
        logger.warning("%s email to %s not sent: %s", kind, to, result.error)
    return result
