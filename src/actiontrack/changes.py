"""The public "What we changed" page and its Atom feed: published actions, in plain words, anonymity-safe.

Only an action's title, public summary, status, scope and evidence counts ever leave this module;
owners, notes, descriptions and interviews are never selected. An action with several themes is
listed under each of its themes (a reader following one theme sees all of its changes). Filtering
by department shows that department's actions and the company-wide ones (they concern it too).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from email.utils import format_datetime, parsedate_to_datetime
from time import monotonic
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.datastructures import Headers, State
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.csrf import generate_csrf_token
from litestar.params import FromQuery
from litestar.response import Template
from litestar.types import ASGIApp, Message, Receive, Send
from litestar.types import Scope as ASGIScope
from markupsafe import Markup
from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from actiontrack import clock
from actiontrack.actions.effects import Measured, effect_of
from actiontrack.actions.queries import group_named_publicly
from actiontrack.disclosure import Disclosed, evidence_cell, released_for
from actiontrack.disclosure.effects import Effect, Verdict
from actiontrack.i18n import N_, current_language, format_month
from actiontrack.i18n import gettext as _
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionStatus,
    ActionTheme,
    Department,
    JobFamily,
    ReportingPeriod,
    Scope,
    Theme,
    User,
)
from actiontrack.paging import page_count, page_number
from actiontrack.params import clean_text, one_line, parse_id
from actiontrack.settings import Settings
from actiontrack.texts import Localized, Texts

logger = logging.getLogger("actiontrack.changes")

OTHER_THEME = N_("Other changes")
# A page stays small however much has changed: the newest few per theme on the overview, pages of a
# theme's changes when one is chosen, and the newest entries in the feed.
PER_THEME = 5
PAGE_SIZE = 30
FEED_ENTRIES = 50


# --- filters and rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeFilters:
    theme_id: int | None = None
    department_id: int | None = None

    def query_string(self, **extra: str) -> str:
        values = {"theme": self.theme_id, "department": self.department_id, **extra}
        return urlencode({key: value for key, value in values.items() if value not in (None, "")})


def read_filters(*, theme: str | None, department: str | None, themes: list[Theme]) -> ChangeFilters:
    """A theme by id or code and a department by id; anything unknown means "all"."""
    theme_id = next((t.id for t in themes if theme and (str(t.id) == theme or t.code == theme)), None)
    department_id = parse_id(department)
    return ChangeFilters(theme_id=theme_id, department_id=department_id)


def status_words(*, status: str, completed_on: date | None) -> str:
    """The status as staff would say it: planned, under way, done in March 2026."""
    if status == ActionStatus.DONE:
        return _("Done in %(month)s") % {"month": format_month(completed_on)} if completed_on else _("Done")
    if status == ActionStatus.PLANNED:
        return _("Planned")
    return _("Under way")


def scope_words(*, scope: str, department: str | None, job_family: str | None) -> str:
    if scope == Scope.DEPARTMENT and department:
        return department
    if scope == Scope.JOB_FAMILY and job_family:
        return job_family
    return _("Company-wide")


def evidence_words(*, released: Sequence[Disclosed], evidence: tuple[Any, ...] | None, group: str) -> str | None:
    """Why the action exists, from the released period's figures as the theme radar shows them: a count
    only when it is shown there and at least the anonymity threshold, never a figure of a hidden group."""
    if evidence is None or evidence[0] is None:
        return None
    theme_id, period_end, scope, department_id, job_family_id, source = evidence
    period, raised, _leavers, hidden = evidence_cell([item.of_source(source or "exit") for item in released],
                                                     period_end=period_end, scope=scope,
                                                     department_id=department_id, job_family_id=job_family_id,
                                                     theme_id=theme_id)
    if period is None or hidden or raised < period.threshold:
        return _("Raised by several colleagues")
    if source == "stay":
        return _("Raised by %(count)s colleagues from %(group)s in stay interviews in %(period)s") % {
            "count": raised, "group": group, "period": period.span.label}
    return _("Raised by %(count)s leavers from %(group)s in %(period)s") % {
        "count": raised, "group": group, "period": period.span.label,
    }


def effect_words(effect: Effect | None, *, group: str, threshold: int) -> str | None:
    """Whether a done action worked, in words staff may read: only a measured verdict whose two sides
    (pooled from shown figures) both reach the anonymity threshold, and never a figure."""
    if effect is None or not effect.measured or effect.before is None or effect.after is None:
        return None
    if min(effect.before.leavers, effect.after.leavers) < threshold:
        return None
    if effect.verdict in {Verdict.TARGET_MET, Verdict.IMPROVING}:
        words = _("Since then, fewer leavers %(group)s name this.")
    elif effect.verdict == Verdict.WORSE:
        words = _("Since then, more leavers %(group)s name this; the work goes on.")
    else:
        words = _("Since then, leavers %(group)s name this about as often as before.")
    words = words % {"group": group}
    if effect.verdict != Verdict.NO_CHANGE and effect.uncertain:
        words += " " + _("The numbers are still small, so this may be chance.")
    return words


# --- queries ----------------------------------------------------------------------------------


@dataclass
class PublicChange:
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
    name: str
    changes: list[PublicChange]
    theme_id: int | None = None
    # How many changes the theme has in all, when only the newest are shown (see shown_groups).
    total: int | None = None


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime | None
    # The state of the public data alone: the same for every visitor and in every worker.
    version: str = ""


def _visible():  # noqa: ANN202
    return and_(ActionItem.published.is_(True), ActionItem.status != ActionStatus.CANCELLED)


def _names(table: Any, *columns: Any) -> Any:
    """Every row of a small naming table as one string, so a renamed theme or department changes it."""
    joined = cast(table.id, String)
    for column in columns:
        joined = joined + "\x1f" + cast(column, String)
    return select(func.aggregate_strings(joined, "\x1e")).scalar_subquery()


# Built once: constructing this statement costs more than running it on a small database.
VALIDATOR_QUERY = select(
    func.max(ActionItem.updated_at),
    # Every change through the app bumps an action's version, even within one clock tick.
    func.coalesce(func.sum(ActionItem.version), 0),
    func.count(ActionItem.id).filter(_visible()),
    func.coalesce(func.sum(ActionItem.id).filter(_visible()), 0),
    func.max(ActionItem.published_at),
    _names(Theme, Theme.code, Theme.name_nl, Theme.name_fr, Theme.name_en, Theme.position, Theme.active),
    _names(Department, Department.name, Department.name_nl, Department.name_fr, Department.name_en,
           Department.active),
    _names(JobFamily, JobFamily.name, JobFamily.name_nl, JobFamily.name_fr, JobFamily.name_en),
    # A newly released period changes the evidence shown.
    select(func.max(ReportingPeriod.id)).scalar_subquery(),
)


def validator(row: Sequence[Any], *, key: str) -> Validator:
    """The validators of a page from the VALIDATOR_QUERY row and what else the answer depends on."""
    latest, last_published = row[0], row[4]
    stamps = [stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp for stamp in (latest, last_published)
              if stamp]
    last_modified = max(stamps) if stamps else None
    version = hashlib.sha256("|".join(map(str, row)).encode()).hexdigest()[:32]
    digest = hashlib.sha256(f"{version}|{key}".encode()).hexdigest()[:32]
    return Validator(etag=f'"{digest}"', last_modified=last_modified, version=version)


class SharedValidatorQuery:
    """Runs VALIDATOR_QUERY once for all the requests that arrive while the previous run is under way.

    In a burst, a worker then asks the database about once per query time instead of once per
    request. A request only ever shares a run that starts after it arrived, so it still sees every
    change committed before it came in, whichever worker made it, unless `max_age` is set: then an
    answer younger than `max_age` seconds is reused as is (ACTIONTRACK_CHANGES_MAX_STALE_SECONDS),
    so a change made on another worker shows at most that long after it was committed.
    """

    def __init__(self, engine: AsyncEngine, *, max_age: float = 0.0, clock: Callable[[], float] = monotonic) -> None:
        self.engine = engine
        self.max_age, self.clock = max_age, clock
        self.waiting: asyncio.Future[Sequence[Any]] | None = None
        self.runner: asyncio.Task[None] | None = None
        self.latest: tuple[float, Sequence[Any]] | None = None

    async def row(self) -> Sequence[Any]:
        if self.latest is not None and self.clock() - self.latest[0] < self.max_age:
            return self.latest[1]
        if self.waiting is None:
            self.waiting = asyncio.get_running_loop().create_future()
        waiting = self.waiting
        if self.runner is None or self.runner.done():
            self.runner = asyncio.create_task(self._run())
        # Shielded: a visitor who goes away must not cancel the answer of the others.
        return await asyncio.shield(waiting)

    async def _run(self) -> None:
        while self.waiting is not None:
            answer, self.waiting = self.waiting, None
            started = self.clock()
            try:
                async with self.engine.connect() as connection:
                    row = (await connection.execute(VALIDATOR_QUERY)).one()
                self.latest = (started, row)
                answer.set_result(row)
            except Exception as exc:  # noqa: BLE001 - handed to every request waiting for this run
                if not answer.done():
                    answer.set_exception(exc)


VALIDATOR_ROW = "actiontrack.changes.validator_row"  # in the ASGI scope, when NewVisitorCache already asked


def shared_validator(state: State) -> SharedValidatorQuery:
    """The worker's one SharedValidatorQuery."""
    query = state.get("changes_validator")
    if query is None:
        settings: Settings = state.settings
        query = state.changes_validator = SharedValidatorQuery(state.engine, max_age=settings.changes_max_stale_seconds)
    return query


