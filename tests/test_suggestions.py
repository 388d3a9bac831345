"""Suggested actions: a library per theme and language, offered on the action form, kept by HR on the themes page."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from alembic import command
from litestar.testing import TestClient
from sqlalchemy import inspect, select

from actiontrack import clock
from actiontrack.db import alembic_config, make_engine
from actiontrack.models import ActionItem, AuditEvent, Theme, ThemeSuggestion
from actiontrack.themes.suggested_actions import in_language

from conftest import DatabaseFactory, Persona, count, migrate, off_loop, post_form, rows, run

TODAY = clock.today()
SEEDED = ("pay_benefits", "management", "growth_career", "recognition", "training_onboarding",
          "workload_autonomy", "culture_engagement", "role_mismatch", "flexibility_balance", "other")
BUDDY = {"en": "A buddy for every new starter", "nl": "Een peter of meter voor elke nieuwe medewerker",
         "fr": "Un parrain ou une marraine pour chaque nouveau collaborateur"}


def library(url: str, theme_id: int, language: str | None = None) -> list[ThemeSuggestion]:
    where = [ThemeSuggestion.theme_id == theme_id]
    if language:
        where.append(ThemeSuggestion.language == language)

    async def query(session):
        found = await session.execute(select(ThemeSuggestion).where(*where)
                                      .order_by(ThemeSuggestion.position, ThemeSuggestion.id))
        return list(found.scalars())

    return run(query, url)


def audit_events(url: str) -> list[AuditEvent]:
    return rows(url, AuditEvent, AuditEvent.entity == "theme_suggestion")


def add_theme_with(url: str, suggestions: dict[str, str]) -> int:
    """A theme added later, with one suggestion per language given ({language: title})."""

    async def create(session):
        theme = Theme(code="mobility", name_nl="Mobiliteit", name_fr="Mobilité", name_en="Mobility", position=20)
        session.add(theme)
        await session.flush()
        session.add_all(ThemeSuggestion(theme_id=theme.id, language=language, position=1, title=title,
                                        success_measure=f"measure {language}")
                        for language, title in suggestions.items())
        return theme.id

    return run(create, url)


def field_value(page: str, name: str) -> str:
    """The value of a text input or the content of a textarea, unescaped."""
    found = re.search(rf'<input id="{name}" name="{name}"[^>]* value="([^"]*)"', page) or \
        re.search(rf'<textarea id="{name}" name="{name}"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert found, f"no field {name}"
    return html.unescape(found.group(1))


def radar_link(theme_id: int, **extra: Any) -> str:
    start, end = TODAY - timedelta(days=180), TODAY - timedelta(days=1)
    query = {"theme": theme_id, "scope": "company", "start": start.isoformat(), "end": end.isoformat(), **extra}
    return "/actions/new?" + "&".join(f"{name}={value}" for name, value in query.items())


def pick_links(page: str) -> dict[str, str]:
    """The pick links of the suggestion list, by the title they fill in."""
    links = re.findall(r'<strong>([^<]+)</strong>.*?<a href="([^"]+)" data-hx-get=', page, re.DOTALL)
    return {html.unescape(title): html.unescape(href) for title, href in links}


# --- the defaults -----------------------------------------------------------------------------------


def test_every_seeded_theme_has_two_or_three_suggestions_in_each_language(database_url: str, theme_ids) -> None:
    assert set(SEEDED) == set(theme_ids)
    for code in SEEDED:
        per_language = {language: library(database_url, theme_ids[code], language) for language in ("nl", "fr", "en")}
        sizes = {language: len(entries) for language, entries in per_language.items()}
        assert set(sizes.values()) <= {2, 3} and len(set(sizes.values())) == 1, (code, sizes)
        for entries in per_language.values():
            assert [entry.position for entry in entries] == list(range(1, len(entries) + 1))
            for entry in entries:
                assert entry.title and entry.description and entry.public_summary and entry.success_measure
                assert len(entry.title) <= 200
        # The three languages say different things in different words, not an untranslated copy.
        titles = [entry.title for language in ("nl", "fr", "en") for entry in per_language[language]]
        assert len(set(titles)) == len(titles), code
    buddies = {entry.language: entry.title for entry in library(database_url, theme_ids["training_onboarding"])
               if entry.position == 1}
    assert buddies == BUDDY


@pytest.fixture
def empty_url(databases: DatabaseFactory):
    url = databases.empty()
    yield url
    databases.drop(url)


def test_downgrade_removes_the_library_and_upgrade_brings_the_defaults_back(empty_url: str) -> None:
    def tables() -> set[str]:
        async def main() -> set[str]:
            engine = make_engine(empty_url)
            try:
                async with engine.connect() as connection:
                    return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
            finally:
                await engine.dispose()

        import asyncio

        return off_loop(lambda: asyncio.run(main()))

    migrate(empty_url)
    assert count(empty_url, ThemeSuggestion) == 78
    config = alembic_config(empty_url)
    config.attributes["configure_logger"] = False
    off_loop(lambda: command.downgrade(config, "0011"))
    assert "theme_suggestion" not in tables()
    assert count(empty_url, Theme) == 10
    migrate(empty_url)
    assert count(empty_url, ThemeSuggestion) == 78


def test_a_theme_added_later_starts_with_an_empty_library(hr: Persona, database_url: str) -> None:
    response = hr.post("/themes", {
        "name_nl": "Mobiliteit", "name_fr": "Mobilité", "name_en": "Mobility",
        "keywords_nl": "file", "keywords_fr": "parking", "keywords_en": "traffic",
    }, follow_redirects=False)
    assert response.status_code == 303
    theme = rows(database_url, Theme, Theme.code == "mobility")[0]
    assert library(database_url, theme.id) == []
    page = hr.client.get(f"/themes/{theme.id}/suggestions").text
    assert "No suggested actions in this language yet." in page
    assert re.search(rf'<a href="/themes/{theme.id}/suggestions">0<', hr.client.get("/themes").text)


def test_the_language_falls_back_to_english_then_to_any() -> None:
    def made(language: str, title: str) -> ThemeSuggestion:
        return ThemeSuggestion(theme_id=1, language=language, title=title)

    library_ = [made("fr", "fr one"), made("en", "en one"), made("nl", "nl one"), made("en", "en two")]
    assert [s.title for s in in_language(library_, "nl")] == ["nl one"]
    assert [s.title for s in in_language(library_[:2] + library_[3:], "nl")] == ["en one", "en two"]
    assert [s.title for s in in_language([made("fr", "only fr")], "nl")] == ["only fr"]
    assert in_language([], "en") == []


# --- picking on the action form ---------------------------------------------------------------------


def test_hr_sees_the_themes_suggestions_and_picking_one_fills_the_form_and_keeps_the_prefill(
    hr: Persona, owner: Persona, database_url: str, theme_ids, make_department
) -> None:
    retail = make_department("Retail")
    onboarding = theme_ids["training_onboarding"]
    start, end = TODAY - timedelta(days=180), TODAY - timedelta(days=1)
    url = (f"/actions/new?theme={onboarding}&scope=department&group={retail.id}&start={start}&end={end}"
           f"&owner={owner.user.id}")
    page = hr.client.get(url)
    assert page.status_code == 200
    assert page.headers["vary"] == "HX-Request"
    links = pick_links(page.text)
    assert list(links) == [BUDDY["en"], "Structured first weeks", "A training plan for every job"]
    assert "Rewrite vacancies with the people who do the job" not in page.text  # another theme's

    picked = hr.client.get(links[BUDDY["en"]])
    assert picked.status_code == 200
    buddy = library(database_url, onboarding, "en")[0]
    assert field_value(picked.text, "title_en") == buddy.title
    assert field_value(picked.text, "description_en") == buddy.description
    assert field_value(picked.text, "public_summary_en") == buddy.public_summary
    assert field_value(picked.text, "success_measure_en") == buddy.success_measure
    assert f"Filled in from the suggested action “{buddy.title}”" in picked.text
    # What the radar link and the owner link had filled in is still there.
    assert re.search(rf'name="themes" value="{onboarding}" checked', picked.text)
    assert re.search(r'name="scope" value="department" checked', picked.text)
    assert re.search(rf'<option value="{retail.id}" selected>Retail</option>', picked.text)
    assert re.search(rf'<option value="{owner.user.id}" selected>', picked.text)
    assert f'name="evidence_start" value="{start.isoformat()}"' in picked.text
    # Picking saves nothing.
    assert count(database_url, ActionItem) == 0
    assert count(database_url, AuditEvent, AuditEvent.entity == "action") == 0


def test_a_dutch_hr_user_is_offered_and_given_the_dutch_texts(
    persona: Callable[..., Persona], database_url: str, theme_ids
) -> None:
    hilde = persona("hr", "hilde.hr@example.com", language="nl")
    page = hilde.client.get(f"/actions/new?themes={theme_ids['training_onboarding']}").text
    links = pick_links(page)
    assert BUDDY["nl"] in links and BUDDY["en"] not in links
    picked = hilde.client.get(links[BUDDY["nl"]]).text
    dutch = library(database_url, theme_ids["training_onboarding"], "nl")[0]
    assert field_value(picked, "title_nl") == BUDDY["nl"]
    assert field_value(picked, "success_measure_nl") == dutch.success_measure
    assert "peter of meter" in field_value(picked, "public_summary_nl")
    # The same suggestion in the other languages (the same place in the theme's list) fills them too.
    assert (field_value(picked, "title_fr"), field_value(picked, "title_en")) == (BUDDY["fr"], BUDDY["en"])
    assert count(database_url, ActionItem) == 0


def test_a_theme_without_dutch_suggestions_offers_english_then_any(
    persona: Callable[..., Persona], database_url: str
) -> None:
    hilde = persona("hr", "hilde.hr@example.com", language="nl")
    english_and_french = add_theme_with(database_url, {"fr": "Covoiturage", "en": "Car pooling"})
    page = hilde.client.get(f"/actions/new?themes={english_and_french}").text
    assert list(pick_links(page)) == ["Car pooling"]
    assert '<li lang="en">' in page and "(English)" in page

    async def only_french(session):
        theme = Theme(code="parking", name_nl="Parkeren", name_fr="Parking", name_en="Parking", position=21)
        session.add(theme)
        await session.flush()
        session.add(ThemeSuggestion(theme_id=theme.id, language="fr", position=1, title="Places de parking"))
        return theme.id

    french = run(only_french, database_url)
    assert list(pick_links(hilde.client.get(f"/actions/new?themes={french}").text)) == ["Places de parking"]


def test_htmx_gets_only_the_filled_fields_to_swap_in_place(hr: Persona, database_url: str, theme_ids) -> None:
    growth = theme_ids["growth_career"]
    suggestion = library(database_url, growth, "en")[1]
    response = hr.client.get(f"/actions/new?themes={growth}&suggestion={suggestion.id}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["vary"] == "HX-Request"
    assert "<html" not in response.text and "<form" not in response.text
    # Title, description, success measure and public summary in each language.
    assert response.text.count('data-hx-swap-oob="true"') == 12
    assert field_value(response.text, "title_en") == "Internal vacancies first"
    assert field_value(response.text, "success_measure_en") == suggestion.success_measure
    assert "Filled in from the suggested action" in response.text
    assert count(database_url, ActionItem) == 0


def test_the_controls_swapped_in_are_the_forms_own(hr: Persona, database_url: str, theme_ids) -> None:
    """Out of band, HTMX replaces each control whole: it must come back with the form's limits, language and rows."""
    growth = theme_ids["growth_career"]
    suggestion = library(database_url, growth, "en")[1]
    address = f"/actions/new?themes={growth}&suggestion={suggestion.id}"
    swapped = hr.client.get(address, headers={"HX-Request": "true"}).text
    page = hr.client.get(address).text
    controls = re.findall(r'<(?:input|textarea) id="([^"]+)"[^>]*data-hx-swap-oob="true">', swapped)
    assert len(controls) == 12
    for name in controls:
        tag = re.search(rf'<(?:input|textarea) id="{name}"[^>]*>', swapped).group(0)
        assert tag.replace(' data-hx-swap-oob="true"', "") in page, name
        assert 'maxlength="' in tag


