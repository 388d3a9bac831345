"""Creating and changing actions, and reading them back: one place for the rules, used by pages and API.

Every change is checked (role, ownership, input), applied with a conditional UPDATE on the version
the user saw (so two people editing at once cannot overwrite each other silently), written to the
action's history when it concerns progress, deadline or owner, and audited.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.actions.details import DETAIL_COLUMNS, FREE_TEXTS, LONG_TEXT_NAMES, ActionDetails
from actiontrack.actions.rules import NOTE_REQUIRED_STATUSES, may_manage, may_update_progress
from actiontrack.i18n import gettext as _
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionStatus,
    ActionTheme,
    ActionUpdate,
    AuditEvent,
    Department,
    JobFamily,
    Scope,
    Theme,
    User,
    column_limit,
)
from actiontrack.params import is_id
from actiontrack.themes.queries import theme_evidence

MAX_TITLE = column_limit(ActionItem, "title_en")
MAX_TEXT = column_limit(ActionItem, "description_en")
MAX_NOTE = column_limit(ActionUpdate, "note")
MAX_DEADLINE_YEARS = 10
ENTITY = "action"


# --- input, errors, conflicts -----------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceSource:
    """A radar cell: a theme, a group and a period. Counts are always recomputed from it."""

    theme_id: int
    scope: str
    group_id: int | None
    period_start: date
    period_end: date
    source: str = "exit"  # the radar's source: leavers' exit interviews, or stay interviews


class ActionInvalid(Exception):
    """The input breaks a rule; `errors` maps each field to a message for the person who typed it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


class ActionConflict(Exception):
    """Someone else changed the action since the form was opened; nothing was written."""

    def __init__(self, action: ActionItem, *, changed_by: str | None, changed_at: datetime | None) -> None:
        super().__init__(action.id)
        self.action = action
        self.changed_by = changed_by or _("someone else")
        self.changed_at = changed_at


def _known_id(value: int | None) -> bool:
    # JSON and forms can carry any integer; one beyond the id columns would fail in the database.
    return value is not None and is_id(value)


async def _exists(session: AsyncSession, model: type[Department] | type[JobFamily], row_id: int | None) -> bool:
    return _known_id(row_id) and await session.get(model, row_id) is not None


def group_id_of(action: ActionItem | ActionDetails) -> int | None:
    if action.scope == Scope.DEPARTMENT:
        return action.department_id
    if action.scope == Scope.JOB_FAMILY:
        return action.job_family_id
    return None


# --- checks -------------------------------------------------------------------------------------


async def check_details(session: AsyncSession, *, details: ActionDetails) -> dict[str, str]:
    """Messages for every rule the (normalised) details break, by field."""
    errors: dict[str, str] = {}
    if not any(details.titles().values()):
        errors["title"] = _("Enter a title in at least one language.")
    for language, title in details.titles().items():
        if len(title) > MAX_TITLE:
            errors[f"title_{language}"] = _("Use at most %(max)d characters.") % {"max": MAX_TITLE}
    for name in (*FREE_TEXTS, *LONG_TEXT_NAMES):
        limit = column_limit(ActionItem, name)  # each text's own column says how long it may be
        if len(getattr(details, name)) > limit:
            errors[name] = _("Use at most %(max)d characters.") % {"max": limit}
    if details.scope not in {scope.value for scope in Scope}:
        errors["scope"] = _("Choose company-wide, a department or a job family.")
    elif details.scope == Scope.DEPARTMENT and not await _exists(session, Department, details.department_id):
        errors["department_id"] = _("Choose a department.")
    elif details.scope == Scope.JOB_FAMILY and not await _exists(session, JobFamily, details.job_family_id):
        errors["job_family_id"] = _("Choose a job family.")
    if details.target_share is not None and not 0 <= details.target_share <= 1:
        errors["target_share"] = _("Enter a target between 0 and 100 %.")
    if details.theme_ids:
        valid = [theme_id for theme_id in details.theme_ids if _known_id(theme_id)]
        known = set((await session.execute(select(Theme.id).where(Theme.id.in_(valid)))).scalars())
        if known != set(details.theme_ids):
            errors["themes"] = _("Choose themes from the list.")
    return errors


