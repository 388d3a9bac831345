"""Stay interviews: HR records and reads them, managers record without reading, a one-time stay survey, retention."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from actiontrack import clock
from actiontrack.cli import main
from actiontrack.i18n import translations
from actiontrack.models import (
    AuditEvent,
    Department,
    ExitInterview,
    JobFamily,
    StayInterview,
    StayInterviewTheme,
    SurveyInvitation,
    Theme,
)

from conftest import SECRET, Persona, count, deliver_survey_answers, off_loop, post_form, rows, run

STAY_DEFAULTS: dict[str, Any] = {
    "tenure_band": "2to5", "channel": "interview", "language": "en",
    "keeps_here": "My colleagues and the work itself.", "might_leave": "A better offer elsewhere.",
    "should_change": "", "growth_score": 3, "recognition_score": 3, "manager_support_score": 3, "workload_score": 3,
    "notes": "",
}


def in_language(language: str, message: str) -> str:
    return translations(language).ugettext(message)


@pytest.fixture
def org(make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily]) -> dict[str, Any]:
    return {"department": make_department("Production", headcount=80), "job_family": make_job_family("Operators")}


@pytest.fixture
def add_stay_interview(database_url: str) -> Callable[..., StayInterview]:
    """Inserts a stay interview with its theme tags (theme codes); any StayInterview field can be given."""

    def factory(*, department: Any, job_family: Any, held_on: date | None = None,
                themes: tuple[str, ...] | list[str] = (), **answers: Any) -> StayInterview:
        async def create(session):
            interview = StayInterview(
                **{**STAY_DEFAULTS, **answers}, department_id=getattr(department, "id", department),
                job_family_id=getattr(job_family, "id", job_family),
                held_on=held_on or clock.today() - timedelta(days=7),
            )
            session.add(interview)
            await session.flush()
            if themes:
                ids = dict((await session.execute(select(Theme.code, Theme.id).where(Theme.code.in_(themes)))).all())
                session.add_all(StayInterviewTheme(stay_interview_id=interview.id, theme_id=ids[code])
                                for code in themes)
            return interview

        return run(create, database_url)

    return factory


def valid_form(department: Department, job_family: JobFamily, **overrides: Any) -> dict[str, Any]:
    return {
        "department_id": str(department.id), "job_family_id": str(job_family.id), "channel": "interview",
        "language": "en", "held_on": (clock.today() - timedelta(days=2)).isoformat(), "tenure_band": "2to5",
        "keeps_here": "The team and the flexible hours.", "might_leave": "If my workload keeps growing.",
        "should_change": "Hire two more operators.", "growth_score": "4", "recognition_score": "3",
        "manager_support_score": "4", "workload_score": "2", "notes": "", "intent": "save", **overrides,
    }


def tags(url: str, interview_id: int) -> set[str]:
    async def query(session):
        result = await session.execute(
            select(Theme.code).join(StayInterviewTheme, StayInterviewTheme.theme_id == Theme.id)
            .where(StayInterviewTheme.stay_interview_id == interview_id)
        )
        return set(result.scalars())

    return run(query, url)


# --- who may do what --------------------------------------------------------------------------


@pytest.fixture
def interview(org: dict[str, Any], add_stay_interview: Callable[..., StayInterview]) -> StayInterview:
    return add_stay_interview(**org, themes=["workload_autonomy"], might_leave="Secret-words-about-leaving")


ROUTES = [
    ("get", "/stay-interviews"), ("get", "/stay-interviews/new"), ("get", "/stay-interviews/recorded"),
    ("get", "/stay-interviews/{id}"), ("get", "/stay-interviews/{id}/edit"), ("get", "/stay-interviews/{id}/export"),
    ("post", "/stay-interviews/new"), ("post", "/stay-interviews/{id}/edit"), ("post", "/stay-interviews/{id}/delete"),
]
# Managers record (the form and its confirmation) and read nothing; leadership has nothing here.
OWNER_MAY = {("get", "/stay-interviews/new"), ("get", "/stay-interviews/recorded"), ("post", "/stay-interviews/new")}


@pytest.mark.parametrize("method, path", ROUTES)
@pytest.mark.parametrize("who", ["hr", "owner", "leader", "anon"])
def test_hr_reads_and_changes_owners_only_record_and_leadership_has_nothing(
    request: pytest.FixtureRequest, interview: StayInterview, database_url: str, method: str, path: str, who: str,
) -> None:
    url = path.format(id=interview.id)
    if who == "anon":
        client: TestClient = request.getfixturevalue("anon")
        response = client.get(url, follow_redirects=False) if method == "get" else \
            post_form(client, url, {}, follow_redirects=False)
    else:
        person: Persona = request.getfixturevalue(who)
        response = person.client.get(url, follow_redirects=False) if method == "get" else \
            person.post(url, {}, follow_redirects=False)
    if who == "hr" or (who == "owner" and (method, path) in OWNER_MAY):
        # An empty form is refused with messages (400); a delete goes through (303).
        assert response.status_code in {200, 303, 400}
    elif who == "anon":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == 403
    if who != "hr":
        assert count(database_url, StayInterview) == 1
        assert "Secret-words-about-leaving" not in response.text


def test_navigation_offers_the_list_to_hr_and_the_form_to_owners(hr: Persona, owner: Persona, leader: Persona) -> None:
    hr_page = hr.client.get("/").text
    assert 'href="/stay-interviews"' in hr_page
    owner_page = owner.client.get("/").text
    assert 'href="/stay-interviews/new"' in owner_page and 'href="/stay-interviews"' not in owner_page
    assert in_language("nl", "Record a stay interview") in owner_page
    assert "/stay-interviews" not in leader.client.get("/").text


# --- HR records, reads, edits, deletes --------------------------------------------------------


def test_hr_records_a_stay_interview_with_themes_and_the_audit_keeps_no_words(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int]
) -> None:
    form = valid_form(**org, might_leave="Private-marker: the overtime never stops.", notes="Calm talk.",
                      themes=[str(theme_ids["workload_autonomy"])])
    response = hr.post("/stay-interviews/new", form, follow_redirects=False)
    assert response.status_code == 303
    [saved] = rows(database_url, StayInterview)
    assert response.headers["location"] == f"/stay-interviews/{saved.id}"
    assert (saved.department_id, saved.job_family_id, saved.channel, saved.interviewer_id) == (
        org["department"].id, org["job_family"].id, "interview", hr.user.id)
    assert saved.held_on == clock.today() - timedelta(days=2)
    assert (saved.growth_score, saved.workload_score) == (4, 2)
    assert saved.might_leave == "Private-marker: the overtime never stops."
    assert tags(database_url, saved.id) == {"workload_autonomy"}
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "stay_interview")
    assert (event.verb, event.actor_id, event.entity_id) == ("create", hr.user.id, saved.id)
    assert event.changes["workload_score"] == 2
    assert event.changes["themes"] == [theme_ids["workload_autonomy"]]
    assert event.changes["might_leave"] == "41 characters"
    assert event.changes["notes"] == "10 characters"
    assert "Private-marker" not in str(event.changes) and "Calm talk" not in str(event.changes)

    page = hr.client.get(f"/stay-interviews/{saved.id}").text
    assert "Private-marker: the overtime never stops." in page and "Calm talk." in page
    listed = hr.client.get("/stay-interviews").text
    assert f'href="/stay-interviews/{saved.id}"' in listed and "Workload and autonomy" in listed


def test_stay_suggestions_read_negation_and_contrast_as_the_exit_form_does(
    hr: Persona, org: dict[str, Any], theme_ids: dict[str, int]
) -> None:
    form = valid_form(**org, language="nl", keeps_here="De collega's.",
                      might_leave="Het loon is niet het probleem, maar de werkdruk wordt te hoog.",
                      should_change="", growth_score="4", workload_score="4", intent="suggest")
    page = hr.post("/stay-interviews/new", form).text
    workload = re.search(rf'id="suggestion-{theme_ids["workload_autonomy"]}">(.*?)</p>', page, re.DOTALL)
    assert workload and "<mark>werkdruk</mark>" in workload.group(1)
    assert f'id="suggestion-{theme_ids["pay_benefits"]}"' not in page


def test_stay_suggestions_use_the_word_senses_of_the_exit_form_in_informal_flemish(
    hr: Persona, org: dict[str, Any], theme_ids: dict[str, int]
) -> None:
    # Becoming a "ploegbaas" is a step up (not a complaint about one's boss); learning nothing any more is growth.
    form = valid_form(**org, language="nl", keeps_here="De ploeg is tof.",
                      might_leave="'k Wil ploegbaas worden, maar 'k leer hier niks meer bij.",
                      should_change="", growth_score="4", workload_score="4", intent="suggest")
    page = hr.post("/stay-interviews/new", form).text
    growth = re.search(rf'id="suggestion-{theme_ids["growth_career"]}">(.*?)</p>', page, re.DOTALL)
    assert growth and "<mark>ploegbaas</mark>" in growth.group(1)
    assert "<mark>leer hier niks meer bij</mark>" in growth.group(1)
    for code in ("management", "training_onboarding", "culture_engagement"):
        assert f'id="suggestion-{theme_ids[code]}"' not in page, code


def test_suggestions_come_from_what_might_make_someone_leave_and_low_scores_not_from_what_keeps_them(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int]
) -> None:
    form = valid_form(**org, keeps_here="A good salary and nice colleagues.",
                      might_leave="No career path in sight.", should_change="", growth_score="4",
                      workload_score="1", intent="suggest")
    page = hr.post("/stay-interviews/new", form)
    assert page.status_code == 200
    assert count(database_url, StayInterview) == 0
    growth = re.search(rf'id="suggestion-{theme_ids["growth_career"]}">(.*?)</p>', page.text, re.DOTALL)
    workload = re.search(rf'id="suggestion-{theme_ids["workload_autonomy"]}">(.*?)</p>', page.text, re.DOTALL)
    assert growth and "<mark>career</mark>" in growth.group(1)
    assert workload and "My workload is manageable 1/5" in workload.group(1)
    # What keeps someone here is not a problem: "salary" there suggests nothing.
    assert f'id="suggestion-{theme_ids["pay_benefits"]}"' not in page.text
    assert f'value="{theme_ids["growth_career"]}" checked' not in page.text

    htmx = hr.post("/stay-interviews/new", form, headers={"hx-request": "true"})
    assert htmx.text.lstrip().startswith('<fieldset class="group" id="themes-field"')
    assert "Tick the themes this person raised." in htmx.text


def _future() -> str:
    return (clock.today() + timedelta(days=1)).isoformat()


BAD_INPUT = [
    ({"held_on": ""}, "held_on", "Enter the date of the conversation."),
    ({"held_on": "yesterday"}, "held_on", "Enter the date as year-month-day"),
    ({"held_on": _future()}, "held_on", "The conversation cannot be in the future."),
    ({"held_on": "1999-12-31"}, "held_on", "Enter a date after 2000-01-01."),
    ({"keeps_here": "  "}, "keeps_here", "Answer this question."),
    ({"might_leave": ""}, "might_leave", "Answer this question."),
    ({"should_change": "x" * 5001}, "should_change", "Use at most 5000 characters (this answer has 5001)."),
    ({"growth_score": "6"}, "growth_score", "Choose a score from 1 to 5."),
    ({"workload_score": ""}, "workload_score", "Choose a score from 1 to 5."),
    ({"recognition_score": "2.5"}, "recognition_score", "Choose a score from 1 to 5."),
    ({"tenure_band": "forever"}, "tenure_band", "Choose one of the answers."),
    ({"department_id": "999"}, "department_id", "Choose a department from the list."),
    ({"job_family_id": "x"}, "job_family_id", "Choose a job family from the list."),
    ({"channel": "fax"}, "channel", "Choose one of the answers."),
    ({"language": "de"}, "language", "Choose one of the answers."),
    ({"themes": ["9999"]}, "themes", "Choose themes from the list."),
]


@pytest.mark.parametrize("change, field, message", BAD_INPUT)
def test_bad_input_is_explained_in_the_form_and_nothing_is_saved(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int],
    change: dict[str, Any], field: str, message: str,
) -> None:
    form = valid_form(**org, themes=[str(theme_ids["growth_career"])], keeps_here="Kept as typed: é&ü")
    form.update(change)
    response = hr.post("/stay-interviews/new", form)
    assert response.status_code == 400
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', response.text, re.DOTALL)
    assert error, f"no error shown for {field}"
    assert message in html.unescape(error.group(1))
    assert 'class="error-summary" role="alert"' in response.text
    if field != "keeps_here":
        assert "Kept as typed: é&amp;ü" in response.text
    assert count(database_url, StayInterview) == 0
    assert count(database_url, StayInterviewTheme) == 0
    assert count(database_url, AuditEvent, AuditEvent.entity == "stay_interview") == 0


def test_hr_edits_a_stay_interview_and_the_change_is_audited_without_words(
    hr: Persona, org: dict[str, Any], add_stay_interview: Callable[..., StayInterview], database_url: str,
    theme_ids: dict[str, int],
) -> None:
    interview = add_stay_interview(**org, themes=["pay_benefits"], might_leave="Old words")
    edit_page = hr.client.get(f"/stay-interviews/{interview.id}/edit").text
    assert f'value="{theme_ids["pay_benefits"]}" checked' in edit_page and ">Old words</textarea>" in edit_page
    form = valid_form(**org, held_on=interview.held_on.isoformat(), might_leave="New words!", growth_score="1",
                      themes=[str(theme_ids["growth_career"])])
    response = hr.post(f"/stay-interviews/{interview.id}/edit", form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/stay-interviews/{interview.id}"
    [saved] = rows(database_url, StayInterview)
    assert (saved.might_leave, saved.growth_score) == ("New words!", 1)
    assert saved.updated_at > interview.updated_at
    assert tags(database_url, interview.id) == {"growth_career"}
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "update")
    assert event.changes["growth_score"] == [3, 1]
    assert event.changes["might_leave"] == ["9 characters", "10 characters"]
    assert event.changes["themes"] == [[theme_ids["pay_benefits"]], [theme_ids["growth_career"]]]
    assert "New words" not in str(event.changes) and "Old words" not in str(event.changes)


def test_a_failed_edit_changes_nothing(
    hr: Persona, org: dict[str, Any], add_stay_interview: Callable[..., StayInterview], database_url: str,
    theme_ids: dict[str, int],
) -> None:
    interview = add_stay_interview(**org, themes=["pay_benefits"])
    form = valid_form(**org, growth_score="1", held_on=_future(), themes=[str(theme_ids["management"])])
    assert hr.post(f"/stay-interviews/{interview.id}/edit", form).status_code == 400
    [saved] = rows(database_url, StayInterview)
    assert saved.growth_score == 3
    assert tags(database_url, interview.id) == {"pay_benefits"}
    assert count(database_url, AuditEvent, AuditEvent.verb == "update") == 0


def test_hr_deletes_a_stay_interview_with_its_tags_and_the_words_in_its_audit_trail(
    hr: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int]
) -> None:
    hr.post("/stay-interviews/new", valid_form(**org, themes=[str(theme_ids["management"])]))
    [interview] = rows(database_url, StayInterview)
    hr.post(f"/stay-interviews/{interview.id}/edit", valid_form(**org, growth_score="5"))
    response = hr.post(f"/stay-interviews/{interview.id}/delete", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/stay-interviews"
    assert count(database_url, StayInterview) == 0
    assert count(database_url, StayInterviewTheme) == 0
    events = rows(database_url, AuditEvent, AuditEvent.entity == "stay_interview")
    assert [(event.verb, event.changes) for event in events] == [("create", {}), ("update", {}), ("delete", {})]
    assert hr.client.get(f"/stay-interviews/{interview.id}").status_code == 404


@pytest.mark.parametrize("path", ["/stay-interviews/999", "/stay-interviews/99999999999/edit", "/stay-interviews/0"])
def test_unknown_stay_interviews_are_not_found(hr: Persona, path: str) -> None:
    assert hr.client.get(path).status_code == 404
    assert hr.post("/stay-interviews/4294967296/delete").status_code == 404


def test_hr_exports_one_stay_interview_as_a_json_file(
    hr: Persona, org: dict[str, Any], add_stay_interview: Callable[..., StayInterview], database_url: str
) -> None:
    interview = add_stay_interview(**org, themes=["workload_autonomy"], language="fr", held_on=date(2025, 1, 31),
                                   keeps_here="L'équipe.", might_leave="La charge de travail.", notes="Calme.")
    response = hr.client.get(f"/stay-interviews/{interview.id}/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="stay-interview-{interview.id}.json"'
    assert response.headers["cache-control"] == "no-store"
    exported = response.json()
    assert (exported["stay_interview"], exported["department"], exported["held_on"]) == (
        interview.id, "Production", "2025-01-31")
    assert (exported["keeps_here"], exported["might_leave"], exported["notes"]) == (
        "L'équipe.", "La charge de travail.", "Calme.")
    assert exported["workload_score"] == 3
    [theme] = rows(database_url, Theme, Theme.code == "workload_autonomy")
    assert exported["themes"] == [theme.name_fr]
    # Default retention, counted from the day of the conversation: free text 24 months, the interview 60.
    assert (exported["free_text_erased_on"], exported["interview_erased_on"]) == ("2027-01-31", "2030-01-31")
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "export")
    assert (event.entity, event.actor_id, event.changes) == ("stay_interview", hr.user.id, {})


# --- the list ---------------------------------------------------------------------------------


def test_the_list_filters_and_pages_newest_first(
    hr: Persona, make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    add_stay_interview: Callable[..., StayInterview], theme_ids: dict[str, int],
) -> None:
    production, it = make_department("Production"), make_department("IT")
    operators, developers = make_job_family("Operators"), make_job_family("Developers")
    today = clock.today()
    first = add_stay_interview(department=production, job_family=operators, themes=["workload_autonomy"],
                               held_on=today - timedelta(days=3))
    second = add_stay_interview(department=it, job_family=developers, themes=["growth_career"], channel="survey",
                                held_on=today - timedelta(days=90))
    older = [add_stay_interview(department=it, job_family=operators, held_on=today - timedelta(days=200 + day))
             for day in range(25)]

    def listed(query: str) -> list[int]:
        page = hr.client.get(f"/stay-interviews?{query}")
        assert page.status_code == 200
        return [int(found) for found in re.findall(r'href="/stay-interviews/(\d+)"', page.text)]

    assert listed("") == [first.id, second.id, *[item.id for item in older[:23]]]
    assert listed("page=2") == [item.id for item in older[23:]]
    assert listed(f"department={production.id}") == [first.id]
    assert listed(f"theme={theme_ids['growth_career']}") == [second.id]
    assert listed("channel=survey") == [second.id]
    assert listed(f"start={(today - timedelta(days=100)).isoformat()}") == [first.id, second.id]
    assert listed(f"job_family={operators.id}&start={(today - timedelta(days=200)).isoformat()}") == [
        first.id, older[0].id]
    partial = hr.client.get("/stay-interviews?channel=survey", headers={"hx-request": "true"})
    assert partial.text.lstrip().startswith('<section id="results"') and "HX-Request" in partial.headers["vary"]
    # The count in the reader's language and number, worded for stay interviews.
    assert "27 stay interviews" in hr.client.get("/stay-interviews?lang=en").text
    assert "1 entretien de fidélisation" in hr.client.get("/stay-interviews?channel=survey&lang=fr").text


# --- a manager records, and reads nothing back ------------------------------------------------


def test_an_owner_records_a_stay_interview_sees_a_confirmation_and_never_the_answers(
    owner: Persona, org: dict[str, Any], database_url: str, theme_ids: dict[str, int]
) -> None:
    form_page = owner.client.get("/stay-interviews/new").text
    assert '<html lang="nl">' in form_page
    assert in_language("nl", "What could make you leave?") in form_page
    # No theme tagging, no channel: those are HR's.
    assert 'name="themes"' not in form_page and 'name="channel"' not in form_page
    form = valid_form(**org, language="nl", might_leave="Owner-marker: de werkdruk blijft stijgen.",
                      channel="survey", themes=[str(theme_ids["pay_benefits"])])
    response = owner.post("/stay-interviews/new", form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/stay-interviews/recorded"
    confirmation = owner.client.get(response.headers["location"])
    assert confirmation.status_code == 200
    assert in_language("nl", "Stay interview recorded") in confirmation.text
    assert "Owner-marker" not in confirmation.text

    [saved] = rows(database_url, StayInterview)
    assert (saved.channel, saved.interviewer_id, saved.language) == ("interview", owner.user.id, "nl")
    assert saved.might_leave == "Owner-marker: de werkdruk blijft stijgen."
    assert tags(database_url, saved.id) == set()
    [event] = rows(database_url, AuditEvent, AuditEvent.entity == "stay_interview")
    assert (event.verb, event.actor_id) == ("create", owner.user.id)
    assert "Owner-marker" not in str(event.changes)
    for path in ("/stay-interviews", f"/stay-interviews/{saved.id}", f"/stay-interviews/{saved.id}/export"):
        refused = owner.client.get(path)
        assert refused.status_code == 403 and "Owner-marker" not in refused.text


def test_an_owner_with_mistakes_gets_the_form_back_and_nothing_is_saved(
    owner: Persona, org: dict[str, Any], database_url: str
) -> None:
    response = owner.post("/stay-interviews/new", valid_form(**org, workload_score="9", might_leave="Own words"))
    assert response.status_code == 400
    assert "Own words" in response.text  # their own typing, not yet saved, comes back to fix it
    assert re.search(r'<p class="error" id="workload_score-error">', response.text)
    assert count(database_url, StayInterview) == 0
    assert count(database_url, AuditEvent, AuditEvent.entity == "stay_interview") == 0


# --- the stay survey --------------------------------------------------------------------------


def stay_answers(**overrides: str) -> dict[str, str]:
    return {
        "tenure_band": "5to10", "keeps_here": "Mes collègues.", "might_leave": "Pas d'évolution possible.",
        "should_change": "Un plan de carrière.", "growth_score": "1", "recognition_score": "3",
        "manager_support_score": "4", "workload_score": "3", **overrides,
    }


def _new_link(hr: Persona, org: dict[str, Any], **form: str) -> str:
    fields = {"department_id": str(org["department"].id), "job_family_id": str(org["job_family"].id),
              "language": "fr", **form}
    assert hr.post("/surveys", fields, follow_redirects=False).status_code == 303
    return re.search(r'id="new-link" name="new_link" type="text" value="[^"]*/survey/([^"]+)"',
                     hr.client.get("/surveys").text).group(1)


def midnight_utc() -> Any:
    return clock.utcnow().replace(hour=0, minute=0, second=0, microsecond=0)


def test_a_stay_link_is_answered_once_and_nothing_joins_the_link_to_the_answers(
    hr: Persona, anon: TestClient, org: dict[str, Any], database_url: str
) -> None:
    token = _new_link(hr, org, kind="stay")
    [made] = rows(database_url, AuditEvent, AuditEvent.entity == "survey_invitation")
    assert made.changes["kind"] == "stay" and made.changes["department_id"] == org["department"].id
    page = anon.get(f"/survey/{token}")
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert in_language("fr", "Stay survey") in page.text
    assert 'name="keeps_here"' in page.text and 'name="reason_for_leaving"' not in page.text
    for hr_only in ('name="notes"', 'name="themes"', 'name="department_id"', 'name="channel"', 'name="held_on"'):
        assert hr_only not in page.text

    response = post_form(anon, f"/survey/{token}?lang=fr", stay_answers(), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/survey-thanks?lang=fr&kind=stay"
    thanks = html.unescape(anon.get(response.headers["location"]).text)
    assert in_language("fr", "Your feedback has been received. Together with the answers of your colleagues, "
                             "it helps us decide what to improve.") in thanks

    day = midnight_utc()
    # The answers wait for the day to be over, then become a stay interview.
    assert count(database_url, StayInterview) == 0
    deliver_survey_answers(database_url)
    [interview] = rows(database_url, StayInterview)
    assert (interview.channel, interview.language, interview.department_id, interview.job_family_id) == (
        "survey", "fr", org["department"].id, org["job_family"].id)
    assert interview.interviewer_id is None and interview.notes == ""
    assert (interview.might_leave, interview.growth_score) == ("Pas d'évolution possible.", 1)
    assert interview.held_on == clock.today()
    assert interview.created_at == interview.updated_at == day
    assert count(database_url, ExitInterview) == 0
    [invitation] = rows(database_url, SurveyInvitation)
    assert invitation.used_at == day and invitation.kind == "stay"
    assert (invitation.department_id, invitation.job_family_id, invitation.created_by_id) == (None, None, None)
    [answered] = rows(database_url, AuditEvent, AuditEvent.entity == "stay_interview")
    assert (answered.verb, answered.actor_id, answered.ip, answered.created_at) == ("create", None, None, day)
    assert answered.changes == {"channel": "survey"}
    [made] = rows(database_url, AuditEvent, AuditEvent.entity == "survey_invitation")
    assert (made.actor_id, made.ip, made.changes, made.created_at) == (None, None, {}, day)

    # A second use is refused and saves nothing.
    again = anon.get(f"/survey/{token}")
    assert again.status_code == 410 and in_language("fr", "This survey link has already been used") in again.text
    assert post_form(anon, f"/survey/{token}", stay_answers(might_leave="Second try")).status_code == 410
    deliver_survey_answers(database_url)
    assert count(database_url, StayInterview) == 1
    links = hr.client.get("/surveys?status=used").text
    assert "Used (1)" in links and "Stay survey" in links and "Production" not in links.split("Links sent")[1]


def test_a_stay_survey_with_mistakes_is_shown_again_and_the_link_stays_usable(
    hr: Persona, anon: TestClient, org: dict[str, Any], database_url: str
) -> None:
    token = _new_link(hr, org, kind="stay")
    response = post_form(anon, f"/survey/{token}?lang=fr", stay_answers(workload_score="0", keeps_here=""))
    assert response.status_code == 400 and '<html lang="fr">' in response.text
    error = re.search(r'<p class="error" id="workload_score-error">(.*?)</p>', response.text, re.DOTALL)
    assert error and html.unescape(error.group(1)) == in_language(
        "fr", "Choose a score from %(low)d to %(high)d.") % {"low": 1, "high": 5}
    assert 'id="keeps_here-error"' in response.text and "Pas d&#39;évolution possible." in response.text
    assert count(database_url, StayInterview) == 0
    [invitation] = rows(database_url, SurveyInvitation)
    assert invitation.used_at is None
    assert post_form(anon, f"/survey/{token}", stay_answers(), follow_redirects=False).status_code == 303


def test_links_are_exit_links_unless_hr_chooses_the_stay_survey(
    hr: Persona, anon: TestClient, org: dict[str, Any], database_url: str
) -> None:
    form = hr.client.get("/surveys").text
    assert '<select id="kind" name="kind"' in form
    token = _new_link(hr, org)  # a form without a kind, as before stay surveys existed
    assert 'name="reason_for_leaving"' in anon.get(f"/survey/{token}").text
    refused = hr.post("/surveys", {"department_id": str(org["department"].id),
                                   "job_family_id": str(org["job_family"].id), "language": "en", "kind": "entry"})
    assert refused.status_code == 400 and '<p class="error" id="kind-error">' in refused.text
    assert [invitation.kind for invitation in rows(database_url, SurveyInvitation)] == ["exit"]


# --- retention --------------------------------------------------------------------------------


def test_retention_empties_stay_free_text_then_deletes_whole_stay_interviews(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str, org: dict[str, Any],
    add_stay_interview: Callable[..., StayInterview],
) -> None:
    today = date(2026, 11, 28)
    words = {"keeps_here": "Marker-stay-words", "might_leave": "Pay.", "should_change": "More.", "notes": "Calm."}
    made = {
        "recent": add_stay_interview(**org, held_on=date(2026, 10, 1), themes=["pay_benefits"], **words),
        # 24 months after 28 Nov 2024 is today: its free text is due; the day after is not.
        "text_due": add_stay_interview(**org, held_on=date(2024, 11, 28), themes=["management"], **words),
        "text_not_yet": add_stay_interview(**org, held_on=date(2024, 11, 29), **words),
        "gone": add_stay_interview(**org, held_on=date(2021, 11, 28), themes=["management"], **words),
    }

    async def audited(session):
        for interview in made.values():
            session.add(AuditEvent(verb="create", entity="stay_interview", entity_id=interview.id,
                                   changes={"growth_score": 3}))

    run(audited, database_url)
    with monkeypatch.context() as patch:
        for key in [key for key in os.environ if key.startswith("ACTIONTRACK_")]:
            patch.delenv(key)
        patch.setenv("DATABASE_URL", database_url)
        patch.setenv("ACTIONTRACK_SECRET_KEY", SECRET)
        code = off_loop(lambda: main(["retention", "--date", today.isoformat()]))
    assert code in (None, 0)
    lines = capsys.readouterr().out.splitlines()
    assert "stay interviews: 1 held on or before 2021-11-28 were deleted (released figures stay)" in lines
    assert ("stay free text: 1 stay interviews held on or before 2024-11-28 were emptied "
            "(0 answers to extra questions)") in lines
    left = {interview.id: interview for interview in rows(database_url, StayInterview)}
    assert set(left) == {made["recent"].id, made["text_due"].id, made["text_not_yet"].id}
    due = left[made["text_due"].id]
    assert (due.keeps_here, due.might_leave, due.should_change, due.notes) == ("", "", "", "")
    assert due.growth_score == 3  # the scores stay until the interview goes
    assert left[made["text_not_yet"].id].keeps_here == "Marker-stay-words"
    assert count(database_url, StayInterviewTheme, StayInterviewTheme.stay_interview_id == made["gone"].id) == 0
    [scrubbed] = rows(database_url, AuditEvent, AuditEvent.entity_id == made["gone"].id,
                      AuditEvent.entity == "stay_interview", AuditEvent.verb == "create")
    assert scrubbed.changes == {}
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "retention")
    assert (event.entity, event.actor_id) == ("stay_interview", None)
    assert (event.changes["interviews_deleted"], event.changes["free_text_emptied"]) == (1, 1)


def test_the_stay_interview_page_says_when_it_will_be_erased(
    hr: Persona, org: dict[str, Any], add_stay_interview: Callable[..., StayInterview]
) -> None:
    interview = add_stay_interview(**org, held_on=date(2025, 3, 31))
    page = hr.client.get(f"/stay-interviews/{interview.id}").text
    retention = re.search(r'<p id="retention">\s*(.*?)\s*<span', page, re.DOTALL)
    assert retention and html.unescape(retention.group(1)) == (
        "Free-text answers are kept until 31 Mar 2027; the interview until 31 Mar 2030.")


def test_users_other_than_hr_never_see_stay_answers_escaped_or_not(
    hr: Persona, org: dict[str, Any], add_stay_interview: Callable[..., StayInterview]
) -> None:
    script = "<script>alert('stay')</script>"
    interview = add_stay_interview(**org, keeps_here=script, might_leave=f"{script} overtime", notes=script)
    for path in (f"/stay-interviews/{interview.id}", f"/stay-interviews/{interview.id}/edit"):
        page = hr.client.get(path).text
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#39;stay&#39;)&lt;/script&gt;" in page

