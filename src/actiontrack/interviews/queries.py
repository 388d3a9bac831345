"""Reading exit interviews back (the form's options, the filtered list, one interview and its export) and
saving them with their audit entries."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock, retention
from actiontrack.interviews.rules import ANSWER_FIELDS, CheckedInterview, FormOptions, InterviewFilters
from actiontrack.models import Channel, Department, ExitInterview, InterviewTheme, JobFamily, Theme, User
from actiontrack.paging import Page, page_number
from actiontrack.params import is_id
from actiontrack.retention import FREE_TEXTS
from actiontrack.settings import Settings

PAGE_SIZE = 25


async def form_options(session: AsyncSession) -> FormOptions:
    """Every department, job family and theme, retired ones too, in the order forms list them."""
    departments = (await session.execute(select(Department).order_by(Department.name))).scalars().all()
    job_families = (await session.execute(select(JobFamily).order_by(JobFamily.name))).scalars().all()
    themes = (await session.execute(select(Theme).order_by(Theme.position, Theme.id))).scalars().all()
    return FormOptions(departments, job_families, themes)


# --- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedInterview:
    """An interview in the list, with the names of its groups and its theme ids."""

    interview: ExitInterview
    department: str
    job_family: str
    theme_ids: list[int] = field(default_factory=list)


async def list_interviews(session: AsyncSession, *, filters: InterviewFilters, page: int) -> Page[ListedInterview]:
    """One page of interviews, newest exit first, with their theme ids (three queries)."""
    return await listed_page(session, filters=filters, page=page, model=ExitInterview, day=ExitInterview.exit_date,
                             tag_key=InterviewTheme.interview_id, tag_theme=InterviewTheme.theme_id,
                             row=ListedInterview)


def _filter_conditions(filters: InterviewFilters, *, model: Any, day: Any, tag_key: Any, tag_theme: Any) -> list[Any]:
    conditions = []
    if filters.department_id is not None:
        conditions.append(model.department_id == filters.department_id)
    if filters.job_family_id is not None:
        conditions.append(model.job_family_id == filters.job_family_id)
    if filters.channel is not None:
        conditions.append(model.channel == filters.channel)
    if filters.start is not None:
        conditions.append(day >= filters.start)
    if filters.end is not None:
        conditions.append(day <= filters.end)
    if filters.theme_id is not None:
        conditions.append(model.id.in_(select(tag_key).where(tag_theme == filters.theme_id)))
    return conditions


async def listed_page(
    session: AsyncSession, *, filters: InterviewFilters, page: int, model: Any, day: Any, tag_key: Any,
    tag_theme: Any, row: Any,
) -> Page[Any]:
    """One page of exit or stay interviews (`model`, dated by `day`, tagged in the table of `tag_key` and
    `tag_theme`), the newest first, as `row`s with their theme ids (three queries)."""
    conditions = _filter_conditions(filters, model=model, day=day, tag_key=tag_key, tag_theme=tag_theme)
    total = await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    number = page_number(page, total=total, size=PAGE_SIZE)
    query = (
        select(model, Department.name, JobFamily.name)
        .join(Department, Department.id == model.department_id)
        .join(JobFamily, JobFamily.id == model.job_family_id)
        .where(*conditions)
        .order_by(day.desc(), model.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    rows = [row(interview, department, job_family)
            for interview, department, job_family in (await session.execute(query)).all()]
    by_id = {item.interview.id: item for item in rows}
    if by_id:
        for interview_id, theme_id in (await session.execute(
                select(tag_key, tag_theme).where(tag_key.in_(by_id)))).all():
            by_id[interview_id].theme_ids.append(theme_id)
    return Page(rows=rows, number=number, total=total, size=PAGE_SIZE)


# --- one interview ----------------------------------------------------------------------------


async def interview_or_404(session: AsyncSession, interview_id: int) -> ExitInterview:
    """The interview with this id, or a 404."""
    interview = await session.get(ExitInterview, interview_id) if is_id(interview_id) else None
    if interview is None:
        raise NotFoundException()
    return interview


async def tagged_theme_ids(session: AsyncSession, *, interview_id: int) -> frozenset[int]:
    """The ids of the themes an interview is tagged with."""
    result = await session.execute(select(InterviewTheme.theme_id).where(InterviewTheme.interview_id == interview_id))
    return frozenset(result.scalars())


async def export_document(session: AsyncSession, *, interview: ExitInterview, settings: Settings) -> dict[str, Any]:
    """One interview as the JSON document of a leaver's access request: every answer, the themes, the dates."""
    department = await session.get(Department, interview.department_id)
    job_family = await session.get(JobFamily, interview.job_family_id)
    themes = (await session.execute(
        select(Theme).join(InterviewTheme, InterviewTheme.theme_id == Theme.id)
        .where(InterviewTheme.interview_id == interview.id).order_by(Theme.position, Theme.id)
    )).scalars().all()
    kept = retention.retention_of(interview.exit_date, settings=settings)
    return {
        "interview": interview.id,
        "department": department.name if department else None,
        "job_family": job_family.name if job_family else None,
        "channel": interview.channel,
        "language": interview.language,
        **{name: _exported(getattr(interview, name)) for name in ANSWER_FIELDS},
        "notes": interview.notes,
        # In the language of the answers: the leaver's own, for an access request.
        "themes": [theme.name(interview.language) for theme in themes],
        "recorded_on": interview.created_at.date().isoformat(),
        "last_changed_on": interview.updated_at.date().isoformat(),
        "free_text_erased_on": _exported(kept.free_text_on),
        "interview_erased_on": _exported(kept.interview_on),
    }


