"""HR's live leaver counts over any dates, fast: whole months from the monthly table, the rest counted.

`leaver_month` and `leaver_month_theme` hold each month's leavers per department and per job family,
kept right by database triggers on every write (migration 0010). A period of dates is read as its
whole months from there plus the few days at either end that do not fill a month, counted from the
interviews themselves; the sum is exactly what counting every interview would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.models import (
    SCORE_QUESTIONS as SUMS,
)
from actiontrack.models import (
    STAY_SCORE_QUESTIONS,
    ExitInterview,
    InterviewTheme,
    LeaverMonth,
    LeaverMonthTheme,
    StayInterview,
    StayInterviewTheme,
    WouldReturn,
)

GROUP_COLUMNS = {"department": ExitInterview.department_id, "job_family": ExitInterview.job_family_id}


@dataclass(frozen=True)
class Span:
    """The whole months of a date range (first days, both included; None when it holds none) and the
    days left over at its ends."""

    first_month: date | None
    last_month: date | None
    days: tuple[tuple[date, date], ...]


def split(start: date, end: date) -> Span:
    """Whole months inside start..end, and the partial ranges before and after them."""
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after_end = end + timedelta(days=1)
    last_end = end if after_end.day == 1 else end.replace(day=1) - timedelta(days=1)
    if first > last_end:
        return Span(None, None, ((start, end),))
    days = tuple(edge for edge in ((start, first - timedelta(days=1)), (last_end + timedelta(days=1), end))
                 if edge[0] <= edge[1])
    return Span(first, last_end.replace(day=1), days)


@dataclass(frozen=True)
class GroupCounts:
    leavers: int = 0
    sums: tuple[int, ...] = (0, 0, 0, 0)
    would_return: int = 0
    promoters: int = 0
    detractors: int = 0

    def __add__(self, other: GroupCounts) -> GroupCounts:
        return GroupCounts(self.leavers + other.leavers,
                           tuple(a + b for a, b in zip(self.sums, other.sums, strict=True)),
                           self.would_return + other.would_return, self.promoters + other.promoters,
                           self.detractors + other.detractors)


async def counts_for(
    session: AsyncSession, *, grouping: str, periods: Sequence[tuple[date, date]],
) -> tuple[list[dict[int, GroupCounts]], list[dict[tuple[int, int], int]]]:
    """Per period (in order): each group's counts, and leavers raising each theme per (theme, group).

    Four queries whatever the number of periods or interviews: the monthly table for the whole
    months of every period, the interviews for the days left over.
    """
    spans = [split(start, end) for start, end in periods]
    column = GROUP_COLUMNS[grouping]
    groups: list[dict[int, GroupCounts]] = [{} for _ in periods]
    raised: list[dict[tuple[int, int], int]] = [{} for _ in periods]

    def in_months(span: Span) -> Any:
        return LeaverMonth.month.between(span.first_month, span.last_month)

    monthly = [span for span in spans if span.first_month is not None]
    if monthly:
        numbers = [number for number, span in enumerate(spans) if span.first_month is not None]
        rows = (await session.execute(
            select(LeaverMonth.group_id, *(
                expression
                for span in spans
                for expression in (
                    func.coalesce(func.sum(LeaverMonth.leavers).filter(in_months(span)), 0),
                    *(func.coalesce(func.sum(getattr(LeaverMonth, name)).filter(in_months(span)), 0) for name in SUMS),
                    func.coalesce(func.sum(LeaverMonth.would_return).filter(in_months(span)), 0),
                    func.coalesce(func.sum(LeaverMonth.promoters).filter(in_months(span)), 0),
                    func.coalesce(func.sum(LeaverMonth.detractors).filter(in_months(span)), 0),
                ) if span.first_month is not None
            ))
            .where(LeaverMonth.grouping == grouping,
                   or_(*(in_months(span) for span in monthly)))
            .group_by(LeaverMonth.group_id)
        )).all()
        _add_groups(groups, rows, numbers)
        theme_rows = (await session.execute(
            select(LeaverMonthTheme.theme_id, LeaverMonthTheme.group_id, *(
                func.coalesce(func.sum(LeaverMonthTheme.raised).filter(
                    LeaverMonthTheme.month.between(span.first_month, span.last_month)), 0)
                for span in spans if span.first_month is not None
            ))
            .where(LeaverMonthTheme.grouping == grouping,
                   or_(*(LeaverMonthTheme.month.between(span.first_month, span.last_month) for span in monthly)))
            .group_by(LeaverMonthTheme.theme_id, LeaverMonthTheme.group_id)
        )).all()
        _add_themes(raised, theme_rows, numbers)

    partial = [(number, start, end) for number, span in enumerate(spans) for start, end in span.days]
    if partial:
        numbers = sorted({number for number, _start, _end in partial})
        # One branch per range, each read through the exit-date index (an OR of ranges would scan).
        rows = union_all(*(
            select(literal(number).label("period"), column.label("group_id"), ExitInterview.id.label("interview_id"),
                   *(getattr(ExitInterview, name).label(name) for name in (*SUMS, "would_return", "recommend_score")))
            .where(ExitInterview.exit_date.between(start, end))
            for number, start, end in partial
        )).subquery()

        def of(number: int) -> Any:
            return rows.c.period == number

        group_rows = (await session.execute(
            select(rows.c.group_id, *(
                expression
                for number in numbers
                for expression in (
                    func.count().filter(of(number)),
                    *(func.coalesce(func.sum(rows.c[name]).filter(of(number)), 0) for name in SUMS),
                    func.count().filter(of(number), rows.c.would_return == WouldReturn.YES.value),
                    func.count().filter(of(number), rows.c.recommend_score >= 9),
                    func.count().filter(of(number), rows.c.recommend_score <= 6),
                )
            )).group_by(rows.c.group_id)
        )).all()
        _add_groups(groups, group_rows, numbers)
        theme_rows = (await session.execute(
            select(InterviewTheme.theme_id, rows.c.group_id, *(func.count().filter(of(number)) for number in numbers))
            .join(InterviewTheme, InterviewTheme.interview_id == rows.c.interview_id)
            .group_by(InterviewTheme.theme_id, rows.c.group_id)
        )).all()
        _add_themes(raised, theme_rows, numbers)
    return groups, raised


def _add_groups(groups: list[dict[int, GroupCounts]], rows: Sequence[Any], numbers: list[int]) -> None:
    """Add query rows (group, then each period's leavers, sums, would-return, promoters, detractors)."""
    width = 4 + len(SUMS)
    for group_id, *values in rows:
        for index, number in enumerate(numbers):
            part = [int(value) for value in values[index * width:(index + 1) * width]]
            found = GroupCounts(part[0], tuple(part[1:1 + len(SUMS)]), *part[1 + len(SUMS):])
            if found == GroupCounts():
                continue  # no leaver of this group in that period
            groups[number][group_id] = groups[number].get(group_id, GroupCounts()) + found


def _add_themes(raised: list[dict[tuple[int, int], int]], rows: Sequence[Any], numbers: list[int]) -> None:
    """Add query rows (theme, group, then each period's count)."""
    for theme_id, group_id, *values in rows:
        for number, value in zip(numbers, values, strict=True):
            if value:
                raised[number][theme_id, group_id] = raised[number].get((theme_id, group_id), 0) + int(value)


async def stay_counts_for(
    session: AsyncSession, *, grouping: str, periods: Sequence[tuple[date, date]],
) -> tuple[list[dict[int, GroupCounts]], list[dict[tuple[int, int], int]]]:
    """As `counts_for`, for stay interviews held in each period: people interviewed (as `leavers`) and the
    sums of the stay scores. Two queries per period; stay interviews are few next to exits."""
    column = StayInterview.department_id if grouping == "department" else StayInterview.job_family_id
    groups: list[dict[int, GroupCounts]] = []
    raised: list[dict[tuple[int, int], int]] = []
    for start, end in periods:
        held = StayInterview.held_on.between(start, end)
        groups.append({
            group_id: GroupCounts(int(people), tuple(int(value) for value in sums))
            for group_id, people, *sums in (await session.execute(
                select(column, func.count(), *(func.sum(getattr(StayInterview, name)) for name in STAY_SCORE_QUESTIONS))
                .where(held).group_by(column))).all()
        })
        raised.append({
            (theme_id, group_id): int(count)
            for group_id, theme_id, count in (await session.execute(
                select(column, StayInterviewTheme.theme_id, func.count())
                .join(StayInterview, StayInterview.id == StayInterviewTheme.stay_interview_id)
                .where(held).group_by(column, StayInterviewTheme.theme_id))).all()
        })
    return groups, raised