def test_a_form_without_a_theme_offers_a_theme_to_see_suggestions_for(hr: Persona, owner: Persona, theme_ids) -> None:
    page = hr.client.get(f"/actions/new?owner={owner.user.id}").text
    chooser = page.split('id="suggestions"', 1)[1].split("</section>", 1)[0]
    assert f'<input type="hidden" name="owner" value="{owner.user.id}">' in chooser
    assert 'name="themes"' in chooser and "Show suggestions" in chooser
    chosen = hr.client.get(f"/actions/new?owner={owner.user.id}&themes={theme_ids['recognition']}").text
    assert "A peer recognition routine" in chosen
    assert re.search(rf'name="themes" value="{theme_ids["recognition"]}" checked', chosen)
    assert re.search(rf'<option value="{owner.user.id}" selected>', chosen)


def test_an_unknown_suggestion_fills_nothing_and_says_so(hr: Persona, database_url: str, theme_ids) -> None:
    for wrong in ("999999", "abc", "-1"):
        page = hr.client.get(f"/actions/new?themes={theme_ids['pay_benefits']}&suggestion={wrong}")
        assert page.status_code == 200
        assert "That suggested action no longer exists" in page.text
        assert field_value(page.text, "title_en") == ""
    assert count(database_url, ActionItem) == 0


