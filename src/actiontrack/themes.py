"""Themes: the taxonomy, suggestions from free text, and how often leavers raise each theme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.models import ExitInterview, InterviewTheme, Scope


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
) -> ThemeEvidence:
    """Leavers (exit date within the period, both ends included) of a group and those raising a theme."""
    raised_theme = (
        select(InterviewTheme.interview_id).where(InterviewTheme.theme_id == theme_id).scalar_subquery()
    )
    query = select(
        func.count(distinct(ExitInterview.id)),
        func.count(distinct(ExitInterview.id)).filter(ExitInterview.id.in_(raised_theme)),
    ).where(ExitInterview.exit_date >= period_start, ExitInterview.exit_date <= period_end)
    if scope == Scope.DEPARTMENT:
        query = query.where(ExitInterview.department_id == group_id)
    elif scope == Scope.JOB_FAMILY:
        query = query.where(ExitInterview.job_family_id == group_id)
    leavers, raised = (await session.execute(query)).one()
    return ThemeEvidence(theme_id, period_start, period_end, raised=raised, leavers=leavers)
