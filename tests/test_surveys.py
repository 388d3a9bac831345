"""The confidential online survey: one-time links, a public page in the leaver's language, one submission."""

from __future__ import annotations

import asyncio
import hashlib
import html
import re
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import text

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.db import make_engine, make_sessionmaker
from actiontrack.i18n import translations
from actiontrack.models import AuditEvent, Department, ExitInterview, JobFamily, SurveyAnswer, SurveyInvitation, User
from actiontrack.settings import Settings
from actiontrack.surveys.queries import claim, deliver_answers, find_invitation

from conftest import LiveServer, Persona, count, deliver_survey_answers, make_client, off_loop, post_form, rows, run


def in_language(language: str, message: str) -> str:
    return translations(language).ugettext(message)


def answers(**overrides: str) -> dict[str, str]:
    return {
        "tenure_band": "1to2", "exit_date": (clock.today() - timedelta(days=1)).isoformat(),
        "reason_for_leaving": "Pas de télétravail possible.", "pay_factor": "no",
        "tasks_match_score": "4", "manager_support_score": "2", "training_score": "3", "recognition_score": "3",
        "improvement_suggestion": "Plus de flexibilité.", "would_return": "maybe", "recommend_score": "6",
        **overrides,
    }


@pytest.fixture
def org(make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily]) -> dict[str, Any]:
    return {"department": make_department("Retail stores", headcount=120), "job_family": make_job_family("Store staff")}


@pytest.fixture
def link(org: dict[str, Any], make_survey_link: Callable[..., str], make_user: Callable[..., User]) -> str:
    creator = make_user("hr", "creator.hr@example.com")
    return make_survey_link(**org, created_by=creator, language="fr")


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who, expected", [("hr", "allowed"), ("leader", 403), ("owner", 403), ("anon", "login")])
def test_only_hr_creates_and_lists_links(
    request: pytest.FixtureRequest, org: dict[str, Any], database_url: str, method: str, who: str, expected: Any
) -> None:
    form = {"department_id": str(org["department"].id), "job_family_id": str(org["job_family"].id), "language": "nl"}
    if who == "anon":
        client: TestClient = request.getfixturevalue("anon")
        response = client.get("/surveys", follow_redirects=False) if method == "get" else \
            post_form(client, "/surveys", form, follow_redirects=False)
    else:
        person: Persona = request.getfixturevalue(who)
        response = person.client.get("/surveys", follow_redirects=False) if method == "get" else \
            person.post("/surveys", form, follow_redirects=False)
    if expected == "allowed":
        assert response.status_code in {200, 303}
    elif expected == "login":
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/surveys"
    else:
        assert response.status_code == expected
    if who != "hr":
        assert count(database_url, SurveyInvitation) == 0


@pytest.mark.parametrize("who", ["anon", "hr", "leader", "owner"])
def test_the_survey_page_needs_no_sign_in(request: pytest.FixtureRequest, link: str, who: str) -> None:
    client = request.getfixturevalue(who)
    client = client if isinstance(client, TestClient) else client.client
    page = client.get(f"/survey/{link}")
    assert page.status_code == 200
    assert 'name="reason_for_leaving"' in page.text


# --- HR makes links ---------------------------------------------------------------------------


def test_hr_creates_a_link_that_is_shown_once_and_stored_as_a_hash(
    hr: Persona, org: dict[str, Any], database_url: str
) -> None:
    form = {"department_id": str(org["department"].id), "job_family_id": str(org["job_family"].id), "language": "nl"}
    response = hr.post("/surveys", form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/surveys"
    page = hr.client.get("/surveys").text
    shown = re.search(r'id="new-link" name="new_link" type="text" value="https://testserver\.local/survey/([^"]+)"',
                      page)
    assert shown, "the new link is shown"
    token = shown.group(1)
    assert len(token) >= 40
    [invitation] = rows(database_url, SurveyInvitation)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert (invitation.department_id, invitation.job_family_id, invitation.language) == (
        org["department"].id, org["job_family"].id, "nl")
    assert invitation.created_by_id == hr.user.id and invitation.used_at is None
    lifetime = invitation.expires_at - invitation.created_at
    assert lifetime == timedelta(days=30)
    # Shown once: the page cannot show it again (only its hash is kept).
    assert token not in hr.client.get("/surveys").text
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "survey_invitation")
    assert (event.verb, event.entity_id, event.actor_id) == ("create", invitation.id, hr.user.id)
    assert token not in str(event.changes)
    # The link works.
    assert hr.client.get(f"/survey/{token}").status_code == 200


