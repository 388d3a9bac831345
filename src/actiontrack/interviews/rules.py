"""What an interview is made of, exit or stay: the standard questions and their answers, how a submitted form is
checked, and which themes its answers suggest.

Pure functions (no routes, no session): the interview forms of both kinds, the online surveys, the API and the
import all check answers with these. The stay interview's names start with `STAY_` (`STAY_ANSWER_FIELDS`,
`stay_labels`, `check_stay_answers`); what differs by kind takes the kind, "exit" or "stay" (`suggestions_for`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlencode

from actiontrack import clock
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import (
    SCORE_QUESTIONS,
    STAY_SCORE_QUESTIONS,
    Channel,
    Department,
    ExitInterview,
    JobFamily,
    PayFactor,
    TenureBand,
    Theme,
    WouldReturn,
    column_limit,
)
from actiontrack.params import parse_id
from actiontrack.retention import FREE_TEXTS
from actiontrack.settings import LANGUAGES
from actiontrack.themes.rules import LOW_SCORE_THEMES, STAY_LOW_SCORE_THEMES, Suggestion, suggest_themes

# The model's limit: long enough for a frank answer, short enough to keep pages and the database sane.
MAX_ANSWER = column_limit(ExitInterview, "reason_for_leaving")
EARLIEST_EXIT_DATE = date(2000, 1, 1)
TENURE_LABELS = {
    TenureBand.UNDER_1.value: N_("Less than 1 year"),
    TenureBand.FROM_1_TO_2.value: N_("1 to 2 years"),
    TenureBand.FROM_2_TO_5.value: N_("2 to 5 years"),
    TenureBand.FROM_5_TO_10.value: N_("5 to 10 years"),
    TenureBand.OVER_10.value: N_("More than 10 years"),
}
CHANNEL_LABELS = {Channel.INTERVIEW.value: N_("Exit interview"), Channel.SURVEY.value: N_("Online survey")}
PAY_FACTOR_LABELS = {PayFactor.YES.value: N_("Yes"), PayFactor.PARTLY.value: N_("Partly"), PayFactor.NO.value: N_("No")}
WOULD_RETURN_LABELS = {
    WouldReturn.YES.value: N_("Yes"), WouldReturn.MAYBE.value: N_("Maybe"), WouldReturn.NO.value: N_("No"),
}
# FREE_TEXTS (the two open questions and the interviewer's notes) lives with the retention rules that erase it.
QUESTION_LABELS = {
    "department_id": N_("Department"),
    "job_family_id": N_("Job family"),
    "tenure_band": N_("How long did you work here?"),
    "exit_date": N_("Last working day"),
    "channel": N_("How the feedback was given"),
    "language": N_("Language of the answers"),
    "reason_for_leaving": N_("Why are you leaving?"),
    "pay_factor": N_("Did pay play a part in your decision to leave?"),
    "tasks_match_score": N_("My tasks matched the job as it was described to me"),
    "manager_support_score": N_("My manager supported me"),
    "training_score": N_("I got the training I needed"),
    "recognition_score": N_("My work was recognised"),
    "improvement_suggestion": N_("What should we improve?"),
    "would_return": N_("Would you come back to work here?"),
    "recommend_score": N_("How likely are you to recommend us as an employer to a friend?"),
    "notes": N_("Interviewer's notes"),
    "themes": N_("Themes"),
}
# The order of the form (and of the error summary).
ANSWER_FIELDS = (
    "tenure_band", "exit_date", "reason_for_leaving", "pay_factor", *SCORE_QUESTIONS,
    "improvement_suggestion", "would_return", "recommend_score",
)
INTERVIEW_FIELDS = ("department_id", "job_family_id", "channel", "language", *ANSWER_FIELDS, "notes", "themes")
# The form's fields that are columns of the interview (themes are rows of their own table).
COLUMN_FIELDS = tuple(name for name in INTERVIEW_FIELDS if name != "themes")

# The stay interview's.
STAY_CHANNEL_LABELS = {Channel.INTERVIEW.value: N_("Stay conversation"), Channel.SURVEY.value: N_("Online survey")}
STAY_QUESTION_LABELS = {
    "department_id": N_("Department"),
    "job_family_id": N_("Job family"),
    "channel": N_("How the feedback was given"),
    "language": N_("Language of the answers"),
    "held_on": N_("Date of the conversation"),
    "tenure_band": N_("How long have you worked here?"),
    "keeps_here": N_("What keeps you working here?"),
    "might_leave": N_("What could make you leave?"),
    "should_change": N_("What should change?"),
    "growth_score": N_("I can grow here"),
    "recognition_score": N_("My work is recognised"),
    "manager_support_score": N_("My manager supports me"),
    "workload_score": N_("My workload is manageable"),
    "notes": N_("Interviewer's notes"),
    "themes": N_("Themes"),
}
# The questions of the stay survey, in the order of the form (and of the error summary).
STAY_ANSWER_FIELDS = ("tenure_band", "keeps_here", "might_leave", "should_change", *STAY_SCORE_QUESTIONS)
# HR's form; a manager's form is the same without channel and themes.
STAY_INTERVIEW_FIELDS = ("department_id", "job_family_id", "channel", "language", "held_on", *STAY_ANSWER_FIELDS,
                         "notes", "themes")
STAY_OWNER_FIELDS = tuple(name for name in STAY_INTERVIEW_FIELDS if name not in {"channel", "themes"})
STAY_COLUMN_FIELDS = tuple(name for name in STAY_INTERVIEW_FIELDS if name != "themes")

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def translated_choices(answers: Mapping[str, str]) -> list[tuple[str, str]]:
    """A question's answers as (value, label) pairs, in the request's language (exit and stay forms)."""
    return [(value, _(label)) for value, label in answers.items()]


def labels() -> dict[str, object]:
    """The questions and answer choices of interview and survey templates, in the request's language."""
    return {
        "questions": {name: _(label) for name, label in QUESTION_LABELS.items()},
        "tenure_choices": translated_choices(TENURE_LABELS),
        "channel_choices": translated_choices(CHANNEL_LABELS),
        "pay_factor_choices": translated_choices(PAY_FACTOR_LABELS),
        "would_return_choices": translated_choices(WOULD_RETURN_LABELS),
        "score_choices": [(str(score), str(score)) for score in range(1, 6)],
        "recommend_choices": [(str(score), str(score)) for score in range(11)],
        "score_questions": SCORE_QUESTIONS,
        "tenure_labels": TENURE_LABELS, "channel_labels": CHANNEL_LABELS, "pay_factor_labels": PAY_FACTOR_LABELS,
        "would_return_labels": WOULD_RETURN_LABELS,
    }


