"""What the columns and values of an exit interview export mean, and its rows checked as the form checks them.

Pure functions: guesses from headers in nl/fr/en (the standard questions through the catalogs, and
the names survey tools give their own columns), guesses for the values of scales, choices and groups,
and `check_rows`, which turns each row into the interview form's fields and runs the form's own checks
(interviews.rules.check_interview) and theme suggestions (interviews.rules.suggestions_for) on them.
Names, emails, respondent ids and timestamps are never mapped: nothing would store them.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from actiontrack.i18n import LANGUAGE_NAMES, N_, current_language, translations
from actiontrack.i18n import gettext as _
from actiontrack.imports.tabular import Table
from actiontrack.interviews.rules import (
    CHANNEL_LABELS,
    PAY_FACTOR_LABELS,
    QUESTION_LABELS,
    TENURE_LABELS,
    WOULD_RETURN_LABELS,
    FormOptions,
    check_interview,
    suggestions_for,
)
from actiontrack.models import SCORE_QUESTIONS, ExtraQuestion, QuestionAnswer, QuestionKind
from actiontrack.questions.rules import SCALE_RANGE, applies_to, check_answers, field_name, options, wording
from actiontrack.settings import LANGUAGES
from actiontrack.themes.rules import fold

IGNORE = "ignore"
# What a column can become: the interview form's fields (themes come from the suggestions instead).
TARGETS = (
    "department_id", "job_family_id", "tenure_band", "exit_date", "channel", "language", "reason_for_leaving",
    "pay_factor", *SCORE_QUESTIONS, "improvement_suggestion", "would_return", "recommend_score", "notes",
)
GROUPS = ("department_id", "job_family_id")
CHOICES: dict[str, Mapping[str, str]] = {
    "tenure_band": TENURE_LABELS, "pay_factor": PAY_FACTOR_LABELS, "would_return": WOULD_RETURN_LABELS,
    "channel": CHANNEL_LABELS, "language": {code: LANGUAGE_NAMES[code] for code in LANGUAGES},
}
SCALES = {**{name: (1, 5) for name in SCORE_QUESTIONS}, "recommend_score": (0, 10)}
# The answers two rows must share to be the same leaver's: the fingerprint of an imported interview.
FINGERPRINTED = (
    "department_id", "job_family_id", "tenure_band", "exit_date", "reason_for_leaving", "pay_factor",
    *SCORE_QUESTIONS, "improvement_suggestion", "would_return", "recommend_score", "notes",
)
# A value column offers one select per distinct value up to this many; beyond, values are guessed.
MAX_MAPPED_VALUES = 60

# Columns survey tools add about the respondent (Microsoft Forms, Google Forms, hand-made sheets):
# never imported, whatever HR chooses, because an imported answer carries no name.
PERSONAL_HEADERS = frozenset(fold(name) for name in (
    "ID", "Id.", "Begintijd", "Starttijd", "Tijd van voltooien", "Voltooiingstijd", "E-mail", "Email", "E-mailadres",
    "Naam", "Voornaam", "Achternaam", "Volledige naam", "Tijdstip van laatste wijziging", "Start time",
    "Completion time", "Last modified time", "Name", "Full name", "First name", "Last name", "Email address",
    "Timestamp", "Respondent", "Respondent ID", "Horodateur", "Heure de début", "Heure de fin",
    "Heure de la dernière modification", "Adresse e-mail", "Adresse courriel", "Courriel", "Nom", "Prénom",
    "Nom complet", "Personeelsnummer", "Matricule", "Employee ID", "Employee number", "Telefoon", "Téléphone",
    "Phone",
))
# Usual short names of the form's questions in exports and hand-made sheets (the full questions in the
# three languages come from the catalogs).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "department_id": ("afdeling", "departement", "department", "dienst", "service", "dept"),
    "job_family_id": ("functie", "functiefamilie", "jobfamilie", "job family", "famille de fonctions",
                      "famille de metiers", "fonction", "job", "function", "metier"),
    "tenure_band": ("ancienniteit", "anciennete", "tenure", "dienstjaren", "years of service", "seniority",
                    "length of service", "hoe lang werkte je bij ons", "hoe lang heb je bij ons gewerkt",
                    "hoe lang werkte je hier", "hoe lang ben je bij ons in dienst geweest", "hoe lang was je in dienst",
                    "hoe lang werkt u bij ons", "hoe lang werkte u bij ons",
                    "depuis combien de temps travailliez vous chez nous",
                    "depuis combien de temps travaillez vous chez nous", "combien de temps avez vous travaille ici",
                    "combien de temps as tu travaille chez nous", "how long did you work for us",
                    "how long have you worked here", "how long did you work with us", "how long were you with us"),
    "exit_date": ("laatste werkdag", "datum uit dienst", "uitdiensttreding", "exit date", "leaving date",
                  "last day", "last working day", "date de sortie", "date de depart", "dernier jour",
                  "dernier jour de travail", "end date"),
    "channel": ("kanaal", "canal", "channel"),
    "language": ("taal", "langue", "language"),
    "reason_for_leaving": ("reden van vertrek", "vertrekreden", "reason for leaving", "reason", "raison du depart",
                           "motif de depart", "raison"),
    "pay_factor": ("loon", "salaris", "verloning", "pay", "salary", "salaire", "remuneration"),
    "tasks_match_score": ("taken", "tasks", "taches"),
    "manager_support_score": ("leidinggevende", "manager", "responsable", "chef"),
    "training_score": ("opleiding", "training", "formation"),
    "recognition_score": ("erkenning", "waardering", "recognition", "reconnaissance"),
    "improvement_suggestion": ("verbetering", "suggestie", "improvement", "suggestion", "amelioration",
                               "ameliorer"),
    "would_return": ("terugkomen", "return", "come back", "revenir"),
    "recommend_score": ("aanbevelen", "aanraden", "recommend", "recommander", "nps", "enps"),
    "notes": ("notities", "notes", "opmerkingen", "remarques", "comments", "interviewer notes"),
}
# Answers as survey tools and people write them, besides the form's own labels in the three languages.
VALUE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "pay_factor": {"yes": ("ja", "oui", "y", "j", "o"), "partly": ("deels", "gedeeltelijk", "een beetje",
                   "en partie", "partiellement", "un peu", "somewhat"), "no": ("nee", "non", "n")},
    "would_return": {"yes": ("ja", "oui", "y", "j", "o"), "maybe": ("misschien", "peut-etre", "peut etre",
                     "perhaps", "possibly", "mogelijk"), "no": ("nee", "non", "n")},
    "channel": {"interview": ("gesprek", "exitgesprek", "interview", "entretien", "entretien de sortie"),
                "survey": ("enquete", "vragenlijst", "survey", "questionnaire", "online", "formulier", "form")},
    "language": {"nl": ("nl", "dutch", "nederlands", "neerlandais", "vlaams"), "fr": ("fr", "french", "frans",
                 "francais"), "en": ("en", "english", "engels", "anglais")},
}
# Words of agreement and satisfaction scales (Microsoft and Google Forms' Likert questions) as scores.
LIKERT = {
    5: ("helemaal mee eens", "volledig akkoord", "zeer tevreden", "tout a fait d'accord", "tres satisfait",
        "strongly agree", "very satisfied", "uitstekend", "excellent"),
    4: ("mee eens", "akkoord", "tevreden", "d'accord", "satisfait", "agree", "satisfied", "goed", "bien", "good"),
    3: ("neutraal", "neutre", "neutral", "noch eens noch oneens", "ni d'accord ni pas d'accord", "gemiddeld",
        "moyen", "average"),
    2: ("niet mee eens", "oneens", "niet akkoord", "ontevreden", "pas d'accord", "insatisfait", "disagree",
        "dissatisfied", "slecht", "mauvais", "poor"),
    1: ("helemaal niet mee eens", "helemaal oneens", "zeer ontevreden", "pas du tout d'accord",
        "tres insatisfait", "strongly disagree", "very dissatisfied", "zeer slecht", "tres mauvais", "very poor"),
}
_WORDS = re.compile(r"[^\w']+")
_NUMBER = re.compile(r"\d+")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,2})(?!\d)(?:\s*([-–:.)/]|$|\s))")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T].*)?$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T].*)?$")

UNKNOWN_GROUP = {
    "department_id": N_("Unknown department “%(value)s”: choose the department it is in the values below."),
    "job_family_id": N_("Unknown job family “%(value)s”: choose the job family it is in the values below."),
}
UNKNOWN_ANSWER = N_("“%(value)s” is not one of the answers: choose what it means in the values below.")
NOT_A_DATE = N_("“%(value)s” is not a date: write it as year-month-day or day/month/year.")


NOT_ASKED = N_("This question is not asked of this department or job family.")


def _key(text: str) -> str:
    """Text compared for guessing: folded, punctuation as spaces, single spaces."""
    return " ".join(_WORDS.sub(" ", fold(text).replace("’", "'")).split())


# --- columns ----------------------------------------------------------------------------------


def _names_of(target: str) -> list[str]:
    names = [_key(translations(language).ugettext(QUESTION_LABELS[target])) for language in LANGUAGES]
    return [*dict.fromkeys(names), *(_key(name) for name in SYNONYMS.get(target, ()))]


def is_personal(header: str) -> bool:
    """Whether a column holds who answered (name, email, id, timestamps): never imported."""
    return _key(header) in {_key(name) for name in PERSONAL_HEADERS}


def _header_score(header: str, names: Sequence[str]) -> float:
    key = _key(header)
    if not key:
        return 0
    best = 0.0
    padded = f" {key} "
    for name in names:
        if key == name:
            return 100
        if f" {name} " in padded:
            best = max(best, 50 + len(name) / 10)
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        if ratio >= 0.75:
            best = max(best, ratio * 60)
    return best


# --- HR's extra questions (questions/): a column can be the answers to one of them -----------------


def question_targets(questions: Sequence[ExtraQuestion]) -> dict[str, ExtraQuestion]:
    """The extra questions a column can become, by target name (the form's field name)."""
    return {field_name(question): question for question in questions}


def _question_of(target: str, questions: Sequence[ExtraQuestion]) -> ExtraQuestion | None:
    """The extra question a column mapped to `target` answers, if any: asked for every cell of a preview
    and of an import, so no table of every question is built for it."""
    if not questions or target in TARGETS or target == IGNORE:
        return None
    return next((question for question in questions if field_name(question) == target), None)


def _question_names(question: ExtraQuestion) -> list[str]:
    return [*dict.fromkeys(_key(getattr(question, f"text_{language}")) for language in LANGUAGES
                           if getattr(question, f"text_{language}"))]


def targets_of(questions: Sequence[ExtraQuestion]) -> tuple[str, ...]:
    """Every field a column can become: the form's, then the extra questions'."""
    return (*TARGETS, *question_targets(questions))


def guess_columns(headers: Sequence[str], questions: Sequence[ExtraQuestion] = ()) -> dict[int, str]:
    """Each column's likely interview field (or IGNORE), each field given to one column at most."""
    names = {target: _question_names(question) for target, question in question_targets(questions).items()}
    scored = []
    for index, header in enumerate(headers):
        if is_personal(header):
            continue
        for target in targets_of(questions):
            score = _header_score(header, names[target] if target in names else _names_of(target))
            if score:
                scored.append((score, index, target))
    guessed: dict[int, str] = {index: IGNORE for index in range(len(headers))}
    taken: set[str] = set()
    for _score, index, target in sorted(scored, key=lambda item: (-item[0], item[1])):
        if guessed[index] == IGNORE and target not in taken:
            guessed[index] = target
            taken.add(target)
    return guessed


# --- values -----------------------------------------------------------------------------------


def choices_for(target: str, options: FormOptions, questions: Sequence[ExtraQuestion] = ()) -> list[tuple[str, str]]:
    """What one value of a column mapped to `target` can become, as (value, label) in the page's language."""
    question = _question_of(target, questions)
    if question is not None:
        return _question_choices(question)
    if target == "department_id":
        return [(str(item.id), item.name) for item in options.departments if item.active]
    if target == "job_family_id":
        return [(str(item.id), item.name) for item in options.job_families if item.active]
    if target in CHOICES:
        return [(code, _(label) if target != "language" else label) for code, label in CHOICES[target].items()]
    if target in SCALES:
        low, high = SCALES[target]
        return [(str(number), str(number)) for number in range(low, high + 1)]
    return []


def _question_choices(question: ExtraQuestion) -> list[tuple[str, str]]:
    if question.kind == QuestionKind.SCALE:
        low, high = SCALE_RANGE
        return [(str(number), str(number)) for number in range(low, high + 1)]
    if question.kind == QuestionKind.YES_NO:
        return [("yes", _("Yes")), ("no", _("No"))]
    if question.kind == QuestionKind.CHOICE:
        return [(str(position), option) for position, option in enumerate(options(question, current_language()))]
    return []


def has_values(target: str, questions: Sequence[ExtraQuestion] = ()) -> bool:
    """Whether a column mapped to `target` has its values mapped one by one."""
    question = _question_of(target, questions)
    if question is not None:
        return question.kind != QuestionKind.TEXT
    return target in GROUPS or target in CHOICES or target in SCALES


def _guess_answer(question: ExtraQuestion, raw: str, key: str) -> str:
    """A cell as an answer to an extra question: a score, "yes"/"no" (in nl, fr or en), or an option's position."""
    if question.kind == QuestionKind.SCALE:
        return _scale_value(raw, key, *SCALE_RANGE)
    if question.kind == QuestionKind.YES_NO:
        for code in ("yes", "no"):
            names = {code, *(_key(translations(language).ugettext(code.capitalize())) for language in LANGUAGES),
                     *(_key(name) for name in VALUE_SYNONYMS["would_return"][code])}
            if key in names:
                return code
        return ""
    if question.kind == QuestionKind.CHOICE:
        for language in LANGUAGES:
            for position, option in enumerate(options(question, language)):
                if _key(option) == key:
                    return str(position)
        return ""
    return raw


def guess_value(target: str, raw: str, options: FormOptions, questions: Sequence[ExtraQuestion] = ()) -> str:
    """The likely meaning of one cell for `target`, or "" when unknown."""
    key = _key(raw)
    if not key:
        return ""
    question = _question_of(target, questions)
    if question is not None:
        return _guess_answer(question, raw, key)
    if target in GROUPS:
        items = options.departments if target == "department_id" else options.job_families
        for item in items:
            if item.active and _key(item.name) == key:
                return str(item.id)
        return ""
    if target in SCALES:
        return _scale_value(raw, key, *SCALES[target])
    if target in CHOICES:
        for code, label in CHOICES[target].items():
            names = {_key(code), *(_key(translations(language).ugettext(label)) for language in LANGUAGES)}
            names.update(_key(name) for name in VALUE_SYNONYMS.get(target, {}).get(code, ()))
            if key in names:
                return code
        if target == "tenure_band":
            return _tenure_value(raw)
    return ""


def _scale_value(raw: str, key: str, low: int, high: int) -> str:
    text = raw.strip()
    if re.fullmatch(r"\d{1,2}(\.0+)?", text):
        number = int(float(text))
        return str(number) if low <= number <= high else text  # out of range: the check says so
    leading = _LEADING_NUMBER.match(text)
    if leading:
        number = int(leading.group(1))
        return str(number) if low <= number <= high else text
    if (low, high) == (1, 5):
        for score, words in LIKERT.items():
            if key in {_key(word) for word in words}:
                return str(score)
    return ""


def _tenure_value(raw: str) -> str:
    """Bands as people write them: "<1", "1-2 jaar", "2 à 5 ans", "> 10", "meer dan 10"."""
    numbers = [int(number) for number in _NUMBER.findall(raw)]
    words = _key(raw).split()
    less = any(word in words for word in ("minder", "less", "moins", "under", "onder")) or "<" in raw
    more = any(word in words for word in ("meer", "more", "plus", "over")) or ">" in raw
    if (numbers == [1] and less) or numbers == [0, 1]:
        return "lt1"
    if numbers == [10] and more:
        return "gt10"
    return {(1, 2): "1to2", (2, 5): "2to5", (5, 10): "5to10"}.get(tuple(numbers[:2]), "")


def exit_date_text(raw: str) -> str:
    """A cell as an ISO date when it is one in a usual way (2026-03-31, 31/03/2026, 31.03.26), else as it came."""
    text = raw.strip()
    for pattern, order in ((_YEAR_FIRST, (0, 1, 2)), (_DAY_FIRST, (2, 1, 0))):
        found = pattern.match(text)
        if found:
            parts = found.groups()
            year, month, day = (int(parts[order[0]]), int(parts[order[1]]), int(parts[order[2]]))
            if year < 100:
                year += 2000
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return text
    return text


# --- the mapping HR chose -------------------------------------------------------------------


@dataclass(frozen=True)
class ImportMapping:
    """Which field each column becomes, what each value of a value column means, and the choices made once."""

    columns: dict[int, str]
    values: dict[int, dict[str, str]]
    channel: str = "survey"
    language: str = "nl"
    accept_suggestions: bool = False
    skip_problems: bool = False

    def column_of(self, target: str) -> int | None:
        return next((index for index, chosen in self.columns.items() if chosen == target), None)


def distinct_values(table: Table, index: int) -> list[tuple[str, int]]:
    """The different non-empty values of a column with how often each occurs, in a stable order."""
    counts = Counter(row[index] for row in table.rows if row[index])
    return sorted(counts.items(), key=lambda item: (_key(item[0]), item[0]))


def headers_hash(headers: Sequence[str]) -> str:
    """What identifies a file's header row whatever its case, accents and punctuation
    (the key of a remembered mapping)."""
    return hashlib.sha256(json.dumps([_key(header) for header in headers]).encode()).hexdigest()


def remembered_columns(headers: Sequence[str], remembered: Mapping[str, str],
                       questions: Sequence[ExtraQuestion] = ()) -> dict[int, str]:
    """A remembered mapping as columns of this header row: each field once, never a personal column (and an
    extra question only while it is asked)."""
    columns: dict[int, str] = {}
    used: set[str] = set()
    targets = targets_of(questions)
    for index, header in enumerate(headers):
        chosen = remembered.get(str(index), IGNORE)
        if is_personal(header) or chosen not in targets or chosen in used:
            chosen = IGNORE
        columns[index] = chosen
        if chosen != IGNORE:
            used.add(chosen)
    return columns


def read_mapping(form: Mapping[str, Any], table: Table, options: FormOptions, *, language: str,
                 remembered: Mapping[str, str] | None = None, questions: Sequence[ExtraQuestion] = ()) -> ImportMapping:
    """The mapping submitted with the form, or the first guess: the columns HR chose for the same headers
    last time (`remembered`), else the guesses from the headers; values are guessed where nothing (valid)
    was submitted."""

    def text(name: str) -> str:
        value = form.get(name, "")
        if isinstance(value, list):
            value = value[0] if value else ""
        return value.strip() if isinstance(value, str) else ""

    submitted = text("mapped") == "1"
    guessed = (remembered_columns(table.headers, remembered, questions) if remembered
               else guess_columns(table.headers, questions))
    targets = targets_of(questions)
    columns: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(table.headers):
        chosen = text(f"column-{index}") if submitted else guessed[index]
        if is_personal(header) or chosen not in targets or chosen in used:
            chosen = IGNORE
        columns[index] = chosen
        if chosen != IGNORE:
            used.add(chosen)
    values: dict[int, dict[str, str]] = {}
    for index, target in columns.items():
        if not has_values(target, questions):
            continue
        allowed = {value for value, _label in choices_for(target, options, questions)}
        mapped: dict[str, str] = {}
        distinct = distinct_values(table, index)
        for position, (raw, _count) in enumerate(distinct):
            chosen = text(f"value-{index}-{position}") if submitted and len(distinct) <= MAX_MAPPED_VALUES else ""
            mapped[raw] = chosen if chosen in allowed else guess_value(target, raw, options, questions)
        values[index] = mapped
    channel = text("channel") if text("channel") in CHANNEL_LABELS else "survey"
    chosen_language = text("language") if text("language") in LANGUAGES else language
    return ImportMapping(columns, values, channel=channel, language=chosen_language,
                         accept_suggestions=text("accept_suggestions") == "1",
                         skip_problems=text("skip_problems") == "1")


# --- rows -------------------------------------------------------------------------------------


@dataclass
class CheckedRow:
    """One row of the file as an interview: its values, problems and suggested themes."""

    number: int
    values: dict[str, Any]
    problems: list[str]
    theme_ids: list[int]
    fingerprint: str
    duplicate_of: int | None = None  # an earlier row of the same file with the same answers
    answers: dict[int, QuestionAnswer] = field(default_factory=dict)  # to extra questions, by question id
    imported: bool = False  # already imported before (its fingerprint is known)

    @property
    def importable(self) -> bool:
        return not self.problems and self.duplicate_of is None and not self.imported


@dataclass
class CheckedFile:
    rows: list[CheckedRow] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)

    @property
    def importable(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.importable]

    @property
    def with_problems(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.problems and not row.imported and row.duplicate_of is None]

    @property
    def skipped(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.imported or row.duplicate_of is not None]


