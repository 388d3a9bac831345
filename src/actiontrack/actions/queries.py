"""Reading actions back: lists with filters, one action with its history and evidence, form choices."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from actiontrack.actions.rules import CLOSED_STATUSES, OPEN_STATUSES, may_view, overdue_condition
from actiontrack.actions.service import EvidenceSource
from actiontrack.disclosure import Disclosed, Disclosure, GroupNaming, evidence_cell, group_naming
from actiontrack.i18n import gettext as _
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionStatus,
    ActionTheme,
    ActionUpdate,
    Department,
    JobFamily,
    Role,
    Scope,
    Theme,
    User,
)
from actiontrack.paging import Page, page_number
from actiontrack.params import parse_date, parse_id
from actiontrack.texts import Localized
from actiontrack.themes.queries import theme_evidence


@dataclass(frozen=True)
class ActionFilters:
    """What a list of actions is narrowed to; every field comes from the query string."""

    status: str | None = None  # a status, or "open" for every open status
    owner_id: int | None = None
    theme_id: int | None = None
    scope: str | None = None
    department_id: int | None = None
    job_family_id: int | None = None
    overdue: bool = False
    published: bool | None = None

    def query_string(self, *, page: int | None = None, **changes: Any) -> str:
        """This filter as a query string (for links that keep the other filters), at a page of the list."""
        current = dataclasses.replace(self, **changes)
        params = {
            "status": current.status, "owner": current.owner_id, "theme": current.theme_id,
            "scope": current.scope, "department": current.department_id, "job_family": current.job_family_id,
            "overdue": "1" if current.overdue else None,
            "published": None if current.published is None else ("yes" if current.published else "no"),
            "page": page if page and page > 1 else None,
        }
        return urlencode({key: value for key, value in params.items() if value not in (None, "")})


PAGE_SIZE = 50  # actions per page of the HR and leadership list
STATUS_FILTERS = {*(s.value for s in ActionStatus), "open"}
YES = {"1", "yes", "true", "on"}
NO = {"0", "no", "false", "off"}


def parse_filters(params: Mapping[str, str]) -> tuple[ActionFilters, dict[str, str]]:
    """Filters from a query string, and a message for each value that makes no sense (then ignored)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def number(key: str, field: str) -> None:
        raw = (params.get(key) or "").strip()
        if raw:
            if (parsed := parse_id(raw)) is None:
                errors[key] = _("Use a number.")
            else:
                values[field] = parsed

    raw_status = (params.get("status") or "").strip()
    if raw_status:
        if raw_status in STATUS_FILTERS:
            values["status"] = raw_status
        else:
            errors["status"] = _("Unknown status.")
    number("owner", "owner_id")
    number("theme", "theme_id")
    number("department", "department_id")
    number("job_family", "job_family_id")
    raw_scope = (params.get("scope") or "").strip()
    if raw_scope:
        if raw_scope in {s.value for s in Scope}:
            values["scope"] = raw_scope
        else:
            errors["scope"] = _("Unknown scope.")
    for key in ("overdue", "published"):
        raw = (params.get(key) or "").strip().lower()
        if raw in YES | NO:
            values[key] = raw in YES
        elif raw:
            errors[key] = _("Use yes or no.")
    return ActionFilters(**values), errors


@dataclass(frozen=True)
class ActionRow:
    action: ActionItem
    owner_name: str
    group_name: str | None
    themes: list[Theme]


def _list_order(*, today: date) -> tuple[Any, ...]:
    """Overdue first, then open before closed, then by deadline."""
    return (
        case((overdue_condition(today=today), 0), else_=1),
        case((ActionItem.status.in_([s.value for s in CLOSED_STATUSES]), 1), else_=0),
        ActionItem.deadline,
        ActionItem.id,
    )


def _list_query(*, today: date):
    group_name = case(
        (ActionItem.scope == Scope.DEPARTMENT, Department.label_sql()),
        (ActionItem.scope == Scope.JOB_FAMILY, JobFamily.label_sql()),
        else_=None,
    )
    return (
        select(ActionItem, User.display_name, group_name)
        .join(User, User.id == ActionItem.owner_id)
        .join(Department, Department.id == ActionItem.department_id, isouter=True)
        .join(JobFamily, JobFamily.id == ActionItem.job_family_id, isouter=True)
        .order_by(*_list_order(today=today))
    )


