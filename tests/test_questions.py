"""Extra questions per group: HR writes them in three languages for some departments or job families,
leavers of those groups answer them in the interview, and HR reads the answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from actiontrack.models import AuditEvent, Department, ExtraQuestion, JobFamily

from conftest import Persona, count, post_form, rows


@pytest.fixture
def org(make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily]) -> dict[str, Any]:
    return {"it": make_department("IT", headcount=40), "shop": make_department("Shop", headcount=40),
            "developer": make_job_family("Developer"), "cashier": make_job_family("Cashier")}


def question_form(**overrides: Any) -> dict[str, Any]:
    return {"kind": "scale", "text_nl": "Paste je rol bij de functiebeschrijving?",
            "text_fr": "Votre rôle correspondait-il à la description de fonction\u00a0?",
            "text_en": "Did your role match the job description?",
            "options_nl": "", "options_fr": "", "options_en": "", **overrides}


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


def test_an_unanswered_question_is_edited_in_place(hr: Persona, database_url: str) -> None:
    question = add_question(hr, database_url)
    hr.post(f"/questions/{question.id}/edit", question_form(text_en="Was the job as described?"))
    [kept] = rows(database_url, ExtraQuestion)
    assert kept.text_en == "Was the job as described?"
