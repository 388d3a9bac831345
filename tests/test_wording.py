"""Words as readers meet them: figures that say which scope they count, and Dutch and French as native
readers would write them, on real pages rendered in each language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from babel.messages.pofile import read_po
from test_actions import make_groups
from test_effects import AFTER, BEFORE, RELEASED, done_action, leavers

from actiontrack import clock
from actiontrack.i18n import LOCALE_DIR, format_date, set_language
from actiontrack.models import ActionStatus
from actiontrack.settings import PROJECT_ROOT, Settings

from conftest import Persona, release_now

TODAY = clock.today()


def text_of(html: str) -> str:
    """The words of a page or piece, as a reader sees them (tags gone, spaces collapsed, NBSP kept)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def labels(html: str) -> list[str]:
    """The figure labels (<dt>) of a page."""
    return [text_of(label) for label in re.findall(r"<dt[^>]*>(.*?)</dt>", html, re.S)]


# --- 5. numbers that say which scope they count ---------------------------------------------------


def test_home_and_status_say_which_done_actions_they_count(hr: Persona, leader: Persona, owner: Persona,
                                                            make_action: Any) -> None:
    # Done long before the status page's default period: home counts it, /status does not.
    make_action(owner=owner.user, status=ActionStatus.DONE.value, completed_on=TODAY - timedelta(days=400),
                created_at=clock.utcnow() - timedelta(days=420), deadline=TODAY - timedelta(days=390))
    make_action(owner=owner.user, status=ActionStatus.DONE.value, completed_on=TODAY - timedelta(days=3))
    for person in (hr, leader):
        home = person.client.get("/?lang=en").text
        assert "Completed, all time" in labels(home)
        assert "Completed" not in labels(home)
        status = person.client.get("/status?lang=en").text
        assert "Completed in this period" in labels(status)
        assert "Completed" not in labels(status)
    assert "Afgerond, sinds het begin" in labels(owner.client.get("/").text)
    assert "Terminées sur la période" in labels(leader.client.get("/status").text)


def test_status_words_the_recurring_rule_with_its_own_minimum(hr: Persona, leader: Persona) -> None:
    # The settings of the tests keep the defaults: recurring from 3 leavers, a verdict from 10.
    for person in (hr, leader):
        page = text_of(person.client.get("/status?lang=en").text)
        assert "a theme is recurring in a department when at least 3 leavers, and at least 25 %" in page
        assert "at least 10 leavers" not in page


@pytest.fixture
def effect_long_ago(owner: Persona, make_action: Any, database_url: str) -> int:
    """A done action on Retail's management theme, done some nine months ago: better since."""
    retail, _logistics, family = make_groups(database_url)
    started = RELEASED[-4].start + timedelta(days=2)
    leavers(database_url, retail, family, RELEASED[-5], number=20, raising=10)
    for quarter in RELEASED[-3:]:
        leavers(database_url, retail, family, quarter, number=20, raising=5)
    return done_action(make_action, owner.user, database_url, department=retail, title="Team-lead training",
                       started=started, done=started + timedelta(days=40))


def effect_why(page: str, action: int) -> str:
    found = re.search(rf'<tr[^>]*id="effect-why-{action}".*?</tr>', page, re.S)
    assert found, "no explanation under the effect's row"
    return text_of(found.group(0))


def test_did_it_work_on_status_shows_actions_done_long_enough_ago_and_says_why(
    settings: Settings, hr: Persona, leader: Persona, effect_long_ago: int,
) -> None:
    release_now(settings)
    leader.client.get("/radar")  # releases the due periods
    for person in (hr, leader):
        page = person.client.get("/status?lang=en").text  # the default period: the last 6 months
        assert f'id="effect-{effect_long_ago}"' in page
        why = effect_why(page, effect_long_ago)
        # The action page's own words, from the same template piece.
        assert ("Since the action was done, a smaller share of this group's leavers raise "
                "“Management and communication” than before it started.") in why
        assert "After minus before: −25 percentage points" in why
        assert "looks back at least 24 months" in text_of(page)
    action_page = text_of(leader.client.get(f"/actions/{effect_long_ago}?lang=en").text)
    assert "a smaller share of this group's leavers raise “Management and communication”" in action_page
    french = effect_why(leader.client.get("/status?lang=fr").text, effect_long_ago)
    assert "Après moins avant" not in french
    assert "La part a évolué de −25 points de pourcentage entre avant et après" in french