def apply_filters(query: Select[Any], *, filters: ActionFilters, today: date) -> Select[Any]:
    """Narrow a query over ActionItem to the filters (shared by the action list, the API and /status)."""
    if filters.status == "open":
        query = query.where(ActionItem.status.in_([s.value for s in OPEN_STATUSES]))
    elif filters.status:
        query = query.where(ActionItem.status == filters.status)
    if filters.owner_id is not None:
        query = query.where(ActionItem.owner_id == filters.owner_id)
    if filters.theme_id is not None:
        query = query.where(
            ActionItem.id.in_(select(ActionTheme.action_id).where(ActionTheme.theme_id == filters.theme_id))
        )
    if filters.scope:
        query = query.where(ActionItem.scope == filters.scope)
    if filters.department_id is not None:
        query = query.where(ActionItem.department_id == filters.department_id)
    if filters.job_family_id is not None:
        query = query.where(ActionItem.job_family_id == filters.job_family_id)
    if filters.overdue:
        query = query.where(overdue_condition(today=today))
    if filters.published is not None:
        query = query.where(ActionItem.published == filters.published)
    return query


async def list_actions(
    session: AsyncSession, *, viewer: User, filters: ActionFilters, today: date, limit: int = 500, offset: int = 0
) -> list[ActionRow]:
    """The actions a viewer may see that match the filters (owners see only their own), in two queries."""
    # The page's ids are sorted alone, then its rows read whole: sorting whole rows of 10,000 actions
    # took most of the list's time.
    ids = apply_filters(_viewable(select(ActionItem.id), viewer=viewer), filters=filters, today=today)
    ids = ids.order_by(*_list_order(today=today)).limit(limit).offset(offset)
    rows = (await session.execute(_list_query(today=today).where(ActionItem.id.in_(ids)))).all()
    by_action = await themes_by_action(session, action_ids=[row[0].id for row in rows])
    return [ActionRow(action, owner_name, group, by_action.get(action.id, [])) for action, owner_name, group in rows]


def _viewable(query: Select[Any], *, viewer: User) -> Select[Any]:
    """Owners see only their own actions; HR and leadership see all."""
    if viewer.role not in {Role.HR, Role.LEADERSHIP}:
        query = query.where(ActionItem.owner_id == viewer.id)
    return query


async def list_actions_page(
    session: AsyncSession, *, viewer: User, filters: ActionFilters, today: date, page: int, size: int = PAGE_SIZE
) -> Page[ActionRow]:
    """One page of the actions a viewer may see that match the filters, and how many match in all."""
    counted = apply_filters(_viewable(select(func.count()).select_from(ActionItem), viewer=viewer),
                            filters=filters, today=today)
    total = await session.scalar(counted) or 0
    number = page_number(page, total=total, size=size)
    rows = await list_actions(session, viewer=viewer, filters=filters, today=today, limit=size,
                              offset=(number - 1) * size)
    return Page(rows, number, total, size)


async def themes_by_action(session: AsyncSession, *, action_ids: Sequence[int]) -> dict[int, list[Theme]]:
    if not action_ids:
        return {}
    query = (
        select(ActionTheme.action_id, Theme)
        .join(Theme, Theme.id == ActionTheme.theme_id)
        .where(ActionTheme.action_id.in_(action_ids))
        .order_by(Theme.position, Theme.id)
    )
    found: dict[int, list[Theme]] = {}
    for action_id, theme in (await session.execute(query)).all():
        found.setdefault(action_id, []).append(theme)
    return found


async def viewable_row(session: AsyncSession, *, viewer: User, action_id: int, today: date) -> ActionRow:
    """One action as a list row, if the viewer may see it (404 / 403 otherwise)."""
    row = (await session.execute(_list_query(today=today).where(ActionItem.id == action_id))).first()
    if row is None:
        raise NotFoundException()
    action, owner_name, group = row
    if not may_view(viewer, action):
        raise PermissionDeniedException(_("You can only see the actions you own."))
    by_action = await themes_by_action(session, action_ids=[action.id])
    return ActionRow(action, owner_name, group, by_action.get(action.id, []))


@dataclass(frozen=True)
class HistoryEntry:
    update: ActionUpdate
    author_name: str
    owner_before_name: str | None
    owner_after_name: str | None


