"""Who is reminded of what, and on which date: the reminder rules and the query that applies them.

Each rule answers with the date a reminder is *for* (its `due_on`), never "send now": the latest
date that has come, so a job that missed some days sends only the latest pending reminder per
action and kind, and a reminder already claimed for that date is never sent again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from actiontrack import clock
from actiontrack.actions import CLOSED_STATUSES
from actiontrack.i18n import N_
from actiontrack.models import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    Delivery,
    DeliveryStatus,
    Reminder,
    Role,
    User,
    Webhook,
)
from actiontrack.params import one_line
from actiontrack.settings import Settings
from actiontrack.texts import Texts

logger = logging.getLogger("actiontrack.reminders")

class Kind(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ASSIGNED = "assigned"
    BLOCKED = "blocked"
    DIGEST = "digest"


KIND_LABELS = {
    Kind.DUE_SOON.value: N_("Deadline coming"),
    Kind.OVERDUE.value: N_("Overdue"),
    Kind.ASSIGNED.value: N_("Assigned"),
    Kind.BLOCKED.value: N_("Blocked without update"),
    Kind.DIGEST.value: N_("Weekly digest"),
}


# --- the dates ----------------------------------------------------------------------------------


def deadline_reminder_on(*, deadline: date, today: date, days_before: Sequence[int], earliest: date) -> date | None:
    """The latest "deadline coming" date that has come, until the deadline itself; none before `earliest`.

    `earliest` is the day the action was created: an action made three days before its deadline
    gets no "seven days left" reminder (its owner just heard about it).
    """
    if today > deadline:
        return None
    # Days before the first representable date (a deadline typed as 0001-01-03) do not exist.
    dates = [deadline - timedelta(days=days) for days in days_before if days <= (deadline - date.min).days]
    return max((day for day in dates if earliest <= day <= today), default=None)


def overdue_reminder_on(*, deadline: date, today: date, repeat_days: int) -> date | None:
    """The day it became overdue (the day after the deadline), then every `repeat_days` days."""
    if today <= deadline:  # before computing the day after: a deadline of 9999-12-31 has none
        return None
    first = deadline + timedelta(days=1)
    return first + timedelta(days=(today - first).days // repeat_days * repeat_days)


def assignment_notice_on(*, assigned_on: date, today: date, notice_days: int) -> date | None:
    """The day of the assignment, while it is at most `notice_days` old (older ones are not news)."""
    return assigned_on if today - timedelta(days=notice_days) <= assigned_on <= today else None


def blocked_alert_on(*, last_update_on: date, today: date, alert_days: int) -> date | None:
    """The day a blocked action reached `alert_days` days without an update (once per silence)."""
    if (today - last_update_on).days < alert_days:
        return None
    return last_update_on + timedelta(days=alert_days)


def digest_on(*, today: date, weekday: int) -> date:
    """The latest digest day (0 = Monday) on or before today."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def claim_key(*, kind: str, action_id: int | None, due_on: date, recipient: str) -> str:
    """The unique key of a reminder; whoever inserts it first sends it."""
    return f"{kind}|{action_id or '-'}|{due_on.isoformat()}|{recipient}"


# A failed delivery is tried again by later runs: 15 minutes after it failed, then after as long again
# as it has been failing (30 min, 1 h, 2 h, 4 h, 8 h after the first try), then every 6 hours, until
# `retry_for` after its first try: 17 tries in 3 days, however often the job runs, and mail held up by
# a night's outage goes out at most 6 hours after the server is back.
FIRST_RETRY_WAIT = timedelta(minutes=15)
LONGEST_RETRY_WAIT = timedelta(hours=6)


def next_try_at(*, first_try: datetime, failed_at: datetime, retry_for: timedelta) -> datetime | None:
    """When a delivery that failed at `failed_at` is tried again by itself; None: no more (gave up)."""
    give_up_at = first_try + retry_for
    if failed_at >= give_up_at:
        return None
    wait = min(max(failed_at - first_try, FIRST_RETRY_WAIT), LONGEST_RETRY_WAIT)
    # The last try falls on the end of the window, so "gave up" always means the whole window passed.
    return min(failed_at + wait, give_up_at)


def gave_up(delivery: Delivery, *, retry_for: timedelta) -> bool:
    """A failed delivery that later runs no longer try because its window passed (not because of its error)."""
    return (delivery.status == DeliveryStatus.FAILED and delivery.next_try_at is None and retry_for > timedelta(0)
            and delivery.finished_at is not None and delivery.finished_at >= delivery.created_at + retry_for)


