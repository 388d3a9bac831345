"""Reminders: the rules, real mail through a loopback SMTP server, real webhook posts, claims and the CLI."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from babel.dates import format_date as babel_date
from litestar.testing import TestClient
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine

from actiontrack import clock
from actiontrack.disclosure import Disclosure
from actiontrack.disclosure.periods import due_periods
from actiontrack.models import ActionItem, ActionUpdate, Delivery, Reminder, Role, User, Webhook
from actiontrack.reminders.job import Report, run_reminders
from actiontrack.reminders.rules import (
    assignment_notice_on,
    blocked_alert_on,
    claim_key,
    deadline_reminder_on,
    digest_on,
    overdue_reminder_on,
)
from actiontrack.settings import PROJECT_ROOT, Settings

from conftest import (
    SECRET,
    HookReceiver,
    Inbox,
    SmtpServer,
    count,
    execute,
    free_port,
    off_loop,
    route_paths,
    run,
    run_command,
    sign_in,
)

BASE_URL = "https://actiontrack.example"
D = date  # short for the date tables below


# --- the rules, as plain functions of dates -----------------------------------------------------


@pytest.mark.parametrize("today, expected", [
    (D(2026, 3, 1), None),               # more than a week before
    (D(2026, 3, 3), D(2026, 3, 3)),      # 7 days before
    (D(2026, 3, 6), D(2026, 3, 3)),      # still the 7-day reminder (already claimed if it went out)
    (D(2026, 3, 9), D(2026, 3, 9)),      # 1 day before
    (D(2026, 3, 10), D(2026, 3, 9)),     # on the deadline: the 1-day reminder, if it was missed
    (D(2026, 3, 11), None),              # overdue: another rule
])
def test_deadline_reminder_is_the_latest_date_that_has_come(today: date, expected: date | None) -> None:
    assert deadline_reminder_on(deadline=D(2026, 3, 10), today=today, days_before=(7, 1),
                                earliest=D(2026, 1, 1)) == expected


def test_no_seven_day_reminder_for_an_action_created_after_that_day() -> None:
    assert deadline_reminder_on(deadline=D(2026, 3, 10), today=D(2026, 3, 5), days_before=(7, 1),
                                earliest=D(2026, 3, 5)) is None
    assert deadline_reminder_on(deadline=D(2026, 3, 10), today=D(2026, 3, 9), days_before=(7, 1),
                                earliest=D(2026, 3, 5)) == D(2026, 3, 9)


@pytest.mark.parametrize("today, expected", [
    (D(2026, 3, 10), None),            # the deadline day itself is not overdue
    (D(2026, 3, 11), D(2026, 3, 11)),  # the day it becomes overdue
    (D(2026, 3, 17), D(2026, 3, 11)),
    (D(2026, 3, 18), D(2026, 3, 18)),  # a week later
    (D(2026, 4, 3), D(2026, 4, 1)),    # catching up after weeks: only the latest
])
def test_overdue_reminder_on_the_first_overdue_day_then_weekly(today: date, expected: date | None) -> None:
    assert overdue_reminder_on(deadline=D(2026, 3, 10), today=today, repeat_days=7) == expected


def test_assignment_is_news_for_a_few_days_only() -> None:
    assigned = D(2026, 3, 10)
    assert assignment_notice_on(assigned_on=assigned, today=D(2026, 3, 10), notice_days=3) == assigned
    assert assignment_notice_on(assigned_on=assigned, today=D(2026, 3, 13), notice_days=3) == assigned
    assert assignment_notice_on(assigned_on=assigned, today=D(2026, 3, 14), notice_days=3) is None


def test_blocked_alert_after_the_silence_and_digest_on_its_weekday() -> None:
    assert blocked_alert_on(last_update_on=D(2026, 3, 1), today=D(2026, 3, 14), alert_days=14) is None
    assert blocked_alert_on(last_update_on=D(2026, 3, 1), today=D(2026, 3, 20), alert_days=14) == D(2026, 3, 15)
    assert digest_on(today=D(2026, 3, 16), weekday=0) == D(2026, 3, 16)  # a Monday
    assert digest_on(today=D(2026, 3, 22), weekday=0) == D(2026, 3, 16)  # the Sunday after
    assert digest_on(today=D(2026, 3, 16), weekday=4) == D(2026, 3, 13)  # Friday's digest
    assert claim_key(kind="digest", action_id=None, due_on=D(2026, 3, 16), recipient="webhook:2") \
        == "digest|-|2026-03-16|webhook:2"


def test_reminder_days_setting_is_parsed_and_checked() -> None:
    settings = Settings(secret_key=SECRET, reminder_days_before=" 1, 14,7 ")
    assert settings.reminder_days == (14, 7, 1)
    with pytest.raises(ValueError, match="REMINDER_DAYS_BEFORE"):
        Settings(secret_key=SECRET, reminder_days_before="7,soon")


# --- real parts: an SMTP server and a webhook receiver on loopback ports --------------------------


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> SmtpServer:
    return smtp_server


@pytest.fixture
def hooks(webhook_receiver: HookReceiver) -> HookReceiver:
    return webhook_receiver


@pytest.fixture
def make_webhook(add_webhook: Callable[..., Webhook]) -> Callable[..., Webhook]:
    return add_webhook


@pytest.fixture
def remind_settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_security": "none",
        "mail_from": "actiontrack@example.com", "base_url": BASE_URL, "webhook_retries": 0,
    })


def remind(settings: Settings, *, today: date, dry_run: bool = False, **kwargs: Any) -> Report:
    """One run of the job, as cron starts it (`now`: as if it were that moment)."""
    return off_loop(lambda: asyncio.run(run_reminders(settings=settings, disclosure=Disclosure(settings),
                                                      paths=route_paths(), today=today, dry_run=dry_run, **kwargs)))


def deliveries(url: str) -> list[tuple[Delivery, Reminder | None]]:
    async def load(session):
        return (await session.execute(
            select(Delivery, Reminder).join(Reminder, Reminder.id == Delivery.reminder_id, isouter=True)
            .order_by(Delivery.id)
        )).all()

    return run(load, url)


def of_kind(inbox: Inbox, address: str, kind: str) -> list[EmailMessage]:
    return [message for message in inbox.to(address) if message["X-Actiontrack-Kind"] == kind]


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content().replace("\r\n", "\n"), html.get_content()


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "hr": make_user(Role.HR, "alice.hr@example.com", name="Alice HR"),
        "leader": make_user(Role.LEADERSHIP, "bob.lead@example.com", name="Bob Leader", language="fr"),
        "owner": make_user(Role.OWNER, "charlie.owner@example.com", name="Charlie Owner", language="nl"),
        "other": make_user(Role.OWNER, "dana.owner@example.com", name="Dana Owner"),
    }


# --- owners' reminders ----------------------------------------------------------------------------


def test_owner_gets_the_seven_day_reminder_in_their_language_with_a_link(
    remind_settings: Settings, smtp: SmtpServer, people: dict[str, User], make_action: Callable[..., Any],
) -> None:
    today = clock.today()
    action = make_action(owner=people["owner"], created_by=people["hr"], title="Shorter onboarding",
                         deadline=today + timedelta(days=7))
    make_action(owner=people["other"], created_by=people["hr"], title="Exit survey", deadline=today + timedelta(days=7))
    report = remind(remind_settings, today=today)

    [due] = of_kind(smtp.inbox, "charlie.owner@example.com", "due_soon")
    assert len(of_kind(smtp.inbox, "charlie.owner@example.com", "assigned")) == 1
    assert "Shorter onboarding" in due["Subject"]
    assert due["From"] == "actiontrack@example.com"
    assert due["Content-Language"] == "nl"
    assert due["Auto-Submitted"] == "auto-generated"
    text, html = parts(due)
    link = f"{BASE_URL}/actions/{action.id}"
    assert link in text and f'href="{link}"' in html
    # Facts and dates are in Dutch, in Belgian formats.
    deadline = babel_date(action.deadline, "medium", locale="nl_BE")
    assert "Actie-eigenaar: Charlie Owner" in text and f"Deadline: {deadline}" in text
    assert '<html lang="nl">' in html and "Actie-eigenaar" in html and deadline in html
    # The same reminder in English, for comparison.
    [english] = of_kind(smtp.inbox, "dana.owner@example.com", "due_soon")
    assert english["Subject"] == "Due in 7 days: Exit survey"
    assert "Hello Dana Owner," in parts(english)[0]
    # One line per reminder, and the digest goes to HR and leadership only.
    assert report.count("sent") == len(smtp.inbox.messages)
    assert not of_kind(smtp.inbox, "charlie.owner@example.com", "digest")


def test_user_text_is_escaped_in_the_html_part(
    remind_settings: Settings, smtp: SmtpServer, people: dict[str, User], make_action: Callable[..., Any],
) -> None:
    today = clock.today()
    make_action(owner=people["other"], created_by=people["hr"], title="<script>alert(1)</script> & co",
                deadline=today + timedelta(days=1))
    remind(remind_settings, today=today)
    [due] = of_kind(smtp.inbox, "dana.owner@example.com", "due_soon")
    assert due["Subject"] == "Due in 1 day: <script>alert(1)</script> & co"
    text, html = parts(due)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "“<script>alert(1)</script> & co”" in text  # plain text stays as written


def test_running_twice_on_the_same_day_sends_nothing_twice(
    remind_settings: Settings, smtp: SmtpServer, hooks: HookReceiver, people: dict[str, User],
    make_action: Callable[..., Any], make_webhook: Callable[..., Webhook], database_url: str,
) -> None:
    today = clock.today()
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/chat")
    make_action(owner=people["owner"], created_by=people["hr"], deadline=today + timedelta(days=7))
    first = remind(remind_settings, today=today)
    mails, posts = len(smtp.inbox.messages), len(hooks.posts)
    assert first.count("sent") == mails + posts and mails >= 2 and posts >= 2
    second = remind(remind_settings, today=today)
    assert second.lines == []
    assert second.already_claimed == mails + posts
    assert (len(smtp.inbox.messages), len(hooks.posts)) == (mails, posts)
    assert count(database_url, Reminder) == mails + posts
    # All mail of a run went over one SMTP connection.
    assert smtp.inbox.connections == 1


def test_catching_up_after_missed_days_sends_only_the_latest_reminder(
    remind_settings: Settings, smtp: SmtpServer, people: dict[str, User], make_action: Callable[..., Any],
) -> None:
    today = clock.today()
    make_action(owner=people["other"], created_by=people["hr"], title="Exit survey", deadline=today + timedelta(days=7))
    owner = "dana.owner@example.com"

    # The job did not run for six days: only the 1-day reminder goes out, not the 7-day one too.
    remind(remind_settings, today=today + timedelta(days=6))
    assert [mail["Subject"] for mail in smtp.inbox.to(owner)] == ["Due in 1 day: Exit survey"]

    # Three weeks overdue without a run: one overdue reminder, for the latest weekly date.
    smtp.inbox.messages.clear()
    report = remind(remind_settings, today=today + timedelta(days=7 + 16))
    overdue = [line for line in report.lines if line.kind == "overdue"]
    assert [mail["Subject"].split(":")[0] for mail in smtp.inbox.to(owner)] == [
        f"Overdue since {babel_date(today + timedelta(days=7), 'medium', locale='en_BE')}"]
    assert len(overdue) == 1
    # The next day nothing; a week after the last one, the next.
    def owner_kinds(report: Report) -> list[str]:
        return [line.kind for line in report.lines if line.kind != "digest"]

    assert owner_kinds(remind(remind_settings, today=today + timedelta(days=7 + 17))) == []
    assert owner_kinds(remind(remind_settings, today=today + timedelta(days=7 + 22))) == ["overdue"]


def test_reassignment_tells_the_new_owner_and_old_assignments_are_not_news(
    remind_settings: Settings, smtp: SmtpServer, people: dict[str, User], make_action: Callable[..., Any],
    database_url: str,
) -> None:
    today = clock.today()
    action = make_action(owner=people["owner"], created_by=people["hr"], title="Mentoring",
                         deadline=today + timedelta(days=60))
    # A first run five days later does not announce the (old) assignment.
    remind(remind_settings, today=today + timedelta(days=5))
    assert not smtp.inbox.to("charlie.owner@example.com")

    async def hand_over(session):
        session.add(ActionUpdate(action_id=action.id, author_id=people["hr"].id, status_before="planned",
                                 status_after="planned", progress_before=0, progress_after=0,
                                 owner_before_id=people["owner"].id, owner_after_id=people["other"].id))
        await session.execute(update(ActionItem).where(ActionItem.id == action.id).values(owner_id=people["other"].id))

    run(hand_over, database_url)
    remind(remind_settings, today=today)
    assert [mail["Subject"] for mail in smtp.inbox.to("dana.owner@example.com")] == [
        "You now own the action: Mentoring"]
    assert not smtp.inbox.to("charlie.owner@example.com")


def test_closed_actions_and_inactive_owners_get_no_reminders(
    remind_settings: Settings, smtp: SmtpServer, people: dict[str, User], make_action: Callable[..., Any],
    make_user: Callable[..., User],
) -> None:
    today = clock.today()
    gone = make_user(Role.OWNER, "gone@example.com", active=False)
    make_action(owner=people["owner"], created_by=people["hr"], deadline=today - timedelta(days=1), status="done",
                completed_on=today - timedelta(days=2))
    make_action(owner=people["owner"], created_by=people["hr"], deadline=today - timedelta(days=1),
                status="cancelled")
    make_action(owner=gone, created_by=people["hr"], deadline=today - timedelta(days=1))
    report = remind(remind_settings, today=today)
    assert not smtp.inbox.to("charlie.owner@example.com")
    assert not smtp.inbox.to("gone@example.com")
    assert {line.kind for line in report.lines} == {"digest"}  # the digest of the latest Monday


def test_blocked_action_without_update_for_two_weeks_alerts_hr_and_each_webhook_once(
    remind_settings: Settings, smtp: SmtpServer, hooks: HookReceiver, people: dict[str, User],
    make_action: Callable[..., Any], make_webhook: Callable[..., Webhook], make_user: Callable[..., User],
) -> None:
    today = clock.today()
    make_user(Role.HR, "erin.hr@example.com", name="Erin HR")
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/one", name="One")
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/two", name="Two", style="slack")
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/off", name="Off", active=False)
    make_action(owner=people["owner"], created_by=people["hr"], title="Canteen", status="blocked",
                deadline=today + timedelta(days=90))
    assert not [line for line in remind(remind_settings, today=today + timedelta(days=13)).lines
                if line.kind == "blocked"]
    report = remind(remind_settings, today=today + timedelta(days=14))
    blocked = [line for line in report.lines if line.kind == "blocked"]
    assert sorted((line.recipient, line.result) for line in blocked) == [
        ("One", "sent"), ("Two", "sent"), ("alice.hr@example.com", "sent"), ("erin.hr@example.com", "sent")]
    [mail] = of_kind(smtp.inbox, "erin.hr@example.com", "blocked")
    assert mail["Subject"] == "Blocked, no update for 14 days: Canteen"
    assert not of_kind(smtp.inbox, "charlie.owner@example.com", "blocked")
    [generic] = [body for body in hooks.bodies("/one") if body["kind"] == "blocked"]
    assert generic["subject"] == "Blocked, no update for 14 days: Canteen"
    assert generic["link"].startswith(f"{BASE_URL}/actions/")
    assert not hooks.bodies("/off")
    # The generic webhook's signature verifies with its secret.
    _path, headers, body = next(post for post in hooks.posts if post[0] == "/one")
    expected = "sha256=" + hmac.new(b"webhook-secret", body, hashlib.sha256).hexdigest()
    assert headers["X-Actiontrack-Signature"] == expected


# --- faults -----------------------------------------------------------------------------------------


def test_unreachable_smtp_server_is_recorded_and_webhooks_still_go_out(
    settings: Settings, hooks: HookReceiver, people: dict[str, User], make_action: Callable[..., Any],
    make_webhook: Callable[..., Webhook], database_url: str,
) -> None:
    today = clock.today()
    dead = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_security": "none",
                                       "smtp_timeout_seconds": 5, "base_url": BASE_URL})
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/chat")
    make_action(owner=people["owner"], created_by=people["hr"], deadline=today + timedelta(days=1))
    report = remind(dead, today=today)
    emails = [line for line in report.lines if line.channel == "email"]
    assert emails and all(line.result == "failed" and "cannot reach SMTP server" in line.error for line in emails)
    assert [line.result for line in report.lines if line.channel == "webhook"] == ["sent"] * len(hooks.posts)
    assert len(hooks.posts) >= 2
    failed = [delivery for delivery, _ in deliveries(database_url) if delivery.channel == "email"]
    assert {delivery.status for delivery in failed} == {"failed"}
    assert all("cannot reach SMTP server 127.0.0.1" in delivery.error for delivery in failed)
    # Claimed: a second run before the next try (15 minutes later) does not try (and fail) again.
    assert remind(dead, today=today).lines == []


def concurrently(*runs: Callable[[], Report]) -> list[Report]:
    """Start the runs at the same moment, each in a thread with its own event loop and engine (like two machines)."""
    start = threading.Barrier(len(runs))
    reports: list[Report] = []
    errors: list[BaseException] = []

    def one(run_: Callable[[], Report]) -> None:
        try:
            start.wait()
            reports.append(run_())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(run_,)) for run_ in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return reports


def test_deliveries_failed_while_smtp_was_down_go_out_once_when_it_is_back(
    settings: Settings, hooks: HookReceiver, people: dict[str, User], make_action: Callable[..., Any],
    make_webhook: Callable[..., Webhook], database_url: str, anon: TestClient,
) -> None:
    from aiosmtpd.controller import Controller

    sign_in(anon, "alice.hr@example.com")
    today, start = clock.today(), clock.utcnow()
    port = free_port()  # nothing listens yet: the SMTP server is down
    config = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                                         "base_url": BASE_URL, "webhook_retries": 0})
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/chat")
    make_action(owner=people["owner"], created_by=people["hr"], title="Exit survey", deadline=today + timedelta(days=1))
    hooks.answers.extend([503] * 10)  # the chat server is down too

    first = remind(config, today=today, now=start)
    assert first.lines and {line.result for line in first.lines} == {"failed"}
    # The deliveries page says when the next try is.
    page = anon.get("/deliveries").text
    assert "Tried again by itself at the first run after" in page
    # A run before the next try leaves them alone.
    assert remind(config, today=today, now=start + timedelta(minutes=10)).lines == []

    inbox = Inbox()
    inbox.refuse.add("charlie.owner@example.com")  # back, but refusing one address for good (550)
    hooks.answers.clear()
    hooks.posts.clear()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        later = start + timedelta(minutes=16)
        # Two runs at once (two machines): each delivery is taken back by one of them.
        reports = concurrently(*(lambda: remind(config, today=today, now=later) for _ in range(2)))
        retried = [line for report in reports for line in report.lines]
        assert all(line.retried for line in retried)
        assert sorted((line.recipient, line.kind) for line in retried) == sorted(
            (line.recipient, line.kind) for line in first.lines)
        refused = [line for line in retried if line.recipient == "charlie.owner@example.com"]
        assert refused and {line.result for line in refused} == {"failed"}
        assert {line.result for line in retried if line not in refused} == {"sent"}
        mails = [(mail["To"], mail["X-Actiontrack-Kind"]) for mail in inbox.messages]
        assert sorted(mails) == sorted({(line.recipient, line.kind) for line in retried
                                        if line.channel == "email" and line not in refused})
        assert len(hooks.posts) == len([line for line in first.lines if line.channel == "webhook"])

        # Sent is never sent again, and a refused address waits for a person.
        assert remind(config, today=today, now=start + timedelta(hours=5)).lines == []
        stored = deliveries(database_url)
        assert {delivery.status for delivery, _ in stored if delivery.target != "charlie.owner@example.com"} \
            == {"sent"}
        assert all(delivery.next_try_at is None for delivery, _ in stored)
        assert "Not tried again by itself: this needs someone to act first." in anon.get("/deliveries").text
    finally:
        server.stop()


def test_a_delivery_is_tried_for_three_days_then_given_up(
    settings: Settings, people: dict[str, User], make_action: Callable[..., Any], database_url: str,
    anon: TestClient,
) -> None:
    sign_in(anon, "alice.hr@example.com")
    today, start = clock.today(), clock.utcnow()
    down = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_security": "none",
                                       "base_url": BASE_URL})
    make_action(owner=people["owner"], created_by=people["hr"], deadline=today + timedelta(days=30))
    remind(down, today=today, now=start)
    tries = []
    while (waiting := [delivery.next_try_at for delivery, _ in deliveries(database_url) if delivery.next_try_at]):
        moment = min(waiting)
        tries.append(moment - start)
        assert {line.result for line in remind(down, today=today, now=moment).lines} == {"failed"}
    # 15 and 30 minutes, 1, 2, 4 and 8 hours after the first try, then every 6 hours, the last at 72 hours.
    assert tries[:6] == [timedelta(minutes=minutes) for minutes in (15, 30, 60, 120, 240, 480)]
    assert tries[-1] == timedelta(hours=72) and len(tries) == 17
    assert all(later - earlier <= timedelta(hours=6) for earlier, later in itertools.pairwise(tries))
    assert {delivery.status for delivery, _ in deliveries(database_url)} == {"failed"}
    assert "No more tries by itself: it kept failing for 72 hours." in anon.get("/deliveries").text


def test_refused_recipient_and_missing_address_fail_alone(
    remind_settings: Settings, smtp: SmtpServer, people: dict[str, User], make_action: Callable[..., Any],
    database_url: str,
) -> None:
    today = clock.today()
    smtp.inbox.refuse.add("charlie.owner@example.com")
    execute(database_url, update(User).where(User.id == people["other"].id).values(email=""))
    for owner in (people["owner"], people["other"], people["hr"]):
        make_action(owner=owner, created_by=people["leader"], title=f"For {owner.display_name}",
                    deadline=today + timedelta(days=1))
    report = remind(remind_settings, today=today)
    results = {(line.recipient, line.kind): (line.result, line.error) for line in report.lines}
    assert results[("charlie.owner@example.com", "due_soon")][0] == "failed"
    assert "recipient refused: 550" in results[("charlie.owner@example.com", "due_soon")][1]
    assert results[("Dana Owner", "due_soon")] == ("failed", "no email address")
    assert results[("alice.hr@example.com", "due_soon")] == ("sent", "")
    assert [mail["Subject"] for mail in smtp.inbox.to("alice.hr@example.com")
            if mail["Subject"].startswith("Due")] == ["Due in 1 day: For Alice HR"]
    stored = {(delivery.target, reminder.kind): delivery for delivery, reminder in deliveries(database_url)}
    assert stored[("Dana Owner", "due_soon")].error == "no email address"
    assert stored[("Dana Owner", "due_soon")].attempts == 0
    assert stored[("charlie.owner@example.com", "due_soon")].status == "failed"
    assert stored[("alice.hr@example.com", "due_soon")].status == "sent"
    assert stored[("alice.hr@example.com", "due_soon")].finished_at is not None


def test_a_webhook_answering_500_fails_alone_and_the_mail_goes_out(
    remind_settings: Settings, smtp: SmtpServer, hooks: HookReceiver, people: dict[str, User],
    make_action: Callable[..., Any], make_webhook: Callable[..., Webhook], database_url: str,
) -> None:
    today = clock.today()
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/chat")
    make_action(owner=people["other"], created_by=people["hr"], title="Exit survey", deadline=today + timedelta(days=1))
    hooks.answers.append(500)
    report = remind(remind_settings, today=today)
    webhook_results = sorted(line.result for line in report.lines if line.channel == "webhook")
    assert webhook_results.count("failed") == 1 and "sent" in webhook_results
    failed = next(line for line in report.lines if line.channel == "webhook" and line.result == "failed")
    assert failed.error.startswith("HTTP 500")
    assert [mail["Subject"] for mail in of_kind(smtp.inbox, "dana.owner@example.com", "due_soon")] == [
        "Due in 1 day: Exit survey"]
    [stored] = [delivery for delivery, _ in deliveries(database_url) if delivery.status == "failed"]
    assert (stored.channel, stored.target, stored.attempts) == ("webhook", "Team chat", 1)


def test_a_webhook_500_is_retried_with_backoff_without_waiting(
    remind_settings: Settings, hooks: HookReceiver, people: dict[str, User], make_action: Callable[..., Any],
    make_webhook: Callable[..., Webhook], database_url: str,
) -> None:
    today = clock.today()
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/chat")
    make_action(owner=people["owner"], created_by=people["hr"], deadline=today + timedelta(days=1))
    hooks.answers.extend([500, 503])
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    report = remind(remind_settings.model_copy(update={"webhook_retries": 2}), today=today, sleep=no_sleep)
    assert waits == [1.0, 2.0]
    assert {line.result for line in report.lines if line.channel == "webhook"} == {"sent"}
    attempts = sorted(delivery.attempts for delivery, _ in deliveries(database_url) if delivery.channel == "webhook")
    assert attempts[-1] == 3


def test_without_smtp_settings_email_is_skipped_and_not_claimed(
    settings: Settings, hooks: HookReceiver, people: dict[str, User], make_action: Callable[..., Any],
    make_webhook: Callable[..., Webhook], database_url: str,
) -> None:
    today = clock.today()
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/chat")
    make_action(owner=people["owner"], created_by=people["hr"], deadline=today + timedelta(days=1))
    report = remind(settings, today=today)
    skipped = [line for line in report.lines if line.channel == "email"]
    assert skipped and {line.result for line in skipped} == {"skipped"}
    assert "SMTP not configured" in skipped[0].error
    assert count(database_url, Reminder, Reminder.key.like("%|user:%")) == 0
    assert count(database_url, Reminder, Reminder.key.like("%|webhook:%")) == len(hooks.posts) > 0


# --- the digest -------------------------------------------------------------------------------------


def test_weekly_digest_lists_the_week_for_hr_and_leadership(
    remind_settings: Settings, smtp: SmtpServer, hooks: HookReceiver, people: dict[str, User],
    make_action: Callable[..., Any], make_webhook: Callable[..., Webhook], make_department: Callable[..., Any],
    make_job_family: Callable[..., Any], make_interview: Callable[..., Any], database_url: str,
) -> None:
    today = clock.today()
    monday = today + timedelta(days=(0 - today.weekday()) % 7 + 7)  # a Monday at least a week ahead
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/chat")
    owner, hr = people["owner"], people["hr"]

    def action(title: str, **values: Any) -> None:
        make_action(owner=owner, created_by=hr, title=title, **values)

    action("Late this week", deadline=monday - timedelta(days=3))
    action("Late since the first day of the week", deadline=monday - timedelta(days=8))
    action("Late for long", deadline=monday - timedelta(days=20))
    action("Late from the digest day", deadline=monday - timedelta(days=1))
    action("Done this week", deadline=monday, status="done", progress=100, completed_on=monday - timedelta(days=2))
    action("Done the week before", deadline=monday, status="done", progress=100,
           completed_on=monday - timedelta(days=8))
    action("Stuck", deadline=monday + timedelta(days=30), status="blocked")

    # Leavers: Retail (10) raised pay (6) and management (5); a department-wide action covers management
    # in Retail. Tiny (3) is below the anonymity threshold; Office (5) is hidden to protect Tiny, and so is
    # Retail's pay (Tiny's 3 would otherwise be the pay total minus Retail's 6); the same in job families.
    # All in the latest quarter released by the digest's day: the digest shows released figures only.
    quarter = due_periods(first_exit=monday - timedelta(days=400), today=monday, length="quarter",
                          delay_days=remind_settings.release_delay_days)[-1]
    exit_date = quarter.start + timedelta(days=20)
    retail, tiny, office = make_department("Retail"), make_department("Tiny"), make_department("Office")
    sales, support, admin = make_job_family("Sales"), make_job_family("Support"), make_job_family("Admin")
    for index in range(10):
        themes = tuple(code for code, raised in (("pay_benefits", index < 6), ("management", index >= 5)) if raised)
        make_interview(department=retail, job_family=sales, themes=themes, exit_date=exit_date)
    for _ in range(3):
        make_interview(department=tiny, job_family=support, themes=("pay_benefits",), exit_date=exit_date)
    for _ in range(5):
        make_interview(department=office, job_family=admin, exit_date=exit_date)

    make_action(owner=owner, created_by=hr, title="Team leader training", deadline=monday + timedelta(days=60),
                scope="department", department_id=retail.id, theme_codes=("management",))

    report = remind(remind_settings, today=monday)
    digests = sorted((line.recipient, line.result) for line in report.lines if line.kind == "digest")
    assert digests == [("Team chat", "sent"), ("alice.hr@example.com", "sent"), ("bob.lead@example.com", "sent")]
    assert not of_kind(smtp.inbox, "charlie.owner@example.com", "digest")

    [mail] = of_kind(smtp.inbox, "alice.hr@example.com", "digest")
    week_start = monday - timedelta(days=7)
    assert mail["Subject"] == ("Weekly digest of the actions, "
                               f"week of {babel_date(week_start, 'medium', locale='en_BE')}")
    text, html = parts(mail)
    sections = {block.splitlines()[0]: block.splitlines()[1:] for block in text.split("\n\n") if block.strip()}
    def titles(heading: str) -> list[str]:
        return [line.split(" (")[0].removeprefix("- ") for line in sections[heading]]
    assert titles("Newly overdue (2)") == ["Late since the first day of the week", "Late this week"]
    assert titles("Completed (1)") == ["Done this week"]
    assert titles("Blocked actions (1)") == ["Stuck"]
    assert [line.split(":")[0].removeprefix("- ") for line in sections["Recurring themes without an action (1)"]] \
        == ["Management and communication, Sales"]
    assert "- Management and communication, Sales: 5 of 10 leavers (50 %)" in text
    assert f"{BASE_URL}/radar?by=job_family" in text and f'href="{BASE_URL}/status"' in html

    # Leadership reads it in French (dates and figures), the webhook once in the default language.
    [french] = of_kind(smtp.inbox, "bob.lead@example.com", "digest")
    assert french["Content-Language"] == "fr"
    assert "50 %" in parts(french)[0]
    # Headings count actions: plural and feminine, not a status word ("Bloquée").
    assert "Actions bloquées (1)" in parts(french)[0] and "Terminées (1)" in parts(french)[0]
    [posted] = [body for body in hooks.bodies() if body["kind"] == "digest"]
    assert dict((fact["label"], fact["value"]) for fact in posted["facts"])["Newly overdue"] == "2"


def leavers_in_the_last_released_period(make_department: Callable[..., Any], make_job_family: Callable[..., Any],
                                        make_interview: Callable[..., Any], *, settings: Settings) -> None:
    """Six leavers in the latest period a run releases today: the digest reads its figures."""
    today = clock.today()
    period = due_periods(first_exit=today - timedelta(days=400), today=today, length=settings.report_period,
                         delay_days=settings.release_delay_days)[-1]
    retail, sales = make_department("Retail"), make_job_family("Sales")
    for _ in range(6):
        make_interview(department=retail, job_family=sales, themes=("pay_benefits",),
                       exit_date=period.start + timedelta(days=20))


def test_a_run_reads_the_released_figures_once_for_every_digest_it_sends_again(
    remind_settings: Settings, hooks: HookReceiver, people: dict[str, User], make_webhook: Callable[..., Webhook],
    make_department: Callable[..., Any], make_job_family: Callable[..., Any], make_interview: Callable[..., Any],
) -> None:
    leavers_in_the_last_released_period(make_department, make_job_family, make_interview, settings=remind_settings)
    for name in ("Team chat", "Board chat"):
        make_webhook(created_by=people["hr"], url=f"{hooks.url}/{name.split()[0]}", name=name)
    hooks.answers.extend([500, 500])  # both digests fail: a later run sends each of them again
    today, start = clock.today(), clock.utcnow()
    first = remind(remind_settings, today=today, now=start)
    assert sorted(line.result for line in first.lines if line.channel == "webhook") == ["failed", "failed"]

    statements: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        again = remind(remind_settings, today=today, now=start + timedelta(minutes=16))
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert [(line.kind, line.result, line.retried) for line in again.lines] == [("digest", "sent", True)] * 2
    # One Disclosure for the run: the second digest finds the period's figures the first one read.
    assert len([statement for statement in statements if "FROM released_group" in statement]) == 1


# The demo organisation on a Monday: what a company installing actiontrack sees in its first week.
DEMO_MONDAY = date(2026, 12, 7)
DIGEST_IN = {
    "nl": ("Wekelijks overzicht van de acties, week van 30 nov 2026", "Hallo Hanne Claes,", "Geblokkeerde acties (2)",
           ["Zes extra medewerkers voor de piekuren", "Een cafetariaplan voor extralegale voordelen"],
           "Terugkerende thema's zonder actie (1)",
           "- Werkdruk en autonomie, Klantendienstmedewerker: 6 van 6 vertrekkers (100 %)"),
    "fr": ("Récapitulatif hebdomadaire des actions, semaine du 30 nov. 2026", "Bonjour Sophie Dubois,",
           "Actions bloquées (2)",
           ["Six agents supplémentaires pour les heures de pointe", "Un plan cafétéria pour les avantages extralégaux"],
           "Thèmes récurrents sans action (1)",
           "- Charge de travail et autonomie, Agent du service clientèle\u00a0: 6 départs sur 6 (100 %)"),
    "en": ("Weekly digest of the actions, week of 30 Nov 2026", "Hello Emma Lead,", "Blocked actions (2)",
           ["Hire six extra agents for peak hours", "Introduce a cafeteria plan for fringe benefits"],
           "Recurring themes without an action (1)",
           "- Workload and autonomy, Customer service agent: 6 of 6 leavers (100 %)"),
}


@pytest.mark.parametrize("language, address", [
    ("nl", "hr@example.com"), ("fr", "sophie.dubois@example.com"), ("en", "emma.lead@example.com")])
def test_demo_organisation_gets_its_weekly_digest_in_each_language(
    smtp: SmtpServer, database_url: str, make_user: Callable[..., User], language: str, address: str,
) -> None:
    from actiontrack.demo.load import load_demo

    run(lambda session: load_demo(session, today=DEMO_MONDAY), database_url)
    make_user(Role.LEADERSHIP, "emma.lead@example.com", name="Emma Lead", language="en")
    result = actiontrack("remind", "--date", DEMO_MONDAY.isoformat(), url=database_url, extra_env=smtp_env(smtp))
    assert result.returncode == 0, result.stderr
    assert "digest cannot be built" not in result.stderr

    [mail] = of_kind(smtp.inbox, address, "digest")
    subject, greeting, blocked, titles, uncovered, gap = DIGEST_IN[language]
    assert mail["Subject"] == subject and mail["Content-Language"] == language
    text, html = parts(mail)
    sections = {block.splitlines()[0]: block.splitlines()[1:] for block in text.split("\n\n") if block.strip()}
    assert greeting in sections
    assert [line.split(" (")[0].removeprefix("- ") for line in sections[blocked]] == titles
    # The radar's finding reaches leadership: a recurring theme nobody acts on, named in the reader's language.
    assert [line.split(": https://")[0].rstrip("\u00a0") for line in sections[uncovered]] == [gap]
    assert f"{BASE_URL}/radar?by=job_family" in text
    assert all(title.replace("'", "&#39;") in html for title in titles)
    assert f'<html lang="{language}">' in html


# --- claims under concurrency -------------------------------------------------------------------------


def test_two_runs_at_the_same_moment_send_each_reminder_once(
    remind_settings: Settings, smtp: SmtpServer, hooks: HookReceiver, people: dict[str, User],
    make_action: Callable[..., Any], make_webhook: Callable[..., Webhook], database_url: str,
) -> None:
    today = clock.today()
    make_webhook(created_by=people["hr"], url=f"{hooks.url}/chat")
    for index in range(8):
        make_action(owner=people["owner"] if index % 2 else people["other"], created_by=people["hr"],
                    title=f"Action {index}", deadline=today + timedelta(days=1 if index % 3 else 7))
    start = threading.Barrier(2)
    reports: list[Report] = []
    errors: list[BaseException] = []

    def one_run(name: str) -> None:
        try:
            start.wait()
            # Each run has its own event loop and engine, like two machines.
            reports.append(asyncio.run(run_reminders(settings=remind_settings, disclosure=Disclosure(remind_settings),
                                                     paths=route_paths(), today=today, claimed_by=name)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one_run, args=(f"machine-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    sent = sum(report.count("sent") for report in reports)
    expected = 8 * 2 * 2 + 2 + 1  # 8 actions x (due soon + assigned) x (owner + webhook); digest x (hr, leader, hook)
    assert sent == expected
    assert len(smtp.inbox.messages) + len(hooks.posts) == expected
    mails = [(mail["To"], mail["Subject"]) for mail in smtp.inbox.messages]
    assert len(set(mails)) == len(mails)
    assert count(database_url, Reminder) == expected
    assert count(database_url, Delivery) == expected
    assert sum(report.already_claimed for report in reports) == expected
    claimed_by = run(lambda session: _claimers(session), database_url)
    assert claimed_by <= {"machine-1", "machine-2"}


async def _claimers(session: Any) -> set[str]:
    return set((await session.execute(select(Reminder.claimed_by))).scalars())


# --- the command line -------------------------------------------------------------------------------------


def actiontrack(*args: str, url: str, extra_env: dict[str, str] | None = None,
                process: bool = False) -> subprocess.CompletedProcess[str]:
    """The command configured by `extra_env` alone; in a process of its own with `process`, else in this one."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ACTIONTRACK_")}
    env.update({"DATABASE_URL": url, "ACTIONTRACK_SECRET_KEY": SECRET, **(extra_env or {})})
    if not process:
        return run_command(args, env=env)
    return subprocess.run([sys.executable, "-m", "actiontrack.cli", *args], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


def smtp_env(smtp: SmtpServer) -> dict[str, str]:
    return {"ACTIONTRACK_SMTP_HOST": "127.0.0.1", "ACTIONTRACK_SMTP_PORT": str(smtp.port),
            "ACTIONTRACK_SMTP_SECURITY": "none", "ACTIONTRACK_BASE_URL": BASE_URL}


def test_dry_run_prints_what_would_be_sent_and_claims_nothing(
    smtp: SmtpServer, people: dict[str, User], make_action: Callable[..., Any], database_url: str,
) -> None:
    today = clock.today()
    make_action(owner=people["other"], created_by=people["hr"], title="Buddy system",
                deadline=today + timedelta(days=7))
    # The remind job as cron runs it, in a process of its own (the other tests run it in-process).
    result = actiontrack("remind", "--dry-run", "--date", today.isoformat(), url=database_url,
                         extra_env=smtp_env(smtp), process=True)
    assert result.returncode == 0, result.stderr
    assert "dana.owner@example.com" in result.stdout
    assert "would send: Due in 7 days: Buddy system" in result.stdout
    assert "nothing was claimed or sent" in result.stdout
    assert smtp.inbox.messages == []
    assert count(database_url, Reminder) == 0 and count(database_url, Delivery) == 0


def test_remind_prints_one_line_per_reminder_and_exits_0_even_when_some_fail(
    smtp: SmtpServer, people: dict[str, User], make_action: Callable[..., Any], database_url: str,
) -> None:
    today = clock.today()
    smtp.inbox.refuse.add("bob.lead@example.com")
    make_action(owner=people["owner"], created_by=people["hr"], title="Buddy system",
                deadline=today + timedelta(days=7))
    result = actiontrack("remind", "--date", today.isoformat(), url=database_url, extra_env=smtp_env(smtp))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("due_soon") and "charlie.owner@example.com" in line and line.endswith("sent")
               for line in lines)
    assert any(line.startswith("digest") and "bob.lead@example.com" in line and "failed: recipient refused" in line
               for line in lines)
    assert lines[-1].startswith("reminders: ") and "1 failed" in lines[-1]
    again = actiontrack("remind", "--date", today.isoformat(), url=database_url, extra_env=smtp_env(smtp))
    assert again.stdout.strip().splitlines()[-1].endswith(f"{len(lines) - 1} already claimed")


