"""Leadership's figures of HR's extra questions: released periods only, through the disclosure module, under
the same rules as every other figure (threshold k, every count it implies 0 or at least k, one word "hidden").

A question's answers are counted like the recommendation question's (three answers that add up to a group's
leavers: the first answer, the second, no answer; a choice of more than two options: each option, no answer), so
the tests read leadership's radar as a browser would and hand what it shows to the attacker's linear program,
with that link added.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect
from test_disclosure_audit import TOLERANCE, AttackerProgram
from test_every_page import VNU

from actiontrack import clock
from actiontrack.disclosure.periods import due_periods
from actiontrack.disclosure.suppression import (
    TOTAL,
    Hidden,
    PeriodTable,
    cell_key,
    extra_answer_ids,
    group_key,
    suppress_period,
    theme_key,
)
from actiontrack.models import (
    Department,
    ExitInterview,
    ExtraQuestion,
    JobFamily,
    QuestionAnswer,
    ReleasedAnswer,
    Role,
    StayInterview,
    StayQuestionAnswer,
    User,
)
from actiontrack.settings import Settings

from browser_checks import axe_violations, hr_adds_question, sign_in_page
from conftest import LiveServer, Persona, count, deliver_survey_answers, release_now, rows, run

QUARTER = due_periods(first_exit=clock.today() - timedelta(days=400), today=clock.today(), length="quarter",
                      delay_days=30)[-1]
THRESHOLD = 5


def add_question(database_url: str, **values: Any) -> ExtraQuestion:
    async def create(session: Any) -> ExtraQuestion:
        question = ExtraQuestion(**{"kind": "yes_no", "text_en": "Did you get enough time to learn?",
                                    "text_nl": "Kreeg je genoeg tijd om bij te leren?",
                                    "text_fr": "Aviez-vous assez de temps pour vous former\u00a0?", **values})
        session.add(question)
        await session.flush()
        question.series_id = question.id
        return question

    return run(create, database_url)


def answer(database_url: str, interview: ExitInterview, question: ExtraQuestion, value: int | None,
           text: str = "") -> None:
    async def create(session: Any) -> None:
        session.add(QuestionAnswer(interview_id=interview.id, question_id=question.id, value=value, text=text))

    run(create, database_url)


def cell_text(page: str, question_id: int, group: int | str) -> str:
    found = re.search(rf'<td id="question-{question_id}-{group}"[^>]*>(.*?)</td>', page, re.S)
    assert found, f"no cell question-{question_id}-{group}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def question_cell(page: str, question_id: int, group: int | str) -> tuple[int, int] | str | None:
    """(first answers, answers) as a leader reads them; None when hidden; "–" when nobody answered."""
    text = cell_text(page, question_id, group)
    if text in ("hidden", "masqué", "verborgen"):
        return None
    if text == "–":
        return text
    numbers = re.search(r"\((\d+) \S+ (\d+)\)", text)
    assert numbers, text
    return int(numbers.group(1)), int(numbers.group(2))


def option_cells(page: str, question_id: int, group: int | str) -> list[tuple[int, int]] | str | None:
    """Each option's (answers, answers in all) as a leader reads a choice of more than two options; None when hidden."""
    text = cell_text(page, question_id, group)
    if text in ("hidden", "masqué", "verborgen"):
        return None
    if text == "–":
        return text
    found = [(int(first), int(second)) for first, second in re.findall(r"\((\d+) \S+ (\d+)\)", text)]
    assert found, text
    return found