# --- who gets what --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """A person (by email) or a webhook; `key` is how the claim names it."""

    key: str
    channel: str  # "email" or "webhook"
    language: str
    user: User | None = None
    webhook: Webhook | None = None

    @property
    def label(self) -> str:
        if self.webhook is not None:
            return self.webhook.name
        assert self.user is not None
        return self.user.email or self.user.display_name

    @staticmethod
    def of_user(user: User) -> Recipient:
        return Recipient(key=f"user:{user.id}", channel="email", language=user.language, user=user)

    @staticmethod
    def of_webhook(webhook: Webhook, *, language: str) -> Recipient:
        return Recipient(key=f"webhook:{webhook.id}", channel="webhook", language=language, webhook=webhook)


@dataclass(frozen=True)
class ActionFacts:
    """What a message about one action says."""

    id: int
    title: Texts  # in every language: the message shows its reader's (see compose.speaking)
    deadline: date
    status: str
    owner_id: int
    owner_name: str
    last_update_on: date | None


@dataclass(frozen=True)
class Due:
    """One reminder that should exist: about what (kind, action), for which date, to whom."""

    kind: str
    due_on: date
    recipient: Recipient
    action: ActionFacts | None = None

    @property
    def key(self) -> str:
        return claim_key(kind=self.kind, action_id=self.action.id if self.action else None,
                         due_on=self.due_on, recipient=self.recipient.key)


@dataclass(frozen=True)
class _OpenAction:
    facts: ActionFacts
    owner: User
    created_on: date
    assigned_on: date | None
    assigned_to: int | None
    assigned_by: int | None


async def _open_action_rows(session: AsyncSession, which: Any) -> list[Any]:
    last_update = (
        select(ActionUpdate.action_id, func.max(ActionUpdate.created_at).label("at"))
        .group_by(ActionUpdate.action_id).subquery()
    )
    latest_assignment = (
        select(ActionUpdate.action_id, func.max(ActionUpdate.id).label("id"))
        .where(ActionUpdate.owner_after_id.is_not(None))
        .group_by(ActionUpdate.action_id).subquery()
    )
    assignment = aliased(ActionUpdate)
    return list((await session.execute(
        select(ActionItem, User, last_update.c.at, assignment.created_at, assignment.owner_after_id,
               assignment.author_id)
        .join(User, User.id == ActionItem.owner_id)
        .join(last_update, last_update.c.action_id == ActionItem.id, isouter=True)
        .join(latest_assignment, latest_assignment.c.action_id == ActionItem.id, isouter=True)
        .join(assignment, assignment.id == latest_assignment.c.id, isouter=True)
        .where(which)
        .order_by(ActionItem.id)
    )).all())


async def _open_actions(session: AsyncSession, *, action_id: int | None = None) -> list[_OpenAction]:
    """Open actions (or the one action asked for) with their owner, last history entry and latest assignment.

    A row whose dates cannot be read (text in a SQLite date column, a year Python cannot hold) would
    fail the whole read: then each action is read alone, and the unreadable ones are logged and left out.
    """
    which = (ActionItem.status.not_in([status.value for status in CLOSED_STATUSES]) if action_id is None
             else ActionItem.id == action_id)
    try:
        rows = await _open_action_rows(session, which)
    except (ValueError, OverflowError):
        ids = (await session.execute(select(ActionItem.id).where(which).order_by(ActionItem.id))).scalars().all()
        rows = []
        for one in ids:
            try:
                rows.extend(await _open_action_rows(session, ActionItem.id == one))
            except (ValueError, OverflowError):
                logger.exception("reminders of action %s skipped: its dates cannot be read", one)
    found = []
    for action, owner, last_at, assigned_at, assigned_to, assigned_by in rows:
        last_on = clock.local_day(last_at) if last_at is not None else clock.local_day(action.updated_at)
        facts = ActionFacts(id=action.id,
                            title=Texts(**{language: one_line(title) for language, title in action.titles().items()}),
                            deadline=action.deadline, status=action.status,
                            owner_id=owner.id, owner_name=one_line(owner.display_name), last_update_on=last_on)
        if assigned_at is None:  # no history entry names an owner: the creation is the assignment
            assigned_at, assigned_to, assigned_by = action.created_at, action.owner_id, action.created_by_id
        found.append(_OpenAction(facts=facts, owner=owner, created_on=clock.local_day(action.created_at),
                                 assigned_on=clock.local_day(assigned_at), assigned_to=assigned_to,
                                 assigned_by=assigned_by))
    return found


def _owner_reminders(item: _OpenAction, *, settings: Settings, today: date) -> list[tuple[str, date]]:
    """(kind, due_on) of each reminder the owner of an open action is due."""
    facts = item.facts
    due: list[tuple[str, date]] = []
    if (day := deadline_reminder_on(deadline=facts.deadline, today=today, days_before=settings.reminder_days,
                                    earliest=item.created_on)) is not None:
        due.append((Kind.DUE_SOON, day))
    if (day := overdue_reminder_on(deadline=facts.deadline, today=today,
                                   repeat_days=settings.overdue_repeat_days)) is not None:
        due.append((Kind.OVERDUE, day))
    # Only the current owner hears of their assignment, and not when they assigned it to themselves.
    if (item.assigned_on is not None and item.assigned_to == item.owner.id and item.assigned_by != item.owner.id
            and (day := assignment_notice_on(assigned_on=item.assigned_on, today=today,
                                             notice_days=settings.assignment_notice_days)) is not None):
        due.append((Kind.ASSIGNED, day))
    return due