async def action_history(session: AsyncSession, *, action_id: int) -> list[HistoryEntry]:
    """The action's timeline, newest first, with the names of the people involved (one query)."""
    author, before, after = aliased(User), aliased(User), aliased(User)
    query = (
        select(ActionUpdate, author.display_name, before.display_name, after.display_name)
        .join(author, author.id == ActionUpdate.author_id)
        .join(before, before.id == ActionUpdate.owner_before_id, isouter=True)
        .join(after, after.id == ActionUpdate.owner_after_id, isouter=True)
        .where(ActionUpdate.action_id == action_id)
        .order_by(ActionUpdate.created_at.desc(), ActionUpdate.id.desc())
    )
    return [HistoryEntry(*row) for row in (await session.execute(query)).all()]


@dataclass(frozen=True)
class EvidenceView:
    """The counts behind an action as a viewer may see them.

    HR sees the counts stored with the action, over the dates it was created from. Everyone else sees
    the released reporting period ending last on or before those dates end, as the theme radar shows
    it for the action's group: nothing before the period is released, "hidden" when hidden.
    """

    theme: Theme
    period_start: date
    period_end: date
    raised: int | None
    leavers: int | None
    hidden: bool
    period_label: str | None = None  # the released period shown outside HR, as people read it
    period_key: str | None = None  # ... and as URLs and the API name it (2026-Q3)
    pending: bool = False  # outside HR, no released period covers the evidence yet
    source: str = "exit"  # "stay": counted among stay interviews (leavers are then people interviewed)

    @property
    def share(self) -> float | None:
        return self.raised / self.leavers if self.leavers and self.raised is not None else None


async def evidence_of(
    session: AsyncSession, *, action_id: int, viewer: User, disclosure: Disclosure,
    released: Sequence[Disclosed] | None,
) -> EvidenceView | None:
    found = await evidence_by_action(session, action_ids=[action_id], viewer=viewer, disclosure=disclosure,
                                     released=released)
    return found.get(action_id)


async def evidence_by_action(
    session: AsyncSession, *, action_ids: Sequence[int], viewer: User, disclosure: Disclosure,
    released: Sequence[Disclosed] | None,
) -> dict[int, EvidenceView]:
    """The evidence of several actions as this viewer may see it, in one query.

    `released` (the released periods, oldest first) is needed for anyone but HR.
    """
    if not action_ids:
        return {}
    query = (
        select(ActionEvidence, Theme, ActionItem.scope, ActionItem.department_id, ActionItem.job_family_id)
        .join(Theme, Theme.id == ActionEvidence.theme_id)
        .join(ActionItem, ActionItem.id == ActionEvidence.action_id)
        .where(ActionEvidence.action_id.in_(action_ids))
    )
    found = {}
    for evidence, theme, scope, department_id, job_family_id in (await session.execute(query)).all():
        if viewer.role == Role.HR:
            found[evidence.action_id] = EvidenceView(
                theme=theme, period_start=evidence.period_start, period_end=evidence.period_end,
                raised=evidence.raised_count, leavers=evidence.leavers_count, hidden=False,
                source=evidence.source)
        else:
            found[evidence.action_id] = released_evidence(
                evidence, theme=theme, scope=scope, department_id=department_id, job_family_id=job_family_id,
                released=released or [])
    return found


# The group-scoped actions with evidence whose group staff might not be told (HR did not choose to name it).
MAYBE_UNNAMED = (
    select(ActionItem.id, ActionItem.scope, ActionItem.department_id, ActionItem.job_family_id,
           ActionEvidence.period_end, ActionEvidence.source)
    .join(ActionEvidence, ActionEvidence.action_id == ActionItem.id)
    .where(ActionItem.scope != Scope.COMPANY, ActionItem.name_group_publicly.is_(False))
)


async def unnamed_groups(session: AsyncSession, *, released: Sequence[Disclosed], where: Any) -> set[int]:
    """The actions (among those matching `where`) whose group /changes does not name: it says
    "company-wide" instead, because the released period behind the evidence does not show the group's
    leavers (`disclosure.group_naming`), and HR did not choose to name it."""
    rows = (await session.execute(MAYBE_UNNAMED.where(where))).all()
    return {action_id for action_id, scope, department_id, job_family_id, period_end, source in rows
            if not group_naming(released, period_end=period_end, source=source, scope=scope,
                                department_id=department_id, job_family_id=job_family_id).named}


