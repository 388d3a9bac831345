"""Exit interviews: HR records, lists, opens, edits and deletes them; themes are suggested, never imposed."""

from __future__ import annotations

import contextvars
import html
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import select

from actiontrack import clock
from actiontrack.i18n import format_date, set_language, translations
from actiontrack.models import AuditEvent, Department, ExitInterview, InterviewTheme, JobFamily, Role, Theme, User

from browser_checks import sign_in_page
from conftest import LiveServer, Persona, count, post_form, rows, run


def tags(url: str, interview_id: int) -> set[str]:
    async def query(session):
        result = await session.execute(
            select(Theme.code).join(InterviewTheme, InterviewTheme.theme_id == Theme.id)
            .where(InterviewTheme.interview_id == interview_id)
        )
        return set(result.scalars())

    return run(query, url)


def in_language(language: str, message: str) -> str:
    """A message as the page shows it in a language (the English text until it is translated)."""
    return translations(language).ugettext(message)


def valid_form(department: Department, job_family: JobFamily, **overrides: Any) -> dict[str, Any]:
    return {
        "department_id": str(department.id), "job_family_id": str(job_family.id), "channel": "interview",
        "language": "en", "tenure_band": "2to5", "exit_date": (clock.today() - timedelta(days=7)).isoformat(),
        "reason_for_leaving": "I found a job closer to home.", "pay_factor": "no",
        "tasks_match_score": "4", "manager_support_score": "4", "training_score": "3", "recognition_score": "3",
        "improvement_suggestion": "", "would_return": "maybe", "recommend_score": "8", "notes": "",
        "intent": "save", **overrides,
    }


@pytest.fixture
def org(make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily]) -> dict[str, Any]:
    return {"department": make_department("Logistics", headcount=40), "job_family": make_job_family("Warehouse")}


# --- who may do what --------------------------------------------------------------------------


@pytest.fixture
def interview(org: dict[str, Any], make_interview: Callable[..., ExitInterview]) -> ExitInterview:
    return make_interview(**org, themes=["pay_benefits"], reason_for_leaving="Het loon was te laag.")


ROUTES = [
    ("get", "/interviews"), ("get", "/interviews/new"), ("get", "/interviews/{id}"), ("get", "/interviews/{id}/edit"),
    ("get", "/interviews/{id}/export"),
    ("post", "/interviews/new"), ("post", "/interviews/{id}/edit"), ("post", "/interviews/{id}/delete"),
]


@pytest.mark.parametrize("method, path", ROUTES)
@pytest.mark.parametrize("who, expected", [("hr", "allowed"), ("leader", 403), ("owner", 403), ("anon", "login")])
def test_only_hr_reaches_interviews(
    request: pytest.FixtureRequest, interview: ExitInterview, database_url: str,
    method: str, path: str, who: str, expected: int | str,
) -> None:
    path = path.format(id=interview.id)
    if who == "anon":
        client: TestClient = request.getfixturevalue("anon")
        response = client.get(path, follow_redirects=False) if method == "get" else \
            post_form(client, path, {}, follow_redirects=False)
    else:
        person: Persona = request.getfixturevalue(who)
        response = person.client.get(path, follow_redirects=False) if method == "get" else \
            person.post(path, {}, follow_redirects=False)
    if expected == "allowed":
        # An empty form is refused with messages (400); a delete goes through (303).
        assert response.status_code in {200, 303, 400}
    elif expected == "login":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == expected
    if who != "hr":
        assert count(database_url, ExitInterview) == 1
        assert "Het loon" not in response.text


# --- recording --------------------------------------------------------------------------------


def test_hr_records_an_interview_with_the_themes_ticked(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int]
) -> None:
    form = valid_form(**org, reason_for_leaving="Le salaire était trop bas.", language="fr", pay_factor="yes",
                      notes="Calm conversation.", themes=[str(theme_ids["pay_benefits"])])
    response = hr.post("/interviews/new", form, follow_redirects=False)
    assert response.status_code == 303
    [saved] = rows(database_url, ExitInterview)
    assert response.headers["location"] == f"/interviews/{saved.id}"
    assert (saved.department_id, saved.job_family_id, saved.channel, saved.language) == (
        org["department"].id, org["job_family"].id, "interview", "fr")
    assert saved.exit_date == clock.today() - timedelta(days=7)
    assert (saved.tasks_match_score, saved.manager_support_score, saved.recommend_score) == (4, 4, 8)
    assert saved.reason_for_leaving == "Le salaire était trop bas."
    assert saved.interviewer_id == hr.user.id
    assert tags(database_url, saved.id) == {"pay_benefits"}
    page = hr.client.get(f"/interviews/{saved.id}").text
    assert "Le salaire était trop bas." in page
    assert "Calm conversation." in page


