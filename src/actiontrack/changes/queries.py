"""The reads of /changes and its feed: published actions in the reader's words, grouped by theme.

Only an action's title, public summary, status, scope and evidence counts ever leave this module;
owners, notes, descriptions and interviews are never selected. An action with several themes is
listed under each of its themes (a reader following one theme sees all of its changes). Filtering
by department shows that department's actions and the company-wide ones (they concern it too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.actions.effects import Measured, effect_of
from actiontrack.actions.queries import group_named_publicly
from actiontrack.changes.words import effect_words, evidence_words, scope_words, status_words
from actiontrack.disclosure import Disclosed
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionStatus,
    ActionTheme,
    Department,
    JobFamily,
    Scope,
    Theme,
)
from actiontrack.paging import page_count, page_number
from actiontrack.params import parse_id
from actiontrack.texts import Localized, Texts

OTHER_THEME = N_("Other changes")
# A page stays small however much has changed: the newest few per theme on the overview, pages of a
# theme's changes when one is chosen, and the newest entries in the feed.
PER_THEME = 5
PAGE_SIZE = 30
FEED_ENTRIES = 50


@dataclass(frozen=True)
class ChangeFilters:
    """The theme and department a reader narrowed /changes to (None: all)."""

    theme_id: int | None = None
    department_id: int | None = None

    def query_string(self, **extra: str) -> str:
        """These filters and `extra` as a query string, leaving out what is unset."""
        values = {"theme": self.theme_id, "department": self.department_id, **extra}
        return urlencode({key: value for key, value in values.items() if value not in (None, "")})


def read_filters(*, theme: str | None, department: str | None, themes: list[Theme]) -> ChangeFilters:
    """A theme by id or code and a department by id; anything unknown means "all"."""
    theme_id = next((t.id for t in themes if theme and (str(t.id) == theme or t.code == theme)), None)
    department_id = parse_id(department)
    return ChangeFilters(theme_id=theme_id, department_id=department_id)



@dataclass
class PublicChange:
    """One published action as every reader may see it."""

    id: int
    title: Localized  # in the reader's language, else another one (the page marks it with `lang`)
    summary: Localized
    status: str
    scope: str
    evidence: str | None
    updated: datetime
    themes: list[str] = field(default_factory=list)
    effect: str | None = None  # did it work, in words (done actions only)


@dataclass
class ThemeGroup:
    """A theme's heading on the page and its changes shown there."""

    name: str
    changes: list[PublicChange]
    theme_id: int | None = None
    # How many changes the theme has in all, when only the newest are shown (see shown_groups).
    total: int | None = None


def visible() -> Any:
    """SQL: the actions /changes shows, published and not cancelled."""
    return and_(ActionItem.published.is_(True), ActionItem.status != ActionStatus.CANCELLED)


def _published(*columns: Any, filters: ChangeFilters, threshold: int) -> Any:
    """Published, not cancelled actions, one row per linked theme, narrowed to the filters."""
    query = (
        select(*columns)
        .outerjoin(ActionTheme, ActionTheme.action_id == ActionItem.id)
        .outerjoin(Theme, Theme.id == ActionTheme.theme_id)
        .outerjoin(ActionEvidence, ActionEvidence.action_id == ActionItem.id)
        .where(visible())
    )
    if filters.theme_id is not None:
        query = query.where(Theme.id == filters.theme_id)
    if filters.department_id is not None:
        query = query.where(or_(
            ActionItem.scope == Scope.COMPANY,
            ~group_named_publicly(threshold=threshold),
            and_(ActionItem.scope == Scope.DEPARTMENT, ActionItem.department_id == filters.department_id),
        ))
    return query


def _updated(published_at: datetime | None, completed_on: date | None) -> datetime:
    """When a change last changed for staff: the later of its publication and its completion."""
    stamps = [stamp for stamp in (published_at, completed_on and datetime.combine(completed_on, time(), tzinfo=UTC))
              if stamp]
    return max(stamps) if stamps else datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ChangeList:
    """What one page (or the feed) of /changes shows."""

    groups: list[ThemeGroup]  # in theme order, each with the changes shown on this page
    changes: list[PublicChange]  # the changes shown, each once (the feed: newest first)
    count: int  # published changes matching the filters, in all
    page: int = 1
    pages: int = 1


