"""The status page's figures about actions: headline, per owner, by theme and department, the lists, per month.

Figures are about actions (not about leavers), so no anonymity threshold applies here. An action
counts for a period when it was created in it or was still open during it (see `in_period`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.actions import OPEN_STATUSES, on_time_condition, overdue_condition
from actiontrack.actions.queries import ActionFilters, apply_filters
from actiontrack.models import ActionItem, ActionStatus, ActionTheme, ActionUpdate, Scope, User
from actiontrack.radar.rules import Period
from actiontrack.settings import LANGUAGES
from actiontrack.texts import Localized, missing_languages

STALE_DAYS = 30
LIST_LIMIT = 25  # rows of the overdue and stale lists; /actions and the CSV have them all
OWNER_LIMIT = 30  # owners shown, the most overdue first; the CSV has them all
_OPEN = [s.value for s in OPEN_STATUSES]
STATUS_ORDER = [ActionStatus.PLANNED.value, ActionStatus.IN_PROGRESS.value, ActionStatus.BLOCKED.value,
                ActionStatus.DONE.value, ActionStatus.CANCELLED.value]


# --- which actions count ----------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.LOCAL_ZONE).astimezone(UTC)


def in_period(period: Period) -> ColumnElement[bool]:
    """Created in the period, or created before it and not closed before its start (closed without a date: counted)."""
    created_by_end = ActionItem.created_at < _start_of(period.end + timedelta(days=1))
    open_at_start = or_(
        ActionItem.created_at >= _start_of(period.start),
        ActionItem.status.in_(_OPEN),
        ActionItem.completed_on.is_(None),
        ActionItem.completed_on >= period.start,
    )
    return and_(created_by_end, open_at_start)


def filtered(query: Select[Any], *, period: Period, filters: ActionFilters, today: date) -> Select[Any]:
    return apply_filters(query.where(in_period(period)), filters=filters, today=today)


def days_since(moment: datetime | None, *, today: date) -> int | None:
    return None if moment is None else (today - clock.local_day(moment)).days


# --- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    open: int
    done: int
    overdue: int
    blocked: int
    done_on_time: int
    stale: int = 0  # open, no update in STALE_DAYS days

    @property
    def on_time_rate(self) -> float | None:
        """Done on or before the deadline, out of everything done; None when nothing is done."""
        return self.done_on_time / self.done if self.done else None


@dataclass(frozen=True)
class OwnerRow:
    owner_id: int
    name: str
    owned: int
    done: int
    done_on_time: int
    overdue: int
    days_since_update: int | None


@dataclass(frozen=True)
class ActionLine:
    id: int
    title: Localized
    owner_name: str
    deadline: date
    days_overdue: int
    last_update: datetime | None
    days_since_update: int | None


@dataclass(frozen=True)
class ActionList:
    """The first rows of a list, and how many there are in all."""

    lines: list[ActionLine]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


@dataclass(frozen=True)
class GroupCounts:
    """Actions of one scope and department (None unless the scope is a department) in one status."""

    scope: str
    department_id: int | None
    status: str
    count: int
    overdue: int
    on_time: int
    stale: int


async def group_counts(session: AsyncSession, *, period: Period, filters: ActionFilters,
                       today: date) -> list[GroupCounts]:
    """One GROUP BY (scope, department, status) that the headline and the department table both add up."""
    department = func.coalesce(ActionItem.department_id, 0)
    query = filtered(
        select(ActionItem.scope, department, ActionItem.status, func.count(),
               func.count().filter(overdue_condition(today=today)), func.count().filter(on_time_condition()),
               func.count().filter(_stale_condition(today=today)))
        .select_from(ActionItem)
        .group_by(ActionItem.scope, department, ActionItem.status),
        period=period, filters=filters, today=today,
    )
    return [
        GroupCounts(scope, department_id if scope == Scope.DEPARTMENT.value else None, status, *figures)
        for scope, department_id, status, *figures in (await session.execute(query)).all()
    ]


def headline_of(groups: list[GroupCounts]) -> Headline:
    """The headline figures: the sums of the groups."""
    return Headline(
        open=sum(group.count for group in groups if group.status in _OPEN),
        done=sum(group.count for group in groups if group.status == ActionStatus.DONE.value),
        overdue=sum(group.overdue for group in groups),
        blocked=sum(group.count for group in groups if group.status == ActionStatus.BLOCKED.value),
        done_on_time=sum(group.on_time for group in groups),
        stale=sum(group.stale for group in groups),
    )


def counts_by_group(groups: list[GroupCounts]) -> dict[tuple[str, int | None], dict[str, int]]:
    """Actions per (scope, department) and status; company-wide and job-family actions have no department."""
    found: dict[tuple[str, int | None], dict[str, int]] = {}
    for group in groups:
        counts = found.setdefault((group.scope, group.department_id), {})
        counts[group.status] = counts.get(group.status, 0) + group.count
    return found


async def per_owner(session: AsyncSession, *, period: Period, filters: ActionFilters, today: date,
                    limit: int | None = OWNER_LIMIT) -> tuple[list[OwnerRow], int]:
    """The owners with the most overdue actions first (at most `limit`), and how many owners there are."""
    overdue = func.count().filter(overdue_condition(today=today))
    query = filtered(
        select(
            User.id, User.display_name, func.count(),
            func.count().filter(ActionItem.status == ActionStatus.DONE.value),
            func.count().filter(on_time_condition()),
            overdue,
            func.count().over(),
        )
        .select_from(ActionItem)
        .join(User, User.id == ActionItem.owner_id)
        .group_by(User.id, User.display_name)
        .order_by(overdue.desc(), User.display_name)
        .limit(limit),
        period=period, filters=filters, today=today,
    )
    rows = (await session.execute(query)).all()
    # The latest update of the owners shown only: their actions are found through the owner index.
    latest = dict((await session.execute(filtered(
        select(ActionItem.owner_id, func.max(ActionUpdate.created_at))
        .join(ActionItem, ActionItem.id == ActionUpdate.action_id)
        .where(ActionItem.owner_id.in_([row[0] for row in rows]))
        .group_by(ActionItem.owner_id),
        period=period, filters=filters, today=today,
    ))).all())
    owners = [
        OwnerRow(owner_id, name, owned, done, on_time, late, days_since(latest.get(owner_id), today=today))
        for owner_id, name, owned, done, on_time, late, _total in rows
    ]
    return owners, rows[0][-1] if rows else 0


def _latest_update() -> Any:
    """An action's latest history entry (correlated: cheap for the few rows of a list)."""
    return (select(func.max(ActionUpdate.created_at)).where(ActionUpdate.action_id == ActionItem.id)
            .correlate(ActionItem).scalar_subquery())


