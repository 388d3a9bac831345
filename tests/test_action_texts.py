"""Texts in three languages: action titles and public summaries, department and job-family names.

Readers see their language, else another one (texts.FALLBACK_ORDER) marked with `lang`: on /changes
and its feed, in calendars, reminders, the status page and the API. The action form shows the three
languages side by side with a hint per missing one.
"""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import text

from actiontrack import clock
from actiontrack.clock import utcnow
from actiontrack.disclosure import Disclosure
from actiontrack.models import ActionItem, AuditEvent, Department, Role, User
from actiontrack.reminders.job import run_reminders
from actiontrack.settings import Settings
from actiontrack.status.figures import published_missing_languages
from actiontrack.texts import FALLBACK_ORDER, Localized, localized

from browser_checks import sign_in_page
from conftest import (
    DatabaseFactory,
    LiveServer,
    Persona,
    SmtpServer,
    count,
    migrate,
    off_loop,
    route_paths,
    rows,
    run,
)

TODAY = clock.today()
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGS = ("nl", "fr", "en")


def action_form(owner_id: int, **texts: str) -> dict[str, str]:
    return {
        "title_nl": "", "title_fr": "", "title_en": "", "public_summary_nl": "", "public_summary_fr": "",
        "public_summary_en": "", "description": "", "scope": "company", "owner_id": str(owner_id),
        "deadline": (TODAY + timedelta(days=60)).isoformat(), "success_measure": "", **texts,
    }


@pytest.fixture
def bilingual(make_action: Callable[..., ActionItem], hr: Persona, owner: Persona) -> ActionItem:
    """A published action written in Dutch and French only."""
    return make_action(
        owner=owner.user, created_by=hr.user, title="", title_nl="Vaste peter voor elke starter",
        title_fr="Un parrain pour chaque nouveau", public_summary_nl="Elke nieuwe collega krijgt een peter.",
        public_summary_fr="Chaque nouveau collègue a un parrain.", published=True, published_at=utcnow(),
    )


# --- the rule -----------------------------------------------------------------------------------


@given(st.dictionaries(st.sampled_from(LANGS), st.sampled_from(["", "tekst", "texte", "text"])),
       st.sampled_from(LANGS))
def test_a_reader_sees_their_language_else_the_first_other_one_in_the_fixed_order(
    texts: dict[str, str], language: str
) -> None:
    shown = localized(texts, language)
    if texts.get(language):
        assert shown == Localized(texts[language], language)
    elif any(texts.values()):
        expected = next(other for other in FALLBACK_ORDER if texts.get(other))
        assert shown == Localized(texts[expected], expected)
        assert shown.differs_from(language)
    else:
        assert shown == Localized("", None)


# --- the form -----------------------------------------------------------------------------------


def test_hr_writes_a_title_in_two_languages_and_the_form_says_what_english_readers_see(
    hr: Persona, owner: Persona, database_url: str
) -> None:
    response = hr.post("/actions/new", action_form(owner.user.id, title_nl="Peter voor starters",
                                                   title_fr="Parrain pour les nouveaux"), follow_redirects=False)
    assert response.status_code == 303, response.text
    [action] = rows(database_url, ActionItem)
    assert action.titles() == {"nl": "Peter voor starters", "fr": "Parrain pour les nouveaux", "en": ""}
    [created] = rows(database_url, AuditEvent, AuditEvent.verb == "create", AuditEvent.entity == "action")
    assert created.changes["title_fr"] == "Parrain pour les nouveaux"
    page = hr.client.get(f"/actions/{action.id}/edit").text
    for language in LANGS:
        assert f'id="title_{language}" name="title_{language}"' in page
    assert "Missing in English: staff reading English will see the Dutch text." in page
    assert "Missing in Dutch" not in page and "Missing in French" not in page


