"""HR's live radar over any period, counted in SQL, and the interviews recorded after a release.

HR sees every figure here; anyone else reads released periods through actiontrack.disclosure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import leaver_counts
from actiontrack.disclosure.tables import Cell, Group, Radar, ThemeRow
from actiontrack.i18n import gettext as _
from actiontrack.leaver_counts import GroupCounts
from actiontrack.models import Department, ExitInterview, JobFamily, ReportingPeriod, Theme
from actiontrack.radar.rules import SCORE_NAMES, Period, is_recurring

# The figures of a group without leavers in either period: (leavers, previous leavers, *score sums,
# would return, promoters, detractors).
NO_FIGURES = (0, 0, 0, 0, 0, 0, 0, 0, 0)


async def groups_and_themes(session: AsyncSession, *, by: str) -> tuple[Any, ...]:
    """The departments (with headcount) or job families, and the themes, in display order."""
    model = Department if by == "department" else JobFamily
    # Named in the reader's language (else the key name); the rendered tables are cached per language.
    group_columns = [model.id, model.label_sql().label("name"), model.active]
    if model is Department:
        group_columns.append(Department.headcount)
    groups = (await session.execute(select(*group_columns).order_by(model.name, model.id))).all()
    themes = (await session.execute(select(Theme).order_by(Theme.position, Theme.id))).scalars().all()
    return groups, themes


async def counts_by_source(session: AsyncSession, *, by: str, source: str,
                           periods: list[tuple[date, date]]) -> tuple[Any, ...]:
    """Per period, each group's counts and the people raising each theme, from exits, stays or both."""
    if source == "exit":
        return await leaver_counts.counts_for(session, grouping=by, periods=periods)
    stays = await leaver_counts.stay_counts_for(session, grouping=by, periods=periods)
    if source == "stay":
        return stays
    exits = await leaver_counts.counts_for(session, grouping=by, periods=periods)
    groups = [{group_id: GroupCounts(exit_groups.get(group_id, GroupCounts()).leavers
                                     + stay_groups.get(group_id, GroupCounts()).leavers)
               for group_id in {*exit_groups, *stay_groups}}
              for exit_groups, stay_groups in zip(exits[0], stays[0], strict=True)]
    raised = [{key: exit_raised.get(key, 0) + stay_raised.get(key, 0) for key in {*exit_raised, *stay_raised}}
              for exit_raised, stay_raised in zip(exits[1], stays[1], strict=True)]
    return groups, raised


@dataclass(frozen=True)
class RadarCounts:
    """What a live radar is made of: the groups and themes, and their counts over a period and the one before."""

    group_rows: Sequence[Any]  # id, name, active (and headcount for departments), in display order
    themes: Sequence[Theme]
    raised_now: dict[tuple[int, int], int]  # (theme id, group id): people raising the theme in the period
    raised_before: dict[tuple[int, int], int]  # the same in the previous period
    figures: dict[int, tuple[int, ...]]  # group id: as NO_FIGURES, for groups with leavers in either period


async def radar_counts(session: AsyncSession, *, by: str, period: Period, previous: Period,
                       source: str = "exit") -> RadarCounts:
    """The grouped counts of the two periods, in a constant number of queries."""
    group_rows, themes = await groups_and_themes(session, by=by)
    (now, before), (raised_now, raised_before) = await counts_by_source(
        session, by=by, source=source, periods=[(period.start, period.end), (previous.start, previous.end)])
    figures = {
        group_id: (now_counts.leavers, before.get(group_id, GroupCounts()).leavers, *now_counts.sums,
                   now_counts.would_return, now_counts.promoters, now_counts.detractors)
        for group_id in {*now, *before}
        for now_counts in (now.get(group_id, GroupCounts()),)
    }
    return RadarCounts(group_rows, themes, raised_now, raised_before, figures)


def shown_groups_and_themes(counts: RadarCounts) -> tuple[list[Any], list[Theme]]:
    """What HR's live radar shows: no figure is hidden from HR, and retired groups and themes appear
    while they have leavers in the two periods."""
    groups = [row for row in counts.group_rows if row.active or any(counts.figures.get(row.id, NO_FIGURES)[:2])]
    mentioned = {theme_id for raised in (counts.raised_now, counts.raised_before)
                 for (theme_id, _group_id), count in raised.items() if count}
    return groups, [theme for theme in counts.themes if theme.active or theme.id in mentioned]


