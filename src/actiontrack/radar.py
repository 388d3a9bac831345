"""The theme radar: which themes recur in which department or job family, and how each group's leavers felt.

HR sees live figures over any dates. Anyone else sees released reporting periods only, as the
disclosure package suppresses them (actiontrack.disclosure).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from markupsafe import Markup
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock, leaver_counts
from actiontrack.auth import requires
from actiontrack.disclosure import (
    parse_key,
    period_containing,
    released_for,
    released_radar,
)
from actiontrack.disclosure.tables import Cell, Group, Radar, ThemeRow, is_recurring
from actiontrack.disclosure.views import SCORE_NAMES, SOURCES
from actiontrack.i18n import N_, current_language
from actiontrack.i18n import gettext as _
from actiontrack.interviews import EARLIEST_EXIT_DATE, QUESTION_LABELS, parse_date
from actiontrack.leaver_counts import GroupCounts
from actiontrack.models import (
    Department,
    ExitInterview,
    JobFamily,
    ReportingPeriod,
    Role,
    Theme,
    User,
)
from actiontrack.rendered import data_version, rendered_of
from actiontrack.settings import Settings

GROUPINGS = {"department": N_("Departments"), "job_family": N_("Job families")}
SOURCE_LABELS = {"exit": N_("Exit interviews"), "stay": N_("Stay interviews"), "both": N_("Both")}
STAY_QUESTION_LABELS = {
    "growth_score": N_("Growth"),
    "recognition_score": N_("Recognition"),
    "manager_support_score": N_("Manager support"),
    "workload_score": N_("Workload"),
}
DEFAULT_MONTHS = 6


# --- periods ----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day some months later (or earlier), or the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    next_month = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (next_month - timedelta(days=1)).day))


@dataclass(frozen=True)
class Period:
    """Exit dates from start to end, both included."""

    start: date
    end: date

    def months(self) -> int | None:
        """How many months the period spans when it is a run of whole months back from its end, else None."""
        after_end = self.end + timedelta(days=1)
        for months in range(1, 12 * 30):
            back = add_months(after_end, -months)
            if back == self.start:
                return months
            if back < self.start:
                return None
        return None

    def previous(self) -> Period:
        """The period of the same length just before: the 6 months before 6 months, else as many days."""
        months = self.months()
        if months is not None:
            return Period(add_months(self.start, -months), self.start - timedelta(days=1))
        length = self.end - self.start + timedelta(days=1)
        return Period(self.start - length, self.start - timedelta(days=1))


def default_period(*, today: date) -> Period:
    """HR's default: the last 6 months up to today."""
    return Period(add_months(today, -DEFAULT_MONTHS) + timedelta(days=1), today)


def read_period(*, start: str | None, end: str | None, today: date) -> tuple[Period, list[str]]:
    """The period asked for in the query string, or the default with a message saying why."""
    errors: list[str] = []
    default = default_period(today=today)
    chosen_start = parse_date(start) if start else default.start
    chosen_end = parse_date(end) if end else default.end
    if chosen_start is None or chosen_end is None:
        errors.append(_("Dates are written year-month-day, for example %(example)s; the default period is shown.")
                      % {"example": default.start.isoformat()})
        period = default
    elif chosen_start > chosen_end:
        errors.append(_("The period must start before it ends; the default period is shown."))
        period = default
    else:
        period = Period(max(chosen_start, EARLIEST_EXIT_DATE), min(chosen_end, today))
        if period.start > period.end:
            errors.append(_("The period must start before it ends; the default period is shown."))
            period = default
    return period, errors


# --- the figures ------------------------------------------------------------------------------


async def groups_and_themes(session: AsyncSession, *, by: str) -> tuple[Any, ...]:
    """The departments (with headcount) or job families, and the themes, in display order."""
    model = Department if by == "department" else JobFamily
    # Named in the reader's language (else the key name); the rendered tables are cached per language.
    group_columns = [model.id, model.label_sql().label("name"), model.active]
    if model is Department:
        group_columns.append(Department.headcount)
    groups = (await session.execute(select(*group_columns).order_by(model.name, model.id))).all()
    themes = (await session.execute(select(Theme).order_by(Theme.position, Theme.id))).scalars().all()
    return groups, themes