@pytest.mark.parametrize("texts, message", [
    ({}, "Enter a title in at least one language."),
    ({"title_nl": "   ", "title_fr": "\t"}, "Enter a title in at least one language."),
    ({"title_nl": "Titel", "title_fr": "x" * 201}, "Use at most 200 characters."),
    ({"title_en": "Title", "public_summary_fr": "x" * 5001}, "Use at most 5000 characters."),
    ({"title_en": "Title", "published": "on"}, "Write a public summary before publishing."),
])
def test_bad_titles_are_explained_in_the_form_and_nothing_is_saved(
    hr: Persona, owner: Persona, database_url: str, texts: dict[str, str], message: str
) -> None:
    response = hr.post("/actions/new", action_form(owner.user.id, description="Keep me", **texts))
    assert response.status_code == 400
    assert message in response.text
    assert "Keep me" in response.text
    assert count(database_url, ActionItem) == 0
    assert count(database_url, AuditEvent, AuditEvent.entity == "action") == 0


def test_an_owner_cannot_change_the_texts(owner: Persona, bilingual: ActionItem, database_url: str) -> None:
    response = owner.post(f"/actions/{bilingual.id}/edit",
                          {**action_form(owner.user.id, title_en="Mine now"), "version": "1"})
    assert response.status_code == 403
    assert rows(database_url, ActionItem)[0].title_en == ""


# --- /changes, its feed and its cache --------------------------------------------------------------


def change_heading(page: str, action_id: int) -> str:
    match = re.search(rf'<article class="card change" id="change-{action_id}">'
                      r'\s*(<h3[^>]*>[^<]*</h3>)\s*(<p[^>]*>[^<]*</p>)', page)
    assert match, page
    return match.group(1) + match.group(2)


def test_changes_speak_the_readers_language_and_mark_a_fallback(anon: TestClient, bilingual: ActionItem) -> None:
    assert change_heading(anon.get("/changes?lang=nl").text, bilingual.id) == (
        "<h3>Vaste peter voor elke starter</h3><p>Elke nieuwe collega krijgt een peter.</p>")
    assert change_heading(anon.get("/changes?lang=fr").text, bilingual.id) == (
        "<h3>Un parrain pour chaque nouveau</h3><p>Chaque nouveau collègue a un parrain.</p>")
    # English readers get the first of the country's languages, marked as Dutch.
    assert change_heading(anon.get("/changes?lang=en").text, bilingual.id) == (
        '<h3 lang="nl">Vaste peter voor elke starter</h3><p lang="nl">Elke nieuwe collega krijgt een peter.</p>')


def test_the_feed_marks_a_fallback_title_with_xml_lang(anon: TestClient, bilingual: ActionItem) -> None:
    for language, title, marked in (("fr", "Un parrain pour chaque nouveau", None),
                                    ("en", "Vaste peter voor elke starter", "nl")):
        feed = ET.fromstring(anon.get(f"/changes.atom?lang={language}").content)
        assert feed.get(XML_LANG) == language
        [entry] = feed.findall(f"{ATOM}entry")
        assert (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}title").get(XML_LANG)) == (title, marked)
        assert entry.find(f"{ATOM}summary").get(XML_LANG) == marked


def test_editing_any_language_or_a_department_name_shows_at_once_on_the_cached_page(
    anon: TestClient, hr: Persona, bilingual: ActionItem, make_department: Callable[..., Department],
    database_url: str,
) -> None:
    english = anon.get("/changes?lang=en")
    assert "Vaste peter voor elke starter" in english.text
    assert "Un parrain pour chaque nouveau" in anon.get("/changes?lang=fr").text
    form = action_form(bilingual.owner_id, title_nl="Peter of meter voor elke starter",
                       title_fr="Un parrain ou une marraine", public_summary_nl="Elke starter krijgt een peter.",
                       public_summary_fr="Chaque nouveau a un parrain.")
    assert hr.post(f"/actions/{bilingual.id}/edit", {**form, "version": "1"},
                   follow_redirects=False).status_code == 303
    # English shows the Dutch fallback: a Dutch edit changes the English page too, and its ETag.
    again = anon.get("/changes?lang=en", headers={"if-none-match": english.headers["etag"]})
    assert again.status_code == 200 and "Peter of meter voor elke starter" in again.text
    assert "Un parrain ou une marraine" in anon.get("/changes?lang=fr").text

    retail = make_department("Retail stores")
    action = rows(database_url, ActionItem)[0]
    form = {**form, "scope": "department", "department_id": str(retail.id), "version": str(action.version)}
    assert hr.post(f"/actions/{bilingual.id}/edit", form, follow_redirects=False).status_code == 303
    assert "Retail stores" in anon.get("/changes?lang=fr").text
    response = hr.post(f"/organisation/department/{retail.id}",
                       {"name": "Retail stores", "headcount": "100", "active": "on", "name_fr": "Magasins",
                        "name_nl": "Winkels"}, follow_redirects=False)
    assert response.status_code == 303
    french = anon.get("/changes?lang=fr").text
    assert "Magasins" in french and "Retail stores" not in french
    assert "Winkels" in anon.get("/changes?lang=nl").text
    # No English name: English readers see the key name.
    assert "Retail stores" in anon.get("/changes?lang=en").text
    [renamed] = rows(database_url, AuditEvent, AuditEvent.entity == "department", AuditEvent.verb == "update")
    assert renamed.changes["name_fr"] == ["", "Magasins"]


