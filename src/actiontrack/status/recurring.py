"""Recurring themes on the status page: how fast a first action follows, and which have none.

When a theme *becomes recurring* in a department (the definition the page shows):

- Every complete calendar month is judged on its window: that month and the months before it,
  ``radar.rules.DEFAULT_MONTHS`` whole months in all (the radar's default period for leadership).
- The theme is recurring in the department for that month when, over the window, it meets the
  radar's rule (``radar.rules.is_recurring`` with settings.recurring_min_leavers / recurring_min_share).
- It becomes recurring on the last day of a month judged recurring after a month that was not.
- It is *currently* recurring when the last complete month is judged recurring (what leadership
  sees on the radar by default).

An action *covers* a theme in a department when it is linked to the theme and its scope is the
whole company or that department, and it is not cancelled. The *first action* after a theme became
recurring is the earliest covering action; the days to it are its creation date (Brussels) minus
the date the theme became recurring, 0 when it already existed.

Leaver counts are read from the monthly counts the database keeps, the first actions with GROUP BY;
the rules are plain functions. The page's figures are kept whole in the worker's memo (caching.py).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.disclosure import Disclosed, recurring_cells
from actiontrack.models import (
    ActionItem,
    ActionStatus,
    ActionTheme,
    LeaverMonth,
    LeaverMonthTheme,
    Scope,
)
from actiontrack.radar.rules import DEFAULT_MONTHS, Period, is_recurring

WINDOW_MONTHS = DEFAULT_MONTHS
FIRST_ACTION_DAYS = 28


# --- months as numbers ------------------------------------------------------------------------


def month_of(day: date) -> int:
    """A month as one number (year * 12 + month - 1), so that months add and subtract."""
    return day.year * 12 + day.month - 1


def month_start(month: int) -> date:
    return date(month // 12, month % 12 + 1, 1)


def month_end(month: int) -> date:
    return month_start(month + 1) - timedelta(days=1)


def window_of(month: int, *, months: int = WINDOW_MONTHS) -> Period:
    """The whole months judged for `month`: it and the `months - 1` before it."""
    return Period(month_start(month - months + 1), month_end(month))


# --- the rules --------------------------------------------------------------------------------


def recurring_by_month(
    *, raised: Mapping[int, int], leavers: Mapping[int, int], months: Iterable[int], window: int = WINDOW_MONTHS,
    min_leavers: int, min_share: float,
) -> dict[int, bool]:
    """For each month, whether the theme meets the recurring rule over the window ending with it.

    `raised` and `leavers` are one department's counts per month (missing months count 0).
    """
    months = list(months)
    if not months:
        return {}
    # Running sums over the window, so that each month costs the same whatever the window.
    first = months[0] - window + 1
    raised_sum = sum(raised.get(m, 0) for m in range(first, months[0]))
    leavers_sum = sum(leavers.get(m, 0) for m in range(first, months[0]))
    judged = {}
    for month in range(months[0], months[-1] + 1):
        raised_sum += raised.get(month, 0) - raised.get(month - window, 0) * (month - window >= first)
        leavers_sum += leavers.get(month, 0) - leavers.get(month - window, 0) * (month - window >= first)
        judged[month] = is_recurring(raised_sum, leavers_sum, min_leavers=min_leavers, min_share=min_share)
    return {month: judged[month] for month in months}


def onset_months(*, recurring: Mapping[int, bool]) -> list[int]:
    """The months judged recurring right after one that was not (the first month judged has no before)."""
    return [month for month, now in sorted(recurring.items()) if now and recurring.get(month - 1) is False]


def current_onset(*, recurring: Mapping[int, bool], latest: int) -> date | None:
    """When the run of recurring months ending with `latest` began; None if it began before the months judged."""
    month = latest
    while recurring.get(month - 1):
        month -= 1
    return month_end(month) if recurring.get(month - 1) is False else None


def days_to_first_action(*, became_recurring: date, first_action: date | None) -> int | None:
    """Days from becoming recurring to the earliest covering action; 0 when it already existed."""
    return None if first_action is None else max(0, (first_action - became_recurring).days)


@dataclass(frozen=True)
class Episode:
    """A theme becoming recurring in a department, and how many days its first action took (None: none yet)."""

    theme_id: int
    department_id: int
    became_recurring: date
    days_to_action: int | None


@dataclass(frozen=True)
class ResponseTimes:
    episodes: int
    with_action: int
    median_days: float | None
    within: int  # a first action within FIRST_ACTION_DAYS
    decided: int  # acted on within the days, or older than that: the share's denominator

    @property
    def within_share(self) -> float | None:
        return self.within / self.decided if self.decided else None


def response_times(*, episodes: Sequence[Episode], today: date, within_days: int = FIRST_ACTION_DAYS) -> ResponseTimes:
    """Median days to a first action (episodes that have one) and the share acted on within `within_days`.

    A theme that became recurring less than `within_days` ago and has no action yet still has time:
    it is left out of the share until it is acted on or its days are over.
    """
    days = [episode.days_to_action for episode in episodes if episode.days_to_action is not None]
    within = sum(1 for value in days if value <= within_days)
    decided = within + sum(
        1 for episode in episodes
        if (episode.days_to_action is None or episode.days_to_action > within_days)
        and (today - episode.became_recurring).days > within_days
    )
    return ResponseTimes(episodes=len(episodes), with_action=len(days),
                         median_days=statistics.median(days) if days else None, within=within, decided=decided)


def first_covering_action(
    *, theme_id: int, department_id: int, first_created: Mapping[tuple[int, int | None], date],
) -> date | None:
    """The earliest creation date of a non-cancelled action covering the theme in the department.

    `first_created[(theme, department)]` holds department-scoped actions, `[(theme, None)]` company-wide ones.
    """
    found = [day for day in (first_created.get((theme_id, department_id)), first_created.get((theme_id, None)))
             if day is not None]
    return min(found) if found else None


# --- reading the counts -----------------------------------------------------------------------


@dataclass(frozen=True)
class LeaverCounts:
    """Leavers per (department, month) and leavers raising a theme per (theme, department, month)."""

    first_month: int
    last_month: int
    leavers: dict[tuple[int, int], int]
    raised: dict[tuple[int, int, int], int]


async def read_counts(
    session: AsyncSession, *, first_month: int, last_month: int, department_id: int | None, theme_id: int | None,
) -> LeaverCounts:
    """Two reads of the monthly counts (kept by the database on every write) over the months asked for."""
    in_months = LeaverMonth.month.between(month_start(first_month), month_start(last_month))
    leavers_query = select(LeaverMonth.group_id, LeaverMonth.month, LeaverMonth.leavers).where(
        LeaverMonth.grouping == "department", in_months, LeaverMonth.leavers != 0)
    in_theme_months = LeaverMonthTheme.month.between(month_start(first_month), month_start(last_month))
    raised_query = select(LeaverMonthTheme.theme_id, LeaverMonthTheme.group_id, LeaverMonthTheme.month,
                          LeaverMonthTheme.raised).where(
        LeaverMonthTheme.grouping == "department", in_theme_months, LeaverMonthTheme.raised != 0)
    if department_id is not None:
        leavers_query = leavers_query.where(LeaverMonth.group_id == department_id)
        raised_query = raised_query.where(LeaverMonthTheme.group_id == department_id)
    if theme_id is not None:
        raised_query = raised_query.where(LeaverMonthTheme.theme_id == theme_id)
    leavers = {(department, month_of(month)): count
               for department, month, count in (await session.execute(leavers_query)).all()}
    raised = {(theme, department, month_of(month)): count
              for theme, department, month, count in (await session.execute(raised_query)).all()}
    return LeaverCounts(first_month, last_month, leavers, raised)


async def first_created_actions(session: AsyncSession) -> dict[tuple[int, int | None], date]:
    """The earliest non-cancelled action per theme and department (None: company-wide), as local dates."""
    query = (
        select(ActionTheme.theme_id, ActionItem.scope, ActionItem.department_id, func.min(ActionItem.created_at))
        .join(ActionItem, ActionItem.id == ActionTheme.action_id)
        .where(ActionItem.status != ActionStatus.CANCELLED.value,
               ActionItem.scope.in_([Scope.COMPANY.value, Scope.DEPARTMENT.value]))
        .group_by(ActionTheme.theme_id, ActionItem.scope, ActionItem.department_id)
    )
    found: dict[tuple[int, int | None], date] = {}
    for theme_id, scope, department_id, created in (await session.execute(query)).all():
        key = (theme_id, None if scope == Scope.COMPANY.value else department_id)
        day = clock.local_day(created)
        found[key] = min(day, found.get(key, day))
    return found


# --- the overview -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecurringTheme:
    """A theme recurring now in a department, with the window's counts as the viewer may see them."""

    theme_id: int
    department_id: int
    since: date | None  # None: recurring since before the months judged
    raised: int
    leavers: int
    has_action: bool


