"""What an extra question is, who is asked it, and the checks of HR's question form and of the answers."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from actiontrack.i18n import N_, current_language
from actiontrack.i18n import gettext as _
from actiontrack.interviews.rules import clean_text, form_text
from actiontrack.models import ExtraQuestion, QuestionAnswer, QuestionKind, column_limit
from actiontrack.params import parse_id
from actiontrack.settings import LANGUAGES
from actiontrack.texts import Localized, localized

ENTITY = "extra_question"
KIND_LABELS = {
    QuestionKind.SCALE.value: N_("A score from 1 to 5"),
    QuestionKind.YES_NO.value: N_("Yes or no"),
    QuestionKind.CHOICE.value: N_("One choice from a list"),
    QuestionKind.TEXT.value: N_("Free text (for HR only)"),
}
# Where a question is asked: exit interviews and surveys, stay interviews and surveys, or both.
ASKED_IN_LABELS = {
    "exit": N_("In exit interviews and surveys"),
    "stay": N_("In stay interviews and surveys"),
    "both": N_("In both"),
}
TEXT_FIELDS = tuple(f"text_{language}" for language in LANGUAGES)
OPTION_FIELDS = tuple(f"options_{language}" for language in LANGUAGES)
# What a new version copies and an edit compares.
QUESTION_FIELDS = ("kind", "asked_in", *TEXT_FIELDS, *OPTION_FIELDS, "department_ids", "job_family_ids")
SCALE_RANGE = (1, 5)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def field_name(question: ExtraQuestion) -> str:
    """The name of a question's answer in a form."""
    return f"question_{question.id}"


def wording(question: ExtraQuestion, language: str) -> Localized:
    """The question in `language`, else in the first language that has it."""
    return localized({code: getattr(question, f"text_{code}") for code in LANGUAGES}, language)


def options(question: ExtraQuestion, language: str) -> list[str]:
    """A choice question's options in `language` (or the first language that has them)."""
    text = localized({code: getattr(question, f"options_{code}") for code in LANGUAGES}, language).text
    return option_lines(text)


def option_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def applies_to(question: ExtraQuestion, *, department_id: int | None, job_family_id: int | None) -> bool:
    """Whether a leaver of this department and job family is asked the question."""
    if not question.department_ids and not question.job_family_ids:
        return True
    return department_id in question.department_ids or job_family_id in question.job_family_ids


def asked_in(question: ExtraQuestion, kind: str) -> bool:
    """Whether the question is asked in interviews of `kind` ("exit" or "stay")."""
    return question.asked_in in (kind, "both")


def is_offered(question: ExtraQuestion) -> bool:
    """Asked on new interviews: the newest version, not retired."""
    return question.current and question.active


# --- HR's question form -----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedQuestion:
    values: dict[str, Any]
    errors: dict[str, str]


