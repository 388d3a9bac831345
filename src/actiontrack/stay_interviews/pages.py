"""The stay interview pages: HR's list, export, editing and deletion; the form HR and managers record with
(interviews.views, given `STAY`)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from actiontrack import retention
from actiontrack.auth.roles import requires
from actiontrack.i18n import N_
from actiontrack.interviews import views
from actiontrack.interviews.kinds import STAY_WORDS
from actiontrack.models import Role
from actiontrack.settings import Settings
from actiontrack.stay_interviews.queries import STAY_INTERVIEWS, list_stay_interviews
from actiontrack.stay_interviews.rules import (
    COLUMN_FIELDS,
    INTERVIEW_FIELDS,
    OWNER_FIELDS,
    check_held_stay_answers,
    labels,
    suggestions_for,
)
from actiontrack.web import hr_only

# Managers record stay interviews with their team; only HR reads them.
recorders = [requires(Role.HR, Role.OWNER)]

STAY = views.PageKind(
    store=STAY_INTERVIEWS, words=STAY_WORDS, questions="stay", fields=INTERVIEW_FIELDS, owner_fields=OWNER_FIELDS,
    column_fields=COLUMN_FIELDS, labels=labels, suggestions_for=suggestions_for,
    check_answers=check_held_stay_answers, listing=list_stay_interviews, erase=retention.erase_stay_interviews,
    file_name="stay-interview", dated_today=True,
    themes_hint=N_("Tick the themes this person raised. Suggestions come from words in the answers and from low "
                   "scores; a theme is only saved when you tick it."),
)


@get("/stay-interviews", name="stay_interviews", guards=hr_only)
async def stay_interviews_page(
    request: Request,
    db: NamedDependency[AsyncSession],
    department: FromQuery[str | None] = None,
    job_family: FromQuery[str | None] = None,
    theme: FromQuery[str | None] = None,
    channel: FromQuery[str | None] = None,
    start: FromQuery[str | None] = None,
    end: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    return await views.list_page(request, db, STAY, page=page, department=department, job_family=job_family,
                                 theme=theme, channel=channel, start=start, end=end)


@get("/stay-interviews/new", name="stay_interviews.new", guards=recorders)
async def new_stay_interview(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    return await views.new_form(request, db, STAY)


@post("/stay-interviews/new", name="stay_interviews.create", guards=recorders)
async def create_stay_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    return await views.create(request, db, STAY, data)


@get("/stay-interviews/recorded", name="stay_interviews.recorded", guards=recorders, sync_to_thread=False)
def stay_interview_recorded() -> Template:
    return Template("stay_interviews/recorded.html")


@get("/stay-interviews/{interview_id:int}", name="stay_interviews.show", guards=hr_only)
async def show_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    interview_id: FromPath[int],
) -> Template:
    return await views.show(request, db, settings, STAY, interview_id)


@get("/stay-interviews/{interview_id:int}/export", name="stay_interviews.export", guards=hr_only)
async def export_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    interview_id: FromPath[int],
) -> Response[Any]:
    """One stay interview as a JSON file, for an access request: every answer, the themes, the dates."""
    return await views.export(request, db, settings, STAY, interview_id)


@get("/stay-interviews/{interview_id:int}/edit", name="stay_interviews.edit", guards=hr_only)
async def edit_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int],
) -> Template:
    return await views.edit(request, db, STAY, interview_id)


@post("/stay-interviews/{interview_id:int}/edit", name="stay_interviews.update", guards=hr_only)
async def update_stay_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    interview_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    return await views.update(request, db, STAY, interview_id, data)


@post("/stay-interviews/{interview_id:int}/delete", name="stay_interviews.delete", guards=hr_only)
async def delete_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], engine: NamedDependency[AsyncEngine],
    interview_id: FromPath[int],
) -> Redirect:
    """Erase a stay interview everywhere: its row and tags, the answers in its audit entries, SQLite's log."""
    return await views.delete(request, db, engine, STAY, interview_id)


routes = [stay_interviews_page, new_stay_interview, create_stay_interview, stay_interview_recorded,
          show_stay_interview, export_stay_interview, edit_stay_interview, update_stay_interview,
          delete_stay_interview]
