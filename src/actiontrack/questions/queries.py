"""Extra questions read and saved: the list and its summary, the questions of a group, an interview's answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.models import (
    ExitInterview,
    ExtraQuestion,
    QuestionAnswer,
    ReleasedAnswer,
    StayInterview,
    StayQuestionAnswer,
    User,
)
from actiontrack.params import is_id
from actiontrack.questions.rules import ENTITY, QUESTION_FIELDS, applies_to, asked_in, audited, is_offered
from actiontrack.retention import ENTITY as INTERVIEW_ENTITY
from actiontrack.retention import STAY_ENTITY

# Where the answers of each kind of interview are kept ("exit": exit interviews, "stay": stay interviews).
ANSWER_MODELS: dict[str, type[QuestionAnswer] | type[StayQuestionAnswer]] = {
    "exit": QuestionAnswer, "stay": StayQuestionAnswer}
INTERVIEW_ENTITIES = {"exit": INTERVIEW_ENTITY, "stay": STAY_ENTITY}


async def all_questions(session: AsyncSession) -> list[ExtraQuestion]:
    """Every version of every question, the newest series first, each series' versions together."""
    result = await session.execute(select(ExtraQuestion).order_by(ExtraQuestion.series_id.desc(),
                                                                  ExtraQuestion.id.desc()))
    return list(result.scalars())


@dataclass
class Summary:
    """How one version of a question was answered: the count, and per value (score, yes 1/no 0, option)."""

    answers: int = 0
    by_value: dict[int, int] = field(default_factory=dict)

    @property
    def average(self) -> float | None:
        counted = sum(self.by_value.values())
        return sum(value * number for value, number in self.by_value.items()) / counted if counted else None


async def summaries(session: AsyncSession) -> dict[int, Summary]:
    """Each question version's answers in exit and stay interviews, counted in SQL (for HR only: no threshold
    applies here)."""
    by_question: dict[int, Summary] = {}
    for model in ANSWER_MODELS.values():
        result = await session.execute(
            select(model.question_id, model.value, func.count()).group_by(model.question_id, model.value))
        for question_id, value, number in result.all():
            summary = by_question.setdefault(question_id, Summary())
            summary.answers += number
            if value is not None:
                summary.by_value[value] = summary.by_value.get(value, 0) + number
    return by_question


async def question_or_404(session: AsyncSession, question_id: int) -> ExtraQuestion:
    question = await session.get(ExtraQuestion, question_id) if is_id(question_id) else None
    if question is None:
        raise NotFoundException()
    return question


async def answered_languages(session: AsyncSession, *, series_id: int) -> set[str]:
    """The languages of the interviews (exit or stay) that answered any version of a question."""
    found: set[str] = set()
    for interview, model in ((ExitInterview, QuestionAnswer), (StayInterview, StayQuestionAnswer)):
        result = await session.execute(
            select(interview.language).distinct()
            .join(model, model.interview_id == interview.id)
            .join(ExtraQuestion, ExtraQuestion.id == model.question_id)
            .where(ExtraQuestion.series_id == series_id)
        )
        found.update(result.scalars())
    return found


async def has_answers(session: AsyncSession, *, question_id: int) -> bool:
    """Whether a version has answers, or had some counted in a released period (its wording then stays)."""
    return bool(await session.scalar(select(func.count()).select_from(QuestionAnswer)
                                     .where(QuestionAnswer.question_id == question_id))
                or await session.scalar(select(func.count()).select_from(StayQuestionAnswer)
                                        .where(StayQuestionAnswer.question_id == question_id))
                or await session.scalar(select(func.count()).select_from(ReleasedAnswer)
                                        .where(ReleasedAnswer.question_id == question_id)))


async def questions_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, ExtraQuestion]:
    """Versions of questions by id (those that exist)."""
    if not ids:
        return {}
    result = await session.execute(select(ExtraQuestion).where(ExtraQuestion.id.in_(list(ids))))
    return {question.id: question for question in result.scalars()}


async def add_question(
    session: AsyncSession, *, values: Mapping[str, Any], actor: User, request: Request,
) -> ExtraQuestion:
    """A new question (its first version), audited."""
    question = ExtraQuestion(**values)
    session.add(question)
    await session.flush()
    question.series_id = question.id
    audit.record(session, actor=actor, verb="create", entity=ENTITY, entity_id=question.id, changes=dict(values),
                 request=request)
    return question


