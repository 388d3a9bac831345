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
from functools import cache
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Integer, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.actions.effects import Measured, effect_of
from actiontrack.actions.queries import unnamed_groups
from actiontrack.changes.words import effect_words, evidence_words, group_words, scope_words, status_words
from actiontrack.disclosure import Disclosed, Disclosure, group_naming
from actiontrack.disclosure.effects import EffectMeasure
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
from actiontrack.params import MAX_ID, parse_id
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
    published: datetime | None = None  # when it was first shown to staff


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


def _published(*columns: Any, by_theme: bool, by_department: bool, per_theme: bool = True,
               evidence: bool = False) -> Any:
    """Published, not cancelled actions, narrowed to the chosen theme (`by_theme`) and department
    (`by_department`): one row per linked theme (`per_theme`; then only the chosen theme's), else one per
    action; joined to their evidence if asked. The filters' values are bound parameters (_parameters), so
    each statement is built once and serves every theme, department and page."""
    query = select(*columns).select_from(ActionItem).where(visible())
    if per_theme:
        query = query.outerjoin(ActionTheme, ActionTheme.action_id == ActionItem.id)
        if by_theme:
            query = query.where(ActionTheme.theme_id == bindparam("theme_id"))
    elif by_theme:
        chosen = select(ActionTheme.action_id).where(ActionTheme.theme_id == bindparam("theme_id"))
        query = query.where(ActionItem.id.in_(chosen))
    if evidence:
        query = query.outerjoin(ActionEvidence, ActionEvidence.action_id == ActionItem.id)
    if by_department:
        # An action whose group is not named is company-wide for staff: it concerns every department.
        query = query.where(or_(
            ActionItem.scope == Scope.COMPANY,
            ActionItem.id.in_(bindparam("unnamed_ids", expanding=True)),
            and_(ActionItem.scope == Scope.DEPARTMENT, ActionItem.department_id == bindparam("department_id")),
        ))
    return query


def _parameters(filters: ChangeFilters, *, unnamed: set[int], **more: Any) -> dict[str, Any]:
    """The values of the bound parameters of a statement built by _published (and `more`); `unnamed`:
    the actions whose group staff are not told (`unnamed_groups`)."""
    return {"theme_id": filters.theme_id, "department_id": filters.department_id, "unnamed_ids": sorted(unnamed),
            **more}


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


@dataclass
class Listing:
    """Which changes a page shows, per theme in theme order (None: the changes without a theme), before
    they are read whole."""

    shown: dict[int | None, list[int]] = field(default_factory=dict)  # the feed: {None: the newest}
    in_theme: dict[int | None, int] = field(default_factory=dict)  # each shown theme's changes, in all
    count: int = 0
    page: int = 1
    pages: int = 1

    @property
    def action_ids(self) -> list[int]:
        """The shown changes, each once, in the order they first appear."""
        return list(dict.fromkeys(action_id for ids in self.shown.values() for action_id in ids))


def _ranked(*, by_theme: bool, by_department: bool) -> Any:
    """Each matching action under each of its themes, numbered newest first within the theme, with the
    theme's number of actions: the database orders them all, only the rows a page shows leave it."""
    return _published(
        ActionItem.id.label("action_id"), ActionTheme.theme_id.label("theme_id"),
        func.row_number().over(partition_by=ActionTheme.theme_id,
                               order_by=(ActionItem.published_at.desc(), ActionItem.id)).label("rank"),
        func.count().over(partition_by=ActionTheme.theme_id).label("in_theme"),
        by_theme=by_theme, by_department=by_department,
    ).subquery("ranked")


def _in_theme_order(ranked: Any, *columns: Any) -> Any:
    """The ranked rows, in theme order (the changes without a theme last), newest first within a theme."""
    return (select(ranked.c.action_id, ranked.c.theme_id, ranked.c.rank, ranked.c.in_theme, *columns)
            .outerjoin(Theme, Theme.id == ranked.c.theme_id)
            .order_by(Theme.position.nulls_last(), ranked.c.theme_id.nulls_last(), ranked.c.rank))


# The statements below are built once per shape (functools.cache; a few per language at most): building
# one costs more than running it on a small database, as VALIDATOR_QUERY's comment says.


@cache
def _newest_per_theme_query(*, by_department: bool) -> Any:
    ranked = _ranked(by_theme=False, by_department=by_department)
    count = _published(func.count(ActionItem.id), by_theme=False, by_department=by_department, per_theme=False)
    return _in_theme_order(ranked, count.scalar_subquery()).where(
        or_(ranked.c.rank <= PER_THEME, ranked.c.theme_id.is_(None)))