async def check_owner(session: AsyncSession, *, owner_id: int | None) -> str | None:
    if owner_id is None:
        return _("Choose an owner.")
    owner = await session.get(User, owner_id) if _known_id(owner_id) else None
    if owner is None or not owner.active:
        return _("Choose an active user as owner.")
    return None


def latest_deadline(today: date) -> date:
    """The furthest deadline an action may have: a plan, not a date no reminder or calendar can reach."""
    try:
        return today.replace(year=today.year + MAX_DEADLINE_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_DEADLINE_YEARS, day=28)


def check_deadline(deadline: date | None, *, today: date) -> str | None:
    if deadline is None:
        return _("Enter the deadline as a date.")
    if deadline <= today:
        return _("The deadline must be in the future.")
    if deadline > latest_deadline(today):
        return _("Choose a deadline within %(years)d years.") % {"years": MAX_DEADLINE_YEARS}
    return None


def check_note(note: str) -> str | None:
    return _("Use at most %(max)d characters.") % {"max": MAX_NOTE} if len(note) > MAX_NOTE else None


def check_progress(*, action: ActionItem, status: str, progress: int | None, note: str) -> dict[str, str]:
    """The rules of a status update; progress None keeps the current progress."""
    errors: dict[str, str] = {}
    if status not in {s.value for s in ActionStatus}:
        errors["status"] = _("Choose a status.")
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = _("Enter a progress between 0 and 100.")
    if status in NOTE_REQUIRED_STATUSES and not note:
        errors["note"] = _("Say why the action is blocked or cancelled.")
    elif error := check_note(note):
        errors["note"] = error
    unchanged = status == action.status and (
        progress in (None, action.progress) or status == ActionStatus.DONE
    )
    if not errors and unchanged and not note:
        errors["note"] = _("Change the status or the progress, or add a note.")
    return errors


# --- writing ------------------------------------------------------------------------------------


async def theme_ids_of(session: AsyncSession, *, action_id: int) -> list[int]:
    query = select(ActionTheme.theme_id).where(ActionTheme.action_id == action_id).order_by(ActionTheme.theme_id)
    return list((await session.execute(query)).scalars())


async def _action_or_404(session: AsyncSession, action_id: int) -> ActionItem:
    action = await session.get(ActionItem, action_id)
    if action is None:
        raise NotFoundException()
    return action


def _require_manager(actor: User) -> None:
    if not may_manage(actor):
        raise PermissionDeniedException(_("Only HR can do this."))


async def last_change(session: AsyncSession, *, action_id: int) -> tuple[str | None, datetime | None]:
    """Who changed an action last, and when (from the audit trail, which every change writes)."""
    row = (
        await session.execute(
            select(User.display_name, AuditEvent.created_at)
            .select_from(AuditEvent)
            .join(User, User.id == AuditEvent.actor_id, isouter=True)
            .where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == action_id)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
    ).first()
    return (row[0], row[1]) if row else (None, None)


async def _managed_action(session: AsyncSession, *, actor: User, action_id: int, version: int) -> ActionItem:
    """The action HR is about to change, as long as nobody changed it since the form was opened."""
    _require_manager(actor)
    action = await _action_or_404(session, action_id)
    if action.version != version:
        raise await _conflict(session, action)
    return action


async def _conflict(session: AsyncSession, action: ActionItem) -> ActionConflict:
    await session.refresh(action)
    changed_by, changed_at = await last_change(session, action_id=action.id)
    return ActionConflict(action, changed_by=changed_by, changed_at=changed_at)


