"""HR's account pages: inviting HR, leadership or action owners by email, and API tokens.

An invited person gets a one-time link to set a first password: mailed when SMTP is configured,
otherwise shown to HR to pass on (accounts/invitations.py). Links and API tokens are shown once and
stored only as their SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.accounts.invitations import (
    INVITATION_DAYS,
    SET_PASSWORD,
    InviteForm,
    check_invitation,
    deliver_invitation,
    invite_person,
    issue_invitation,
    pending_invitations,
    void_invitation_links,
)
from actiontrack.auth.passwords import (
    PasswordChecks,
    PasswordChecksBusy,
    PasswordForm,
    busy_message,
    hash_password,
    new_password_errors,
    run_argon2,
)
from actiontrack.auth.sessions import end_sessions, start_session
from actiontrack.auth.tokens import new_secret, use_link, valid_link
from actiontrack.clock import utcnow
from actiontrack.i18n import gettext as _
from actiontrack.models import ApiToken, Role, User, column_limit
from actiontrack.params import is_id, safe_next
from actiontrack.settings import LANGUAGES, Settings
from actiontrack.web import NO_STORE, FormBody, hr_only, redirect_to

# --- invitations --------------------------------------------------------------------------------


async def _invite_page(
    session: AsyncSession, *, form: InviteForm, errors: dict[str, str], status_code: int = 200,
) -> Template:
    context = {"form": form, "errors": errors, "pending": await pending_invitations(session),
               "languages": LANGUAGES, "roles": [role.value for role in Role], "now": utcnow()}
    return Template("accounts/invite.html", context=context, status_code=status_code)


@get("/accounts/invite", name="accounts.invite", guards=hr_only, include_in_schema=False)
async def invite_page(
    request: Request, db: NamedDependency[AsyncSession], role: FromQuery[str | None] = None,
) -> Template:
    form = InviteForm(next=safe_next(request.query_params.get("next")) if request.query_params.get("next") else "")
    if role in {role.value for role in Role}:
        form.role = role
    return await _invite_page(db, form=form, errors={})


async def _deliver_invitation(request: Request, *, settings: Settings, user: User, token: str,
                              next_page: str) -> Template:
    """Mail the link when SMTP is configured; otherwise (or when mailing failed) show it to HR, once."""
    delivered = await deliver_invitation(request, settings=settings, user=user, token=token)
    continue_to = ""
    if next_page:
        continue_to = next_page + ("&" if "?" in next_page else "?") + f"owner={user.id}"
    # Shown once, in the answer to the POST: the link is stored nowhere else in readable form.
    context = {"invited": user, "link": delivered.link, "mailed": delivered.mailed,
               "mail_failed": delivered.mail_failed, "days": INVITATION_DAYS,
               "continue_to": continue_to}
    return Template("accounts/invited.html", context=context, headers=NO_STORE)


@post("/accounts/invite", name="accounts.invite.submit", guards=hr_only, include_in_schema=False)
async def invite_submit(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    data: FormBody[InviteForm],
) -> Template:
    data.next = safe_next(data.next) if data.next else ""
    errors = await check_invitation(db, form=data)
    if errors:
        return await _invite_page(db, form=data, errors=errors, status_code=400)
    user, token = await invite_person(db, actor=request.user, form=data, request=request)
    return await _deliver_invitation(request, settings=settings, user=user, token=token, next_page=data.next)


async def _invited_user(session: AsyncSession, user_id: int) -> User:
    """An active account still waiting for its first sign-in, or 404."""
    user = await session.get(User, user_id) if is_id(user_id) else None
    if user is None or user.password_hash is not None or user.last_sign_in_at is not None or not user.active:
        raise NotFoundException()
    return user


@post("/accounts/invite/{user_id:int}/renew", name="accounts.invite.renew", guards=hr_only, include_in_schema=False)
async def renew_invitation(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings], user_id: FromPath[int]
) -> Template:
    """Send (or show) the invitation again, with a new link; the earlier link stops working."""
    user = await _invited_user(db, user_id)
    token = await issue_invitation(db, user=user)
    audit.record(db, actor=request.user, verb="renew_invitation", entity="user", entity_id=user.id, request=request)
    return await _deliver_invitation(request, settings=settings, user=user, token=token, next_page="")


@post("/accounts/invite/{user_id:int}/withdraw", name="accounts.invite.withdraw", guards=hr_only,
      include_in_schema=False)
async def withdraw_invitation(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[int]) -> Redirect:
    """The link stops working and the account is deactivated (kept, as actions and the audit trail may name it)."""
    user = await _invited_user(db, user_id)
    await void_invitation_links(db, user=user, now=utcnow())
    user.active = False
    await end_sessions(db, user=user)
    audit.record(db, actor=request.user, verb="withdraw_invitation", entity="user", entity_id=user.id,
                 changes={"active": [True, False]}, request=request)
    return redirect_to(request, "people.detail", user_id=user.id)


def _link_invalid() -> Template:
    return Template("accounts/welcome_invalid.html", context={}, status_code=404, headers=NO_STORE)


@get("/welcome/{token:str}", name="welcome", include_in_schema=False)
async def welcome(db: NamedDependency[AsyncSession], token: FromPath[str]) -> Template:
    found = await valid_link(db, token=token, purpose=SET_PASSWORD)
    if found is None:
        return _link_invalid()
    return Template("accounts/welcome.html", context={"invited": found[1], "token": token, "errors": {}},
                    headers=NO_STORE)


@post("/welcome/{token:str}", name="welcome.submit", include_in_schema=False)
async def welcome_submit(
    request: Request,
    db: NamedDependency[AsyncSession],
    token: FromPath[str],
    password_checks: NamedDependency[PasswordChecks],
    data: FormBody[PasswordForm],
) -> Template | Redirect:
    """The invited person sets a first password (once), and is signed in."""
    found = await valid_link(db, token=token, purpose=SET_PASSWORD)
    if found is None:
        return _link_invalid()
    user_token, user = found
    errors = new_password_errors(data.password, data.confirm, user_inputs=[user.display_name, user.email])
    if errors:
        return Template("accounts/welcome.html", status_code=400, headers=NO_STORE, context={
            "invited": user, "token": token, "errors": errors})
    if not await use_link(db, user_token):
        return _link_invalid()
    try:
        password_hash = await run_argon2(password_checks, hash_password, data.password)
    except PasswordChecksBusy:
        await db.rollback()  # the link stays unused
        return Template("accounts/welcome.html", status_code=429, headers=NO_STORE, context={
            "invited": user, "token": token, "errors": {"password": busy_message()}})
    user.password_hash = password_hash
    audit.record(db, actor=user, verb="set_password", entity="user", entity_id=user.id, request=request)
    await end_sessions(db, user=user)
    start_session(request, user)
    return redirect_to(request, "my_actions" if user.role == Role.OWNER.value else "home")


# --- API tokens ---------------------------------------------------------------------------------


@dataclass
class TokenForm:
    name: str = ""


async def _tokens_page(
    session: AsyncSession, *, form: TokenForm, errors: dict[str, str], holder: User, status_code: int = 200
) -> Template:
    tokens = (
        await session.execute(
            select(ApiToken, User.display_name, User.role)
            .join(User, User.id == ApiToken.user_id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    ).all()
    return Template("accounts/api_tokens.html", status_code=status_code,
                    context={"tokens": tokens, "holder": holder, "form": form, "errors": errors})


@get("/accounts/api-tokens", name="accounts.api_tokens", guards=hr_only, include_in_schema=False)
async def api_tokens(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    return await _tokens_page(db, form=TokenForm(), errors={}, holder=request.user)


@post("/accounts/api-tokens", name="accounts.api_tokens.create", guards=hr_only, include_in_schema=False)
async def create_api_token(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: FormBody[TokenForm],
) -> Template:
    """A new token acting as the HR user who makes it; shown once, stored as a hash.

    Never as someone else: what a token does is audited under its holder's name, so a token held
    for another person would let HR act as them.
    """
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = _("Enter a name, for example the system that will use the token.")
    elif len(name) > (most := column_limit(ApiToken, "name")):
        errors["name"] = _("Use at most %(max)d characters.") % {"max": most}
    holder: User = request.user
    if errors:
        return await _tokens_page(db, form=data, errors=errors, holder=holder, status_code=400)
    token, digest = new_secret()
    api_token = ApiToken(user_id=holder.id, name=name, token_hash=digest, created_by_id=request.user.id)
    db.add(api_token)
    await db.flush()
    audit.record(db, actor=request.user, verb="create", entity="api_token", entity_id=api_token.id,
                 changes={"name": name, "user_id": holder.id}, request=request)
    return Template("accounts/token_created.html", headers=NO_STORE,
                    context={"api_token": api_token, "holder": holder, "token": token})


@post("/accounts/api-tokens/{token_id:int}/revoke", name="accounts.api_tokens.revoke", guards=hr_only,
      include_in_schema=False)
async def revoke_api_token(request: Request, db: NamedDependency[AsyncSession], token_id: FromPath[int]) -> Redirect:
    api_token = await db.get(ApiToken, token_id)
    if api_token is None:
        raise NotFoundException()
    if api_token.revoked_at is None:
        api_token.revoked_at = utcnow()
        audit.record(db, actor=request.user, verb="revoke", entity="api_token", entity_id=api_token.id,
                     request=request)
    return redirect_to(request, "accounts.api_tokens")


routes = [
    invite_page, invite_submit, renew_invitation, withdraw_invitation, welcome, welcome_submit, api_tokens,
    create_api_token, revoke_api_token,
]
