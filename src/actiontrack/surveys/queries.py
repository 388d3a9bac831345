"""Survey links and answers in the database: making, finding and claiming a link, HR's list of links, the answers
kept with the link's use, and the interviews they become later, with their audit entries."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from litestar import Request
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack import audit
from actiontrack.auth.tokens import is_token_shaped, new_secret, token_digest
from actiontrack.models import (
    AuditEvent,
    Channel,
    Department,
    ExitInterview,
    JobFamily,
    QuestionAnswer,
    Source,
    StayInterview,
    StayQuestionAnswer,
    SurveyAnswer,
    SurveyInvitation,
    User,
)
from actiontrack.paging import page_number
from actiontrack.retention import ENTITY as EXIT_ENTITY
from actiontrack.retention import STAY_ENTITY
from actiontrack.surveys.rules import DATE_ANSWERS, ENTITY, LinkStatus, day_of, link_status, status_condition

logger = logging.getLogger("actiontrack.surveys")
PAGE_SIZE = 25


async def create_invitation(
    session: AsyncSession, *, department_id: int, job_family_id: int, language: str, created_by: User,
    days: int, now: datetime, kind: str = Source.EXIT.value,
) -> tuple[SurveyInvitation, str]:
    """A new link to the exit or stay survey; the token is returned once and only its hash is kept."""
    token, digest = new_secret()
    invitation = SurveyInvitation(
        token_hash=digest, department_id=department_id, job_family_id=job_family_id,
        language=language, created_by_id=created_by.id, created_at=now, expires_at=now + timedelta(days=days),
        kind=kind,
    )
    session.add(invitation)
    await session.flush()
    return invitation, token


async def save_new_invitation(
    session: AsyncSession, *, department_id: int, job_family_id: int, language: str, kind: str, days: int,
    now: datetime, actor: User, request: Request,
) -> str:
    """Make a link for HR, audited (until it is used: see `claim`); its token, returned once."""
    invitation, token = await create_invitation(
        session, department_id=department_id, job_family_id=job_family_id, language=language, created_by=actor,
        days=days, now=now, kind=kind,
    )
    audit.record(session, actor=actor, verb="create", entity=ENTITY, entity_id=invitation.id,
                 changes={"kind": kind, "department_id": department_id, "job_family_id": job_family_id,
                          "language": language, "expires_at": invitation.expires_at}, request=request)
    return token


async def find_invitation(session: AsyncSession, *, token: str) -> SurveyInvitation | None:
    """The link with this token, or None."""
    if not is_token_shaped(token):
        return None
    query = select(SurveyInvitation).where(SurveyInvitation.token_hash == token_digest(token))
    return (await session.execute(query)).scalar_one_or_none()


async def claim(session: AsyncSession, *, invitation: SurveyInvitation, now: datetime) -> bool:
    """Mark a link used, if it still can be; of two simultaneous submissions exactly one gets True.

    One conditional UPDATE: the database serialises concurrent writers on the row, and the loser
    finds `used_at` already set (PostgreSQL re-checks the condition; SQLite lets one writer at a time).
    The same UPDATE makes the link forget its group and maker and keep days only; its creation's
    audit entry forgets its details, maker, address and moment (the day stays: see the package's docstring).
    """
    result = await session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.id == invitation.id,
            SurveyInvitation.used_at.is_(None),
            SurveyInvitation.expires_at > now,
        )
        .values(used_at=day_of(now), department_id=None, job_family_id=None, created_by_id=None,
                created_at=day_of(invitation.created_at), expires_at=day_of(invitation.expires_at))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    made = (await session.execute(
        select(AuditEvent).where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == invitation.id)
    )).scalars().all()
    for event in made:
        event.changes, event.actor_id, event.ip, event.created_at = {}, None, None, day_of(event.created_at)
    return True


def _stored(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# Where a kept survey answer (exit or stay) holds its answers to HR's extra questions: [question id, value, text] each.
EXTRA_ANSWERS = "extra_questions"


async def keep_answers(
    session: AsyncSession, *, kind: str, values: dict[str, Any], department_id: int, job_family_id: int,
    language: str, now: datetime, today: date, extra: Mapping[int, QuestionAnswer] | None = None,
) -> None:
    """A claimed link's checked answers, kept until they become an interview (`deliver_answers`); `extra`: the
    answers to HR's extra questions, by question id.

    Called in the transaction that claimed the link: both are saved or neither, so an answer is never
    lost and never sent twice. Nothing in the row names the link.
    """
    # The stay survey asks no date: the answer is the conversation, held on the day it came in.
    answers = {**values, "held_on": today} if kind == Source.STAY else values
    if extra:
        answers = {**answers, EXTRA_ANSWERS: [[question_id, answer.value, answer.text]
                                              for question_id, answer in extra.items()]}
    session.add(SurveyAnswer(
        kind=kind, answered_on=day_of(now).date(), department_id=department_id, job_family_id=job_family_id,
        language=language, answers={name: _stored(value) for name, value in answers.items()},
    ))


async def waiting_answers(session: AsyncSession) -> int:
    """How many survey answers wait to become interviews."""
    return await session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0


def _interview(answer: SurveyAnswer) -> ExitInterview | StayInterview:
    values = dict(answer.answers)
    values.pop(EXTRA_ANSWERS, None)
    for name in DATE_ANSWERS:
        if name in values:
            values[name] = date.fromisoformat(values[name])
    day = datetime.combine(answer.answered_on, time(), tzinfo=UTC)
    answered = dict(
        **values, department_id=answer.department_id, job_family_id=answer.job_family_id,
        channel=Channel.SURVEY.value, language=answer.language, interviewer_id=None, notes="",
        created_at=day, updated_at=day,
    )
    return StayInterview(**answered) if answer.kind == Source.STAY else ExitInterview(**answered)


async def deliver_answers(session: AsyncSession, *, now: datetime) -> list[ExitInterview | StayInterview]:
    """The survey answers of the days before `now`'s (UTC) as interviews, in random order, with their audit entries.

    A transaction of its own, later than the links' use: no interview shares a transaction with its
    link, and ids are given here, in random order, so they place an answer only at this delivery,
    which says nothing the day does not. Deleting what it delivers makes two workers at once deliver
    each answer once (the second finds the rows gone).
    """
    taken = (await session.execute(
        delete(SurveyAnswer).where(SurveyAnswer.answered_on < day_of(now).date()).returning(SurveyAnswer)
    )).scalars().all()
    if not taken:
        return []
    waiting = list(taken)
    secrets.SystemRandom().shuffle(waiting)
    interviews = [_interview(answer) for answer in waiting]
    session.add_all(interviews)
    await session.flush()
    # Stay interviews keep theirs apart (stay_question_answer), as their answers are.
    session.add_all((StayQuestionAnswer if isinstance(interview, StayInterview) else QuestionAnswer)(
                        interview_id=interview.id, question_id=question_id, value=value, text=text)
                    for answer, interview in zip(waiting, interviews, strict=True)
                    for question_id, value, text in answer.answers.get(EXTRA_ANSWERS, []))
    for interview in interviews:
        stay = isinstance(interview, StayInterview)
        # No invitation id, no IP address, no moment finer than the day: nothing ties the answers to the link.
        audit.record(session, actor=None, verb="create", entity=STAY_ENTITY if stay else EXIT_ENTITY,
                     entity_id=interview.id, changes={"channel": Channel.SURVEY.value}, at=interview.created_at)
    return interviews


class AnswerDelivery:
    """Delivers waiting survey answers at a worker's start and on the first request of each hour.

    Between checks it costs nothing; each worker keeps its own clock (it only saves queries): the
    database decides what is delivered.
    """

    CHECK_EVERY = timedelta(hours=1)
    # After a failure (the database out of reach): the answers wait, the request goes on, and the
    # next request a minute later tries again.
    RETRY_AFTER = timedelta(minutes=1)

    def __init__(self) -> None:
        self._next_check: datetime | None = None

    async def ensure_delivered(self, sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime) -> None:
        if self._next_check is not None and now < self._next_check:
            return
        try:
            async with sessionmaker() as session, session.begin():
                await deliver_answers(session, now=now)
        except Exception:  # the page's own work says what is wrong; nothing was lost here
            logger.warning("survey answers not delivered; trying again in a minute", exc_info=True)
            self._next_check = now + self.RETRY_AFTER
            return
        self._next_check = now + self.CHECK_EVERY


# --- HR's list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    """A link in HR's list, with its group's names (None once used) and its state."""

    invitation: SurveyInvitation
    department: str | None
    job_family: str | None
    status: LinkStatus


async def list_links(
    session: AsyncSession, *, status: LinkStatus | None, page: int, now: datetime,
) -> tuple[list[LinkRow], dict[str, int], int]:
    """A page of links, newest first, with the number of links in each status (three queries)."""
    counts_row = (await session.execute(select(
        *(func.count().filter(status_condition(item, now=now)) for item in LinkStatus)
    ).select_from(SurveyInvitation))).one()
    counts = {item.value: count for item, count in zip(LinkStatus, counts_row, strict=True)}
    total = counts[status.value] if status else sum(counts.values())
    number = page_number(page, total=total, size=PAGE_SIZE)
    query = (
        select(SurveyInvitation, Department.label_sql(), JobFamily.label_sql())
        # Used links have forgotten their group.
        .join(Department, Department.id == SurveyInvitation.department_id, isouter=True)
        .join(JobFamily, JobFamily.id == SurveyInvitation.job_family_id, isouter=True)
        .order_by(SurveyInvitation.created_at.desc(), SurveyInvitation.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    if status:
        query = query.where(status_condition(status, now=now))
    rows = [LinkRow(invitation, department, job_family, link_status(invitation, now=now))
            for invitation, department, job_family in (await session.execute(query)).all()]
    return rows, counts, number
