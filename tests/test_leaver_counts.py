"""HR's live counts: the monthly table kept by triggers always equals counting the interviews, and a
period of any dates reads the same from it as from the interviews themselves."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from actiontrack.leaver_counts import GroupCounts, counts_for, split
from actiontrack.models import (
    Department,
    ExitInterview,
    InterviewTheme,
    JobFamily,
    LeaverMonth,
    LeaverMonthTheme,
)

from conftest import INTERVIEW_DEFAULTS, run

GROUP_COLUMNS = {"department": ExitInterview.department_id, "job_family": ExitInterview.job_family_id}


def test_a_period_splits_into_whole_months_and_the_days_around_them() -> None:
    span = split(date(2026, 5, 29), date(2026, 11, 28))
    assert (span.first_month, span.last_month) == (date(2026, 6, 1), date(2026, 10, 1))
    assert span.days == ((date(2026, 5, 29), date(2026, 5, 31)), (date(2026, 11, 1), date(2026, 11, 28)))
    assert split(date(2024, 2, 1), date(2024, 2, 29)).days == ()
    assert split(date(2024, 2, 2), date(2024, 2, 28)) == split(date(2024, 2, 2), date(2024, 2, 28))
    assert split(date(2024, 2, 2), date(2024, 2, 28)).first_month is None


async def _truth(session: Any, grouping: str, start: date, end: date) -> tuple[dict, dict]:
    column = GROUP_COLUMNS[grouping]
    groups = {
        group: GroupCounts(leavers, tuple(int(value) for value in sums), would_return, promoters, detractors)
        for group, leavers, *sums, would_return, promoters, detractors in (await session.execute(
            select(column, func.count(), func.sum(ExitInterview.tasks_match_score),
                   func.sum(ExitInterview.manager_support_score), func.sum(ExitInterview.training_score),
                   func.sum(ExitInterview.recognition_score),
                   func.count().filter(ExitInterview.would_return == "yes"),
                   func.count().filter(ExitInterview.recommend_score >= 9),
                   func.count().filter(ExitInterview.recommend_score <= 6))
            .where(ExitInterview.exit_date.between(start, end)).group_by(column))).all()
    }
    raised = {(theme, group): count for theme, group, count in (await session.execute(
        select(InterviewTheme.theme_id, column, func.count())
        .join(ExitInterview, ExitInterview.id == InterviewTheme.interview_id)
        .where(ExitInterview.exit_date.between(start, end)).group_by(InterviewTheme.theme_id, column))).all()}
    return groups, raised


async def _monthly_matches_interviews(session: Any) -> None:
    for grouping, column in GROUP_COLUMNS.items():
        kept = {(row.group_id, row.month.replace(day=1)): row.leavers for row in (await session.execute(
            select(LeaverMonth).where(LeaverMonth.grouping == grouping, LeaverMonth.leavers != 0))).scalars()}
        counted: dict[tuple[int, date], int] = {}
        for group, day in (await session.execute(select(column, ExitInterview.exit_date))).all():
            counted[group, day.replace(day=1)] = counted.get((group, day.replace(day=1)), 0) + 1
        assert kept == counted, grouping
        tags = {(row.group_id, row.month, row.theme_id): row.raised for row in (await session.execute(
            select(LeaverMonthTheme).where(LeaverMonthTheme.grouping == grouping, LeaverMonthTheme.raised != 0)
        )).scalars()}
        truth: dict[tuple[int, date, int], int] = {}
        for group, day, theme in (await session.execute(
                select(column, ExitInterview.exit_date, InterviewTheme.theme_id)
                .join(ExitInterview, ExitInterview.id == InterviewTheme.interview_id))).all():
            key = (group, day.replace(day=1), theme)
            truth[key] = truth.get(key, 0) + 1
        assert tags == truth, grouping


def test_monthly_counts_follow_every_kind_of_write_and_read_like_the_interviews(
    database_url: str, make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    theme_ids: dict[str, int],
) -> None:
    rng = random.Random(20261128)
    departments = [make_department(f"D{index}").id for index in range(4)]
    families = [make_job_family(f"F{index}").id for index in range(3)]
    themes = list(theme_ids.values())[:5]

    def answers() -> dict[str, Any]:
        return {**INTERVIEW_DEFAULTS, "department_id": rng.choice(departments), "job_family_id": rng.choice(families),
                "exit_date": date(2025, 1, 1) + timedelta(days=rng.randint(0, 500)),
                "tasks_match_score": rng.randint(1, 5), "would_return": rng.choice(["yes", "no", "maybe"]),
                "recommend_score": rng.randint(0, 10)}

    async def writes(session: Any) -> None:
        # Through the ORM, as the app writes.
        for _ in range(60):
            interview = ExitInterview(**answers())
            session.add(interview)
            await session.flush()
            session.add_all(InterviewTheme(interview_id=interview.id, theme_id=theme)
                            for theme in rng.sample(themes, rng.randint(0, 3)))
        await session.flush()
        # Bulk statements, as imports, retention and the benchmark generator write.
        await session.execute(insert(ExitInterview), [answers() for _ in range(40)])
        ids = list((await session.execute(select(ExitInterview.id).order_by(ExitInterview.id))).scalars())
        await session.execute(insert(InterviewTheme), [{"interview_id": interview, "theme_id": rng.choice(themes)}
                                                      for interview in rng.sample(ids[-40:], 30)])
        # Edits that move an interview to another month and group, and change its answers.
        for interview in rng.sample(ids, 15):
            await session.execute(update(ExitInterview).where(ExitInterview.id == interview).values(
                exit_date=date(2025, 1, 1) + timedelta(days=rng.randint(0, 500)),
                department_id=rng.choice(departments), recommend_score=rng.randint(0, 10)))
        # Tags removed, interviews deleted (their tags go by cascade).
        await session.execute(delete(InterviewTheme).where(InterviewTheme.interview_id.in_(rng.sample(ids, 10))))
        await session.execute(delete(ExitInterview).where(ExitInterview.id.in_(rng.sample(ids, 20))))
        await _monthly_matches_interviews(session)

    run(writes, database_url)

    async def periods(session: Any) -> None:
        for _ in range(25):
            start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 480))
            end = start + timedelta(days=rng.randint(0, 240))
            other = start - timedelta(days=rng.randint(1, 200))
            for grouping in GROUP_COLUMNS:
                (groups, groups_before), (raised, raised_before) = await counts_for(
                    session, grouping=grouping, periods=[(start, end), (other, start - timedelta(days=1))])
                expected, expected_raised = await _truth(session, grouping, start, end)
                assert groups == expected and raised == expected_raised, (grouping, start, end)
                expected, expected_raised = await _truth(session, grouping, other, start - timedelta(days=1))
                assert groups_before == expected and raised_before == expected_raised

    run(periods, database_url)
