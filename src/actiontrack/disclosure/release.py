"""Releasing reporting periods: their figures about leavers are counted once and frozen.

A period is released `release_delay_days` after it ends (grace for interviews recorded a few days
after an exit), automatically: the first worker start, worker check (every `release_check_seconds`)
or `actiontrack remind` that finds it due releases it; a reader's request never does. Two workers
racing for the same period insert one `reporting_period` row; the loser's insert does nothing.
Interviews recorded or changed later never change a released period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actiontrack import clock
from actiontrack.disclosure.periods import PeriodSpan, due_periods, next_release_day
from actiontrack.disclosure.pools import Pooling, pool_id, pool_table, pools_of, recommended_size
from actiontrack.disclosure.suppression import (
    ANSWERS,
    DETRACTORS,
    EXTRA_ANSWERS,
    GROUPINGS,
    PASSIVES,
    PROMOTERS,
    WOULD_NOT_RETURN,
    WOULD_RETURN,
    PeriodTable,
    extra_answer_ids,
)
from actiontrack.models import (
    SCORE_QUESTIONS,
    STAY_SCORE_QUESTIONS,
    Department,
    ExitInterview,
    ExtraQuestion,
    JobFamily,
    LeaverMonth,
    LeaverMonthTheme,
    QuestionAnswer,
    ReleasedAnswer,
    ReleasedGroup,
    ReleasedPool,
    ReleasedStayGroup,
    ReleasedStayTheme,
    ReleasedTheme,
    ReportingPeriod,
    StayInterview,
    StayInterviewTheme,
    StayQuestionAnswer,
)
from actiontrack.questions.rules import OPTION_FIELDS, counted_answers, leadership_answer

# Any fixed number: the key of the PostgreSQL lock that serialises releases.
RELEASE_LOCK = 2107_0025


async def release_due(session: AsyncSession, *, length: str, delay_days: int, today: date,
                      pooling: Pooling | None = None) -> list[PeriodSpan]:
    """Release every period that is due and not yet released; the periods released by this call.
    With `pooling`, each period also freezes which small groups are shown only in pools.

    After a change of length, the new series starts after the last month released with another
    length (`periods.due_periods`): no month is ever released twice from live data.
    """
    first_exit = await first_interview_day(session)
    if first_exit is None:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # One release at a time: a worker still on the old length waits, then sees the new series' periods.
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RELEASE_LOCK})
    due = due_periods(first_exit=first_exit, today=today, length=length, delay_days=delay_days,
                      released_until=await released_until(session, length=length))
    done = set((await session.execute(
        select(ReportingPeriod.period_start).where(ReportingPeriod.length == length))).scalars())
    released = []
    for span in due:
        if span.start in done:
            continue
        dialect_insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        period_id = await session.scalar(
            dialect_insert(ReportingPeriod)
            .values(length=length, period_start=span.start, period_end=span.end, released_at=clock.utcnow(),
                    interviews=0)
            .on_conflict_do_nothing(index_elements=["length", "period_start"])
            .returning(ReportingPeriod.id)
        )
        if period_id is None:
            continue  # another worker released it a moment ago
        await _freeze(session, period_id=period_id, span=span)
        if pooling is not None:
            await _freeze_pools(session, period_id=period_id, span=span, pooling=pooling)
        released.append(span)
    return released


async def first_interview_day(session: AsyncSession) -> date | None:
    """The day of the first exit or stay interview, where the first period begins; None before any."""
    firsts = [day for day in (await session.scalar(select(func.min(ExitInterview.exit_date))),
                              await session.scalar(select(func.min(StayInterview.held_on)))) if day is not None]
    return min(firsts) if firsts else None


async def released_until(session: AsyncSession, *, length: str) -> date | None:
    """The end of the last period released with another length: a series of `length` starts after it."""
    return await session.scalar(select(func.max(ReportingPeriod.period_end)).where(ReportingPeriod.length != length))


async def _freeze(session: AsyncSession, *, period_id: int, span: PeriodSpan) -> None:
    """Count the period once, per department and per job family, from the monthly counts (whole months)."""
    in_period = LeaverMonth.month.between(span.start, span.end)
    headcounts: dict[str, dict[int, int]] = {
        "department": dict((await session.execute(select(Department.id, Department.headcount))).all()),
        "job_family": dict((await session.execute(select(JobFamily.id, JobFamily.headcount))).all())}
    total = 0
    for grouping in GROUPINGS:
        figures = (await session.execute(
            select(
                LeaverMonth.group_id, func.sum(LeaverMonth.leavers),
                *(func.sum(getattr(LeaverMonth, name)) for name in SCORE_QUESTIONS),
                func.sum(LeaverMonth.would_return), func.sum(LeaverMonth.promoters), func.sum(LeaverMonth.detractors),
            ).where(LeaverMonth.grouping == grouping, in_period).group_by(LeaverMonth.group_id)
        )).all()
        group_rows = [
            {"period_id": period_id, "grouping": grouping, "group_id": group_id, "leavers": int(leavers),
             "headcount": headcounts[grouping].get(group_id) or None,
             **dict(zip(SCORE_QUESTIONS, (int(value) for value in sums), strict=True)),
             "would_return": int(would_return), "promoters": int(promoters), "detractors": int(detractors)}
            for group_id, leavers, *sums, would_return, promoters, detractors in figures if leavers
        ]
        if group_rows:
            await session.execute(insert(ReleasedGroup), group_rows)
        total = sum(row["leavers"] for row in group_rows)
        theme_rows = [
            {"period_id": period_id, "grouping": grouping, "group_id": group_id, "theme_id": theme_id,
             "raised": int(raised)}
            for group_id, theme_id, raised in (await session.execute(
                select(LeaverMonthTheme.group_id, LeaverMonthTheme.theme_id, func.sum(LeaverMonthTheme.raised))
                .where(LeaverMonthTheme.grouping == grouping, LeaverMonthTheme.month.between(span.start, span.end))
                .group_by(LeaverMonthTheme.group_id, LeaverMonthTheme.theme_id)
            )).all() if raised
        ]
        if theme_rows:
            await session.execute(insert(ReleasedTheme), theme_rows)
    await _freeze_stay(session, period_id=period_id, span=span)
    await _freeze_answers(session, period_id=period_id, span=span)
    period = await session.get_one(ReportingPeriod, period_id)
    period.interviews = total


async def _freeze_stay(session: AsyncSession, *, period_id: int, span: PeriodSpan) -> None:
    """Count the period's stay interviews once, per department and per job family (they are few: no monthly table)."""
    held = StayInterview.held_on.between(span.start, span.end)
    for grouping in GROUPINGS:
        column = StayInterview.department_id if grouping == "department" else StayInterview.job_family_id
        group_rows = [
            {"period_id": period_id, "grouping": grouping, "group_id": group_id, "people": int(people),
             **dict(zip(STAY_SCORE_QUESTIONS, (int(value) for value in sums), strict=True))}
            for group_id, people, *sums in (await session.execute(
                select(column, func.count(), *(func.sum(getattr(StayInterview, name)) for name in STAY_SCORE_QUESTIONS))
                .where(held).group_by(column))).all()
        ]
        if group_rows:
            await session.execute(insert(ReleasedStayGroup), group_rows)
        theme_rows = [
            {"period_id": period_id, "grouping": grouping, "group_id": group_id, "theme_id": theme_id,
             "raised": int(raised)}
            for group_id, theme_id, raised in (await session.execute(
                select(column, StayInterviewTheme.theme_id, func.count())
                .join(StayInterview, StayInterview.id == StayInterviewTheme.stay_interview_id)
                .where(held).group_by(column, StayInterviewTheme.theme_id))).all()
        ]
        if theme_rows:
            await session.execute(insert(ReleasedStayTheme), theme_rows)