def test_creation_is_audited_without_the_leavers_words(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int]
) -> None:
    hr.post("/interviews/new", valid_form(**org, reason_for_leaving="Private words.",
                                          themes=[str(theme_ids["management"])]))
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "exit_interview")
    assert (event.verb, event.actor_id) == ("create", hr.user.id)
    assert event.changes["recommend_score"] == 8
    assert event.changes["themes"] == [theme_ids["management"]]
    assert event.changes["reason_for_leaving"] == "14 characters"
    assert "Private words." not in str(event.changes)


def test_suggested_themes_are_shown_with_their_words_and_not_saved_until_ticked(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int]
) -> None:
    form = valid_form(**org, reason_for_leaving="The SALARY was low and my manager never listened.",
                      manager_support_score="1", intent="suggest")
    page = hr.post("/interviews/new", form)
    assert page.status_code == 200
    assert count(database_url, ExitInterview) == 0
    pay = re.search(rf'id="suggestion-{theme_ids["pay_benefits"]}">(.*?)</p>', page.text, re.S)
    management = re.search(rf'id="suggestion-{theme_ids["management"]}">(.*?)</p>', page.text, re.S)
    assert pay and "<mark>SALARY</mark>" in pay.group(1)
    assert management and "<mark>manager</mark>" in management.group(1)
    assert "My manager supported me 1/5" in management.group(1)
    # Suggested, but not ticked: HR decides.
    assert f'value="{theme_ids["pay_benefits"]}" checked' not in page.text
    assert 'name="reason_for_leaving"' in page.text and "The SALARY was low" in page.text

    saved = hr.post("/interviews/new", {**form, "intent": "save"}, follow_redirects=False)
    assert saved.status_code == 303
    [interview] = rows(database_url, ExitInterview)
    assert tags(database_url, interview.id) == set()
    detail = hr.client.get(f"/interviews/{interview.id}").text
    assert "Suggested, not tagged" in detail


