"""The reporting period length and the pooling of small groups: HR's choice, what each choice would show
leadership, and what a change costs.

HR picks quarter, half-year or year in the app (`choose`), and whether groups too small for the
organisation's volume show together in pools (pools.py); until then ACTIONTRACK_REPORT_PERIOD and
ACTIONTRACK_POOL_SIZE decide. Every request and release reads the choice (`period_length`,
`pooling_in_force`: one query each), so every worker follows a change at once.

`preview` says, for each length with and without pools, what leadership would have seen of the
organisation's own leavers over about the last year: the live figures of the last due periods of
that length, pooled and hidden by the same suppression as released periods
(`views.disclosed_sources`). `change` says what a change loses and gains once periods have been
released: a new length starts a new series after the last released month (see
`periods.due_periods`), and new pooling applies from the next period released; released periods keep
the pools they were frozen with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from litestar import Request
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.disclosure.periods import (
    MONTHS,
    PeriodSpan,
    due_periods,
    first_period_after,
    period_containing,
)
from actiontrack.disclosure.pools import Pooling, pools_of, recommended_size
from actiontrack.disclosure.release import (
    GroupFigures,
    ReleasedPeriod,
    first_interview_day,
    period_table,
    recommended_pool_size,
    released_spans,
    released_until,
)
from actiontrack.disclosure.suppression import GROUPINGS
from actiontrack.disclosure.views import disclosed_sources
from actiontrack.models import (
    Department,
    JobFamily,
    LeaverMonth,
    LeaverMonthTheme,
    PeriodLength,
    ReportingChoice,
    ReportingPeriod,
    User,
)

LENGTHS = tuple(length.value for length in PeriodLength)
# The choice's name in the audit trail.
ENTITY = "reporting_choice"
# The preview covers about a year: four quarters, two half-years or one year.
PREVIEW_MONTHS = 12
# Pooling as HR chooses it: every group on its own, or groups too small for the organisation's volume
# in pools (pools.recommended_min_headcount). ACTIONTRACK_POOL_SIZE may also set a size in people.
POOLINGS = ("off", "auto")
# Recommended: the shortest length (without pools before with them) whose periods show leadership at
# least these shares: of the whole-organisation theme figures, and of the theme mentions in department
# and job family columns. When none does, the one showing most mentions among those showing the first
# share, else the one showing most of the whole-organisation figures.
GOAL_TOTALS_SHARE = 0.9
GOAL_MENTIONS_SHARE = 0.3


async def period_length(session: AsyncSession, *, default: str) -> str:
    """The period length in force: HR's choice, else `default` (ACTIONTRACK_REPORT_PERIOD)."""
    return await session.scalar(select(ReportingChoice.length).where(ReportingChoice.id == 1)) or default


def pooling_name(size: int | str) -> str:
    """ACTIONTRACK_POOL_SIZE as a choice: "off" (0), "auto", or a size in people ("150")."""
    return "off" if size in (0, "0") else str(size)


async def pooling_choice(session: AsyncSession, *, default: int | str) -> str:
    """The pooling in force: HR's choice ("off", "auto"), else `default` (ACTIONTRACK_POOL_SIZE) as a choice."""
    chosen = await session.scalar(select(ReportingChoice.pooling).where(ReportingChoice.id == 1))
    return chosen or pooling_name(default)


def pooling_of(choice: str, *, threshold: int) -> Pooling:
    """How releases pool small groups under a pooling choice."""
    size = 0 if choice == "off" else None if choice == "auto" else int(choice)
    return Pooling(size=size, threshold=threshold)


async def pooling_in_force(session: AsyncSession, *, default: int | str, threshold: int) -> Pooling:
    """How the next release pools small groups: HR's choice, else `default` (ACTIONTRACK_POOL_SIZE)."""
    return pooling_of(await pooling_choice(session, default=default), threshold=threshold)


