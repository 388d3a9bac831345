"""The action pages: the list, the form, one action with its history, and an owner's "My actions"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.actions import effects, queries, service
from actiontrack.actions.details import LANGUAGE_TEXTS, ActionDetails, ActionForm, details_from_form
from actiontrack.actions.rules import SCOPE_LABELS, days_left, is_on_time, may_manage, may_update_progress
from actiontrack.actions.service import (
    ActionConflict,
    ActionInvalid,
    EvidenceSource,
)
from actiontrack.auth.roles import signed_in
from actiontrack.disclosure import Disclosure
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionStatus, Scope, ThemeSuggestion, User
from actiontrack.params import MAX_ID, parse_date, parse_id, parse_int, safe_next
from actiontrack.settings import Settings
from actiontrack.themes import suggested_actions
from actiontrack.web import HTMX_VARY, hr_and_leadership, hr_only, redirect_to

RECENTLY_ASSIGNED_DAYS = 14


# The shared rules, for templates: they show, they never decide.
RULES_CONTEXT = {"scope_labels": SCOPE_LABELS, "days_left": days_left, "is_on_time": is_on_time,
                 "statuses": [status.value for status in ActionStatus]}


def _template(name: str, *, context: dict[str, Any], **kwargs: Any) -> Template:
    return Template(name, context={**RULES_CONTEXT, **context}, **kwargs)



def _version(form: FormMultiDict) -> int:
    version = parse_int(form.get("version", ""), minimum=0, maximum=MAX_ID)
    if version is None:
        raise ClientException(_("The form is incomplete; reload the page and try again."))
    return version


# --- the list ---------------------------------------------------------------------------------


@get("/actions", name="actions", guards=hr_and_leadership, include_in_schema=False)
async def action_list(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    filters, _errors = queries.parse_filters(request.query_params)
    today = clock.today()
    listing = await queries.list_actions_page(db, viewer=request.user, filters=filters, today=today,
                                              page=parse_id(request.query_params.get("page", "")) or 1)
    context = {"listing": listing, "rows": listing.rows, "filters": filters, "today": today,
               "choices": await queries.form_choices(db)}
    if request.htmx:
        return _template("actions/_table.html", context=context, headers=HTMX_VARY)
    return _template("actions/index.html", context=context, headers=HTMX_VARY)


# --- creating -----------------------------------------------------------------------------------


async def _new_page(
    db: AsyncSession, *, form: ActionForm, source: EvidenceSource | None, errors: dict[str, str],
    notice: str | None = None, status_code: int = 200, suggested: SuggestedActions | None = None,
) -> Template:
    preview = await queries.preview_evidence(db, source=source) if source else None
    context = {"form": form, "errors": errors, "choices": await queries.form_choices(db), "source": source,
               "preview": preview, "notice": notice, "today": clock.today(), "suggested": suggested}
    return _template("actions/new.html", context=context, status_code=status_code, headers=HTMX_VARY)


@dataclass(frozen=True)
class SuggestedActions:
    """The suggestion list of the new-action form: what is offered, what was picked, and the links to pick."""

    offered: list[suggested_actions.Offered]
    picked: ThemeSuggestion | None
    params: list[tuple[str, str]]  # the query of the form's URL, without `suggestion`

    def pick_query(self, suggestion_id: int) -> str:
        """The query of the same form filled in from a suggestion: a plain link that keeps the other
        prefilled values."""
        return urlencode([*self.params, ("suggestion", str(suggestion_id))])


def _pick(form: ActionForm, suggestion: ThemeSuggestion, translations: Mapping[str, ThemeSuggestion]) -> None:
    """Fill the action's texts from a suggested action (and its translations), and tick its theme."""
    for language, translated in {**translations, suggestion.language: suggestion}.items():
        for text in LANGUAGE_TEXTS:
            setattr(form, f"{text}_{language}", getattr(translated, text))
    if str(suggestion.theme_id) not in form.theme_ids:
        form.theme_ids.append(str(suggestion.theme_id))


async def _suggested(db: AsyncSession, *, form: ActionForm, params: Mapping[str, str],
                     query: list[tuple[str, str]]) -> tuple[SuggestedActions, str | None]:
    """The suggestions for the form's themes; with `?suggestion=` the picked one fills the form."""
    notice = None
    picked = None
    if params.get("suggestion"):
        picked = await suggested_actions.find(db, suggestion_id=parse_id(params["suggestion"]))
        if picked is None:
            notice = _("That suggested action no longer exists; choose another one.")
        else:
            _pick(form, picked, await suggested_actions.translations_of(db, suggestion=picked))
    theme_ids = [theme_id for raw in form.theme_ids if (theme_id := parse_id(raw)) is not None]
    offered = await suggested_actions.offered(db, theme_ids=theme_ids, language=current_language())
    kept = [(name, value) for name, value in query if name != "suggestion"]
    return SuggestedActions(offered, picked, kept), notice


