"""The deliveries page: who may see it, what it lists, filters, pages, and sending a failed reminder again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import event, func, select, update
from test_reminders import leavers_in_the_last_released_period

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.disclosure import Disclosure
from actiontrack.models import ActionItem, AuditEvent, Delivery, Reminder, Role, User
from actiontrack.reminders.job import Report, run_reminders
from actiontrack.settings import Settings

from browser_checks import sign_in_page
from conftest import (
    SECRET,
    HookReceiver,
    LiveServer,
    Persona,
    SmtpServer,
    make_client,
    off_loop,
    post_form,
    route_paths,
    run,
    sign_in,
)

BASE_URL = "https://actiontrack.example"


@pytest.fixture
def settings(database_url: str, smtp_server: SmtpServer) -> Settings:
    """The app's settings with a working SMTP server, so HR's retries really send."""
    return Settings(database_url=database_url, secret_key=SECRET, env="production", cookie_secure=True,
                    smtp_host="127.0.0.1", smtp_port=smtp_server.port, smtp_security="none", base_url=BASE_URL,
                    webhook_retries=0, webhook_allow_private=True)


def remind(settings: Settings) -> Report:
    return off_loop(lambda: asyncio.run(run_reminders(settings=settings, disclosure=Disclosure(settings),
                                                      paths=route_paths(), today=clock.today())))


def statuses(url: str) -> list[tuple[str, str, str, int]]:
    async def load(session):
        return (await session.execute(
            select(Delivery.channel, Delivery.target, Delivery.status, Delivery.attempts).order_by(Delivery.id)
        )).all()

    return [tuple(row) for row in run(load, url)]


def delivery_id(url: str, *where: Any) -> int:
    async def load(session):
        return (await session.execute(select(Delivery.id).where(*where))).scalar_one()

    return run(load, url)


@pytest.fixture
def sent_and_failed(settings: Settings, hr: Persona, owner: Persona, other_owner: Persona,
                    make_action: Callable[..., Any], add_webhook: Callable[..., Any],
                    webhook_receiver: HookReceiver, database_url: str) -> dict[str, Any]:
    """A real run: one email sent, one email without an address, one webhook post answered 500."""
    add_webhook(created_by=hr.user, url=f"{webhook_receiver.url}/chat", name="Team chat")
    action = make_action(owner=owner.user, created_by=owner.user, title="<script>alert(1)</script> onboarding",
                         deadline=clock.today() + timedelta(days=1))

    async def blank(session):
        await session.execute(update(User).where(User.id == other_owner.user.id).values(email=""))

    run(blank, database_url)
    make_action(owner=other_owner.user, created_by=other_owner.user, title="Exit survey",
                deadline=clock.today() + timedelta(days=1))
    webhook_receiver.answers.append(500)
    remind(settings)
    return {"action": action}


# --- who may see it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [("hr", 200), ("leader", 403), ("owner", 403), ("other_owner", 403)])
def test_only_hr_opens_the_deliveries_page(request: pytest.FixtureRequest, who: str, status: int) -> None:
    person: Persona = request.getfixturevalue(who)
    assert person.client.get("/deliveries").status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(anon: Any) -> None:
    response = anon.get("/deliveries?status=failed", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/deliveries%3Fstatus%3Dfailed"


@pytest.mark.parametrize("who, status", [("leader", 403), ("owner", 403)])
def test_only_hr_may_send_a_delivery_again(
    request: pytest.FixtureRequest, sent_and_failed: dict[str, Any], database_url: str, who: str, status: int,
) -> None:
    person: Persona = request.getfixturevalue(who)
    failed = delivery_id(database_url, Delivery.channel == "webhook", Delivery.status == "failed")
    assert person.post(f"/deliveries/{failed}/retry", follow_redirects=False).status_code == status
    assert ("webhook", "Team chat", "failed", 1) in statuses(database_url)


def test_anonymous_retry_goes_to_sign_in_and_sends_nothing(
    anon: Any, sent_and_failed: dict[str, Any], database_url: str, webhook_receiver: HookReceiver,
) -> None:
    failed = delivery_id(database_url, Delivery.channel == "webhook", Delivery.status == "failed")
    posts = len(webhook_receiver.posts)
    response = post_form(anon, f"/deliveries/{failed}/retry", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert len(webhook_receiver.posts) == posts


def test_only_hr_sees_deliveries_in_the_navigation(hr: Persona, leader: Persona) -> None:
    assert 'href="/deliveries"' in hr.client.get("/?lang=en").text
    assert 'href="/deliveries"' not in leader.client.get("/?lang=en").text


# --- what it lists ------------------------------------------------------------------------------------


def test_lists_every_delivery_with_its_error_and_action_newest_first(
    hr: Persona, sent_and_failed: dict[str, Any],
) -> None:
    page = hr.client.get("/deliveries?lang=en")
    assert page.status_code == 200
    assert "newest first, 50 per page" in page.text
    assert "HTTP 500" in page.text
    assert "no email address" in page.text
    assert f'href="/actions/{sent_and_failed["action"].id}"' in page.text
    # User text is escaped, never run.
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; onboarding" in page.text
    ids = [int(chunk.split('"')[0]) for chunk in page.text.split('<tr id="delivery-')[1:]]
    assert ids == sorted(ids, reverse=True) and len(ids) >= 5


def test_filters_live_in_the_query_string(hr: Persona, sent_and_failed: dict[str, Any], database_url: str) -> None:
    failed = hr.client.get("/deliveries?status=failed&lang=en").text
    rows = failed.count('<tr id="delivery-')
    assert rows == sum(1 for *_, status, _ in statuses(database_url) if status == "failed") == 2
    assert '<option value="failed" selected>' in failed
    webhook_failures = hr.client.get("/deliveries?status=failed&channel=webhook&lang=en").text
    assert webhook_failures.count('<tr id="delivery-') == 1 and "HTTP 500" in webhook_failures
    # Nonsense values show everything rather than an error page.
    assert hr.client.get("/deliveries?status=bogus&channel=fax&page=x").status_code == 200


def test_htmx_gets_the_table_alone(hr: Persona, sent_and_failed: dict[str, Any]) -> None:
    response = hr.client.get("/deliveries?status=sent", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="deliveries"')
    assert "<html" not in response.text
    assert response.headers["vary"] == "HX-Request"


def test_an_odd_page_number_shows_the_first_page(hr: Persona) -> None:
    for page in ("%C2%B2", "9" * 5000, "-1"):
        assert hr.client.get(f"/deliveries?page={page}").status_code == 200


def test_long_lists_are_paged(hr: Persona, database_url: str) -> None:
    async def many(session):
        session.add_all(Delivery(channel="webhook", target=f"Hook {index}", subject="Test", status="sent", attempts=1)
                        for index in range(55))

    run(many, database_url)
    first = hr.client.get("/deliveries?lang=en").text
    assert first.count('<tr id="delivery-') == 50 and "Page 1 of 2" in first
    assert 'href="/deliveries?page=2"' in first
    second = hr.client.get("/deliveries?page=2&lang=en").text
    assert second.count('<tr id="delivery-') == 5 and "Test message" in second


def test_the_page_says_when_email_is_not_configured(
    settings: Settings, make_user: Callable[..., User],
) -> None:
    make_user(Role.HR, "hanna.hr@example.com")
    with make_client(create_app(settings.model_copy(update={"smtp_host": None}))) as client:
        sign_in(client, "hanna.hr@example.com")
        assert "Email is not configured" in client.get("/deliveries?lang=en").text


# --- sending again --------------------------------------------------------------------------------------


def test_hr_sends_a_failed_webhook_post_again_and_it_is_audited(
    hr: Persona, sent_and_failed: dict[str, Any], database_url: str, webhook_receiver: HookReceiver,
) -> None:
    failed = delivery_id(database_url, Delivery.channel == "webhook", Delivery.status == "failed")
    posts = len(webhook_receiver.posts)
    response = hr.post(f"/deliveries/{failed}/retry", {"status": "failed", "channel": ""}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/deliveries?status=failed"
    assert len(webhook_receiver.posts) == posts + 1
    assert ("webhook", "Team chat", "sent", 2) in statuses(database_url)

    async def audited(session):
        return (await session.execute(select(AuditEvent.verb, AuditEvent.entity_id, AuditEvent.changes)
                                      .where(AuditEvent.entity == "delivery"))).all()

    assert run(audited, database_url) == [("retry", failed, {"status": ["failed", "sent"]})]
    # A delivery that went out is not sent again, however often the button is pressed.
    hr.post(f"/deliveries/{failed}/retry", follow_redirects=False)
    assert len(webhook_receiver.posts) == posts + 1


def test_hr_fixes_an_address_and_sends_the_email_again(
    hr: Persona, other_owner: Persona, sent_and_failed: dict[str, Any], database_url: str, smtp_server: SmtpServer,
) -> None:
    failed = delivery_id(database_url, Delivery.error == "no email address")

    async def fix(session):
        await session.execute(update(User).where(User.id == other_owner.user.id).values(email="dana@example.org"))

    run(fix, database_url)
    hr.post(f"/deliveries/{failed}/retry", follow_redirects=False)
    [mail] = smtp_server.inbox.to("dana@example.org")
    assert mail["Subject"] == "Due in 1 day: Exit survey"
    assert mail["X-Actiontrack-Kind"] == "due_soon"

    async def stored(session):
        return (await session.execute(select(Delivery.status, Delivery.error).where(Delivery.id == failed))).one()

    assert tuple(run(stored, database_url)) == ("sent", "")


def test_a_reminder_that_no_longer_holds_is_not_sent_again(
    hr: Persona, sent_and_failed: dict[str, Any], database_url: str, webhook_receiver: HookReceiver,
) -> None:
    failed = delivery_id(database_url, Delivery.channel == "webhook", Delivery.status == "failed")

    async def close_its_action(session):
        action_id = await session.scalar(select(Reminder.action_id).join(Delivery, Delivery.reminder_id == Reminder.id)
                                         .where(Delivery.id == failed))
        await session.execute(update(ActionItem).where(ActionItem.id == action_id).values(status="done"))

    run(close_its_action, database_url)
    posts = len(webhook_receiver.posts)
    assert hr.post(f"/deliveries/{failed}/retry", follow_redirects=False).status_code == 303
    assert len(webhook_receiver.posts) == posts

    async def stored(session):
        return (await session.execute(select(Delivery.status, Delivery.error).where(Delivery.id == failed))).one()

    assert tuple(run(stored, database_url)) == ("failed", "the action is closed")


def test_sending_a_digest_again_reads_no_released_figures_the_worker_already_holds(
    hr: Persona, settings: Settings, add_webhook: Callable[..., Any], webhook_receiver: HookReceiver,
    make_department: Callable[..., Any], make_job_family: Callable[..., Any], make_interview: Callable[..., Any],
    database_url: str,
) -> None:
    leavers_in_the_last_released_period(make_department, make_job_family, make_interview, settings=settings)
    add_webhook(created_by=hr.user, url=f"{webhook_receiver.url}/chat", name="Team chat")
    webhook_receiver.answers.extend([500] * 3)  # the chat server stays down
    remind(settings)
    failed = delivery_id(database_url, Delivery.channel == "webhook", Delivery.status == "failed")
    statements: list[str] = []
    engine = hr.client.app.state.engine.sync_engine

    def record(_connection: Any, _cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    def released_reads_to_send_again() -> int:
        statements.clear()
        assert hr.post(f"/deliveries/{failed}/retry", follow_redirects=False).status_code == 303
        return len([statement for statement in statements if "FROM released_group" in statement])

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert released_reads_to_send_again() <= 1  # the worker's first look at the period
        # The worker's Disclosure keeps the period: HR's next try reads none of its figures again.
        assert released_reads_to_send_again() == 0
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(webhook_receiver.posts) == 3 and statuses(database_url)[-1][2:] == ("failed", 3)


def test_retry_needs_the_csrf_token_and_an_existing_delivery(
    hr: Persona, sent_and_failed: dict[str, Any], database_url: str,
) -> None:
    failed = delivery_id(database_url, Delivery.channel == "webhook", Delivery.status == "failed")
    assert hr.client.post(f"/deliveries/{failed}/retry", data={}, follow_redirects=False).status_code == 403
    assert hr.post("/deliveries/999999/retry", follow_redirects=False).status_code == 404

    async def claims(session):
        return await session.scalar(select(func.count()).select_from(Reminder))

    assert ("webhook", "Team chat", "failed", 1) in statuses(database_url)
    assert run(claims, database_url) == len(statuses(database_url))


# --- in the browser ------------------------------------------------------------------------------------


@pytest.mark.browser
def test_hr_finds_a_failed_post_and_sends_it_again_in_the_browser(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_action: Callable[..., Any],
    add_webhook: Callable[..., Any], webhook_receiver: HookReceiver,
) -> None:
    hr = make_user(Role.HR, "hilde.hr@example.com", name="Hilde HR")
    owner = make_user(Role.OWNER, "omer@example.com", name="Omer Owner")
    add_webhook(created_by=hr, url=f"{webhook_receiver.url}/chat", name="Team chat")
    make_action(owner=owner, created_by=owner, title="Exit survey", deadline=clock.today() + timedelta(days=7))
    webhook_receiver.answers.append(502)
    remind(Settings(database_url=live_server.database_url, secret_key=SECRET, webhook_retries=0,
                    webhook_allow_private=True))

    sign_in_page(page, live_server, "hilde.hr@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Deliveries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deliveries")
    page.get_by_label("Status").select_option("failed")
    expect(page).to_have_url(f"{live_server.url}/deliveries?status=failed&channel=")
    row = page.get_by_role("row").filter(has_text="Team chat")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("HTTP 502")
    row.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("No deliveries match these filters.")).to_be_visible()
    page.get_by_label("Status").select_option("sent")
    resent = page.get_by_role("row").filter(has_text="Team chat").filter(has_text="Due in 7 days: Exit survey")
    expect(resent).to_contain_text("Sent")