def _stale_condition(*, today: date) -> ColumnElement[bool]:
    """Open, and no history entry in the last STALE_DAYS days."""
    cutoff = _start_of(today - timedelta(days=STALE_DAYS - 1))
    recent = select(ActionUpdate.id).where(ActionUpdate.action_id == ActionItem.id, ActionUpdate.created_at >= cutoff)
    return and_(ActionItem.status.in_(_OPEN), ~recent.correlate(ActionItem).exists())


async def _action_lines(session: AsyncSession, *, condition: ColumnElement[bool], period: Period,
                        filters: ActionFilters, today: date, order: Any, limit: int | None) -> list[ActionLine]:
    query = filtered(
        select(ActionItem.id, *ActionItem.title_sql(), User.display_name, ActionItem.deadline, _latest_update())
        .join(User, User.id == ActionItem.owner_id)
        .where(condition)
        .order_by(order, ActionItem.id)
        .limit(limit),
        period=period, filters=filters, today=today,
    )
    return [
        ActionLine(id_, Localized(title, lang), name, deadline, max((today - deadline).days, 0), latest,
                   days_since(latest, today=today))
        for id_, title, lang, name, deadline, latest in (await session.execute(query)).all()
    ]


@dataclass(frozen=True)
class MissingLanguages:
    """A published action whose title or public summary staff cannot read in some languages."""

    id: int
    title: Localized
    missing: list[str]  # language codes, in the order nl, fr, en