def pooling_options(default: int | str) -> tuple[str, ...]:
    """The poolings HR may choose: off and auto, and the size ACTIONTRACK_POOL_SIZE sets, if it sets one."""
    name = pooling_name(default)
    return POOLINGS if name in POOLINGS else (*POOLINGS, name)


async def stored_choice(session: AsyncSession) -> ReportingChoice | None:
    """HR's choice with who made it and when, or None before HR chose."""
    return await session.get(ReportingChoice, 1)


async def choose(session: AsyncSession, *, length: str, default: str, actor: User, request: Request[Any, Any, Any],
                 pooling: str | None = None, default_pooling: int | str = 0) -> None:
    """Store HR's choice (one row, whoever writes at the same moment) and audit it. `pooling` None
    leaves the pooling as it is."""
    if length not in LENGTHS:
        raise ValueError(f"unknown period length: {length}")
    if pooling is not None and pooling not in pooling_options(default_pooling):
        raise ValueError(f"unknown pooling: {pooling}")
    before = await period_length(session, default=default)
    pooled_before = await pooling_choice(session, default=default_pooling)
    dialect_insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"length": length, "chosen_by_id": actor.id, "chosen_at": clock.utcnow()}
    changes = {"length": [before, length]}
    if pooling is not None:
        values["pooling"] = pooling
        if pooling != pooled_before:
            changes["pooling"] = [pooled_before, pooling]
    await session.execute(dialect_insert(ReportingChoice).values(id=1, **values)
                          .on_conflict_do_update(index_elements=["id"], set_=values))
    audit.record(session, actor=actor, verb="update", entity=ENTITY, entity_id=1, changes=changes, request=request)


async def series_first_period(session: AsyncSession, *, length: str, first_day: date) -> PeriodSpan:
    """The first period a series of this length releases: the one holding the first interview, or the
    first one after the months released with another length."""
    until = await released_until(session, length=length)
    first = period_containing(first_day, length=length)
    if until is not None and first.start <= until:
        return first_period_after(until, length=length)
    return first


# --- what each length would show ----------------------------------------------------------------


@dataclass(frozen=True)
class LengthPreview:
    """What leadership would have seen with one length and pooling over the previewed periods."""

    length: str
    periods: tuple[PeriodSpan, ...]
    leavers: int  # in all the periods together
    totals: int  # whole-organisation theme figures with at least one mention
    totals_shown: int
    mentions: int  # theme mentions in department and job family columns
    mentions_shown: int
    pooling: str = "off"
    pooled: int = 0  # departments and job families shown only in a pool

    @property
    def meets_goal(self) -> bool:
        return (self.totals_share is not None and self.totals_share >= GOAL_TOTALS_SHARE
                and self.mentions_share is not None and self.mentions_share >= GOAL_MENTIONS_SHARE)

    @property
    def leavers_per_period(self) -> float:
        return self.leavers / len(self.periods) if self.periods else 0

    @property
    def totals_share(self) -> float | None:
        return self.totals_shown / self.totals if self.totals else None

    @property
    def mentions_share(self) -> float | None:
        return self.mentions_shown / self.mentions if self.mentions else None