def test_the_link_lifetime_comes_from_the_settings(
    settings: Settings, org: dict[str, Any], make_user: Callable[..., User], database_url: str
) -> None:
    make_user("hr", "short.links@example.com")
    app = create_app(settings.model_copy(update={"survey_days": 7}))
    with make_client(app) as client:
        post_form(client, "/login", {"email": "short.links@example.com", "password": "persona-password-42"})
        post_form(client, "/surveys", {"department_id": str(org["department"].id),
                                       "job_family_id": str(org["job_family"].id), "language": "en"})
    [invitation] = rows(database_url, SurveyInvitation)
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


@pytest.mark.parametrize("change, field, message", [
    ({"department_id": "999"}, "department_id", "Choose a department from the list."),
    ({"department_id": ""}, "department_id", "Choose a department from the list."),
    ({"job_family_id": "x"}, "job_family_id", "Choose a job family from the list."),
    ({"language": "de"}, "language", "Choose one of the answers."),
])
def test_bad_link_input_is_explained_and_nothing_is_saved(
    hr: Persona, org: dict[str, Any], database_url: str, change: dict[str, str], field: str, message: str
) -> None:
    form = {"department_id": str(org["department"].id), "job_family_id": str(org["job_family"].id), "language": "en",
            **change}
    response = hr.post("/surveys", form)
    assert response.status_code == 400
    assert re.search(rf'<p class="error" id="{field}-error">{re.escape(message)}</p>', response.text)
    assert count(database_url, SurveyInvitation) == 0


def test_hr_sees_which_links_are_pending_used_or_expired(
    hr: Persona, org: dict[str, Any], make_survey_link: Callable[..., str]
) -> None:
    now = clock.utcnow()
    make_survey_link(**org, created_by=hr.user)
    make_survey_link(**org, created_by=hr.user, used_at=now - timedelta(days=1))
    make_survey_link(**org, created_by=hr.user, used_at=now - timedelta(days=2))
    make_survey_link(**org, created_by=hr.user, expires_at=now - timedelta(seconds=1))
    page = hr.client.get("/surveys").text
    assert "Pending (1)" in page and "Used (2)" in page and "Expired (1)" in page and "All (4)" in page
    assert page.count('class="link-used"') == 2
    used_only = hr.client.get("/surveys?status=used").text
    assert used_only.count("<tr class=\"link-") == 2
    assert 'class="link-pending"' not in used_only
    assert hr.client.get("/surveys?status=nonsense").status_code == 200


# --- the leaver answers -----------------------------------------------------------------------


def test_the_survey_opens_in_the_leavers_language_and_can_switch(anon: TestClient, link: str) -> None:
    page = anon.get(f"/survey/{link}", headers={"accept-language": "nl"})
    assert '<html lang="fr">' in page.text
    assert in_language("fr", "Exit survey") in page.text
    assert f'action="/survey/{link}?lang=fr"' in page.text
    dutch = anon.get(f"/survey/{link}?lang=nl")
    assert '<html lang="nl">' in dutch.text
    # HR's questions stay with HR.
    for hr_only in ('name="notes"', 'name="themes"', 'name="department_id"', 'name="channel"'):
        assert hr_only not in page.text
    # No form that leaves the survey's paths (its line in the access log would carry the address).
    assert re.findall(r'<form [^>]*action="([^"?]+)', page.text) == [f"/survey/{link}"]


