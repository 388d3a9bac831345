"""Themes: HR keeps the taxonomy; suggestions come from keyword stems in nl, fr and en and from low scores."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from actiontrack.models import AuditEvent, ExitInterview, Theme
from actiontrack.themes.rules import fold, parse_keywords, suggest_themes

from conftest import Persona, post_form, run


def all_themes(url: str) -> list[Theme]:
    async def query(session):
        return list((await session.execute(select(Theme).order_by(Theme.position, Theme.id))).scalars())

    return run(query, url)


def audit_events(url: str) -> list[AuditEvent]:
    async def query(session):
        result = await session.execute(select(AuditEvent).where(AuditEvent.entity == "theme").order_by(AuditEvent.id))
        return list(result.scalars())

    return run(query, url)


def theme_form(**overrides: str) -> dict[str, str]:
    return {
        "name_nl": "Mobiliteit", "name_fr": "Mobilité", "name_en": "Mobility",
        "description_nl": "", "description_fr": "", "description_en": "Getting to work.",
        "keywords_nl": "file, parkeer", "keywords_fr": "embouteillage, parking", "keywords_en": "traffic jam, parking",
        **overrides,
    }


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("method, path", [("get", "/themes"), ("post", "/themes"), ("get", "/themes/1"),
                                          ("post", "/themes/1")])
@pytest.mark.parametrize("who, expected", [("hr", "allowed"), ("leader", 403), ("owner", 403), ("anon", "login")])
def test_only_hr_keeps_the_taxonomy(
    request: pytest.FixtureRequest, database_url: str, method: str, path: str, who: str, expected: Any
) -> None:
    if who == "anon":
        client: TestClient = request.getfixturevalue("anon")
        response = client.get(path, follow_redirects=False) if method == "get" else \
            post_form(client, path, theme_form(), follow_redirects=False)
    else:
        person: Persona = request.getfixturevalue(who)
        response = person.client.get(path, follow_redirects=False) if method == "get" else \
            person.post(path, theme_form(), follow_redirects=False)
    if expected == "allowed":
        assert response.status_code in {200, 303}
    elif expected == "login":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == expected
    if who != "hr":
        assert len(all_themes(database_url)) == 10
        assert "Mobility" not in [theme.name_en for theme in all_themes(database_url)]


# --- the taxonomy -----------------------------------------------------------------------------


def test_the_seeded_themes_are_listed_in_the_users_language(persona: Callable[..., Persona]) -> None:
    person = persona("hr", "nl.hr@example.com", language="nl")
    page = person.client.get("/themes").text
    assert "Loon en voordelen" in page
    assert "loon, lonen, salaris" in page


def test_hr_adds_a_theme_in_three_languages(hr: Persona, database_url: str) -> None:
    response = hr.post("/themes", theme_form(keywords_en=" traffic jam ,, Parking, parking ,"),
                       follow_redirects=False)
    assert response.status_code == 303
    theme = all_themes(database_url)[-1]
    assert (theme.code, theme.name_nl, theme.name_fr, theme.name_en) == (
        "mobility", "Mobiliteit", "Mobilité", "Mobility")
    assert theme.keywords_en == "traffic jam,Parking"
    assert theme.position == 11 and theme.active
    [event] = audit_events(database_url)
    assert (event.verb, event.entity_id, event.changes["name_fr"]) == ("create", theme.id, "Mobilité")
    assert "Mobility" in hr.client.get("/interviews/new").text


def test_codes_stay_unique_when_english_names_look_alike(hr: Persona, database_url: str) -> None:
    hr.post("/themes", theme_form())
    hr.post("/themes", theme_form(name_nl="Mobiliteit 2", name_fr="Mobilité 2", name_en="Mobility!"))
    assert [theme.code for theme in all_themes(database_url)[-2:]] == ["mobility", "mobility_2"]


@pytest.mark.parametrize("change, field, message", [
    ({"name_fr": "  "}, "name_fr", "Enter a name."),
    ({"name_nl": "x" * 121}, "name_nl", "Use at most 120 characters."),
    ({"name_en": "PAY AND BENEFITS"}, "name_en", "Another theme already has this name."),
    ({"name_fr": "Evolution et carriere"}, "name_fr", "Another theme already has this name."),
    ({"keywords_nl": "file, ab"}, "keywords_nl", "Each keyword needs at least 3 letters: ab"),
    ({"keywords_fr": "!!!"}, "keywords_fr", "Each keyword needs at least 3 letters"),
    ({"keywords_en": "x" * 61}, "keywords_en", "Keep each keyword under 60 characters"),
    ({"keywords_en": ",".join(f"word{n}" for n in range(101))}, "keywords_en", "Use at most 100 keywords."),
    ({"description_en": "d" * 2001}, "description_en", "Use at most 2000 characters."),
])
def test_bad_theme_input_is_explained_and_nothing_is_saved(
    hr: Persona, database_url: str, change: dict[str, str], field: str, message: str
) -> None:
    response = hr.post("/themes", theme_form(**change))
    assert response.status_code == 400
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', response.text, re.S)
    assert error and message in error.group(1)
    assert len(all_themes(database_url)) == 10
    assert audit_events(database_url) == []


def test_hr_renames_a_theme_and_edits_its_keywords(hr: Persona, database_url: str, theme_ids: dict[str, int]) -> None:
    theme_id = theme_ids["pay_benefits"]
    page = hr.client.get(f"/themes/{theme_id}").text
    assert 'value="Salaire et avantages"' in page
    form = {**{name: getattr(all_themes(database_url)[0], name) for name in theme_form()},
            "name_en": "Pay, bonuses and benefits", "keywords_en": "pay, salary, wage, bonus, paycheck",
            "active": "on"}
    response = hr.post(f"/themes/{theme_id}", form, follow_redirects=False)
    assert response.status_code == 303
    theme = all_themes(database_url)[0]
    assert theme.name_en == "Pay, bonuses and benefits"
    assert theme.keywords_en == "pay,salary,wage,bonus,paycheck"
    assert theme.name_nl == "Loon en voordelen"
    [event] = audit_events(database_url)
    assert event.changes["name_en"] == ["Pay and benefits", "Pay, bonuses and benefits"]
    assert set(event.changes) == {"name_en", "keywords_en"}


def test_a_retired_theme_keeps_its_history_but_is_no_longer_offered_or_suggested(
    hr: Persona, database_url: str, theme_ids: dict[str, int], make_department: Callable[..., Any],
    make_job_family: Callable[..., Any], make_interview: Callable[..., ExitInterview],
) -> None:
    department, family = make_department("Logistics"), make_job_family("Warehouse")
    interview = make_interview(department=department, job_family=family, themes=["pay_benefits"],
                               reason_for_leaving="The salary was too low.")
    theme_id = theme_ids["pay_benefits"]
    form = {name: getattr(all_themes(database_url)[0], name) for name in theme_form()}
    assert hr.post(f"/themes/{theme_id}", form, follow_redirects=False).status_code == 303  # no "active": retire
    assert not all_themes(database_url)[0].active
    assert "Retired" in hr.client.get("/themes").text
    assert f'name="themes" value="{theme_id}"' not in hr.client.get("/interviews/new").text
    detail = hr.client.get(f"/interviews/{interview.id}").text
    assert "Pay and benefits" in detail  # still tagged
    assert f'id="suggestion-{theme_id}"' not in hr.client.get(f"/interviews/{interview.id}/edit").text
    radar = hr.client.get("/radar").text
    assert "Pay and benefits" in radar and "retired" in radar


def test_unknown_theme_is_not_found(hr: Persona) -> None:
    assert hr.client.get("/themes/999").status_code == 404
    assert hr.client.get("/themes/99999999999").status_code == 404


def test_theme_names_are_escaped(hr: Persona) -> None:
    hr.post("/themes", theme_form(name_en="<script>alert(1)</script>"))
    page = hr.client.get("/themes?lang=en").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- suggestions ------------------------------------------------------------------------------


def codes(url: str, **kwargs: Any) -> dict[str, Any]:
    themes = all_themes(url)
    by_id = {theme.id: theme.code for theme in themes}
    return {by_id[theme_id]: suggestion for theme_id, suggestion in suggest_themes(themes, **kwargs).items()}


def found(url: str, language: str, answer: str) -> set[str]:
    """The codes of the themes suggested for one answer."""
    return set(codes(url, texts=[answer], language=language))


def test_matching_ignores_case_and_accents_and_uses_word_stems(database_url: str) -> None:
    found = codes(database_url, texts=["Les RÉMUNÉRATIONS et le Télétravail"], language="fr")
    assert found["pay_benefits"].words == ["RÉMUNÉRATIONS"]
    assert found["flexibility_balance"].words == ["Télétravail"]
    dutch = codes(database_url, texts=["De salarissen en Lonen waren laag; VERLONING ook."], language="nl")
    assert dutch["pay_benefits"].words == ["salarissen", "Lonen", "VERLONING"]


def test_multi_word_keywords_match_in_order(database_url: str) -> None:
    found = codes(database_url, texts=["On m'offrait des voitures de société ailleurs."], language="fr")
    assert found["pay_benefits"].words == ["voitures de société"]
    assert "pay_benefits" not in codes(database_url, texts=["La société a une voiture."], language="fr")


def test_a_stem_matches_only_at_the_start_of_a_word(database_url: str) -> None:
    # "repay" contains "pay" but does not start with it.
    assert "pay_benefits" not in codes(database_url, texts=["I had to repay my studies."], language="en")


def test_the_answers_language_picks_the_keywords(database_url: str) -> None:
    # "pays" (country) starts like the English stem "pay": French answers use French keywords only.
    assert "pay_benefits" not in codes(database_url, texts=["Je quitte le pays."], language="fr")
    assert "pay_benefits" in codes(database_url, texts=["Je quitte le pays."], language=None)


def test_low_scores_and_pay_suggest_themes(database_url: str) -> None:
    found = codes(database_url, texts=[], language="en", pay_factor="yes",
                  scores={"manager_support_score": 1, "training_score": 2, "recognition_score": 3,
                          "tasks_match_score": 5})
    assert set(found) == {"management", "training_onboarding", "pay_benefits"}
    assert [(s.question, s.value) for s in found["management"].signals] == [("manager_support_score", 1)]
    assert found["management"].words == []


def test_retired_themes_are_never_suggested(database_url: str, theme_ids: dict[str, int]) -> None:
    async def retire(session):
        (await session.get(Theme, theme_ids["management"])).active = False

    run(retire, database_url)
    found = codes(database_url, texts=["my manager"], language="en", scores={"manager_support_score": 1})
    assert "management" not in found


def test_keyword_helpers() -> None:
    assert fold("Élève ÇA") == "eleve ca"
    assert parse_keywords(" Loon , ,loon,Salaris ") == ["Loon", "Salaris"]


# (language, answer as a leaver would put it, themes a careful HR reader tags)
REALISTIC_ANSWERS = [
    ("nl", "Het loon lag ver onder wat concurrenten bieden, en opslag was er al twee jaar niet.", {"pay_benefits"}),
    ("nl", "Mijn leidinggevende gaf nooit feedback en communiceerde beslissingen pas achteraf.", {"management"}),
    ("nl", "Ik zag geen doorgroeimogelijkheden: na vijf jaar nog altijd dezelfde functie, geen promotie in zicht.",
     {"growth_career"}),
    ("nl", "De werkdruk was te hoog door de onderbezetting, ik deed elke week overuren.", {"workload_autonomy"}),
    ("nl", "Geen thuiswerk mogelijk en het pendelen kostte me elke dag twee uur.", {"flexibility_balance"}),
    ("nl", "Mijn eerste weken waren chaotisch: geen onthaal, geen opleiding, niemand die me begeleidde.",
     {"training_onboarding"}),
    ("nl", "Goed werk werd nooit opgemerkt, ik voelde me niet gewaardeerd.", {"recognition"}),
    ("nl", "We verhuizen naar Gent voor de job van mijn partner.", {"other"}),
    ("nl", "De sfeer in het team was slecht en er werd gepest.", {"culture_engagement"}),
    ("nl", "De job was helemaal niet wat in de vacature stond.", {"role_mismatch"}),
    ("nl", "Elders krijg ik een bedrijfswagen en maaltijdcheques, en mijn baas luisterde nooit.",
     {"pay_benefits", "management"}),
    ("nl", "Ik wil iets totaal anders gaan doen.", set()),
    ("fr", "Le salaire était nettement inférieur au marché et aucune prime depuis deux ans.", {"pay_benefits"}),
    ("fr", "Mon responsable ne donnait jamais de feedback et la communication était inexistante.", {"management"}),
    ("fr", "Aucune perspective d'évolution, pas de promotion possible dans mon service.", {"growth_career"}),
    ("fr", "La charge de travail était intenable, toujours en sous-effectif, beaucoup de stress.",
     {"workload_autonomy"}),
    ("fr", "Pas de télétravail et des horaires impossibles à concilier avec ma famille.", {"flexibility_balance"}),
    ("fr", "Aucun accueil à mon arrivée et pas de formation pour apprendre le logiciel.", {"training_onboarding"}),
    ("fr", "Je ne me suis jamais senti reconnu pour mon travail.", {"recognition"}),
    ("fr", "Je déménage à Liège pour des raisons personnelles.", {"other"}),
    ("fr", "L'ambiance dans l'équipe était devenue toxique, il y avait du harcèlement.", {"culture_engagement"}),
    ("fr", "Le poste ne correspondait pas à la description de poste, les tâches étaient autres.", {"role_mismatch"}),
    ("fr", "Je quitte le pays pour rejoindre ma famille à l'étranger.", {"other"}),
    ("fr", "Un concurrent m'offre une voiture de société et un meilleur salaire.", {"pay_benefits"}),
    ("en", "The pay was well below the market and there was no raise for two years.", {"pay_benefits"}),
    ("en", "My manager micromanaged everything and never gave useful feedback.", {"management"}),
    ("en", "There was no career path and no chance of promotion.", {"growth_career"}),
    ("en", "Constant overtime and understaffing led me close to burnout.", {"workload_autonomy"}),
    ("en", "No remote work and a two-hour commute every day.", {"flexibility_balance"}),
    ("en", "Onboarding was non-existent and I had no training at all.", {"training_onboarding"}),
    ("en", "I never felt valued; nobody noticed the extra work I did.", {"recognition"}),
    ("en", "I am moving abroad with my family.", {"other"}),
    ("en", "The team culture had become toxic.", {"culture_engagement"}),
    ("en", "The job was not what was described in the job description.", {"role_mismatch"}),
    ("en", "I decided to leave because a competitor offered a better salary.", {"pay_benefits"}),
    ("en", "I want to go back to studying full time.", {"other"}),
]
# Suggestions are hints that HR confirms or ignores: a miss costs HR a tick, a false hint a glance.
# At 0.8 most tags come pre-suggested and four in five hints are right, so HR keeps trusting them;
# per language 0.7, so that one language's keywords cannot quietly break. Measured with the seeded
# keywords of revision 0002 and stems alone: precision 0.89, recall 0.92; with the keywords of 0026 and
# the reading of negation, praise and word senses (issue 26): 1.00 and 1.00.
OVERALL_FLOOR = 0.8
PER_LANGUAGE_FLOOR = 0.7


def test_suggestion_quality_on_realistic_answers(database_url: str) -> None:
    totals: dict[str, list[int]] = {}
    for language, answer, expected in REALISTIC_ANSWERS:
        found = set(codes(database_url, texts=[answer], language=language))
        for key in (language, "all"):
            counts = totals.setdefault(key, [0, 0, 0])
            counts[0] += len(found & expected)
            counts[1] += len(found - expected)
            counts[2] += len(expected - found)
    for key, (hits, false_hints, misses) in totals.items():
        precision, recall = hits / (hits + false_hints), hits / (hits + misses)
        print(f"suggestions {key}: precision {precision:.2f}, recall {recall:.2f}")
        floor = OVERALL_FLOOR if key == "all" else PER_LANGUAGE_FLOOR
        assert precision >= floor, key
        assert recall >= floor, key


# The misses of issue 26, measured on a held-out corpus of exit answers: a careful HR reader's themes.
ISSUE_EXAMPLES = [
    # A theme that is denied is no reason to leave; "nooit" (never) is a complaint, not a denial.
    ("nl", "Het loon was niet het probleem. Mijn baas communiceerde nooit.", {"management"}),
    # Praised, then contrasted with the real issue.
    ("en", "Pay was fine. The real issue was my lead.", {"management"}),
    # Wanting to learn is about growing, not only about training.
    ("nl", "Ik wilde bijleren over cloud.", {"growth_career", "training_onboarding"}),
    # Unclear expectations and rare feedback come from the manager: not a job that differs from its description.
    ("en", "Expectations were never clear and the annual review was the only real feedback.", {"management"}),
    # "family" here says where to live, not how to combine work and family.
    ("en", "Relocating to be closer to family.", {"other"}),
    # Coaching that the manager never gave is about management, not a training programme.
    ("en", "My manager micromanaged everything and never gave useful feedback or coaching.", {"management"}),
]


@pytest.mark.parametrize("language, answer, expected", ISSUE_EXAMPLES)
def test_the_issues_examples_get_the_themes_a_careful_reader_gives(
    database_url: str, language: str, answer: str, expected: set[str]
) -> None:
    assert set(codes(database_url, texts=[answer], language=language)) == expected


def test_negation_contrast_and_praise_are_read_per_mention(database_url: str) -> None:
    def found(language: str, answer: str) -> set[str]:
        return set(codes(database_url, texts=[answer], language=language))

    # A lack is a complaint, whether the negation comes before or after the theme's word.
    assert found("fr", "Pas de formation, et mon salaire n'a pas bougé depuis trois ans.") == {
        "training_onboarding", "pay_benefits"}
    assert found("en", "I wasn't paid enough.") == {"pay_benefits"}
    # Denied, praised or thanked: no theme, in each language.
    assert found("fr", "Ce n'était pas une question de salaire.") == set()
    assert found("nl", "Ik had geen klachten over mijn chef of over het loon.") == set()
    assert found("en", "The team was great, but my manager played favourites.") == {"management"}
    assert found("fr", "Merci pour tout, je remercie toute l'équipe.") == set()
    # The same theme praised in one clause and criticised in the next is still suggested.
    assert found("en", "Remote work was fine, but the office hours were too rigid.") == {"flexibility_balance"}
    # A reason denied covers a list, up to a clause with a verb of its own; past praise is no praise now.
    assert found("en", "Not because of my manager, the team or the pay.") == set()
    assert found("en", "It wasn't about the money, it was the lack of training.") == {"training_onboarding"}
    assert found("nl", "De sfeer was vroeger goed, nu is ze om zeep.") == {"culture_engagement"}


# How an answer is read (issue 26, third round): (mechanism, language, answer, the themes a careful reader gives).
READINGS = [
    # cleared after: "Aan mijn baas lag het niet", "had nothing to do with it", "n'y est pour rien".
    ("cleared after", "nl", "Aan mijn baas lag het niet, ik verdiende te weinig.", {"pay_benefits"}),
    ("cleared after", "nl", "Het lag niet aan mijn baas: ik verdiende te weinig.", {"pay_benefits"}),
    ("cleared after", "nl", "Mijn baas had er niets mee te maken, het loon was te laag.", {"pay_benefits"}),
    ("cleared after", "en", "My manager had nothing to do with it; the pay was too low.", {"pay_benefits"}),
    ("cleared after", "en", "The pay wasn't what made me leave, it was the hours.", {"flexibility_balance"}),
    ("cleared after", "fr", "Mon chef n'y est pour rien, c'est le salaire qui était trop bas.", {"pay_benefits"}),
    ("cleared after", "fr", "Mon chef n'a rien à voir là-dedans, le salaire était trop bas.", {"pay_benefits"}),
    # The clearing reaches back over a list, not over a clause that says something of its own.
    ("cleared after", "en", "My manager was rude and the team had nothing to do with it.", {"management"}),
    ("cleared after", "en", "The job was not what I expected.", {"role_mismatch"}),
    # resumption: "het werk zelf was prima" praises the work, not the studies named before it.
    ("resumption", "nl", "Ik ga terug studeren, het werk zelf was prima.", {"other"}),
    ("resumption", "nl", "Mijn baas, mijn collega's en mijn loon: allemaal in orde.", set()),
    ("resumption", "fr", "Le télétravail, ça allait.", set()),
    # contrast: "not the job" denies the job as the reason; the manager named after the contrast is the reason.
    ("contrast", "en", "It wasn't the job, it was my manager's constant criticism.", {"management"}),
    ("contrast", "en", "The job was not what I was promised.", {"role_mismatch"}),
    # Decisions without a word of why are how the place is managed, not a lack of training.
    ("sense", "nl", "Beslissingen vielen boven ons hoofd zonder enige uitleg.", {"management"}),
    ("sense", "fr", "Les décisions tombaient sans aucune explication.", {"management"}),
    ("sense", "en", "Decisions came without any explanation.", {"management"}),
    # A path to a lead's role is growth, not a comment on one's lead.
    ("sense", "en", "What would keep me: a clear route to team lead within two years.", {"growth_career"}),
    # sense: a pension scheme offered is a benefit; someone else retiring is no reason of the speaker's.
    ("sense", "en", "The new place offers a pension scheme and private health cover.", {"pay_benefits"}),
    ("sense", "nl", "Doorgroeien kon alleen als er iemand met pensioen ging.", {"growth_career"}),
    ("sense", "fr", "Mon contrat de remplacement se termine.", {"other"}),
    # A boss presenting one's ideas as theirs is about recognition and about the boss.
    ("sense", "fr", "Ma cheffe présentait mes idées comme les siennes.", {"management", "recognition"}),
    # gap: "zelf beslissen" in "zelf niets beslissen"; but not over any word ("zelf vandaag beslissen" stays apart).
    ("gap", "nl", "Ik mocht zelf niets beslissen.", {"workload_autonomy"}),
    ("gap", "nl", "Ik moet zelf vandaag beslissen of ik blijf.", set()),
    # "Als mijn leidinggevende" is "if my manager", not a lead's job.
    ("title", "nl", "Als mijn leidinggevende zo blijft communiceren, ben ik weg.", {"management"}),
    # support: support given is praise ("mijn baas steunde me altijd"), unless denied.
    ("support", "nl", "De opleidingen waren top en mijn baas steunde me altijd.", set()),
    ("support", "en", "My manager always supported me, but the pay was too low.", {"pay_benefits"}),
    ("support", "fr", "Mon chef m'a toujours soutenu, mais le salaire était trop bas.", {"pay_benefits"}),
    ("support", "nl", "Mijn baas steunde me nooit.", {"management"}),
    # same job: the same job paid more elsewhere is about pay.
    ("same job", "nl", "Voor dezelfde job betaalt de buurgemeente tweehonderd euro meer.", {"pay_benefits"}),
    ("same job", "fr", "Pour le même travail, on me propose 15 % de plus ailleurs.", {"pay_benefits"}),
    ("same job", "en", "For the same job I'll earn a lot more in the city.", {"pay_benefits"}),
    # approval: everything approved at several levels leaves no room to decide, whoever approves it.
    ("approval", "en", "Everything had to be approved at three levels.", {"workload_autonomy"}),
    ("approval", "fr", "Tout devait être approuvé par trois niveaux hiérarchiques.", {"workload_autonomy"}),
    ("approval", "nl", "Alles moest via drie niveaus worden goedgekeurd.", {"workload_autonomy"}),
    # care: caring full-time for one's family is a personal reason; part-time to care for them is balance.
    ("care", "en", "I'm going to care full-time for my sick husband.", {"other"}),
    ("care", "fr", "Je vais m'occuper à temps plein de mon mari malade.", {"other"}),
    ("care", "en", "I need part-time work to care for my father.", {"flexibility_balance"}),
    # belief: no longer believing in the company is about its culture.
    ("belief", "nl", "Ik geloofde niet meer in het bedrijf.", {"culture_engagement"}),
    ("belief", "fr", "Je ne croyais plus en l'entreprise.", {"culture_engagement"}),
    ("belief", "en", "I no longer believed in the company.", {"culture_engagement"}),
]


@pytest.mark.parametrize("mechanism, language, answer, expected", READINGS)
def test_the_answers_are_read_as_a_careful_reader_does(
    database_url: str, mechanism: str, language: str, answer: str, expected: set[str]
) -> None:
    assert found(database_url, language, answer) == expected, mechanism


def test_a_suggestion_still_shows_the_words_that_triggered_it(database_url: str) -> None:
    found = codes(database_url, texts=["Het loon was niet het probleem. Mijn baas communiceerde nooit."],
                  language="nl")
    assert found["management"].words == ["baas", "communiceerde"]
    # A keyword read over a small word, and a phrase that gives words their sense, show all their words.
    assert codes(database_url, texts=["Ik mocht zelf niets beslissen."], language="nl")[
        "workload_autonomy"].words == ["zelf niets beslissen"]
    assert codes(database_url, texts=["I no longer believed in the company."], language="en")[
        "culture_engagement"].words == ["no longer believed in the company"]


CORPUS = Path(__file__).parent / "samples" / "theme_answers.tsv"
# Written afresh for issue 26 before the rules were read; its misses were never read while tuning, only its
# figures were looked at (python -m bench themes).
FRESH_CORPUS = Path(__file__).parent / "samples" / "theme_answers_heldout.tsv"
# Written and tagged without reading the rules or the other corpora; no floor here, so that nobody tunes on it.
BLIND_CORPUS = Path(__file__).parent / "samples" / "theme_answers_blind.tsv"
# F1 per language, just below what the rules reach, so that a change that loses ground fails. The tuning corpus
# (1,134 answers since the third round of issue 26, all read while tuning but the last 30) reaches 0.974 (nl),
# 0.978 (fr), 0.964 (en);
# the fresh one 0.920 (nl), 0.893 (fr), 0.934 (en), where the rules before it was written reached 0.84 in each
# language.
F1_FLOORS = {
    CORPUS.name: {"nl": 0.97, "fr": 0.975, "en": 0.96, "all": 0.97},
    FRESH_CORPUS.name: {"nl": 0.915, "fr": 0.885, "en": 0.93, "all": 0.91},
}


@pytest.mark.parametrize("corpus", [CORPUS, FRESH_CORPUS], ids=lambda path: path.stem)
def test_suggestions_reach_the_f1_floor_per_language_on_the_hand_tagged_corpora(
    database_url: str, corpus: Path
) -> None:
    """The corpora of tests/samples (nl, fr, en; python -m bench themes prints the details)."""
    themes = all_themes(database_url)
    by_id = {theme.id: theme.code for theme in themes}
    counts: dict[str, list[int]] = {}
    answers = 0
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        _id, language, _split, tags, answer = line.split("\t")
        answers += 1
        expected = set(filter(None, tags.split(",")))
        found = {by_id[theme_id] for theme_id in suggest_themes(themes, texts=[answer], language=language)}
        for key in (language, "all"):
            hits, wrong, missed = counts.setdefault(key, [0, 0, 0])
            counts[key] = [hits + len(found & expected), wrong + len(found - expected), missed + len(expected - found)]
    assert answers >= 150 and set(counts) == {"nl", "fr", "en", "all"}
    scores = {key: round(2 * hits / (2 * hits + wrong + missed), 3) for key, (hits, wrong, missed) in counts.items()}
    floors = F1_FLOORS[corpus.name]
    assert all(scores[key] >= floors[key] for key in floors), (scores, floors)


def test_the_hand_tagged_corpora_are_well_formed(database_url: str) -> None:
    """Five tab-separated columns, ids unique over every corpus (python -m bench themes keeps the suggestions by id),
    a known language, split and theme codes, and at least 70 answers per language in the blind corpus."""
    codes = {theme.code for theme in all_themes(database_url)}
    splits = {CORPUS: {"dev", "heldout"}, FRESH_CORPUS: {"heldout"}, BLIND_CORPUS: {"blind"}}
    seen: dict[int, str] = {}
    for corpus, allowed_splits in splits.items():
        per_language: dict[str, int] = {}
        for number, line in enumerate(corpus.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            where = f"{corpus.name}:{number}"
            columns = line.split("\t")
            assert len(columns) == 5, where
            answer_id, language, split, tags, answer = columns
            assert answer_id.isdigit() and int(answer_id) not in seen, (where, seen.get(int(answer_id)))
            seen[int(answer_id)] = where
            assert language in {"nl", "fr", "en"} and split in allowed_splits, where
            themes = tags.split(",") if tags else []
            assert set(themes) <= codes and len(set(themes)) == len(themes), (where, tags)
            assert answer.strip() == answer and answer, where
            per_language[language] = per_language.get(language, 0) + 1
        if corpus == BLIND_CORPUS:
            assert set(per_language) == {"nl", "fr", "en"} and min(per_language.values()) >= 70, per_language


def test_hr_can_save_every_seeded_theme_as_it_stands(hr: Persona, database_url: str) -> None:
    """The keywords the migrations seed keep the rules of the theme form (at least three letters, at most 100
    per language), so that HR can edit a theme without first deleting keywords it never typed."""
    for theme in all_themes(database_url):
        form = {name: getattr(theme, name) for name in (
            "name_nl", "name_fr", "name_en", "description_nl", "description_fr", "description_en",
            "keywords_nl", "keywords_fr", "keywords_en")}
        response = hr.post(f"/themes/{theme.id}", {**form, "active": "on"}, follow_redirects=False)
        assert response.status_code == 303, (theme.code, response.text[:2000])


def test_suggestions_use_keywords_that_hr_added(hr: Persona, database_url: str) -> None:
    hr.post("/themes", theme_form(keywords_nl="file, parkeer"))
    found = codes(database_url, texts=["Elke dag twee uur in de FILE."], language="nl")
    assert found["mobility"].words == ["FILE"]


def test_theme_counts_on_the_taxonomy_page(
    hr: Persona, make_department: Callable[..., Any], make_job_family: Callable[..., Any],
    make_interview: Callable[..., ExitInterview],
) -> None:
    department, family = make_department("Logistics"), make_job_family("Warehouse")
    for _ in range(3):
        make_interview(department=department, job_family=family, themes=["management"])
    page = hr.client.get("/themes?lang=en").text
    row = re.search(r"<td>Management and communication</td>.*?</tr>", page, re.S)
    assert row and "<td>3</td>" in row.group(0)