def _published(*columns: Any, filters: ChangeFilters, threshold: int) -> Any:
    """Published, not cancelled actions, one row per linked theme, narrowed to the filters."""
    query = (
        select(*columns)
        .outerjoin(ActionTheme, ActionTheme.action_id == ActionItem.id)
        .outerjoin(Theme, Theme.id == ActionTheme.theme_id)
        .outerjoin(ActionEvidence, ActionEvidence.action_id == ActionItem.id)
        .where(_visible())
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
    themes = list((await session.execute(select(Theme).where(Theme.active).order_by(Theme.position, Theme.id))).scalars())
    departments = list((await session.execute(
        select(Department).where(Department.active).order_by(Department.name))).scalars())
    return themes, departments


# --- HTTP caching -----------------------------------------------------------------------------


def is_fresh(request: Request, found: Validator) -> bool:
    """True when the client's copy is still current (If-None-Match first, as RFC 9110 says)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or found.etag in tags
    since = request.headers.get("if-modified-since")
    if since and found.last_modified is not None:
        try:
            return found.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def caching_headers(found: Validator) -> dict[str, str]:
    headers = {"ETag": found.etag, "Cache-Control": "private, no-cache", "Vary": "HX-Request, Cookie, Accept-Language"}
    if found.last_modified is not None:
        headers["Last-Modified"] = format_datetime(found.last_modified.astimezone(UTC), usegmt=True)
    return headers


def check_access(request: Request) -> None:
    settings: Settings = request.app.state.settings
    if settings.changes_access == "signed_in" and request.user is None:
        raise NotAuthorizedException(_("Please sign in."))


async def _prepare(
    request: Request, *, kind: str, theme: str | None, department: str | None,
) -> tuple[Validator, Response | None]:
    check_access(request)
    user: User | None = request.user
    key = f"{kind}|{current_language()}|{theme}|{department}|{bool(request.htmx)}|{user.id if user else '-'}"
    row = request.scope.get(VALIDATOR_ROW) or await shared_validator(request.app.state).row()
    found = validator(row, key=key)
    if is_fresh(request, found):
        return found, Response(b"", status_code=304, headers=caching_headers(found))
    return found, None


# --- server-side cache ------------------------------------------------------------------------


class RenderedCache:
    """The rendered list, page content and feed, shared by everyone; a small LRU bounded in size.

    What is cached is only what is identical for every visitor: the page's content (title,
    filters, list, feed link), the HTMX list and the feed. The shell around the content (the CSRF
    token in <body data-hx-headers>, the signed-in user's navigation and name, the language switcher
    pointing back to this URL) is rendered for each request from base.html, which costs no query,
    so a person can never be served someone else's token or menu, signed in or not.

    The key starts with the validator's data version, computed from the database on every
    request. The app runs as several stateless workers: when any of them publishes, edits or
    unpublishes an action (or renames a theme or department), the version changes for all of them
    at their next request, without any signal between workers; stale entries just fall out of the
    LRU. Each worker holds its own copy.
    """

    def __init__(self, *, max_entries: int = 128, max_chars: int = 64_000_000) -> None:
        self.max_entries, self.max_chars = max_entries, max_chars
        self.entries: OrderedDict[tuple[str, ...], str | bytes] = OrderedDict()
        self.chars = 0

    def get(self, key: tuple[str, ...]) -> str | bytes | None:
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
        return value

    def put(self, key: tuple[str, ...], value: str | bytes) -> None:
        if key in self.entries:
            self.chars -= len(self.entries.pop(key))
        self.entries[key] = value
        self.chars += len(value)
        while self.entries and (len(self.entries) > self.max_entries or self.chars > self.max_chars):
            self.chars -= len(self.entries.popitem(last=False)[1])


def rendered_cache(state: State) -> RenderedCache:
    """The worker's one RenderedCache (made when first needed, not on every request)."""
    cache = state.get("changes_cache")
    if cache is None:
        cache = state.changes_cache = RenderedCache()
    return cache