def test_a_picked_suggestion_edited_by_hr_is_saved_as_typed(
    hr: Persona, owner: Persona, database_url: str, theme_ids
) -> None:
    workload = theme_ids["workload_autonomy"]
    suggestion = library(database_url, workload, "en")[0]
    page = hr.client.get(f"/actions/new?themes={workload}&suggestion={suggestion.id}").text
    response = hr.post("/actions/new", {
        "title_en": field_value(page, "title_en"), "description_en": field_value(page, "description_en"),
        "public_summary_en": field_value(page, "public_summary_en"),
        "success_measure": "Overtime in the warehouse halved by June",
        "themes": str(workload), "scope": "company", "owner_id": str(owner.user.id),
        "deadline": (TODAY + timedelta(days=90)).isoformat(),
    }, follow_redirects=False)
    assert response.status_code == 303
    action = rows(database_url, ActionItem)[0]
    assert (action.title, action.description, action.public_summary) == (
        suggestion.title, suggestion.description, suggestion.public_summary)
    assert action.success_measure == "Overtime in the warehouse halved by June"
    assert library(database_url, workload, "en")[0].success_measure == suggestion.success_measure


# --- HR keeps the library ---------------------------------------------------------------------------


def suggestion_form(**overrides: str) -> dict[str, str]:
    return {"language": "en", "title": "Ask leavers' teams what would have kept them",
            "description": "A short team conversation after each leaver.", "public_summary": "We listen to teams.",
            "success_measure": "Every leaver's team met within a month.", **overrides}