@dataclass(frozen=True)
class RecurringOverview:
    window: Period  # the window of the last complete month: what "currently" means
    judged_from: date  # the first month-end judged
    current: list[RecurringTheme]
    responses: ResponseTimes
    recurring_theme_ids: set[int] = field(default_factory=set)  # recurring in any month judged

    @property
    def with_action(self) -> int:
        return sum(1 for item in self.current if item.has_action)

    @property
    def with_action_share(self) -> float | None:
        return self.with_action / len(self.current) if self.current else None

    @property
    def without_action(self) -> list[RecurringTheme]:
        return [item for item in self.current if not item.has_action]


def recurring_overview(
    *, counts: LeaverCounts, first_created: Mapping[tuple[int, int | None], date], period: Period, today: date,
    min_leavers: int, min_share: float,
) -> RecurringOverview:
    """Episodes that began in the period with their days to a first action, and what recurs now.

    The counts must start `WINDOW_MONTHS` months before the first month to judge; their last month
    is the last complete one.
    """
    latest = counts.last_month
    judged = range(counts.first_month + WINDOW_MONTHS - 1, latest + 1)
    per_department: dict[int, dict[int, int]] = {}
    for (department, month), count in counts.leavers.items():
        per_department.setdefault(department, {})[month] = count
    per_pair: dict[tuple[int, int], dict[int, int]] = {}
    for (theme, department, month), count in counts.raised.items():
        per_pair.setdefault((theme, department), {})[month] = count

    episodes: list[Episode] = []
    current: list[RecurringTheme] = []
    ever: set[int] = set()
    for (theme, department), raised in per_pair.items():
        leavers = per_department.get(department, {})
        recurring = recurring_by_month(raised=raised, leavers=leavers, months=judged, min_leavers=min_leavers,
                                       min_share=min_share)
        if any(recurring.values()):
            ever.add(theme)
        first_action = first_covering_action(theme_id=theme, department_id=department, first_created=first_created)
        for month in onset_months(recurring=recurring):
            became = month_end(month)
            if period.start <= became <= period.end:
                episodes.append(Episode(theme, department, became, days_to_first_action(
                    became_recurring=became, first_action=first_action)))
        if recurring.get(latest):
            span = range(latest - WINDOW_MONTHS + 1, latest + 1)
            window_raised, window_leavers = sum(raised.get(m, 0) for m in span), sum(leavers.get(m, 0) for m in span)
            current.append(RecurringTheme(theme, department, current_onset(recurring=recurring, latest=latest),
                                          window_raised, window_leavers, first_action is not None))
    # Longest waiting first; those recurring since before the months judged lead.
    current.sort(key=lambda item: (item.since or date.min, item.theme_id, item.department_id))
    return RecurringOverview(window=window_of(latest), judged_from=month_end(judged.start), current=current,
                             responses=response_times(episodes=episodes, today=today), recurring_theme_ids=ever)


