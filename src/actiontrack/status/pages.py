"""The /status route: gathers the figures of the filtered view, renders the page, its partial or a CSV."""

from __future__ import annotations

import csv
import functools
import io
import logging
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.actions import STATUS_LABELS
from actiontrack.actions import effects as action_effects
from actiontrack.actions.queries import ActionFilters, Choices, form_choices, parse_filters
from actiontrack.caching import Memo, data_version
from actiontrack.disclosure import Disclosed, Disclosure
from actiontrack.disclosure.effects import EVIDENCE_LABELS, VERDICT_LABELS, Side
from actiontrack.i18n import current_language, format_share
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionStatus, Role, Scope, Theme, User
from actiontrack.params import clean_text
from actiontrack.radar.links import action_link
from actiontrack.radar.params import read_period
from actiontrack.radar.rules import Period
from actiontrack.settings import Settings
from actiontrack.status import charts, early_warning, effects, figures, recurring
from actiontrack.status.figures import (
    STALE_DAYS,
    STATUS_ORDER,
    ActionList,
    Headline,
    OwnerRow,
    ProgressRow,
)
from actiontrack.web import HTMX_VARY, hr_and_leadership

logger = logging.getLogger("actiontrack.status")


@dataclass(frozen=True)
class StatusView:
    """Everything the page, its partial and its CSV show for one filtered view."""

    headline: Headline
    owners: list[OwnerRow]
    owner_count: int
    overdue: ActionList
    stale: ActionList
    by_theme: list[ProgressRow]
    by_department: list[ProgressRow]
    recurring: recurring.RecurringOverview
    monthly: charts.MonthlyChart
    trends: charts.TrendCharts
    themes: dict[int, Theme]
    department_names: dict[int, str]
    choices: Choices
    effects: effects.EffectTable
    early_warnings: list[early_warning.EarlyWarning]
    group_names: dict[tuple[str, int], str]
    missing_languages: list[figures.MissingLanguages]
    missing_languages_total: int


def progress_rows(
    *, by_theme: dict[int, dict[str, int]], by_group: dict[tuple[str, int | None], dict[str, int]],
    themes: list[Theme], department_names: dict[int, str], filters: ActionFilters, language: str,
) -> tuple[list[ProgressRow], list[ProgressRow]]:
    """The two progress tables, each row with its drill-down link to the matching list of actions."""
    theme_rows = [
        ProgressRow(f"theme-{theme.id}", theme.name(language), by_theme[theme.id],
                    filters.query_string(theme_id=theme.id))
        for theme in themes if theme.id in by_theme
    ]
    group_rows = [
        ProgressRow(f"department-{department_id}", name, by_group[Scope.DEPARTMENT.value, department_id],
                    filters.query_string(department_id=department_id))
        for department_id, name in sorted(department_names.items(), key=lambda item: (item[1], item[0]))
        if (Scope.DEPARTMENT.value, department_id) in by_group
    ]
    for scope, key, label in ((Scope.COMPANY.value, "company", _("Company-wide")),
                              (Scope.JOB_FAMILY.value, "job-family", _("Per job family"))):
        if (scope, None) in by_group:
            group_rows.append(ProgressRow(key, label, by_group[scope, None],
                                          filters.query_string(scope=scope, department_id=None)))
    return theme_rows, group_rows