async def rendered(request: Request, db: AsyncSession, *, found: Validator, kind: str, theme: str | None,
                   department: str | None, page: int = 1) -> str | bytes:
    """The page content, the HTMX list or the feed: from the cache while the data is unchanged."""
    settings: Settings = request.app.state.settings
    language = current_language()
    base = str(request.base_url).rstrip("/")
    # The feed holds absolute links, hence the base URL in its key.
    key = (found.version, kind, language, theme or "", department or "", str(page), settings.changes_access,
           base if kind == "feed" else "")
    cache = rendered_cache(request.app.state)
    body = cache.get(key)
    if body is not None:
        return body
    themes, departments = await filter_choices(db)
    filters = read_filters(theme=theme, department=department, themes=themes)
    released = await released_for(request.app.state, db, release=False)
    listing = await public_changes(db, filters=filters, language=language, released=released,
                                   threshold=settings.anonymity_threshold, min_leavers=settings.effect_min_leavers,
                                   delay_days=settings.release_delay_days, page=page,
                                   newest=FEED_ENTRIES if kind == "feed" else None)
    if kind == "feed":
        body = atom_feed(changes=listing.changes, base=base, language=language, filters=filters)
    else:
        context = {"groups": listing.groups, "count": listing.count, "themes": themes, "departments": departments,
                   "filters": filters, "language": language, "page": listing.page, "pages": listing.pages,
                   "page_query": lambda page: filters.query_string(lang=language, page=str(page))}
        body = request.app.template_engine.engine.get_template(f"changes/{kind}.html").render(context)
    cache.put(key, body)
    return body


