"""Survey links and answers in the database: making, finding and claiming a link, HR's list of links, and the
interview a survey's answers become, with their audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from litestar import Request
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.auth.tokens import is_token_shaped, new_secret, token_digest
from actiontrack.models import (
    AuditEvent,
    Channel,
    Department,
    ExitInterview,
    JobFamily,
    Source,
    StayInterview,
    SurveyInvitation,
    User,
)
from actiontrack.paging import page_number
from actiontrack.retention import ENTITY as EXIT_ENTITY
from actiontrack.retention import STAY_ENTITY
from actiontrack.surveys.rules import ENTITY, LinkStatus, day_of, link_status, status_condition

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


async def claim(session: AsyncSession, *, invitation_id: int, now: datetime) -> bool:
    """Mark a link used, if it still can be; of two simultaneous submissions exactly one gets True.

    One conditional UPDATE: the database serialises concurrent writers on the row, and the loser
    finds `used_at` already set (PostgreSQL re-checks the condition; SQLite lets one writer at a time).
    The same UPDATE makes the link forget its group and maker and keep the day only; its creation's
    audit entry loses its details too (see the package's docstring).
    """
    result = await session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.id == invitation_id,
            SurveyInvitation.used_at.is_(None),
            SurveyInvitation.expires_at > now,
        )
        .values(used_at=day_of(now), department_id=None, job_family_id=None, created_by_id=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    await session.execute(
        update(AuditEvent).where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == invitation_id)
        .values(changes={}).execution_options(synchronize_session=False)
    )
    return True


async def save_survey_answers(
    session: AsyncSession, *, kind: str, values: dict[str, Any], department_id: int | None,
    job_family_id: int | None, language: str, now: datetime, today: date,
) -> ExitInterview | StayInterview:
    """The interview a claimed link's checked answers become, with an audit entry that can't be traced to the link."""
    day = day_of(now)
    answered = dict(
        **values, department_id=department_id, job_family_id=job_family_id,
        channel=Channel.SURVEY.value, language=language, interviewer_id=None, notes="",
        created_at=day, updated_at=day,
    )
    stay = kind == Source.STAY
    # The stay survey asks no date: the answer is the conversation, held on the day it came in.
    interview = StayInterview(**answered, held_on=today) if stay else ExitInterview(**answered)
    session.add(interview)
    await session.flush()
    # No invitation id, no IP address, no moment finer than the day: nothing ties the answers to the link.
    audit.record(session, actor=None, verb="create", entity=STAY_ENTITY if stay else EXIT_ENTITY,
                 entity_id=interview.id, changes={"channel": Channel.SURVEY.value}, at=day)
    return interview


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
        select(SurveyInvitation, Department.name, JobFamily.name)
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
