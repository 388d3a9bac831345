"""What an account's state means, and the account changes HR (or `actiontrack user`) makes.

Every change ends the person's sessions at once and is audited. The app never loses its last active
HR account: the check runs after the change, in the same transaction, with the HR rows locked
(PostgreSQL) or the write lock held (SQLite), so two HR people demoting each other at the same
moment cannot both succeed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from litestar import Request
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.actions.rules import OPEN_STATUSES
from actiontrack.actions.service import ActionInvalid, check_owner, reassign
from actiontrack.auth.sessions import end_sessions
from actiontrack.auth.tokens import revoke_api_tokens
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionItem, Role, User

ENTITY = "user"


class AccountState(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


STATE_LABELS = {
    AccountState.INVITED.value: N_("Invited"),
    AccountState.ACTIVE.value: N_("Active"),
    AccountState.DEACTIVATED.value: N_("Deactivated"),
}


class LastActiveHR(Exception):
    """The change would leave nobody with an active HR account; nothing was changed."""


def state_of(user: User) -> AccountState:
    """Invited: never signed in and no password yet (a later single sign-on needs no password at all)."""
    if not user.active:
        return AccountState.DEACTIVATED
    if user.password_hash is None and user.last_sign_in_at is None:
        return AccountState.INVITED
    return AccountState.ACTIVE


def state_condition(state: AccountState) -> ColumnElement[bool]:
    """The SQL twin of state_of."""
    invited = and_(User.password_hash.is_(None), User.last_sign_in_at.is_(None))
    if state == AccountState.DEACTIVATED:
        return User.active.is_(False)
    if state == AccountState.INVITED:
        return and_(User.active.is_(True), invited)
    return and_(User.active.is_(True), ~invited)


async def _lock_active_hr(session: AsyncSession) -> None:
    """Lock the active HR rows (PostgreSQL) so that concurrent changes to them wait for each other."""
    await session.execute(select(User.id).where(User.role == Role.HR.value, User.active.is_(True)).with_for_update())


async def _ensure_active_hr_remains(session: AsyncSession) -> None:
    await session.flush()
    remaining = await session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.HR.value, User.active.is_(True)))
    if not remaining:
        raise LastActiveHR()


async def _signed_out(session: AsyncSession, *, actor: User | None, user: User, was_hr: bool, verb: str, reason: str,
                      changes: dict[str, list[Any]], request: Request | None) -> None:
    """After a change that takes rights away (`user` was HR: one active HR must remain): the user's sessions end,
    their API tokens are revoked and the change is audited."""
    if was_hr:
        await _ensure_active_hr_remains(session)
    await end_sessions(session, user=user)
    await revoke_api_tokens(session, user=user, actor=actor, reason=reason, request=request)
    audit.record(session, actor=actor, verb=verb, entity=ENTITY, entity_id=user.id, changes=changes, request=request)


async def change_role(
    session: AsyncSession, *, actor: User | None, user: User, role: str, request: Request | None = None
) -> bool:
    """Give the user another role; their sessions end so the new role applies at once. False: no change."""
    if role == user.role:
        return False
    await _lock_active_hr(session)
    await session.refresh(user)
    before = user.role
    user.role = role
    await _signed_out(session, actor=actor, user=user, was_hr=before == Role.HR.value, verb="change_role",
                      reason="role changed", changes={"role": [before, role]}, request=request)
    return True


async def deactivate(session: AsyncSession, *, actor: User | None, user: User, request: Request | None = None) -> bool:
    """Sign the user out everywhere and refuse any further sign-in, API token or calendar feed."""
    await _lock_active_hr(session)
    await session.refresh(user)
    if not user.active:
        return False
    user.active = False
    # The API tokens are revoked, not only unusable while deactivated: reactivating must not bring them back.
    await _signed_out(session, actor=actor, user=user, was_hr=user.role == Role.HR.value, verb="deactivate",
                      reason="deactivated", changes={"active": [True, False]}, request=request)
    return True


async def reactivate(session: AsyncSession, *, actor: User | None, user: User, request: Request | None = None) -> bool:
    if user.active:
        return False
    user.active = True
    audit.record(session, actor=actor, verb="reactivate", entity=ENTITY, entity_id=user.id,
                 changes={"active": [False, True]}, request=request)
    return True


async def open_actions_of(session: AsyncSession, *, user_id: int) -> list[ActionItem]:
    """The user's actions that are not done or cancelled, soonest deadline first."""
    return list((await session.execute(
        select(ActionItem)
        .where(ActionItem.owner_id == user_id, ActionItem.status.in_([status.value for status in OPEN_STATUSES]))
        .order_by(ActionItem.deadline, ActionItem.id)
    )).scalars())


async def reassign_open_actions(
    session: AsyncSession, *, actor: User, from_user: User, to_user_id: int | None, request: Request | None = None
) -> int:
    """Hand every open action of `from_user` to another active user, each with its history entry.

    Raises actions' ActionInvalid (no or an inactive new owner). Returns how many moved.
    """
    if error := await check_owner(session, owner_id=to_user_id):
        raise ActionInvalid({"owner_id": error})
    if to_user_id == from_user.id:
        raise ActionInvalid({"owner_id": _("Choose someone else.")})
    actions = await open_actions_of(session, user_id=from_user.id)
    for action in actions:
        await reassign(session, actor=actor, action_id=action.id, version=action.version, owner_id=to_user_id,
                       note="", request=request)
    return len(actions)