@pytest.mark.parametrize("env, message", [
    ({"ACTIONTRACK_SMTP_SECURITY": "ssl"}, "configuration error"),
    ({"ACTIONTRACK_REMINDER_DAYS_BEFORE": "seven"}, "REMINDER_DAYS_BEFORE"),
])
def test_remind_with_bad_settings_exits_non_zero(database_url: str, env: dict[str, str], message: str) -> None:
    result = actiontrack("remind", url=database_url, extra_env=env)
    assert result.returncode == 1
    assert message in result.stderr


def test_remind_in_production_needs_the_public_address_for_its_links(database_url: str) -> None:
    result = actiontrack("remind", "--dry-run", url=database_url)
    assert result.returncode == 1
    assert "ACTIONTRACK_BASE_URL must be set" in result.stderr


def test_remind_on_an_unmigrated_database_exits_non_zero(databases: Any) -> None:
    url = databases.empty()
    try:
        result = actiontrack("remind", url=url)
        assert result.returncode == 1
        assert "run `actiontrack db upgrade`" in result.stderr
    finally:
        databases.drop(url)


def test_remind_rejects_a_malformed_date(database_url: str) -> None:
    result = actiontrack("remind", "--date", "next monday", url=database_url)
    assert result.returncode == 2
    assert "not a date (YYYY-MM-DD)" in result.stderr