def test_department_names_per_language_are_checked_and_only_hr_edits_them(
    hr: Persona, leader: Persona, make_department: Callable[..., Department], database_url: str
) -> None:
    retail = make_department("Retail stores")
    form = {"name": "Retail stores", "headcount": "100", "active": "on", "name_fr": "x" * 121}
    response = hr.post(f"/organisation/department/{retail.id}", form)
    assert response.status_code == 400 and "Use at most 120 characters." in response.text
    assert leader.post(f"/organisation/department/{retail.id}", {**form, "name_fr": "Magasins"}).status_code == 403
    assert rows(database_url, Department)[0].name_fr == ""


# --- calendars, reminders, the status page -------------------------------------------------------------


def test_calendar_and_reminders_show_the_holders_language(
    owner: Persona, hr: Persona, make_action: Callable[..., ActionItem], settings: Settings, smtp_server: SmtpServer,
    anon: TestClient, database_url: str,
) -> None:
    french_only = make_action(owner=owner.user, created_by=hr.user, title="", title_fr="Formation au feedback",
                              deadline=TODAY + timedelta(days=7))
    both = make_action(owner=owner.user, created_by=hr.user, title="Team days", title_nl="Teamdagen",
                       deadline=TODAY + timedelta(days=7))
    page = owner.post("/calendar/feeds", {"scope": "own"}).text
    token = re.search(r'/calendar/([A-Za-z0-9_-]+)\.ics', page).group(1)
    calendar = Calendar.from_ical(anon.get(f"/calendar/{token}.ics").content)
    summaries = {str(event["UID"]).split("@")[0]: event["SUMMARY"] for event in calendar.walk("VEVENT")}
    by_title = {str(summary): summary for summary in summaries.values()}
    # Charlie reads Dutch: the Dutch title plain, the French one tagged as French.
    assert set(by_title) == {"Formation au feedback", "Teamdagen"}
    assert by_title["Formation au feedback"].params.get("LANGUAGE") == "fr"
    assert "LANGUAGE" not in by_title["Teamdagen"].params

    remind_settings = settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none",
        "mail_from": "actiontrack@example.com", "base_url": "https://actiontrack.example", "webhook_retries": 0})
    off_loop(lambda: asyncio.run(run_reminders(settings=remind_settings, disclosure=Disclosure(remind_settings),
                                               paths=route_paths(), today=TODAY)))
    subjects = sorted(message["Subject"] for message in smtp_server.inbox.to("charlie.owner@example.com")
                      if message["X-Actiontrack-Kind"] == "due_soon")
    # In Dutch, with the French title where there is no Dutch one; never the English one.
    assert subjects == ["Deadline over 7 dagen: Formation au feedback", "Deadline over 7 dagen: Teamdagen"]
    assert {french_only.id, both.id} == {action.id for action in rows(database_url, ActionItem)}


