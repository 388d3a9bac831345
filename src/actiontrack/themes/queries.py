"""Reading themes: the taxonomy for HR, one theme of a URL, and how often a group raises a theme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from litestar.exceptions import NotFoundException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.models import (
    ExitInterview,
    InterviewTheme,
    Scope,
    Source,
    StayInterview,
    StayInterviewTheme,
    Theme,
    ThemeSuggestion,
)
from actiontrack.themes.rules import MAX_CODE, keyword_stems


@dataclass(frozen=True)
class ThemeEvidence:
    """How many leavers of a group left in a period, and how many of them raised the theme."""

    theme_id: int
    period_start: date
    period_end: date
    raised: int
    leavers: int

    @property
    def share(self) -> float | None:
        return self.raised / self.leavers if self.leavers else None


async def theme_evidence(
    session: AsyncSession,
    *,
    theme_id: int,
    scope: Scope | str,
    group_id: int | None,
    period_start: date,
    period_end: date,
    source: str = Source.EXIT,
) -> ThemeEvidence:
    """Leavers (exit date within the period, both ends included) of a group and those raising a theme;
    with `source` "stay", the people of the group interviewed to stay in the period and those raising it."""
    model, day, tag, tag_key = (
        (StayInterview, StayInterview.held_on, StayInterviewTheme, StayInterviewTheme.stay_interview_id)
        if source == Source.STAY else
        (ExitInterview, ExitInterview.exit_date, InterviewTheme, InterviewTheme.interview_id))
    raised_theme = select(tag_key).where(tag.theme_id == theme_id).scalar_subquery()
    query = select(func.count(model.id), func.count(model.id).filter(model.id.in_(raised_theme))).where(
        day.between(period_start, period_end))
    if scope == Scope.DEPARTMENT:
        query = query.where(model.department_id == group_id)
    elif scope == Scope.JOB_FAMILY:
        query = query.where(model.job_family_id == group_id)
    people, raised = (await session.execute(query)).one()
    return ThemeEvidence(theme_id, period_start, period_end, raised=raised, leavers=people)


def _code_from(name: str) -> str:
    return "_".join(keyword_stems(name))[: MAX_CODE - 4] or "theme"


async def new_code(session: AsyncSession, *, name: str) -> str:
    """A unique, readable code for a new theme, from its English name."""
    base = _code_from(name)
    taken = set((await session.execute(select(Theme.code).where(Theme.code.like(f"{base}%")))).scalars())
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code


async def taxonomy(session: AsyncSession, *, language: str) -> list[tuple[Theme, int, int]]:
    """Every theme (retired ones too) in order, with how many interviews it is tagged on and its suggested actions
    in a language."""
    tagged = (
        select(InterviewTheme.theme_id, func.count().label("tagged"))
        .group_by(InterviewTheme.theme_id)
        .subquery()
    )
    suggested = (
        select(ThemeSuggestion.theme_id, func.count().label("suggested"))
        .where(ThemeSuggestion.language == language)
        .group_by(ThemeSuggestion.theme_id)
        .subquery()
    )
    query = (
        select(Theme, func.coalesce(tagged.c.tagged, 0), func.coalesce(suggested.c.suggested, 0))
        .outerjoin(tagged, tagged.c.theme_id == Theme.id)
        .outerjoin(suggested, suggested.c.theme_id == Theme.id)
        .order_by(Theme.active.desc(), Theme.position, Theme.id)
    )
    return [(theme, count, suggestions) for theme, count, suggestions in (await session.execute(query)).all()]


async def theme_or_404(session: AsyncSession, theme_id: int) -> Theme:
    """The theme of a URL, or 404 Not Found."""
    theme = await session.get(Theme, theme_id) if 0 < theme_id < 2**31 else None
    if theme is None:
        raise NotFoundException()
    return theme