@get("/actions/new", name="actions.new", guards=hr_only, include_in_schema=False)
async def new_action(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    """The action form; opened from a radar cell it is filled in with that theme and group.

    `?themes=` ticks themes (and lists their suggested actions), `?suggestion=` fills the texts from
    a suggested action; HTMX gets only the filled fields, swapped in place around what HR typed.
    """
    params = request.query_params
    form = ActionForm(owner_id=params.get("owner", ""), theme_ids=params.getall("themes", []))
    source = queries.parse_evidence_source(params)
    notice = None
    if source is None and params.get("theme"):
        notice = _("The link to the evidence was incomplete; the form starts empty.")
    elif source is not None and (await queries.preview_evidence(db, source=source)) is None:
        notice, source = _("The theme of this link does not exist; the form starts empty."), None
    if source is not None:
        form.scope = source.scope
        form.department_id = str(source.group_id) if source.scope == Scope.DEPARTMENT else ""
        form.job_family_id = str(source.group_id) if source.scope == Scope.JOB_FAMILY else ""
        form.evidence_theme = str(source.theme_id)
        form.evidence_start, form.evidence_end = source.period_start.isoformat(), source.period_end.isoformat()
        form.evidence_source = source.source
        form.theme_ids = list(dict.fromkeys([str(source.theme_id), *form.theme_ids]))
    suggested, missing = await _suggested(db, form=form, params=params, query=list(params.multi_items()))
    if request.htmx and suggested.picked is not None:
        return _template("actions/_suggestion_picked.html",
                         context={"form": form, "errors": {}, "suggested": suggested}, headers=HTMX_VARY)
    return await _new_page(db, form=form, source=source, errors={}, notice=notice or missing, suggested=suggested)


@post("/actions/new", name="actions.create", guards=hr_only, include_in_schema=False)
async def create_action(request: Request, db: NamedDependency[AsyncSession]) -> Template | Redirect:
    form = await request.form()
    details, errors = details_from_form(form)
    typed = ActionForm.from_form(form)
    deadline = parse_date(typed.deadline)
    source = None
    evidence_theme = parse_id(typed.evidence_theme)
    start, end = parse_date(typed.evidence_start), parse_date(typed.evidence_end)
    if evidence_theme is not None and start is not None and end is not None:
        # Only the theme and the period come from the form: the group is the action's, the counts are recomputed.
        source = EvidenceSource(evidence_theme, details.scope, service.group_id_of(details.normalised()), start, end,
                                "stay" if typed.evidence_source == "stay" else "exit")
    try:
        if errors:
            raise ActionInvalid(errors)
        action = await service.create_action(
            db, actor=request.user, details=details, owner_id=parse_id(typed.owner_id), deadline=deadline,
            published=typed.published, evidence=source, today=clock.today(), request=request,
        )
    except ActionInvalid as invalid:
        return await _new_page(db, form=typed, source=source, errors=invalid.errors, status_code=400)
    return redirect_to(request, "actions.detail", action_id=action.id)


# --- one action -------------------------------------------------------------------------------


async def _detail_page(
    request: Request, db: AsyncSession, disclosure: Disclosure, settings: Settings, action_id: int, *,
    status_code: int = 200, **extra: Any
) -> Template:
    user: User = request.user
    today = clock.today()
    row = await queries.viewable_row(db, viewer=user, action_id=action_id, today=today)
    measured = None
    if row.action.status == ActionStatus.DONE:
        released = await disclosure.released(db)
        measured = await effects.effect_with_theme(db, action_id=action_id, settings=settings, released=released)
    context: dict[str, Any] = {
        **effects.template_context(settings),
        "effect": measured[0] if measured else None,
        "effect_theme": measured[1] if measured else None,
        "row": row,
        "action": row.action,
        "today": today,
        "history": await queries.action_history(db, action_id=action_id),
        "evidence": await queries.evidence_of(db, action_id=action_id, viewer=user, disclosure=disclosure,
                                              released=await disclosure.released_unless_hr(db, viewer=user)),
        "may_update": may_update_progress(user, row.action),
        "threshold": disclosure.threshold,
        "unnamed": await queries.evidence_group_naming(db, action=row.action, released=await disclosure.released(db))
        if may_manage(user) else None,
        "may_manage": may_manage(user),
        "owners": (await queries.form_choices(db)).owners if may_manage(user) else [],
        "progress_form": {"status": row.action.status, "progress": str(row.action.progress), "note": ""},
        "reassign_form": {"owner_id": "", "note": ""},
        "deadline_form": {"deadline": "", "note": ""},
        "errors": {},
        "failed": None,
        "conflict": None,
        "version": row.action.version,
    }
    context.update(extra)
    return _template("actions/detail.html", context=context, status_code=status_code)


@get("/actions/{action_id:int}", name="actions.detail", guards=[signed_in], include_in_schema=False)
async def action_detail(
    request: Request, db: NamedDependency[AsyncSession], disclosure: NamedDependency[Disclosure],
    settings: NamedDependency[Settings], action_id: FromPath[int],
) -> Template:
    return await _detail_page(request, db, disclosure, settings, action_id)


async def _hr_change(
    request: Request, db: AsyncSession, disclosure: Disclosure, settings: Settings, action_id: int, *, form_name: str,
    change: Any
) -> Template | Redirect:
    """Run one of HR's changes from the action page; on a problem, show the page again with the input kept."""
    form = await request.form()
    version = _version(form)
    typed = {key: form.get(key, "") for key in ("owner_id", "deadline", "note", "published")}
    try:
        await change(form, version)
    except ActionInvalid as invalid:
        return await _detail_page(request, db, disclosure, settings, action_id, status_code=400, errors=invalid.errors,
                                  failed=form_name, version=version, **{f"{form_name}_form": typed})
    except ActionConflict as conflict:
        return await _detail_page(request, db, disclosure, settings, action_id, status_code=409, conflict=conflict,
                                  failed=form_name, version=conflict.action.version, **{f"{form_name}_form": typed})
    return redirect_to(request, "actions.detail", action_id=action_id)


@post("/actions/{action_id:int}/reassign", name="actions.reassign", guards=hr_only, include_in_schema=False)
async def reassign_action(
    request: Request, db: NamedDependency[AsyncSession], disclosure: NamedDependency[Disclosure],
    settings: NamedDependency[Settings], action_id: FromPath[int],
) -> Template | Redirect:
    async def change(form: FormMultiDict, version: int) -> None:
        await service.reassign(db, actor=request.user, action_id=action_id, version=version,
                               owner_id=parse_id(form.get("owner_id", "")), note=form.get("note", ""),
                               request=request)

    return await _hr_change(request, db, disclosure, settings, action_id, form_name="reassign", change=change)


@post("/actions/{action_id:int}/deadline", name="actions.deadline", guards=hr_only, include_in_schema=False)
async def move_deadline(
    request: Request, db: NamedDependency[AsyncSession], disclosure: NamedDependency[Disclosure],
    settings: NamedDependency[Settings], action_id: FromPath[int],
) -> Template | Redirect:
    async def change(form: FormMultiDict, version: int) -> None:
        await service.move_deadline(db, actor=request.user, action_id=action_id, version=version,
                                    deadline=parse_date(form.get("deadline", "")), note=form.get("note", ""),
                                    today=clock.today(), request=request)

    return await _hr_change(request, db, disclosure, settings, action_id, form_name="deadline", change=change)


@post("/actions/{action_id:int}/publish", name="actions.publish", guards=hr_only, include_in_schema=False)
async def publish_action(
    request: Request, db: NamedDependency[AsyncSession], disclosure: NamedDependency[Disclosure],
    settings: NamedDependency[Settings], action_id: FromPath[int],
) -> Template | Redirect:
    async def change(form: FormMultiDict, version: int) -> None:
        await service.set_published(db, actor=request.user, action_id=action_id, version=version,
                                    published=form.get("published") == "yes",
                                    name_group=form.get("name_group") == "yes", request=request)

    return await _hr_change(request, db, disclosure, settings, action_id, form_name="publish", change=change)


# --- editing the details ------------------------------------------------------------------------


async def _edit_page(
    request: Request, db: AsyncSession, action_id: int, *, form: ActionForm | None = None, version: int | None = None,
    errors: dict[str, str] | None = None, conflict: ActionConflict | None = None, status_code: int = 200,
) -> Template:
    row = await queries.viewable_row(db, viewer=request.user, action_id=action_id, today=clock.today())
    if form is None:
        theme_ids = await service.theme_ids_of(db, action_id=action_id)
        form = ActionForm.from_details(ActionDetails.of(row.action, theme_ids))
    context = {"row": row, "action": row.action, "form": form, "errors": errors or {}, "conflict": conflict,
               "version": row.action.version if version is None else version,
               "choices": await queries.form_choices(db), "today": clock.today()}
    return _template("actions/edit.html", context=context, status_code=status_code)


@get("/actions/{action_id:int}/edit", name="actions.edit", guards=hr_only, include_in_schema=False)
async def edit_action(request: Request, db: NamedDependency[AsyncSession], action_id: FromPath[int]) -> Template:
    return await _edit_page(request, db, action_id)


@post("/actions/{action_id:int}/edit", name="actions.update", guards=hr_only, include_in_schema=False)
async def update_action(
    request: Request, db: NamedDependency[AsyncSession], action_id: FromPath[int],
) -> Template | Redirect:
    form = await request.form()
    details, errors = details_from_form(form)
    typed = ActionForm.from_form(form)
    version = _version(form)
    try:
        if errors:
            raise ActionInvalid(errors)
        await service.edit_details(db, actor=request.user, action_id=action_id, version=version, details=details,
                                   request=request)
    except ActionInvalid as invalid:
        return await _edit_page(request, db, action_id, form=typed, version=version, errors=invalid.errors,
                                status_code=400)
    except ActionConflict as conflict:
        return await _edit_page(request, db, action_id, form=typed, conflict=conflict, status_code=409)
    return redirect_to(request, "actions.detail", action_id=action_id)


# --- progress: My actions and the status update -------------------------------------------------


@get("/my/actions", name="my_actions", guards=[signed_in], include_in_schema=False)
async def my_actions(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    """The signed-in person's actions, overdue first, then by deadline, each with its update form."""
    user: User = request.user
    today = clock.today()
    rows = await queries.list_actions(db, viewer=user, filters=queries.ActionFilters(owner_id=user.id), today=today)
    since = clock.utcnow() - timedelta(days=RECENTLY_ASSIGNED_DAYS)
    context = {"rows": rows, "today": today,
               "assigned": await queries.recently_assigned(db, owner_id=user.id, since=since)}
    return _template("actions/mine.html", context=context)


def _progress_values(form: FormMultiDict) -> tuple[str, int | None, str, dict[str, str]]:
    raw_progress = form.get("progress", "").strip()
    progress = parse_int(raw_progress, minimum=0, maximum=100) if raw_progress else None
    errors = {"progress": _("Enter a progress between 0 and 100.")} if raw_progress and progress is None else {}
    return form.get("status", ""), progress, form.get("note", ""), errors


@get("/actions/{action_id:int}/progress", name="actions.progress", guards=[signed_in], include_in_schema=False)
async def progress_page(request: Request, db: NamedDependency[AsyncSession], action_id: FromPath[int]) -> Template:
    """The status update form as a page of its own (for a link, or a browser without JavaScript)."""
    row = await queries.viewable_row(db, viewer=request.user, action_id=action_id, today=clock.today())
    if not may_update_progress(request.user, row.action):
        raise PermissionDeniedException(_("You can only update the actions you own."))
    form = {"status": row.action.status, "progress": str(row.action.progress), "note": ""}
    back = request.query_params.get("next") or request.app.route_reverse("actions.detail", action_id=action_id)
    return _template("actions/progress.html", context={
        "row": row, "today": clock.today(), "form": form, "errors": {}, "conflict": None,
        "version": row.action.version, "next": safe_next(back),
    })


@post("/actions/{action_id:int}/progress", name="actions.progress.submit", guards=[signed_in], include_in_schema=False)
async def submit_progress(
    request: Request, db: NamedDependency[AsyncSession], action_id: FromPath[int],
) -> Template | Redirect:
    """A status update. HTMX gets the action's row back; a plain form post goes back where it came from."""
    form = await request.form()
    status, progress, note, errors = _progress_values(form)
    version = _version(form)
    typed = {"status": status, "progress": form.get("progress", ""), "note": note}
    next_page = safe_next(form.get("next") or request.app.route_reverse("my_actions"))
    today = clock.today()
    conflict = None
    saved = False
    try:
        if errors:
            # Check who may change it first: an owner must get 403, not a form error, on another's action.
            row = await queries.viewable_row(db, viewer=request.user, action_id=action_id, today=today)
            if not may_update_progress(request.user, row.action):
                raise PermissionDeniedException(_("You can only update the actions you own."))
            raise ActionInvalid(errors)
        await service.update_progress(db, actor=request.user, action_id=action_id, version=version, status=status,
                                      progress=progress, note=note, today=today, request=request)
        saved = True
    except ActionInvalid as invalid:
        errors = invalid.errors
    except ActionConflict as stale:
        conflict = stale
    if saved and not request.htmx:
        return Redirect(next_page, status_code=303)
    row = await queries.viewable_row(db, viewer=request.user, action_id=action_id, today=today)
    if saved:
        typed = {"status": row.action.status, "progress": str(row.action.progress), "note": ""}
    # After a conflict the form carries the current version: saving again is then a deliberate choice.
    context = {"row": row, "today": today, "form": typed, "errors": errors, "conflict": conflict, "saved": saved,
               "version": version if errors else row.action.version, "next": next_page}
    if request.htmx:
        # Always 200: htmx does not swap error responses, and the row must show the message in place.
        return _template("actions/_my_row.html", context=context, headers=HTMX_VARY)
    return _template("actions/progress.html", context=context, status_code=409 if conflict else 400,
                    headers=HTMX_VARY)


routes = [
    action_list, new_action, create_action, action_detail, reassign_action, move_deadline, publish_action,
    edit_action, update_action, my_actions, progress_page, submit_progress,
]
