"""The home page (one per role) and the health check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy import case, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from actiontrack import clock
from actiontrack.actions import OPEN_STATUSES, overdue_condition
from actiontrack.auth.roles import signed_in
from actiontrack.models import ActionItem, ActionStatus, ExitInterview, Role, User


@dataclass(frozen=True)
class ActionCounts:
    by_status: dict[str, int]
    overdue: int

    @property
    def open(self) -> int:
        return sum(count for status, count in self.by_status.items() if status in OPEN_STATUSES)


async def action_counts(session: AsyncSession, *, today: date, owner_id: int | None = None) -> ActionCounts:
    """Actions per status and the overdue count, in one query."""
    query = select(
        ActionItem.status,
        func.count(),
        func.sum(case((overdue_condition(today=today), 1), else_=0)),
    ).group_by(ActionItem.status)
    if owner_id is not None:
        query = query.where(ActionItem.owner_id == owner_id)
    rows = (await session.execute(query)).all()
    by_status = {status.value: 0 for status in ActionStatus}
    overdue = 0
    for status, count, overdue_count in rows:
        by_status[status] = count
        overdue += overdue_count or 0
    return ActionCounts(by_status=by_status, overdue=overdue)


async def owner_actions(session: AsyncSession, *, owner_id: int, today: date) -> list[ActionItem]:
    """An owner's open actions, overdue first, then by deadline."""
    query = (
        select(ActionItem)
        .where(ActionItem.owner_id == owner_id, ActionItem.status.in_([s.value for s in OPEN_STATUSES]))
        .order_by(case((overdue_condition(today=today), 0), else_=1), ActionItem.deadline, ActionItem.id)
    )
    return list((await session.execute(query)).scalars())


@get("/", name="home", guards=[signed_in])
async def home(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    user: User = request.user
    today = clock.today()
    context: dict[str, object] = {"today": today}
    if user.role == Role.OWNER:
        context["counts"] = await action_counts(db, today=today, owner_id=user.id)
        context["actions"] = await owner_actions(db, owner_id=user.id, today=today)
    else:
        context["counts"] = await action_counts(db, today=today)
    if user.role == Role.HR:
        since = today - timedelta(days=182)
        context["recent_interviews"] = await db.scalar(
            select(func.count()).select_from(ExitInterview).where(ExitInterview.exit_date >= since)
        )
    return Template(f"home/{user.role}.html", context=context)


@get("/health", name="health")
async def health(request: Request, engine: NamedDependency[AsyncEngine]) -> Response:
    """200 when the database answers, 503 otherwise (for load balancers and orchestrators)."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        request.logger.exception("health check: database unreachable")
        return Response({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})


routes = [home, health]