def test_hr_reads_that_its_figures_are_live_and_leadership_that_its_are_released(
    settings: Settings, hr: Persona, leader: Persona, effect_long_ago: int,
) -> None:
    release_now(settings)
    leader.client.get("/radar")
    latest = RELEASED[-1]
    hr_page = text_of(hr.client.get("/status?lang=en").text)
    assert "Live figures: every interview recorded up to today." in hr_page
    assert (f"Leadership sees the figures of the latest released reporting period, {latest.label}, "
            "so its counts can differ from these.") in hr_page
    leader_page = text_of(leader.client.get("/status?lang=en").text)
    assert f"Released figures: the reporting period {latest.label}" in leader_page
    assert "Live figures" not in leader_page


# --- 9. French typography -----------------------------------------------------------------------

# French sets : ; ? ! apart with a non-breaking space (U+00A0 throughout). Code quoted as typed keeps its own.
FRENCH_MARK = re.compile(r"(?<!\u00a0)[:;?!]")
AS_TYPED = re.compile(r"https?://|Authorization: Bearer|Content-Type: application/json|\d:\d")


def unspaced_marks(text: str) -> list[str]:
    """Each : ; ? ! of a French text without its non-breaking space, with some words around it."""
    text = AS_TYPED.sub(lambda match: "_" * len(match.group()), text)
    return [text[max(0, found.start() - 30):found.end() + 10] for found in FRENCH_MARK.finditer(text)]


def test_the_french_catalog_puts_a_non_breaking_space_before_every_colon_and_mark() -> None:
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file, locale="fr")
    missing = [(message.id, place) for message in catalog if message.id
               for string in (message.string if isinstance(message.string, tuple) else (message.string,))
               for place in unspaced_marks(string)]
    assert len(catalog) > 500
    assert not missing, missing