def group_figures(row: Any, figures: tuple[int, ...], *, score_names: Sequence[str]) -> Group:
    """One group's column of the radar from its figures (see NO_FIGURES)."""
    leavers, previous_leavers, *sums, would_return, promoters, detractors = figures
    return Group(
        id=row.id, name=row.name, active=row.active, leavers=leavers, previous_leavers=previous_leavers,
        headcount=getattr(row, "headcount", None), score_sums=dict(zip(score_names, sums, strict=False)),
        would_return=would_return, promoters=promoters, detractors=detractors,
    )


def organisation_total(groups: Sequence[Group], *, by: str, score_names: Sequence[str]) -> Group:
    """The whole organisation's column: the shown groups added up (headcount for departments only)."""
    return Group(
        id=None, name=_("Whole organisation"), active=True,
        leavers=sum(item.leavers for item in groups), previous_leavers=sum(item.previous_leavers for item in groups),
        headcount=(sum(item.headcount or 0 for item in groups) or None) if by == "department" else None,
        score_sums={name: sum(item.score_sums[name] for item in groups) for name in score_names},
        would_return=sum(item.would_return for item in groups), promoters=sum(item.promoters for item in groups),
        detractors=sum(item.detractors for item in groups),
    )


def theme_rows(themes: Sequence[Theme], *, counts: RadarCounts, groups: Sequence[Group], total: Group,
               min_leavers: int, min_share: float) -> list[ThemeRow]:
    """Each theme's cells, one per group and one for the whole organisation, each judged recurring or not."""

    def cell(raised: int, leavers: int, previous_raised: int, previous_leavers: int) -> Cell:
        return Cell(
            raised=raised, leavers=leavers, previous_raised=previous_raised, previous_leavers=previous_leavers,
            recurring=is_recurring(raised, leavers, min_leavers=min_leavers, min_share=min_share),
        )

    raised_now, raised_before = counts.raised_now, counts.raised_before
    rows = []
    for theme in themes:
        cells = [
            cell(raised_now.get((theme.id, item.id), 0), item.leavers,
                 raised_before.get((theme.id, item.id), 0), item.previous_leavers)
            for item in groups
        ]
        row_total = cell(
            sum(raised_now.get((theme.id, item.id), 0) for item in groups), total.leavers,
            sum(raised_before.get((theme.id, item.id), 0) for item in groups), total.previous_leavers,
        )
        rows.append(ThemeRow(theme=theme, cells=cells, total=row_total))
    return rows


async def build_radar(
    session: AsyncSession,
    *,
    by: str,
    period: Period,
    threshold: int,
    min_leavers: int,
    min_share: float,
    source: str = "exit",
) -> Radar:
    """HR's live radar for any period and its previous one: every figure, nothing hidden.

    `source`: leavers' exit interviews, stay interviews (people interviewed count as `leavers`, with the
    stay scores) or both added up (no scores: the questions differ)."""
    previous = period.previous()
    counts = await radar_counts(session, by=by, period=period, previous=previous, source=source)
    shown_groups, shown_themes = shown_groups_and_themes(counts)
    score_names = SCORE_NAMES[source]
    groups = [group_figures(row, counts.figures.get(row.id, NO_FIGURES), score_names=score_names)
              for row in shown_groups]
    total = organisation_total(groups, by=by, score_names=score_names)
    rows = theme_rows(shown_themes, counts=counts, groups=groups, total=total, min_leavers=min_leavers,
                      min_share=min_share)
    return Radar(by=by, period=period, previous=previous, groups=groups, total=total, rows=rows,
                 threshold=threshold, suppressed=False)


async def late_records(session: AsyncSession, *, period: Period, length: str) -> int:
    """Interviews in released periods overlapping `period` that were recorded or changed after the release:
    HR sees them, leadership's frozen figures never will. Reads only interviews changed since the
    oldest of those releases (an interview's last change is never before its creation)."""
    released = (await session.execute(
        select(ReportingPeriod.period_start, ReportingPeriod.period_end, ReportingPeriod.released_at)
        .where(ReportingPeriod.length == length, ReportingPeriod.period_start <= period.end,
               ReportingPeriod.period_end >= period.start)
    )).all()
    if not released:
        return 0
    # coalesce() keeps SQLite from walking the exit-date index (most of the period) instead of the
    # index of recent changes (usually a handful of rows).
    exit_date = func.coalesce(ExitInterview.exit_date, ExitInterview.exit_date)
    return await session.scalar(
        select(func.count()).select_from(ExitInterview)
        .where(ExitInterview.updated_at > min(released_at for _start, _end, released_at in released),
               exit_date.between(period.start, period.end),
               or_(*(and_(exit_date.between(start, end), ExitInterview.updated_at > released_at)
                     for start, end, released_at in released)))
    ) or 0