def html_errors(page: str) -> list[str]:
    """The W3C checker's errors on a page."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page)
        checked = subprocess.run([shutil.which("java") or "java", "-jar", str(VNU), "--format", "json",
                                  "--errors-only", "--exit-zero-always", str(path)],
                                 check=False, capture_output=True, text=True, timeout=120)
    return [f"line {message.get('lastLine')}: {message['message']}"
            for message in json.loads(checked.stderr)["messages"]]


# --- what leadership sees -----------------------------------------------------------------------


def test_leadership_sees_a_questions_figure_only_where_it_is_safe(
    settings: Settings, leader: Persona, hr: Persona, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview], database_url: str,
) -> None:
    it, shop, sales = make_department("IT"), make_department("Shop"), make_department("Sales")
    developer = make_job_family("Developer")
    learn = add_question(database_url, department_ids=[it.id])
    fit = add_question(database_url, kind="scale", text_en="Did your role match the job description?",
                       text_nl="Paste je rol bij de functiebeschrijving?",
                       text_fr="Votre rôle correspondait-il à la description de fonction\u00a0?")
    notes = add_question(database_url, kind="text", text_en="What would you change?")
    rare = add_question(database_url, text_en="Would you work here again?")
    day = QUARTER.start + timedelta(days=10)
    # IT: 12 leavers, 7 yes and 5 no; scores 5, 5, 4, 4, 4 and seven times 2. Shop: 2 leavers scoring 5 and 1.
    # Sales: 6 leavers who answer nothing.
    for index in range(12):
        interview = make_interview(department=it, job_family=developer, exit_date=day)
        answer(database_url, interview, learn, 1 if index < 7 else 0)
        answer(database_url, interview, fit, (5, 5, 4, 4, 4)[index] if index < 5 else 2)
        answer(database_url, interview, notes, None, "Fewer meetings.")
        if index < 2:
            answer(database_url, interview, rare, 1)  # two answers in all: every figure of them hidden
    for index in range(2):
        interview = make_interview(department=shop, job_family=developer, exit_date=day)
        answer(database_url, interview, fit, 5 if index else 1)
    for _ in range(6):
        make_interview(department=sales, job_family=developer, exit_date=day)

    release_now(settings)
    page = leader.client.get(f"/radar?period={QUARTER.key}&by=department&lang=en").text
    assert "Extra questions" in page
    assert "Did you get enough time to learn?" in page and "Did your role match the job description?" in page
    assert "What would you change?" not in page and "Fewer meetings." not in page  # free text stays with HR
    # A question whose every figure is hidden is not listed: its row would say that someone answered it.
    assert "Would you work here again?" not in page
    assert question_cell(page, learn.id, it.id) == (7, 12)
    assert re.fullmatch(r"58\W?% answered yes \(7 of 12\)", cell_text(page, learn.id, it.id))
    # Shop's two leavers: hidden, and so is what would give them away: the whole organisation's one high
    # score beside IT's five would be Shop's.
    assert question_cell(page, fit.id, shop.id) is None
    assert None in (question_cell(page, fit.id, it.id), question_cell(page, fit.id, "all"))
    assert question_cell(page, learn.id, shop.id) is None  # the group's leavers are hidden: every figure of it
    # Frozen at release: late answers change nothing leadership reads.
    late = make_interview(department=it, job_family=developer, exit_date=day)
    answer(database_url, late, learn, 0)
    again = leader.client.get(f"/radar?period={QUARTER.key}&by=department&lang=en").text
    assert question_cell(again, learn.id, it.id) == (7, 12)
    assert count(database_url, ReleasedAnswer) > 0
    # In French and Dutch too, hidden reads as one word.
    french = leader.client.get(f"/radar?period={QUARTER.key}&by=department&lang=fr").text
    assert "Questions supplémentaires" in french and "Aviez-vous assez de temps pour vous former\u00a0?" in french
    assert question_cell(french, fit.id, shop.id) is None
    dutch = leader.client.get(f"/radar?period={QUARTER.key}&by=department&lang=nl").text
    assert "Extra vragen" in dutch and "Kreeg je genoeg tijd om bij te leren?" in dutch
    assert html_errors(page) == []
    # HR's released view shows the same, and HR's own summary the live answers.
    assert question_cell(hr.client.get(f"/radar?view=released&period={QUARTER.key}&by=department&lang=en").text,
                         learn.id, it.id) == (7, 12)


def test_a_choice_of_two_shows_its_first_option_and_a_longer_choice_each_options_share(
    settings: Settings, leader: Persona, make_department: Callable[..., Department], make_job_family: Callable[...,
                                                                                                               JobFamily],
    make_interview: Callable[..., ExitInterview], database_url: str,
) -> None:
    it, sales, developer = make_department("IT"), make_department("Sales"), make_job_family("Developer")
    two = add_question(database_url, kind="choice", text_en="Office or home?", options_en="Office\nHome")
    three = add_question(database_url, kind="choice", text_en="What slowed you most?",
                         options_en="Tools\nMeetings\nPriorities", options_fr="Outils\nRéunions\nPriorités",
                         options_nl="Tools\nVergaderingen\nPrioriteiten")
    four = add_question(database_url, kind="choice", text_en="How did you hear of us?",
                        options_en="Friends\nAdverts\nFairs\nOther")
    # IT: 20 leavers; Tools 8, Meetings 6, Priorities 6; Friends 10, Adverts 8, Fairs 2, no answer 0.
    for index in range(20):
        interview = make_interview(department=it, job_family=developer, exit_date=QUARTER.start + timedelta(days=3))
        answer(database_url, interview, two, index % 2)
        answer(database_url, interview, three, 0 if index < 8 else 1 if index < 14 else 2)
        answer(database_url, interview, four, 0 if index < 10 else 1 if index < 18 else 2)
    # Sales: 10 leavers, all Other.
    for _ in range(10):
        interview = make_interview(department=sales, job_family=developer, exit_date=QUARTER.start + timedelta(days=3))
        answer(database_url, interview, four, 3)
    release_now(settings)
    page = leader.client.get(f"/radar?period={QUARTER.key}&by=department&lang=en").text
    assert question_cell(page, two.id, it.id) == (10, 20)
    assert re.fullmatch(r"50\W?% Office \(10 of 20\)", cell_text(page, two.id, it.id))
    assert "What slowed you most?" in page
    assert option_cells(page, three.id, it.id) == [(8, 20), (6, 20), (6, 20)]
    assert re.fullmatch(r"40\W?% Tools \(8 of 20\) 30\W?% Meetings \(6 of 20\) 30\W?% Priorities \(6 of 20\)",
                        cell_text(page, three.id, it.id))
    assert option_cells(page, three.id, sales.id) == "–"  # nobody in Sales answered it
    assert option_cells(page, three.id, "all") == [(8, 20), (6, 20), (6, 20)]
    # Two Fairs in IT: every option of IT hidden together (the others would give it away by subtraction), and
    # the whole organisation's, which would give IT's away beside Sales'.
    assert option_cells(page, four.id, it.id) is None
    assert option_cells(page, four.id, "all") is None
    assert option_cells(page, four.id, sales.id) == [(0, 10), (0, 10), (0, 10), (10, 10)]
    french = leader.client.get(f"/radar?period={QUARTER.key}&by=department&lang=fr").text
    assert re.fullmatch(r"40\W?%\W?Outils \(8 sur 20\) 30\W?%\W?Réunions \(6 sur 20\) 30\W?%\W?Priorités \(6 sur 20\)",
                        cell_text(french, three.id, it.id))
    dutch = leader.client.get(f"/radar?period={QUARTER.key}&by=department&lang=nl").text
    assert "Vergaderingen" in cell_text(dutch, three.id, it.id)
    assert html_errors(page) == []


def add_stay_answering(database_url: str, *, department: Department, job_family: JobFamily,
                       answers: dict[int, int | None]) -> None:
    """A stay interview held in the quarter with its answers by question id (None: no answer)."""

    async def create(session: Any) -> None:
        stay = StayInterview(department_id=department.id, job_family_id=job_family.id, tenure_band="2to5",
                             held_on=QUARTER.start + timedelta(days=5), channel="interview", language="en",
                             growth_score=3, recognition_score=4, manager_support_score=4, workload_score=2)
        session.add(stay)
        await session.flush()
        session.add_all(StayQuestionAnswer(interview_id=stay.id, question_id=question_id, value=value)
                        for question_id, value in answers.items() if value is not None)

    run(create, database_url)


def add_stays_answering(database_url: str, *, department: Department, job_family: JobFamily,
                        question: ExtraQuestion, values: list[int | None]) -> None:
    """Stay interviews held in the quarter, one per value (None: no answer)."""
    for value in values:
        add_stay_answering(database_url, department=department, job_family=job_family, answers={question.id: value})


def test_leadership_sees_a_stay_questions_figure_with_the_stay_figures(
    settings: Settings, leader: Persona, make_department: Callable[..., Department], make_job_family: Callable[...,
                                                                                                               JobFamily],
    database_url: str,
) -> None:
    it, shop, sales = make_department("IT"), make_department("Shop"), make_department("Sales")
    developer = make_job_family("Developer")
    learn = add_question(database_url, asked_in="stay", text_en="Can you learn enough here?")
    # IT: 11 people, 6 say yes, 5 no. Shop: 1 person who does not answer. Sales: 6 people, not asked.
    add_stays_answering(database_url, department=it, job_family=developer, question=learn, values=[1] * 6 + [0] * 5)
    add_stays_answering(database_url, department=shop, job_family=developer, question=learn, values=[None])
    add_stays_answering(database_url, department=sales, job_family=developer, question=learn, values=[None] * 6)
    release_now(settings)
    page = leader.client.get(f"/radar?period={QUARTER.key}&by=department&source=stay&lang=en").text
    assert question_cell(page, learn.id, it.id) == (6, 11)
    assert question_cell(page, learn.id, shop.id) is None and question_cell(page, learn.id, sales.id) is None
    # Not among the figures of leavers.
    exits = leader.client.get(f"/radar?period={QUARTER.key}&by=department&lang=en").text
    assert "Can you learn enough here?" not in exits


# --- the arithmetic attack ----------------------------------------------------------------------


@pytest.fixture
def organisation(
    request: pytest.FixtureRequest, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview],
    database_url: str,
) -> dict[str, Any]:
    """A random organisation in the latest released quarter whose leavers (or, with the parameter (seed, "stay"),
    people in stay interviews; with (seed, "exit", "big"), 50 to 80 leavers) answer (or not) three questions:
    yes/no, a score, and a choice of four options."""
    seed, source, size = (*request.param, "small")[:3] if isinstance(request.param, tuple) else (
        request.param, "exit", "small")
    rng = random.Random(seed)
    departments = [make_department(f"Dept {index}") for index in range(rng.randint(2, 4))]
    families = [make_job_family(f"Family {index}") for index in range(rng.randint(1, 3))]
    weights = [rng.choice([1, 2, 6, 12]) for _ in departments]
    questions = [add_question(database_url), add_question(database_url, kind="scale", text_en="Workable hours?"),
                 add_question(database_url, kind="choice", text_en="What slowed you most?",
                              options_en="Tools\nMeetings\nPriorities\nTravel")]
    # Each question's answers as counted: yes/no and the score as first, second, none; the choice per option, none.
    linked = {question.id: 5 if question.kind == "choice" else 3 for question in questions}
    leavers = []
    for _ in range(rng.randint(8, 40) if size == "small" else rng.randint(50, 80)):
        department, family = rng.choices(departments, weights)[0], rng.choice(families)
        interview = make_interview(department=department, job_family=family,
                                   exit_date=QUARTER.start + timedelta(days=rng.randint(0, 80))
                                   ) if source == "exit" else None
        given, values = [], []
        for question in questions:
            roll = rng.random()
            if roll < 0.2:
                given.append(linked[question.id] - 1)  # no answer
                values.append(None)
                continue
            if question.kind == "choice":
                option = rng.choices(range(4), [rng.choice([1, 4, 12]) for _ in range(4)])[0]
                if interview is not None:
                    answer(database_url, interview, question, option)
                given.append(option)
                values.append(option)
                continue
            first = roll < rng.choice([0.3, 0.6, 0.9])
            value = ((1 if first else 0) if question.kind == "yes_no"
                     else (rng.choice([4, 5]) if first else rng.randint(1, 3)))
            if interview is not None:
                answer(database_url, interview, question, value)
            given.append(0 if first else 1)
            values.append(value)
        if source == "stay":
            add_stay_answering(database_url, department=department, job_family=family,
                               answers=dict(zip((item.id for item in questions), values, strict=True)))
        leavers.append((department.id, family.id, given))
    return {"departments": [item.id for item in departments], "families": [item.id for item in families],
            "questions": [question.id for question in questions], "leavers": leavers, "source": source,
            "linked": linked, "size": size}


def true_counts(organisation: dict[str, Any]) -> dict[tuple, int]:
    counts: dict[tuple, int] = {TOTAL: len(organisation["leavers"])}
    for department, family, given in organisation["leavers"]:
        for grouping, group in (("department", department), ("job_family", family)):
            counts[group_key(grouping, group)] = counts.get(group_key(grouping, group), 0) + 1
            for question, answer_ in zip(organisation["questions"], given, strict=True):
                key = cell_key(grouping, group, extra_answer_ids(question, organisation["linked"][question])[answer_])
                counts[key] = counts.get(key, 0) + 1
        for question, answer_ in zip(organisation["questions"], given, strict=True):
            key = theme_key(extra_answer_ids(question, organisation["linked"][question])[answer_])
            counts[key] = counts.get(key, 0) + 1
    return counts


def read_leaders_figures(leader: Persona, organisation: dict[str, Any]) -> dict[tuple, int | None]:
    """Every count leadership's radar gives of the questions (by department and by job family), None: hidden.
    A shown (first, answers) with the shown leavers gives all three answers: first, second, no answer; a choice
    of more than two options shows each option's count, which with the leavers gives no answer too."""
    shown: dict[tuple, int | None] = {}

    def put(key: tuple, value: int | None) -> None:
        assert shown.setdefault(key, value) == value, key  # the same figure reads the same everywhere

    for grouping, groups in (("department", organisation["departments"]), ("job_family", organisation["families"])):
        page = leader.client.get(f"/radar?period={QUARTER.key}&by={grouping}&source={organisation['source']}"
                                 "&lang=en").text
        for group in [*groups, "all"]:
            leavers_text = re.search(rf'<td id="leavers-{group}"[^>]*>(.*?)</td>', page, re.S).group(1)
            leavers_text = " ".join(unescape(re.sub(r"<[^>]+>", " ", leavers_text)).split())
            leavers = None if leavers_text == "hidden" else int(leavers_text)
            put(TOTAL if group == "all" else group_key(grouping, group), leavers)
            for question in organisation["questions"]:
                cell = question_cell(page, question, group) if f'id="question-{question}-{group}"' in page else None
                ids = extra_answer_ids(question, organisation["linked"][question])
                keys = [theme_key(answer_id) if group == "all" else cell_key(grouping, group, answer_id)
                        for answer_id in ids]
                if cell is None or leavers is None:
                    for key in keys:
                        put(key, None)
                    continue
                if len(ids) > 3:  # a choice of more than two options: each option's count
                    options = option_cells(page, question, group)
                    if options is None:
                        for key in keys:
                            put(key, None)
                        continue
                    given = [0] * (len(ids) - 1) if options == "–" else [first for first, _answered in options]
                    for key, value in zip(keys, (*given, leavers - sum(given)), strict=True):
                        put(key, value)
                    continue
                first, answered = (0, 0) if cell == "–" else cell
                for key, value in zip(keys, (first, answered - first, leavers - answered), strict=True):
                    put(key, value)
    return shown