async def public_changes(
    session: AsyncSession, *, filters: ChangeFilters, language: str, released: Sequence[Disclosed], threshold: int,
    min_leavers: int = 10, delay_days: int = 30, page: int = 1, newest: int | None = None,
) -> ChangeList:
    """Published actions grouped by theme (in theme order), or the `newest` ones for the feed.

    Two queries: a narrow one orders every matching action, then the page's actions are read whole
    (and only theirs have their effect worked out). Without a theme chosen, a page shows the newest
    PER_THEME changes of each theme, with its total; with one, its changes PAGE_SIZE to a page.
    """
    listed = (await session.execute(
        _published(ActionItem.id, Theme.id, ActionItem.published_at, ActionItem.completed_on, filters=filters,
                   threshold=threshold)
        .order_by(Theme.position.nulls_last(), Theme.id.nulls_last(), ActionItem.published_at.desc(), ActionItem.id)
    )).all()
    by_theme: dict[int | None, list[int]] = {}
    updated: dict[int, datetime] = {}
    for action_id, theme_id, published_at, completed_on in listed:
        by_theme.setdefault(theme_id, []).append(action_id)
        updated[action_id] = _updated(published_at, completed_on)
    number, pages = 1, 1
    shown: dict[int | None, list[int]] = {}  # per theme, what the page shows (the feed: nothing)
    if newest is not None:
        shown_ids = sorted(updated, key=lambda action_id: (updated[action_id], action_id), reverse=True)[:newest]
    else:
        if filters.theme_id is None:
            shown = {theme_id: ids if theme_id is None else ids[:PER_THEME] for theme_id, ids in by_theme.items()}
        else:
            ids = [action_id for theme_ids in by_theme.values() for action_id in theme_ids]
            number = page_number(page, total=len(ids), size=PAGE_SIZE)
            pages = page_count(total=len(ids), size=PAGE_SIZE)
            first = (number - 1) * PAGE_SIZE
            shown = {theme_id: ids[first:first + PAGE_SIZE] for theme_id in by_theme}
        shown_ids = list(dict.fromkeys(action_id for ids in shown.values() for action_id in ids))
    changes, theme_names = await _details(
        session, action_ids=shown_ids, filters=filters, language=language, released=released, threshold=threshold,
        min_leavers=min_leavers, delay_days=delay_days)
    groups = [ThemeGroup(name=theme_names.get(theme_id) or _(OTHER_THEME),
                         changes=[changes[action_id] for action_id in ids], theme_id=theme_id,
                         total=len(by_theme[theme_id]) if filters.theme_id is None and theme_id is not None
                         and len(by_theme[theme_id]) > PER_THEME else None)
              for theme_id, ids in shown.items() if ids]
    return ChangeList(groups=groups, changes=[changes[action_id] for action_id in shown_ids], count=len(updated),
                      page=number, pages=pages)


async def _details(
    session: AsyncSession, *, action_ids: Sequence[int], filters: ChangeFilters, language: str,
    released: Sequence[Disclosed], threshold: int, min_leavers: int, delay_days: int,
) -> tuple[dict[int, PublicChange], dict[int, str]]:
    """The shown actions in the reader's words, and the names of their themes; one query.

    An action whose group had fewer leavers than the threshold in its evidence period is shown one
    level up, as company-wide (and under every department), unless HR chose to name the group.
    """
    if not action_ids:
        return {}, {}
    query = _published(
        ActionItem.id, *ActionItem.title_sql(language), *ActionItem.public_summary_sql(language),
        ActionItem.status, ActionItem.scope, ActionItem.completed_on, ActionItem.published_at,
        Department.label_sql(language), JobFamily.label_sql(language),
        Theme, ActionEvidence.theme_id, ActionEvidence.period_end, ActionItem.department_id,
        ActionItem.job_family_id, group_named_publicly(threshold=threshold), ActionItem.created_at,
        ActionItem.target_share, ActionEvidence.source, filters=filters, threshold=threshold,
    ).outerjoin(Department, Department.id == ActionItem.department_id).outerjoin(
        JobFamily, JobFamily.id == ActionItem.job_family_id,
    ).where(ActionItem.id.in_(action_ids)).order_by(Theme.position.nulls_last(), Theme.id.nulls_last())
    changes: dict[int, PublicChange] = {}
    theme_names: dict[int, str] = {}
    measured: dict[int, tuple[Measured, str]] = {}  # done actions naming their group: what their effect needs
    for (action_id, title_text, title_lang, summary_text, summary_lang, status, scope, completed_on, published_at,
         department, job_family, theme, evidence_theme, evidence_end, department_id, job_family_id, named,
         created_at, target_share, evidence_source) in (await session.execute(query)).all():
        change = changes.get(action_id)
        title, summary = Localized(title_text, title_lang), Localized(summary_text, summary_lang)
        if status == ActionStatus.DONE and named and (evidence_theme or theme):
            # Measured on the evidence's theme, else the first linked one (as on the action page).
            previous = measured.get(action_id)
            theme_id = evidence_theme or min(theme.id, previous[0].theme_id if previous else theme.id)
            group_words = (_("in the company as a whole") if scope == Scope.COMPANY
                           else _("in %(group)s") % {"group": scope_words(scope=scope, department=department,
                                                                          job_family=job_family)})
            titles = Texts(**{title.lang: title.text}) if title.lang else Texts()
            measured[action_id] = (Measured(action_id, titles, "", scope, department_id, job_family_id,
                                            clock.local_day(created_at), completed_on, target_share, theme_id),
                                   group_words)
        if change is None:
            if not named:
                scope, department_id, job_family_id = Scope.COMPANY.value, None, None
            scope_text = scope_words(scope=scope, department=department, job_family=job_family)
            group = scope_text if scope != Scope.COMPANY else _("across the company")
            change = changes[action_id] = PublicChange(
                id=action_id, title=title, summary=summary,
                status=status_words(status=status, completed_on=completed_on), scope=scope_text,
                evidence=evidence_words(
                    released=released, group=group,
                    evidence=(evidence_theme, evidence_end, scope, department_id, job_family_id, evidence_source)),
                updated=_updated(published_at, completed_on),
            )
        theme_name = theme.name(language) if theme else _(OTHER_THEME)
        if theme is not None:
            theme_names[theme.id] = theme_name
        change.themes.append(theme_name)
    memo: dict[tuple[Any, ...], Any] = {}
    for action_id, (action, group_words) in measured.items():
        effect = effect_of(action, released=released, min_leavers=min_leavers, delay_days=delay_days, memo=memo)
        changes[action_id].effect = effect_words(effect, group=group_words, threshold=threshold)
    return changes, theme_names


async def filter_choices(session: AsyncSession) -> tuple[list[Theme], list[Department]]:
    """The active themes and departments a reader may filter by, in the order the form lists them."""
    themes = list((await session.execute(select(Theme).where(Theme.active).order_by(Theme.position, Theme.id))).scalars())
    departments = list((await session.execute(
        select(Department).where(Department.active).order_by(Department.name))).scalars())
    return themes, departments