def _action_reminders(item: _OpenAction, *, settings: Settings, today: date, hr: list[Recipient],
                      hooks: list[Recipient]) -> list[Due]:
    """The reminders about one open action, to its owner, HR and the webhooks."""
    found: list[Due] = []
    owner = [Recipient.of_user(item.owner)] if item.owner.active else []
    for kind, day in _owner_reminders(item, settings=settings, today=today):
        found.extend(Due(kind=kind, due_on=day, recipient=to, action=item.facts) for to in [*owner, *hooks])
    if item.facts.status == ActionStatus.BLOCKED and item.facts.last_update_on is not None:
        day = blocked_alert_on(last_update_on=item.facts.last_update_on, today=today,
                               alert_days=settings.blocked_alert_days)
        if day is not None:
            found.extend(Due(kind=Kind.BLOCKED, due_on=day, recipient=to, action=item.facts) for to in [*hr, *hooks])
    return found


async def find_due(session: AsyncSession, *, settings: Settings, today: date) -> list[Due]:
    """Every reminder the rules want to exist today, to people and to active webhooks (4 queries)."""
    actions = await _open_actions(session)
    staff = (await session.execute(
        select(User).where(User.active, User.role.in_([Role.HR.value, Role.LEADERSHIP.value])).order_by(User.id)
    )).scalars().all()
    webhooks = (await session.execute(select(Webhook).where(Webhook.active).order_by(Webhook.id))).scalars().all()
    hooks = [Recipient.of_webhook(hook, language=settings.default_language) for hook in webhooks]
    hr = [Recipient.of_user(user) for user in staff if user.role == Role.HR]

    found: list[Due] = []
    for item in actions:
        try:
            found.extend(_action_reminders(item, settings=settings, today=today, hr=hr, hooks=hooks))
        except Exception:  # one odd row must not stop everyone's reminders
            logger.exception("reminders of action %s skipped: its dates cannot be worked out", item.facts.id)
    digest_day = digest_on(today=today, weekday=settings.digest_weekday)
    found.extend(Due(kind=Kind.DIGEST, due_on=digest_day, recipient=to)
                 for to in [*(Recipient.of_user(user) for user in staff), *hooks])
    return found


async def action_facts(session: AsyncSession, *, action_id: int) -> ActionFacts | None:
    """What a message says about one action, whatever its status (for resending)."""
    found = await _open_actions(session, action_id=action_id)
    return found[0].facts if found else None


@dataclass(frozen=True)
class Retry:
    """A failed delivery whose next try has come."""

    delivery_id: int
    kind: str
    action_id: int | None
    channel: str
    target: str
    subject: str


async def due_retries(session: AsyncSession, *, now: datetime) -> list[Retry]:
    """Failed deliveries of reminders whose next try has come, the longest waiting first."""
    rows = (await session.execute(
        select(Delivery.id, Reminder.kind, Reminder.action_id, Delivery.channel, Delivery.target, Delivery.subject)
        .join(Reminder, Reminder.id == Delivery.reminder_id)
        .where(Delivery.status == DeliveryStatus.FAILED.value, Delivery.next_try_at <= now)
        .order_by(Delivery.next_try_at, Delivery.id)
    )).all()
    return [Retry(*row) for row in rows]


async def superseded(session: AsyncSession, *, reminder: Reminder) -> bool:
    """Whether a later reminder of the same kind, about the same action, to the same recipient exists.

    Sending the old one after it (a failed "7 days left" after "1 day left", last week's digest after
    this week's) would only say something out of date.
    """
    later = (await session.execute(
        select(Reminder.key).where(Reminder.kind == reminder.kind, Reminder.due_on > reminder.due_on,
                                   Reminder.action_id.is_(None) if reminder.action_id is None
                                   else Reminder.action_id == reminder.action_id)
    )).scalars()
    recipient = reminder.key.rpartition("|")[2]
    return any(key.rpartition("|")[2] == recipient for key in later)


async def claimed_keys(session: AsyncSession, *, keys: Sequence[str]) -> set[str]:
    """Which of these reminders some run has already claimed."""
    claimed: set[str] = set()
    for start in range(0, len(keys), 500):  # stay under the databases' bound-parameter limits
        chunk = keys[start:start + 500]
        claimed.update((await session.execute(select(Reminder.key).where(Reminder.key.in_(chunk)))).scalars())
    return claimed