def test_status_lists_published_actions_missing_a_language_for_hr_and_leadership(
    hr: Persona, leader: Persona, owner: Persona, bilingual: ActionItem, make_action: Callable[..., ActionItem],
) -> None:
    complete = make_action(owner=owner.user, created_by=hr.user, title="Complete", title_nl="Volledig",
                           title_fr="Complet", public_summary_nl="nl", public_summary_fr="fr", public_summary_en="en",
                           published=True, published_at=utcnow())
    unpublished = make_action(owner=owner.user, created_by=hr.user, title="Draft only")
    hr_page = hr.client.get("/status").text
    assert "Published actions missing a language" in hr_page
    listed = re.search(r'<ul id="missing-languages"[^>]*>(.*?)</ul>', hr_page, re.DOTALL).group(1)
    assert (f'href="/actions/{bilingual.id}/edit" lang="nl">Vaste peter voor elke starter</a>: missing in English'
            in listed)
    assert f"/actions/{complete.id}/" not in listed and f"/actions/{unpublished.id}/" not in listed
    # Bob reads French: the French title, a link he may open, and the languages named in French.
    leader_page = leader.client.get("/status").text
    assert "Actions publiées auxquelles il manque une langue" in leader_page
    assert f'href="/actions/{bilingual.id}">Un parrain pour chaque nouveau</a>\u00a0: manque en anglais' in leader_page
    assert owner.client.get("/status").status_code == 403


def test_status_shows_the_newest_actions_missing_a_language_and_counts_them_all(
    hr: Persona, owner: Persona, make_action: Callable[..., ActionItem], database_url: str,
) -> None:
    now = utcnow()
    lacking = [make_action(owner=owner.user, created_by=hr.user, title=f"English only {number}", public_summary_en="en",
                           published=True, published_at=now - timedelta(days=number)) for number in range(3)]
    make_action(owner=owner.user, created_by=hr.user, title="Cancelled", status="cancelled", published=True,
                published_at=now)
    make_action(owner=owner.user, created_by=hr.user, title="Complete", title_nl="Volledig", title_fr="Complet",
                public_summary_nl="nl", public_summary_fr="fr", public_summary_en="en", published=True,
                published_at=now)
    lines, total = run(lambda session: published_missing_languages(session, limit=2), database_url)
    assert [line.id for line in lines] == [lacking[0].id, lacking[1].id] and total == 3
    assert all(line.missing == ["nl", "fr"] for line in lines)
    lines, total = run(lambda session: published_missing_languages(session, limit=None), database_url)
    assert [line.id for line in lines] == [action.id for action in lacking] and total == 3


# --- the API ------------------------------------------------------------------------------------------


def test_api_round_trip_of_texts_per_language_keeps_title_working(
    hr: Persona, owner: Persona, make_api_token: Callable[..., str], anon: TestClient, make_user: Callable[..., User],
) -> None:
    headers = {"authorization": f"Bearer {make_api_token(hr.user)}"}
    response = anon.post("/api/v1/actions", headers=headers, json={
        "owner_id": owner.user.id, "deadline": (TODAY + timedelta(days=30)).isoformat(),
        "titles": {"nl": "Peter voor starters", "fr": "Parrain pour les nouveaux"},
        "public_summaries": {"fr": "Chaque nouveau a un parrain."},
    })
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["titles"] == {"nl": "Peter voor starters", "fr": "Parrain pour les nouveaux", "en": ""}
    assert body["public_summaries"] == {"nl": "", "fr": "Chaque nouveau a un parrain.", "en": ""}
    # Alice reads English: the best title for her is the Dutch one, and the API says so.
    assert (body["title"], body["title_language"]) == ("Peter voor starters", "nl")
    french = make_user(Role.HR, "francoise.hr@example.com", language="fr")
    read = anon.get(f"/api/v1/actions/{body['id']}",
                    headers={"authorization": f"Bearer {make_api_token(french)}"}).json()
    assert (read["title"], read["title_language"], read["public_summary"]) == (
        "Parrain pour les nouveaux", "fr", "Chaque nouveau a un parrain.")
    # The single `title` of older clients is written in the language given.
    legacy = anon.post("/api/v1/actions", headers=headers, json={
        "owner_id": owner.user.id, "deadline": (TODAY + timedelta(days=30)).isoformat(), "title": "Accueil",
        "language": "fr"}).json()
    assert legacy["titles"] == {"nl": "", "fr": "Accueil", "en": ""}
    missing = anon.post("/api/v1/actions", headers=headers, json={
        "owner_id": owner.user.id, "deadline": (TODAY + timedelta(days=30)).isoformat(), "titles": {"nl": ""}})
    assert missing.status_code == 400
    assert missing.json()["extra"] == [{"key": "title", "message": "Enter a title in at least one language.",
                                        "source": "body"}]