async def _save(session: AsyncSession, *, action: ActionItem, version: int, values: dict[str, Any]) -> None:
    """Apply `values` only if the action is still at `version` (a conditional UPDATE), else conflict."""
    if action.version != version:
        raise await _conflict(session, action)
    result = await session.execute(
        update(ActionItem)
        .where(ActionItem.id == action.id, ActionItem.version == version)
        .values(**values, version=ActionItem.version + 1, updated_at=clock.utcnow())
        .execution_options(synchronize_session=False)
    )
    # Zero rows: another request committed a change between our read and this write.
    if result.rowcount != 1:
        raise await _conflict(session, action)
    await session.refresh(action)


def _snapshot(action: ActionItem, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(action, name) for name in names}


def _history(
    action: ActionItem, *, actor: User, before: Mapping[str, Any], note: str = "", **extra: Any,
) -> ActionUpdate:
    return ActionUpdate(
        action_id=action.id,
        author_id=actor.id,
        status_before=before.get("status", action.status),
        status_after=action.status,
        progress_before=before.get("progress", action.progress),
        progress_after=action.progress,
        note=note,
        **extra,
    )


async def create_action(
    session: AsyncSession,
    *,
    actor: User,
    details: ActionDetails,
    owner_id: int | None,
    deadline: date | None,
    published: bool,
    evidence: EvidenceSource | None,
    today: date,
    request: Request | None = None,
) -> ActionItem:
    """A new planned action with its themes, its evidence (recomputed) and its first history entry."""
    _require_manager(actor)
    details = details.normalised()
    if evidence is not None and evidence.theme_id not in details.theme_ids:
        details = dataclasses.replace(details, theme_ids=(evidence.theme_id, *details.theme_ids))
    errors = await check_details(session, details=details)
    if error := await check_owner(session, owner_id=owner_id):
        errors["owner_id"] = error
    if error := check_deadline(deadline, today=today):
        errors["deadline"] = error
    if published and not any(details.public_summaries().values()):
        errors["public_summary"] = _("Write a public summary before publishing.")
    if evidence is not None and evidence.period_start > evidence.period_end:
        errors["evidence"] = _("The evidence period ends before it starts.")
    if errors:
        raise ActionInvalid(errors)

    values = {name: getattr(details, name) for name in DETAIL_COLUMNS}
    action = ActionItem(
        **values, owner_id=owner_id, deadline=deadline, published=published,
        published_at=clock.utcnow() if published else None, created_by_id=actor.id,
    )
    session.add(action)
    await session.flush()
    session.add_all(ActionTheme(action_id=action.id, theme_id=theme_id) for theme_id in details.theme_ids)
    changes: dict[str, Any] = {**values, "owner_id": owner_id, "deadline": deadline, "published": published,
                               "theme_ids": list(details.theme_ids)}
    if evidence is not None:
        counts = await _evidence_counts(session, action=action, theme_id=evidence.theme_id,
                                        period_start=evidence.period_start, period_end=evidence.period_end,
                                        source=evidence.source)
        session.add(counts)
        changes["evidence"] = _evidence_summary(counts)
    session.add(ActionUpdate(
        action_id=action.id, author_id=actor.id, status_before=None, status_after=action.status,
        progress_before=None, progress_after=action.progress, deadline_after=deadline, owner_after_id=owner_id,
    ))
    audit.record(session, actor=actor, verb="create", entity=ENTITY, entity_id=action.id, changes=changes,
                 request=request)
    return action


async def _evidence_counts(
    session: AsyncSession, *, action: ActionItem, theme_id: int, period_start: date, period_end: date,
    source: str = "exit",
) -> ActionEvidence:
    found = await theme_evidence(session, theme_id=theme_id, scope=action.scope, group_id=group_id_of(action),
                                        period_start=period_start, period_end=period_end, source=source)
    return ActionEvidence(action_id=action.id, theme_id=theme_id, period_start=period_start,
                          period_end=period_end, raised_count=found.raised, leavers_count=found.leavers, source=source)