def stay_labels() -> dict[str, object]:
    """The stay questions and answer choices of the stay templates, in the request's language."""
    return {
        "questions": {name: _(label) for name, label in STAY_QUESTION_LABELS.items()},
        "tenure_choices": translated_choices(TENURE_LABELS), "channel_choices": translated_choices(STAY_CHANNEL_LABELS),
        "score_choices": [(str(score), str(score)) for score in range(1, 6)],
        "score_questions": STAY_SCORE_QUESTIONS,
        "tenure_labels": TENURE_LABELS, "channel_labels": STAY_CHANNEL_LABELS,
    }


# --- checking what was typed ------------------------------------------------------------------


def parse_date(value: str) -> date | None:
    """A year-month-day date, or None if the text is not one."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def clean_text(value: str) -> str:
    """Free text as stored: Unix line ends, no control characters (PostgreSQL refuses NUL), trimmed."""
    return _CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def form_text(data: Mapping[str, Any], name: str) -> str:
    """One field of a submitted form as text (the first value if a field was sent twice)."""
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


class AnswerChecker:
    """Checks a submitted form field by field, collecting the clean values and the errors (exit and stay forms)."""

    def __init__(self, data: Mapping[str, Any], *, values: dict[str, Any] | None = None,
                 errors: dict[str, str] | None = None) -> None:
        self.data = data
        self.values: dict[str, Any] = {} if values is None else values
        self.errors: dict[str, str] = {} if errors is None else errors

    def choice(self, name: str, allowed: Collection[str]) -> None:
        """One of the `allowed` answers."""
        value = form_text(self.data, name).strip()
        if value not in allowed:
            self.errors[name] = _("Choose one of the answers.")
        self.values[name] = value

    def listed_id(self, name: str, allowed: Collection[int | None], *, message: str) -> None:
        """The id of one of the `allowed` rows (a department, a job family); `message` explains a wrong one."""
        chosen = parse_id(form_text(self.data, name))
        if chosen not in allowed:
            self.errors[name] = message
        self.values[name] = chosen

    def score(self, name: str, low: int, high: int) -> None:
        """A whole number from `low` to `high`."""
        text = form_text(self.data, name).strip()
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None
        if number is None or not low <= number <= high:
            self.errors[name] = _("Choose a score from %(low)d to %(high)d.") % {"low": low, "high": high}
        self.values[name] = number

    def text(self, name: str, *, required: bool) -> None:
        """Free text, cleaned, at most MAX_ANSWER characters."""
        value = clean_text(form_text(self.data, name))
        if required and not value:
            self.errors[name] = _("Answer this question.")
        elif len(value) > MAX_ANSWER:
            self.errors[name] = _("Use at most %(max)d characters (this answer has %(count)d).") % {
                "max": MAX_ANSWER, "count": len(value),
            }
        self.values[name] = value

    def past_day(self, name: str, *, today: date, missing: str, future: str) -> None:
        """A date from 2000 to today; `missing` and `future` are the (translated) messages for those mistakes."""
        raw = form_text(self.data, name).strip()
        day = parse_date(raw)
        if not raw:
            self.errors[name] = missing
        elif day is None:
            self.errors[name] = _("Enter the date as year-month-day, for example %(example)s.") % {
                "example": today.replace(day=1).isoformat(),
            }
        elif day > today:
            self.errors[name] = future
        elif day < EARLIEST_EXIT_DATE:
            self.errors[name] = _("Enter a date after %(date)s.") % {"date": EARLIEST_EXIT_DATE.isoformat()}
        self.values[name] = day


def check_answers(data: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The leaver's answers, checked: shared by the interview form and the online survey."""
    check = AnswerChecker(data)
    check.choice("tenure_band", TENURE_LABELS)
    check.past_day("exit_date", today=today, missing=_("Enter the last working day."),
                   future=_("The last working day cannot be in the future."))
    check.text("reason_for_leaving", required=True)
    check.choice("pay_factor", PAY_FACTOR_LABELS)
    for name in SCORE_QUESTIONS:
        check.score(name, 1, 5)
    check.text("improvement_suggestion", required=False)
    check.choice("would_return", WOULD_RETURN_LABELS)
    check.score("recommend_score", 0, 10)
    return check.values, check.errors


