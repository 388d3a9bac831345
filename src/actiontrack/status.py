"""The leadership status page: are the actions on exit feedback moving, and are they on time?

Figures are about actions (not about leavers), so no anonymity threshold applies here. An action
counts for a period when it was created in it or was still open during it (see `in_period`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.actions import OPEN_STATUSES, on_time_condition, overdue_condition
from actiontrack.actions.queries import ActionFilters, apply_filters, form_choices, parse_filters
from actiontrack.auth import requires
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionItem, ActionStatus, ActionUpdate, Role, User
from actiontrack.radar import Period, read_period

STALE_DAYS = 30
_OPEN = [s.value for s in OPEN_STATUSES]


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


def _filtered(query: Select[Any], *, period: Period, filters: ActionFilters, today: date) -> Select[Any]:
    return apply_filters(query.where(in_period(period)), filters=filters, today=today)


def _last_updates() -> Any:
    """Each action's latest history entry, as a subquery."""
    return (
        select(ActionUpdate.action_id, func.max(ActionUpdate.created_at).label("last_update"))
        .group_by(ActionUpdate.action_id)
        .subquery()
    )


def local_day(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC from an aggregate
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(clock.LOCAL_ZONE).date()


def days_since(moment: datetime | None, *, today: date) -> int | None:
    return None if moment is None else (today - local_day(moment)).days


# --- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    open: int
    done: int
    overdue: int
    blocked: int
    done_on_time: int

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
    title: str
    owner_name: str
    deadline: date
    days_overdue: int
    last_update: datetime | None
    days_since_update: int | None


async def headline(session: AsyncSession, *, period: Period, filters: ActionFilters, today: date) -> Headline:
    query = _filtered(select(
        func.count().filter(ActionItem.status.in_(_OPEN)),
        func.count().filter(ActionItem.status == ActionStatus.DONE.value),
        func.count().filter(overdue_condition(today=today)),
        func.count().filter(ActionItem.status == ActionStatus.BLOCKED.value),
        func.count().filter(on_time_condition()),
    ).select_from(ActionItem), period=period, filters=filters, today=today)
    row = (await session.execute(query)).one()
    return Headline(*(value or 0 for value in row))


async def per_owner(session: AsyncSession, *, period: Period, filters: ActionFilters, today: date) -> list[OwnerRow]:
    last = _last_updates()
    overdue = func.count().filter(overdue_condition(today=today))
    query = _filtered(
        select(
            User.id, User.display_name, func.count(),
            func.count().filter(ActionItem.status == ActionStatus.DONE.value),
            func.count().filter(on_time_condition()),
            overdue,
            func.max(last.c.last_update),
        )
        .select_from(ActionItem)
        .join(User, User.id == ActionItem.owner_id)
        .join(last, last.c.action_id == ActionItem.id, isouter=True)
        .group_by(User.id, User.display_name)
        .order_by(overdue.desc(), User.display_name),
        period=period, filters=filters, today=today,
    )
    return [
        OwnerRow(owner_id, name, owned, done, on_time, late, days_since(latest, today=today))
        for owner_id, name, owned, done, on_time, late, latest in (await session.execute(query)).all()
    ]


async def _action_lines(session: AsyncSession, *, condition: ColumnElement[bool], period: Period,
                        filters: ActionFilters, today: date, order: Any) -> list[ActionLine]:
    last = _last_updates()
    query = _filtered(
        select(ActionItem.id, ActionItem.title, User.display_name, ActionItem.deadline, last.c.last_update)
        .join(User, User.id == ActionItem.owner_id)
        .join(last, last.c.action_id == ActionItem.id, isouter=True)
        .where(condition)
        .order_by(order, ActionItem.id),
        period=period, filters=filters, today=today,
    )
    return [
        ActionLine(id_, title, name, deadline, max((today - deadline).days, 0), latest, days_since(latest, today=today))
        for id_, title, name, deadline, latest in (await session.execute(query)).all()
    ]


async def overdue_actions(session: AsyncSession, *, period: Period, filters: ActionFilters, today: date) -> list[ActionLine]:
    """Overdue actions, the longest overdue first."""
    return await _action_lines(session, condition=overdue_condition(today=today), period=period, filters=filters,
                               today=today, order=ActionItem.deadline)


async def stale_actions(session: AsyncSession, *, period: Period, filters: ActionFilters, today: date) -> list[ActionLine]:
    """Open actions whose latest history entry is older than STALE_DAYS days (or that have none)."""
    last = _last_updates()
    cutoff = _start_of(today - timedelta(days=STALE_DAYS - 1))
    stale = ActionItem.id.not_in(select(last.c.action_id).where(last.c.last_update >= cutoff))
    return await _action_lines(session, condition=and_(ActionItem.status.in_(_OPEN), stale), period=period,
                               filters=filters, today=today, order=ActionItem.deadline)


# --- the page ---------------------------------------------------------------------------------


def csv_export(*, owners: list[OwnerRow], overdue: list[ActionLine]) -> str:
    """The per-owner table and the overdue list, one after the other."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Action owner"), _("Actions"), _("Done"), _("Done on time"), _("Overdue"),
                     _("Days since last update")])
    for row in owners:
        writer.writerow([_cell(row.name), row.owned, row.done, row.done_on_time, row.overdue,
                         "" if row.days_since_update is None else row.days_since_update])
    writer.writerow([])
    writer.writerow([_("Overdue action"), _("Action owner"), _("Deadline"), _("Days overdue"), _("Last update")])
    for line in overdue:
        writer.writerow([_cell(line.title), _cell(line.owner_name), line.deadline.isoformat(), line.days_overdue,
                         "" if line.last_update is None else local_day(line.last_update).isoformat()])
    return out.getvalue()


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting like a formula; user text must stay text.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


@get("/status", name="status", guards=[requires(Role.HR, Role.LEADERSHIP)])
async def status_page(
    request: Request,
    db: NamedDependency[AsyncSession],
    start: FromQuery[str | None] = None,
    end: FromQuery[str | None] = None,
    format: FromQuery[str | None] = None,  # noqa: A002
) -> Template | Response:
    today = clock.today()
    period, errors = read_period(start=start, end=end, today=today, whole_months=False)
    filters, filter_errors = parse_filters(request.query_params)
    args = {"period": period, "filters": filters, "today": today}
    owners = await per_owner(db, **args)
    overdue = await overdue_actions(db, **args)
    if format == "csv":
        filename = f"status-{period.start.isoformat()}-{period.end.isoformat()}.csv"
        return Response(csv_export(owners=owners, overdue=overdue), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    params.update({key: str(value) for key, value in {
        "theme": filters.theme_id, "department": filters.department_id, "owner": filters.owner_id,
        "status": filters.status}.items() if value not in (None, "")})
    context = {
        "period": period, "filters": filters, "errors": [*errors, *filter_errors.values()],
        "headline": await headline(db, **args), "owners": owners, "overdue": overdue,
        "stale": await stale_actions(db, **args), "stale_days": STALE_DAYS,
        "choices": await form_choices(db), "statuses": [s.value for s in ActionStatus],
        "current_url": "/status?" + urlencode(params), "csv_url": "/status?" + urlencode({**params, "format": "csv"}),
    }
    template = "status/_figures.html" if request.htmx else "status/index.html"
    return Template(template, context=context, headers={"Vary": "HX-Request"})


routes = [status_page]
