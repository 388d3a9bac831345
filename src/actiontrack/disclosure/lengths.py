"""The reporting period length: HR's choice, what each length would show leadership, and what a change costs.

HR picks quarter, half-year or year in the app (`choose`); until then ACTIONTRACK_REPORT_PERIOD
decides. Every request that shows released figures reads the choice (`period_length`, one query), so
every worker follows a change at once.

`preview` says, for each length, what leadership would have seen of the organisation's own leavers
over about the last year: the live figures of the last due periods of that length, hidden by the
same suppression as released periods (`views.disclosed_sources`). `change` says what a change of
length loses and gains once periods have been released: the new series starts after the last
released month (see `periods.due_periods`), and only periods of the chosen length are shown.
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
from actiontrack.disclosure.periods import MONTHS, PeriodSpan, due_periods, first_period_after, period_containing
from actiontrack.disclosure.release import GroupFigures, ReleasedPeriod, period_table, released_spans
from actiontrack.disclosure.suppression import GROUPINGS
from actiontrack.disclosure.views import disclosed_sources
from actiontrack.models import (
    ExitInterview,
    LeaverMonth,
    LeaverMonthTheme,
    PeriodLength,
    ReportingChoice,
    ReportingPeriod,
    StayInterview,
    User,
)

LENGTHS = tuple(length.value for length in PeriodLength)
# The choice's name in the audit trail.
ENTITY = "reporting_choice"
# The preview covers about a year: four quarters, two half-years or one year.
PREVIEW_MONTHS = 12
# Recommended: the shortest length whose periods show leadership at least this share of the theme
# mentions in department and job family columns (otherwise the one that shows the most).
RECOMMENDED_SHARE = 0.5


async def period_length(session: AsyncSession, *, default: str) -> str:
    """The period length in force: HR's choice, else `default` (ACTIONTRACK_REPORT_PERIOD)."""
    return await session.scalar(select(ReportingChoice.length).where(ReportingChoice.id == 1)) or default


async def stored_choice(session: AsyncSession) -> ReportingChoice | None:
    """HR's choice with who made it and when, or None before HR chose."""
    return await session.get(ReportingChoice, 1)


async def choose(session: AsyncSession, *, length: str, default: str, actor: User,
                 request: Request[Any, Any, Any]) -> None:
    """Store HR's choice (one row, whoever writes at the same moment) and audit it."""
    if length not in LENGTHS:
        raise ValueError(f"unknown period length: {length}")
    before = await period_length(session, default=default)
    dialect_insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"length": length, "chosen_by_id": actor.id, "chosen_at": clock.utcnow()}
    await session.execute(dialect_insert(ReportingChoice).values(id=1, **values)
                          .on_conflict_do_update(index_elements=["id"], set_=values))
    audit.record(session, actor=actor, verb="update", entity=ENTITY, entity_id=1,
                 changes={"length": [before, length]}, request=request)


async def series_first_period(session: AsyncSession, *, length: str, first_day: date) -> PeriodSpan:
    """The first period a series of this length releases: the one holding the first interview, or the
    first one after the months released with another length."""
    released_until = await session.scalar(
        select(func.max(ReportingPeriod.period_end)).where(ReportingPeriod.length != length))
    first = period_containing(first_day, length=length)
    if released_until is not None and first.start <= released_until:
        return first_period_after(released_until, length=length)
    return first


# --- what each length would show ----------------------------------------------------------------


@dataclass(frozen=True)
class LengthPreview:
    """What leadership would have seen with one length over the previewed periods."""

    length: str
    periods: tuple[PeriodSpan, ...]
    leavers: int  # in all the periods together
    totals: int  # whole-organisation theme figures with at least one mention
    totals_shown: int
    mentions: int  # theme mentions in department and job family columns
    mentions_shown: int

    @property
    def leavers_per_period(self) -> float:
        return self.leavers / len(self.periods) if self.periods else 0

    @property
    def totals_share(self) -> float | None:
        return self.totals_shown / self.totals if self.totals else None

    @property
    def mentions_share(self) -> float | None:
        return self.mentions_shown / self.mentions if self.mentions else None


async def _first_day(session: AsyncSession) -> date | None:
    firsts = [day for day in (await session.scalar(select(func.min(ExitInterview.exit_date))),
                              await session.scalar(select(func.min(StayInterview.held_on)))) if day is not None]
    return min(firsts) if firsts else None


async def preview(session: AsyncSession, *, threshold: int, delay_days: int, today: date) -> list[LengthPreview]:
    """For each length, the last due periods covering about a year, counted live and suppressed (four queries)."""
    first = await _first_day(session)
    spans = {length: tuple(due_periods(first_exit=first, today=today, length=length, delay_days=delay_days)
                           [-(PREVIEW_MONTHS // MONTHS[length]):]) if first else () for length in LENGTHS}
    every = [span for chosen in spans.values() for span in chosen]
    if not every:
        return [LengthPreview(length, (), 0, 0, 0, 0, 0) for length in LENGTHS]
    window = LeaverMonth.month.between(min(span.start for span in every), max(span.end for span in every))
    months = (await session.execute(
        select(LeaverMonth.grouping, LeaverMonth.group_id, LeaverMonth.month, LeaverMonth.leavers).where(window))).all()
    theme_months = (await session.execute(
        select(LeaverMonthTheme.grouping, LeaverMonthTheme.group_id, LeaverMonthTheme.month, LeaverMonthTheme.theme_id,
               LeaverMonthTheme.raised)
        .where(LeaverMonthTheme.month.between(min(span.start for span in every), max(span.end for span in every))))
    ).all()
    return [_previewed(length, spans[length], months, theme_months, threshold=threshold) for length in LENGTHS]


def _previewed(length: str, spans: tuple[PeriodSpan, ...], months: Sequence[Any], theme_months: Sequence[Any], *,
               threshold: int) -> LengthPreview:
    leavers = totals = totals_shown = mentions = mentions_shown = 0
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
        raised = {key: count for key, count in raised.items() if count}
        live = ReleasedPeriod(id=0, span=span, table=period_table(groups, raised, []), groups=groups)
        view = disclosed_sources(live, threshold=threshold)
        table = live.table
        leavers += table.total
        for theme_id, count in table.theme_totals.items():
            if count:
                totals += 1
                totals_shown += not view.cell(GROUPINGS[0], None, theme_id)[2]
        for (grouping, group_id, theme_id), count in raised.items():
            mentions += count
            if not view.cell(grouping, group_id, theme_id)[2]:
                mentions_shown += count
    return LengthPreview(length, spans, leavers, totals, totals_shown, mentions, mentions_shown)


def recommend(previews: list[LengthPreview]) -> str | None:
    """The shortest length whose periods show at least RECOMMENDED_SHARE of the theme mentions in group
    columns; when none does, the one that shows the largest share (the shortest of equals); None while
    there are no theme mentions to go by."""
    counted = [item for item in previews if item.mentions_share is not None]
    if not counted:
        return None
    for item in counted:
        if (item.mentions_share or 0) >= RECOMMENDED_SHARE:
            return item.length
    return max(counted, key=lambda item: item.mentions_share or 0).length


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