def check_stay_answers(data: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The stay questions, checked: shared by the stay form and the online stay survey (which has no date)."""
    check = AnswerChecker(data)
    check.choice("tenure_band", TENURE_LABELS)
    check.text("keeps_here", required=True)
    check.text("might_leave", required=True)
    check.text("should_change", required=False)
    for name in STAY_SCORE_QUESTIONS:
        check.score(name, 1, 5)
    return check.values, check.errors


def check_held_stay_answers(data: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The stay questions and the day of the conversation (the forms of HR and managers)."""
    check = AnswerChecker(data)
    check.past_day("held_on", today=today, missing=_("Enter the date of the conversation."),
                   future=_("The conversation cannot be in the future."))
    values, errors = check_stay_answers(data, today=today)
    return {**check.values, **values}, {**check.errors, **errors}


@dataclass(frozen=True)
class FormOptions:
    """What the interview form offers: every group and theme, retired ones too (kept on old interviews)."""

    departments: Sequence[Department]
    job_families: Sequence[JobFamily]
    themes: Sequence[Theme]


Choice = TypeVar("Choice", Department, JobFamily, Theme)


def offered(choices: Sequence[Choice], *, kept: Collection[int | None] = ()) -> list[Choice]:
    """The groups or themes a form offers: the active ones, and retired ones only where already used (`kept`)."""
    return [item for item in choices if item.active or item.id in kept]


def form_choices(options: FormOptions, *, interview: Any = None,
                 current_theme_ids: Collection[int] = frozenset()) -> dict[str, object]:
    """The groups and themes an interview form (exit or stay) lists; `interview` is the one being edited."""
    return {
        "department_choices": [(item.id, item.name) for item in offered(
            options.departments, kept=(interview.department_id,) if interview else ())],
        "job_family_choices": [(item.id, item.name) for item in offered(
            options.job_families, kept=(interview.job_family_id,) if interview else ())],
        "theme_choices": offered(options.themes, kept=current_theme_ids),
    }


def form_of(interview: Any, fields: Sequence[str]) -> dict[str, str]:
    """An interview's `fields` as its edit form shows them (nothing for None)."""
    return {name: "" if (value := getattr(interview, name)) is None else str(value) for name in fields}


def values_of(interview: Any, fields: Sequence[str]) -> dict[str, Any]:
    """An interview's `fields` as values, as a checked form would have them (for theme suggestions)."""
    return {name: getattr(interview, name) for name in fields}


@dataclass(frozen=True)
class CheckedInterview:
    """A checked interview form: the clean values, the chosen theme ids, and an error per wrong field."""

    values: dict[str, Any]
    theme_ids: list[int]
    errors: dict[str, str]


def check_interview(
    data: Mapping[str, Any],
    *,
    theme_values: Sequence[str],
    options: FormOptions,
    today: date,
    current: Any = None,
    current_theme_ids: frozenset[int] = frozenset(),
    answers: Callable[..., tuple[dict[str, Any], dict[str, str]]] = check_answers,
) -> CheckedInterview:
    """Check the whole interview form; nothing may be saved unless `errors` is empty.

    `answers` checks the questions themselves: the exit questions, or the stay questions
    (check_held_stay_answers); `current` is the exit or stay interview being edited.
    """
    values, errors = answers(data, today=today)
    check = AnswerChecker(data, values=values, errors=errors)
    # Retired groups stay valid on the interviews that already have them, and only there.
    for name, choices, message in (
        ("department_id", options.departments, _("Choose a department from the list.")),
        ("job_family_id", options.job_families, _("Choose a job family from the list.")),
    ):
        kept = (getattr(current, name),) if current else ()
        check.listed_id(name, {item.id for item in offered(choices, kept=kept)}, message=message)
    check.choice("channel", CHANNEL_LABELS)
    check.choice("language", LANGUAGES)
    check.text("notes", required=False)
    theme_ids, theme_error = _checked_themes(theme_values, options=options, current_theme_ids=current_theme_ids)
    if theme_error:
        errors["themes"] = theme_error
    return CheckedInterview(values, theme_ids, errors)


def _checked_themes(
    theme_values: Sequence[str], *, options: FormOptions, current_theme_ids: frozenset[int]
) -> tuple[list[int], str | None]:
    # The themes offered are kept, sorted and once each; any other value is an error.
    allowed = {theme.id for theme in offered(options.themes, kept=current_theme_ids)}
    theme_ids = [parse_id(value) for value in theme_values]
    error = _("Choose themes from the list.") if any(theme_id not in allowed for theme_id in theme_ids) else None
    return sorted({theme_id for theme_id in theme_ids if theme_id in allowed}), error


# What each kind's answers suggest themes from: its free texts, its scores, and the theme a low score points at.
# What keeps someone here is not a problem to act on: a stay interview's suggestions come from the other answers.
SUGGESTING = {
    "exit": (FREE_TEXTS, SCORE_QUESTIONS, LOW_SCORE_THEMES),
    "stay": (("might_leave", "should_change", "notes"), STAY_SCORE_QUESTIONS, STAY_LOW_SCORE_THEMES),
}


def suggestions_for(values: Mapping[str, Any], *, themes: Sequence[Theme], kind: str = "exit") -> dict[int, Suggestion]:
    """Theme suggestions for a (possibly half-filled) form of an exit or stay interview (`kind`)."""
    texts, scores, low_score_themes = SUGGESTING[kind]
    return suggest_themes(
        themes,
        texts=[str(values.get(name) or "") for name in texts],
        language=values.get("language"),
        scores={name: values.get(name) for name in scores},
        pay_factor=values.get("pay_factor"),
        low_score_themes=low_score_themes,
    )


# --- the list's filters -----------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewFilters:
    """The filters of an interview list (exit or stay), as read from the query string."""

    department_id: int | None = None
    job_family_id: int | None = None
    theme_id: int | None = None
    channel: str | None = None
    start: date | None = None
    end: date | None = None
    errors: tuple[str, ...] = ()

    def query(self, **overrides: object) -> str:
        """The filters as a query string (for links to other pages of the list)."""
        params = {
            "department": self.department_id, "job_family": self.job_family_id, "theme": self.theme_id,
            "channel": self.channel, "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None, **overrides,
        }
        return urlencode({name: value for name, value in params.items() if value not in (None, "")})

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list."""
        return any(value is not None for value in (
            self.department_id, self.job_family_id, self.theme_id, self.channel, self.start, self.end,
        ))


def read_filters(*, department: str | None, job_family: str | None, theme: str | None, channel: str | None,
                 start: str | None, end: str | None) -> InterviewFilters:
    """Filters from the query string; a malformed one is explained and ignored."""
    errors: list[str] = []
    dates: dict[str, date | None] = {}
    for name, raw in (("start", start), ("end", end)):
        dates[name] = parse_date(raw) if raw else None
        if raw and dates[name] is None:
            errors.append(_("Dates are written year-month-day, for example %(example)s; this filter was ignored.")
                          % {"example": clock.today().replace(day=1).isoformat()})
    return InterviewFilters(
        department_id=parse_id(department) if department else None,
        job_family_id=parse_id(job_family) if job_family else None,
        theme_id=parse_id(theme) if theme else None,
        channel=channel if channel in CHANNEL_LABELS else None,
        start=dates["start"], end=dates["end"], errors=tuple(dict.fromkeys(errors)),
    )