def test_htmx_asks_for_suggestions_and_gets_only_the_theme_checkboxes(
    hr: Persona, org: dict[str, Any], theme_ids: dict[str, int]
) -> None:
    form = valid_form(**org, reason_for_leaving="Geen thuiswerk mogelijk.", language="nl", intent="suggest",
                      themes=[str(theme_ids["management"])])
    response = hr.post("/interviews/new", form, headers={"hx-request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<fieldset class="group" id="themes-field"')
    assert "<mark>thuiswerk</mark>" in response.text
    # What HR already ticked stays ticked.
    assert f'value="{theme_ids["management"]}" checked' in response.text
    assert "HX-Request" in response.headers["vary"]


# --- bad input --------------------------------------------------------------------------------


def _future() -> str:
    return (clock.today() + timedelta(days=1)).isoformat()


BAD_INPUT = [
    ({"exit_date": "tomorrow"}, "exit_date", "Enter the date as year-month-day"),
    ({"exit_date": "2026-02-30"}, "exit_date", "Enter the date as year-month-day"),
    ({"exit_date": ""}, "exit_date", "Enter the last working day."),
    ({"exit_date": "1999-12-31"}, "exit_date", "Enter a date after 2000-01-01."),
    ({"manager_support_score": "6"}, "manager_support_score", "Choose a score from 1 to 5."),
    ({"training_score": "0"}, "training_score", "Choose a score from 1 to 5."),
    ({"recognition_score": "3.5"}, "recognition_score", "Choose a score from 1 to 5."),
    ({"recommend_score": "11"}, "recommend_score", "Choose a score from 0 to 10."),
    ({"recommend_score": ""}, "recommend_score", "Choose a score from 0 to 10."),
    ({"department_id": "999"}, "department_id", "Choose a department from the list."),
    ({"department_id": "99999999999999999999"}, "department_id", "Choose a department from the list."),
    ({"department_id": "-1"}, "department_id", "Choose a department from the list."),
    ({"job_family_id": "abc"}, "job_family_id", "Choose a job family from the list."),
    ({"reason_for_leaving": "   \n "}, "reason_for_leaving", "Answer this question."),
    ({"reason_for_leaving": "x" * 5001}, "reason_for_leaving", "Use at most 5000 characters (this answer has 5001)."),
    ({"improvement_suggestion": "y" * 6000}, "improvement_suggestion", "Use at most 5000 characters"),
    ({"notes": "z" * 5001}, "notes", "Use at most 5000 characters"),
    ({"tenure_band": "forever"}, "tenure_band", "Choose one of the answers."),
    ({"pay_factor": ""}, "pay_factor", "Choose one of the answers."),
    ({"would_return": "never"}, "would_return", "Choose one of the answers."),
    ({"channel": "fax"}, "channel", "Choose one of the answers."),
    ({"language": "de"}, "language", "Choose one of the answers."),
    ({"themes": ["9999"]}, "themes", "Choose themes from the list."),
    ({"themes": ["pay"]}, "themes", "Choose themes from the list."),
]


@pytest.mark.parametrize("change, field, message", BAD_INPUT)
def test_bad_input_is_explained_in_the_form_and_nothing_is_saved(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int],
    change: dict[str, Any], field: str, message: str,
) -> None:
    form = valid_form(**org, themes=[str(theme_ids["growth_career"])], reason_for_leaving="Kept as typed: é&ü")
    form.update(change)
    response = hr.post("/interviews/new", form)
    assert response.status_code == 400
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', response.text, re.S)
    assert error, f"no error shown for {field}"
    assert message in html.unescape(error.group(1))
    assert 'role="alert"' in response.text  # the summary at the top
    if field != "reason_for_leaving":
        assert "Kept as typed: é&amp;ü" in response.text
    assert count(database_url, ExitInterview) == 0
    assert count(database_url, InterviewTheme) == 0
    assert count(database_url, AuditEvent, AuditEvent.entity == "exit_interview") == 0


def test_exit_date_in_the_future_is_refused(hr: Persona, org: dict[str, Any], database_url: str) -> None:
    response = hr.post("/interviews/new", valid_form(**org, exit_date=_future()))
    assert response.status_code == 400
    assert "The last working day cannot be in the future." in response.text
    assert count(database_url, ExitInterview) == 0


def test_a_retired_department_is_not_offered_for_new_interviews(
    hr: Persona, make_department: Callable[..., Department], org: dict[str, Any], database_url: str
) -> None:
    retired = make_department("Closed shop", active=False)
    form_page = hr.client.get("/interviews/new").text
    assert "Closed shop" not in form_page
    response = hr.post("/interviews/new", valid_form(retired, org["job_family"]))
    assert response.status_code == 400
    assert "Choose a department from the list." in response.text
    assert count(database_url, ExitInterview) == 0


def test_control_characters_are_dropped_so_every_database_accepts_the_text(
    hr: Persona, org: dict[str, Any], database_url: str
) -> None:
    response = hr.post("/interviews/new", valid_form(**org, reason_for_leaving="Too\x00 much\x07 work\r\nreally"),
                       follow_redirects=False)
    assert response.status_code == 303
    [saved] = rows(database_url, ExitInterview)
    assert saved.reason_for_leaving == "Too much work\nreally"


def test_html_in_answers_is_shown_escaped_everywhere(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview]
) -> None:
    script = "<script>alert('salary')</script>"
    interview = make_interview(**org, reason_for_leaving=f"{script} and <b>salary</b>",
                               improvement_suggestion=script, notes=script)
    pages = [
        hr.client.get(f"/interviews/{interview.id}").text,
        hr.client.get(f"/interviews/{interview.id}/edit").text,
        hr.post("/interviews/new", valid_form(**org, reason_for_leaving=script, recommend_score="99")).text,
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#39;salary&#39;)&lt;/script&gt;" in page
    # The word that triggered a suggestion is escaped too.
    assert "<b>salary</b>" not in pages[0]


# --- the form in each language ----------------------------------------------------------------


@pytest.mark.parametrize("language, answer, theme", [
    ("nl", "Het loon lag te laag en de werkdruk was enorm.", "pay_benefits"),
    ("fr", "Le salaire était bas et je n'ai eu aucune formation à l'accueil.", "training_onboarding"),
])
def test_form_round_trip_in_the_users_language(
    persona: Callable[..., Persona], org: dict[str, Any], database_url: str, theme_ids: dict[str, int],
    language: str, answer: str, theme: str,
) -> None:
    person = persona(Role.HR, f"hr.{language}@example.com", language=language)
    blank = person.client.get("/interviews/new").text
    assert f'<html lang="{language}">' in blank
    assert in_language(language, "Record an exit interview") in blank
    # The answers' language defaults to the interviewer's.
    assert f'<option value="{language}" selected>' in blank

    form = valid_form(**org, language=language, reason_for_leaving=answer, recommend_score="12")
    refused = person.post("/interviews/new", form)
    assert refused.status_code == 400
    assert f'<html lang="{language}">' in refused.text
    assert in_language(language, "Choose a score from %(low)d to %(high)d.") % {"low": 0, "high": 10} \
        in html.unescape(refused.text)
    assert answer.replace("'", "&#39;") in refused.text
    assert '<mark>' in refused.text  # suggestions from the answer, in its language

    saved = person.post("/interviews/new", {**form, "recommend_score": "3", "themes": [str(theme_ids[theme])]},
                        follow_redirects=False)
    assert saved.status_code == 303
    detail = person.client.get(saved.headers["location"]).text
    exit_date = clock.today() - timedelta(days=7)
    # As the app writes it ("1er déc." on the first of a month).
    written = contextvars.copy_context().run(lambda: (set_language(language), format_date(exit_date))[1])
    assert written in detail
    assert answer.replace("'", "&#39;") in detail
    [interview] = rows(database_url, ExitInterview)
    assert interview.language == language
    assert tags(database_url, interview.id) == {theme}


# --- open, edit, delete -----------------------------------------------------------------------


def test_hr_edits_an_interview_and_the_change_is_audited(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview], database_url: str,
    theme_ids: dict[str, int], make_job_family: Callable[..., JobFamily],
) -> None:
    interview = make_interview(**org, themes=["pay_benefits", "management"], reason_for_leaving="Old words")
    edit_page = hr.client.get(f"/interviews/{interview.id}/edit").text
    assert f'value="{theme_ids["pay_benefits"]}" checked' in edit_page
    assert ">Old words</textarea>" in edit_page
    other_family = make_job_family("Drivers")
    form = valid_form(org["department"], other_family, exit_date=interview.exit_date.isoformat(),
                      reason_for_leaving="New words", recommend_score="2",
                      themes=[str(theme_ids["management"]), str(theme_ids["workload_autonomy"])])
    response = hr.post(f"/interviews/{interview.id}/edit", form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/interviews/{interview.id}"
    [saved] = rows(database_url, ExitInterview)
    assert (saved.job_family_id, saved.recommend_score, saved.reason_for_leaving) == (other_family.id, 2, "New words")
    assert saved.updated_at > interview.updated_at
    assert tags(database_url, interview.id) == {"management", "workload_autonomy"}
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "update")
    assert event.changes["job_family_id"] == [org["job_family"].id, other_family.id]
    assert event.changes["recommend_score"] == [7, 2]
    assert event.changes["reason_for_leaving"] == ["9 characters", "9 characters"]
    assert event.changes["themes"] == [sorted([theme_ids["pay_benefits"], theme_ids["management"]]),
                                       sorted([theme_ids["management"], theme_ids["workload_autonomy"]])]