def check_question(
    data: Mapping[str, Any], *, department_ids: Sequence[str], job_family_ids: Sequence[str],
    known_departments: Collection[int], known_job_families: Collection[int], answered_languages: Collection[str] = (),
) -> CheckedQuestion:
    """HR's question form, checked; nothing may be saved unless `errors` is empty.

    `answered_languages`: the languages in which the question (any version) has answers; its text may not be
    emptied in those.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    # Forms made before stay interviews asked extra questions send no "asked_in": they meant exit interviews.
    for name, labels, default, message in (
            ("kind", KIND_LABELS, "", N_("Choose how the question is answered.")),
            ("asked_in", ASKED_IN_LABELS, "exit", N_("Choose where the question is asked."))):
        values[name] = form_text(data, name).strip() or default
        if values[name] not in labels:
            errors[name] = _(message)
    kind = values["kind"]
    for language in LANGUAGES:
        name = f"text_{language}"
        # Runs of spaces and line breaks become one space; a non-breaking space (French "?") stays.
        text = _SPACES.sub(" ", clean_text(form_text(data, name))).strip(" ")
        limit = column_limit(ExtraQuestion, name)
        if len(text) > limit:
            errors[name] = _("Use at most %(max)d characters (this answer has %(count)d).") % {
                "max": limit, "count": len(text)}
        elif not text and language in answered_languages:
            errors[name] = _("This question has answers in this language: its text cannot be emptied.")
        values[name] = text
    if not any(values[name] for name in TEXT_FIELDS) and "text_en" not in errors:
        errors["text_en"] = _("Write the question in at least one language.")
    _check_options(data, kind, values, errors)
    for name, chosen, known in (("department_ids", department_ids, known_departments),
                                ("job_family_ids", job_family_ids, known_job_families)):
        ids = [parse_id(value) for value in chosen]
        if any(item not in known for item in ids):
            errors[name] = _("Choose from the list.")
        values[name] = sorted({item for item in ids if item in known})
    return CheckedQuestion(values, errors)


def _check_options(data: Mapping[str, Any], kind: str, values: dict[str, Any], errors: dict[str, str]) -> None:
    """A choice question's options in each language (the same number in each); other kinds have none."""
    counts = set()
    for language in LANGUAGES:
        name = f"options_{language}"
        lines = option_lines(clean_text(form_text(data, name))) if kind == QuestionKind.CHOICE else []
        values[name] = "\n".join(lines)
        if len(values[name]) > column_limit(ExtraQuestion, name):
            errors[name] = _("Use at most %(max)d characters (this answer has %(count)d).") % {
                "max": column_limit(ExtraQuestion, name), "count": len(values[name])}
        if lines:
            counts.add(len(lines))
    if kind == QuestionKind.CHOICE:
        if not counts or max(counts) < 2:
            errors["options_en"] = _("Give at least two options, one a line.")
        elif len(counts) > 1:
            errors["options_en"] = _("Give the same number of options in each language, in the same order.")


# --- a leaver's answers -----------------------------------------------------------------------


def check_answers(
    data: Mapping[str, Any], questions: Sequence[ExtraQuestion],
) -> tuple[dict[int, QuestionAnswer], dict[str, str]]:
    """The answers to extra questions (each optional), by question id, and an error per wrong one."""
    answers: dict[int, QuestionAnswer] = {}
    errors: dict[str, str] = {}
    for question in questions:
        name = field_name(question)
        raw = form_text(data, name).strip()
        if not raw:
            continue
        if question.kind == QuestionKind.TEXT:
            text = clean_text(form_text(data, name))
            limit = column_limit(QuestionAnswer, "text")
            if len(text) > limit:
                errors[name] = _("Use at most %(max)d characters (this answer has %(count)d).") % {
                    "max": limit, "count": len(text)}
            answers[question.id] = QuestionAnswer(question_id=question.id, text=text)
            continue
        number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else None
        if question.kind == QuestionKind.SCALE:
            low, high = SCALE_RANGE
            if number is None or not low <= number <= high:
                errors[name] = _("Choose a score from %(low)d to %(high)d.") % {"low": low, "high": high}
        elif question.kind == QuestionKind.YES_NO:
            number = {"yes": 1, "no": 0}.get(raw)
            if number is None:
                errors[name] = _("Choose one of the answers.")
        elif number is None or number >= len(options(question, "en")):
            errors[name] = _("Choose one of the answers.")
        answers[question.id] = QuestionAnswer(question_id=question.id, value=number)
    return answers, errors


def form_items(questions: Sequence[ExtraQuestion], language: str) -> list[dict[str, Any]]:
    """The questions as a form lists them (templates/interviews/_extra_questions.html), in `language`."""
    return [{"name": field_name(question), "kind": question.kind, "label": wording(question, language),
             "choices": list(enumerate(options(question, language)))} for question in questions]


def form_context(questions: Sequence[ExtraQuestion], *, labels: Mapping[str, str], order: Sequence[str],
                 before: str | None = None) -> dict[str, Any]:
    """What a form asking the extra `questions` beside the standard ones (labelled `labels`, in `order`) adds to
    its template's context (the interview forms and the surveys): the questions in the reader's language, the
    labels of all (for the error summary) and the form's order, the extra ones before the field `before` or last."""
    items = form_items(questions, current_language())
    order = list(order)
    at = order.index(before) if before else len(order)
    order[at:at] = [item["name"] for item in items]
    return {"extra_questions": items, "yes_no_choices": [("yes", _("Yes")), ("no", _("No"))], "field_order": order,
            "questions": {**labels, **{item["name"]: item["label"] for item in items}}}