async def _counts(session: AsyncSession, *, by: str, source: str, periods: list[tuple[date, date]]) -> tuple[Any, ...]:
    """Per period, each group's counts and the people raising each theme, from exits, stays or both."""
    if source == "exit":
        return await leaver_counts.counts_for(session, grouping=by, periods=periods)
    stays = await leaver_counts.stay_counts_for(session, grouping=by, periods=periods)
    if source == "stay":
        return stays
    exits = await leaver_counts.counts_for(session, grouping=by, periods=periods)
    groups = [{group_id: GroupCounts(exit_groups.get(group_id, GroupCounts()).leavers
                                     + stay_groups.get(group_id, GroupCounts()).leavers)
               for group_id in {*exit_groups, *stay_groups}}
              for exit_groups, stay_groups in zip(exits[0], stays[0], strict=True)]
    raised = [{key: exit_raised.get(key, 0) + stay_raised.get(key, 0) for key in {*exit_raised, *stay_raised}}
              for exit_raised, stay_raised in zip(exits[1], stays[1], strict=True)]
    return groups, raised


async def _figures(session: AsyncSession, *, by: str, period: Period, previous: Period,
                   source: str = "exit") -> tuple[Any, ...]:
    """Groups, themes, theme counts and group figures of the two periods (a constant number of queries)."""
    groups, themes = await groups_and_themes(session, by=by)
    (now, before), (raised_now, raised_before) = await _counts(
        session, by=by, source=source, periods=[(period.start, period.end), (previous.start, previous.end)])
    counts = [(theme_id, group_id, raised_now.get((theme_id, group_id), 0), raised_before.get((theme_id, group_id), 0))
              for theme_id, group_id in {*raised_now, *raised_before}]
    figures = [
        (group_id, now_counts.leavers, before.get(group_id, GroupCounts()).leavers, *now_counts.sums,
         now_counts.would_return, now_counts.promoters, now_counts.detractors)
        for group_id in {*now, *before}
        for now_counts in (now.get(group_id, GroupCounts()),)
    ]
    return groups, themes, counts, figures


async def build_radar(
    session: AsyncSession,
    *,
    by: str,
    period: Period,
    threshold: int,
    min_leavers: int,
    min_share: float,
    source: str = "exit",
) -> Radar:
    """HR's live radar for any period and its previous one: every figure, nothing hidden.

    `source`: leavers' exit interviews, stay interviews (people interviewed count as `leavers`, with the
    stay scores) or both added up (no scores: the questions differ)."""
    previous = period.previous()
    group_rows, themes, counts, figure_rows = await _figures(session, by=by, period=period, previous=previous,
                                                             source=source)
    figures = {row[0]: row[1:] for row in figure_rows}
    zero = (0, 0, 0, 0, 0, 0, 0, 0, 0)
    score_names = SCORE_NAMES[source]
    # Retired groups and themes appear while they have leavers in the two periods.
    shown_groups = [row for row in group_rows if row.active or any(figures.get(row.id, zero)[:2])]
    raised_now = {(theme_id, group_id): now for theme_id, group_id, now, _ in counts}
    raised_before = {(theme_id, group_id): before for theme_id, group_id, _, before in counts}
    mentioned = {theme_id for theme_id, _, now, before in counts if now or before}
    shown_themes = [theme for theme in themes if theme.active or theme.id in mentioned]
    group_ids = [row.id for row in shown_groups]

    def group(row: Any) -> Group:
        leavers, previous_leavers, *sums, would_return, promoters, detractors = figures.get(row.id, zero)
        return Group(
            id=row.id, name=row.name, active=row.active, leavers=leavers, previous_leavers=previous_leavers,
            headcount=getattr(row, "headcount", None), score_sums=dict(zip(score_names, sums, strict=False)),
            would_return=would_return, promoters=promoters, detractors=detractors,
        )

    groups = [group(row) for row in shown_groups]
    total = Group(
        id=None, name=_("Whole organisation"), active=True,
        leavers=sum(item.leavers for item in groups), previous_leavers=sum(item.previous_leavers for item in groups),
        headcount=(sum(item.headcount or 0 for item in groups) or None) if by == "department" else None,
        score_sums={name: sum(item.score_sums[name] for item in groups) for name in score_names},
        would_return=sum(item.would_return for item in groups), promoters=sum(item.promoters for item in groups),
        detractors=sum(item.detractors for item in groups),
    )
    def cell(raised: int, leavers: int, previous_raised: int, previous_leavers: int,
             ) -> Cell:
        return Cell(
            raised=raised, leavers=leavers, previous_raised=previous_raised, previous_leavers=previous_leavers,
            recurring=is_recurring(raised, leavers, min_leavers=min_leavers, min_share=min_share),
        )

    rows = []
    for theme in shown_themes:
        cells = [
            cell(raised_now.get((theme.id, item.id), 0), item.leavers,
                 raised_before.get((theme.id, item.id), 0), item.previous_leavers)
            for item in groups
        ]
        row_total = cell(
            sum(raised_now.get((theme.id, group_id), 0) for group_id in group_ids), total.leavers,
            sum(raised_before.get((theme.id, group_id), 0) for group_id in group_ids), total.previous_leavers,
        )
        rows.append(ThemeRow(theme=theme, cells=cells, total=row_total))
    return Radar(by=by, period=period, previous=previous, groups=groups, total=total, rows=rows,
                 threshold=threshold, suppressed=False)