def test_a_failed_edit_changes_nothing(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview], database_url: str,
    theme_ids: dict[str, int],
) -> None:
    interview = make_interview(**org, themes=["pay_benefits"], recommend_score=7)
    form = valid_form(**org, recommend_score="1", exit_date="31-12-2025", themes=[str(theme_ids["management"])])
    response = hr.post(f"/interviews/{interview.id}/edit", form)
    assert response.status_code == 400
    [saved] = rows(database_url, ExitInterview)
    assert saved.recommend_score == 7
    assert tags(database_url, interview.id) == {"pay_benefits"}
    assert count(database_url, AuditEvent, AuditEvent.verb == "update") == 0


def test_retired_department_and_theme_stay_valid_on_the_interview_that_has_them(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview], database_url: str,
    theme_ids: dict[str, int],
) -> None:
    interview = make_interview(**org, themes=["other"])

    async def retire(session):
        (await session.get(Department, org["department"].id)).active = False
        (await session.get(Theme, theme_ids["other"])).active = False

    run(retire, database_url)
    edit_page = hr.client.get(f"/interviews/{interview.id}/edit").text
    assert "Logistics" in edit_page
    assert f'value="{theme_ids["other"]}" checked' in edit_page
    form = valid_form(**org, exit_date=interview.exit_date.isoformat(), themes=[str(theme_ids["other"])])
    assert hr.post(f"/interviews/{interview.id}/edit", form, follow_redirects=False).status_code == 303
    assert tags(database_url, interview.id) == {"other"}
    # ...but a new interview cannot pick the retired theme.
    new_form = hr.client.get("/interviews/new").text
    assert f'name="themes" value="{theme_ids["other"]}"' not in new_form