def narrowed(organisation: dict[str, Any], counts: dict[tuple, int], shown: dict[tuple, int | None]) -> list[tuple]:
    """The hidden counts of 1..k-1 that the shown ones confine to 1..k-1, for an attacker who also knows that each
    leaver gives exactly one answer (first, second, none; or one option, none) to each question."""
    answer_ids = [answer_id for question in organisation["questions"]
                  for answer_id in extra_answer_ids(question, organisation["linked"][question])]
    table = PeriodTable(
        groups={"department": organisation["departments"], "job_family": organisation["families"]},
        theme_ids=answer_ids,
        leavers={(key[1], key[2]): value for key, value in counts.items() if key[0] == "group"},
        raised={(key[1], key[2], key[3]): value for key, value in counts.items() if key[0] == "cell"},
        total=counts[TOTAL], theme_totals={key[1]: value for key, value in counts.items() if key[0] == "theme"},
    )
    hidden = {key: Hidden.PROTECTED for key, value in shown.items() if value is None}
    program = AttackerProgram(table, hidden)
    pairs = len(organisation["departments"]) * len(organisation["families"])
    for index in range(pairs):
        for question in organisation["questions"]:
            columns = [pairs + index * len(answer_ids) + answer_ids.index(answer_id)
                       for answer_id in extra_answer_ids(question, organisation["linked"][question])]
            program.highs.addRow(0.0, 0.0, len(columns) + 1, np.array([*columns, index], dtype=np.int32),
                                 np.array([*([1.0] * len(columns)), -1.0]))
    found = []
    values = table.values()
    for key in sorted(key for key in hidden if 0 < values.get(key, 0) < THRESHOLD):
        low = program.solve(key, sense=1)[0]
        high = program.solve(key, sense=-1)[0]
        if low > TOLERANCE and high < THRESHOLD - TOLERANCE:
            found.append((key, values[key], low, high))
    return found