async def status_view(
    session: AsyncSession, *, period: Period, filters: ActionFilters, today: date, settings: Settings,
    released: list[Disclosed] | None, full_lists: bool = False,
    effect_released: list[Disclosed], verdict: str | None = None,
) -> StatusView:
    """The figures of one view, in a fixed number of queries whatever the size of the organisation.

    `released` None: HR's live figures about leavers; else the released periods, as leadership sees them.
    `effect_released`: the released periods, which measure every role's "did it work" alike.
    """
    args = {"period": period, "filters": filters, "today": today}
    limit = None if full_lists else figures.LIST_LIMIT
    choices = await form_choices(session)
    themes = list((await session.execute(select(Theme).order_by(Theme.position, Theme.id))).scalars())
    department_names = {department.id: department.label().text for department in choices.departments}

    last_month = recurring.month_of(today) - 1
    if released is None:
        quarters = charts.chart_quarters(last_month=last_month)
        first, last = recurring.months_to_read(period=period, today=today, chart_first_month=quarters[0])
        counts = await recurring.read_counts(session, first_month=first, last_month=last,
                                             department_id=filters.department_id, theme_id=filters.theme_id)
        overview = recurring.recurring_overview(
            counts=counts, first_created=await recurring.first_created_actions(session), period=period, today=today,
            min_leavers=settings.recurring_min_leavers, min_share=settings.recurring_min_share)
        completions = await figures.completions_by_theme(
            session, first=recurring.month_start(quarters[0]), last=recurring.month_end(last_month),
            department_id=filters.department_id, theme_id=filters.theme_id)
        trends = charts.trend_charts(
            counts=counts, theme_ids=[theme.id for theme in themes if theme.id in overview.recurring_theme_ids],
            completions=completions)
    else:
        overview, trends = await released_figures(
            session, released=released, period=period, filters=filters, today=today, settings=settings,
            themes=themes)

    months = charts.chart_months(period_start=period.start, period_end=period.end)
    completed, due = await figures.completed_and_due(
        session, first=recurring.month_start(months[0]), last=recurring.month_end(months[-1]), filters=filters,
        today=today)
    groups = await figures.group_counts(session, **args)
    headline = figures.headline_of(groups)
    by_theme, by_department = progress_rows(
        by_theme=await figures.counts_by_theme(session, **args), by_group=figures.counts_by_group(groups),
        themes=themes, department_names=department_names, filters=filters, language=current_language())
    owners, owner_count = await figures.per_owner(session, **args, limit=None if full_lists else figures.OWNER_LIMIT)
    group_names = {(Scope.DEPARTMENT.value, key): name for key, name in department_names.items()}
    group_names |= {(Scope.JOB_FAMILY.value, family.id): family.label().text for family in choices.job_families}
    effect_table = await effects.effect_table(
        session, **args, released=effect_released, settings=settings, themes={theme.id: theme for theme in themes},
        group_names=group_names, verdict=verdict, limit=limit)
    missing, missing_total = await figures.published_missing_languages(session, limit=limit)
    return StatusView(
        missing_languages=missing, missing_languages_total=missing_total,
        headline=headline, owners=owners, owner_count=owner_count,
        overdue=ActionList(await figures.overdue_actions(session, **args, limit=limit), headline.overdue),
        stale=ActionList(await figures.stale_actions(session, **args, limit=limit), headline.stale),
        by_theme=by_theme, by_department=by_department, recurring=overview,
        monthly=charts.monthly_chart(months=months, completed=completed, due=due), trends=trends,
        themes={theme.id: theme for theme in themes}, department_names=department_names, choices=choices,
        effects=effect_table, group_names=group_names,
        early_warnings=early_warning.early_warnings(
            effect_released, min_people=settings.recurring_min_leavers, min_share=settings.recurring_min_share,
            department_id=filters.department_id, theme_id=filters.theme_id, group_names=group_names),
    )


async def released_figures(
    session: AsyncSession, *, released: list[Disclosed], period: Period, filters: ActionFilters, today: date,
    settings: Settings, themes: list[Theme],
) -> tuple[recurring.RecurringOverview, charts.TrendCharts]:
    """The recurring-theme measures and charts outside HR: released periods, shown figures only."""
    first_created = await recurring.first_created_actions(session)
    overview = recurring.released_overview(
        released=released, first_created=first_created, period=period, today=today,
        min_leavers=settings.recurring_min_leavers, min_share=settings.recurring_min_share,
        department_id=filters.department_id, theme_id=filters.theme_id)
    shown = released[-charts.QUARTERS:]
    theme_ids = [theme.id for theme in themes if theme.id in overview.recurring_theme_ids]
    rows = charts.released_rows(shown, theme_ids=theme_ids, department_id=filters.department_id)
    last_month = recurring.month_of(shown[-1].span.end) if shown else recurring.month_of(today) - 1
    completions = await figures.completions_by_theme(
        session, first=shown[0].span.start if shown else today, last=shown[-1].span.end if shown else today,
        department_id=filters.department_id, theme_id=filters.theme_id) if shown else {}
    trends = charts.draw_trends(columns=charts.released_columns(shown), rows=rows, completions=completions,
                                last_month=last_month)
    # Outside HR a theme is drawn only when a shown figure makes it recurring: never "also recurring".
    return overview, replace(trends, blank=[])