def test_hr_deletes_an_interview_with_its_tags(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview], database_url: str
) -> None:
    interview = make_interview(**org, themes=["pay_benefits", "management"], reason_for_leaving="Secret")
    response = hr.post(f"/interviews/{interview.id}/delete", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/interviews"
    assert count(database_url, ExitInterview) == 0
    assert count(database_url, InterviewTheme) == 0
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "delete")
    assert (event.entity, event.entity_id) == ("exit_interview", interview.id)
    assert "Secret" not in str(event.changes)
    assert hr.client.get(f"/interviews/{interview.id}").status_code == 404


@pytest.mark.parametrize("path", ["/interviews/999", "/interviews/99999999999/edit", "/interviews/0"])
def test_unknown_interviews_are_not_found(hr: Persona, path: str) -> None:
    assert hr.client.get(path).status_code == 404
    assert hr.post("/interviews/4294967296/delete").status_code == 404


# --- the list ---------------------------------------------------------------------------------


def test_the_list_filters_by_department_job_family_theme_channel_and_period(
    hr: Persona, make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    make_interview: Callable[..., ExitInterview], theme_ids: dict[str, int],
) -> None:
    logistics, retail = make_department("Logistics"), make_department("Retail")
    warehouse, store = make_job_family("Warehouse"), make_job_family("Store")
    today = clock.today()
    first = make_interview(department=logistics, job_family=warehouse, themes=["pay_benefits"],
                           exit_date=today - timedelta(days=10))
    second = make_interview(department=retail, job_family=store, themes=["management"], channel="survey",
                            exit_date=today - timedelta(days=100))
    third = make_interview(department=retail, job_family=warehouse, themes=["pay_benefits", "management"],
                           exit_date=today - timedelta(days=400))

    def listed(query: str) -> set[int]:
        page = hr.client.get(f"/interviews?{query}")
        assert page.status_code == 200
        return {int(found) for found in re.findall(r'href="/interviews/(\d+)"', page.text)}

    assert listed("") == {first.id, second.id, third.id}
    assert listed(f"department={retail.id}") == {second.id, third.id}
    assert listed(f"job_family={warehouse.id}") == {first.id, third.id}
    assert listed(f"theme={theme_ids['pay_benefits']}") == {first.id, third.id}
    assert listed("channel=survey") == {second.id}
    assert listed(f"start={(today - timedelta(days=120)).isoformat()}") == {first.id, second.id}
    assert listed(f"start={(today - timedelta(days=120)).isoformat()}&end={(today - timedelta(days=50)).isoformat()}"
                  ) == {second.id}
    assert listed(f"department={retail.id}&theme={theme_ids['pay_benefits']}") == {third.id}


def test_a_malformed_filter_is_explained_and_ignored(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview]
) -> None:
    make_interview(**org)
    page = hr.client.get("/interviews?start=last-week&department=abc&theme=99999999999")
    assert page.status_code == 200
    assert "Dates are written year-month-day" in page.text
    assert "1 interview" in page.text