@pytest.mark.parametrize("organisation", [*range(8), *((seed, "stay") for seed in range(4)),
                                          *((seed, "exit", "big") for seed in range(8, 12))], indirect=True)
def test_no_arithmetic_on_leaderships_figures_narrows_a_hidden_answer_count(
    settings: Settings, leader: Persona, organisation: dict[str, Any],
) -> None:
    counts = true_counts(organisation)
    release_now(settings)
    shown = read_leaders_figures(leader, organisation)
    for key, value in shown.items():
        if value is not None:
            assert value == counts.get(key, 0), f"{key}: shows {value}, is {counts.get(key, 0)}"
            assert not 0 < value < THRESHOLD, f"{key}: a small count is shown"
    assert any(value is None for value in shown.values()) or min(counts.values()) >= THRESHOLD
    assert narrowed(organisation, counts, shown) == []
    if organisation["size"] == "big":  # leadership sees some option's count: the attack has something to work on
        choice = extra_answer_ids(organisation["questions"][-1], 5)
        assert any(value for key, value in shown.items() if key[0] in ("cell", "theme") and key[-1] in choice[:-1])


def random_answers(seed: int) -> dict[str, Any]:
    """Microdata of a random period with three questions counted as 3, 5 and 7 linked answers (a yes/no, a choice
    of four options, a choice of six), each answer (no answer last) drawn with its own skewed weights."""
    rng = random.Random(seed)
    departments, families = list(range(1, rng.randint(2, 6))), list(range(101, rng.randint(102, 105)))
    linked = {7: 3, 8: 5, 9: 7}
    weights = {question: [rng.choice([1, 3, 10]) for _ in range(count)] for question, count in linked.items()}
    department_weights = [rng.choice([1, 2, 6, 12]) for _ in departments]
    leavers = [(rng.choices(departments, department_weights)[0], rng.choice(families),
                [rng.choices(range(count), weights[question])[0] for question, count in linked.items()])
               for _ in range(rng.randint(15, 90))]
    return {"departments": departments, "families": families, "questions": list(linked), "leavers": leavers,
            "linked": linked}