async def preview(session: AsyncSession, *, threshold: int, delay_days: int, today: date,
                  poolings: tuple[str, ...] = POOLINGS) -> list[LengthPreview]:
    """For each length and each pooling, the last due periods covering about a year, counted live,
    pooled and suppressed (six queries)."""
    first = await first_interview_day(session)
    spans = {length: tuple(due_periods(first_exit=first, today=today, length=length, delay_days=delay_days)
                           [-(PREVIEW_MONTHS // MONTHS[length]):]) if first else () for length in LENGTHS}
    every = [span for chosen in spans.values() for span in chosen]
    if not every:
        return [LengthPreview(length, (), 0, 0, 0, 0, 0, pooling=pooling) for length in LENGTHS for pooling in poolings]
    window = LeaverMonth.month.between(min(span.start for span in every), max(span.end for span in every))
    months = (await session.execute(
        select(LeaverMonth.grouping, LeaverMonth.group_id, LeaverMonth.month, LeaverMonth.leavers).where(window))).all()
    theme_months = (await session.execute(
        select(LeaverMonthTheme.grouping, LeaverMonthTheme.group_id, LeaverMonthTheme.month, LeaverMonthTheme.theme_id,
               LeaverMonthTheme.raised).where(LeaverMonthTheme.month.between(
                   min(span.start for span in every), max(span.end for span in every))))).all()
    headcounts: dict[str, dict[int, int]] = {
        "department": dict((await session.execute(select(Department.id, Department.headcount))).all()),
        "job_family": dict((await session.execute(select(JobFamily.id, JobFamily.headcount))).all())}
    return [item for length in LENGTHS
            for item in _preview_length(length, spans[length], months, theme_months, headcounts, poolings,
                                        threshold=threshold)]


def _preview_length(length: str, spans: tuple[PeriodSpan, ...], months: Sequence[Any], theme_months: Sequence[Any],
                    headcounts: dict[str, dict[int, int]], poolings: tuple[str, ...], *,
                    threshold: int) -> list[LengthPreview]:
    tables: list[Any] = []
    for span in spans:
        counts: dict[tuple[str, int], int] = {}
        for grouping, group_id, month, count in months:
            if span.start <= month <= span.end:
                counts[grouping, group_id] = counts.get((grouping, group_id), 0) + count
        raised: dict[tuple[str, int, int], int] = {}
        for grouping, group_id, month, theme_id, count in theme_months:
            if span.start <= month <= span.end:
                raised[grouping, group_id, theme_id] = raised.get((grouping, group_id, theme_id), 0) + count
        groups = {key: GroupFigures(leavers=count, headcount=None, score_sums={}, would_return=0, promoters=0,
                                    detractors=0) for key, count in counts.items() if count}
        tables.append((span, groups, {key: count for key, count in raised.items() if count}))
    each = [(span.start, span.end, sum(figures.leavers for (grouping, _), figures in groups.items()
                                       if grouping == GROUPINGS[0])) for span, groups, _ in tables]
    leavers = sum(count for _, _, count in each)
    people = sum(headcount or 0 for headcount in headcounts["department"].values())
    found = []
    for pooling in poolings:
        size = pooling_of(pooling, threshold=threshold).size
        if size is None:
            # As a release sizes pools, from these periods counted live.
            size = recommended_size(each, headcount=people, length=length, threshold=threshold)
        pools = {grouping: pools_of({group: headcount or 0 for group, headcount in counts.items()}, min_headcount=size)
                 for grouping, counts in headcounts.items()}
        totals = totals_shown = mentions = mentions_shown = 0
        for span, groups, raised in tables:
            live = ReleasedPeriod(id=0, span=span, table=period_table(groups, raised, []), groups=groups, pools=pools)
            view = disclosed_sources(live, threshold=threshold)
            for theme_id, count in live.table.theme_totals.items():
                if count:
                    totals += 1
                    totals_shown += not view.cell(GROUPINGS[0], None, theme_id)[2]
            # Counted as leadership sees them: a pool's cells, never its members' on their own.
            for (grouping, group_id, theme_id), count in view.released.table.raised.items():
                mentions += count
                if not view.cell(grouping, group_id, theme_id)[2]:
                    mentions_shown += count
        found.append(LengthPreview(length, spans, leavers, totals, totals_shown, mentions, mentions_shown,
                                   pooling=pooling, pooled=sum(len(members) for members in pools.values())))
    return found


def recommend(previews: list[LengthPreview]) -> LengthPreview | None:
    """The first setting (shortest length, without pools before with them) that meets the goal
    (GOAL_TOTALS_SHARE and GOAL_MENTIONS_SHARE); when none does, the one showing most mentions in
    group columns among those showing GOAL_TOTALS_SHARE of the whole-organisation figures, else the
    one showing most of those (the first of equals); None while there are no theme mentions to go by."""
    counted = [(item.totals_share, item.mentions_share, item) for item in previews
               if item.mentions_share is not None and item.totals_share is not None]
    if not counted:
        return None
    for _, _, item in counted:
        if item.meets_goal:
            return item
    enough = [(mentions, item) for totals, mentions, item in counted if totals >= GOAL_TOTALS_SHARE]
    if enough:
        return max(enough, key=lambda pair: pair[0])[1]
    return max(counted, key=lambda triple: (triple[0], triple[1]))[2]


# --- a change of length -------------------------------------------------------------------------


@dataclass(frozen=True)
class LengthChange:
    """What changing from `current` to `new` does to what leadership sees, once periods were released."""

    current: str
    new: str
    shown_now: list[PeriodSpan]  # the current series, no longer shown after the change
    shown_again: list[PeriodSpan]  # periods of the new length released before: shown again
    first: PeriodSpan  # the new series' first period
    first_release: date
    never_shown: tuple[date, date] | None  # months between the last release and the new series


async def change(session: AsyncSession, *, current: str, new: str, delay_days: int) -> LengthChange | None:
    """What choosing `new` instead of `current` loses and gains; None while nothing was ever released
    (a change then costs nothing)."""
    last_released = await session.scalar(select(func.max(ReportingPeriod.period_end)))
    if last_released is None:
        return None
    first = first_period_after(last_released, length=new)
    gap_start = last_released + timedelta(days=1)
    never_shown = (gap_start, first.start - timedelta(days=1)) if gap_start < first.start else None
    return LengthChange(
        current=current, new=new, shown_now=[span for _, span in await released_spans(session, length=current)],
        shown_again=[span for _, span in await released_spans(session, length=new)], first=first,
        first_release=first.release_day(delay_days=delay_days), never_shown=never_shown,
    )


# --- a change of pooling ------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolingChange:
    """What changing the pooling from `current` to `new` does, once periods were released: released
    periods keep the pools they were frozen with; the new pooling applies from `first` on."""

    current: str
    new: str
    first: PeriodSpan  # the first period released with the new pooling
    pooled: list[str]  # the groups shown only in pools from then on, at today's headcounts and volume
    size: int  # the pooling size in people those pools are made to


async def pooling_change(session: AsyncSession, *, current: str, new: str, length: str,
                         threshold: int) -> PoolingChange | None:
    """What choosing the pooling `new` instead of `current` (with periods of `length` from now on) loses
    and gains; None while nothing was ever released (a change then costs nothing)."""
    last_released = await session.scalar(select(func.max(ReportingPeriod.period_end)))
    if last_released is None:
        return None
    first = first_period_after(last_released, length=length)
    size = pooling_of(new, threshold=threshold).size
    if size is None:
        # As the last release of this length worked it out; right after a change of length, before any,
        # from the periods of the last one released.
        last_length, last_start, last_end = (await session.execute(
            select(ReportingPeriod.length, ReportingPeriod.period_start, ReportingPeriod.period_end)
            .order_by((ReportingPeriod.length == length).desc(), ReportingPeriod.period_end.desc()).limit(1))).one()
        size = await recommended_pool_size(session, counted=PeriodSpan(last_length, last_start, last_end),
                                           length=length, threshold=threshold)
    pooled = []
    for model in (Department, JobFamily):
        groups = (await session.execute(select(model.id, model.name, model.headcount))).all()
        members = pools_of({group_id: headcount or 0 for group_id, _, headcount in groups}, min_headcount=size)
        pooled += sorted(name for group_id, name, _ in groups if group_id in members)
    return PoolingChange(current=current, new=new, first=first, pooled=pooled, size=size)