def test_the_list_is_paginated_newest_first(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview]
) -> None:
    today = clock.today()
    interviews = [make_interview(**org, exit_date=today - timedelta(days=day)) for day in range(1, 31)]
    first = hr.client.get("/interviews").text
    second = hr.client.get("/interviews?page=2").text
    assert "30 interviews" in first
    assert "Page 1 of 2" in first and 'href="/interviews?page=2"' in first
    first_ids = [int(found) for found in re.findall(r'href="/interviews/(\d+)"', first)]
    second_ids = [int(found) for found in re.findall(r'href="/interviews/(\d+)"', second)]
    assert first_ids == [item.id for item in interviews[:25]]
    assert second_ids == [item.id for item in interviews[25:]]
    # A page past the end shows the last page.
    assert "Page 2 of 2" in hr.client.get("/interviews?page=9").text


def test_filters_survive_in_the_page_links(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview]
) -> None:
    for _ in range(26):
        make_interview(**org, channel="survey")
    page = hr.client.get(f"/interviews?channel=survey&department={org['department'].id}").text
    assert f'href="/interviews?department={org["department"].id}&amp;channel=survey&amp;page=2"' in page


def test_htmx_filtering_returns_only_the_results(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview]
) -> None:
    make_interview(**org)
    response = hr.client.get("/interviews?channel=interview", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_hr_records_an_interview_accepts_a_suggested_theme_and_sees_it_in_the_list_and_radar(
    page: Page, live_server: LiveServer, make_user: Callable[..., User],
    make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
) -> None:
    make_user(Role.HR, "hilde@example.com", name="Hilde HR")
    make_department("Logistics", headcount=40)
    make_job_family("Warehouse")
    page.set_extra_http_headers({"accept-language": "en"})
    sign_in_page(page, live_server, "hilde@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews", exact=True).click()
    page.get_by_role("link", name="Record an exit interview").click()

    page.get_by_label("Department").select_option(label="Logistics")
    page.get_by_label("Job family").select_option(label="Warehouse")
    page.get_by_role("group", name="How long did you work here?").get_by_label("2 to 5 years").check()
    page.get_by_label("Last working day").fill((clock.today() - timedelta(days=3)).isoformat())
    page.get_by_label("Why are you leaving?").fill("My manager never gave feedback and the salary was too low.")
    page.get_by_role("group", name="Did pay play a part").get_by_label("Partly").check()
    for question, score in [("My tasks matched", "4"), ("My manager supported me", "1"),
                            ("I got the training", "3"), ("My work was recognised", "3")]:
        page.get_by_role("group", name=question).get_by_label(score, exact=True).check()
    page.get_by_role("group", name="Would you come back").get_by_label("No").check()
    page.get_by_role("group", name="How likely are you to recommend").get_by_label("4", exact=True).check()

    page.get_by_role("button", name="Suggest themes from the answers").click()
    suggestion = page.locator("li.suggested", has_text="Management and communication")
    expect(suggestion.locator("mark", has_text="manager")).to_be_visible()
    expect(suggestion).to_contain_text("My manager supported me 1/5")
    management = page.get_by_role("checkbox", name="Management and communication")
    expect(management).not_to_be_checked()
    management.check()
    page.get_by_role("button", name="Save interview").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Logistics")
    expect(page.locator("ul.tags")).to_have_text("Management and communication")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews", exact=True).click()
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr")).to_contain_text("Management and communication")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Theme radar").click()
    row = page.get_by_role("row", name=re.compile("^Management and communication"))
    expect(row.locator("td").first).to_contain_text("1")
    expect(row.locator("td").first).to_contain_text("100 %")


# --- erasure, export, retention ---------------------------------------------------------------


