"""The people pages (HR): everyone's account, and changing role, state and who owns their actions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.actions.service import ActionConflict, ActionInvalid
from actiontrack.clock import utcnow
from actiontrack.i18n import gettext as _
from actiontrack.models import ApiToken, User
from actiontrack.params import is_id, parse_id
from actiontrack.people import queries, rules
from actiontrack.people.rules import STATE_LABELS, LastActiveHR, state_of
from actiontrack.web import HTMX_VARY, FormBody, hr_only, redirect_to

Form = FormBody[dict[str, str]]
# What the person page says after a change (a GET after the POST's 303).
DONE = {"role", "deactivated", "reactivated", "reassigned", "token_revoked"}


@get("/people", name="people", guards=hr_only)
async def people_page(
    request: Request,
    db: NamedDependency[AsyncSession],
    role: FromQuery[str | None] = None,
    # "state" is a name Litestar keeps for the app's state.
    account_state: Annotated[str | None, QueryParameter(name="state")] = None,
    q: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    filters = queries.read_filters(role=role, state=account_state, q=q)
    listing = await queries.list_people(db, filters=filters, page=parse_id(page) or 1)
    context = {"filters": filters, "listing": listing, "roles": queries.ROLES, "state_labels": STATE_LABELS}
    template = "people/_list.html" if request.htmx else "people/index.html"
    return Template(template, context=context, headers=HTMX_VARY)


async def _person(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id) if is_id(user_id) else None
    if user is None:
        raise NotFoundException()
    return user


async def _person_page(
    request: Request, session: AsyncSession, *, user: User, errors: dict[str, str] | None = None,
    status_code: int = 200, done: str | None = None, moved: int = 0,
) -> Template:
    context: dict[str, Any] = {
        "person": user, "state": state_of(user).value, "state_labels": STATE_LABELS, "roles": queries.ROLES,
        "open_actions": await rules.open_actions_of(session, user_id=user.id),
        "new_owners": await queries.possible_new_owners(session, except_id=user.id),
        "api_tokens": await queries.api_tokens_of(session, user_id=user.id),
        "invitation_expires": await queries.invitation_expires(session, user_id=user.id),
        "errors": errors or {}, "done": done if done in DONE else None, "moved": moved, "now": utcnow(),
        "is_me": user.id == request.user.id,
    }
    return Template("people/detail.html", context=context, status_code=status_code)


@get("/people/{user_id:int}", name="people.detail", guards=hr_only)
async def person_page(
    request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[int],
    done: FromQuery[str | None] = None, moved: FromQuery[str | None] = None,
) -> Template:
    user = await _person(db, user_id)
    return await _person_page(request, db, user=user, done=done, moved=parse_id(moved) or 0)


def _back(request: Request, user: User, done: str, **extra: int) -> Redirect:
    return redirect_to(request, "people.detail", user_id=user.id,
                       query=[("done", done), *((key, str(value)) for key, value in extra.items())])


async def _refused(request: Request, session: AsyncSession, *, user_id: int, field: str, message: str) -> Template:
    """Nothing of the change is kept; the page explains why."""
    await session.rollback()
    user = await _person(session, user_id)
    return await _person_page(request, session, user=user, errors={field: message}, status_code=400)


def _last_hr_message() -> str:
    return _("This is the last active HR account: make someone else HR first.")


@post("/people/{user_id:int}/role", name="people.role", guards=hr_only)
async def change_role(
    request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[int], data: Form
) -> Template | Redirect:
    user = await _person(db, user_id)
    role = data.get("role", "")
    if role not in queries.ROLES:
        return await _refused(request, db, user_id=user_id, field="role", message=_("Choose a role."))
    try:
        await rules.change_role(db, actor=request.user, user=user, role=role, request=request)
    except LastActiveHR:
        return await _refused(request, db, user_id=user_id, field="role", message=_last_hr_message())
    return _back(request, user, "role")


@post("/people/{user_id:int}/deactivate", name="people.deactivate", guards=hr_only)
async def deactivate(
    request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[int],
) -> Template | Redirect:
    user = await _person(db, user_id)
    try:
        await rules.deactivate(db, actor=request.user, user=user, request=request)
    except LastActiveHR:
        return await _refused(request, db, user_id=user_id, field="active", message=_last_hr_message())
    return _back(request, user, "deactivated")


@post("/people/{user_id:int}/reactivate", name="people.reactivate", guards=hr_only)
async def reactivate(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[int]) -> Redirect:
    user = await _person(db, user_id)
    await rules.reactivate(db, actor=request.user, user=user, request=request)
    return _back(request, user, "reactivated")


@post("/people/{user_id:int}/reassign", name="people.reassign", guards=hr_only)
async def reassign_all(
    request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Every open action of this person goes to one other active person, in one step."""
    user = await _person(db, user_id)
    try:
        moved = await rules.reassign_open_actions(db, actor=request.user, from_user=user,
                                                  to_user_id=parse_id(data.get("owner_id")), request=request)
    except ActionInvalid as exc:
        return await _refused(request, db, user_id=user_id, field="owner_id", message=next(iter(exc.errors.values())))
    except ActionConflict:
        return await _refused(request, db, user_id=user_id, field="owner_id",
                              message=_("One of the actions changed meanwhile: nothing was moved. Try again."))
    return _back(request, user, "reassigned", moved=moved)


@post("/people/{user_id:int}/api-tokens/{token_id:int}/revoke", name="people.api_tokens.revoke", guards=hr_only)
async def revoke_api_token(
    request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[int], token_id: FromPath[int],
) -> Redirect:
    """HR ends one of the person's API tokens (audited); a revoked one stays revoked."""
    user = await _person(db, user_id)
    api_token = await db.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id:
        raise NotFoundException()
    if api_token.revoked_at is None:
        api_token.revoked_at = utcnow()
        audit.record(db, actor=request.user, verb="revoke", entity="api_token", entity_id=api_token.id,
                     request=request)
    return _back(request, user, "token_revoked")


routes = [people_page, person_page, change_role, deactivate, reactivate, reassign_all, revoke_api_token]