async def _newest_per_theme(session: AsyncSession, *, filters: ChangeFilters, unnamed: set[int]) -> Listing:
    """The overview: the newest PER_THEME changes of each theme (every change without a theme), with the
    theme's total and the number of matching changes, in one query."""
    query = _newest_per_theme_query(by_department=filters.department_id is not None)
    rows = (await session.execute(query, _parameters(filters, unnamed=unnamed))).all()
    listing = Listing(count=rows[0][4] if rows else 0)
    for action_id, theme_id, _rank, in_theme, _count in rows:
        listing.shown.setdefault(theme_id, []).append(action_id)
        listing.in_theme[theme_id] = in_theme
    return listing


@cache
def _theme_page_query(*, by_department: bool) -> Any:
    ranked = _ranked(by_theme=True, by_department=by_department)
    first = bindparam("first", type_=Integer)
    # The requested page and the last page: which of the two is shown needs the total, known in the rows.
    return _in_theme_order(ranked).where(or_(
        and_(ranked.c.rank > first, ranked.c.rank <= first + PAGE_SIZE),
        ranked.c.rank > (ranked.c.in_theme - 1) // PAGE_SIZE * PAGE_SIZE,
    ))


async def _theme_page(session: AsyncSession, *, filters: ChangeFilters, unnamed: set[int], page: int) -> Listing:
    """One theme's changes, PAGE_SIZE to a page; a page past the end shows the last one."""
    query = _theme_page_query(by_department=filters.department_id is not None)
    # Past the last page any start does; kept within a database integer.
    first = min((max(page, 1) - 1) * PAGE_SIZE, MAX_ID - PAGE_SIZE)
    rows = (await session.execute(query, _parameters(filters, unnamed=unnamed, first=first))).all()
    total = rows[0][3] if rows else 0
    number = page_number(page, total=total, size=PAGE_SIZE)
    listing = Listing(count=total, page=number, pages=page_count(total=total, size=PAGE_SIZE))
    first = (number - 1) * PAGE_SIZE
    for action_id, theme_id, rank, in_theme in rows:
        if first < rank <= first + PAGE_SIZE:
            listing.shown.setdefault(theme_id, []).append(action_id)
            listing.in_theme[theme_id] = in_theme
    return listing


@cache
def _newest_overall_query(*, by_theme: bool, by_department: bool) -> Any:
    return _published(ActionItem.id, ActionItem.published_at, ActionItem.completed_on, by_theme=by_theme,
                      by_department=by_department, per_theme=False)


async def _newest_overall(session: AsyncSession, *, filters: ChangeFilters, unnamed: set[int],
                          newest: int) -> Listing:
    """The feed: the `newest` changes by the later of publication and completion, each once."""
    query = _newest_overall_query(by_theme=filters.theme_id is not None,
                                  by_department=filters.department_id is not None)
    rows = (await session.execute(query, _parameters(filters, unnamed=unnamed))).all()
    updated = {action_id: _updated(published_at, completed_on) for action_id, published_at, completed_on in rows}
    ids = sorted(updated, key=lambda action_id: (updated[action_id], action_id), reverse=True)[:newest]
    return Listing(shown={None: ids}, count=len(updated))


async def public_changes(
    session: AsyncSession, *, filters: ChangeFilters, language: str, released: Sequence[Disclosed],
    disclosure: Disclosure,
    min_leavers: int = 10, delay_days: int = 30, page: int = 1, newest: int | None = None,
) -> ChangeList:
    """Published actions grouped by theme (in theme order), or the `newest` ones for the feed.

    Two queries: the listing picks the changes shown (the database numbers every matching one, only
    those shown come back), then those are read whole, with their effect worked out. Without a theme
    chosen, a page shows the newest PER_THEME changes of each theme, with its total; with one, its
    changes PAGE_SIZE to a page.
    """
    # Which groups go unnamed is worked out for the shown changes as they are read; filtering by department
    # needs it for all of them beforehand (one more query).
    unnamed = (await unnamed_groups(session, released=released, where=visible())
               if filters.department_id is not None else set())
    if newest is not None:
        listing = await _newest_overall(session, filters=filters, unnamed=unnamed, newest=newest)
    elif filters.theme_id is None:
        listing = await _newest_per_theme(session, filters=filters, unnamed=unnamed)
    else:
        listing = await _theme_page(session, filters=filters, unnamed=unnamed, page=page)
    shown_ids = listing.action_ids
    changes, theme_names = await _details(
        session, action_ids=shown_ids, filters=filters, language=language, released=released, disclosure=disclosure,
        unnamed=unnamed, min_leavers=min_leavers, delay_days=delay_days)
    groups = [] if newest is not None else [
        ThemeGroup(name=theme_names.get(theme_id) or _(OTHER_THEME), changes=[changes[action_id] for action_id in ids],
                   theme_id=theme_id,
                   total=listing.in_theme[theme_id] if filters.theme_id is None and theme_id is not None
                   and listing.in_theme[theme_id] > PER_THEME else None)
        for theme_id, ids in listing.shown.items()]
    return ChangeList(groups=groups, changes=[changes[action_id] for action_id in shown_ids], count=listing.count,
                      page=listing.page, pages=listing.pages)