@pytest.mark.parametrize("seed", range(100))
def test_suppression_leaves_no_answer_of_a_long_choice_to_arithmetic(seed: int) -> None:
    """Straight on the suppression (no pages): whatever it shows of questions of 3, 5 and 7 linked answers, the
    attacker who knows that every leaver gives exactly one of each question's answers narrows no hidden count."""
    organisation = random_answers(seed)
    counts = true_counts(organisation)
    linked = [extra_answer_ids(question, organisation["linked"][question]) for question in organisation["questions"]]
    table = PeriodTable(
        groups={"department": organisation["departments"], "job_family": organisation["families"]}, theme_ids=[],
        leavers={(key[1], key[2]): value for key, value in counts.items() if key[0] == "group"},
        raised={(key[1], key[2], key[3]): value for key, value in counts.items() if key[0] == "cell"},
        total=counts[TOTAL], theme_totals={key[1]: value for key, value in counts.items() if key[0] == "theme"},
        answer_ids=[answer_id for ids in linked for answer_id in ids], extra_linked=linked)
    hidden = suppress_period(table, threshold=THRESHOLD).hidden
    shown = {key: None if key in hidden else value for key, value in table.values().items()}
    assert all(not 0 < value < THRESHOLD for value in shown.values() if value is not None)
    assert narrowed(organisation, counts, shown) == []