def action_link(*, theme_id: int, by: str, group_id: int, period: Period, source: str = "exit") -> str | None:
    """The action form, prefilled from a recurring cell (the contract of /actions/new); none from both sources."""
    if source == "both":
        return None
    return "/actions/new?" + urlencode({
        "theme": theme_id, "scope": by, "group": group_id,
        "start": period.start.isoformat(), "end": period.end.isoformat(), **({"source": "stay"} if source == "stay" else {}),
    })


def interviews_link(*, theme_id: int | None, by: str, group_id: int | None, period: Period,
                    source: str = "exit") -> str | None:
    """HR's way from a figure to the interviews behind it (exit or stay interviews; none from both)."""
    if source == "both":
        return None
    params: dict[str, Any] = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if theme_id is not None:
        params["theme"] = theme_id
    if group_id is not None:
        params[by] = group_id
    return ("/stay-interviews?" if source == "stay" else "/interviews?") + urlencode(params)


# --- the page ---------------------------------------------------------------------------------


async def late_records(session: AsyncSession, *, period: Period, length: str) -> int:
    """Interviews in released periods overlapping `period` that were recorded or changed after the release:
    HR sees them, leadership's frozen figures never will. Reads only interviews changed since the
    oldest of those releases (an interview's last change is never before its creation)."""
    released = (await session.execute(
        select(ReportingPeriod.period_start, ReportingPeriod.period_end, ReportingPeriod.released_at)
        .where(ReportingPeriod.length == length, ReportingPeriod.period_start <= period.end,
               ReportingPeriod.period_end >= period.start)
    )).all()
    if not released:
        return 0
    # coalesce() keeps SQLite from walking the exit-date index (most of the period) instead of the
    # index of recent changes (usually a handful of rows).
    exit_date = func.coalesce(ExitInterview.exit_date, ExitInterview.exit_date)
    return await session.scalar(
        select(func.count()).select_from(ExitInterview)
        .where(ExitInterview.updated_at > min(released_at for _start, _end, released_at in released),
               exit_date.between(period.start, period.end),
               or_(*(and_(exit_date.between(start, end), ExitInterview.updated_at > released_at)
                     for start, end, released_at in released)))
    ) or 0