def test_hr_sees_a_themes_library_per_language(persona: Callable[..., Persona], theme_ids) -> None:
    hilde = persona("hr", "hilde.hr@example.com", language="nl")
    recognition = theme_ids["recognition"]
    page = hilde.client.get(f"/themes/{recognition}/suggestions").text
    assert "Een vast moment om elkaar te waarderen" in page
    assert "A peer recognition routine" not in page
    assert re.search(r'aria-current="page">Nederlands \(2\)</a>', page)
    french = hilde.client.get(f"/themes/{recognition}/suggestions?language=fr").text
    assert "Un rituel de reconnaissance entre collègues" in french
    # The themes page counts them in the reader's language.
    assert re.search(rf'<a href="/themes/{recognition}/suggestions">2<', hilde.client.get("/themes").text)


def test_hr_adds_edits_moves_and_deletes_a_suggestion_and_each_change_is_audited(
    hr: Persona, database_url: str, theme_ids
) -> None:
    culture = theme_ids["culture_engagement"]
    before = [entry.id for entry in library(database_url, culture, "fr")]

    added = hr.post(f"/themes/{culture}/suggestions", suggestion_form(language="fr", title="  Des   cafés d'équipe  "),
                    follow_redirects=False)
    assert added.status_code == 303
    assert added.headers["location"] == f"/themes/{culture}/suggestions?language=fr"
    entries = library(database_url, culture, "fr")
    new = entries[-1]
    assert [entry.id for entry in entries[:-1]] == before
    assert (new.title, new.position) == ("Des cafés d'équipe", len(before) + 1)
    assert len(library(database_url, culture, "en")) == 2  # other languages untouched

    edited = hr.post(f"/themes/{culture}/suggestions/{new.id}",
                     suggestion_form(title="Des cafés d'équipe mensuels", success_measure="Un café par mois"),
                     follow_redirects=False)
    assert edited.status_code == 303
    new = library(database_url, culture, "fr")[-1]
    assert (new.title, new.success_measure, new.language) == ("Des cafés d'équipe mensuels", "Un café par mois", "fr")

    moved = hr.post(f"/themes/{culture}/suggestions/{new.id}/move", {"direction": "up"}, follow_redirects=False)
    assert moved.status_code == 303
    assert [entry.id for entry in library(database_url, culture, "fr")] == [before[0], new.id, before[1]]
    # At the top already: nothing moves, nothing is recorded.
    hr.post(f"/themes/{culture}/suggestions/{before[0]}/move", {"direction": "up"})

    deleted = hr.post(f"/themes/{culture}/suggestions/{new.id}/delete", follow_redirects=False)
    assert deleted.status_code == 303
    assert [entry.id for entry in library(database_url, culture, "fr")] == before

    events = audit_events(database_url)
    assert [event.verb for event in events] == ["create", "update", "move", "delete"]
    assert all(event.actor_id == hr.user.id and event.entity_id == new.id for event in events)
    assert events[0].changes["theme_id"] == culture and events[0].changes["language"] == "fr"
    assert events[0].changes["title"] == "Des cafés d'équipe"
    assert events[1].changes == {"title": ["Des cafés d'équipe", "Des cafés d'équipe mensuels"],
                                 "success_measure": ["Every leaver's team met within a month.", "Un café par mois"]}
    assert events[2].changes == {"order": [[*before, new.id], [before[0], new.id, before[1]]]}
    assert events[3].changes["title"] == "Des cafés d'équipe mensuels"