@dataclass(frozen=True)
class RecordedPage:
    """A whole /changes response as sent to one new visitor, and the CSRF token it carried."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    token: bytes

    def __len__(self) -> int:
        return len(self.body)

    def for_visitor(self, token: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
        body = self.body.replace(self.token, token)
        headers = [(name, str(len(body)).encode() if name == b"content-length" else value.replace(self.token, token))
                   for name, value in self.headers]
        return headers, body


class NewVisitorCache:
    """ASGI middleware: /changes for visitors without any cookie, replayed from a recorded response.

    An all-staff email brings thousands of new visitors in minutes. Their pages differ only by the
    CSRF token of the language switcher (the token is also their new cookie), so the first such
    response for a query string, Accept-Language and data version is recorded whole as it leaves
    the app (every header included), and later visitors get a copy carrying a token of their own,
    without the app's middleware, routing, dependencies and templates. Anyone with a cookie (signed
    in, or coming back), HTMX requests and conditional requests take the normal way.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        state = scope["litestar_app"].state
        row = await shared_validator(state).row()
        version = validator(row, key="").version
        # Read as the app reads them (the first of repeated headers), so a request cannot file a
        # page in one language under another language's key.
        headers = Headers.from_scope(scope)
        key = (version, "new visitor", scope["query_string"].decode("latin-1"),
               headers.get("accept-language", ""), headers.get("host", ""))
        cache = rendered_cache(state)
        recorded = cache.get(key)
        if isinstance(recorded, RecordedPage):
            csrf_secret = scope["litestar_app"].csrf_config.secret
            page_headers, body = recorded.for_visitor(generate_csrf_token(secret=csrf_secret).encode())
            await send({"type": "http.response.start", "status": recorded.status, "headers": page_headers})
            await send({"type": "http.response.body", "body": body})
            return
        messages: list[Message] = []

        async def record(message: Message) -> None:
            messages.append(message)
            await send(message)

        scope[VALIDATOR_ROW] = row  # type: ignore[typeddict-unknown-key] # the page need not ask again
        await self.app(scope, receive, record)
        page = self._recorded(messages, cookie=scope["litestar_app"].csrf_config.cookie_name.encode())
        if page is not None:
            cache.put(key, page)

    @staticmethod
    def _applies(scope: ASGIScope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/changes":
            return False
        if scope["litestar_app"].state.settings.changes_access != "public":
            return False
        names = {name for name, _value in scope["headers"]}
        return not names & {b"cookie", b"authorization", b"hx-request", b"if-none-match", b"if-modified-since"}

    @staticmethod
    def _recorded(messages: list[Message], *, cookie: bytes) -> RecordedPage | None:
        """The response, if it is a complete 200 page that set a new CSRF cookie (and nothing else)."""
        if not messages or messages[0]["type"] != "http.response.start" or messages[0]["status"] != 200:
            return None
        cookies = [value for name, value in messages[0]["headers"] if name.lower() == b"set-cookie"]
        if len(cookies) != 1 or not cookies[0].startswith(cookie + b"="):
            return None
        token = cookies[0].split(b";", 1)[0].removeprefix(cookie + b"=")
        body = b"".join(message.get("body", b"") for message in messages[1:])
        if len(token) < 32 or messages[-1].get("more_body"):
            return None
        headers = [(name.lower(), value) for name, value in messages[0]["headers"]]
        return RecordedPage(status=200, headers=headers, body=body, token=token)


# --- routes -----------------------------------------------------------------------------------


@get("/changes", name="changes")
async def changes_page(
    request: Request, db: NamedDependency[AsyncSession],
    theme: FromQuery[str | None] = None, department: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template | Response:
    number = parse_id(page) or 1
    found, not_modified = await _prepare(request, kind=f"page {number}", theme=theme, department=department)
    if not_modified is not None:
        return not_modified
    if request.htmx:
        body = await rendered(request, db, found=found, kind="_list", theme=theme, department=department, page=number)
        return Response(body, media_type="text/html; charset=utf-8", headers=caching_headers(found))
    content = await rendered(request, db, found=found, kind="_content", theme=theme, department=department,
                             page=number)
    # Markup: the content was rendered (and escaped) by our own templates, above.
    return Template("changes/index.html", context={"content": Markup(content)}, headers=caching_headers(found))


@get("/changes.atom", name="changes.feed")
async def changes_feed(
    request: Request, db: NamedDependency[AsyncSession],
    theme: FromQuery[str | None] = None, department: FromQuery[str | None] = None,
) -> Response:
    found, not_modified = await _prepare(request, kind="feed", theme=theme, department=department)
    if not_modified is not None:
        return not_modified
    body = await rendered(request, db, found=found, kind="feed", theme=theme, department=department)
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers=caching_headers(found))


def atom_feed(*, changes: list[PublicChange], base: str, language: str, filters: ChangeFilters) -> bytes:
    """Newest first by the later of publication and completion."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    query = filters.query_string(lang=language)
    ET.SubElement(feed, f"{{{ns}}}title").text = _("What we changed")
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{base}/changes.atom"
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "self", "href": f"{base}/changes.atom?{query}"})
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base}/changes?{query}"})
    ordered = sorted(changes, key=lambda change: (change.updated, change.id), reverse=True)[:FEED_ENTRIES]
    newest = ordered[0].updated if ordered else datetime(1970, 1, 1, tzinfo=UTC)
    ET.SubElement(feed, f"{{{ns}}}updated").text = newest.isoformat()
    ET.SubElement(ET.SubElement(feed, f"{{{ns}}}author"), f"{{{ns}}}name").text = "actiontrack"
    for change in ordered:
        try:
            feed.append(_atom_entry(change, ns=ns, base=base, language=language))
        except Exception:  # one odd row must not break the feed for every subscriber
            logger.exception("changes feed: action %s skipped, it cannot be written as an entry", change.id)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _xml_lang(text: Localized, language: str) -> dict[str, str]:
    """xml:lang for an element whose text is not in the feed's language (a fallback)."""
    return {"{http://www.w3.org/XML/1998/namespace}lang": text.lang} if text.differs_from(language) else {}


def _atom_entry(change: PublicChange, *, ns: str, base: str, language: str) -> ET.Element:
    # XML 1.0 allows no control characters but tab and line ends: an entry with one is invalid for every reader.
    entry = ET.Element(f"{{{ns}}}entry")
    ET.SubElement(entry, f"{{{ns}}}title", _xml_lang(change.title, language)).text = one_line(change.title.text)
    ET.SubElement(entry, f"{{{ns}}}id").text = f"{base}/changes#change-{change.id}"
    ET.SubElement(entry, f"{{{ns}}}link", {"href": f"{base}/changes?lang={language}#change-{change.id}"})
    ET.SubElement(entry, f"{{{ns}}}updated").text = change.updated.isoformat()
    for name in change.themes:
        ET.SubElement(entry, f"{{{ns}}}category", {"term": one_line(name)})
    if change.summary.text:
        ET.SubElement(entry, f"{{{ns}}}summary", {"type": "text", **_xml_lang(change.summary, language)}).text = \
            clean_text(change.summary.text)
    lines = [change.summary.text, f"{_('Status')}: {change.status}", f"{_('Scope')}: {change.scope}"]
    lines += [words for words in (change.evidence, change.effect) if words]
    ET.SubElement(entry, f"{{{ns}}}content", {"type": "text"}).text = clean_text("\n\n".join(lines))
    ET.tostring(entry)  # anything else that cannot be serialised fails here, for this entry alone
    return entry


routes = [changes_page, changes_feed]
