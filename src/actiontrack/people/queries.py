"""Reads for the people pages: the filtered, paged list and one person with their open actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.actions.rules import OPEN_STATUSES
from actiontrack.models import ActionItem, ApiToken, Role, User, UserToken, column_limit
from actiontrack.paging import Page, page_number
from actiontrack.people.rules import STATE_LABELS, AccountState, state_condition, state_of

PAGE_SIZE = 50
ROLES = tuple(role.value for role in Role)


@dataclass(frozen=True)
class PeopleFilters:
    role: str | None = None
    state: str | None = None
    q: str = ""

    def query(self, **extra: object) -> str:
        params = {"role": self.role, "state": self.state, "q": self.q, **extra}
        return urlencode({key: value for key, value in params.items() if value not in (None, "")})

    @property
    def any(self) -> bool:
        return bool(self.role or self.state or self.q)


def read_filters(*, role: str | None, state: str | None, q: str | None) -> PeopleFilters:
    """Unknown values are ignored: the page shows everyone rather than an error."""
    return PeopleFilters(role=role if role in ROLES else None, state=state if state in STATE_LABELS else None,
                         q=" ".join((q or "").split())[:column_limit(User, "display_name")])


@dataclass(frozen=True)
class PersonRow:
    user: User
    open_actions: int

    @property
    def state(self) -> AccountState:
        return state_of(self.user)


def _open_counts():
    return (
        select(ActionItem.owner_id, func.count().label("open_actions"))
        .where(ActionItem.status.in_([status.value for status in OPEN_STATUSES]))
        .group_by(ActionItem.owner_id)
        .subquery()
    )


async def list_people(session: AsyncSession, *, filters: PeopleFilters, page: int) -> Page[PersonRow]:
    """One page of accounts by name, with their open actions counted in SQL (two queries)."""
    conditions = []
    if filters.role:
        conditions.append(User.role == filters.role)
    if filters.state:
        conditions.append(state_condition(AccountState(filters.state)))
    if filters.q:
        pattern = "%" + filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(func.lower(User.display_name).like(pattern, escape="\\"),
                              User.email.like(pattern, escape="\\")))
    total = await session.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
    number = page_number(page, total=total, size=PAGE_SIZE)
    counts = _open_counts()
    rows = (await session.execute(
        select(User, func.coalesce(counts.c.open_actions, 0))
        .join(counts, counts.c.owner_id == User.id, isouter=True)
        .where(*conditions)
        .order_by(func.lower(User.display_name), User.id)
        .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    )).all()
    return Page(rows=[PersonRow(user, open_actions) for user, open_actions in rows], number=number, total=total,
                size=PAGE_SIZE)


async def invitation_expires(session: AsyncSession, *, user_id: int) -> datetime | None:
    """When the person's latest set-password link expires (None: there is none)."""
    return await session.scalar(
        select(func.max(UserToken.expires_at)).where(UserToken.user_id == user_id, UserToken.purpose == "set_password"))


async def possible_new_owners(session: AsyncSession, *, except_id: int) -> list[User]:
    """Active people who can take over actions, by name."""
    return list((await session.execute(
        select(User).where(User.active.is_(True), User.id != except_id).order_by(func.lower(User.display_name))
    )).scalars())


async def api_tokens_of(session: AsyncSession, *, user_id: int) -> list[ApiToken]:
    """The person's API tokens, live ones first, newest first."""
    return list((await session.execute(
        select(ApiToken).where(ApiToken.user_id == user_id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )).scalars())