def test_an_edited_default_is_what_the_action_form_offers(hr: Persona, database_url: str, theme_ids) -> None:
    pay = theme_ids["pay_benefits"]
    first = library(database_url, pay, "en")[0]
    hr.post(f"/themes/{pay}/suggestions/{first.id}", suggestion_form(title="Pay review with the works council"))
    links = pick_links(hr.client.get(f"/actions/new?themes={pay}").text)
    assert next(iter(links)) == "Pay review with the works council"
    assert first.title not in links


@pytest.mark.parametrize("overrides, field, message", [
    ({"title": "   "}, "title", "Enter a title."),
    ({"title": "x" * 201}, "title", "Use at most 200 characters."),
    ({"description": "x" * 5001}, "description", "Use at most 5000 characters."),
    ({"public_summary": "x" * 5001}, "public_summary", "Use at most 5000 characters."),
    ({"success_measure": "x" * 5001}, "success_measure", "Use at most 5000 characters."),
    ({"language": "de"}, "language", "Choose a language."),
])
def test_bad_input_is_shown_again_with_the_message_and_nothing_is_saved(
    hr: Persona, database_url: str, theme_ids, overrides: dict[str, str], field: str, message: str
) -> None:
    theme = theme_ids["management"]
    before = [(entry.id, entry.title, entry.success_measure) for entry in library(database_url, theme)]
    added = hr.post(f"/themes/{theme}/suggestions", suggestion_form(**overrides))
    assert added.status_code == 400
    assert f'<p class="error" id="{field}-error">{message}</p>' in added.text
    assert "nothing was saved" in added.text
    if field != "language":
        assert html.escape(overrides[field].strip()) in added.text or not overrides[field].strip()  # input kept
        target = library(database_url, theme, "en")[0]
        edited = hr.post(f"/themes/{theme}/suggestions/{target.id}", suggestion_form(**overrides))
        assert edited.status_code == 400
        assert f'<p class="error" id="{field}-error">{message}</p>' in edited.text
    assert [(entry.id, entry.title, entry.success_measure) for entry in library(database_url, theme)] == before
    assert audit_events(database_url) == []