def _evidence_summary(evidence: ActionEvidence) -> dict[str, Any]:
    return {"theme_id": evidence.theme_id, "period_start": evidence.period_start.isoformat(),
            "period_end": evidence.period_end.isoformat(), "raised_count": evidence.raised_count,
            "leavers_count": evidence.leavers_count, "source": evidence.source}


async def update_progress(
    session: AsyncSession,
    *,
    actor: User,
    action_id: int,
    version: int,
    status: str,
    progress: int | None,
    note: str,
    today: date,
    request: Request | None = None,
) -> ActionItem:
    """An owner's (or HR's) status update. Done means 100 % and a completion date."""
    action = await _action_or_404(session, action_id)
    if not may_update_progress(actor, action):
        raise PermissionDeniedException(_("You can only update the actions you own."))
    if action.version != version:
        raise await _conflict(session, action)
    note = note.strip()
    errors = check_progress(action=action, status=status, progress=progress, note=note)
    if errors:
        raise ActionInvalid(errors)
    done = status == ActionStatus.DONE
    if not done:
        completed_on = None
    elif action.status == ActionStatus.DONE and action.completed_on is not None:
        completed_on = action.completed_on
    else:
        completed_on = today
    values: dict[str, Any] = {
        "status": status,
        "progress": 100 if done else (action.progress if progress is None else progress),
        "completed_on": completed_on,
    }
    before = _snapshot(action, list(values))
    await _save(session, action=action, version=version, values=values)
    session.add(_history(action, actor=actor, before=before, note=note))
    changes = audit.changed_fields(before, values)
    if note:
        changes["note"] = note
    audit.record(session, actor=actor, verb="update_progress", entity=ENTITY, entity_id=action.id,
                 changes=changes, request=request)
    return action


async def edit_details(
    session: AsyncSession,
    *,
    actor: User,
    action_id: int,
    version: int,
    details: ActionDetails,
    request: Request | None = None,
) -> ActionItem:
    """HR edits what the action is about. A new group gets its evidence recounted for the same theme and period."""
    action = await _managed_action(session, actor=actor, action_id=action_id, version=version)
    details = details.normalised()
    evidence = await session.get(ActionEvidence, action.id)
    if evidence is not None and evidence.theme_id not in details.theme_ids:
        details = dataclasses.replace(details, theme_ids=(evidence.theme_id, *details.theme_ids))
    errors = await check_details(session, details=details)
    if action.published and not any(details.public_summaries().values()):
        errors["public_summary"] = _("A published action needs a public summary.")
    if errors:
        raise ActionInvalid(errors)
    old_theme_ids = await theme_ids_of(session, action_id=action.id)
    values = {name: getattr(details, name) for name in DETAIL_COLUMNS}
    before = _snapshot(action, list(values))
    group_changed = (action.scope, group_id_of(action)) != (details.scope, group_id_of(details))
    await _save(session, action=action, version=version, values=values)
    changes = audit.changed_fields(
        {**before, "theme_ids": old_theme_ids}, {**values, "theme_ids": sorted(details.theme_ids)}
    )
    if set(old_theme_ids) != set(details.theme_ids):
        await session.execute(delete(ActionTheme).where(ActionTheme.action_id == action.id))
        session.add_all(ActionTheme(action_id=action.id, theme_id=theme_id) for theme_id in details.theme_ids)
    if evidence is not None and group_changed:
        recounted = await _evidence_counts(session, action=action, theme_id=evidence.theme_id,
                                           period_start=evidence.period_start, period_end=evidence.period_end,
                                           source=evidence.source)
        changes["evidence"] = [_evidence_summary(evidence), _evidence_summary(recounted)]
        evidence.raised_count, evidence.leavers_count = recounted.raised_count, recounted.leavers_count
    if changes:
        audit.record(session, actor=actor, verb="update", entity=ENTITY, entity_id=action.id, changes=changes,
                     request=request)
    return action