async def evidence_group_naming(
    session: AsyncSession, *, action: ActionItem, released: Sequence[Disclosed],
) -> GroupNaming | None:
    """For HR's action page: why the staff page will not name the action's group (None: it names it, or
    the action is company-wide or has no evidence), whether or not HR chose to name it anyway."""
    if action.scope == Scope.COMPANY:
        return None
    evidence = (await session.execute(
        select(ActionEvidence.period_end, ActionEvidence.source).where(ActionEvidence.action_id == action.id),
    )).first()
    if evidence is None:
        return None
    naming = group_naming(released, period_end=evidence.period_end, source=evidence.source, scope=action.scope,
                          department_id=action.department_id, job_family_id=action.job_family_id)
    return None if naming.named else naming


def released_evidence(
    evidence: ActionEvidence, *, theme: Theme, scope: str, department_id: int | None, job_family_id: int | None,
    released: Sequence[Disclosed],
) -> EvidenceView:
    """The evidence outside HR: one released period's cell for the action's group, never the stored counts."""
    period, raised, leavers, hidden = evidence_cell(
        [item.of_source(evidence.source) for item in released], period_end=evidence.period_end, scope=scope,
        department_id=department_id, job_family_id=job_family_id, theme_id=theme.id)
    if period is None:
        return EvidenceView(theme=theme, period_start=evidence.period_start, period_end=evidence.period_end,
                            raised=None, leavers=None, hidden=True, pending=True,
                            source=evidence.source)
    return EvidenceView(
        theme=theme, period_start=period.span.start, period_end=period.span.end,
        raised=None if hidden else raised, leavers=None if hidden else leavers, hidden=hidden,
        period_label=period.span.label, period_key=period.span.key, source=evidence.source,
    )


async def recently_assigned(
    session: AsyncSession, *, owner_id: int, since: datetime
) -> list[tuple[int, Localized, str, datetime]]:
    """Actions handed to this owner since a moment and still theirs: (action id, title, by whom, when)."""
    author = aliased(User)
    query = (
        select(ActionItem.id, *ActionItem.title_sql(), author.display_name, ActionUpdate.created_at)
        .join(ActionItem, ActionItem.id == ActionUpdate.action_id)
        .join(author, author.id == ActionUpdate.author_id)
        .where(
            ActionUpdate.owner_after_id == owner_id,
            ActionUpdate.author_id != owner_id,
            ActionUpdate.created_at >= since,
            ActionItem.owner_id == owner_id,
        )
        .order_by(ActionUpdate.created_at.desc())
    )
    return [(id_, Localized(title, lang), author_name, at)
            for id_, title, lang, author_name, at in (await session.execute(query)).all()]


# --- choices for forms --------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    owners: list[Any]  # rows of id, display_name and role: a list of 500 people need not load whole users
    themes: list[Theme]
    departments: list[Department]
    job_families: list[JobFamily]


async def form_choices(session: AsyncSession) -> Choices:
    """Active people, themes and groups for the action forms."""
    owners = (await session.execute(select(User.id, User.display_name, User.role).where(User.active)
                                    .order_by(User.display_name))).all()
    taxonomy = (await session.execute(select(Theme).where(Theme.active).order_by(Theme.position, Theme.id))).scalars()
    departments = (await session.execute(select(Department).order_by(Department.name))).scalars()
    families = (await session.execute(select(JobFamily).order_by(JobFamily.name))).scalars()
    return Choices(list(owners), list(taxonomy), list(departments), list(families))


def parse_evidence_source(params: Mapping[str, str]) -> EvidenceSource | None:
    """A radar cell from `?theme=&scope=&group=&start=&end=` (and `source=stay` for stay interviews), or None
    when it is incomplete."""
    theme_id = parse_id(params.get("theme", ""))
    scope = (params.get("scope") or "").strip()
    group_id = parse_id(params.get("group", ""))
    start, end = parse_date(params.get("start", "")), parse_date(params.get("end", ""))
    if theme_id is None or start is None or end is None or start > end:
        return None
    if scope not in {s.value for s in Scope} or (scope != Scope.COMPANY and group_id is None):
        return None
    source = "stay" if params.get("source") == "stay" else "exit"
    return EvidenceSource(theme_id, scope, None if scope == Scope.COMPANY else group_id, start, end, source)


async def preview_evidence(session: AsyncSession, *, source: EvidenceSource) -> tuple[Theme, int, int] | None:
    """The theme and counts of a radar cell, recomputed now (None when the theme does not exist)."""
    theme = await session.get(Theme, source.theme_id)
    if theme is None:
        return None
    found = await theme_evidence(session, theme_id=source.theme_id, scope=source.scope, group_id=source.group_id,
                                        period_start=source.period_start, period_end=source.period_end,
                                        source=source.source)
    return theme, found.raised, found.leavers