def test_a_suggestion_is_reached_only_through_its_own_theme(hr: Persona, database_url: str, theme_ids) -> None:
    pay = library(database_url, theme_ids["pay_benefits"], "en")[0]
    other = theme_ids["management"]
    assert hr.client.get(f"/themes/{other}/suggestions/{pay.id}").status_code == 404
    assert hr.post(f"/themes/{other}/suggestions/{pay.id}/delete").status_code == 404
    assert hr.client.get("/themes/999999/suggestions").status_code == 404
    assert count(database_url, ThemeSuggestion, ThemeSuggestion.id == pay.id) == 1


def test_changes_without_the_csrf_token_are_refused(hr: Persona, database_url: str, theme_ids) -> None:
    theme = theme_ids["recognition"]
    target = library(database_url, theme, "en")[0]
    assert hr.client.post(f"/themes/{theme}/suggestions", data=suggestion_form()).status_code == 403
    assert hr.client.post(f"/themes/{theme}/suggestions/{target.id}/delete").status_code == 403
    assert count(database_url, ThemeSuggestion, ThemeSuggestion.theme_id == theme) == 6
    assert audit_events(database_url) == []


ROUTES = ["GET list", "POST add", "GET edit", "POST update", "POST delete", "POST move"]


def _call(client: TestClient, route: str, theme_id: int, suggestion_id: int) -> Any:
    method, name = route.split()
    path = {"list": f"/themes/{theme_id}/suggestions", "add": f"/themes/{theme_id}/suggestions",
            "edit": f"/themes/{theme_id}/suggestions/{suggestion_id}",
            "update": f"/themes/{theme_id}/suggestions/{suggestion_id}",
            "delete": f"/themes/{theme_id}/suggestions/{suggestion_id}/delete",
            "move": f"/themes/{theme_id}/suggestions/{suggestion_id}/move"}[name]
    if method == "GET":
        return client.get(path, follow_redirects=False)
    return post_form(client, path, {**suggestion_form(), "direction": "down"}, follow_redirects=False)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who, expected", [("hr", "allowed"), ("leader", 403), ("owner", 403), ("anon", "login")])
def test_only_hr_keeps_the_library(
    request: pytest.FixtureRequest, database_url: str, theme_ids, route: str, who: str, expected: Any
) -> None:
    theme = theme_ids["growth_career"]
    target = library(database_url, theme, "en")[0]
    client: TestClient = request.getfixturevalue(who) if who == "anon" else request.getfixturevalue(who).client
    response = _call(client, route, theme, target.id)
    if expected == "allowed":
        assert response.status_code in {200, 303}
        return
    if expected == "login":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == expected
    assert len(library(database_url, theme)) == 6
    after = library(database_url, theme, "en")[0]
    assert (after.id, after.title, after.position) == (target.id, target.title, 1)
    assert audit_events(database_url) == []


@pytest.mark.parametrize("who", ["leader", "owner"])
def test_only_hr_may_pick_a_suggestion(request: pytest.FixtureRequest, database_url: str, theme_ids, who: str) -> None:
    person: Persona = request.getfixturevalue(who)
    target = library(database_url, theme_ids["growth_career"], "en")[0]
    response = person.client.get(f"/actions/new?themes={theme_ids['growth_career']}&suggestion={target.id}")
    assert response.status_code == 403
    assert target.title not in response.text
