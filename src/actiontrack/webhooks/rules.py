"""What a webhook may be and what it receives: URL and address checks, the registration form's checks,
the payload shapes of each style, and the signature of generic payloads. Pure functions."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from html import escape as html_escape
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from actiontrack import clock
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.messages import Message
from actiontrack.models import User, Webhook, WebhookStyle, column_limit

SIGNATURE_HEADER = "X-Actiontrack-Signature"
USER_AGENT = "actiontrack-webhooks/1"
NAME_MAX = column_limit(Webhook, "name")
URL_MAX = column_limit(Webhook, "url")
STYLE_LABELS = {
    WebhookStyle.SLACK.value: N_("Slack (incoming webhook)"),
    WebhookStyle.TEAMS.value: N_("Microsoft Teams (message card)"),
    WebhookStyle.TEAMS_WORKFLOW.value: N_("Microsoft Teams Workflows (Adaptive Card)"),
    WebhookStyle.GENERIC.value: N_("Generic JSON, signed"),
}


# --- payloads ---------------------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn reads <...> as links and mentions: user text must not become one.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(message: Message) -> dict[str, Any]:
    """Slack-compatible JSON: a plain `text` fallback plus blocks (section, facts, link button)."""
    body = f"*{_slack_escape(message.subject)}*\n{_slack_escape(message.text)}"
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": body}}]
    if message.facts:
        blocks.append(
            {
                "type": "section",
                # Slack shows at most ten fields in a section.
                "fields": [
                    {"type": "mrkdwn", "text": f"*{_slack_escape(label)}*\n{_slack_escape(value)}"}
                    for label, value in message.facts[:10]
                ],
            }
        )
    if message.link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": _("Open in actiontrack")},
                        "url": message.link,
                    }
                ],
            }
        )
    fallback = f"{_slack_escape(message.subject)}: {_slack_escape(message.text)}"
    return {"text": fallback, "blocks": blocks}


def teams_payload(message: Message) -> dict[str, Any]:
    """A Teams (Office 365 connector) message card with facts and an OpenUri action."""
    card: dict[str, Any] = {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": message.subject,
        "themeColor": "0F6CBD",
        # Card text renders a subset of HTML and markdown: user text is escaped to stay text.
        "title": html_escape(message.subject, quote=False),
        "text": html_escape(message.text, quote=False),
    }
    if message.facts:
        card["sections"] = [
            {
                "facts": [
                    {"name": html_escape(label, quote=False), "value": html_escape(value, quote=False)}
                    for label, value in message.facts
                ]
            }
        ]
    if message.link:
        card["potentialAction"] = [
            {
                "@type": "OpenUri",
                "name": _("Open in actiontrack"),
                "targets": [{"os": "default", "uri": message.link}],
            }
        ]
    return card


def adaptive_card_payload(message: Message) -> dict[str, Any]:
    """A message with one Adaptive Card, what Teams Workflows ("post to a channel when a webhook
    request is received") expects now that Microsoft retires the connectors' message cards."""
    # TextBlocks and FactSets render markdown ([a link](…), **bold**); text runs do not, so user text
    # goes only into runs of rich text blocks: it stays text, as Slack's and the message card's do.
    body: list[dict[str, Any]] = [
        _rich_text({"text": message.subject, "weight": "Bolder", "size": "Medium"}),
        _rich_text({"text": message.text}),
    ]
    body.extend(_rich_text({"text": f"{label}: ", "weight": "Bolder"}, {"text": value})
                for label, value in message.facts)
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message.link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": _("Open in actiontrack"), "url": message.link}]
    return {"type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
                             "content": card}]}


def _rich_text(*runs: dict[str, str]) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", **run} for run in runs]}


def generic_payload(message: Message) -> dict[str, Any]:
    """Plain JSON for any system: the message as data, with the time it was sent."""
    return {
        "kind": message.kind,
        "subject": message.subject,
        "text": message.text,
        "link": message.link,
        "facts": [{"label": label, "value": value} for label, value in message.facts],
        "sent_at": clock.utcnow().isoformat(timespec="seconds"),
    }


def webhook_payload(style: str, message: Message) -> dict[str, Any]:
    """The JSON document for a webhook's payload style."""
    if style == WebhookStyle.SLACK:
        return slack_payload(message)
    if style == WebhookStyle.TEAMS:
        return teams_payload(message)
    if style == WebhookStyle.TEAMS_WORKFLOW:
        return adaptive_card_payload(message)
    return generic_payload(message)