@get("/radar", name="radar", guards=[requires(Role.HR, Role.LEADERSHIP)])
async def radar_page(
    request: Request,
    db: NamedDependency[AsyncSession],
    by: FromQuery[str | None] = None,
    start: FromQuery[str | None] = None,
    end: FromQuery[str | None] = None,
    period: FromQuery[str | None] = None,
    view: FromQuery[str | None] = None,
    source: FromQuery[str | None] = None,
) -> Template | Response:
    """HR: the live radar over any dates (or, with view=released, what leadership sees).
    Everyone else: one released period, compared with the one before.
    `source`: exit interviews (the default), stay interviews or both."""
    settings: Settings = request.app.state.settings
    user: User = request.user
    is_hr = user.role == Role.HR
    grouping = by if by in GROUPINGS else "department"
    chosen_source = source if source in SOURCES else "exit"
    context: dict[str, Any] = {
        "errors": [], "is_hr": is_hr, "groupings": GROUPINGS, "by": grouping, "source": chosen_source,
        "sources": SOURCE_LABELS, "score_questions": SCORE_NAMES[chosen_source],
        "question_labels": STAY_QUESTION_LABELS if chosen_source == "stay" else QUESTION_LABELS,
        "min_leavers": settings.recurring_min_leavers, "min_share": settings.recurring_min_share,
        "action_link": functools.partial(action_link, source=chosen_source),
        "interviews_link": functools.partial(interviews_link, source=chosen_source), "released_view": not is_hr or view == "released",
        "threshold": settings.anonymity_threshold, "late": 0, "released": [], "radar": None,
        "release_delay_days": settings.release_delay_days, "radar_html": None, "shown_period": None,
        "dates": None,
    }
    if context["released_view"]:
        released = await released_for(request.app.state, db)
        context["released"] = released
        chosen_span = parse_key(period, length=settings.report_period)
        if period and chosen_span is None:
            context["errors"].append(_("There is no released period %(period)s; the latest is shown.")
                                     % {"period": period[:20]})
        index = next((i for i, item in enumerate(released) if item.span == chosen_span), len(released) - 1)
        if period and chosen_span is not None and released and released[index].span != chosen_span:
            context["errors"].append(_("%(period)s is not released yet; the latest released period is shown.")
                                     % {"period": chosen_span.label})
        if released:
            chosen = released[index].of_source(chosen_source)
            previous = released[index - 1].of_source(chosen_source) if index > 0 else None
            context["shown_period"] = chosen.span
            group_rows, themes = await groups_and_themes(db, by=grouping)
            language = current_language()
            # Released figures never change: the tables are rendered once per period, view and names.
            key = (chosen.released.id, previous.released.id if previous else None, grouping, chosen_source, language, is_hr,
                   settings.anonymity_threshold, settings.recurring_min_leavers, settings.recurring_min_share,
                   tuple(tuple(row) for row in group_rows),
                   tuple((theme.id, theme.name(language), theme.active, theme.position) for theme in themes),
                   tuple(context["errors"]))
            cache = rendered_of(request.app.state, "released_radar")
            html = cache.get(key)
            if html is None:
                context["radar"] = released_radar(
                    chosen=chosen, previous=previous, by=grouping, group_rows=group_rows, themes=themes,
                    total_name=_("Whole organisation"), min_leavers=settings.recurring_min_leavers,
                    min_share=settings.recurring_min_share)
                html = request.app.template_engine.engine.get_template("radar/_radar.html").render(context)
                cache.put(key, html)
            if request.htmx:
                return Response(html, media_type=MediaType.HTML, headers={"Vary": "HX-Request"})
            context["radar_html"] = Markup(html)
        else:
            first = await db.scalar(select(func.min(ExitInterview.exit_date)))
            span = period_containing(first or clock.today(), length=settings.report_period)
            context["first_release"] = (span, span.release_day(delay_days=settings.release_delay_days))
    else:
        chosen, errors = read_period(start=start, end=end, today=clock.today())
        context["errors"], context["dates"] = errors, chosen
        key = ("live", await data_version(db), grouping, chosen_source, chosen, current_language(), tuple(errors),
               settings.anonymity_threshold, settings.recurring_min_leavers, settings.recurring_min_share,
               settings.report_period)
        cache = rendered_of(request.app.state, "radar")
        html = cache.get(key)
        if html is None:
            context["radar"] = await build_radar(
                db, by=grouping, period=chosen, threshold=settings.anonymity_threshold,
                min_leavers=settings.recurring_min_leavers, min_share=settings.recurring_min_share,
                source=chosen_source,
            )
            context["late"] = await late_records(db, period=chosen, length=settings.report_period)
            html = request.app.template_engine.engine.get_template("radar/_radar.html").render(context)
            cache.put(key, html)
        if request.htmx:
            return Response(html, media_type=MediaType.HTML, headers={"Vary": "HX-Request"})
        context["radar_html"] = Markup(html)
    if request.htmx:
        return Template("radar/_radar.html", context=context, headers={"Vary": "HX-Request"})
    # radar_html (Markup): rendered and escaped by our own template above; the page puts it in as is.
    return Template("radar/index.html", context=context, headers={"Vary": "HX-Request"})


routes = [radar_page]