def test_a_submitted_survey_becomes_an_interview_and_the_link_is_used_up(
    anon: TestClient, link: str, org: dict[str, Any], database_url: str
) -> None:
    anon.get(f"/survey/{link}")
    response = post_form(anon, f"/survey/{link}?lang=fr", answers(), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/survey-thanks?lang=fr"
    thanks = anon.get(response.headers["location"])
    assert '<html lang="fr">' in thanks.text
    assert in_language("fr", "Thank you for your answers") in thanks.text

    # The answers wait for the day to be over, then become an interview.
    assert count(database_url, ExitInterview) == 0
    assert count(database_url, SurveyAnswer) == 1
    deliver_survey_answers(database_url)
    assert count(database_url, SurveyAnswer) == 0
    [interview] = rows(database_url, ExitInterview)
    assert (interview.channel, interview.language, interview.department_id, interview.job_family_id) == (
        "survey", "fr", org["department"].id, org["job_family"].id)
    assert interview.interviewer_id is None and interview.notes == ""
    assert interview.reason_for_leaving == "Pas de télétravail possible."
    assert (interview.manager_support_score, interview.recommend_score) == (2, 6)
    [invitation] = rows(database_url, SurveyInvitation)
    assert invitation.used_at is not None
    # The audit trail records the new interview but neither the link nor the leaver's address.
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "exit_interview")
    assert (event.verb, event.entity, event.actor_id, event.ip) == ("create", "exit_interview", None, None)
    assert event.changes == {"channel": "survey"}


def test_a_used_link_says_so_and_accepts_nothing_more(anon: TestClient, link: str, database_url: str) -> None:
    anon.get(f"/survey/{link}")
    post_form(anon, f"/survey/{link}", answers())
    again = anon.get(f"/survey/{link}")
    assert again.status_code == 410
    assert in_language("fr", "This survey link has already been used") in again.text
    assert 'name="reason_for_leaving"' not in again.text
    resubmitted = post_form(anon, f"/survey/{link}", answers(reason_for_leaving="Second try"))
    assert resubmitted.status_code == 410
    deliver_survey_answers(database_url)
    assert count(database_url, ExitInterview) == 1


def test_a_deleted_survey_answer_keeps_its_id_to_itself(
    anon: TestClient, hr: Persona, link: str, org: dict[str, Any], make_survey_link: Callable[..., str],
    database_url: str,
) -> None:
    # Answers become interviews once their day is over (see surveys.queries.deliver_answers).
    tomorrow = clock.utcnow() + timedelta(days=1)
    anon.get(f"/survey/{link}")
    post_form(anon, f"/survey/{link}", answers())
    run(lambda session: deliver_answers(session, now=tomorrow), database_url)
    [deleted] = rows(database_url, ExitInterview)
    assert hr.post(f"/interviews/{deleted.id}/delete", follow_redirects=False).status_code == 303
    second = make_survey_link(**org, created_by=hr.user)
    anon.get(f"/survey/{second}")
    assert post_form(anon, f"/survey/{second}", answers(reason_for_leaving="Another leaver."),
                     follow_redirects=False).status_code == 303
    run(lambda session: deliver_answers(session, now=tomorrow), database_url)
    [recorded] = rows(database_url, ExitInterview)
    # SQLite would hand the newest row's id on to the next one: the audit trail would then name a stranger.
    assert recorded.id != deleted.id
    trail = rows(database_url, AuditEvent, AuditEvent.entity == "exit_interview", AuditEvent.entity_id == deleted.id)
    assert [(event.verb, event.actor_id) for event in trail] == [("create", None), ("delete", hr.user.id)]


def test_an_expired_link_says_so_and_accepts_nothing(
    anon: TestClient, org: dict[str, Any], make_survey_link: Callable[..., str], make_user: Callable[..., User],
    database_url: str,
) -> None:
    creator = make_user("hr", "old.hr@example.com")
    token = make_survey_link(**org, created_by=creator, language="nl",
                             expires_at=clock.utcnow() - timedelta(minutes=1))
    page = anon.get(f"/survey/{token}")
    assert page.status_code == 410
    assert '<html lang="nl">' in page.text
    assert in_language("nl", "This survey link has expired") in page.text
    assert post_form(anon, f"/survey/{token}", answers()).status_code == 410
    assert count(database_url, ExitInterview) == 0


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 5000, "%00"])
def test_an_unknown_link_is_not_found(anon: TestClient, token: str, database_url: str) -> None:
    page = anon.get(f"/survey/{token}", headers={"accept-language": "en"})
    assert page.status_code == 404
    assert "This survey link is not valid" in page.text
    assert post_form(anon, f"/survey/{token}", answers()).status_code == 404
    assert count(database_url, ExitInterview) == 0