def _exported(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# --- saving -----------------------------------------------------------------------------------


def audited_answers(values: Mapping[str, Any], *, free_texts: Collection[str] = FREE_TEXTS) -> dict[str, Any]:
    """Interview values as the audit trail keeps them: free text (`free_texts`, exit or stay) only by its length."""
    # Deleting an interview must delete the leaver's words, so they never enter the audit trail.
    return {name: (f"{len(value)} characters" if name in free_texts else value) for name, value in values.items()}


def audited_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], *, free_texts: Collection[str] = FREE_TEXTS
) -> dict[str, Any]:
    """What an edit changed, as the audit trail keeps it: free text by its lengths, even when those are equal."""
    changes = audit.changed_fields(audited_answers(before, free_texts=free_texts),
                                   audited_answers(after, free_texts=free_texts))
    for name in free_texts:
        if before[name] != after[name]:
            changes[name] = [f"{len(before[name])} characters", f"{len(after[name])} characters"]
    return changes


async def add_interview(session: AsyncSession, *, checked: CheckedInterview, interviewer_id: int | None) -> ExitInterview:
    """Insert a checked interview and its theme tags (not audited: the caller says who and how)."""
    interview = ExitInterview(**checked.values, interviewer_id=interviewer_id)
    session.add(interview)
    await session.flush()
    session.add_all(InterviewTheme(interview_id=interview.id, theme_id=theme_id) for theme_id in checked.theme_ids)
    return interview


async def save_new_interview(
    session: AsyncSession, *, checked: CheckedInterview, actor: User, request: Request
) -> ExitInterview:
    """Record an interview from HR's form, audited; the actor is its interviewer if it was an interview."""
    interviewer_id = actor.id if checked.values["channel"] == Channel.INTERVIEW else None
    interview = await add_interview(session, checked=checked, interviewer_id=interviewer_id)
    audit.record(session, actor=actor, verb="create", entity="exit_interview", entity_id=interview.id,
                 changes={**audited_answers(checked.values), "themes": checked.theme_ids}, request=request)
    return interview


async def save_interview_changes(
    session: AsyncSession, *, interview: ExitInterview, checked: CheckedInterview, before_themes: frozenset[int],
    actor: User, request: Request,
) -> None:
    """Apply a checked form to an interview and its tags; audit what changed (free text by its length)."""
    before = {name: getattr(interview, name) for name in checked.values}
    for name, value in checked.values.items():
        setattr(interview, name, value)
    changes = audited_changes(before, checked.values)
    after_themes = set(checked.theme_ids)
    if after_themes != before_themes:
        changes["themes"] = [sorted(before_themes), sorted(after_themes)]
        await session.execute(delete(InterviewTheme).where(
            InterviewTheme.interview_id == interview.id, InterviewTheme.theme_id.not_in(after_themes)
        ))
        session.add_all(InterviewTheme(interview_id=interview.id, theme_id=theme_id)
                        for theme_id in sorted(after_themes - before_themes))
    if changes:
        interview.updated_at = clock.utcnow()
        audit.record(session, actor=actor, verb="update", entity="exit_interview", entity_id=interview.id,
                     changes=changes, request=request)
