"""Calendar feeds: the /calendar page, the private .ics URL, its content per RFC 5545, and its secrecy."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import event, select, update

from actiontrack.auth.tokens import token_digest
from actiontrack.calendar_feeds.pages import HideFeedTokens
from actiontrack.clock import today, utcnow
from actiontrack.models import ActionItem, ActionStatus, AuditEvent, CalendarFeed, Role, User

from browser_checks import sign_in_page
from conftest import LiveServer, Persona, execute, run

TODAY = today()
FEED_URL = re.compile(r'value="https://testserver\.local/calendar/([A-Za-z0-9_-]+)\.ics"')


# --- helpers ----------------------------------------------------------------------------------


def create_feed(persona: Persona, scope: str = "own") -> str:
    """Creates a feed through the page and returns its token, read from the one-time answer."""
    response = persona.post("/calendar/feeds", {"scope": scope})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    match = FEED_URL.search(response.text)
    assert match, response.text
    return match.group(1)


def fetch(client: TestClient, token: str, **headers: str) -> httpx.Response:
    return client.get(f"/calendar/{token}.ics", headers=headers)


def events(response: httpx.Response) -> dict[str, Any]:
    """The VEVENTs of a feed by UID."""
    assert response.status_code == 200, response.text
    calendar = Calendar.from_ical(response.content)
    return {str(item["UID"]): item for item in calendar.walk("VEVENT")}


def uid(action: ActionItem) -> str:
    return f"action-{action.id}@actiontrack"


def feeds(url: str) -> list[CalendarFeed]:
    async def query(session):
        return list((await session.execute(select(CalendarFeed).order_by(CalendarFeed.id))).scalars())

    return run(query, url)


def audit_rows(url: str) -> list[AuditEvent]:
    async def query(session):
        statement = select(AuditEvent).where(AuditEvent.entity == "calendar_feed").order_by(AuditEvent.id)
        return list((await session.execute(statement)).scalars())

    return run(query, url)


# --- the feed's content -----------------------------------------------------------------------


def test_owner_feed_has_one_all_day_event_per_open_action_they_own(
    owner: Persona, other_owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem]
) -> None:
    planned = make_action(owner=owner.user, title="Shorter onboarding", deadline=TODAY + timedelta(days=10))
    started = make_action(owner=owner.user, title="Mentor programme", deadline=TODAY + timedelta(days=40),
                          status=ActionStatus.IN_PROGRESS.value, progress=40, version=3)
    blocked = make_action(owner=owner.user, title="Exit survey in Dutch", status=ActionStatus.BLOCKED.value)
    done = make_action(owner=owner.user, title="Pay review", status=ActionStatus.DONE.value, progress=100)
    cancelled = make_action(owner=owner.user, title="Team day", status=ActionStatus.CANCELLED.value)
    others = make_action(owner=other_owner.user, title="Dana's action")
    token = create_feed(owner)

    response = fetch(anon, token)
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert set(found) == {uid(planned), uid(started), uid(blocked)}
    for absent in (done, cancelled, others):
        assert uid(absent) not in found

    mentor = found[uid(started)]
    assert mentor["DTSTART"].dt == started.deadline
    assert mentor["DTSTART"].params["VALUE"] == "DATE"
    assert mentor["DTEND"].dt == started.deadline + timedelta(days=1)
    assert str(mentor["SUMMARY"]) == "Mentor programme"
    assert mentor["SEQUENCE"] == 3
    assert mentor["LAST-MODIFIED"].dt == started.updated_at.replace(microsecond=0)
    assert str(mentor["URL"]) == f"https://testserver.local/actions/{started.id}"
    description = str(mentor["DESCRIPTION"])
    # Charlie reads Dutch: the status label is Dutch; an owner's own feed does not name the owner.
    assert "Bezig" in description
    assert "40" in description
    assert f"https://testserver.local/actions/{started.id}" in description
    assert "Charlie Owner" not in description
    alarm = mentor.walk("VALARM")[0]
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(days=-1)


def test_feed_is_a_published_calendar_named_for_its_scope(owner: Persona, anon: TestClient) -> None:
    calendar = Calendar.from_ical(fetch(anon, create_feed(owner)).content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//actiontrack//")
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"])
    assert "actiontrack" in str(calendar["X-WR-CALNAME"])
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert calendar.walk("VEVENT") == []


def test_all_deadlines_feed_shows_every_open_action_with_its_owner(
    hr: Persona, owner: Persona, other_owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem]
) -> None:
    charlie = make_action(owner=owner.user, title="Charlie's action")
    dana = make_action(owner=other_owner.user, title="Dana's action", status=ActionStatus.BLOCKED.value)
    done = make_action(owner=other_owner.user, title="Finished", status=ActionStatus.DONE.value)
    cancelled = make_action(owner=owner.user, title="Dropped", status=ActionStatus.CANCELLED.value)
    found = events(fetch(anon, create_feed(hr, "all")))
    assert set(found) == {uid(charlie), uid(dana)}
    assert uid(done) not in found and uid(cancelled) not in found
    assert "Owner: Dana Owner" in str(found[uid(dana)]["DESCRIPTION"])
    assert "Owner: Charlie Owner" in str(found[uid(charlie)]["DESCRIPTION"])
    # HR's own feed holds only what HR owns: nothing here.
    assert events(fetch(anon, create_feed(hr, "own"))) == {}


def test_overdue_actions_are_prefixed_in_the_feed_holders_language(
    owner: Persona, leader: Persona, anon: TestClient, make_action: Callable[..., ActionItem]
) -> None:
    late = make_action(owner=owner.user, title="Exit survey", deadline=TODAY - timedelta(days=2))
    due_today = make_action(owner=owner.user, title="Due today", deadline=TODAY)
    lead_late = make_action(owner=leader.user, title="Leadership review", deadline=TODAY - timedelta(days=1))
    # The visitor's language does not matter: the feed holder's does (Charlie nl, Bob fr).
    dutch = events(fetch(anon, create_feed(owner), **{"accept-language": "en"}))
    assert str(dutch[uid(late)]["SUMMARY"]) == "Te laat: Exit survey"
    assert str(dutch[uid(due_today)]["SUMMARY"]) == "Due today"
    french = events(fetch(anon, create_feed(leader, "all"), **{"accept-language": "nl"}))
    assert str(french[uid(lead_late)]["SUMMARY"]).startswith("En retard")
    assert str(french[uid(lead_late)]["SUMMARY"]).endswith("Leadership review")
    assert str(french[uid(late)]["SUMMARY"]).startswith("En retard")


def test_reassigned_action_moves_to_the_new_owners_feed(
    hr: Persona, owner: Persona, other_owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem],
    database_url: str,
) -> None:
    action = make_action(owner=owner.user, created_by=hr.user, title="Buddy system")
    charlie, dana = create_feed(owner), create_feed(other_owner)
    assert uid(action) in events(fetch(anon, charlie))
    assert uid(action) not in events(fetch(anon, dana))

    response = hr.post(f"/actions/{action.id}/reassign",
                       {"version": "1", "owner_id": str(other_owner.user.id), "note": "Dana takes over"},
                       follow_redirects=False)
    assert response.status_code == 303
    assert uid(action) not in events(fetch(anon, charlie))
    moved = events(fetch(anon, dana))[uid(action)]
    # The new version tells calendar apps that the event changed.
    assert moved["SEQUENCE"] == 2


def test_feed_follows_rfc5545_line_rules(
    owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem]
) -> None:
    title = "Révision des barèmes; équipes, magasins " + "é" * 60 + " <script>alert(1)</script>"
    action = make_action(owner=owner.user, title=title[:200], description="x")
    body = fetch(anon, create_feed(owner)).content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "the long title should have been folded"
    assert b"VERSION:2.0\r\n" in body and b"PRODID:" in body
    event_ = Calendar.from_ical(body).walk("VEVENT")[0]
    for required in ("UID", "DTSTAMP", "DTSTART"):
        assert required in event_
    assert event_["DTSTAMP"].dt.tzinfo is not None
    assert str(event_["SUMMARY"]) == title[:200]
    assert str(event_["UID"]) == uid(action)


def test_a_title_cannot_inject_properties_or_events(
    owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem]
) -> None:
    title = "Pay\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@example.com\r\nSUMMARY:Injected"
    action = make_action(owner=owner.user, title=title)
    found = events(fetch(anon, create_feed(owner)))
    assert list(found) == [uid(action)]
    assert "Injected" in str(found[uid(action)]["SUMMARY"])


def test_uids_are_stable_and_an_unchanged_feed_answers_304(
    owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem], database_url: str
) -> None:
    action = make_action(owner=owner.user)
    token = create_feed(owner)
    first = fetch(anon, token)
    assert first.headers["cache-control"].startswith("private, max-age=")
    assert first.headers["referrer-policy"] == "no-referrer"
    etag = first.headers["etag"]
    second = fetch(anon, token)
    assert second.content == first.content
    assert list(events(second)) == [uid(action)]
    not_modified = fetch(anon, token, **{"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    execute(database_url, update(ActionItem).where(ActionItem.id == action.id).values(
        title_en="New title", version=2, updated_at=utcnow()))
    changed = fetch(anon, token, **{"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert str(events(changed)[uid(action)]["SUMMARY"]) == "New title"


def test_feed_needs_a_constant_number_of_queries(
    hr: Persona, owner: Persona, other_owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem],
) -> None:
    token = create_feed(hr, "all")
    make_action(owner=owner.user)
    statements: list[str] = []
    event.listen(anon.app.state.engine.sync_engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))
    fetch(anon, token)
    fetch(anon, token)  # warm: last_used_at is fresh now, so no write
    statements.clear()
    assert len(events(fetch(anon, token))) == 1
    with_one = len(statements)
    for number in range(6):
        make_action(owner=other_owner.user if number % 2 else owner.user, title=f"Action {number}")
    statements.clear()
    assert len(events(fetch(anon, token))) == 7
    assert len(statements) == with_one
    assert with_one <= 3


# --- secrecy: tokens, revocation, who may have which feed ---------------------------------------


def test_unknown_revoked_malformed_and_inactive_holders_feeds_all_get_the_same_404(
    owner: Persona, other_owner: Persona, anon: TestClient, database_url: str
) -> None:
    revoked = create_feed(owner)
    feed_id = feeds(database_url)[-1].id
    assert owner.post(f"/calendar/feeds/{feed_id}/revoke", follow_redirects=False).status_code == 303
    inactive = create_feed(other_owner)
    execute(database_url, update(User).where(User.id == other_owner.user.id).values(active=False))
    answers = [
        fetch(anon, revoked),
        fetch(anon, inactive),
        fetch(anon, "x" * 43),
        anon.get(f"/calendar/{create_feed(owner)}.txt"),
        anon.get("/calendar/.ics"),
        anon.get(f"/calendar/{'y' * 400}.ics"),
    ]
    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert len({answer.text for answer in answers}) == 1
    for answer in answers:
        assert "text/calendar" not in answer.headers["content-type"]
        assert answer.headers["referrer-policy"] == "no-referrer"


def test_token_is_stored_only_as_its_hash(owner: Persona, database_url: str) -> None:
    token = create_feed(owner)
    (feed,) = feeds(database_url)
    assert feed.token_hash == token_digest(token)
    assert token not in repr(feed.model_dump())
    for row in audit_rows(database_url):
        assert token not in repr(row.changes)
        assert token_digest(token) not in repr(row.changes)
    page = owner.client.get("/calendar")
    assert token not in page.text


def test_create_replace_and_revoke_are_audited_and_the_old_link_stops_working(
    owner: Persona, anon: TestClient, database_url: str
) -> None:
    first = create_feed(owner)
    second = create_feed(owner)  # the page's "Replace the link"
    assert fetch(anon, first).status_code == 404
    assert fetch(anon, second).status_code == 200
    rows = feeds(database_url)
    assert [row.revoked_at is None for row in rows] == [False, True]
    assert owner.post(f"/calendar/feeds/{rows[1].id}/revoke", follow_redirects=False).headers["location"] == "/calendar"
    assert fetch(anon, second).status_code == 404
    # Revoking twice changes nothing and records nothing more.
    assert owner.post(f"/calendar/feeds/{rows[1].id}/revoke", follow_redirects=False).status_code == 303
    trail = [(row.verb, row.entity_id, row.changes, row.actor_id) for row in audit_rows(database_url)]
    assert trail == [
        ("create", rows[0].id, {"scope": "own"}, owner.user.id),
        ("revoke", rows[0].id, {"reason": "replaced"}, owner.user.id),
        ("create", rows[1].id, {"scope": "own", "replaces": [rows[0].id]}, owner.user.id),
        ("revoke", rows[1].id, {"scope": "own"}, owner.user.id),
    ]


def test_owner_cannot_create_a_feed_of_all_deadlines(owner: Persona, database_url: str) -> None:
    response = owner.post("/calendar/feeds", {"scope": "all"})
    assert response.status_code == 403
    assert feeds(database_url) == []
    assert audit_rows(database_url) == []


def test_unknown_scope_shows_the_page_again_with_a_message(owner: Persona, database_url: str) -> None:
    response = owner.post("/calendar/feeds?lang=en", {"scope": "everything"})
    assert response.status_code == 400
    assert "Choose which deadlines the calendar shows." in response.text
    assert feeds(database_url) == []


def test_revoking_an_id_too_large_for_the_database_is_not_found(owner: Persona) -> None:
    assert owner.post(f"/calendar/feeds/{10**20}/revoke", {}, follow_redirects=False).status_code == 404


def test_nobody_can_revoke_someone_elses_feed(
    owner: Persona, other_owner: Persona, hr: Persona, anon: TestClient, database_url: str
) -> None:
    token = create_feed(owner)
    feed_id = feeds(database_url)[0].id
    for intruder in (other_owner, hr):
        assert intruder.post(f"/calendar/feeds/{feed_id}/revoke").status_code == 404
    assert intruder.post("/calendar/feeds/999999/revoke").status_code == 404
    assert fetch(anon, token).status_code == 200
    assert [row.verb for row in audit_rows(database_url)] == ["create"]


def test_all_deadlines_feed_stops_when_its_holder_loses_the_role(
    hr: Persona, anon: TestClient, database_url: str
) -> None:
    everything, own = create_feed(hr, "all"), create_feed(hr, "own")
    execute(database_url, update(User).where(User.id == hr.user.id).values(role=Role.OWNER.value))
    assert fetch(anon, everything).status_code == 404
    assert fetch(anon, own).status_code == 200


def test_last_used_is_recorded_at_most_once_an_hour(owner: Persona, anon: TestClient, database_url: str) -> None:
    token = create_feed(owner)
    assert feeds(database_url)[0].last_used_at is None
    fetch(anon, token)
    first = feeds(database_url)[0].last_used_at
    assert first is not None
    fetch(anon, token)
    assert feeds(database_url)[0].last_used_at == first
    two_hours_ago = utcnow() - timedelta(hours=2)
    execute(database_url, update(CalendarFeed).values(last_used_at=two_hours_ago))
    fetch(anon, token)
    assert feeds(database_url)[0].last_used_at > two_hours_ago + timedelta(hours=1)


# --- the /calendar page -----------------------------------------------------------------------


def test_page_offers_all_deadlines_only_to_hr_and_leadership(hr: Persona, leader: Persona, owner: Persona) -> None:
    for persona, has_all in ((hr, True), (leader, True), (owner, False)):
        page = persona.client.get("/calendar?lang=en")
        assert page.status_code == 200
        assert "My deadlines" in page.text
        assert ('name="scope" value="all"' in page.text) is has_all
        assert 'href="/calendar"' in page.text  # in the navigation


def test_page_shows_the_feed_state_and_the_link_only_once(owner: Persona) -> None:
    response = owner.post("/calendar/feeds?lang=en", {"scope": "own"})
    assert "Outlook" in response.text and "Google Calendar" in response.text
    assert 'href="webcal://testserver.local/calendar/' in response.text
    page = owner.client.get("/calendar?lang=en").text
    assert "Link created on" in page
    assert "No calendar has fetched it yet." in page
    assert "Replace the link" in page and "Revoke the link" in page
    assert ".ics" not in page


def test_posts_without_csrf_token_are_refused(owner: Persona, database_url: str) -> None:
    create_feed(owner)
    feed_id = feeds(database_url)[0].id
    assert owner.client.post("/calendar/feeds", data={"scope": "own"}).status_code == 403
    assert owner.client.post(f"/calendar/feeds/{feed_id}/revoke").status_code == 403
    rows = feeds(database_url)
    assert len(rows) == 1 and rows[0].revoked_at is None


@pytest.mark.parametrize(
    ("method", "path", "data", "expected"),
    [
        ("get", "/calendar", None, {"anon": 303, "hr": 200, "leader": 200, "owner": 200}),
        ("post", "/calendar/feeds", {"scope": "own"}, {"anon": 303, "hr": 200, "leader": 200, "owner": 200}),
        ("post", "/calendar/feeds", {"scope": "all"}, {"anon": 303, "hr": 200, "leader": 200, "owner": 403}),
        ("post", "/calendar/feeds/{own_feed}/revoke", {}, {"anon": 303, "hr": 303, "leader": 303, "owner": 303}),
    ],
)
def test_authorisation_matrix(
    method: str, path: str, data: dict[str, str] | None, expected: dict[str, int],
    anon: TestClient, hr: Persona, leader: Persona, owner: Persona, database_url: str,
) -> None:
    from conftest import post_form

    clients = {"anon": anon, "hr": hr.client, "leader": leader.client, "owner": owner.client}
    for name, client in clients.items():
        target = path
        if "{own_feed}" in path:
            if name != "anon":
                create_feed({"hr": hr, "leader": leader, "owner": owner}[name])
            holder_id = {"hr": hr.user.id, "leader": leader.user.id, "owner": owner.user.id}.get(name, owner.user.id)
            live = [row for row in feeds(database_url) if row.user_id == holder_id and row.revoked_at is None]
            target = path.format(own_feed=live[0].id if live else 1)
        if method == "get":
            response = client.get(target, follow_redirects=False)
        else:
            response = post_form(client, target, data, follow_redirects=False)
        assert response.status_code == expected[name], (name, target, response.text[:200])
        if expected[name] == 303 and name == "anon":
            assert response.headers["location"].startswith("/login?next=")


# --- in a browser -----------------------------------------------------------------------------


@pytest.mark.browser
def test_owner_subscribes_to_their_deadlines_in_the_browser(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_action: Callable[..., ActionItem]
) -> None:
    owner = make_user(Role.OWNER, "olga.owner@example.com", name="Olga Owner")
    action = make_action(owner=owner, title="Onboarding buddy", deadline=TODAY + timedelta(days=7))
    sign_in_page(page, live_server, "olga.owner@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines in your calendar")
    page.get_by_role("button", name="Create a calendar link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar link ready")
    url = page.get_by_label("Calendar link").input_value()
    assert url.startswith(f"{live_server.url}/calendar/") and url.endswith(".ics")

    feed = httpx.get(url)
    assert feed.status_code == 200
    found = {str(item["UID"]): item for item in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert str(found[uid(action)]["SUMMARY"]) == "Onboarding buddy"

    page.get_by_role("link", name="Back to calendar links").click()
    page.get_by_role("button", name="Revoke the link").click()
    expect(page.get_by_role("button", name="Create a calendar link")).to_be_visible()
    assert httpx.get(url).status_code == 404


def test_the_access_log_never_shows_a_feed_token() -> None:
    # A record as uvicorn's access logger makes it: client, method, path, HTTP version, status.
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/calendar/s3cret-Token_x.ics?x=1", "1.1", 200), None)
    assert HideFeedTokens().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /calendar/<token>.ics?x=1 HTTP/1.1" 200'
    other = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                              ("127.0.0.1:5000", "GET", "/calendar", "1.1", 200), None)
    assert HideFeedTokens().filter(other) and "/calendar HTTP" in other.getMessage()
