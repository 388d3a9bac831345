"""The demo organisation: realistic, complete, repeatable, and never over real data."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from html import unescape

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from actiontrack import clock
from actiontrack.actions import is_overdue
from actiontrack.auth.passwords import verify_password
from actiontrack.demo.load import DemoRefused, load_demo
from actiontrack.demo.organisation import DEMO_PASSWORD
from actiontrack.models import ActionItem, ActionStatus, Department, ExitInterview, Role, User
from actiontrack.settings import Settings

from conftest import release_now, run, sign_in

TODAY = date(2026, 11, 25)


def load(url: str):
    return run(lambda session: load_demo(session, today=TODAY), url)


def test_demo_has_every_role_departments_interviews_and_actions_in_every_status(database_url: str) -> None:
    summary = load(database_url)
    assert summary.departments >= 8
    assert summary.interviews >= 300
    emails = {email for email, _role, _name in summary.users}
    assert {"hr@example.com", "leadership@example.com", "owner@example.com"} <= emails

    async def inspect(session):
        users = (await session.execute(select(User))).scalars().all()
        actions = (await session.execute(select(ActionItem))).scalars().all()
        languages = dict((await session.execute(
            select(ExitInterview.language, func.count()).group_by(ExitInterview.language))).all())
        span = (await session.execute(
            select(func.min(ExitInterview.exit_date), func.max(ExitInterview.exit_date)))).one()
        return users, actions, languages, span

    users, actions, languages, (first_exit, last_exit) = run(inspect, database_url)
    assert Counter(user.role for user in users)[Role.OWNER] >= 3
    assert all(user.is_demo for user in users)
    assert verify_password(users[0].password_hash, DEMO_PASSWORD)
    statuses = Counter(action.status for action in actions)
    assert all(statuses[status] >= 2 for status in ActionStatus)
    assert sum(is_overdue(action, today=TODAY) for action in actions) >= 3
    assert set(languages) == {"nl", "fr", "en"}
    assert (TODAY - first_exit).days > 600 and last_exit < TODAY


def test_loading_twice_replaces_the_demo_instead_of_doubling_it(database_url: str) -> None:
    first = load(database_url)
    second = load(database_url)
    assert first == second

    async def counts(session):
        return (await session.scalar(select(func.count()).select_from(User)),
                await session.scalar(select(func.count()).select_from(Department)))

    assert run(counts, database_url) == (len(first.users), first.departments)


def test_demo_refuses_a_database_with_real_users(database_url: str, make_user) -> None:
    make_user(Role.HR, "real.person@example.com")
    with pytest.raises(DemoRefused, match="real user"):
        load(database_url)


def test_demo_refuses_real_data_without_any_user(database_url: str) -> None:
    async def add_department(session):
        session.add(Department(name="Real department", headcount=10))

    run(add_department, database_url)
    with pytest.raises(DemoRefused):
        load(database_url)


def test_demo_command_prints_the_sign_ins(database_url: str) -> None:
    from test_cli import actiontrack

    result = actiontrack("demo", url=database_url)
    assert result.returncode == 0, result.stderr
    assert "hr@example.com" in result.stdout and "demo-password" in result.stdout
    refused = actiontrack("user", "add", "real@example.com", "--role", "hr", url=database_url,
                          stdin="a-long-password\n")
    assert refused.returncode == 0
    again = actiontrack("demo", url=database_url)
    assert again.returncode == 1
    assert "refusing" in again.stderr


def test_every_demo_action_history_starts_with_its_owner_and_deadline(database_url: str) -> None:
    from actiontrack.models import ActionItem, ActionUpdate

    from conftest import rows

    load(database_url)
    actions = {action.id: action for action in rows(database_url, ActionItem)}
    created = [update for update in rows(database_url, ActionUpdate) if update.status_before is None]
    assert sorted(update.action_id for update in created) == sorted(actions)
    for update in created:
        assert update.owner_after_id == actions[update.action_id].owner_id
        assert update.deadline_after is not None


def test_demo_shows_a_done_action_that_worked_and_one_that_did_not(settings: Settings, database_url: str,
                                                                   anon: TestClient) -> None:
    today = clock.today()
    run(lambda session: load_demo(session, today=today), database_url)
    release_now(settings)
    assert sign_in(anon, "leadership@example.com", DEMO_PASSWORD).status_code == 303
    since = f"/status?start={(today - timedelta(days=800)).isoformat()}&end={today.isoformat()}&lang=en"
    worked = anon.get(since + "&effect=improving").text + anon.get(since + "&effect=target_met").text
    assert "Structured onboarding programme for new staff" in worked
    did_not = anon.get(since + "&effect=worse").text + anon.get(since + "&effect=no_change").text
    assert "Publish shift schedules four weeks ahead" in did_not


def test_demo_has_stay_interviews_and_growth_rises_among_customer_service_staff_before_its_leavers(
    database_url: str,
) -> None:
    from actiontrack.demo.stay import quarter_start
    from actiontrack.models import InterviewTheme, StayInterview, StayInterviewTheme, Theme

    summary = load(database_url)
    assert 200 <= summary.stay_interviews <= 280

    async def inspect(session):
        growth = await session.scalar(select(Theme.id).where(Theme.code == "growth_career"))
        service = await session.scalar(select(Department.id).where(Department.name == "Customer service"))
        stays = (await session.execute(select(StayInterview))).scalars().all()
        stay_growth = set((await session.execute(select(StayInterviewTheme.stay_interview_id)
                                                 .where(StayInterviewTheme.theme_id == growth))).scalars())
        leavers = (await session.execute(select(ExitInterview.id, ExitInterview.exit_date)
                                         .where(ExitInterview.department_id == service))).all()
        leaver_growth = set((await session.execute(select(InterviewTheme.interview_id)
                                                   .where(InterviewTheme.theme_id == growth))).scalars())
        untagged = await session.scalar(select(func.count()).select_from(StayInterview).where(
            StayInterview.id.not_in(select(StayInterviewTheme.stay_interview_id))))
        return service, stays, stay_growth, leavers, leaver_growth, untagged

    service, stays, stay_growth, leavers, leaver_growth, untagged = run(inspect, database_url)
    assert untagged == 0
    assert len({stay.department_id for stay in stays}) >= 8
    assert {stay.language for stay in stays} == {"nl", "fr", "en"}
    assert {stay.channel for stay in stays} == {"interview", "survey"}
    assert min(stay.held_on for stay in stays) >= TODAY - timedelta(days=560)
    assert max(stay.held_on for stay in stays) < TODAY
    assert all(stay.might_leave and stay.keeps_here for stay in stays)

    # The last two complete quarters against the three before them.
    recent_start = quarter_start(quarter_start(quarter_start(TODAY) - timedelta(days=1)) - timedelta(days=1))
    recent_end = quarter_start(TODAY) - timedelta(days=1)
    earlier_start = recent_start - timedelta(days=3 * 92)

    def share(ids: list[int], raised: set[int]) -> float:
        return sum(item in raised for item in ids) / len(ids)

    service_stays = [stay for stay in stays if stay.department_id == service]
    recent = [stay.id for stay in service_stays if recent_start <= stay.held_on <= recent_end]
    earlier = [stay.id for stay in service_stays if earlier_start <= stay.held_on < recent_start]
    assert len(recent) >= 10 and len(earlier) >= 15  # every quarter reaches the anonymity threshold
    assert share(recent, stay_growth) >= 0.5 > 0.1 >= share(earlier, stay_growth)
    recent_leavers = [item for item, exit_date in leavers if recent_start <= exit_date <= recent_end]
    assert share(recent_leavers, leaver_growth) < 0.25  # not (yet) frequent among the leavers


def test_demo_warns_early_of_growth_rising_in_customer_service_stay_interviews(
    settings: Settings, database_url: str, anon: TestClient,
) -> None:
    run(lambda session: load_demo(session, today=clock.today()), database_url)
    release_now(settings)
    assert sign_in(anon, "leadership@example.com", DEMO_PASSWORD).status_code == 303
    page = anon.get("/status?lang=en").text
    warning = re.search(r'<tr id="warning-department-\d+-\d+">(?:(?!</tr>).)*Growth and career(?:(?!</tr>).)*'
                        r'Customer service(?:(?!</tr>).)*</tr>', page, re.S)
    assert warning, "the early warning lists growth in Customer service"


def test_demo_describes_its_done_actions_in_the_readers_language(database_url: str, anon: TestClient) -> None:
    load(database_url)
    onboarding = run(lambda session: session.scalar(select(ActionItem.id).where(
        ActionItem.title_en == "Structured onboarding programme for new staff")), database_url)
    assert sign_in(anon, "leadership@example.com", DEMO_PASSWORD).status_code == 303
    french = unescape(anon.get(f"/actions/{onboarding}?lang=fr").text)
    assert "Mettre en place un programme d'accueil de deux semaines" in french
    assert "Moins de 10\u00a0% des personnes qui partent citent l'accueil ou la formation" in french
    dutch = anon.get(f"/actions/{onboarding}?lang=nl").text
    assert "Voer een onthaalprogramma van twee weken in" in dutch