def months_to_read(*, period: Period, today: date, chart_first_month: int) -> tuple[int, int]:
    """The months whose counts the page needs: judging from the period's start (and the month before it,
    to see a change) and over the chart's quarters, up to the last complete month."""
    last = month_of(today) - 1
    first_judged = min(month_of(period.start) - 1, chart_first_month, last)
    return first_judged - WINDOW_MONTHS + 1, last


# --- outside HR: released periods only ---------------------------------------------------------


def released_overview(
    *, released: Sequence[Disclosed], first_created: Mapping[tuple[int, int | None], date], period: Period,
    today: date, min_leavers: int, min_share: float, department_id: int | None, theme_id: int | None,
) -> RecurringOverview:
    """What recurs, and how fast it was acted on, as anyone but HR may know it: judged on released
    periods, from shown figures only.

    A theme recurs in a department in a released period when its shown cell meets the rule; it
    becomes recurring at the end of such a period when the period before did not show it recurring
    (a hidden cell shows nothing). A hidden cell never makes, dates or hints at an episode.
    """
    shown: list[set[tuple[int, int]]] = []
    cells_now: dict[tuple[int, int], tuple[int, int]] = {}
    for index, disclosed in enumerate(released):
        cells = recurring_cells(disclosed, groupings=("department",), min_leavers=min_leavers, min_share=min_share,
                                group_id=department_id, theme_id=theme_id)
        shown.append({(cell.theme_id, cell.group_id) for cell in cells})
        if index == len(released) - 1:
            cells_now = {(cell.theme_id, cell.group_id): (cell.raised, cell.leavers) for cell in cells}
    episodes: list[Episode] = []
    for index, pairs in enumerate(shown):
        became = released[index].span.end
        for theme, department in pairs:
            if index > 0 and (theme, department) not in shown[index - 1] and period.start <= became <= period.end:
                first_action = first_covering_action(theme_id=theme, department_id=department,
                                                     first_created=first_created)
                episodes.append(Episode(theme, department, became, days_to_first_action(
                    became_recurring=became, first_action=first_action)))
    current = []
    for (theme, department), (raised, leavers) in cells_now.items():
        index = len(released) - 1
        while index > 0 and (theme, department) in shown[index - 1]:
            index -= 1
        since = released[index].span.end if index > 0 else None
        first_action = first_covering_action(theme_id=theme, department_id=department, first_created=first_created)
        current.append(RecurringTheme(theme, department, since, raised, leavers, first_action is not None))
    current.sort(key=lambda item: (item.since or date.min, item.theme_id, item.department_id))
    latest = released[-1].span if released else None
    return RecurringOverview(
        window=Period(latest.start, latest.end) if latest else Period(today, today),
        judged_from=released[0].span.end if released else today, current=current,
        responses=response_times(episodes=episodes, today=today),
        recurring_theme_ids={theme for pairs in shown[-8:] for theme, _department in pairs},
    )