@pytest.mark.parametrize("change, field, message, values", [
    ({"exit_date": "demain"}, "exit_date", "Enter the date as year-month-day, for example %(example)s.",
     {"example": clock.today().replace(day=1).isoformat()}),
    ({"exit_date": (clock.today() + timedelta(days=3)).isoformat()}, "exit_date",
     "The last working day cannot be in the future.", {}),
    ({"recommend_score": "-1"}, "recommend_score", "Choose a score from %(low)d to %(high)d.", {"low": 0, "high": 10}),
    ({"reason_for_leaving": ""}, "reason_for_leaving", "Answer this question.", {}),
    ({"improvement_suggestion": "é" * 5001}, "improvement_suggestion",
     "Use at most %(max)d characters (this answer has %(count)d).", {"max": 5000, "count": 5001}),
])
def test_a_survey_with_mistakes_is_shown_again_in_the_leavers_language_and_the_link_stays_usable(
    anon: TestClient, link: str, database_url: str, change: dict[str, str], field: str, message: str,
    values: dict[str, Any],
) -> None:
    anon.get(f"/survey/{link}")
    response = post_form(anon, f"/survey/{link}?lang=fr", answers(**change))
    assert response.status_code == 400
    assert '<html lang="fr">' in response.text
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', response.text, re.S)
    assert error and html.unescape(error.group(1)) == in_language("fr", message) % values
    if field != "improvement_suggestion":
        assert "Plus de flexibilité." in response.text
    assert count(database_url, ExitInterview) == 0
    [invitation] = rows(database_url, SurveyInvitation)
    assert invitation.used_at is None
    assert post_form(anon, f"/survey/{link}", answers(), follow_redirects=False).status_code == 303


def test_survey_answers_with_html_are_shown_escaped_to_hr(link: str, hr: Persona, database_url: str) -> None:
    # One client per app: HR's own browser can open the public page too.
    hr.client.get(f"/survey/{link}")
    post_form(hr.client, f"/survey/{link}", answers(reason_for_leaving="<script>alert('x')</script>"))
    deliver_survey_answers(database_url)
    [interview] = rows(database_url, ExitInterview)
    page = hr.client.get(f"/interviews/{interview.id}").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


# --- one submission, even at the same time ----------------------------------------------------