async def change_question(
    session: AsyncSession, *, question: ExtraQuestion, values: Mapping[str, Any], actor: User, request: Request,
) -> ExtraQuestion:
    """Apply an edit: in place when unanswered, else as a new version (the old one keeps its answers' wording)."""
    before = {name: getattr(question, name) for name in QUESTION_FIELDS}
    changes = audit.changed_fields(before, dict(values))
    if not changes:
        return question
    if await has_answers(session, question_id=question.id):
        question.current = False
        newer = ExtraQuestion(**values, series_id=question.series_id, active=question.active)
        session.add(newer)
        await session.flush()
        audit.record(session, actor=actor, verb="create", entity=ENTITY, entity_id=newer.id,
                     changes={"replaces": question.id, **changes}, request=request)
        return newer
    for name, value in values.items():
        setattr(question, name, value)
    audit.record(session, actor=actor, verb="update", entity=ENTITY, entity_id=question.id, changes=changes,
                 request=request)
    return question


# --- the questions of an interview ------------------------------------------------------------


async def offered_questions(session: AsyncSession, *, kind: str = "exit") -> list[ExtraQuestion]:
    """The questions asked on new interviews of `kind` (newest version, not retired), in the form's order."""
    result = await session.execute(select(ExtraQuestion).where(ExtraQuestion.current, ExtraQuestion.active)
                                   .order_by(ExtraQuestion.series_id, ExtraQuestion.id))
    return [question for question in result.scalars() if asked_in(question, kind)]


async def questions_for(
    session: AsyncSession, *, department_id: int | None, job_family_id: int | None, interview_id: int | None = None,
    kind: str = "exit",
) -> list[ExtraQuestion]:
    """The questions an interview form of `kind` (exit or stay) asks: those offered to its group, and those it
    already answered."""
    model = ANSWER_MODELS[kind]
    answered = set()
    if interview_id is not None:
        answered = set((await session.execute(select(model.question_id)
                                              .where(model.interview_id == interview_id))).scalars())
    candidates = (await session.execute(
        select(ExtraQuestion).where((ExtraQuestion.current & ExtraQuestion.active) | ExtraQuestion.id.in_(answered))
        .order_by(ExtraQuestion.series_id, ExtraQuestion.id)
    )).scalars()
    return [question for question in candidates if question.id in answered or (
        is_offered(question) and asked_in(question, kind)
        and applies_to(question, department_id=department_id, job_family_id=job_family_id))]


async def answers_of(session: AsyncSession, *, interview_id: int, kind: str = "exit") -> dict[int, Any]:
    """An interview's answers to extra questions, by question id."""
    model = ANSWER_MODELS[kind]
    result = await session.execute(select(model).where(model.interview_id == interview_id))
    return {answer.question_id: answer for answer in result.scalars()}


async def answered_questions(session: AsyncSession, *, interview_id: int,
                             kind: str = "exit") -> list[tuple[ExtraQuestion, Any]]:
    """An interview's answers with the version of the question they answered, in the form's order."""
    model = ANSWER_MODELS[kind]
    result = await session.execute(
        select(ExtraQuestion, model).join(model, model.question_id == ExtraQuestion.id)
        .where(model.interview_id == interview_id).order_by(ExtraQuestion.series_id, ExtraQuestion.id)
    )
    return [(question, answer) for question, answer in result.all()]


async def add_answers(session: AsyncSession, *, interview_id: int, answers: Mapping[int, QuestionAnswer],
                      kind: str = "exit") -> None:
    """A new interview's answers to extra questions, audited with the interview's own entry (the survey's names
    no link or address; the API's lists them as the form's do)."""
    session.add_all(ANSWER_MODELS[kind](interview_id=interview_id, question_id=question_id, value=answer.value,
                                        text=answer.text) for question_id, answer in answers.items())


async def save_answers(
    session: AsyncSession, *, interview_id: int, answers: Mapping[int, QuestionAnswer], asked: Sequence[ExtraQuestion],
    actor: User, request: Request, kind: str = "exit",
) -> None:
    """Replace an interview's answers to the questions `asked`; audited (free text by its length) when they change."""
    model = ANSWER_MODELS[kind]
    asked_ids = [question.id for question in asked]
    before = {question_id: answer
              for question_id, answer in (await answers_of(session, interview_id=interview_id, kind=kind)).items()
              if question_id in asked_ids}
    old, new = audited(before), audited(answers)
    changes = audit.changed_fields(old, new)
    for question_id in before:
        if question_id not in answers:
            changes[f"question_{question_id}"] = [old[f"question_{question_id}"], None]
    for question_id, answer in answers.items():
        if question_id in before and before[question_id].text != answer.text:
            changes[f"question_{question_id}"] = [old[f"question_{question_id}"], new[f"question_{question_id}"]]
    if not changes:
        return
    if asked_ids:
        await session.execute(delete(model).where(model.interview_id == interview_id,
                                                  model.question_id.in_(asked_ids)))
    session.add_all(model(interview_id=interview_id, question_id=question_id, value=answer.value,
                          text=answer.text) for question_id, answer in answers.items())
    # Filed under the interview, so deleting or erasing it empties these entries too.
    audit.record(session, actor=actor, verb="answer", entity=INTERVIEW_ENTITIES[kind], entity_id=interview_id,
                 changes=changes, request=request)