async def _freeze_answers(session: AsyncSession, *, period_id: int, span: PeriodSpan) -> None:
    """Count the period's answers to extra questions that leadership may see, per group, as the first or the
    second answer, or a choice's option (questions.rules.leadership_answer), in exit and in stay interviews; the
    group's other leavers (or people interviewed) gave no answer."""
    for source, interview, answers, day in (
            ("exit", ExitInterview, QuestionAnswer, ExitInterview.exit_date),
            ("stay", StayInterview, StayQuestionAnswer, StayInterview.held_on)):
        await _freeze_source_answers(session, period_id=period_id, in_period=day.between(span.start, span.end),
                                     source=source, interview=interview, answers=answers)


async def _freeze_source_answers(session: AsyncSession, *, period_id: int, in_period: Any, source: str,
                                 interview: Any, answers: Any) -> None:
    asked = (select(answers.question_id).join(interview, interview.id == answers.interview_id)
             .where(in_period).distinct())
    questions = {question.id: question for question in (await session.execute(
        select(ExtraQuestion).where(ExtraQuestion.id.in_(asked)))).scalars()}
    for grouping in GROUPINGS:
        column = interview.department_id if grouping == "department" else interview.job_family_id
        counts: dict[tuple[int, int, int], int] = {}
        for group_id, question_id, value, number in (await session.execute(
                select(column, answers.question_id, answers.value, func.count())
                .join(interview, interview.id == answers.interview_id).where(in_period)
                .group_by(column, answers.question_id, answers.value))).all():
            answer = leadership_answer(questions[question_id], value)
            if answer is not None:
                counts[group_id, question_id, answer] = counts.get((group_id, question_id, answer), 0) + number
        if counts:
            await session.execute(insert(ReleasedAnswer), [
                {"period_id": period_id, "source": source, "grouping": grouping, "group_id": group_id,
                 "question_id": question_id, "answer": answer, "count": number}
                for (group_id, question_id, answer), number in counts.items()])


