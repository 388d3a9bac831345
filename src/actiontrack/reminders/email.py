"""Email over SMTP (aiosmtplib): one connection per run, reused for every message."""

from __future__ import annotations

import re
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from actiontrack.messages import Message, SendResult
from actiontrack.settings import Settings

NO_ADDRESS = "no email address"
NOT_CONFIGURED = "SMTP not configured (set ACTIONTRACK_SMTP_HOST)"
# One address, no spaces or line breaks: enough to refuse what cannot be delivered before trying.
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_deliverable(address: str | None) -> bool:
    return bool(address) and len(address) <= 254 and _ADDRESS.fullmatch(address) is not None


def email_message(message: Message, *, to: str, sender: str, language: str) -> EmailMessage:
    """The MIME message: a plain-text part and an HTML alternative."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = to
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # Tells mail servers and out-of-office replies that no person wrote this (RFC 3834).
    mail["Auto-Submitted"] = "auto-generated"
    # Lets people filter reminders by kind (due_soon, overdue, assigned, blocked, digest).
    mail["X-Actiontrack-Kind"] = message.kind
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    mail["Content-Language"] = language  # after the parts: set_content drops Content-* headers
    return mail


def _passes(exc: BaseException) -> bool:
    """Whether an SMTP error may pass by itself: the server unreachable or busy (4xx), not a 5xx refusal."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(400 <= error.code < 500 for error in exc.recipients)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return 400 <= exc.code < 500
    return True  # disconnected, timed out, network errors


def _describe(exc: BaseException) -> str:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return "recipient refused: " + "; ".join(f"{error.code} {error.message}" for error in exc.recipients)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"SMTP {exc.code} {exc.message}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Mailer:
    """Sends messages through the configured SMTP server, connecting on the first message.

    When the server cannot be reached, every later message of the run fails at once with the same
    error, so a run does not wait for the time-out once per message.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: aiosmtplib.SMTP | None = None
        self._connect_error: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        settings = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=settings.smtp_host, port=settings.smtp_port,
            username=settings.smtp_username or None, password=settings.smtp_password or None,
            use_tls=settings.smtp_security == "tls",
            start_tls=settings.smtp_security == "starttls",
            timeout=settings.smtp_timeout_seconds,
            # A private CA (an intranet relay) replaces the system trust; certificates are always verified.
            tls_context=ssl.create_default_context(cafile=settings.smtp_ca_file) if settings.smtp_ca_file else None,
        )
        await smtp.connect()
        self._smtp = smtp
        return smtp

    async def send(self, message: Message, *, to: str, language: str) -> SendResult:
        if not is_deliverable(to):
            return SendResult(ok=False, attempts=0, error=NO_ADDRESS)
        if not self.configured:
            return SendResult(ok=False, attempts=0, error=NOT_CONFIGURED, retryable=True)
        if self._connect_error is not None:
            return SendResult(ok=False, attempts=0, error=self._connect_error, retryable=True)
        mail = email_message(message, to=to, sender=self.settings.mail_from, language=language)
        for attempt in (1, 2):
            try:
                smtp = await self._connection()
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                server = f"SMTP server {self.settings.smtp_host}:{self.settings.smtp_port}"
                # A refused sign-in is not a network problem: say so, so nobody looks at the firewall.
                problem = "sign-in refused by" if isinstance(exc, aiosmtplib.SMTPAuthenticationError) \
                    else "cannot reach"
                self._connect_error = f"{problem} {server}: {_describe(exc)}"
                # A refused sign-in is retried too: fixing the password in the settings makes it work.
                return SendResult(ok=False, attempts=attempt, error=self._connect_error, retryable=True)
            try:
                await smtp.send_message(mail)
                return SendResult(ok=True, attempts=attempt)
            except aiosmtplib.SMTPServerDisconnected as exc:
                # A server may close an idle connection between two messages: reconnect once.
                self._smtp = None
                if attempt == 2:
                    return SendResult(ok=False, attempts=attempt, error=_describe(exc), retryable=True)
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                return SendResult(ok=False, attempts=attempt, error=_describe(exc), retryable=_passes(exc))
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self._smtp is not None and self._smtp.is_connected:
            try:
                await self._smtp.quit()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                self._smtp.close()
        self._smtp = None
