"""One run of `actiontrack remind`: find what is due, claim it, send it, record how it went.

A reminder is claimed by inserting its `Reminder` row (unique key) in a transaction of its own,
committed before anything is sent; a run that finds the key taken sends nothing. So any number of
runs, on any number of machines, send each reminder once. A crash between claim and send leaves a
"pending" delivery on the deliveries page rather than a duplicate.

A delivery that failed for a passing reason is tried again by later runs (rules.next_try_at): it is
taken back from "failed" to "pending" by a conditional update committed before sending, as HR's
"Send again" does, so a reminder is never delivered twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import httpx
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack import clock
from actiontrack.actions import CLOSED_STATUSES
from actiontrack.db import make_engine, make_sessionmaker
from actiontrack.disclosure import Disclosure, period_length, pooling_for, release_due
from actiontrack.messages import Message, SendResult
from actiontrack.models import ActionStatus, Delivery, DeliveryStatus, Reminder, User, Webhook, column_limit
from actiontrack.params import one_line
from actiontrack.reminders.compose import Links, compose_action, compose_digest, speaking
from actiontrack.reminders.digest import Digest, build_digest
from actiontrack.reminders.email import NOT_CONFIGURED, Mailer
from actiontrack.reminders.rules import (
    ActionFacts,
    Due,
    Kind,
    Recipient,
    Retry,
    action_facts,
    claimed_keys,
    due_retries,
    find_due,
    next_try_at,
    superseded,
)
from actiontrack.settings import Settings
from actiontrack.surveys.queries import deliver_answers
from actiontrack.webhooks.delivery import send_webhook, short_error, webhook_client

logger = logging.getLogger("actiontrack.reminders")
SENT, FAILED, WOULD_SEND, SKIPPED = "sent", "failed", "would send", "skipped"


@dataclass(frozen=True)
class Line:
    """What happened to one reminder in this run."""

    kind: str
    action_id: int | None
    recipient: str
    channel: str
    result: str  # sent, failed, would send, skipped
    error: str = ""
    subject: str = ""
    retried: bool = False  # a delivery that failed before, tried again

    def __str__(self) -> str:
        action = f"action {self.action_id}" if self.action_id else "-"
        result = f"{self.result} again" if self.retried else self.result
        outcome = f"{result}: {self.error}" if self.error else result
        if self.result == WOULD_SEND:
            outcome = f"{result}: {self.subject}"
        # Names, titles and errors come from the database and from servers: no escape sequences on a terminal.
        return one_line(f"{self.kind:<9} {action:<12} {self.recipient:<32} {self.channel:<8} {outcome}")


@dataclass
class Report:
    dry_run: bool
    lines: list[Line] = field(default_factory=list)
    already_claimed: int = 0

    def count(self, result: str) -> int:
        return sum(1 for line in self.lines if line.result == result)

    def summary(self) -> str:
        if self.dry_run:
            return (f"dry run: {self.count(WOULD_SEND)} would be sent, {self.count(SKIPPED)} skipped, "
                    f"{self.already_claimed} already claimed; nothing was claimed or sent")
        retried = sum(1 for line in self.lines if line.retried and line.result in (SENT, FAILED))
        return (f"reminders: {self.count(SENT)} sent, {self.count(FAILED)} failed, {self.count(SKIPPED)} skipped, "
                f"{self.already_claimed} already claimed" + (f"; {retried} of them tried again" if retried else ""))


def run_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:column_limit(Reminder, "claimed_by")]


async def _claim(sessions: async_sessionmaker[AsyncSession], due: Due, message: Message, *,
                 claimed_by: str, now: datetime) -> int | None:
    """Insert the reminder (or find it taken) and its pending delivery; the id of the delivery, or None."""
    async with sessions() as session, session.begin():
        insert = postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert(Reminder)
            .values(key=due.key, kind=due.kind, action_id=due.action.id if due.action else None,
                    recipient_id=due.recipient.user.id if due.recipient.user else None, due_on=due.due_on,
                    claimed_by=claimed_by, claimed_at=clock.utcnow())
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(Reminder.id)
        )
        reminder_id = (await session.execute(statement)).scalar_one_or_none()
        if reminder_id is None:
            return None
        delivery = Delivery(reminder_id=reminder_id, channel=due.recipient.channel,
                            target=due.recipient.label[:column_limit(Delivery, "target")],
                            webhook_id=due.recipient.webhook.id if due.recipient.webhook else None,
                            subject=message.subject[:300], status=DeliveryStatus.PENDING, created_at=now)
        session.add(delivery)
        await session.flush()
        return delivery.id


async def record_result(session: AsyncSession, *, delivery_id: int, result: SendResult, settings: Settings,
                        now: datetime) -> None:
    """Write how sending ended onto the delivery, and when a later run tries a failure again."""
    delivery = await session.get(Delivery, delivery_id)
    assert delivery is not None
    delivery.status = DeliveryStatus.SENT if result.ok else DeliveryStatus.FAILED
    delivery.attempts += result.attempts
    delivery.error = result.error[:2000]
    delivery.finished_at = now
    retry_for = timedelta(hours=settings.delivery_retry_hours)
    delivery.next_try_at = next_try_at(first_try=delivery.created_at, failed_at=now, retry_for=retry_for) \
        if result.retryable and not result.ok else None


@dataclass
class Channels:
    """The senders of one run: one SMTP connection and one HTTP client, opened when first needed."""

    settings: Settings
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    mailer: Mailer = field(init=False)
    _client: httpx.AsyncClient | None = None

    def __post_init__(self) -> None:
        self.mailer = Mailer(self.settings)

    async def send(self, due: Due, message: Message) -> SendResult:
        recipient = due.recipient
        try:
            if recipient.webhook is not None:
                if self._client is None:
                    self._client = webhook_client(allow_private=self.settings.webhook_allow_private)
                with speaking(recipient.language):  # the payload's button label
                    return await send_webhook(self._client, recipient.webhook, message,
                                              timeout=self.settings.webhook_timeout_seconds,
                                              retries=self.settings.webhook_retries, sleep=self.sleep)
            assert recipient.user is not None
            return await self.mailer.send(message, to=recipient.user.email, language=recipient.language)
        except Exception as exc:
            logger.exception("sending %s to %s failed", due.key, recipient.label)
            error = f"unexpected error: {type(exc).__name__}: {exc}"
            if recipient.webhook is not None:
                error = short_error(error, recipient.webhook)  # a chat URL is a secret too
            return SendResult(ok=False, attempts=1, error=error)

    async def close(self) -> None:
        await self.mailer.close()
        if self._client is not None:
            await self._client.aclose()


def compose(due: Due, *, settings: Settings, links: Links, today: date, digest: Digest | None) -> Message:
    if due.kind == Kind.DIGEST:
        assert digest is not None
        return compose_digest(due, digest, settings=settings, links=links)
    return compose_action(due, settings=settings, links=links, today=today)


@dataclass(frozen=True)
class _Run:
    """What every step of one run shares."""

    settings: Settings
    disclosure: Disclosure  # one for the run (or the worker's): each digest it builds reads a period once
    links: Links
    today: date
    now: datetime
    dry_run: bool
    claimed_by: str


async def run_reminders(
    *,
    settings: Settings,
    disclosure: Disclosure,
    paths: Callable[..., str],
    today: date | None = None,
    dry_run: bool = False,
    claimed_by: str | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    now: datetime | None = None,
) -> Report:
    """Send every reminder due on `today` that no run has claimed yet, then the failed ones whose next try
    has come (or, with dry_run, list them).

    `paths` is the app's route_reverse: messages link to its pages by route name. `disclosure` shows the
    digest's figures (the caller makes one for the run). `now` is the run's moment, which schedules and finds
    the tries of failed deliveries.
    """
    today = today or clock.today()
    run = _Run(settings=settings, disclosure=disclosure, links=Links(settings.base_url, paths), today=today,
               now=now or clock.utcnow(), dry_run=dry_run, claimed_by=claimed_by or run_name())
    engine = make_engine(settings.database_url)
    channels = Channels(settings, sleep=sleep)
    try:
        sessions = make_sessionmaker(engine)
        report = await _send_due(sessions, channels=channels, run=run)
        # After the new reminders: a failed one that a newer one replaced is then not sent.
        for retry in await _due_retries(sessions, now=run.now):
            line = await _retry(retry, sessions=sessions, channels=channels, run=run)
            if line is not None:
                report.lines.append(line)
    finally:
        await channels.close()
        await engine.dispose()
    return report


async def _send_due(sessions: async_sessionmaker[AsyncSession], *, channels: Channels, run: _Run) -> Report:
    settings, today = run.settings, run.today
    report = Report(dry_run=run.dry_run)
    if not run.dry_run:
        # The digest shows released periods only; release the ones that fell due first, with the
        # survey answers of past days written as interviews before (in a transaction of their own).
        async with sessions() as session, session.begin():
            await deliver_answers(session, now=clock.utcnow())
        async with sessions() as session, session.begin():
            await release_due(session, length=await period_length(session, default=settings.report_period),
                              delay_days=settings.release_delay_days, today=today,
                              pooling=await pooling_for(session, settings))
    async with sessions() as session:
        found = list({due.key: due for due in await find_due(session, settings=settings, today=today)}.values())
        taken = await claimed_keys(session, keys=[due.key for due in found])
        pending = [due for due in found if due.key not in taken]
        digest = None
        if any(due.kind == Kind.DIGEST for due in pending):
            try:
                digest = await build_digest(session, settings=settings, disclosure=run.disclosure,
                                            day=_digest_day(pending))
            except Exception:  # the reminders about actions still go out
                logger.exception("the weekly digest cannot be built; it is left for the next run")
                pending = [due for due in pending if due.kind != Kind.DIGEST]
    report.already_claimed = len(taken)
    for due in pending:
        line = await _deliver(due, sessions=sessions, channels=channels, run=run, digest=digest)
        if line is None:
            report.already_claimed += 1
        else:
            report.lines.append(line)
    return report


def _digest_day(pending: list[Due]) -> date:
    return next(due.due_on for due in pending if due.kind == Kind.DIGEST)


async def _deliver(due: Due, *, sessions: async_sessionmaker[AsyncSession], channels: Channels, run: _Run,
                   digest: Digest | None) -> Line | None:
    """Claim, send and record one reminder; None when another run claimed it first."""
    line = Line(kind=due.kind, action_id=due.action.id if due.action else None, recipient=due.recipient.label,
                channel=due.recipient.channel, result="")
    if due.recipient.channel == "email" and not channels.mailer.configured:
        # Skipped, not claimed: once SMTP is set up, the latest pending reminders still go out.
        return _with(line, SKIPPED, NOT_CONFIGURED)
    try:
        message = compose(due, settings=run.settings, links=run.links, today=run.today, digest=digest)
    except Exception:  # a message that cannot be written must not stop the others
        logger.exception("%s about action %s to %s skipped: the message cannot be written", due.kind,
                         line.action_id, due.recipient.label)
        return _with(line, FAILED, "the message cannot be written (see the log)")
    if run.dry_run:
        return _with(line, WOULD_SEND, subject=message.subject)
    delivery_id = await _claim(sessions, due, message, claimed_by=run.claimed_by, now=run.now)
    if delivery_id is None:
        return None
    result = await channels.send(due, message)
    async with sessions() as session, session.begin():
        await record_result(session, delivery_id=delivery_id, result=result, settings=run.settings, now=run.now)
    if not result.ok:
        logger.warning("%s to %s failed: %s", due.kind, due.recipient.label, result.error)
    return _with(line, SENT if result.ok else FAILED, result.error)


def _with(line: Line, result: str, error: str = "", subject: str = "") -> Line:
    return Line(line.kind, line.action_id, line.recipient, line.channel, result, error, subject, line.retried)


async def _due_retries(sessions: async_sessionmaker[AsyncSession], *, now: datetime) -> list[Retry]:
    async with sessions() as session:
        return await due_retries(session, now=now)


async def _retry(retry: Retry, *, sessions: async_sessionmaker[AsyncSession], channels: Channels,
                 run: _Run) -> Line | None:
    """Try a failed delivery again; None when another run or HR took it first."""
    line = Line(kind=retry.kind, action_id=retry.action_id, recipient=retry.target, channel=retry.channel,
                result="", retried=True)
    if retry.channel == "email" and not channels.mailer.configured:
        return _with(line, SKIPPED, NOT_CONFIGURED)  # left failed, with its next try: SMTP may come back
    if run.dry_run:
        return _with(line, WOULD_SEND, subject=retry.subject)
    reminder_id = await _take_back(sessions, delivery_id=retry.delivery_id, due_by=run.now)
    if reminder_id is None:
        return None
    result = await _send_again(sessions, channels=channels, run=run, delivery_id=retry.delivery_id,
                               reminder_id=reminder_id)
    if not result.ok:
        logger.warning("%s to %s failed again: %s", retry.kind, retry.target, result.error)
    return _with(line, SENT if result.ok else FAILED, result.error)


async def _take_back(sessions: async_sessionmaker[AsyncSession], *, delivery_id: int,
                     due_by: datetime | None) -> int | None:
    """Take a failed delivery back to "pending" (its reminder's id), or None when it is not failed (any more).

    A conditional update committed before sending: of two runs, or a run and HR's button, one sends,
    and no transaction stays open while sending. `due_by`: only when its next try has come by then.
    """
    conditions = [Delivery.id == delivery_id, Delivery.status == DeliveryStatus.FAILED.value,
                  Delivery.reminder_id.is_not(None)]
    if due_by is not None:
        conditions.append(Delivery.next_try_at <= due_by)
    async with sessions() as session, session.begin():
        taken = await session.execute(
            update(Delivery).where(*conditions)
            .values(status=DeliveryStatus.PENDING.value, next_try_at=None).returning(Delivery.reminder_id)
        )
        return taken.scalar_one_or_none()


async def _send_again(sessions: async_sessionmaker[AsyncSession], *, channels: Channels, run: _Run,
                      delivery_id: int, reminder_id: int) -> SendResult:
    """Write a taken-back reminder anew from today's data, send it and record how it went."""
    async with sessions() as session:
        reminder = await session.get(Reminder, reminder_id)
        assert reminder is not None
        due, digest, problem = await _rebuild(session, run=run, reminder=reminder)
    if due is None:
        result = SendResult(ok=False, attempts=0, error=problem)
    else:
        try:
            message = compose(due, settings=run.settings, links=run.links, today=run.today, digest=digest)
        except Exception:
            logger.exception("%s to %s not sent again: the message cannot be written", due.kind, due.recipient.label)
            message = None
        result = await channels.send(due, message) if message is not None else SendResult(
            ok=False, attempts=0, error="the message cannot be written (see the log)")
    async with sessions() as session, session.begin():
        await record_result(session, delivery_id=delivery_id, result=result, settings=run.settings, now=run.now)
    return result


async def resend(sessions: async_sessionmaker[AsyncSession], *, settings: Settings, disclosure: Disclosure,
                 paths: Callable[..., str], delivery_id: int, today: date) -> SendResult | None:
    """HR's "Send again": a failed delivery, written anew from today's data (a digest's figures as the worker's
    `disclosure` shows them), with one try; None if it is not failed."""
    reminder_id = await _take_back(sessions, delivery_id=delivery_id, due_by=None)
    if reminder_id is None:
        return None
    # One try: HR is waiting for the page, and can press the button again.
    one_try = settings.model_copy(update={"webhook_retries": 0})
    channels = Channels(one_try)
    run = _Run(settings=settings, disclosure=disclosure, links=Links(settings.base_url, paths), today=today,
               now=clock.utcnow(), dry_run=False, claimed_by=run_name())
    try:
        return await _send_again(sessions, channels=channels, run=run, delivery_id=delivery_id,
                                 reminder_id=reminder_id)
    finally:
        await channels.close()


def _no_longer_due(reminder: Reminder, facts: ActionFacts, *, recipient: Recipient, today: date) -> str:
    """Why a reminder about an action would now say something untrue ("" when it still holds)."""
    if facts.status in {status.value for status in CLOSED_STATUSES}:
        return "the action is closed"
    if reminder.kind == Kind.BLOCKED and facts.status != ActionStatus.BLOCKED:
        return "the action is no longer blocked"
    if reminder.kind == Kind.DUE_SOON and facts.deadline < today:
        return "the deadline has passed (the overdue reminder follows)"
    if reminder.kind != Kind.BLOCKED and recipient.user is not None and recipient.user.id != facts.owner_id:
        return "the action has another owner now"
    return ""


async def _rebuild(session: AsyncSession, *, run: _Run, reminder: Reminder) -> tuple[Due | None, Digest | None, str]:
    """The reminder as the rules would find it today, or why it cannot be sent any more."""
    settings, today = run.settings, run.today
    recipient_kind, _, recipient_id = reminder.key.rpartition("|")[2].partition(":")
    recipient: Recipient | None = None
    if recipient_kind == "user" and (user := await session.get(User, int(recipient_id))) is not None and user.active:
        recipient = Recipient.of_user(user)
    elif recipient_kind == "webhook" and (hook := await session.get(Webhook, int(recipient_id))) is not None \
            and hook.active:
        recipient = Recipient.of_webhook(hook, language=settings.default_language)
    if recipient is None:
        return None, None, "the recipient is no longer active"
    if await superseded(session, reminder=reminder):
        return None, None, "a newer reminder of the same kind replaced it"
    digest = facts = None
    if reminder.kind == Kind.DIGEST:
        digest = await build_digest(session, settings=settings, disclosure=run.disclosure, day=reminder.due_on)
    elif reminder.action_id is None or (facts := await action_facts(session, action_id=reminder.action_id)) is None:
        return None, None, "the action no longer exists"
    if facts is not None and (problem := _no_longer_due(reminder, facts, recipient=recipient, today=today)):
        return None, None, problem
    return Due(kind=reminder.kind, due_on=reminder.due_on, recipient=recipient, action=facts), digest, ""