def fingerprint(values: Mapping[str, Any]) -> str:
    """A hash of what makes two interviews the same leaver's; the answers themselves are not kept."""
    normalised = [str(values.get(name) if values.get(name) is not None else "").strip().casefold()
                  for name in FINGERPRINTED]
    return hashlib.sha256(json.dumps(normalised, ensure_ascii=False).encode()).hexdigest()


def row_form(row: Sequence[str], mapping: ImportMapping, options: FormOptions,
             questions: Sequence[ExtraQuestion] = ()) -> tuple[dict[str, str], dict[str, str]]:
    """The interview form's fields for one row, and the raw cells that mapped to nothing (by field)."""
    form = {"channel": mapping.channel, "language": mapping.language}
    unknown: dict[str, str] = {}
    for index, target in mapping.columns.items():
        if target == IGNORE:
            continue
        raw = row[index]
        if target in ("channel", "language") and not raw:
            continue  # an empty cell keeps the choice made once for every row
        if has_values(target, questions):
            value = mapping.values.get(index, {}).get(raw)
            if value is None:
                value = guess_value(target, raw, options, questions)
            if raw and not value:
                unknown[target] = raw
            form[target] = value
        elif target == "exit_date":
            form[target] = exit_date_text(raw)
        else:
            form[target] = raw
    return form, unknown