async def reassign(
    session: AsyncSession,
    *,
    actor: User,
    action_id: int,
    version: int,
    owner_id: int | None,
    note: str,
    request: Request | None = None,
) -> ActionItem:
    """HR hands the action to someone else; the history keeps who had it before."""
    action = await _managed_action(session, actor=actor, action_id=action_id, version=version)
    await _noted_change(session, actor=actor, action=action, version=version, name="owner_id", value=owner_id,
                        error=await check_owner(session, owner_id=owner_id),
                        unchanged=_("This person already owns the action."), note=note, verb="reassign",
                        request=request)
    return action


# The history's columns for the value before and after each of HR's noted changes.
_HISTORY_COLUMNS = {
    "owner_id": ("owner_before_id", "owner_after_id"), "deadline": ("deadline_before", "deadline_after"),
}


async def _noted_change(
    session: AsyncSession, *, actor: User, action: ActionItem, version: int, name: str, value: Any,
    error: str | None, unchanged: str, note: str, verb: str, request: Request | None,
) -> None:
    """One of HR's changes of one field of an action, with a note: checked (`error`, the value's own problem;
    `unchanged`, the message when the action has that value already), saved, kept in the history and audited."""
    note = note.strip()
    errors: dict[str, str] = {}
    if error:
        errors[name] = error
    elif value == getattr(action, name):
        errors[name] = unchanged
    if error := check_note(note):
        errors["note"] = error
    if errors:
        raise ActionInvalid(errors)
    before = _snapshot(action, [name, "status", "progress"])
    await _save(session, action=action, version=version, values={name: value})
    before_column, after_column = _HISTORY_COLUMNS[name]
    session.add(_history(action, actor=actor, before=before, note=note,
                         **{before_column: before[name], after_column: value}))
    audit.record(session, actor=actor, verb=verb, entity=ENTITY, entity_id=action.id,
                 changes={**audit.changed_fields(before, {name: value}), **({"note": note} if note else {})},
                 request=request)


async def move_deadline(
    session: AsyncSession,
    *,
    actor: User,
    action_id: int,
    version: int,
    deadline: date | None,
    note: str,
    today: date,
    request: Request | None = None,
) -> ActionItem:
    """HR moves the deadline; the old one stays in the history, so slipping is visible."""
    action = await _managed_action(session, actor=actor, action_id=action_id, version=version)
    await _noted_change(session, actor=actor, action=action, version=version, name="deadline", value=deadline,
                        error=check_deadline(deadline, today=today), unchanged=_("This is already the deadline."),
                        note=note, verb="move_deadline", request=request)
    return action


async def set_published(
    session: AsyncSession,
    *,
    actor: User,
    action_id: int,
    version: int,
    published: bool,
    name_group: bool = False,
    request: Request | None = None,
) -> ActionItem:
    """HR shows the action (its title and public summary) to staff, or takes it off again.

    `name_group`: name the action's group on the staff page even when it had fewer leavers than the
    anonymity threshold in its evidence period (the page says "company-wide" otherwise).
    """
    action = await _managed_action(session, actor=actor, action_id=action_id, version=version)
    if published and not any(action.public_summaries().values()):
        raise ActionInvalid({"published": _("Write a public summary before publishing.")})
    if published == action.published:
        raise ActionInvalid({"published": _("Nothing to change.")})
    values = {"published": published, "published_at": clock.utcnow() if published else None,
              "name_group_publicly": published and name_group}
    before = _snapshot(action, list(values))
    await _save(session, action=action, version=version, values=values)
    audit.record(session, actor=actor, verb="publish" if published else "unpublish", entity=ENTITY,
                 entity_id=action.id, changes=audit.changed_fields(before, values), request=request)
    return action