class PageWords(HTMLParser):
    """The French words of a page: its text and the attributes read aloud, but not what another language marks."""

    SPOKEN = frozenset({"title", "aria-label", "placeholder", "alt"})
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                      "wbr"})

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language, self.open, self.words = language, [], []

    def quiet(self) -> bool:
        return any(quiet for _, quiet in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if not self.quiet():
            self.words += [value for name, value in attrs if name in self.SPOKEN and value]
        if tag not in self.VOID:
            other = found.get("lang") not in (None, self.language)
            self.open.append((tag, tag in ("script", "style") or other))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.quiet():
            self.words += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self.quiet():
            self.words.append(data)


def french_words(html: str) -> list[str]:
    parser = PageWords("fr")
    parser.feed(html)
    return parser.words


@pytest.fixture
def published_effect(owner: Persona, leader: Persona, make_action: Any, database_url: str) -> int:
    """A published done action whose effect /changes words for staff, in the Logistics department."""
    _retail, logistics, family = make_groups(database_url)
    leavers(database_url, logistics, family, BEFORE[1], number=20, raising=10)
    leavers(database_url, logistics, family, AFTER, number=40, raising=5)
    action = done_action(make_action, owner.user, database_url, department=logistics, title="Worked",
                         published=True, public_summary="Every team lead trained in holding one-to-ones.",
                         title_fr="Former les chefs d'équipe", public_summary_fr="Chaque chef d'équipe est formé.")
    leader.client.get("/radar")  # releases the due periods
    return action


def test_french_pages_set_every_colon_and_mark_apart(hr: Persona, leader: Persona, anon: Any,
                                                     published_effect: int) -> None:
    pages = {
        "hr": ["/", "/status", "/actions", f"/actions/{published_effect}", f"/actions/{published_effect}/edit",
               "/actions/new", "/radar", "/organisation", "/themes", "/people"],
        "leader": ["/", "/status", "/radar", f"/actions/{published_effect}"],
    }
    clients = {"hr": hr.client, "leader": leader.client, "anon": anon}
    pages["anon"] = ["/changes", "/login"]
    missing = {}
    for who, paths in pages.items():
        for path in paths:
            response = clients[who].get(path, params={"lang": "fr"})
            assert response.status_code == 200, path
            found = [place for words in french_words(response.text) for place in unspaced_marks(words)]
            if found:
                missing[f"{who} {path}"] = found
    assert not missing, missing


def change_labels(html: str, action: int) -> list[str]:
    card = re.search(rf'<article[^>]*id="change-{action}".*?</article>', html, re.S)
    assert card, "the change is not listed"
    return [unescape(re.sub(r"<[^>]+>", "", label)) for label in re.findall(r"<dt>(.*?)</dt>", card.group(0), re.S)]


def test_no_label_of_a_change_ends_in_a_question_mark_and_a_colon(settings: Settings, anon: Any,
                                                                  published_effect: int) -> None:
    release_now(settings)
    labels_by_language = {language: change_labels(anon.get(f"/changes?lang={language}").text, published_effect)
                          for language in ("en", "nl", "fr")}
    assert labels_by_language["en"] == ["Status:", "Scope:", "Did it work?"]
    assert labels_by_language["nl"] == ["Status:", "Bereik:", "Heeft het gewerkt?"]
    assert labels_by_language["fr"] == ["Statut\u00a0:", "Périmètre\u00a0:", "Cela a-t-il fonctionné\u00a0?"]
    # The colon is in the words, never added again by the style sheet.
    assert "content" not in re.search(r"\.change-facts dt[^{]*\{[^}]*\}", (PROJECT_ROOT / "static" / "app.css")
                                      .read_text()).group(0)


# --- 9. French and Dutch as native readers write them ---------------------------------------------


def change_card(html: str, action: int) -> str:
    card = re.search(rf'<article[^>]*id="change-{action}".*?</article>', html, re.S)
    assert card, "the change is not listed"
    return text_of(card.group(0))


def test_changes_reads_naturally_in_french_and_dutch(settings: Settings, anon: Any, owner: Persona, make_action: Any,
                                                     published_effect: int) -> None:
    blocked = make_action(owner=owner.user, status=ActionStatus.BLOCKED.value, published=True,
                          title_fr="Navette du soir", public_summary_fr="Une navette après la fermeture.",
                          public_summary="A shuttle after closing time.")
    release_now(settings)
    french = anon.get("/changes?lang=fr").text
    done = change_card(french, published_effect)
    assert "Réalisée en" in done and "Réalisé en" not in done  # agrees with "Planifiée", "Retardée"
    assert "Depuis, moins de personnes parties du service Logistics évoquent ce point." in done
    assert "parties de Logistics" not in done
    late = change_card(french, blocked.id)
    assert "Statut\u00a0: Retardée. Le travail est à l'arrêt pour le moment." in late
    assert "En cours" not in late
    dutch = anon.get("/changes?lang=nl").text
    assert "Status: Vertraagd. Het werk zit voorlopig vast." in change_card(dutch, blocked.id)
    assert "Bezig" not in change_card(dutch, blocked.id)
    assert ("Sindsdien noemen minder vertrekkers van de afdeling Logistics dit."
            in change_card(dutch, published_effect))
    english = anon.get("/changes?lang=en").text
    assert "Status: Delayed. The work is held up for now." in change_card(english, blocked.id)


def test_a_worse_verdict_reads_as_bad_news_in_french(leader: Persona) -> None:
    page = leader.client.get("/status?lang=fr").text
    assert '<option value="worse">En dégradation</option>' in page
    assert "En recul" not in page


def test_french_writes_the_first_of_the_month_as_an_ordinal(hr: Persona, owner: Persona, make_action: Any) -> None:
    first = (TODAY.replace(day=1) + timedelta(days=32)).replace(day=1)
    action = make_action(owner=owner.user, deadline=first)
    page = text_of(hr.client.get(f"/actions/{action.id}?lang=fr").text)
    written = format_date(first)  # the test's language: English, "1 Jul 2026"
    assert "1er " in page and f" 1 {written.split()[1].lower()}" not in page
    set_language("fr")
    try:
        assert format_date(first).startswith("1er ")
        assert format_date(first.replace(day=11)).startswith("11 ")
        # A moment is dated in Brussels: the last evening of June in UTC is already the 1st of July there.
        assert format_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1er juil. 2026, 01:30"
    finally:
        set_language("en")


def test_dutch_speaks_of_one_person_and_one_link_in_plain_dutch(hr: Persona, owner: Persona,
                                                                 make_action: Any) -> None:
    make_action(owner=owner.user)
    person = text_of(hr.client.get(f"/people/{owner.user.id}?done=deactivated&lang=nl").text)
    assert "De open acties van deze persoon staan hieronder" in person
    assert "Hun open acties" not in person and "hun API-tokens" not in person
    stay = text_of(owner.client.get("/stay-interviews/new?lang=nl").text)
    assert "wat houdt je hier, en waardoor zou je vertrekken?" in stay and "wat hen hier houdt" not in stay
    mine = text_of(owner.client.get("/my/actions?lang=nl").text)
    assert "Voortgang opslaan" in mine and "Update opslaan" not in mine
    invited = text_of(hr.post("/accounts/invite?lang=nl", {"email": "nina@example.com", "display_name": "Nina",
                                                         "role": "owner", "language": "nl"}).text)
    assert "De link werkt één keer" in invited and "Hij werkt" not in invited


# --- 9. a group's name in the page's language, everywhere on the page -----------------------------


@pytest.fixture
def named_groups(database_url: str, owner: Persona, make_action: Any) -> tuple[int, int]:
    """A department and a job family with their names in nl and fr (their key names are English)."""
    from sqlalchemy import update

    from actiontrack.models import Department, JobFamily

    from conftest import execute

    retail, _logistics, family = make_groups(database_url)
    execute(database_url, update(Department).where(Department.id == retail)
            .values(name_nl="Winkels", name_fr="Magasins"))
    execute(database_url, update(JobFamily).where(JobFamily.id == family).values(name_nl="Winkelpersoneel",
                                                                                  name_fr="Personnel de magasin"))
    make_action(owner=owner.user, scope="department", department_id=retail)
    return retail, family


def option_text(html: str, field: str, value: int) -> str:
    select = re.search(rf'<select[^>]*name="{field}".*?</select>', html, re.S)
    assert select, f"no {field} field"
    option = re.search(rf'<option value="{value}"[^>]*>(.*?)</option>', select.group(0), re.S)
    assert option, f"no option {value} in {field}"
    return text_of(option.group(1))


@pytest.mark.parametrize(("language", "department", "family"), [("nl", "Winkels", "Winkelpersoneel"),
                                                                 ("fr", "Magasins", "Personnel de magasin")])
def test_group_names_speak_the_page_language_in_forms_filters_and_tables(
    hr: Persona, named_groups: tuple[int, int], make_interview: Any, language: str, department: str, family: str,
) -> None:
    retail, store_staff = named_groups
    make_interview(department=retail, job_family=store_staff)
    status = hr.client.get(f"/status?lang={language}").text
    assert option_text(status, "department", retail) == department
    progress = re.search(rf'<tr id="progress-department-{retail}".*?</tr>', status, re.S)
    assert progress and text_of(progress.group(0)).startswith(department)
    assert "Retail" not in text_of(status)
    actions = hr.client.get(f"/actions?lang={language}").text
    assert option_text(actions, "department", retail) == department
    assert option_text(actions, "job_family", store_staff) == family
    form = hr.client.get(f"/actions/new?lang={language}").text
    assert option_text(form, "department_id", retail) == department
    assert option_text(form, "job_family_id", store_staff) == family
    for path in ("/interviews", "/stay-interviews"):
        page = hr.client.get(f"{path}?lang={language}").text
        assert option_text(page, "department", retail) == department
        assert option_text(page, "job_family", store_staff) == family
    listed = text_of(hr.client.get(f"/interviews?lang={language}").text)
    assert f"{department} {family}" in listed and "Store staff" not in listed
    surveys = hr.client.get(f"/surveys?lang={language}").text
    assert option_text(surveys, "department_id", retail) == department


# --- 9. description and success measure in three languages, as titles and summaries ----------------


def texts_form(owner_id: int, **texts: str) -> dict[str, str]:
    blank = {f"{text}_{language}": "" for text in ("title", "description", "success_measure", "public_summary")
             for language in ("nl", "fr", "en")}
    return {**blank, "scope": "company", "owner_id": str(owner_id),
            "deadline": (TODAY + timedelta(days=60)).isoformat(), **texts}


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, f"no {name} field"
    return unescape(found.group(1)).strip()


def test_hr_writes_the_description_and_success_measure_in_each_language_and_staff_read_theirs(
    hr: Persona, owner: Persona, database_url: str,
) -> None:
    from actiontrack.models import ActionItem

    from conftest import rows

    response = hr.post("/actions/new?lang=en", texts_form(
        owner.user.id, title_nl="Peter voor elke starter", title_fr="Un parrain pour chaque nouveau",
        description_nl="Elke starter krijgt een peter uit het team.",
        description_fr="Chaque nouveau reçoit un parrain de son équipe.",
        success_measure_nl="Minder vertrekkers in het eerste jaar.",
        success_measure_fr="Moins de départs la première année."), follow_redirects=False)
    assert response.status_code == 303, response.text
    [action] = rows(database_url, ActionItem)
    assert action.descriptions() == {"nl": "Elke starter krijgt een peter uit het team.",
                                     "fr": "Chaque nouveau reçoit un parrain de son équipe.", "en": ""}
    assert action.success_measures()["fr"] == "Moins de départs la première année."
    french = owner.client.get(f"/actions/{action.id}?lang=fr").text
    assert "<dd class=\"text\">Chaque nouveau reçoit un parrain de son équipe.</dd>" in french
    assert "Moins de départs la première année." in french and "Minder vertrekkers" not in french
    # English is missing: an English reader gets the Dutch text, marked as Dutch.
    english = owner.client.get(f"/actions/{action.id}?lang=en").text
    assert '<dd class="text" lang="nl">Elke starter krijgt een peter uit het team.</dd>' in english
    assert '<span lang="nl">Minder vertrekkers in het eerste jaar.</span>' in english
    form = hr.client.get(f"/actions/{action.id}/edit?lang=fr").text
    assert textarea(form, "description_fr") == "Chaque nouveau reçoit un parrain de son équipe."
    assert textarea(form, "description_nl") == "Elke starter krijgt een peter uit het team."
    assert textarea(form, "success_measure_nl") == "Minder vertrekkers in het eerste jaar."
    assert textarea(form, "description_en") == ""


def test_the_api_carries_descriptions_and_success_measures_per_language(
    hr: Persona, owner: Persona, make_api_token: Any, anon: Any, make_user: Any,
) -> None:
    from actiontrack.models import Role

    headers = {"authorization": f"Bearer {make_api_token(hr.user)}"}
    created = anon.post("/api/v1/actions", headers=headers, json={
        "owner_id": owner.user.id, "deadline": (TODAY + timedelta(days=30)).isoformat(), "title": "Buddy",
        "descriptions": {"nl": "Een peter voor elke starter.", "fr": "Un parrain pour chaque nouveau."},
        "success_measure": "Fewer first-year leavers", "success_measures": {"fr": "Moins de départs"},
    })
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["descriptions"] == {"nl": "Een peter voor elke starter.", "fr": "Un parrain pour chaque nouveau.",
                                    "en": ""}
    assert body["success_measures"] == {"nl": "", "fr": "Moins de départs", "en": "Fewer first-year leavers"}
    assert (body["description"], body["success_measure"]) == ("Een peter voor elke starter.",
                                                              "Fewer first-year leavers")
    french = make_user(Role.HR, "francoise.hr@example.com", language="fr")
    read = anon.get(f"/api/v1/actions/{body['id']}", headers={"authorization": f"Bearer {make_api_token(french)}"})
    assert (read.json()["description"], read.json()["success_measure"]) == ("Un parrain pour chaque nouveau.",
                                                                             "Moins de départs")
    schema = anon.get("/schema/openapi.json").json()["components"]["schemas"]
    assert set(schema["Descriptions"]["properties"]) == {"nl", "fr", "en"}


def test_migration_makes_existing_descriptions_and_success_measures_the_english_texts(databases: Any) -> None:
    from sqlalchemy import text

    from actiontrack.models import ActionItem

    from conftest import migrate, rows, run

    url = databases.empty()
    migrate(url, "0019")

    async def insert(session: Any) -> None:
        await session.execute(text(
            "INSERT INTO app_user (email, display_name, role, language, active, is_demo, created_at, "
            "session_generation) VALUES ('a@example.com', 'A', 'hr', 'nl', true, false, CURRENT_TIMESTAMP, 0)"))
        await session.execute(text(
            "INSERT INTO action_item (title_en, description, public_summary_en, scope, owner_id, deadline, status, "
            "progress, success_measure, published, name_group_publicly, version, created_by_id, created_at, "
            "updated_at) VALUES ('Old title', 'Old description', '', 'company', 1, '2030-01-01', 'planned', 0, "
            "'Old measure', false, false, 1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))

    run(insert, url)
    migrate(url)
    [action] = rows(url, ActionItem)
    assert (action.descriptions(), action.success_measures()) == (
        {"nl": "", "fr": "", "en": "Old description"}, {"nl": "", "fr": "", "en": "Old measure"})
    databases.drop(url)