async def _freeze_pools(session: AsyncSession, *, period_id: int, span: PeriodSpan, pooling: Pooling) -> None:
    """Which departments and job families the period shows only in pools, from their headcounts alone."""
    size = pooling.size
    if size is None:
        size = await recommended_pool_size(session, counted=span, length=span.length, threshold=pooling.threshold)
    rows = []
    for grouping, model in (("department", Department), ("job_family", JobFamily)):
        headcounts: dict[int, int] = dict((await session.execute(select(model.id, model.headcount))).all())
        rows += [{"period_id": period_id, "grouping": grouping, "group_id": group_id, "pool_id": pool,
                  "headcount": headcounts[group_id]}
                 for group_id, pool in pools_of(headcounts, min_headcount=size).items()]
    if rows:
        await session.execute(insert(ReleasedPool), rows)


async def recommended_pool_size(session: AsyncSession, *, counted: PeriodSpan, length: str, threshold: int) -> int:
    """The pooling size for periods of `length` at the organisation's volume: its leavers over the released
    periods of counted's length in the twelve months ending with `counted` (frozen totals) against the
    departments' headcount. A release counts up to the period it releases; HR's confirmation page up to the
    last one released, so it says what the next release works out when the volume holds."""
    # The twelve months ending with this period: from the first of the month after the same month last year.
    year_start = date(counted.end.year - 1 + counted.end.month // 12, counted.end.month % 12 + 1, 1)
    periods = [(start, end, leavers) for start, end, leavers in (await session.execute(
        select(ReportingPeriod.period_start, ReportingPeriod.period_end, ReportingPeriod.interviews)
        .where(ReportingPeriod.length == counted.length, ReportingPeriod.period_start >= year_start,
               ReportingPeriod.period_end <= counted.end))).all()]
    headcount = await session.scalar(select(func.sum(Department.headcount))) or 0
    return recommended_size(periods, headcount=int(headcount), length=length, threshold=threshold)


# --- reading what was released ------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    """A group's frozen figures in a released period."""

    leavers: int
    headcount: int | None
    score_sums: dict[str, int]
    would_return: int
    promoters: int
    detractors: int

    def plus(self, other: GroupFigures) -> GroupFigures:
        """Two groups' figures added up (a pool's)."""
        return GroupFigures(
            leavers=self.leavers + other.leavers,
            headcount=(self.headcount or 0) + (other.headcount or 0) or None,
            score_sums={name: value + other.score_sums.get(name, 0) for name, value in self.score_sums.items()},
            would_return=self.would_return + other.would_return, promoters=self.promoters + other.promoters,
            detractors=self.detractors + other.detractors)


@dataclass(frozen=True)
class ReleasedPeriod:
    """One released period with all its frozen figures: of leavers, or (`stay`) of stay interviews, where
    a group's `leavers` counts the people interviewed and `score_sums` the stay questions."""

    id: int
    span: PeriodSpan
    table: PeriodTable
    groups: dict[tuple[str, int], GroupFigures] = field(default_factory=dict)
    stay: ReleasedPeriod | None = None
    # grouping -> {group id: pool id} for the groups shown only in a pool (see pools.py)
    pools: dict[str, dict[int, int]] = field(default_factory=dict)

    def pooled(self) -> ReleasedPeriod:
        """The period with each pool's members counted as one group, as everyone but HR sees it."""
        if not any(self.pools.values()):
            return self
        groups: dict[tuple[str, int], GroupFigures] = {}
        for (grouping, group_id), figures in self.groups.items():
            key = (grouping, pool_id(group_id, self.pools.get(grouping, {})))
            groups[key] = figures.plus(groups[key]) if key in groups else figures
        return ReleasedPeriod(id=self.id, span=self.span, table=pool_table(self.table, pools=self.pools),
                              groups=groups, stay=self.stay.pooled() if self.stay else None, pools=self.pools)


async def released_spans(session: AsyncSession, *, length: str) -> list[tuple[int, PeriodSpan]]:
    """The released periods of this length, oldest first, with their ids."""
    rows = (await session.execute(
        select(ReportingPeriod.id, ReportingPeriod.period_start, ReportingPeriod.period_end)
        .where(ReportingPeriod.length == length).order_by(ReportingPeriod.period_start)
    )).all()
    return [(period_id, PeriodSpan(length, start, end)) for period_id, start, end in rows]


async def read_released(session: AsyncSession, *, period_id: int, span: PeriodSpan,
                        theme_ids: list[int]) -> ReleasedPeriod:
    """The frozen figures of one released period, of leavers and of stay interviews (five queries)."""
    group_rows = (await session.execute(
        select(ReleasedGroup).where(ReleasedGroup.period_id == period_id)
        .order_by(ReleasedGroup.grouping, ReleasedGroup.group_id)
    )).scalars().all()
    theme_rows = (await session.execute(
        select(ReleasedTheme.grouping, ReleasedTheme.group_id, ReleasedTheme.theme_id, ReleasedTheme.raised)
        .where(ReleasedTheme.period_id == period_id)
    )).all()
    groups = {
        (row.grouping, row.group_id): GroupFigures(
            leavers=row.leavers, headcount=row.headcount,
            score_sums={name: getattr(row, name) for name in SCORE_QUESTIONS},
            would_return=row.would_return, promoters=row.promoters, detractors=row.detractors)
        for row in group_rows
    }
    raised = {(grouping, group_id, theme_id): count for grouping, group_id, theme_id, count in theme_rows}
    stay_group_rows = (await session.execute(
        select(ReleasedStayGroup).where(ReleasedStayGroup.period_id == period_id)
        .order_by(ReleasedStayGroup.grouping, ReleasedStayGroup.group_id)
    )).scalars().all()
    stay_theme_rows = (await session.execute(
        select(ReleasedStayTheme.grouping, ReleasedStayTheme.group_id, ReleasedStayTheme.theme_id,
               ReleasedStayTheme.raised).where(ReleasedStayTheme.period_id == period_id)
    )).all()
    stay_groups = {
        (row.grouping, row.group_id): GroupFigures(
            leavers=row.people, headcount=None, score_sums={name: getattr(row, name) for name in STAY_SCORE_QUESTIONS},
            would_return=0, promoters=0, detractors=0)
        for row in stay_group_rows
    }
    stay_raised = {(grouping, group_id, theme_id): count for grouping, group_id, theme_id, count in stay_theme_rows}
    pools: dict[str, dict[int, int]] = {}
    for grouping, group_id, pool in (await session.execute(
            select(ReleasedPool.grouping, ReleasedPool.group_id, ReleasedPool.pool_id)
            .where(ReleasedPool.period_id == period_id))).all():
        pools.setdefault(grouping, {})[group_id] = pool
    extra: dict[str, dict[tuple[str, int, int, int], int]] = {"exit": {}, "stay": {}}
    # How many answers each question counts (a choice: its options), from its version, which never changes.
    counted: dict[int, int] = {}
    for source, grouping, group_id, question_id, answer, count, kind, *texts in (await session.execute(
            select(ReleasedAnswer.source, ReleasedAnswer.grouping, ReleasedAnswer.group_id, ReleasedAnswer.question_id,
                   ReleasedAnswer.answer, ReleasedAnswer.count, ExtraQuestion.kind,
                   *(getattr(ExtraQuestion, name) for name in OPTION_FIELDS))
            .join(ExtraQuestion, ExtraQuestion.id == ReleasedAnswer.question_id)
            .where(ReleasedAnswer.period_id == period_id))).all():
        extra[source][grouping, group_id, question_id, answer] = count
        if question_id not in counted:
            counted[question_id] = counted_answers(ExtraQuestion(kind=kind, **dict(zip(OPTION_FIELDS, texts,
                                                                                      strict=True))))
    stay = ReleasedPeriod(id=period_id, span=span,
                          table=period_table(stay_groups, stay_raised, theme_ids, extra=extra["stay"], counted=counted),
                          groups=stay_groups, pools=pools)
    return ReleasedPeriod(id=period_id, span=span,
                          table=period_table(groups, raised, theme_ids, answers=True, extra=extra["exit"],
                                             counted=counted),
                          groups=groups, stay=stay, pools=pools)


def period_table(groups: dict[tuple[str, int], GroupFigures], raised: dict[tuple[str, int, int], int],
                 theme_ids: list[int], *, answers: bool = False,
                 extra: dict[tuple[str, int, int, int], int] | None = None,
                 counted: dict[int, int] | None = None) -> PeriodTable:
    """The table suppression works on, from a period's group figures and theme counts; with `answers`,
    the counts of each answer to the would-return and recommendation questions as well, and with `extra`
    ((grouping, group, question version, answer) -> leavers) those of extra questions (first, second, none;
    or each option of a choice, none: `counted` gives how many a question counts, 3 when not given)."""
    all_themes = sorted({*theme_ids, *(theme_id for _, _, theme_id in raised)})
    raised = dict(raised)
    if answers:
        for (grouping, group), figures in groups.items():
            raised.update({
                (grouping, group, WOULD_RETURN): figures.would_return,
                (grouping, group, WOULD_NOT_RETURN): figures.leavers - figures.would_return,
                (grouping, group, PROMOTERS): figures.promoters,
                (grouping, group, PASSIVES): figures.leavers - figures.promoters - figures.detractors,
                (grouping, group, DETRACTORS): figures.detractors,
            })
    extra = extra or {}
    extra_linked = []
    for question_id in sorted({key[2] for key in extra}):
        ids = extra_answer_ids(question_id, (counted or {}).get(question_id, EXTRA_ANSWERS))
        extra_linked.append(ids)
        for (grouping, group), figures in groups.items():
            given = [extra.get((grouping, group, question_id, answer), 0) for answer in range(len(ids) - 1)]
            raised.update({(grouping, group, answer_id): count for answer_id, count in zip(ids, given, strict=False)})
            raised[grouping, group, ids[-1]] = figures.leavers - sum(given)
    totals: dict[int, int] = {}
    for (grouping, _group, theme_id), count in raised.items():
        if grouping == GROUPINGS[0]:
            totals[theme_id] = totals.get(theme_id, 0) + count
    return PeriodTable(
        groups={grouping: sorted(group for kind, group in groups if kind == grouping) for grouping in GROUPINGS},
        theme_ids=all_themes,
        leavers={key: figures.leavers for key, figures in groups.items()},
        raised=raised,
        total=sum(figures.leavers for (kind, _), figures in groups.items() if kind == GROUPINGS[0]),
        theme_totals=totals,
        answer_ids=(*(ANSWERS if answers else ()), *(answer for ids in extra_linked for answer in ids)),
        extra_linked=extra_linked,
    )


class ReleaseClock:
    """Releases due periods for a worker's check; between release days it costs nothing.

    It releases in a transaction of its own. Each worker keeps its own clock (it only saves queries):
    the database decides what is released.
    """

    def __init__(self) -> None:
        self._quiet_until: tuple[str, int, date] | None = None

    async def ensure_released(self, sessionmaker: async_sessionmaker[AsyncSession], *, length: str,
                              delay_days: int, today: date, pooling: Pooling | None = None) -> None:
        key = (length, delay_days)
        if self._quiet_until is not None and self._quiet_until[:2] == key and today < self._quiet_until[2]:
            return
        async with sessionmaker() as session, session.begin():
            await release_due(session, length=length, delay_days=delay_days, today=today, pooling=pooling)
            any_interview = (await session.scalar(select(ExitInterview.id).limit(1))
                             or await session.scalar(select(StayInterview.id).limit(1)))
        # With no interview yet, the first ones may be for periods already due: look again next time.
        if any_interview is not None:
            self._quiet_until = (*key, next_release_day(today=today, length=length, delay_days=delay_days))
