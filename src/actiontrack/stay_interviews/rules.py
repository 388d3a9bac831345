"""What a stay interview is made of: its questions and their labels, how a submitted form is checked, and which
themes its answers suggest.

Pure functions (no routes, no session): HR's and managers' forms and the online stay survey check answers with
these; the checks themselves are the exit interview's (interviews.rules).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.interviews.rules import TENURE_LABELS, AnswerChecker, translated_choices
from actiontrack.models import STAY_SCORE_QUESTIONS, Channel, Theme
from actiontrack.themes.rules import STAY_LOW_SCORE_THEMES, Suggestion, suggest_themes

CHANNEL_LABELS = {Channel.INTERVIEW.value: N_("Stay conversation"), Channel.SURVEY.value: N_("Online survey")}
QUESTION_LABELS = {
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
ANSWER_FIELDS = ("tenure_band", "keeps_here", "might_leave", "should_change", *STAY_SCORE_QUESTIONS)
# HR's form; a manager's form is the same without channel and themes.
INTERVIEW_FIELDS = ("department_id", "job_family_id", "channel", "language", "held_on", *ANSWER_FIELDS, "notes",
                    "themes")
OWNER_FIELDS = tuple(name for name in INTERVIEW_FIELDS if name not in {"channel", "themes"})
# The form's fields that are columns of the stay interview (themes are rows of their own table).
COLUMN_FIELDS = tuple(name for name in INTERVIEW_FIELDS if name != "themes")
# What keeps someone here is not a problem to act on: suggestions come from the other answers.
SUGGESTING_TEXTS = ("might_leave", "should_change", "notes")


def labels() -> dict[str, object]:
    """The stay questions and answer choices of the stay templates, in the request's language."""
    return {
        "questions": {name: _(label) for name, label in QUESTION_LABELS.items()},
        "tenure_choices": translated_choices(TENURE_LABELS), "channel_choices": translated_choices(CHANNEL_LABELS),
        "score_choices": [(str(score), str(score)) for score in range(1, 6)],
        "score_questions": STAY_SCORE_QUESTIONS,
        "tenure_labels": TENURE_LABELS, "channel_labels": CHANNEL_LABELS,
    }


# --- checking what was typed ------------------------------------------------------------------


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


def suggestions_for(values: Mapping[str, Any], *, themes: Sequence[Theme]) -> dict[int, Suggestion]:
    """Theme suggestions for a (possibly half-filled) stay form."""
    return suggest_themes(
        themes,
        texts=[str(values.get(name) or "") for name in SUGGESTING_TEXTS],
        language=values.get("language"),
        scores={name: values.get(name) for name in STAY_SCORE_QUESTIONS},
        low_score_themes=STAY_LOW_SCORE_THEMES,
    )