def form_value(answer: QuestionAnswer | None, question: ExtraQuestion) -> str:
    """An answer as the form shows it."""
    if answer is None:
        return ""
    if question.kind == QuestionKind.TEXT:
        return answer.text
    if question.kind == QuestionKind.YES_NO:
        return {1: "yes", 0: "no"}.get(answer.value, "")
    return "" if answer.value is None else str(answer.value)


def shown_answer(answer: QuestionAnswer, question: ExtraQuestion, language: str) -> str:
    """An answer as a reader of `language` sees it (HR's pages; the export in the interview's language)."""
    if question.kind == QuestionKind.TEXT:
        return answer.text
    if question.kind == QuestionKind.SCALE:
        return str(answer.value)  # pages add "/5" as they do for the standard scores
    if question.kind == QuestionKind.YES_NO:
        return _("Yes") if answer.value else _("No")
    choices = options(question, language)
    return choices[answer.value] if answer.value is not None and answer.value < len(choices) else ""


def exported_answer(answer: QuestionAnswer, question: ExtraQuestion, language: str) -> int | str:
    """An answer in an access request's export: a score as a number, yes/no as "yes"/"no", an option in `language`."""
    if question.kind == QuestionKind.SCALE:
        return answer.value
    if question.kind == QuestionKind.YES_NO:
        return form_value(answer, question)
    return shown_answer(answer, question, language)


def audited(answers: Mapping[int, QuestionAnswer]) -> dict[str, Any]:
    """Answers as the audit trail keeps them: free text only by its length."""
    return {f"question_{question_id}": (f"{len(answer.text)} characters" if answer.value is None else answer.value)
            for question_id, answer in answers.items()}


# --- leadership's figures ---------------------------------------------------------------------
# Outside HR an answer counts as the first or the second of two (or as no answer), so that the disclosure
# module can count a question like the recommendation question: three answers that add up to the leavers.
# A score of 4 or 5 is the first, 1 to 3 the second; yes the first, no the second; a choice its option's
# position (a choice of more than two options is counted per option, and no answer). Free text stays with HR.
HIGH_SCORES = (4, 5)
FIRST_ANSWER_LABELS = {QuestionKind.SCALE.value: N_("scored 4 or 5"), QuestionKind.YES_NO.value: N_("answered yes")}


def shown_to_leadership(question: ExtraQuestion) -> bool:
    """Whether leadership sees a figure of the question (through disclosure/)."""
    return question.kind in FIRST_ANSWER_LABELS or question.kind == QuestionKind.CHOICE


def leadership_answer(question: ExtraQuestion, value: int | None) -> int | None:
    """An answer as leadership's figures count it: 0 (the first answer), 1 (the second), a choice's option
    (0, 1, 2, ...) or None (not counted)."""
    if value is None or not shown_to_leadership(question):
        return None
    if question.kind == QuestionKind.SCALE:
        return 0 if value in HIGH_SCORES else 1
    if question.kind == QuestionKind.YES_NO:
        return 0 if value == 1 else 1
    return value if 0 <= value < len(options(question, "en")) else None


def counted_answers(question: ExtraQuestion) -> int:
    """How many answers leadership's figures count for a question, with no answer: 3 (first, second, none),
    or a choice's options and none."""
    if question.kind == QuestionKind.CHOICE:
        return max(len(options(question, "en")), 2) + 1
    return 3


def first_answer_label(question: ExtraQuestion, language: str) -> str:
    """What the share leadership sees counts, in `language`: "scored 4 or 5", "answered yes", or the first option."""
    if question.kind in FIRST_ANSWER_LABELS:
        return _(FIRST_ANSWER_LABELS[question.kind])
    return options(question, language)[0]


def answer_labels(question: ExtraQuestion, language: str) -> tuple[str, ...]:
    """What each share leadership sees of a question counts, in `language`: the first answer's label
    (first_answer_label), or each option of a choice of more than two."""
    if counted_answers(question) > 3:
        return tuple(options(question, language))
    return (first_answer_label(question, language),)
