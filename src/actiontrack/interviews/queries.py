"""Reading exit interviews back (the form's options, the filtered list, one interview and its export) and
saving them with their audit entries.

Both kinds share these functions: an `InterviewKind` says where each kind is kept (`EXIT_INTERVIEWS`,
`STAY_INTERVIEWS`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock, retention
from actiontrack.interviews.rules import (
    ANSWER_FIELDS,
    STAY_ANSWER_FIELDS,
    CheckedInterview,
    FormOptions,
    InterviewFilters,
)
from actiontrack.models import (
    Channel,
    Department,
    ExitInterview,
    InterviewTheme,
    JobFamily,
    StayInterview,
    StayInterviewTheme,
    Theme,
    User,
)
from actiontrack.paging import Page, page_number
from actiontrack.params import is_id
from actiontrack.retention import ENTITY, FREE_TEXTS, STAY_ENTITY, STAY_FREE_TEXTS
from actiontrack.settings import Settings

PAGE_SIZE = 25


@dataclass(frozen=True)
class InterviewKind:
    """Where one kind of interview (exit or stay) is kept: its table, its theme tags, its audit entries."""

    model: Any
    day: Any  # the column that dates it: lists are filtered and ordered by it, retention counts from it
    tag: Any  # the table of its theme tags
    tag_key: str  # the tag's column holding the interview's id
    entity: str  # its name in the audit trail
    free_texts: tuple[str, ...]  # audited by their length only
    document_key: str  # the key of its id in an export
    exported_answers: tuple[str, ...]  # the answers an export lists, in order

    @property
    def tag_column(self) -> Any:
        """The tag's column holding the interview's id."""
        return getattr(self.tag, self.tag_key)

    def tags(self, interview_id: int, theme_ids: Iterable[int]) -> list[Any]:
        """New tag rows tying an interview to themes."""
        return [self.tag(**{self.tag_key: interview_id}, theme_id=theme_id) for theme_id in theme_ids]


EXIT_INTERVIEWS = InterviewKind(
    model=ExitInterview, day=ExitInterview.exit_date, tag=InterviewTheme, tag_key="interview_id", entity=ENTITY,
    free_texts=FREE_TEXTS, document_key="interview", exported_answers=ANSWER_FIELDS,
)
STAY_INTERVIEWS = InterviewKind(
    model=StayInterview, day=StayInterview.held_on, tag=StayInterviewTheme, tag_key="stay_interview_id",
    entity=STAY_ENTITY, free_texts=STAY_FREE_TEXTS, document_key="stay_interview",
    exported_answers=("held_on", *STAY_ANSWER_FIELDS),
)


async def form_options(session: AsyncSession) -> FormOptions:
    """Every department, job family and theme, retired ones too, in the order forms list them."""
    departments = (await session.execute(select(Department).order_by(Department.name))).scalars().all()
    job_families = (await session.execute(select(JobFamily).order_by(JobFamily.name))).scalars().all()
    themes = (await session.execute(select(Theme).order_by(Theme.position, Theme.id))).scalars().all()
    return FormOptions(departments, job_families, themes)


# --- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedInterview:
    """An exit or stay interview in the list, with the names of its groups and its theme ids."""

    interview: ExitInterview | StayInterview
    department: str
    job_family: str
    theme_ids: list[int] = field(default_factory=list)


async def list_interviews(
    session: AsyncSession, *, filters: InterviewFilters, page: int, kind: InterviewKind,
) -> Page[ListedInterview]:
    """One page of exit or stay interviews (`kind`), the newest first, with their theme ids (three queries)."""
    return await listed_page(session, filters=filters, page=page, kind=kind, row=ListedInterview)


def _filter_conditions(filters: InterviewFilters, *, kind: InterviewKind) -> list[Any]:
    model, day = kind.model, kind.day
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
        conditions.append(model.id.in_(select(kind.tag_column).where(kind.tag.theme_id == filters.theme_id)))
    return conditions


async def listed_page(
    session: AsyncSession, *, filters: InterviewFilters, page: int, kind: InterviewKind, row: Any,
) -> Page[Any]:
    """One page of exit or stay interviews (`kind`), the newest first, as `row`s with their theme ids
    (three queries)."""
    model, day, tag_key, tag_theme = kind.model, kind.day, kind.tag_column, kind.tag.theme_id
    conditions = _filter_conditions(filters, kind=kind)
    total = await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    number = page_number(page, total=total, size=PAGE_SIZE)
    query = (
        select(model, Department.label_sql(), JobFamily.label_sql())
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


async def interview_or_404(session: AsyncSession, interview_id: int, *, kind: InterviewKind = EXIT_INTERVIEWS) -> Any:
    """The interview (exit, or `kind`) with this id, or a 404."""
    interview = await session.get(kind.model, interview_id) if is_id(interview_id) else None
    if interview is None:
        raise NotFoundException()
    return interview


async def tagged_theme_ids(
    session: AsyncSession, *, interview_id: int, kind: InterviewKind = EXIT_INTERVIEWS,
) -> frozenset[int]:
    """The ids of the themes an interview (exit, or `kind`) is tagged with."""
    result = await session.execute(select(kind.tag.theme_id).where(kind.tag_column == interview_id))
    return frozenset(result.scalars())


async def export_document(
    session: AsyncSession, *, interview: Any, settings: Settings, kind: InterviewKind = EXIT_INTERVIEWS,
) -> dict[str, Any]:
    """One interview as the JSON document of an access request: every answer, the themes, the dates."""
    department = await session.get(Department, interview.department_id)
    job_family = await session.get(JobFamily, interview.job_family_id)
    themes = (await session.execute(
        select(Theme).join(kind.tag, kind.tag.theme_id == Theme.id)
        .where(kind.tag_column == interview.id).order_by(Theme.position, Theme.id)
    )).scalars().all()
    kept = retention.retention_of(getattr(interview, kind.day.key), settings=settings)
    return {
        kind.document_key: interview.id,
        "department": department.name if department else None,
        "job_family": job_family.name if job_family else None,
        "channel": interview.channel,
        "language": interview.language,
        **{name: _exported(getattr(interview, name)) for name in kind.exported_answers},
        "notes": interview.notes,
        # In the language of the answers: the person's own, for an access request.
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


async def add_interview(
    session: AsyncSession, *, checked: CheckedInterview, interviewer_id: int | None,
    kind: InterviewKind = EXIT_INTERVIEWS,
) -> Any:
    """Insert a checked interview (exit, or `kind`) and its theme tags (not audited: the caller says who and how)."""
    interview = kind.model(**checked.values, interviewer_id=interviewer_id)
    session.add(interview)
    await session.flush()
    session.add_all(kind.tags(interview.id, checked.theme_ids))
    return interview


async def save_new_interview(
    session: AsyncSession, *, checked: CheckedInterview, actor: User, request: Request,
    kind: InterviewKind = EXIT_INTERVIEWS,
) -> Any:
    """Record an interview (exit, or `kind`) from a form, audited; the actor is its interviewer if it was one."""
    interviewer_id = actor.id if checked.values["channel"] == Channel.INTERVIEW else None
    interview = await add_interview(session, checked=checked, interviewer_id=interviewer_id, kind=kind)
    audit.record(session, actor=actor, verb="create", entity=kind.entity, entity_id=interview.id,
                 changes={**audited_answers(checked.values, free_texts=kind.free_texts), "themes": checked.theme_ids},
                 request=request)
    return interview


async def save_interview_changes(
    session: AsyncSession, *, interview: Any, checked: CheckedInterview, before_themes: frozenset[int],
    actor: User, request: Request, kind: InterviewKind = EXIT_INTERVIEWS,
) -> None:
    """Apply a checked form to an interview (exit, or `kind`) and its tags; audit what changed
    (free text by its length)."""
    before = {name: getattr(interview, name) for name in checked.values}
    for name, value in checked.values.items():
        setattr(interview, name, value)
    changes = audited_changes(before, checked.values, free_texts=kind.free_texts)
    after_themes = set(checked.theme_ids)
    if after_themes != before_themes:
        changes["themes"] = [sorted(before_themes), sorted(after_themes)]
        await session.execute(delete(kind.tag).where(
            kind.tag_column == interview.id, kind.tag.theme_id.not_in(after_themes)
        ))
        session.add_all(kind.tags(interview.id, sorted(after_themes - before_themes)))
    if changes:
        interview.updated_at = clock.utcnow()
        audit.record(session, actor=actor, verb="update", entity=kind.entity, entity_id=interview.id,
                     changes=changes, request=request)
