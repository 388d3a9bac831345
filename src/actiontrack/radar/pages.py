"""The /radar route (templates/radar/): HR's live radar over any dates, released periods for everyone else."""

from __future__ import annotations

import functools
from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.caching import Memo, data_version
from actiontrack.disclosure import Disclosure, parse_key, released_questions, released_radar
from actiontrack.disclosure.lengths import series_first_period
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.interviews.rules import QUESTION_LABELS
from actiontrack.models import ExitInterview, Role, User
from actiontrack.questions.queries import questions_by_id
from actiontrack.questions.rules import answer_labels, wording
from actiontrack.radar.links import action_link, interviews_link
from actiontrack.radar.params import read_period
from actiontrack.radar.queries import build_radar, groups_and_themes, late_records
from actiontrack.radar.rules import GROUPINGS, SCORE_NAMES, SOURCE_LABELS, SOURCES, STAY_QUESTION_LABELS
from actiontrack.settings import Settings
from actiontrack.web import HTMX_VARY, hr_and_leadership


@get("/radar", name="radar", guards=hr_and_leadership)
async def radar_page(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    disclosure: NamedDependency[Disclosure],
    memo: NamedDependency[Memo],
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
    user: User = request.user
    is_hr = user.role == Role.HR
    grouping = by if by in GROUPINGS else "department"
    chosen_source = source if source in SOURCES else "exit"
    context: dict[str, Any] = {
        "errors": [], "is_hr": is_hr, "groupings": GROUPINGS, "by": grouping, "source": chosen_source,
        "sources": SOURCE_LABELS, "score_questions": SCORE_NAMES[chosen_source],
        "question_labels": STAY_QUESTION_LABELS if chosen_source == "stay" else QUESTION_LABELS,
        "min_leavers": settings.recurring_min_leavers, "min_share": settings.recurring_min_share,
        "action_link": functools.partial(action_link, paths=request.app.route_reverse, source=chosen_source),
        "interviews_link": functools.partial(interviews_link, paths=request.app.route_reverse, source=chosen_source),
        "released_view": not is_hr or view == "released",
        "threshold": disclosure.threshold, "late": 0, "released": [], "radar": None,
        "release_delay_days": settings.release_delay_days, "radar_html": None, "shown_period": None,
        "dates": None, "question_rows": [], "question_text": {},
    }
    if context["released_view"]:
        html = await released_tables(request, db, context, period=period, settings=settings, disclosure=disclosure)
    else:
        html = await live_tables(request, db, context, start=start, end=end, settings=settings, disclosure=disclosure,
                                 memo=memo)
    if html is not None:
        if request.htmx:
            return Response(html, media_type=MediaType.HTML, headers=HTMX_VARY)
        # Markup: rendered and escaped by our own template; the page puts it in as is.
        context["radar_html"] = Markup(html)
    if request.htmx:
        return Template("radar/_radar.html", context=context, headers=HTMX_VARY)
    return Template("radar/index.html", context=context, headers=HTMX_VARY)


async def released_tables(request: Request, db: AsyncSession, context: dict[str, Any], *, period: str | None,
                          settings: Settings, disclosure: Disclosure) -> str | None:
    """The radar's tables of the released period asked for (else the latest); None before the first
    release (the context then says when it comes). Rendered each time: the released periods come
    suppressed from the worker's memo, and the rest stays well within the page's time (README, "Caching")."""
    grouping, chosen_source = context["by"], context["source"]
    length = await disclosure.length(db)
    released = await disclosure.released(db, length=length)
    context["released"] = released
    chosen_span = parse_key(period, length=length)
    if period and chosen_span is None:
        context["errors"].append(_("There is no released period %(period)s; the latest is shown.")
                                 % {"period": period[:20]})
    index = next((i for i, item in enumerate(released) if item.span == chosen_span), len(released) - 1)
    if period and chosen_span is not None and released and released[index].span != chosen_span:
        context["errors"].append(_("%(period)s is not released yet; the latest released period is shown.")
                                 % {"period": chosen_span.label})
    if not released:
        first = await db.scalar(select(func.min(ExitInterview.exit_date)))
        span = await series_first_period(db, length=length, first_day=first or clock.today())
        context["first_release"] = (span, span.release_day(delay_days=settings.release_delay_days))
        return None
    chosen = released[index].of_source(chosen_source)
    previous = released[index - 1].of_source(chosen_source) if index > 0 else None
    context["shown_period"] = chosen.span
    group_rows, themes = await groups_and_themes(db, by=grouping)
    language = current_language()
    # HR's extra questions (of exit or of stay interviews), by version: their wording reads in the page's language.
    questions = await questions_by_id(db, chosen.extra_questions()) if chosen_source != "both" else {}
    context["question_text"] = {question_id: (wording(question, language), answer_labels(question, language))
                                for question_id, question in questions.items()}
    context["radar"] = released_radar(
        chosen=chosen, previous=previous, by=grouping, group_rows=group_rows, themes=themes,
        total_name=_("Whole organisation"), min_leavers=settings.recurring_min_leavers,
        min_share=settings.recurring_min_share)
    context["question_rows"] = [row for row in released_questions(
        chosen, by=grouping, group_ids=[group.id for group in context["radar"].groups])
        if row.question_id in questions]
    return request.app.template_engine.engine.get_template("radar/_radar.html").render(context)


async def live_tables(request: Request, db: AsyncSession, context: dict[str, Any], *, start: str | None,
                      end: str | None, settings: Settings, disclosure: Disclosure,
                      memo: Memo) -> str:
    """HR's live tables over the dates asked for, rendered once per version of the data."""
    grouping, chosen_source = context["by"], context["source"]
    chosen, errors = read_period(start=start, end=end, today=clock.today())
    context["errors"], context["dates"] = errors, chosen
    length = await disclosure.length(db)
    version = await data_version(db)
    key = (grouping, chosen_source, chosen, current_language(), tuple(errors), settings.recurring_min_leavers,
           settings.recurring_min_share, length)
    html = memo.get("radar", version, key)
    if html is None:
        context["radar"] = await build_radar(
            db, by=grouping, period=chosen, threshold=disclosure.threshold,
            min_leavers=settings.recurring_min_leavers, min_share=settings.recurring_min_share,
            source=chosen_source,
        )
        context["late"] = await late_records(db, period=chosen, length=length)
        html = request.app.template_engine.engine.get_template("radar/_radar.html").render(context)
        memo.put("radar", version, key, html)
    return html


routes = [radar_page]