def test_two_simultaneous_submissions_create_exactly_one_interview(
    settings: Settings, org: dict[str, Any], make_survey_link: Callable[..., str], make_user: Callable[..., User],
    database_url: str,
) -> None:
    creator = make_user("hr", "race.hr@example.com")
    # Two app instances stand for two workers: they share only the database.
    apps: list[Litestar] = [create_app(settings), create_app(settings)]
    for attempt in range(3):
        token = make_survey_link(**org, created_by=creator)
        statuses: list[int] = []
        with make_client(apps[0]) as first, make_client(apps[1]) as second:
            for client in (first, second):
                client.get(f"/survey/{token}")
            barrier = threading.Barrier(2)

            def submit(client: TestClient) -> None:
                barrier.wait()
                statuses.append(post_form(client, f"/survey/{token}", answers(), follow_redirects=False).status_code)

            threads = [threading.Thread(target=submit, args=(client,)) for client in (first, second)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        assert sorted(statuses) == [303, 410], f"attempt {attempt}: {statuses}"
        assert count(database_url, SurveyAnswer) == attempt + 1


def test_a_claim_made_after_another_request_used_the_link_fails(
    org: dict[str, Any], make_survey_link: Callable[..., str], make_user: Callable[..., User], database_url: str
) -> None:
    """The check-then-claim window: both requests saw a pending link, only the first claim wins."""
    creator = make_user("hr", "window.hr@example.com")
    token = make_survey_link(**org, created_by=creator)

    async def race() -> tuple[bool, bool]:
        engine = make_engine(database_url)
        sessions = make_sessionmaker(engine)
        try:
            async with sessions() as slow, slow.begin():
                invitation = await find_invitation(slow, token=token)
                assert invitation is not None and invitation.used_at is None
                async with sessions() as fast, fast.begin():
                    fast_won = await claim(fast, invitation=invitation, now=clock.utcnow())
                slow_won = await claim(slow, invitation=invitation, now=clock.utcnow())
                return fast_won, slow_won
        finally:
            await engine.dispose()

    assert off_loop(lambda: asyncio.run(race())) == (True, False)


def test_an_expired_link_cannot_be_claimed(
    org: dict[str, Any], make_survey_link: Callable[..., str], make_user: Callable[..., User], database_url: str
) -> None:
    creator = make_user("hr", "late.hr@example.com")
    token = make_survey_link(**org, created_by=creator, expires_at=clock.utcnow() + timedelta(minutes=5))

    async def late_claim(session):
        invitation = await find_invitation(session, token=token)
        return await claim(session, invitation=invitation, now=clock.utcnow() + timedelta(minutes=6))

    assert run(late_claim, database_url) is False


def test_an_answer_is_kept_with_the_links_use_and_becomes_one_interview_whatever_fails_between(
    anon: TestClient, link: str, database_url: str
) -> None:
    """Used link and kept answers are one transaction; the interview is another, later one, done once."""
    anon.get(f"/survey/{link}")
    assert post_form(anon, f"/survey/{link}", answers(), follow_redirects=False).status_code == 303
    # Nothing delivered yet (as after a crash right after the answer): the link is spent, the answer kept.
    assert post_form(anon, f"/survey/{link}", answers(reason_for_leaving="Twice")).status_code == 410
    assert (count(database_url, SurveyAnswer), count(database_url, ExitInterview)) == (1, 0)
    tomorrow = clock.utcnow() + timedelta(days=1)

    async def crashing_delivery(session: Any) -> None:
        assert len(await deliver_answers(session, now=tomorrow)) == 1
        raise RuntimeError("the worker died before its commit")

    with pytest.raises(RuntimeError):
        run(crashing_delivery, database_url)
    assert (count(database_url, SurveyAnswer), count(database_url, ExitInterview)) == (1, 0)
    # Not before the day is over.
    assert run(lambda session: deliver_answers(session, now=clock.utcnow()), database_url) == []

    async def two_workers_at_once() -> tuple[int, int]:
        engine = make_engine(database_url)
        sessions = make_sessionmaker(engine)
        try:
            async with sessions() as first:
                first_count = len(await deliver_answers(first, now=tomorrow))
                async def second() -> int:
                    async with sessions() as other, other.begin():
                        return len(await deliver_answers(other, now=tomorrow))
                waiting = asyncio.create_task(second())
                await asyncio.sleep(0.2)  # the second worker's delete waits for the first's rows
                await first.commit()
                return first_count, await waiting
        finally:
            await engine.dispose()

    assert off_loop(lambda: asyncio.run(two_workers_at_once())) == (1, 0)
    assert (count(database_url, SurveyAnswer), count(database_url, ExitInterview)) == (0, 1)
    [interview] = rows(database_url, ExitInterview)
    assert interview.reason_for_leaving == "Pas de télétravail possible."


def test_a_worker_writes_the_answers_of_past_days_when_it_starts_and_hourly_after(
    settings: Settings, org: dict[str, Any], database_url: str
) -> None:
    """No command to remember: a worker's start, then the first request of each hour, delivers what waits."""
    def wait(day: Any) -> None:
        async def keep(session: Any) -> None:
            session.add(SurveyAnswer(kind="exit", answered_on=day, department_id=org["department"].id,
                                     job_family_id=org["job_family"].id, language="nl",
                                     answers=answers() | {"tasks_match_score": 4, "manager_support_score": 2,
                                                          "training_score": 3, "recognition_score": 3,
                                                          "recommend_score": 6}))
        run(keep, database_url)

    yesterday = clock.utcnow().date() - timedelta(days=1)
    wait(yesterday)
    wait(clock.utcnow().date())  # today's waits for the day to be over
    app = create_app(settings)
    with make_client(app) as client:
        assert count(database_url, ExitInterview) == 1 and count(database_url, SurveyAnswer) == 1
        wait(yesterday - timedelta(days=1))  # sent in the last moments of its day, committed after the check
        client.get("/health")
        assert count(database_url, ExitInterview) == 1  # not before the hour is up
        app.state.answer_delivery._next_check = clock.utcnow()
        client.get("/health")
        assert count(database_url, ExitInterview) == 2 and count(database_url, SurveyAnswer) == 1


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_a_leaver_answers_in_french_and_the_link_then_reads_already_used(
    page: Page, live_server: LiveServer, org: dict[str, Any], make_survey_link: Callable[..., str],
    make_user: Callable[..., User],
) -> None:
    creator = make_user("hr", "browser.hr@example.com")
    token = make_survey_link(**org, created_by=creator, language="fr")
    fr = translations("fr").ugettext
    page.set_extra_http_headers({"accept-language": "en"})
    page.goto(f"{live_server.url}/survey/{token}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Exit survey"))

    page.get_by_role("group", name=fr("How long did you work here?")).get_by_label(fr("1 to 2 years")).check()
    page.get_by_label(fr("Last working day")).fill((clock.today() - timedelta(days=2)).isoformat())
    page.get_by_label(fr("Why are you leaving?")).fill("Le trajet était trop long et pas de télétravail.")
    page.get_by_role("group", name=fr("Did pay play a part in your decision to leave?")).get_by_label(fr("No")).check()
    for question in ("tasks_match_score", "manager_support_score", "training_score", "recognition_score"):
        page.locator(f'input[name="{question}"][value="3"]').check()
    page.get_by_role("group", name=fr("Would you come back to work here?")).get_by_label(fr("Maybe")).check()
    page.locator('input[name="recommend_score"][value="7"]').check()
    page.get_by_role("button", name=fr("Send my answers")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Thank you for your answers"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto(f"{live_server.url}/survey/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("This survey link has already been used"))
    expect(page.locator('textarea[name="reason_for_leaving"]')).to_have_count(0)
    assert httpx.get(f"{live_server.url}/survey/{token}").status_code == 410


