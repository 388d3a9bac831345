"""HR's extra questions in stay interviews: HR says where a question is asked (exit, stay or both); the stay
form of HR and of managers and the online stay survey ask it of the chosen group; HR reads, edits and exports
the answers; retention and deletion take them with the stay interview."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from test_questions import add_question
from test_stay_interviews import valid_form

from actiontrack import clock, retention
from actiontrack.auth.tokens import new_secret
from actiontrack.models import (
    AuditEvent,
    Department,
    ExtraQuestion,
    JobFamily,
    QuestionAnswer,
    Role,
    StayInterview,
    StayQuestionAnswer,
    SurveyInvitation,
)
from actiontrack.settings import Settings

from browser_checks import hr_adds_question, sign_in_page
from conftest import LiveServer, Persona, count, deliver_survey_answers, post_form, rows, run


@pytest.fixture
def org(make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily]) -> dict[str, Any]:
    return {"it": make_department("IT", headcount=40), "shop": make_department("Shop", headcount=40),
            "developer": make_job_family("Developer")}


def stay_question(hr: Persona, database_url: str, org: dict[str, Any], **overrides: Any) -> ExtraQuestion:
    return add_question(hr, database_url, asked_in="stay", department_ids=[str(org["it"].id)],
                        text_nl="Kan je hier genoeg bijleren?", text_fr="Pouvez-vous assez apprendre ici\u00a0?",
                        text_en="Can you learn enough here?", **overrides)


def stay_form(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return valid_form(org["it"], org["developer"], **overrides)


def test_hr_says_where_a_question_is_asked_and_exit_is_the_default(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    page = hr.client.get("/questions/new?lang=fr").text
    assert "Où est-elle posée\u00a0?" in page and "Dans les entretiens de fidélisation et les enquêtes" in page
    stay = stay_question(hr, database_url, org)
    assert stay.asked_in == "stay"
    exit_only = add_question(hr, database_url)  # HR's form before this change sent no asked_in
    assert exit_only.asked_in == "exit"
    wrong = hr.post("/questions/new", {"kind": "scale", "asked_in": "everywhere", "text_en": "Anything?"})
    assert wrong.status_code == 400 and "Choose where the question is asked." in wrong.text
    assert count(database_url, ExtraQuestion) == 2
    listing = hr.client.get("/questions?lang=en").text
    assert "In stay interviews and surveys" in listing and "In exit interviews and surveys" in listing
    # The exit form does not ask a stay question, the stay form does not ask an exit one.
    exit_block = hr.post("/interviews/new", {"department_id": str(org["it"].id),
                                             "job_family_id": str(org["developer"].id),
                                             "intent": "questions"}, headers={"HX-Request": "true"}).text
    assert "Can you learn enough here?" not in exit_block and "Did your role match" in exit_block
    stay_block = hr.post("/stay-interviews/new", stay_form(org, intent="questions"), headers={"HX-Request": "true"})
    assert stay_block.status_code == 200 and stay_block.text.strip().startswith("<fieldset")
    assert "Can you learn enough here?" in stay_block.text and "Did your role match" not in stay_block.text


def test_hr_records_a_stay_interview_that_answers_the_it_question_and_reads_edits_and_exports_it(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = stay_question(hr, database_url, org)
    both = add_question(hr, database_url, kind="yes_no", asked_in="both", text_en="Would you recommend the team?",
                        text_nl="", text_fr="")
    wrong = hr.post("/stay-interviews/new", stay_form(org, **{f"question_{question.id}": "6"}))
    assert wrong.status_code == 400 and "Choose a score from 1 to 5." in wrong.text
    assert count(database_url, StayInterview) == 0 and count(database_url, StayQuestionAnswer) == 0
    saved = hr.post("/stay-interviews/new", stay_form(org, **{f"question_{question.id}": "2",
                                                              f"question_{both.id}": "yes"}), follow_redirects=False)
    assert saved.status_code == 303, saved.text
    [interview] = rows(database_url, StayInterview)
    answers = {answer.question_id: answer.value for answer in rows(database_url, StayQuestionAnswer)}
    assert answers == {question.id: 2, both.id: 1} and count(database_url, QuestionAnswer) == 0
    page = hr.client.get(f"/stay-interviews/{interview.id}?lang=en").text
    assert "Can you learn enough here?" in page and "2/5" in page and "Would you recommend the team?" in page
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "answer")
    assert (event.entity, event.entity_id) == ("stay_interview", interview.id)
    # Editing changes the answer; the export carries it.
    edit = hr.client.get(f"/stay-interviews/{interview.id}/edit").text
    assert f'name="question_{question.id}" value="2" checked' in edit.replace("checked=\"\"", "checked")
    changed = hr.post(f"/stay-interviews/{interview.id}/edit", stay_form(org, **{f"question_{question.id}": "4",
                                                                                 f"question_{both.id}": "no"}),
                      follow_redirects=False)
    assert changed.status_code == 303
    assert {answer.question_id: answer.value for answer in rows(database_url, StayQuestionAnswer)} == {
        question.id: 4, both.id: 0}
    export = hr.client.get(f"/stay-interviews/{interview.id}/export").json()
    assert export["extra_questions"] == [{"question": "Can you learn enough here?", "answer": 4},
                                         {"question": "Would you recommend the team?", "answer": "no"}]
    # HR's list of questions counts the stay answers too.
    assert "average 4.0/5" in hr.client.get("/questions?lang=en").text


def test_a_manager_records_the_answer_and_never_reads_it_back(
    owner: Persona, hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = stay_question(hr, database_url, org)
    form = owner.client.get("/stay-interviews/new?lang=en").text
    assert 'id="extra-questions"' in form
    block = owner.post("/stay-interviews/new", stay_form(org, intent="questions"), headers={"HX-Request": "true"})
    assert "Kan je hier genoeg bijleren?" in block.text  # in the manager's language
    saved = owner.post("/stay-interviews/new", stay_form(org, **{f"question_{question.id}": "5"}),
                       follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("/stay-interviews/recorded")
    [answer] = rows(database_url, StayQuestionAnswer)
    assert answer.value == 5
    assert owner.client.get(f"/stay-interviews/{answer.interview_id}").status_code == 403


def stay_link(database_url: str, org: dict[str, Any], hr: Persona, language: str) -> str:
    token, digest = new_secret()

    async def create(session: Any) -> None:
        session.add(SurveyInvitation(token_hash=digest, department_id=org["it"].id, job_family_id=org["developer"].id,
                                     language=language, created_by_id=hr.user.id, kind="stay",
                                     expires_at=clock.utcnow() + timedelta(days=30)))

    run(create, database_url)
    return token


def test_someone_in_it_answers_the_question_in_the_stay_survey_and_hr_sees_it(
    hr: Persona, anon: TestClient, org: dict[str, Any], database_url: str,
) -> None:
    question = stay_question(hr, database_url, org)
    add_question(hr, database_url, text_en="Did your role match?", text_nl="", text_fr="")  # an exit question
    link = stay_link(database_url, org, hr, "fr")
    page = anon.get(f"/survey/{link}").text
    # In French, with its non-breaking space before the question mark.
    assert "Pouvez-vous assez apprendre ici\u00a0?" in page and "Did your role match?" not in page
    answers = {"tenure_band": "2to5", "keeps_here": "L’équipe.", "might_leave": "Un meilleur salaire.",
               "should_change": "", "growth_score": "3", "recognition_score": "3", "manager_support_score": "4",
               "workload_score": "2"}
    wrong = post_form(anon, f"/survey/{link}?lang=fr", {**answers, f"question_{question.id}": "0"})
    assert wrong.status_code == 400 and count(database_url, StayInterview) == 0
    sent = post_form(anon, f"/survey/{link}?lang=fr", {**answers, f"question_{question.id}": "5"},
                     follow_redirects=False)
    assert sent.status_code == 303
    deliver_survey_answers(database_url)
    [interview] = rows(database_url, StayInterview)
    [answer] = rows(database_url, StayQuestionAnswer)
    assert (answer.interview_id, answer.question_id, answer.value) == (interview.id, question.id, 5)
    assert "Can you learn enough here?" in hr.client.get(f"/stay-interviews/{interview.id}?lang=en").text


def test_retention_and_deletion_take_the_answers_with_the_stay_interview(
    hr: Persona, org: dict[str, Any], database_url: str, settings: Settings,
) -> None:
    text = stay_question(hr, database_url, org, kind="text")
    scale = stay_question(hr, database_url, org)
    saved = hr.post("/stay-interviews/new", stay_form(org, **{f"question_{text.id}": "Too many meetings.",
                                                              f"question_{scale.id}": "2"}), follow_redirects=False)
    assert saved.status_code == 303
    [interview] = rows(database_url, StayInterview)
    later = retention.add_months(interview.held_on, settings.retention_free_text_months)
    run(lambda session: retention.apply_retention(session, settings=settings, today=later, dry_run=False), database_url)
    kept = {answer.question_id: answer for answer in rows(database_url, StayQuestionAnswer)}
    assert (kept[text.id].text, kept[scale.id].value) == ("", 2)
    deleted = hr.post(f"/stay-interviews/{interview.id}/delete", {}, follow_redirects=False)
    assert deleted.status_code == 303
    assert count(database_url, StayQuestionAnswer) == 0
    assert all("Too many meetings." not in str(event.changes) for event in rows(database_url, AuditEvent))


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_a_manager_records_a_stay_interview_that_answers_the_it_question_and_hr_reads_it(
    page: Page, live_server: LiveServer, make_user: Callable[..., Any],
    make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
) -> None:
    url = live_server.database_url
    make_user(Role.HR, "hilde@example.com", name="Hilde HR")
    make_user(Role.OWNER, "otto.owner@example.com", name="Otto Owner")
    make_department("IT", headcount=40)
    make_department("Shop", headcount=40)
    make_job_family("Developer")

    # HR adds a question for IT, asked in stay interviews.
    sign_in_page(page, live_server, "hilde@example.com")
    hr_adds_question(page, answered="A score from 1 to 5", asked_in="In stay interviews and surveys",
                     texts=("Kan je hier genoeg bijleren?", "Pouvez-vous assez apprendre ici\u00a0?",
                            "Can you learn enough here?"), department="IT")
    expect(page.get_by_role("row", name=re.compile("Can you learn enough here"))).to_contain_text(
        "In stay interviews and surveys")
    page.get_by_role("button", name="Sign out").click()

    # A manager records a stay conversation with someone in IT: choosing IT brings its question (HTMX).
    sign_in_page(page, live_server, "otto.owner@example.com")
    page.goto(f"{live_server.url}/stay-interviews/new")
    expect(page.get_by_text("Can you learn enough here?")).to_have_count(0)
    page.get_by_label("Department").select_option(label="IT")
    question = page.get_by_role("group", name="Can you learn enough here?")
    expect(question).to_be_visible()
    page.get_by_label("Job family").select_option(label="Developer")
    page.get_by_role("group", name="How long have you worked here?").get_by_label("2 to 5 years").check()
    page.get_by_label("What keeps you working here?").fill("The team.")
    page.get_by_label("What could make you leave?").fill("No time to learn.")
    for name in ("I can grow here", "My work is recognised", "My manager supports me", "My workload is manageable"):
        page.get_by_role("group", name=name).get_by_label("3", exact=True).check()
    question.get_by_label("2", exact=True).check()
    page.get_by_role("button", name="Save stay interview").click()
    expect(page).to_have_url(re.compile("/stay-interviews/recorded"))
    expect(page.get_by_text("Can you learn enough here?")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # HR reads the answer.
    [interview] = rows(url, StayInterview)
    sign_in_page(page, live_server, "hilde@example.com")
    page.goto(f"{live_server.url}/stay-interviews/{interview.id}")
    answers = page.locator("dl.answers")
    expect(answers).to_contain_text("Can you learn enough here?")
    expect(answers).to_contain_text("2/5")
