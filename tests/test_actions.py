"""Action plans: created from a radar cell, kept up to date by owners, managed by HR, read by leadership."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from actiontrack import clock
from actiontrack.actions import service
from actiontrack.db import make_engine, make_sessionmaker
from actiontrack.disclosure.periods import due_periods
from actiontrack.i18n import format_date
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionTheme,
    ActionUpdate,
    AuditEvent,
    Department,
    ExitInterview,
    InterviewTheme,
    JobFamily,
    Role,
    Theme,
    User,
)
from actiontrack.settings import Settings

from browser_checks import sign_in_page
from conftest import PERSONA_PASSWORD, LiveServer, Persona, count, off_loop, post_form, release_now, rows, run

TODAY = clock.today()
# The newest quarter released by today (30 days after it ends): what leadership's evidence reads.
LATEST = due_periods(first_exit=TODAY - timedelta(days=400), today=TODAY, length="quarter", delay_days=30)[-1]


SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --- helpers ------------------------------------------------------------------------------------


def get_action(url: str, action_id: int) -> ActionItem:
    async def load(session):
        return await session.get(ActionItem, action_id)

    return run(load, url)


def theme_id(url: str, code: str) -> int:
    async def load(session):
        return (await session.execute(select(Theme.id).where(Theme.code == code))).scalar_one()

    return run(load, url)


def make_groups(url: str) -> tuple[int, int, int]:
    """Two departments (Retail, Logistics) and one job family; their ids."""

    async def create(session):
        retail, logistics = Department(name="Retail", headcount=300), Department(name="Logistics", headcount=80)
        family = JobFamily(name="Store staff")
        session.add_all([retail, logistics, family])
        await session.flush()
        return retail.id, logistics.id, family.id

    return run(create, url)


def add_interviews(url: str, *, department_id: int, job_family_id: int, exit_date: date, number: int,
                   raising: int, theme_code: str) -> None:
    """`number` leavers of a department, `raising` of whom raised the theme."""

    async def create(session):
        theme = (await session.execute(select(Theme.id).where(Theme.code == theme_code))).scalar_one()
        for index in range(number):
            interview = ExitInterview(
                department_id=department_id, job_family_id=job_family_id, tenure_band="1to2", exit_date=exit_date,
                channel="interview", pay_factor="no", tasks_match_score=3, manager_support_score=3,
                training_score=2, recognition_score=3, would_return="maybe", recommend_score=6,
            )
            session.add(interview)
            await session.flush()
            if index < raising:
                session.add(InterviewTheme(interview_id=interview.id, theme_id=theme))

    run(create, url)


def progress(person: Persona, action_id: int, version: int, **form: str) -> httpx.Response:
    data = {"version": str(version), "status": "in_progress", "progress": "10", "note": "", **form}
    # ?lang=en: the owner persona reads Dutch, and these tests read the English messages.
    return person.post(f"/actions/{action_id}/progress?lang=en", data, follow_redirects=False)


def create_form(owner_id: int, **overrides: Any) -> dict[str, Any]:
    return {
        "title": "Buddy for every new starter", "description": "Pair each starter with a buddy.",
        "scope": "company", "owner_id": str(owner_id), "deadline": (TODAY + timedelta(days=60)).isoformat(),
        "success_measure": "Fewer leavers mention onboarding", "public_summary": "", **overrides,
    }


# --- the whole life cycle -----------------------------------------------------------------------


def test_life_cycle_from_radar_cell_to_done_with_reassignment_and_moved_deadline(
    settings: Settings, hr: Persona, owner: Persona, other_owner: Persona, leader: Persona, database_url: str
) -> None:
    retail, logistics, family = make_groups(database_url)
    start, end = TODAY - timedelta(days=180), TODAY - timedelta(days=1)
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=TODAY - timedelta(days=30),
                   number=6, raising=4, theme_code="training_onboarding")
    # Not counted: another department, and a Retail leaver before the period.
    add_interviews(database_url, department_id=logistics, job_family_id=family, exit_date=TODAY - timedelta(days=30),
                   number=3, raising=3, theme_code="training_onboarding")
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=start - timedelta(days=1),
                   number=1, raising=1, theme_code="training_onboarding")
    onboarding = theme_id(database_url, "training_onboarding")

    # HR opens the form from a radar cell (counts in the URL are ignored: they are recomputed).
    cell = f"/actions/new?theme={onboarding}&scope=department&group={retail}&start={start}&end={end}&raised=99"
    release_now(settings)
    page = hr.client.get(cell)
    assert page.status_code == 200
    assert re.search(rf'name="themes" value="{onboarding}" checked', page.text)
    assert re.search(r'<input type="radio" name="scope" value="department" checked', page.text)
    assert re.search(rf'<option value="{retail}" selected>Retail</option>', page.text)
    assert "4 of 6 leavers raised" in page.text

    response = hr.post("/actions/new", create_form(
        owner.user.id, scope="department", department_id=str(retail), themes=str(onboarding),
        evidence_theme=str(onboarding), evidence_start=start.isoformat(), evidence_end=end.isoformat(),
        raised_count="99",
    ), follow_redirects=False)
    assert response.status_code == 303, response.text
    action_id = int(response.headers["location"].rsplit("/", 1)[1])
    [evidence] = rows(database_url, ActionEvidence)
    assert (evidence.action_id, evidence.theme_id, evidence.raised_count, evidence.leavers_count) == (
        action_id, onboarding, 4, 6)
    assert (evidence.period_start, evidence.period_end) == (start, end)
    action = get_action(database_url, action_id)
    assert (action.owner_id, action.department_id, action.status, action.version) == (
        owner.user.id, retail, "planned", 1)

    # The owner moves it through every status; blocked and cancelled carry their reason.
    steps = [
        {"status": "in_progress", "progress": "30", "note": "Buddies picked"},
        {"status": "blocked", "progress": "30", "note": "Waiting for budget"},
        {"status": "in_progress", "progress": "60", "note": "Budget approved"},
        {"status": "cancelled", "progress": "60", "note": "Merged into a wider plan"},
        {"status": "planned", "progress": "60", "note": "Plan split again"},
        {"status": "done", "progress": "70", "note": "All starters have a buddy"},
    ]
    for version, step in enumerate(steps, start=1):
        response = progress(owner, action_id, version, **step)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/my/actions"
    action = get_action(database_url, action_id)
    assert (action.status, action.progress, action.completed_on, action.version) == ("done", 100, TODAY, 7)

    # HR hands it over and moves the deadline; both stay visible in the history.
    old_deadline = action.deadline
    new_deadline = old_deadline + timedelta(days=45)
    response = hr.post(f"/actions/{action_id}/reassign",
                       {"version": "7", "owner_id": str(other_owner.user.id), "note": "Dana takes over"},
                       follow_redirects=False)
    assert response.status_code == 303
    response = hr.post(f"/actions/{action_id}/deadline",
                       {"version": "8", "deadline": new_deadline.isoformat(), "note": "Second intake"},
                       follow_redirects=False)
    assert response.status_code == 303
    action = get_action(database_url, action_id)
    assert (action.owner_id, action.deadline, action.version) == (other_owner.user.id, new_deadline, 9)

    history = rows(database_url, ActionUpdate, ActionUpdate.action_id == action_id)
    assert len(history) == 1 + len(steps) + 2
    [moved] = [entry for entry in history if entry.deadline_before is not None]
    assert (moved.deadline_before, moved.deadline_after, moved.note) == (old_deadline, new_deadline, "Second intake")
    [handed] = [entry for entry in history if entry.owner_before_id is not None]
    assert (handed.owner_before_id, handed.owner_after_id, handed.author_id) == (
        owner.user.id, other_owner.user.id, hr.user.id)
    verbs = [event.verb for event in rows(database_url, AuditEvent, AuditEvent.entity == "action")]
    assert verbs == ["create"] + ["update_progress"] * len(steps) + ["reassign", "move_deadline"]

    page = hr.client.get(f"/actions/{action_id}").text
    assert f"Deadline moved: {format_date(old_deadline)} → {format_date(new_deadline)}" in page
    assert "Reassigned: Charlie Owner → Dana Owner" in page
    assert "Status: Blocked → In progress" in page
    assert "Waiting for budget" in page

    # Leadership reads it all; the evidence as the latest released quarter before its end shows it (the
    # six leavers of last month are not in a released quarter yet).
    page = leader.client.get(f"/actions/{action_id}?lang=en")
    assert page.status_code == 200
    assert "4 of 6" not in page.text
    assert f"No leaver of this group in {LATEST.label}" in page.text
    assert f'action="/actions/{action_id}/reassign"' not in page.text
    assert f'action="/actions/{action_id}/progress"' not in page.text

    # The new owner is told, on their own page.
    mine = other_owner.client.get("/my/actions").text
    assert "Recently assigned to you" in mine
    assert "Buddy for every new starter, by Alice HR" in mine


@pytest.mark.parametrize("query", ["theme=1&scope=department&start=2026-01-01&end=2026-06-30",
                                   "theme=1&scope=company&start=2026-06-30&end=2026-01-01",
                                   "theme=99999&scope=company&start=2026-01-01&end=2026-06-30"])
def test_incomplete_or_wrong_radar_link_opens_an_empty_form_with_a_notice(hr: Persona, query: str) -> None:
    page = hr.client.get(f"/actions/new?{query}")
    assert page.status_code == 200
    assert "the form starts empty" in page.text
    assert 'name="evidence_theme" value=""' in page.text
    assert " checked>" not in page.text.split('name="themes"', 1)[1].split("</fieldset>")[0]


def test_done_records_completion_date_and_reopening_clears_it(owner: Persona, make_action, database_url: str) -> None:
    action = make_action(owner=owner.user, progress=40)
    assert progress(owner, action.id, 1, status="done", progress="40").status_code == 303
    done = get_action(database_url, action.id)
    assert (done.progress, done.completed_on) == (100, TODAY)
    assert progress(owner, action.id, 2, status="in_progress", progress="80", note="One site left").status_code == 303
    reopened = get_action(database_url, action.id)
    assert (reopened.status, reopened.progress, reopened.completed_on) == ("in_progress", 80, None)


def test_evidence_of_a_small_group_shows_fewer_than_the_threshold_outside_hr(
    settings: Settings, hr: Persona, leader: Persona, owner: Persona, database_url: str
) -> None:
    retail, _logistics, family = make_groups(database_url)
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=LATEST.start,
                   number=3, raising=2, theme_code="management")
    management = theme_id(database_url, "management")
    release_now(settings)
    response = hr.post("/actions/new", create_form(
        owner.user.id, scope="department", department_id=str(retail), evidence_theme=str(management),
        evidence_start=LATEST.start.isoformat(), evidence_end=TODAY.isoformat(),
    ), follow_redirects=False)
    assert response.status_code == 303
    path = response.headers["location"]
    assert "2 of 3 leavers raised" in hr.client.get(path).text
    for person in (leader, owner):
        page = person.client.get(path + "?lang=en").text
        assert (f"The released figures of this group for “Management and communication” in {LATEST.label} are hidden"
                in page)
        assert "2 of 3" not in page


def test_publishing_an_action_of_a_small_group_names_it_company_wide_unless_hr_chooses(
    hr: Persona, owner: Persona, anon: Any, database_url: str
) -> None:
    retail, logistics, family = make_groups(database_url)
    add_interviews(database_url, department_id=retail, job_family_id=family, exit_date=TODAY - timedelta(days=10),
                   number=4, raising=3, theme_code="management")
    management = theme_id(database_url, "management")
    response = hr.post("/actions/new", create_form(
        owner.user.id, title="Team leads hold one-to-ones", scope="department", department_id=str(retail),
        themes=str(management), public_summary="Monthly one-to-ones", evidence_theme=str(management),
        evidence_start=(TODAY - timedelta(days=90)).isoformat(), evidence_end=TODAY.isoformat(),
    ), follow_redirects=False)
    path = response.headers["location"]
    action_id = int(path.rsplit("/", 1)[1])
    page = hr.client.get(path + "?lang=en").text
    assert 'id="small-group-warning"' in page and "no figure shows how many leavers Retail had" in page
    assert hr.post(f"{path}/publish", {"version": "1", "published": "yes"}).status_code in (200, 303)
    for url in ("/changes?lang=en", f"/changes?department={retail}&lang=en", f"/changes?department={logistics}&lang=en",
                "/changes.atom?lang=en"):
        public = anon.get(url).text
        assert "Team leads hold one-to-ones" in public, url
        assert "Retail" not in public.replace('>Retail</option>', ""), url
    assert "Company-wide" in anon.get("/changes?lang=en").text
    # HR takes it off and publishes again, naming the group on purpose: audited.
    assert hr.post(f"{path}/publish", {"version": "2", "published": "no"}).status_code in (200, 303)
    assert hr.post(f"{path}/publish",
                   {"version": "3", "published": "yes", "name_group": "yes"}).status_code in (200, 303)
    public = anon.get(f"/changes?department={retail}&lang=en").text
    assert "Team leads hold one-to-ones" in public and "Retail" in public.replace('>Retail</option>', "")
    assert "Team leads hold one-to-ones" not in anon.get(f"/changes?department={logistics}&lang=en").text
    [named] = [event for event in rows(database_url, AuditEvent, AuditEvent.verb == "publish")
               if event.changes.get("name_group_publicly")]
    assert named.entity_id == action_id
    assert "as you chose when publishing" in hr.client.get(path + "?lang=en").text


# --- my actions -------------------------------------------------------------------------------


def test_my_actions_lists_own_actions_overdue_first_then_by_deadline(
    owner: Persona, other_owner: Persona, make_action
) -> None:
    make_action(owner=owner.user, title="Later", deadline=TODAY + timedelta(days=40))
    make_action(owner=owner.user, title="Sooner", deadline=TODAY + timedelta(days=5))
    make_action(owner=owner.user, title="Late one", deadline=TODAY - timedelta(days=3), status="in_progress")
    make_action(owner=owner.user, title="Finished", deadline=TODAY - timedelta(days=9), status="done",
                progress=100, completed_on=TODAY - timedelta(days=10))
    make_action(owner=other_owner.user, title="Not mine")
    page = owner.client.get("/my/actions?lang=en").text
    titles = re.findall(r'<h2 id="action-\d+-title"><a href="/actions/\d+"(?: lang="[a-z]{2}")?>([^<]+)</a>', page)
    assert titles == ["Late one", "Sooner", "Later", "Finished"]
    assert "3 days overdue" in page
    assert "Done on time" in page


def test_htmx_update_returns_just_the_row(owner: Persona, make_action, database_url: str) -> None:
    action = make_action(owner=owner.user)
    response = owner.client.post(
        f"/actions/{action.id}/progress?lang=en",
        data={"version": "1", "status": "in_progress", "progress": "45", "note": "Half way", "next": "/my/actions"},
        headers={"hx-request": "true", "x-csrftoken": owner.client.cookies["csrftoken"]},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<article class="action-card card" id="action-{action.id}"')
    assert "<html" not in response.text
    assert "Update saved." in response.text
    assert 'name="version" value="2"' in response.text
    assert response.headers["vary"] == "HX-Request"
    assert get_action(database_url, action.id).progress == 45


def test_update_form_works_as_a_page_of_its_own(owner: Persona, make_action) -> None:
    action = make_action(owner=owner.user)
    page = owner.client.get(f"/actions/{action.id}/progress?next=/my/actions")
    assert page.status_code == 200
    assert f'action="/actions/{action.id}/progress"' in page.text
    assert 'name="next" value="/my/actions"' in page.text
    assert "data-hx-post" not in page.text


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("form, message", [
    ({"status": "in_progress", "progress": "101"}, "Enter a progress between 0 and 100."),
    ({"status": "in_progress", "progress": "-1"}, "Enter a progress between 0 and 100."),
    ({"status": "in_progress", "progress": "lots"}, "Enter a progress between 0 and 100."),
    ({"status": "blocked", "progress": "10", "note": "  "}, "Say why the action is blocked or cancelled."),
    ({"status": "cancelled", "progress": "10"}, "Say why the action is blocked or cancelled."),
    ({"status": "finished", "progress": "10"}, "Choose a status."),
    ({"status": "planned", "progress": "0"}, "Change the status or the progress, or add a note."),
])
def test_bad_status_update_is_explained_and_nothing_changes(
    owner: Persona, make_action, database_url: str, form: dict[str, str], message: str
) -> None:
    action = make_action(owner=owner.user)
    response = progress(owner, action.id, 1, **form)
    assert response.status_code == 400
    assert message in response.text
    if form.get("progress") == "lots":
        assert 'value="lots"' in response.text
    unchanged = get_action(database_url, action.id)
    assert (unchanged.status, unchanged.progress, unchanged.version) == ("planned", 0, 1)
    assert count(database_url, ActionUpdate) == 1


@pytest.mark.parametrize("overrides, field_message", [
    ({"deadline": (TODAY - timedelta(days=1)).isoformat()}, "The deadline must be in the future."),
    ({"deadline": TODAY.isoformat()}, "The deadline must be in the future."),
    ({"deadline": "next week"}, "Enter the deadline as a date."),
    ({"owner_id": "9999"}, "Choose an active user as owner."),
    ({"owner_id": ""}, "Choose an owner."),
    ({"title": "   "}, "Enter a title in at least one language."),
    ({"title": "x" * 201}, "Use at most 200 characters."),
    ({"scope": "department"}, "Choose a department."),
    ({"scope": "planet"}, "Choose company-wide, a department or a job family."),
    ({"target_percent": "150"}, "Enter a target between 0 and 100 %."),
    ({"target_percent": "a lot"}, "Enter the target as a percentage"),
    ({"published": "on"}, "Write a public summary before publishing."),
    ({"themes": "9999"}, "Choose themes from the list."),
])
def test_bad_action_form_is_shown_again_with_the_input_and_nothing_is_saved(
    hr: Persona, owner: Persona, database_url: str, overrides: dict[str, str], field_message: str
) -> None:
    form = {**create_form(owner.user.id, description="Keep this text"), **overrides}
    response = hr.post("/actions/new", form)
    assert response.status_code == 400
    assert field_message in response.text
    assert "Keep this text" in response.text
    assert count(database_url, ActionItem) == 0
    assert count(database_url, AuditEvent, AuditEvent.entity == "action") == 0


def test_inactive_user_cannot_become_owner(
    hr: Persona, make_user, make_action, owner: Persona, database_url: str,
) -> None:
    gone = make_user(Role.OWNER, "gone@example.com", active=False)
    assert hr.post("/actions/new", create_form(gone.id)).status_code == 400
    action = make_action(owner=owner.user)
    response = hr.post(f"/actions/{action.id}/reassign", {"version": "1", "owner_id": str(gone.id)})
    assert response.status_code == 400
    assert "Choose an active user as owner." in response.text
    assert get_action(database_url, action.id).owner_id == owner.user.id


def test_deadline_cannot_move_into_the_past(hr: Persona, owner: Persona, make_action, database_url: str) -> None:
    action = make_action(owner=owner.user)
    response = hr.post(f"/actions/{action.id}/deadline",
                       {"version": "1", "deadline": (TODAY - timedelta(days=2)).isoformat(), "note": "oops"})
    assert response.status_code == 400
    assert "The deadline must be in the future." in response.text
    assert 'value="oops"' in response.text
    assert get_action(database_url, action.id).deadline == action.deadline
    assert count(database_url, ActionUpdate) == 1


def test_owner_cannot_change_another_owners_action(
    owner: Persona, other_owner: Persona, make_action, database_url: str
) -> None:
    action = make_action(owner=other_owner.user)
    assert progress(owner, action.id, 1, status="done", note="Not mine").status_code == 403
    assert progress(owner, action.id, 1, progress="abc").status_code == 403
    assert owner.client.get(f"/actions/{action.id}/progress").status_code == 403
    assert owner.client.get(f"/actions/{action.id}").status_code == 403
    unchanged = get_action(database_url, action.id)
    assert (unchanged.status, unchanged.version) == ("planned", 1)
    assert count(database_url, ActionUpdate) == 1
    assert count(database_url, AuditEvent, AuditEvent.entity == "action") == 0


def test_forms_without_csrf_token_are_rejected(hr: Persona, owner: Persona, make_action, database_url: str) -> None:
    action = make_action(owner=owner.user)
    forged = owner.client.post(f"/actions/{action.id}/progress",
                               data={"version": "1", "status": "done", "progress": "100", "note": "forged"})
    assert forged.status_code == 403
    forged = hr.client.post("/actions/new", data=create_form(owner.user.id))
    assert forged.status_code == 403
    forged = hr.client.post(f"/actions/{action.id}/reassign", data={"version": "1", "owner_id": str(hr.user.id),
                                                                    "_csrf_token": "forged"})
    assert forged.status_code == 403
    assert count(database_url, ActionItem) == 1
    assert get_action(database_url, action.id).version == 1


def test_script_in_every_text_field_is_escaped_everywhere(
    hr: Persona, owner: Persona, leader: Persona, database_url: str
) -> None:
    response = hr.post("/actions/new", create_form(
        owner.user.id, title=SCRIPT, description=SCRIPT, success_measure=SCRIPT, public_summary=SCRIPT,
    ), follow_redirects=False)
    assert response.status_code == 303
    path = response.headers["location"]
    action_id = int(path.rsplit("/", 1)[1])
    assert progress(owner, action_id, 1, note=SCRIPT).status_code == 303
    assert hr.post(f"{path}/reassign", {"version": "2", "owner_id": str(hr.user.id), "note": SCRIPT},
                   follow_redirects=False).status_code == 303
    assert hr.post(f"{path}/deadline", {"version": "3", "deadline": (TODAY + timedelta(days=99)).isoformat(),
                                        "note": SCRIPT}, follow_redirects=False).status_code == 303
    pages = [
        hr.client.get(path).text, leader.client.get(path).text, hr.client.get("/actions").text,
        hr.client.get(f"{path}/edit").text, hr.client.get(f"{path}/progress").text, hr.client.get("/my/actions").text,
        owner.client.get("/my/actions").text,  # the old owner's "recently assigned" is gone; the page still renders
        progress(hr, action_id, 4, note="x", progress="abc").text,  # an error page echoing the title
        hr.post("/actions/new", create_form(owner.user.id, title=SCRIPT, description=SCRIPT,
                                            deadline="bad")).text,  # a form re-shown with the input
    ]
    for page in pages:
        assert SCRIPT not in page
    assert all(ESCAPED in page for page in pages[:6] + pages[7:])
    detail = pages[0]
    assert detail.count(ESCAPED) >= 7  # title x2 (h1 and <title>), description, measure, summary, three notes


# --- HR's changes -------------------------------------------------------------------------------


def test_hr_edits_details_and_a_new_group_gets_its_evidence_recounted(
    hr: Persona, owner: Persona, database_url: str
) -> None:
    retail, logistics, family = make_groups(database_url)
    for department, number in ((retail, 6), (logistics, 8)):
        add_interviews(database_url, department_id=department, job_family_id=family,
                       exit_date=TODAY - timedelta(days=5), number=number, raising=number - 1, theme_code="recognition")
    recognition = theme_id(database_url, "recognition")
    response = hr.post("/actions/new", create_form(
        owner.user.id, scope="department", department_id=str(retail), evidence_theme=str(recognition),
        evidence_start=(TODAY - timedelta(days=30)).isoformat(), evidence_end=TODAY.isoformat(),
    ), follow_redirects=False)
    action_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert hr.client.get(f"/actions/{action_id}/edit").status_code == 200
    management = theme_id(database_url, "management")
    response = hr.post(f"/actions/{action_id}/edit", {
        **create_form(owner.user.id, title="Thank-you budget", scope="department", department_id=str(logistics)),
        "themes": [str(recognition), str(management)], "version": "1", "target_percent": "12,5",
    }, follow_redirects=False)
    assert response.status_code == 303, response.text
    action = get_action(database_url, action_id)
    assert (action.title, action.department_id, action.target_share, action.version) == (
        "Thank-you budget", logistics, 0.125, 2)
    assert sorted(link.theme_id for link in rows(database_url, ActionTheme)) == sorted([recognition, management])
    [evidence] = rows(database_url, ActionEvidence)
    assert (evidence.raised_count, evidence.leavers_count) == (7, 8)
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "update")
    assert event.changes["title_en"] == ["Buddy for every new starter", "Thank-you budget"]
    assert event.changes["evidence"][0]["leavers_count"] == 6


def test_publishing_needs_a_public_summary_and_is_audited(
    hr: Persona, owner: Persona, make_action, database_url: str
) -> None:
    bare = make_action(owner=owner.user)
    response = hr.post(f"/actions/{bare.id}/publish", {"version": "1", "published": "yes"})
    assert response.status_code == 400
    assert "Write a public summary before publishing." in response.text
    action = make_action(owner=owner.user, public_summary="We now pair starters with a buddy.")
    assert hr.post(f"/actions/{action.id}/publish", {"version": "1", "published": "yes"},
                   follow_redirects=False).status_code == 303
    published = get_action(database_url, action.id)
    assert published.published and published.published_at is not None
    assert hr.post(f"/actions/{action.id}/publish", {"version": "2", "published": "no"},
                   follow_redirects=False).status_code == 303
    assert not get_action(database_url, action.id).published
    events = rows(database_url, AuditEvent, AuditEvent.entity == "action", AuditEvent.entity_id == action.id)
    assert [event.verb for event in events] == ["publish", "unpublish"]


def test_action_list_filters_live_in_the_query_string(
    hr: Persona, leader: Persona, owner: Persona, other_owner: Persona, make_action, database_url: str
) -> None:
    retail, _logistics, _family = make_groups(database_url)
    make_action(owner=owner.user, title="Overdue training", deadline=TODAY - timedelta(days=2),
                theme_codes=("training_onboarding",))
    make_action(owner=other_owner.user, title="Retail pay review", scope="department", department_id=retail,
                theme_codes=("pay_benefits",), status="in_progress", published=True)
    make_action(owner=owner.user, title="Closed item", status="cancelled")
    pay = theme_id(database_url, "pay_benefits")

    def titles(person: Persona, query: str, **headers: str) -> list[str]:
        response = person.client.get(f"/actions?{query}", headers=headers)
        assert response.status_code == 200
        return re.findall(r'<a href="/actions/\d+"(?: lang="[a-z]{2}")?>([^<]+)</a>', response.text)

    assert titles(hr, "") == ["Overdue training", "Retail pay review", "Closed item"]
    assert titles(leader, "status=open") == ["Overdue training", "Retail pay review"]
    assert titles(hr, "overdue=1") == ["Overdue training"]
    assert titles(hr, f"owner={other_owner.user.id}") == ["Retail pay review"]
    assert titles(hr, f"theme={pay}") == ["Retail pay review"]
    assert titles(hr, f"department={retail}") == ["Retail pay review"]
    assert titles(hr, "published=yes") == ["Retail pay review"]
    assert titles(hr, "status=cancelled") == ["Closed item"]
    assert titles(hr, "status=nonsense&owner=abc") == ["Overdue training", "Retail pay review", "Closed item"]
    partial = hr.client.get("/actions?status=open", headers={"hx-request": "true"})
    assert partial.text.startswith('<section id="actions-results"')
    assert partial.headers["vary"] == "HX-Request"


def test_action_list_pages_by_fifty_and_counts_every_match(
    hr: Persona, leader: Persona, owner: Persona, database_url: str
) -> None:
    async def many(session: Any) -> None:
        for number in range(53):
            session.add(ActionItem(title_en=f"Action {number:02d}", owner_id=owner.user.id, created_by_id=hr.user.id,
                                   deadline=TODAY + timedelta(days=number + 1)))

    run(many, database_url)

    def titles(person: Persona, query: str) -> list[str]:
        response = person.client.get(f"/actions?{query}")
        assert response.status_code == 200
        return re.findall(r'<a href="/actions/\d+"[^>]*>([^<]+)</a>', response.text)

    first = hr.client.get("/actions?status=open").text
    assert "53 actions" in first
    assert titles(hr, "status=open") == [f"Action {number:02d}" for number in range(50)]
    assert 'rel="next" href="/actions?status=open&amp;page=2"' in first
    assert titles(leader, "status=open&page=2") == ["Action 50", "Action 51", "Action 52"]
    assert titles(hr, "status=open&page=99") == ["Action 50", "Action 51", "Action 52"]  # kept to the last page
    assert titles(hr, "status=done") == []
    assert "0 actions" in hr.client.get("/actions?status=done").text


def test_navigation_shows_each_role_its_action_pages(hr: Persona, leader: Persona, owner: Persona) -> None:
    def nav(person: Persona) -> list[str]:
        page = person.client.get("/?lang=en").text
        return re.findall(r'<li><a href="(/[^"]*)"', page.split('aria-label="Main"')[1].split("</nav>")[0])

    assert {"/actions", "/accounts/invite", "/accounts/api-tokens"} <= set(nav(hr))
    assert "/my/actions" not in nav(hr)
    assert "/actions" in nav(leader) and "/accounts/invite" not in nav(leader)
    assert "/my/actions" in nav(owner) and "/actions" not in nav(owner)


# --- authorisation matrix -----------------------------------------------------------------------

ALLOWED, FORBIDDEN, LOGIN = "allowed", "forbidden", "login"
# Route -> expected outcome for hr, leader, owner (owns the action), other_owner, anon.
MATRIX: dict[str, tuple[str, str, str, str, str]] = {
    "GET /actions": (ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN, LOGIN),
    "GET /actions/new": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN),
    "POST /actions/new": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN),
    "GET /actions/{id}": (ALLOWED, ALLOWED, ALLOWED, FORBIDDEN, LOGIN),
    "GET /actions/{id}/edit": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN),
    "POST /actions/{id}/edit": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN),
    "POST /actions/{id}/reassign": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN),
    "POST /actions/{id}/deadline": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN),
    "POST /actions/{id}/publish": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN),
    "GET /actions/{id}/progress": (ALLOWED, FORBIDDEN, ALLOWED, FORBIDDEN, LOGIN),
    "POST /actions/{id}/progress": (ALLOWED, FORBIDDEN, ALLOWED, FORBIDDEN, LOGIN),
    # Everyone signed in has a "My actions" (it lists what they own); the menu offers it to owners.
    "GET /my/actions": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, LOGIN),
}
PERSONAS = ["hr", "leader", "owner", "other_owner", "anon"]


def matrix_form(route: str, *, owner_id: int, other_id: int) -> dict[str, Any]:
    later = (TODAY + timedelta(days=90)).isoformat()
    return {
        "POST /actions/new": create_form(owner_id),
        "POST /actions/{id}/edit": {**create_form(owner_id, title="Edited"), "version": "1"},
        "POST /actions/{id}/reassign": {"version": "1", "owner_id": str(other_id)},
        "POST /actions/{id}/deadline": {"version": "1", "deadline": later},
        "POST /actions/{id}/publish": {"version": "1", "published": "yes"},
        "POST /actions/{id}/progress": {"version": "1", "status": "in_progress", "progress": "50"},
    }.get(route, {})


@pytest.mark.parametrize("who", PERSONAS)
def test_authorisation_matrix_for_every_action_route(
    request: pytest.FixtureRequest, who: str, make_action, make_user, database_url: str, app
) -> None:
    from conftest import make_client, sign_in

    people: dict[str, Any] = {}
    for name, role, email in [("hr", Role.HR, "m.hr@example.com"), ("leader", Role.LEADERSHIP, "m.lead@example.com"),
                              ("owner", Role.OWNER, "m.owner@example.com"),
                              ("other_owner", Role.OWNER, "m.other@example.com")]:
        people[name] = make_user(role, email)
    client = make_client(app).__enter__()
    try:
        if who != "anon":
            assert sign_in(client, people[who].email).status_code == 303
        for route, outcomes in MATRIX.items():
            expected = outcomes[PERSONAS.index(who)]
            action = make_action(owner=people["owner"], created_by=people["hr"], public_summary="Summary")
            method, path = route.split(" ")
            path = path.replace("{id}", str(action.id))
            if method == "GET":
                response = client.get(path, follow_redirects=False)
            else:
                data = matrix_form(route, owner_id=people["owner"].id, other_id=people["other_owner"].id)
                response = post_form(client, path, data, follow_redirects=False)
            if expected == ALLOWED:
                assert response.status_code in (200, 303), (route, response.status_code, response.text[:500])
                if response.status_code == 303:
                    assert not response.headers["location"].startswith("/login"), route
            elif expected == FORBIDDEN:
                assert response.status_code == 403, (route, response.status_code)
                if method == "POST":
                    assert get_action(database_url, action.id).version == 1, route
            else:
                assert response.status_code == 303, route
                assert response.headers["location"].startswith("/login?next="), route
        if who not in ("hr",):
            # Nothing denied left a trace.
            assert count(database_url, AuditEvent, AuditEvent.entity == "action") == (
                1 if who == "owner" else 0)
    finally:
        client.__exit__(None, None, None)


def test_unknown_action_is_not_found(hr: Persona, owner: Persona) -> None:
    assert hr.client.get("/actions/999").status_code == 404
    assert owner.post("/actions/999/progress", {"version": "1", "status": "done"}).status_code == 404
    assert hr.post("/actions/999/reassign", {"version": "1", "owner_id": "1"}).status_code == 404


# --- two people at once -------------------------------------------------------------------------


def test_stale_form_gets_who_changed_it_the_current_values_and_keeps_the_input(
    hr: Persona, owner: Persona, make_action, database_url: str
) -> None:
    action = make_action(owner=owner.user)
    owner_form = owner.client.get(f"/actions/{action.id}/progress").text
    assert 'name="version" value="1"' in owner_form
    assert progress(hr, action.id, 1, status="blocked", progress="20", note="Supplier late").status_code == 303

    stale = progress(owner, action.id, 1, status="in_progress", progress="50", note="My careful note")
    assert stale.status_code == 409
    assert re.search(r"This action was changed by Alice HR at \d+ \w+ \d{4}, \d\d:\d\d since you opened it", stale.text)
    assert "Current values: Blocked, 20 % done" in stale.text
    assert "My careful note" in stale.text and 'value="50"' in stale.text
    assert 'name="version" value="2"' in stale.text
    current = get_action(database_url, action.id)
    assert (current.status, current.progress, current.version) == ("blocked", 20, 2)

    # The same in the HTMX row: the message and the input, in place.
    row = owner.client.post(f"/actions/{action.id}/progress?lang=en", headers={"hx-request": "true",
                            "x-csrftoken": owner.client.cookies["csrftoken"]},
                            data={"version": "1", "status": "done", "progress": "100", "note": "Row note"})
    assert row.status_code == 200
    assert "changed by Alice HR" in row.text and "Row note" in row.text

    # Saving again from the refreshed form is a deliberate choice, and works.
    assert progress(owner, action.id, 2, status="in_progress", progress="50", note="My careful note").status_code == 303
    assert get_action(database_url, action.id).version == 3


def test_stale_hr_edit_is_refused_with_the_input_kept(
    hr: Persona, owner: Persona, make_action, database_url: str,
) -> None:
    action = make_action(owner=owner.user, title="Original")
    assert progress(owner, action.id, 1, note="Started").status_code == 303
    response = hr.post(f"/actions/{action.id}/edit", {**create_form(owner.user.id, title="HR's new title"),
                                                      "version": "1"})
    assert response.status_code == 409
    assert "changed by Charlie Owner" in response.text
    assert 'value="HR&#39;s new title"' in response.text
    assert get_action(database_url, action.id).title == "Original"
    response = hr.post(f"/actions/{action.id}/deadline", {"version": "1",
                                                          "deadline": (TODAY + timedelta(days=70)).isoformat()})
    assert response.status_code == 409
    assert get_action(database_url, action.id).deadline == action.deadline


def test_conditional_update_refuses_a_write_based_on_a_stale_read(
    owner: Persona, hr: Persona, make_action, database_url: str
) -> None:
    """Two sessions: the first reads, the second commits a change, the first's UPDATE then matches no row."""
    action = make_action(owner=owner.user)

    async def main() -> str:
        engine = make_engine(database_url)
        sessions = make_sessionmaker(engine)
        try:
            async with sessions() as slow, slow.begin():
                await slow.get(ActionItem, action.id)  # read at version 1, kept in this session
                actor = await slow.get(User, owner.user.id)
                async with sessions() as fast, fast.begin():
                    await service.update_progress(fast, actor=await fast.get(User, hr.user.id), action_id=action.id,
                                                  version=1, status="blocked", progress=5, note="HR first",
                                                  today=TODAY)
                try:
                    await service.update_progress(slow, actor=actor, action_id=action.id, version=1,
                                                  status="done", progress=100, note="Owner second", today=TODAY)
                except service.ActionConflict as conflict:
                    return f"{conflict.changed_by}:{conflict.action.status}:{conflict.action.version}"
                return "no conflict"
        finally:
            await engine.dispose()

    assert off_loop(lambda: asyncio.run(main())) == "Alice HR:blocked:2"
    assert [entry.note for entry in rows(database_url, ActionUpdate) if entry.note] == ["HR first"]