# --- nothing joins a used link to its answers -------------------------------------------------


def midnight_utc() -> Any:
    return clock.utcnow().replace(hour=0, minute=0, second=0, microsecond=0)


def transaction_ids(url: str, table: str, where: str = "true") -> set[str]:
    """PostgreSQL: the transactions that wrote the rows of a table (`xmin`) as they are now."""
    async def query(session: Any) -> set[str]:
        return set((await session.execute(text(f"SELECT xmin::text FROM {table} WHERE {where}"))).scalars())

    return run(query, url)


def test_nothing_in_the_database_ties_a_used_link_to_its_answers(
    hr: Persona, anon: TestClient, org: dict[str, Any], database_url: str,
    make_interview: Callable[..., ExitInterview],
) -> None:
    """No group, maker, address, moment, transaction or id order joins the link (or its making) to the answers."""
    form = {"department_id": str(org["department"].id), "job_family_id": str(org["job_family"].id), "language": "fr"}
    hr.post("/surveys", form, follow_redirects=False)
    token = re.search(r'/survey/([^"]+)"', hr.client.get("/surveys").text).group(1)
    [made] = rows(database_url, AuditEvent, AuditEvent.entity == "survey_invitation")
    assert made.changes["department_id"] == org["department"].id
    assert (made.actor_id, made.ip) == (hr.user.id, "testclient") and made.created_at != midnight_utc()
    before = make_interview(**org)
    anon.get(f"/survey/{token}")
    assert post_form(anon, f"/survey/{token}", answers(), follow_redirects=False).status_code == 303
    after = make_interview(**org)
    hr.post("/surveys", form, follow_redirects=False)  # HR's next audited act

    day = midnight_utc()
    invitation, _pending = rows(database_url, SurveyInvitation)
    assert invitation.used_at == invitation.created_at == day
    assert invitation.expires_at.time() == day.time()
    assert (invitation.department_id, invitation.job_family_id, invitation.created_by_id) == (None, None, None)
    # The link's making keeps that a link was made that day: not for which group, by whom, from where, when.
    made, later = rows(database_url, AuditEvent, AuditEvent.entity == "survey_invitation")
    assert (made.actor_id, made.ip, made.changes, made.created_at) == (None, None, {}, day)
    # The answers wait apart: no interview yet, so none was written with the link's use.
    assert count(database_url, ExitInterview) == 2
    assert "1 answer is waiting to become an interview." in hr.client.get("/surveys").text
    deliver_survey_answers(database_url)

    [interview] = rows(database_url, ExitInterview, ExitInterview.channel == "survey")
    assert interview.department_id == org["department"].id
    assert interview.created_at == interview.updated_at == day
    [answered] = rows(database_url, AuditEvent, AuditEvent.entity == "exit_interview",
                      AuditEvent.entity_id == interview.id)
    assert answered.created_at == day and answered.ip is None and answered.actor_id is None
    # Its id does not place it between HR's records of the moment it was sent.
    assert not before.id < interview.id < after.id
    assert not made.id < answered.id < later.id
    if database_url.startswith("postgresql"):
        link_transactions = transaction_ids(database_url, "survey_invitation", f"id = {invitation.id}")
        answer_transactions = transaction_ids(database_url, "exit_interview", f"id = {interview.id}")
        audit_of_link = transaction_ids(database_url, "audit_event",
                                        f"entity = 'survey_invitation' AND entity_id = {invitation.id}")
        audit_of_answer = transaction_ids(database_url, "audit_event",
                                          f"entity = 'exit_interview' AND entity_id = {interview.id}")
        assert len(link_transactions) == len(answer_transactions) == 1
        assert link_transactions.isdisjoint(answer_transactions | audit_of_answer)
        assert audit_of_link.isdisjoint(answer_transactions | audit_of_answer)
    # HR still sees that a link was used, without its group.
    page = hr.client.get("/surveys?status=used").text
    assert "Used (1)" in page and 'class="link-used"' in page
    assert "Retail stores" not in page.split("Links sent")[1]
    assert in_language("fr", "This survey link has already been used") in anon.get(f"/survey/{token}").text