# --- the migration ----------------------------------------------------------------------------------


def test_migration_makes_existing_titles_the_english_texts(databases: DatabaseFactory) -> None:
    url = databases.empty()
    migrate(url, "0015")

    async def insert(session):
        await session.execute(text(
            "INSERT INTO app_user (email, display_name, role, language, active, is_demo, created_at, "
            "session_generation) VALUES ('a@example.com', 'A', 'hr', 'nl', true, false, CURRENT_TIMESTAMP, 0)"))
        await session.execute(text(
            "INSERT INTO action_item (title, description, public_summary, scope, owner_id, deadline, status, progress, "
            "success_measure, published, name_group_publicly, version, created_by_id, created_at, updated_at) "
            "VALUES ('Old title', '', 'Old summary', 'company', 1, '2030-01-01', 'planned', 0, '', true, false, 1, 1, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        await session.execute(text("INSERT INTO department (name, headcount, active) VALUES ('IT', 5, true)"))

    run(insert, url)
    migrate(url)
    [action] = rows(url, ActionItem)
    assert (action.titles(), action.public_summaries()) == (
        {"nl": "", "fr": "", "en": "Old title"}, {"nl": "", "fr": "", "en": "Old summary"})
    [department] = rows(url, Department)
    assert (department.name, department.names()) == ("IT", {"nl": "", "fr": "", "en": ""})
    databases.drop(url)


# --- in a browser ------------------------------------------------------------------------------------

@pytest.mark.browser
def test_hr_writes_dutch_and_french_and_readers_see_theirs_or_a_marked_fallback(
    page: Page, live_server: LiveServer, make_user: Callable[..., User]
) -> None:
    make_user(Role.HR, "texts.hr@example.com", name="Tess HR")
    owner = make_user(Role.OWNER, "texts.owner@example.com", name="Olivier Owner")
    sign_in_page(page, live_server, "texts.hr@example.com")
    page.goto(f"{live_server.url}/actions/new")
    page.get_by_role("textbox", name="Nederlands").first.fill("Peter voor elke starter")
    page.get_by_role("textbox", name="Français").first.fill("Un parrain pour chaque nouveau")
    page.locator("#public_summary_nl").fill("Elke nieuwe collega krijgt een peter.")
    page.locator("#public_summary_fr").fill("Chaque nouveau collègue a un parrain.")
    page.locator("#owner_id").select_option(str(owner.id))
    page.locator("#deadline").fill((TODAY + timedelta(days=40)).isoformat())
    page.get_by_label("Publish on the “what we changed” page for staff").check()
    page.get_by_role("button", name="Create action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peter voor elke starter")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "nl")
    page.get_by_role("link", name="Edit", exact=True).first.click()
    expect(page.locator("#missing-en")).to_have_text(
        "Missing in English: staff reading English will see the Dutch text.")

    page.context.clear_cookies()
    page.set_extra_http_headers({"accept-language": "fr"})
    page.goto(f"{live_server.url}/changes")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    french = page.get_by_role("heading", name="Un parrain pour chaque nouveau")
    expect(french).to_be_visible()
    expect(french).not_to_have_attribute("lang", re.compile(".+"))
    page.set_extra_http_headers({"accept-language": "en"})
    page.goto(f"{live_server.url}/changes?lang=en")
    dutch = page.get_by_role("heading", name="Peter voor elke starter")
    expect(dutch).to_have_attribute("lang", "nl")
    expect(page.get_by_text("Elke nieuwe collega krijgt een peter.")).to_have_attribute("lang", "nl")