def test_the_attack_finds_a_hidden_answer_left_over_from_a_total() -> None:
    """The attacker is not blind: the whole organisation's answers minus a group's shown answers pin the other."""
    organisation = {"departments": [1, 2], "families": [101], "questions": [7], "linked": {7: 3},
                    "leavers": [(1, 101, [0])] * 6 + [(1, 101, [1])] * 6 + [(2, 101, [0])] * 3 + [(2, 101, [1])] * 3}
    counts = true_counts(organisation)
    shown: dict[tuple, int | None] = dict(counts)
    for answer_id in extra_answer_ids(7)[:2]:
        shown[cell_key("department", 2, answer_id)] = None  # department 2's 3 yes and 3 no, hidden alone
    assert {key for key, *_ in narrowed(organisation, counts, shown)} == {
        cell_key("department", 2, extra_answer_ids(7)[0]), cell_key("department", 2, extra_answer_ids(7)[1])}


# --- the journey, in Chromium ---------------------------------------------------------------------


@pytest.mark.browser
def test_hr_asks_it_a_question_an_it_leaver_answers_it_and_leadership_sees_its_figure_only_where_safe(
    page: Page, live_server: LiveServer, make_user: Callable[..., User], make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview],
    make_survey_link: Callable[..., str], settings: Settings,
) -> None:
    url = live_server.database_url
    hilde = make_user(Role.HR, "hilde@example.com", name="Hilde HR")
    make_user(Role.LEADERSHIP, "lea.lead@example.com", name="Lea Lead")
    it, shop, sales = make_department("IT", headcount=40), make_department("Shop"), make_department("Sales")
    developer = make_job_family("Developer")

    # HR adds a yes/no question for IT, in three languages.
    sign_in_page(page, live_server, "hilde@example.com")
    hr_adds_question(page, answered="Yes or no", asked_in="In exit interviews and surveys",
                     texts=("Kreeg je genoeg tijd om bij te leren?",
                            "Aviez-vous assez de temps pour vous former\u00a0?",
                            "Did you get enough time to learn?"), department="IT")
    expect(page.get_by_role("row", name=re.compile("Did you get enough time"))).to_contain_text("IT")
    [question] = rows(url, ExtraQuestion)

    # An IT leaver answers it in the confidential survey.
    link = make_survey_link(department=it, job_family=developer, created_by=hilde, language="en")
    survey = page.context.browser.new_page()
    survey.goto(f"{live_server.url}/survey/{link}")
    survey.get_by_role("group", name="How long did you work here?").get_by_label("2 to 5 years").check()
    survey.get_by_label("Last working day").fill((clock.today() - timedelta(days=2)).isoformat())
    survey.get_by_label("Why are you leaving?").fill("A job closer to home.")
    survey.get_by_role("group", name="Did pay play a part").get_by_label("No", exact=True).check()
    for name in ("My tasks matched", "My manager supported me", "I got the training", "My work was recognised"):
        survey.get_by_role("group", name=name).get_by_label("3", exact=True).check()
    survey.get_by_role("group", name="Would you come back").get_by_label("Maybe").check()
    survey.get_by_role("group", name="How likely are you to recommend").get_by_label("8", exact=True).check()
    survey.get_by_role("group", name="Did you get enough time to learn?").get_by_label("Yes", exact=True).check()
    survey.get_by_role("button", name="Send my answers").click()
    expect(survey.get_by_role("heading", level=1)).to_be_visible()
    survey.close()
    [interview] = deliver_survey_answers(url)

    # HR sees the answer.
    page.goto(f"{live_server.url}/interviews/{interview.id}")
    answers = page.locator("dl.answers")
    expect(answers).to_contain_text("Did you get enough time to learn?")
    expect(answers).to_contain_text("Yes")

    # A released quarter: 12 IT leavers (7 yes), and 2 in Shop and 6 in Sales, who were not asked.
    day = QUARTER.start + timedelta(days=10)
    for index in range(12):
        answer(url, make_interview(department=it, job_family=developer, exit_date=day), question, 1 if index < 7 else 0)
    for _ in range(2):
        make_interview(department=shop, job_family=developer, exit_date=day)
    for _ in range(6):
        make_interview(department=sales, job_family=developer, exit_date=day)
    page.get_by_role("button", name="Sign out").click()

    # Leadership reads the figure where it is safe, and one word elsewhere (axe-core checks the page: its
    # context lets the checker's script in).
    release_now(settings)  # as the server's check does once the quarter is due
    page = page.context.browser.new_context(bypass_csp=True).new_page()
    sign_in_page(page, live_server, "lea.lead@example.com")
    page.goto(f"{live_server.url}/radar?period={QUARTER.key}")
    table = page.locator("#extra-questions")
    expect(table).to_contain_text("Did you get enough time to learn?")
    expect(page.locator(f"#question-{question.id}-{it.id}")).to_contain_text("answered yes (7 of 12)")
    expect(page.locator(f"#question-{question.id}-{shop.id}")).to_have_text("hidden")
    expect(page.locator(f"#question-{question.id}-{sales.id}")).to_have_text("hidden")
    assert axe_violations(page) == []
    page.get_by_label("Group by").select_option("job_family")  # HTMX swaps the tables in place
    expect(page.locator(f"#question-{question.id}-{developer.id}")).to_be_visible()