def test_two_real_concurrent_requests_one_wins_the_other_is_told(
    live_server: LiveServer, make_user, make_action, database_url: str
) -> None:
    hr_user = make_user(Role.HR, "concurrent.hr@example.com", name="Hanna HR")
    owner_user = make_user(Role.OWNER, "concurrent.owner@example.com", name="Otto Owner")

    def signed_in_client(email: str) -> httpx.Client:
        client = httpx.Client(base_url=live_server.url, headers={"accept-language": "en"})
        client.get("/login")
        response = client.post("/login", data={"email": email, "password": PERSONA_PASSWORD,
                                               "_csrf_token": client.cookies["csrftoken"]})
        assert response.status_code == 303
        return client

    clients = {"hr": signed_in_client(hr_user.email), "owner": signed_in_client(owner_user.email)}
    try:
        for round_number in range(3):
            action = make_action(owner=owner_user, created_by=hr_user, title=f"Race {round_number}")
            barrier = threading.Barrier(2)
            results: dict[str, httpx.Response] = {}

            def submit(who: str, action_id: int = action.id) -> None:
                client = clients[who]
                data = {"_csrf_token": client.cookies["csrftoken"], "version": "1", "status": "in_progress",
                        "progress": "30" if who == "hr" else "70", "note": f"note from {who}"}
                barrier.wait()
                results[who] = client.post(f"/actions/{action_id}/progress", data=data, follow_redirects=False)

            threads = [threading.Thread(target=submit, args=(who,)) for who in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            codes = sorted(response.status_code for response in results.values())
            assert codes == [303, 409], {who: r.text[:300] for who, r in results.items()}
            winner = next(who for who, response in results.items() if response.status_code == 303)
            loser = "owner" if winner == "hr" else "hr"
            winner_name = {"hr": "Hanna HR", "owner": "Otto Owner"}[winner]
            assert f"changed by {winner_name} at" in results[loser].text
            assert f"note from {loser}" in results[loser].text
            saved = get_action(database_url, action.id)
            assert (saved.version, saved.progress) == (2, 30 if winner == "hr" else 70)
            notes = [entry.note for entry in rows(database_url, ActionUpdate, ActionUpdate.action_id == action.id)]
            assert notes == ["", f"note from {winner}"]
    finally:
        for client in clients.values():
            client.close()


# --- in the browser -----------------------------------------------------------------------------


@pytest.mark.browser
def test_owner_moves_an_action_to_done_in_place_without_a_page_load(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_action
) -> None:
    hr_user = make_user(Role.HR, "journey.hr@example.com", name="Hilde HR")
    owner_user = make_user(Role.OWNER, "journey.owner@example.com", name="Omar Owner")
    action = make_action(owner=owner_user, created_by=hr_user, title="Exit survey in every store",
                         status="in_progress", progress=40)
    make_action(owner=owner_user, created_by=hr_user, title="Another action")
    sign_in_page(page, live_server, owner_user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")

    page.evaluate("window.__stillTheSamePage = true")
    row = page.locator(f"#action-{action.id}")
    row.get_by_label("Status").select_option("done")
    row.get_by_label("Note (needed when blocked or cancelled)").fill("Live in all 14 stores")
    row.get_by_role("button", name="Save update").click()

    row = page.locator(f"#action-{action.id}")
    expect(row.get_by_role("status")).to_have_text("Update saved.")
    expect(row.locator(".tag.status")).to_have_text("Done")
    expect(row.locator(".progress-value")).to_have_text("100 %")
    assert page.evaluate("window.__stillTheSamePage") is True
    assert page.url == f"{live_server.url}/my/actions"

    # The update reached the database, with its note, and the action page shows it in the history.
    page.goto(f"{live_server.url}/actions/{action.id}")
    expect(page.get_by_text("Status: In progress → Done")).to_be_visible()
    expect(page.get_by_text("Live in all 14 stores")).to_be_visible()