def signature(body: bytes, secret: str) -> str:
    """The value of the signature header: HMAC-SHA256 of the exact body bytes, hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def build_request(webhook: Webhook, message: Message) -> tuple[bytes, dict[str, str]]:
    """The body bytes and headers to POST; generic JSON bodies carry their signature."""
    body = json.dumps(webhook_payload(webhook.style, message), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    if webhook.style == WebhookStyle.GENERIC:
        headers[SIGNATURE_HEADER] = signature(body, webhook.secret)
    return body, headers


def trial_message(*, webhook: Webhook, sender: User, link: str) -> Message:
    """A harmless message, in the current language, that proves the receiver gets our posts."""
    subject = _("Test message from actiontrack")
    text = _("If you can read this, the webhook “%(name)s” works. %(person)s sent it from the webhooks page.") % {
        "name": webhook.name, "person": sender.display_name}
    return Message(
        kind="test", subject=subject, text=text, html=f"<p>{html_escape(text)}</p>", link=link,
        facts=((_("Webhook"), webhook.name), (_("Sent by"), sender.display_name)),
    )


# --- addresses and URLs -----------------------------------------------------------------------


# IPv6 ranges whose last 32 bits are an IPv4 address: IPv4-compatible (deprecated) and NAT64's well-known prefix.
_LAST_32_BITS_IPV4 = (ipaddress.IPv6Network("::/96"), ipaddress.IPv6Network("64:ff9b::/96"))
# NAT64 prefixes of a local network (RFC 8215): the IPv4 address may sit anywhere; never public.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def _carried_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to: mapped, IPv4-compatible, NAT64, 6to4, Teredo."""
    carried = [found for found in (ip.ipv4_mapped, ip.sixtofour) if found is not None]
    if ip.teredo is not None:
        carried.extend(ip.teredo)
    if any(ip in network for network in _LAST_32_BITS_IPV4) and int(ip) > 1:
        carried.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return carried


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, reserved, multicast).

    An IPv6 address that leads to an IPv4 one (NAT64, 6to4, Teredo, IPv4-compatible or mapped) is
    public only when that IPv4 address is: `[64:ff9b::7f00:1]` reaches 127.0.0.1 through a NAT64 gateway.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64:
            return False
        if ip.ipv4_mapped is not None:  # the IPv4 address itself, written the IPv6 way
            ip = ip.ipv4_mapped
        elif not all(found.is_global and not found.is_multicast for found in _carried_ipv4(ip)):
            return False
    return ip.is_global and not ip.is_multicast


def url_problem(url: str) -> str | None:
    """Why a stored URL cannot be posted to (in English, for the delivery's error), or None."""
    # Rows saved through the pages are valid; this guards against anything else, without a request.
    try:
        parts = urlsplit(url)
    except ValueError:
        return "invalid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported URL scheme {parts.scheme or '(none)'!r}"
    if not parts.hostname or any(char.isspace() or ord(char) < 32 for char in url):
        return "invalid URL"
    return None


def masked_url(url: str) -> str:
    """The URL for lists and the audit trail: credentials, query values and long tokens in the path hidden."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "***"
    userinfo = "***@" if parts.username is not None or parts.password is not None else ""
    # Slack and Teams put the key in the path: long segments are shown by their first characters.
    path = "/".join(segment if len(segment) < 16 else segment[:4] + "…" for segment in parts.path.split("/"))
    query = "&".join(f"{pair.partition('=')[0]}=***" for pair in parts.query.split("&") if pair)
    return urlunsplit((parts.scheme, f"{userinfo}{host}{port}", path, query, ""))


def is_plain_http(url: str) -> bool:
    """Whether messages to this URL travel unencrypted."""
    return urlsplit(url).scheme.lower() == "http"


def plain_http_warning() -> str:
    """The warning shown for a plain http URL (saved all the same)."""
    return _("This URL uses plain http: messages travel unencrypted and can be read or changed on the way. "
             "Use https unless the receiver is on a trusted network.")


def check_url(url: str) -> tuple[str | None, str | None]:
    """An error that rejects the URL (or None), and a warning that lets it be saved (or None)."""
    if not url:
        return _("Enter the URL the messages are posted to."), None
    if len(url) > URL_MAX:
        return _("Use at most %(max)d characters.") % {"max": URL_MAX}, None
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url):
        return _("A URL cannot contain spaces or control characters."), None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        return _("This is not a valid URL."), None
    if parts.scheme.lower() not in ("http", "https"):
        return _("Only http:// and https:// URLs can receive webhooks."), None
    if parts.username is not None or parts.password is not None:
        return _("Do not put a user name or password in the URL; the receiver can check the signature instead."), None
    if not parts.hostname:
        return _("The URL needs a host name, for example https://hooks.slack.com/…"), None
    if parts.scheme.lower() == "http":
        return None, plain_http_warning()
    return None, None


# --- registration -----------------------------------------------------------------------------


def new_webhook_secret() -> str:
    """A fresh signing secret: 32 random bytes, hex."""
    return secrets.token_hex(32)


@dataclass
class WebhookForm:
    """The registration form as submitted."""

    name: str = ""
    url: str = ""
    style: str = WebhookStyle.SLACK.value


@dataclass(frozen=True)
class FormCheck:
    """The form's problems by field (errors refuse it, warnings do not), and its name and URL as saved."""

    errors: dict[str, str]
    warnings: dict[str, str]
    name: str
    url: str


def webhook_name(raw: str) -> str:
    """A webhook's name as saved: whitespace runs made one space, trimmed."""
    return " ".join(raw.split())


def check_webhook_form(form: WebhookForm, *, name_taken: bool) -> FormCheck:
    """Every problem of the form by field; `name_taken` says whether another webhook has its name."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    name = webhook_name(form.name)
    url = form.url.strip()
    if not name:
        errors["name"] = _("Enter a name, for example the channel the messages go to.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Use at most %(max)d characters.") % {"max": NAME_MAX}
    elif name_taken:
        errors["name"] = _("Another webhook already has this name.")
    url_error, url_warning = check_url(url)
    if url_error:
        errors["url"] = url_error
    elif url_warning:
        warnings["url"] = url_warning
    if form.style not in STYLE_LABELS:
        errors["style"] = _("Choose a payload style.")
    return FormCheck(errors=errors, warnings=warnings, name=name, url=url)


def audited_webhook(webhook: Webhook) -> dict[str, Any]:
    """A webhook as the audit trail keeps it: no secret, the URL masked."""
    # Chat URLs are keys too, so even the URL enters the trail only masked.
    return {"name": webhook.name, "url": masked_url(webhook.url), "style": webhook.style, "active": webhook.active}
