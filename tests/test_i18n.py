"""Languages: the catalogs are complete, and each request speaks the right language."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from litestar.testing import TestClient
from sqlalchemy import select

from actiontrack.i18n import LOCALE_DIR
from actiontrack.models import AuditEvent, User
from actiontrack.settings import PROJECT_ROOT

from conftest import Persona, post_form, run

KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def source_messages() -> set[str]:
    """Every translatable string in the code and the templates, found as `make translations` finds them."""
    messages: set[str] = set()
    sources = [
        (PROJECT_ROOT / "src" / "actiontrack", [("**.py", "python")], {}),
        (PROJECT_ROOT / "templates", [("**.html", "jinja2")], {"**.html": JINJA_OPTIONS}),
    ]
    for folder, method_map, options in sources:
        for _file, _line, message, _comments, _context in extract_from_dir(
            folder, method_map, options, keywords=KEYWORDS
        ):
            messages.add(message if isinstance(message, str) else message[0])
    return messages


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sd]", text))


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_string_is_translated(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    translated = {
        (message.id if isinstance(message.id, str) else message.id[0]): message
        for message in catalog
        if message.id and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    expected = source_messages()
    assert len(expected) > 40
    missing = sorted(expected - translated.keys())
    assert not missing, f"missing from the {language} catalog (run `make translations`): {missing}"
    for message_id in expected:
        message = translated[message_id]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert placeholders(string) == placeholders(message_id), (
                f"{language}: placeholders differ in {message_id!r}")


def test_browser_language_is_used_for_visitors(anon: TestClient) -> None:
    page = anon.get("/login", headers={"accept-language": "fr-BE,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in page.text
    assert "Se connecter" in page.text
    assert "Mot de passe" in page.text


def test_quality_values_decide_between_languages(anon: TestClient) -> None:
    page = anon.get("/login", headers={"accept-language": "fr;q=0.3, nl;q=0.8, de"})
    assert "Aanmelden" in page.text


def test_unknown_browser_languages_fall_back_to_the_default(anon: TestClient) -> None:
    page = anon.get("/login", headers={"accept-language": "de-DE"})
    assert '<html lang="en">' in page.text


def test_profile_language_wins_over_the_browser(owner: Persona) -> None:
    page = owner.client.get("/", headers={"accept-language": "fr"})
    assert owner.user.language == "nl"
    assert "Jouw open acties" in page.text


def test_query_parameter_wins_for_one_page(owner: Persona) -> None:
    assert "Vos actions ouvertes" in owner.client.get("/?lang=fr").text
    assert "Jouw open acties" in owner.client.get("/").text


def test_switcher_remembers_the_choice_of_a_visitor(anon: TestClient) -> None:
    response = post_form(anon, "/language", {"lang": "nl", "next": "/login"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert "Aanmelden" in anon.get("/login", headers={"accept-language": "fr"}).text


def test_switcher_updates_the_profile_of_a_signed_in_user(leader: Persona, database_url: str) -> None:
    post_form(leader.client, "/language", {"lang": "en", "next": "/"})

    async def load(session):
        user = await session.get(User, leader.user.id)
        events = (await session.execute(select(AuditEvent).where(AuditEvent.entity == "user",
                                                                 AuditEvent.verb == "update"))).scalars().all()
        return user, events

    user, events = run(load, database_url)
    assert user.language == "en"
    assert [event.changes for event in events] == [{"language": ["fr", "en"]}]


def test_switcher_rejects_an_unknown_language(anon: TestClient) -> None:
    response = post_form(anon, "/language", {"lang": "de", "next": "/"}, follow_redirects=False)
    assert response.status_code == 400


def test_dates_and_numbers_follow_the_language() -> None:
    from datetime import date

    from actiontrack import i18n

    i18n.set_language("fr")
    assert i18n.format_date(date(2026, 3, 5), "long") == "5 mars 2026"
    assert i18n.format_number(12345.5, 1) == "12\u202f345,5"
    i18n.set_language("nl")
    assert i18n.format_month(date(2026, 3, 1)) == "maart 2026"
    assert i18n.format_number(12345) == "12.345"
    i18n.set_language("en")
