"""Extra questions per group: HR writes them in three languages for some departments or job families,
leavers of those groups answer them in the interview, and HR reads the answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect

from actiontrack import clock, retention
from actiontrack.models import AuditEvent, Department, ExitInterview, ExtraQuestion, JobFamily, QuestionAnswer, Role
from actiontrack.settings import Settings

from browser_checks import hr_adds_question, sign_in_page
from conftest import LiveServer, Persona, count, deliver_survey_answers, post_form, rows, run


@pytest.fixture
def org(make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily]) -> dict[str, Any]:
    return {"it": make_department("IT", headcount=40), "shop": make_department("Shop", headcount=40),
            "developer": make_job_family("Developer"), "cashier": make_job_family("Cashier")}


def question_form(**overrides: Any) -> dict[str, Any]:
    return {"kind": "scale", "text_nl": "Paste je rol bij de functiebeschrijving?",
            "text_fr": "Votre rôle correspondait-il à la description de fonction\u00a0?",
            "text_en": "Did your role match the job description?",
            "options_nl": "", "options_fr": "", "options_en": "", **overrides}


def interview_form(department: Department, job_family: JobFamily, **overrides: Any) -> dict[str, Any]:
    return {
        "department_id": str(department.id), "job_family_id": str(job_family.id), "channel": "interview",
        "language": "en", "tenure_band": "2to5", "exit_date": (clock.today() - timedelta(days=7)).isoformat(),
        "reason_for_leaving": "A job closer to home.", "pay_factor": "no",
        "tasks_match_score": "4", "manager_support_score": "4", "training_score": "3", "recognition_score": "3",
        "improvement_suggestion": "", "would_return": "maybe", "recommend_score": "8", "notes": "",
        "intent": "save", **overrides,
    }


def add_question(hr: Persona, database_url: str, **overrides: Any) -> ExtraQuestion:
    response = hr.post("/questions/new", question_form(**overrides), follow_redirects=False)
    assert response.status_code == 303, response.text
    return max(rows(database_url, ExtraQuestion), key=lambda question: question.id)


ROUTES = [("get", "/questions"), ("get", "/questions/new"), ("get", "/questions/{id}/edit"),
          ("post", "/questions/new"), ("post", "/questions/library"), ("post", "/questions/{id}/edit"),
          ("post", "/questions/{id}/retire")]


@pytest.mark.parametrize("method, path", ROUTES)
@pytest.mark.parametrize("who, expected", [("leader", 403), ("owner", 403), ("other_owner", 403), ("anon", "login")])
def test_only_hr_reaches_extra_questions(
    request: pytest.FixtureRequest, hr: Persona, database_url: str, method: str, path: str, who: str,
    expected: int | str,
) -> None:
    question = add_question(hr, database_url)
    path = path.format(id=question.id)
    form = question_form(text_en="Changed", entry="IT-0")
    if who == "anon":
        client: TestClient = request.getfixturevalue("anon")
        response = client.get(path, follow_redirects=False) if method == "get" else \
            post_form(client, path, form, follow_redirects=False)
    else:
        person: Persona = request.getfixturevalue(who)
        response = person.client.get(path, follow_redirects=False) if method == "get" else \
            person.post(path, form, follow_redirects=False)
    if expected == "login":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == expected
    [kept] = rows(database_url, ExtraQuestion)
    assert (kept.text_en, kept.active) == ("Did your role match the job description?", True)


def test_hr_opens_the_question_pages(hr: Persona, database_url: str) -> None:
    assert "No extra questions yet" in hr.client.get("/questions").text
    new = hr.client.get("/questions/new")
    assert new.status_code == 200 and 'name="text_fr"' in new.text
    question = add_question(hr, database_url)
    edit = hr.client.get(f"/questions/{question.id}/edit")
    assert edit.status_code == 200 and "Did your role match the job description?" in edit.text


def test_a_change_without_the_csrf_token_is_refused(hr: Persona, database_url: str) -> None:
    response = hr.client.post("/questions/new", data=question_form(), follow_redirects=False)
    assert response.status_code == 403
    assert count(database_url, ExtraQuestion) == 0


def test_hr_adds_a_question_for_it_in_three_languages(hr: Persona, org: dict[str, Any], database_url: str) -> None:
    question = add_question(hr, database_url, department_ids=[str(org["it"].id)])
    assert (question.text_nl, question.text_en, question.department_ids, question.job_family_ids) == (
        "Paste je rol bij de functiebeschrijving?", "Did your role match the job description?", [org["it"].id], [])
    assert question.series_id == question.id and question.current and question.active
    page = hr.client.get("/questions")
    assert "Did your role match the job description?" in page.text and "IT" in page.text
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "extra_question")
    assert (event.verb, event.entity_id) == ("create", question.id)


@pytest.mark.parametrize("overrides, field, message", [
    ({"text_nl": "", "text_fr": " ", "text_en": ""}, "text_en", "Write the question in at least one language."),
    ({"kind": "choice", "options_en": "Only one"}, "options_en", "Give at least two options, one a line."),
    ({"kind": "choice", "options_en": "A\nB", "options_nl": "A"}, "options_en",
     "Give the same number of options in each language, in the same order."),
    ({"kind": "ranking"}, "kind", "Choose how the question is answered."),
    ({"text_en": "x" * 301}, "text_en", "Use at most 300 characters"),
    ({"department_ids": ["99999"]}, "department_ids", "Choose from the list."),
])
def test_a_bad_question_is_refused_with_its_message_and_nothing_saved(
    hr: Persona, org: dict[str, Any], database_url: str, overrides: dict[str, Any], field: str, message: str,
) -> None:
    response = hr.post("/questions/new", question_form(**overrides), follow_redirects=False)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert count(database_url, ExtraQuestion) == 0
    assert count(database_url, AuditEvent, AuditEvent.entity == "extra_question") == 0


def test_a_choice_question_keeps_its_options_in_three_languages(hr: Persona, database_url: str) -> None:
    question = add_question(hr, database_url, kind="choice", options_nl="Tools\nVergaderingen\n",
                            options_fr="Outils\nRéunions", options_en="Tools\r\nMeetings")
    assert (question.options_nl, question.options_fr, question.options_en) == (
        "Tools\nVergaderingen", "Outils\nRéunions", "Tools\nMeetings")


def test_the_library_adds_a_sector_question_in_three_languages(hr: Persona, database_url: str) -> None:
    page = hr.client.get("/questions")
    assert "Library of questions per sector" in page.text
    for sector in ("Marketing", "Retail", "Horeca", "IT", "HR"):
        assert f"<h3>{sector}</h3>" in page.text
    response = hr.post("/questions/library", {"entry": "IT-2"}, follow_redirects=False)
    assert response.status_code == 303
    [question] = rows(database_url, ExtraQuestion)
    assert response.headers["location"] == f"/questions/{question.id}/edit"
    assert question.kind == "choice" and question.text_fr and question.text_nl
    assert question.options_en.splitlines() == ["Outdated tools", "Meetings", "Unclear priorities"]
    assert len(question.options_fr.splitlines()) == 3


# --- answers in the exit interview ------------------------------------------------------------


def record(hr: Persona, org: dict[str, Any], database_url: str, **answers: str) -> ExitInterview:
    response = hr.post("/interviews/new", interview_form(org["it"], org["developer"], **answers),
                       follow_redirects=False)
    assert response.status_code == 303, response.text
    return max(rows(database_url, ExitInterview), key=lambda interview: interview.id)


def asked_of(hr: Persona, org: dict[str, Any]) -> str:
    """The extra questions block as HTMX fetches it when HR chooses IT and Developer."""
    response = hr.post("/interviews/new", interview_form(org["it"], org["developer"], intent="questions"),
                       headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.text.strip()


def test_an_it_leaver_answers_the_it_question_and_hr_sees_the_answer(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = add_question(hr, database_url, department_ids=[str(org["it"].id)])
    shop_only = add_question(hr, database_url, text_en="How busy was the shop?", text_nl="", text_fr="",
                             department_ids=[str(org["shop"].id)])
    block = asked_of(hr, org)
    assert "Did your role match the job description?" in block and "How busy was the shop?" not in block
    assert block.startswith("<fieldset")  # the block alone, for HTMX
    interview = record(hr, org, database_url, **{f"question_{question.id}": "2", f"question_{shop_only.id}": "5"})
    [answer] = rows(database_url, QuestionAnswer)
    assert (answer.interview_id, answer.question_id, answer.value) == (interview.id, question.id, 2)
    page = hr.client.get(f"/interviews/{interview.id}")
    assert "Did your role match the job description?" in page.text and "2/5" in page.text
    summary = hr.client.get("/questions")
    assert "average 2.0/5" in summary.text
    export = hr.client.get(f"/interviews/{interview.id}/export").json()
    assert export["extra_questions"] == [{"question": "Did your role match the job description?", "answer": 2}]


def test_a_scale_answer_out_of_range_is_refused_and_nothing_saved(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = add_question(hr, database_url)
    response = hr.post("/interviews/new",
                       interview_form(org["it"], org["developer"], **{f"question_{question.id}": "6"}))
    assert response.status_code == 400
    assert "Choose a score from 1 to 5." in response.text
    assert f'id="question_{question.id}-error"' in response.text
    assert count(database_url, ExitInterview) == 0 and count(database_url, QuestionAnswer) == 0


def test_without_javascript_the_form_shows_the_questions_of_the_chosen_group(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = add_question(hr, database_url, text_en="Were shifts fair?", department_ids=[str(org["shop"].id)])
    response = hr.post("/interviews/new", interview_form(org["shop"], org["cashier"], intent="questions"))
    assert response.status_code == 200
    assert "Were shifts fair?" in response.text and f'name="question_{question.id}"' in response.text
    assert count(database_url, ExitInterview) == 0


def test_editing_an_answered_question_makes_a_new_version_and_old_answers_keep_their_wording(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = add_question(hr, database_url)
    interview = record(hr, org, database_url, **{f"question_{question.id}": "4"})
    response = hr.post(f"/questions/{question.id}/edit", question_form(text_en="Was the job as described?"),
                       follow_redirects=False)
    assert response.status_code == 303
    old, new = sorted(rows(database_url, ExtraQuestion), key=lambda item: item.id)
    assert (old.text_en, old.current, new.text_en, new.current, new.series_id) == (
        "Did your role match the job description?", False, "Was the job as described?", True, old.id)
    page = hr.client.get(f"/interviews/{interview.id}")
    assert "Did your role match the job description?" in page.text and "Was the job as described?" not in page.text


def test_an_unanswered_question_is_edited_in_place(hr: Persona, database_url: str) -> None:
    question = add_question(hr, database_url)
    hr.post(f"/questions/{question.id}/edit", question_form(text_en="Was the job as described?"))
    [kept] = rows(database_url, ExtraQuestion)
    assert kept.text_en == "Was the job as described?"


def test_a_question_cannot_be_emptied_in_a_language_that_has_answers(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = add_question(hr, database_url)
    record(hr, org, database_url, **{f"question_{question.id}": "4"})  # answered in English
    response = hr.post(f"/questions/{question.id}/edit", question_form(text_en=""))
    assert response.status_code == 400
    assert "This question has answers in this language: its text cannot be emptied." in response.text
    assert [item.text_en for item in rows(database_url, ExtraQuestion)] == ["Did your role match the job description?"]
    # Dutch has no answers: emptying it is allowed.
    assert hr.post(f"/questions/{question.id}/edit", question_form(text_nl=""),
                   follow_redirects=False).status_code == 303


def test_retiring_a_question_keeps_its_answers_and_stops_asking_it(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = add_question(hr, database_url)
    interview = record(hr, org, database_url, **{f"question_{question.id}": "3"})
    assert hr.post(f"/questions/{question.id}/retire", {}, follow_redirects=False).status_code == 303
    assert count(database_url, QuestionAnswer) == 1
    assert "Did your role match" not in asked_of(hr, org)
    assert "3/5" in hr.client.get(f"/interviews/{interview.id}").text
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "extra_question", AuditEvent.verb == "update")
    assert event.changes == {"active": [True, False]}


def test_free_text_answers_are_audited_by_length_and_erased_with_the_interview(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    question = add_question(hr, database_url, kind="text")
    interview = record(hr, org, database_url, **{f"question_{question.id}": "My lead never listened."})
    [answer] = rows(database_url, QuestionAnswer)
    assert answer.text == "My lead never listened."
    assert "My lead never listened." in hr.client.get(f"/interviews/{interview.id}").text
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "answer")
    assert event.changes == {f"question_{question.id}": [None, "23 characters"]}
    assert hr.post(f"/interviews/{interview.id}/delete", {}, follow_redirects=False).status_code == 303
    assert count(database_url, QuestionAnswer) == 0
    assert all(not item.changes for item in rows(database_url, AuditEvent, AuditEvent.entity == "exit_interview",
                                                  AuditEvent.entity_id == interview.id, AuditEvent.verb != "delete"))


def test_retention_erases_free_text_answers_with_the_other_free_text(
    hr: Persona, org: dict[str, Any], database_url: str, settings: Settings,
) -> None:
    text_question = add_question(hr, database_url, kind="text")
    scale_question = add_question(hr, database_url)
    interview = record(hr, org, database_url, **{f"question_{text_question.id}": "Too many meetings.",
                                                 f"question_{scale_question.id}": "2"})
    later = retention.add_months(interview.exit_date, settings.retention_free_text_months)
    run(lambda session: retention.apply_retention(session, settings=settings, today=later, dry_run=False), database_url)
    answers = {answer.question_id: answer for answer in rows(database_url, QuestionAnswer)}
    assert (answers[text_question.id].text, answers[scale_question.id].value) == ("", 2)
    page = hr.client.get(f"/interviews/{interview.id}")
    assert "Too many meetings." not in page.text and "2/5" in page.text
    gone = retention.add_months(interview.exit_date, settings.retention_interview_months)
    run(lambda session: retention.apply_retention(session, settings=settings, today=gone, dry_run=False), database_url)
    assert count(database_url, QuestionAnswer) == 0


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_hr_adds_a_question_for_it_and_records_an_interview_that_answers_it(
    page: Page, live_server: LiveServer, make_user: Callable[..., Any],
    make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
) -> None:
    make_user(Role.HR, "hilde@example.com", name="Hilde HR")
    make_department("IT", headcount=40)
    make_department("Shop", headcount=40)
    make_job_family("Developer")
    sign_in_page(page, live_server, "hilde@example.com")
    hr_adds_question(page, answered="A score from 1 to 5",
                     texts=("Paste je rol bij de functiebeschrijving?",
                            "Votre rôle correspondait-il à la description de fonction\u00a0?",
                            "Did your role match the job description?"), department="IT")
    expect(page.get_by_role("row", name=re.compile("Did your role match"))).to_contain_text("IT")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews", exact=True).click()
    page.get_by_role("link", name="Record an exit interview").click()
    expect(page.get_by_text("Did your role match the job description?")).to_have_count(0)
    page.get_by_label("Department").select_option(label="IT")  # HTMX brings IT's questions
    question = page.get_by_role("group", name="Did your role match the job description?")
    expect(question).to_be_visible()
    page.get_by_label("Job family").select_option(label="Developer")
    page.get_by_role("group", name="How long did you work here?").get_by_label("2 to 5 years").check()
    page.get_by_label("Last working day").fill((clock.today() - timedelta(days=3)).isoformat())
    page.get_by_label("Why are you leaving?").fill("A job closer to home.")
    page.get_by_role("group", name="Did pay play a part").get_by_label("No", exact=True).check()
    for name, score in [("My tasks matched", "4"), ("My manager supported me", "4"),
                        ("I got the training", "3"), ("My work was recognised", "3")]:
        page.get_by_role("group", name=name).get_by_label(score, exact=True).check()
    page.get_by_role("group", name="Would you come back").get_by_label("Maybe").check()
    page.get_by_role("group", name="How likely are you to recommend").get_by_label("8", exact=True).check()
    question.get_by_label("2", exact=True).check()
    page.get_by_role("button", name="Save interview").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("IT")
    answers = page.locator("dl.answers")
    expect(answers).to_contain_text("Did your role match the job description?")
    expect(answers).to_contain_text("2/5")


# --- the confidential survey ------------------------------------------------------------------


def test_an_it_leaver_answers_the_it_question_in_the_survey_and_hr_sees_it(
    hr: Persona, anon: TestClient, org: dict[str, Any], database_url: str, make_survey_link: Callable[..., str],
) -> None:
    question = add_question(hr, database_url, department_ids=[str(org["it"].id)])
    add_question(hr, database_url, text_en="How busy was the shop?", text_fr="", text_nl="",
                 department_ids=[str(org["shop"].id)])
    link = make_survey_link(department=org["it"], job_family=org["developer"], created_by=hr.user, language="fr")
    page = anon.get(f"/survey/{link}")
    assert "Votre rôle correspondait-il à la description de fonction" in page.text
    assert "How busy was the shop?" not in page.text and "Show the questions" not in page.text
    standard = {
        "tenure_band": "1to2", "exit_date": (clock.today() - timedelta(days=1)).isoformat(),
        "reason_for_leaving": "Pas de télétravail.", "pay_factor": "no", "tasks_match_score": "4",
        "manager_support_score": "2", "training_score": "3", "recognition_score": "3", "improvement_suggestion": "",
        "would_return": "maybe", "recommend_score": "6",
    }
    wrong = post_form(anon, f"/survey/{link}?lang=fr", {**standard, f"question_{question.id}": "9"})
    assert wrong.status_code == 400
    assert count(database_url, ExitInterview) == 0 and count(database_url, QuestionAnswer) == 0
    sent = post_form(anon, f"/survey/{link}?lang=fr", {**standard, f"question_{question.id}": "4"},
                     follow_redirects=False)
    assert sent.status_code == 303
    deliver_survey_answers(database_url)  # kept apart from the link until the day is over
    [interview] = rows(database_url, ExitInterview)
    [answer] = rows(database_url, QuestionAnswer)
    assert (answer.interview_id, answer.question_id, answer.value) == (interview.id, question.id, 4)
    shown = hr.client.get(f"/interviews/{interview.id}")
    assert "Did your role match the job description?" in shown.text and "4/5" in shown.text


# --- the API ----------------------------------------------------------------------------------


def test_an_hr_system_sends_answers_to_extra_questions_through_the_api(
    hr: Persona, anon: TestClient, org: dict[str, Any], database_url: str, make_api_token: Callable[..., str],
) -> None:
    question = add_question(hr, database_url, kind="yes_no", department_ids=[str(org["it"].id)])
    shop_only = add_question(hr, database_url, department_ids=[str(org["shop"].id)])
    token = make_api_token(hr.user)
    body = {key: value for key, value in interview_form(org["it"], org["developer"]).items()
            if key not in {"intent", "notes"}}
    body.update(department_id=org["it"].id, job_family_id=org["developer"].id, tasks_match_score=4,
                manager_support_score=4, training_score=3, recognition_score=3, recommend_score=8)

    def send(*answers: tuple[int, str]) -> Any:
        return anon.post("/api/v1/interviews", headers={"Authorization": f"Bearer {token}"},
                         json={**body, "extra_answers": [{"question_id": item, "answer": text}
                                                         for item, text in answers]})

    for wrong in ((question.id, "maybe"), (shop_only.id, "3")):
        refused = send(wrong)
        assert refused.status_code == 400, refused.text
        assert f"question_{wrong[0]}" in refused.text
    assert count(database_url, ExitInterview) == 0 and count(database_url, QuestionAnswer) == 0
    created = send((question.id, "yes"))
    assert created.status_code == 201, created.text
    [answer] = rows(database_url, QuestionAnswer)
    assert (answer.interview_id, answer.question_id, answer.value) == (created.json()["id"], question.id, 1)
    assert "Did your role match the job description?" in hr.client.get(f"/interviews/{answer.interview_id}").text


def test_editing_an_interview_changes_its_answers_audited(
    hr: Persona, org: dict[str, Any], database_url: str,
) -> None:
    scale = add_question(hr, database_url)
    text = add_question(hr, database_url, kind="text")
    interview = record(hr, org, database_url, **{f"question_{scale.id}": "4", f"question_{text.id}": "Long days."})
    edit = hr.client.get(f"/interviews/{interview.id}/edit")
    assert "Long days." in edit.text
    form = interview_form(org["it"], org["developer"], exit_date=interview.exit_date.isoformat(),
                          **{f"question_{scale.id}": "2", f"question_{text.id}": ""})
    assert hr.post(f"/interviews/{interview.id}/edit", form, follow_redirects=False).status_code == 303
    [answer] = rows(database_url, QuestionAnswer)
    assert (answer.question_id, answer.value) == (scale.id, 2)
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "answer", AuditEvent.entity_id == interview.id,
                   AuditEvent.id > min(item.id for item in rows(database_url, AuditEvent, AuditEvent.verb == "answer")))
    assert event.changes == {f"question_{scale.id}": [4, 2], f"question_{text.id}": ["10 characters", None]}