def test_survey_pages_send_no_referrer(anon: TestClient, link: str) -> None:
    assert anon.get(f"/survey/{link}").headers["referrer-policy"] == "no-referrer"
    assert anon.get("/survey/unknown-token").headers["referrer-policy"] == "no-referrer"


def test_no_line_of_a_survey_visit_in_the_access_log_shows_the_token_or_the_leavers_address(
    database_url: str, link: str
) -> None:
    """A real server, the app's access log as `actiontrack serve` configures it, and a whole visit: the page,
    every file it loads, the answers sent, the thanks page and its files, the browser's favicon."""
    import os
    import subprocess
    import sys
    import time

    from actiontrack.settings import PROJECT_ROOT

    from conftest import SECRET, free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "ACTIONTRACK_SECRET_KEY": SECRET,
           "ACTIONTRACK_COOKIE_SECURE": "false"}
    process = subprocess.Popen([sys.executable, "-m", "actiontrack.cli", "serve", "--port", str(port)],
                               env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    visited: list[str] = []
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine starts a server slowly
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
                time.sleep(0.1)
        with httpx.Client(base_url=base) as browser:
            def load_with_files(response: httpx.Response) -> None:
                assert response.status_code == 200
                files = re.findall(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"', response.text)
                assert any("app.css" in path for path in files) and any("htmx" in path for path in files)
                for path in files:
                    assert browser.get(path).status_code == 200
                    visited.append(path)

            load_with_files(browser.get(f"/survey/{link}?lang=nl"))
            csrf = browser.cookies["csrftoken"]
            sent = browser.post(f"/survey/{link}?lang=nl", data={"_csrf_token": csrf, **answers()})
            assert sent.status_code == 303
            load_with_files(browser.get(sent.headers["location"]))
            browser.get("/favicon.ico")
        assert httpx.get(f"{base}/calendar").status_code in {200, 303}
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert link not in output
    assert "- GET /survey/<token>?lang=nl 200" in output
    assert "- POST /survey/<token>?lang=nl 303" in output
    visit = [line for line in output.splitlines()
             if any(part in line for part in ("/survey", "/static/", "/vendor/", "/favicon.ico"))]
    assert len(visit) >= 3 + 2 * 2 + 1, visit
    assert not [line for line in visit if "127.0.0.1" in line]
    # Other lines keep the client's address.
    assert any("127.0.0.1" in line and "/calendar" in line for line in output.splitlines())