async def published_missing_languages(
    session: AsyncSession, *, limit: int | None,
) -> tuple[list[MissingLanguages], int]:
    """Published, not cancelled actions lacking a title or public summary in a language (newest first), and
    how many there are in all: staff reading that language see another one (texts.localized)."""
    lacking = [or_(getattr(ActionItem, f"title_{language}") == "",
                   getattr(ActionItem, f"public_summary_{language}") == "")
               for language in LANGUAGES]
    conditions = (ActionItem.published.is_(True), ActionItem.status != ActionStatus.CANCELLED.value, or_(*lacking))
    # The total in a subquery, not a window over the rows: the newest few are then read in index order and
    # the database neither sorts nor keeps every lacking action whole.
    total = select(func.count()).select_from(ActionItem).where(*conditions).scalar_subquery()
    query = (
        select(ActionItem, total)
        .where(*conditions)
        .order_by(ActionItem.published_at.desc(), ActionItem.id.desc())
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    lines = [
        MissingLanguages(action.id, action.title_in(), sorted(
            set(missing_languages(action.titles())) | set(missing_languages(action.public_summaries())),
            key=LANGUAGES.index))
        for action, _total in rows
    ]
    return lines, rows[0][1] if rows else 0


async def overdue_actions(session: AsyncSession, *, period: Period, filters: ActionFilters, today: date,
                          limit: int | None = LIST_LIMIT) -> list[ActionLine]:
    """Overdue actions, the longest overdue first (headline.overdue says how many in all)."""
    return await _action_lines(session, condition=overdue_condition(today=today), period=period, filters=filters,
                               today=today, order=ActionItem.deadline, limit=limit)


async def stale_actions(session: AsyncSession, *, period: Period, filters: ActionFilters, today: date,
                        limit: int | None = LIST_LIMIT) -> list[ActionLine]:
    """Open actions whose latest history entry is older than STALE_DAYS days (or that have none); headline.stale
    counts them."""
    return await _action_lines(session, condition=_stale_condition(today=today), period=period, filters=filters,
                               today=today, order=ActionItem.deadline, limit=limit)


# --- progress by theme and by department ------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    """Counts per status of one theme's or one department's actions, and where to see them."""

    key: str  # for ids: "theme-3", "department-7", "company", "job-family"
    label: str
    counts: dict[str, int]
    actions_query: str  # the query string of the list of these actions

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts.get(ActionStatus.DONE.value, 0)

    @property
    def planned_total(self) -> int:
        """The actions still meant to happen: all but the cancelled ones (the progress bar's whole)."""
        return self.total - self.counts.get(ActionStatus.CANCELLED.value, 0)

    @property
    def done_share(self) -> float | None:
        return self.done / self.planned_total if self.planned_total else None


async def counts_by_theme(session: AsyncSession, *, period: Period, filters: ActionFilters,
                          today: date) -> dict[int, dict[str, int]]:
    """Actions per theme and status (an action with two themes counts for each)."""
    query = filtered(
        select(ActionTheme.theme_id, ActionItem.status, func.count())
        .select_from(ActionItem)
        .join(ActionTheme, ActionTheme.action_id == ActionItem.id)
        .group_by(ActionTheme.theme_id, ActionItem.status),
        period=period, filters=filters, today=today,
    )
    found: dict[int, dict[str, int]] = {}
    for theme_id, status, count in (await session.execute(query)).all():
        found.setdefault(theme_id, {})[status] = count
    return found


# --- per month --------------------------------------------------------------------------------


def month_number(column: Any) -> Any:
    """A date column's month as one number, year * 12 + month - 1 (see recurring.month_of), in SQL."""
    return extract("year", column) * 12 + extract("month", column) - 1


async def completed_and_due(
    session: AsyncSession, *, first: date, last: date, filters: ActionFilters, today: date,
) -> tuple[dict[int, int], dict[int, int]]:
    """Actions completed per month, and actions due per month (not cancelled), by month number.

    Theme, department and owner filters apply; the status filter does not (done and due are the point).
    """
    filters = ActionFilters(theme_id=filters.theme_id, department_id=filters.department_id,
                            owner_id=filters.owner_id)
    done_month = month_number(ActionItem.completed_on)
    due_month = month_number(ActionItem.deadline)
    done_query = apply_filters(
        select(done_month, func.count())
        .where(ActionItem.status == ActionStatus.DONE.value, ActionItem.completed_on.between(first, last))
        .group_by(done_month), filters=filters, today=today)
    due_query = apply_filters(
        select(due_month, func.count())
        .where(ActionItem.status != ActionStatus.CANCELLED.value, ActionItem.deadline.between(first, last))
        .group_by(due_month), filters=filters, today=today)
    completed = {int(month): count for month, count in (await session.execute(done_query)).all()}
    due = {int(month): count for month, count in (await session.execute(due_query)).all()}
    return completed, due


async def completions_by_theme(
    session: AsyncSession, *, first: date, last: date, department_id: int | None, theme_id: int | None,
) -> dict[tuple[int, int], int]:
    """Actions completed per (theme, month): all of them, or those covering the department filtered on."""
    month = month_number(ActionItem.completed_on)
    query = (
        select(ActionTheme.theme_id, month, func.count())
        .join(ActionItem, ActionItem.id == ActionTheme.action_id)
        .where(ActionItem.status == ActionStatus.DONE.value, ActionItem.completed_on.between(first, last))
        .group_by(ActionTheme.theme_id, month)
    )
    if department_id is not None:
        query = query.where(or_(ActionItem.scope == Scope.COMPANY.value,
                                and_(ActionItem.scope == Scope.DEPARTMENT.value,
                                     ActionItem.department_id == department_id)))
    if theme_id is not None:
        query = query.where(ActionTheme.theme_id == theme_id)
    return {(theme, int(number)): count for theme, number, count in (await session.execute(query)).all()}