@cache
def _details_query(language: str, *, by_theme: bool, by_department: bool) -> Any:
    return _published(
        ActionItem.id, *ActionItem.title_sql(language), *ActionItem.public_summary_sql(language),
        ActionItem.status, ActionItem.scope, ActionItem.completed_on, ActionItem.published_at,
        Department.label_sql(language), JobFamily.label_sql(language),
        Theme, ActionEvidence.theme_id, ActionEvidence.period_end, ActionItem.department_id,
        ActionItem.job_family_id, ActionItem.name_group_publicly, ActionItem.created_at,
        ActionItem.target_share, ActionEvidence.source, by_theme=by_theme, by_department=by_department, evidence=True,
    ).outerjoin(Theme, Theme.id == ActionTheme.theme_id).outerjoin(
        Department, Department.id == ActionItem.department_id,
    ).outerjoin(JobFamily, JobFamily.id == ActionItem.job_family_id).where(
        ActionItem.id.in_(bindparam("action_ids", expanding=True)),
    ).order_by(Theme.position.nulls_last(), Theme.id.nulls_last())


async def _details(
    session: AsyncSession, *, action_ids: Sequence[int], filters: ChangeFilters, language: str,
    released: Sequence[Disclosed], disclosure: Disclosure, unnamed: set[int], min_leavers: int, delay_days: int,
) -> tuple[dict[int, PublicChange], dict[int, str]]:
    """The shown actions in the reader's words, and the names of their themes; one query.

    An action whose group's leavers are not shown in the released period behind its evidence
    (`disclosure.group_naming`) is shown one level up, as company-wide, unless HR chose to name the group.
    """
    if not action_ids:
        return {}, {}
    query = _details_query(language, by_theme=filters.theme_id is not None,
                           by_department=filters.department_id is not None)
    rows = (await session.execute(query, _parameters(filters, unnamed=unnamed, action_ids=list(action_ids)))).all()
    changes: dict[int, PublicChange] = {}
    theme_names: dict[int, str] = {}
    measured: dict[int, tuple[Measured, str]] = {}  # done actions naming their group: what their effect needs
    for (action_id, title_text, title_lang, summary_text, summary_lang, status, scope, completed_on, published_at,
         department, job_family, theme, evidence_theme, evidence_end, department_id, job_family_id, name_chosen,
         created_at, target_share, evidence_source) in rows:
        named = name_chosen or evidence_end is None or group_naming(
            released, period_end=evidence_end, source=evidence_source, scope=scope, department_id=department_id,
            job_family_id=job_family_id).named
        change = changes.get(action_id)
        title, summary = Localized(title_text, title_lang), Localized(summary_text, summary_lang)
        if status == ActionStatus.DONE and named and (evidence_theme or theme):
            # Measured on the evidence's theme, else the first linked one (as on the action page).
            previous = measured.get(action_id)
            theme_id = evidence_theme or min(theme.id, previous[0].theme_id if previous else theme.id)
            whose = group_words(scope=scope, department=department, job_family=job_family)
            titles = Texts(**{title.lang: title.text}) if title.lang else Texts()
            measured[action_id] = (Measured(action_id, titles, "", scope, department_id, job_family_id,
                                            clock.local_day(created_at), completed_on, target_share, theme_id),
                                   whose)
        if change is None:
            if not named:
                scope, department_id, job_family_id = Scope.COMPANY.value, None, None
            scope_text = scope_words(scope=scope, department=department, job_family=job_family)
            group = group_words(scope=scope, department=department, job_family=job_family)
            change = changes[action_id] = PublicChange(
                id=action_id, title=title, summary=summary,
                status=status_words(status=status, completed_on=completed_on), scope=scope_text,
                evidence=evidence_words(
                    released=released, group=group, disclosure=disclosure,
                    evidence=(evidence_theme, evidence_end, scope, department_id, job_family_id, evidence_source)),
                updated=_updated(published_at, completed_on), published=_updated(published_at, None),
            )
        theme_name = theme.name(language) if theme else _(OTHER_THEME)
        if theme is not None:
            theme_names[theme.id] = theme_name
        change.themes.append(theme_name)
    measure = EffectMeasure(released, min_leavers=min_leavers, delay_days=delay_days)
    for action_id, (action, whose) in measured.items():
        effect = effect_of(action, measure=measure)
        changes[action_id].effect = effect_words(effect, group=whose, disclosure=disclosure)
    return changes, theme_names


ACTIVE_THEMES = select(Theme).where(Theme.active).order_by(Theme.position, Theme.id)
ACTIVE_DEPARTMENTS = select(Department).where(Department.active).order_by(Department.name)


async def filter_choices(session: AsyncSession) -> tuple[list[Theme], list[Department]]:
    """The active themes and departments a reader may filter by, in the order the form lists them."""
    themes = list((await session.execute(ACTIVE_THEMES)).scalars())
    departments = list((await session.execute(ACTIVE_DEPARTMENTS)).scalars())
    return themes, departments