def sqlite_bytes(url: str) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    path = Path(make_url(url).database)
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_deleting_an_interview_erases_its_answers_from_the_audit_trail_and_the_sqlite_files(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int]
) -> None:
    marker = "Marker-7f3a9c-unique-words"
    hr.post("/interviews/new", valid_form(**org, reason_for_leaving=f"{marker} in the reason", notes=f"{marker} noted",
                                          recommend_score="3", themes=[str(theme_ids["management"])]))
    [interview] = rows(database_url, ExitInterview)
    hr.post(f"/interviews/{interview.id}/edit", valid_form(**org, exit_date=interview.exit_date.isoformat(),
                                                           reason_for_leaving=f"{marker} edited", recommend_score="9"))
    sqlite = database_url.startswith("sqlite")
    if sqlite:
        assert marker.encode() in sqlite_bytes(database_url), "the check below could not fail"
    other = hr.post("/interviews/new", valid_form(**org, reason_for_leaving="Another leaver's words."))
    assert other.status_code == 200

    assert hr.post(f"/interviews/{interview.id}/delete", follow_redirects=False).status_code == 303
    events = rows(database_url, AuditEvent, AuditEvent.entity == "exit_interview", AuditEvent.entity_id == interview.id)
    assert [(event.verb, event.actor_id, event.changes) for event in events] == [
        ("create", hr.user.id, {}), ("update", hr.user.id, {}), ("delete", hr.user.id, {})]
    # The other interview keeps its audited answers.
    [kept] = rows(database_url, ExitInterview)
    [kept_event] = rows(database_url, AuditEvent, AuditEvent.entity_id == kept.id,
                        AuditEvent.entity == "exit_interview")
    assert kept_event.changes["recommend_score"] == 8
    if sqlite:
        on_disk = sqlite_bytes(database_url)
        assert marker.encode() not in on_disk
        assert b"Another leaver's words." in on_disk


def test_hr_exports_one_interview_as_a_json_file(
    hr: Persona, org: dict[str, Any], make_interview: Callable[..., ExitInterview], database_url: str
) -> None:
    from datetime import date

    interview = make_interview(**org, themes=["pay_benefits", "management"], language="nl",
                               exit_date=date(2025, 1, 31), reason_for_leaving="Het loon was te laag.",
                               improvement_suggestion="Beter loon.", notes="Rustig gesprek.", recommend_score=4)
    page = hr.client.get(f"/interviews/{interview.id}").text
    assert f'href="/interviews/{interview.id}/export"' in page
    response = hr.client.get(f"/interviews/{interview.id}/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == f'attachment; filename="exit-interview-{interview.id}.json"'
    assert response.headers["cache-control"] == "no-store"
    exported = response.json()
    assert exported["interview"] == interview.id
    assert (exported["department"], exported["job_family"], exported["channel"]) == ("Logistics", "Warehouse",
                                                                                        "interview")
    assert (exported["reason_for_leaving"], exported["improvement_suggestion"], exported["notes"]) == (
        "Het loon was te laag.", "Beter loon.", "Rustig gesprek.")
    assert (exported["exit_date"], exported["recommend_score"], exported["tenure_band"]) == ("2025-01-31", 4, "2to5")
    dutch_names = {theme.name_nl for theme in rows(database_url, Theme, Theme.code.in_(["pay_benefits", "management"]))}
    assert len(dutch_names) == 2 and set(exported["themes"]) == dutch_names
    # Default retention: free text 24 months after the exit date, the interview 60.
    assert (exported["free_text_erased_on"], exported["interview_erased_on"]) == ("2027-01-31", "2030-01-31")
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "export")
    assert (event.actor_id, event.entity_id, event.changes) == (hr.user.id, interview.id, {})


@pytest.mark.parametrize("text_months, whole_months, expected", [
    (24, 60, "Free-text answers are kept until 31 Mar 2027; the interview until 31 Mar 2030."),
    (5, 0, "Free-text answers are kept until 31 Aug 2025; the interview is kept for ever."),
    (0, 1, "The interview, free-text answers included, is kept until 30 Apr 2025."),
    (0, 0, "The interview is kept for ever."),
])
def test_the_interview_page_says_when_it_will_be_erased(
    settings: Any, make_user: Callable[..., User], org: dict[str, Any],
    make_interview: Callable[..., ExitInterview], text_months: int, whole_months: int, expected: str,
) -> None:
    from datetime import date

    from actiontrack.app import create_app

    from conftest import make_client, sign_in

    interview = make_interview(**org, exit_date=date(2025, 3, 31))
    make_user(Role.HR, "retention.hr@example.com")
    app = create_app(settings.model_copy(update={"retention_free_text_months": text_months,
                                                 "retention_interview_months": whole_months}))
    with make_client(app) as client:
        sign_in(client, "retention.hr@example.com")
        page = client.get(f"/interviews/{interview.id}", headers={"accept-language": "en"}).text
    retention = re.search(r'<p id="retention">\s*(.*?)\s*<span', page, re.S)
    assert retention and html.unescape(retention.group(1)) == expected