# --- CSV --------------------------------------------------------------------------------------


def csv_export(*, view: StatusView, language: str) -> str:
    """The per-owner table, the overdue list, progress by theme and department, and the themes without an action."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Action owner"), _("Actions"), _("Completed"), _("Completed on time"), _("Overdue"),
                     _("Days since last update")])
    for row in view.owners:
        writer.writerow([_cell(row.name), row.owned, row.done, row.done_on_time, row.overdue,
                         "" if row.days_since_update is None else row.days_since_update])
    writer.writerow([])
    writer.writerow([_("Overdue action"), _("Action owner"), _("Deadline"), _("Days overdue"), _("Last update")])
    for line in view.overdue.lines:
        try:
            row = [_cell(line.title.text), _cell(line.owner_name), line.deadline.isoformat(), line.days_overdue,
                   "" if line.last_update is None else clock.local_day(line.last_update).isoformat()]
        except Exception:  # one odd row must not cost HR the whole export
            logger.exception("status CSV: overdue action %s skipped, it cannot be written", line.id)
            continue
        writer.writerow(row)
    status_names = [_(STATUS_LABELS[status]) for status in STATUS_ORDER]
    for heading, rows in ((_("Theme"), view.by_theme), (_("Department"), view.by_department)):
        writer.writerow([])
        writer.writerow([heading, *status_names, _("Actions")])
        for row in rows:
            writer.writerow([_cell(row.label), *(row.counts.get(status, 0) for status in STATUS_ORDER), row.total])
    writer.writerow([])
    writer.writerow([_("Recurring theme without an action"), _("Department"), _("Recurring since"),
                     _("Leavers raising it"), _("Leavers")])
    for item in view.recurring.without_action:
        writer.writerow([_cell(view.themes[item.theme_id].name(language)),
                         _cell(view.department_names.get(item.department_id, "")),
                         "" if item.since is None else item.since.isoformat(), item.raised, item.leavers])
    writer.writerow([])
    writer.writerow([_("Done action"), _("Theme"), _("Scope"), _("Completed on"), _("Before the action"),
                     _("After it was done"), _("Target"), _("Effect"), _("Verdict rests on")])
    for row in view.effects.rows:
        before, after = row.effect.before, row.effect.after
        writer.writerow([
            _cell(str(row.action.title)), _cell(row.theme.name(language)), _cell(row.group_name),
            row.action.completed_on.isoformat() if row.action.completed_on else "",
            _side_share(before), _side_share(after),
            "" if row.effect.target_share is None else format_share(row.effect.target_share),
            _(VERDICT_LABELS[row.effect.verdict]),
            _(EVIDENCE_LABELS[row.effect.evidence]) if row.effect.measured else ""])
    return out.getvalue()


def _side_share(side: Side | None) -> str:
    if side is None or not side.leavers:
        return ""
    return format_share(side.share)


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting like a formula; user text must stay text.
    text = clean_text(text)
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


# --- the page ---------------------------------------------------------------------------------


@get("/status", name="status", guards=hr_and_leadership)
async def status_page(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    disclosure: NamedDependency[Disclosure],
    memo: NamedDependency[Memo],
    start: FromQuery[str | None] = None,
    end: FromQuery[str | None] = None,
    format: FromQuery[str | None] = None,  # noqa: A002 (?format=csv)
    effect: FromQuery[str | None] = None,
) -> Template | Response:
    user: User = request.user
    is_hr = user.role == Role.HR
    today = clock.today()
    period, errors = read_period(start=start, end=end, today=today)
    filters, filter_errors = parse_filters(request.query_params)
    verdict, verdict_error = effects.parse_verdict(effect)
    released = None if is_hr else await disclosure.released(db)
    released_span = None if is_hr else (released[-1].span if released else False)
    all_errors = [*errors, *filter_errors.values(), *([verdict_error] if verdict_error else [])]
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    params.update({key: str(value) for key, value in {
        "theme": filters.theme_id, "department": filters.department_id, "owner": filters.owner_id,
        "status": filters.status, "effect": verdict}.items() if value not in (None, "")})
    version = await data_version(db, live=is_hr)
    key = (is_hr, period, filters, verdict, today, current_language(),
           tuple(all_errors),
           settings.effect_min_leavers, settings.release_delay_days,
           settings.recurring_min_leavers, settings.recurring_min_share)
    found = None if format == "csv" else memo.get("status", version, key)
    latest_release = None
    if found is None:
        # "Did it work" reads released periods for HR too (asked only when the figures are not cached).
        effect_released = released if released is not None else await disclosure.released(db)
        view = await status_view(db, period=period, filters=filters, today=today, settings=settings,
                                 released=released, full_lists=format == "csv",
                                 effect_released=effect_released, verdict=verdict)
        # HR's figures are live: it reads which released period leadership sees instead.
        latest_release = effect_released[-1].span if effect_released else None
    else:
        view, html = found
    if format == "csv":
        filename = f"status-{period.start.isoformat()}-{period.end.isoformat()}.csv"
        return Response(csv_export(view=view, language=current_language()), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    actions_path, status_path = request.app.route_reverse("actions"), request.app.route_reverse("status")
    context: dict[str, Any] = {
        "view": view, "period": period, "filters": filters, "errors": all_errors,
        "headline": view.headline, "owners": view.owners, "owner_count": view.owner_count,
        "overdue": view.overdue, "stale": view.stale, "stale_days": STALE_DAYS, "list_limit": figures.LIST_LIMIT,
        "choices": view.choices, "statuses": [s.value for s in ActionStatus], "status_order": STATUS_ORDER,
        "is_hr": is_hr, "released": released_span, "latest_release": latest_release,
        "first_action_days": recurring.FIRST_ACTION_DAYS,
        "window_months": recurring.WINDOW_MONTHS, "min_leavers": settings.recurring_min_leavers,
        "min_share": settings.recurring_min_share,
        "action_link": functools.partial(action_link, paths=request.app.route_reverse),
        "overdue_url": f"{actions_path}?{filters.query_string(overdue=True)}",
        "effect_table": view.effects, "effect_period": effects.effect_period(period), "verdict": verdict,
        "effect_window_months": effects.EFFECT_WINDOW_MONTHS, "verdicts": list(VERDICT_LABELS),
        "effect_url": lambda chosen: f"{status_path}?" + urlencode({
            **{k: v for k, v in params.items() if k != "effect"}, **({"effect": chosen} if chosen else {})}),
        **action_effects.template_context(settings),
        "current_url": f"{status_path}?{urlencode(params)}",
        "csv_url": f"{status_path}?" + urlencode({**params, "format": "csv"}),
    }
    if found is None:
        # The figures are the same for everyone who may see them until the data changes: rendered once.
        html = request.app.template_engine.engine.get_template("status/_figures.html").render(context)
        memo.put("status", version, key, (view, html))
    if request.htmx:
        return Response(html, media_type=MediaType.HTML, headers=HTMX_VARY)
    # Markup: rendered (and escaped) by our own template, above.
    context["figures_html"] = Markup(html)
    return Template("status/index.html", context=context, headers=HTMX_VARY)


routes = [status_page]