def check_rows(table: Table, mapping: ImportMapping, options: FormOptions, *, today: date,
               questions: Sequence[ExtraQuestion] = ()) -> CheckedFile:
    """Every row checked by the interview form's own rules, with its theme suggestions and fingerprint; the
    answers to extra questions (`questions`, those a column may become) by the question's kind."""
    checked = CheckedFile()
    by_target = question_targets(questions)
    mapped = [by_target[target] for target in mapping.columns.values() if target in by_target]
    labels = {name: _(label) for name, label in QUESTION_LABELS.items()}
    themes = [theme for theme in options.themes if theme.active]
    for number in table.overlong_rows:
        checked.file_problems.append(_("Row %(row)s has more cells than the file has column headers; the extra cells "
                                       "were left out.") % {"row": number})
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        form, unknown = row_form(row, mapping, options, mapped)  # only the questions a column answers
        result = check_interview(form, theme_values=[], options=options, today=today)
        problems = []
        for name, message in result.errors.items():
            if name in unknown and name in UNKNOWN_GROUP:
                message = _(UNKNOWN_GROUP[name]) % {"value": unknown[name]}
            elif name in unknown:
                message = _(UNKNOWN_ANSWER) % {"value": unknown[name]}
            elif name == "exit_date" and form.get(name) and result.values.get(name) is None:
                message = _(NOT_A_DATE) % {"value": form[name]}
            elif name in SCALES and form.get(name):
                message = f"{message} (“{form[name]}”)"
            problems.append(f"{labels[name]}: {message}")
        answers, answer_errors = check_answers(form, mapped)
        department_id, job_family_id = result.values.get("department_id"), result.values.get("job_family_id")
        for question in mapped:
            name = field_name(question)
            message = answer_errors.get(name)
            if name in unknown:
                message = _(UNKNOWN_ANSWER) % {"value": unknown[name]}
            elif message and form.get(name):
                message = f"{message} (“{form[name]}”)"
            elif (question.id in answers and None not in (department_id, job_family_id)
                  and not applies_to(question, department_id=department_id, job_family_id=job_family_id)):
                message = _(NOT_ASKED)
            if message:
                problems.append(f"{wording(question, current_language())}: {message}")
        suggested = sorted(suggestions_for(result.values, themes=themes)) if not problems else []
        checked.rows.append(CheckedRow(number=number, values=result.values, problems=problems, theme_ids=suggested,
                                       fingerprint=fingerprint(result.values), answers=answers))
    mark_imported(checked, frozenset())
    return checked


def mark_imported(checked: CheckedFile, known: frozenset[str]) -> None:
    """Mark the rows whose fingerprint is `known` (imported before) and the repeats of an earlier row."""
    seen: dict[str, int] = {}
    for row in checked.rows:
        row.imported = not row.problems and row.fingerprint in known
        row.duplicate_of = None
        if not row.problems and not row.imported:
            row.duplicate_of = seen.get(row.fingerprint)
            seen.setdefault(row.fingerprint, row.number)
