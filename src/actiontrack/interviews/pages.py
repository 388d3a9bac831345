"""The exit interview pages (HR only): the list, capture, editing, export and deletion (interviews.views,
given `EXIT`)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from actiontrack import retention
from actiontrack.interviews import views
from actiontrack.interviews.kinds import EXIT_WORDS
from actiontrack.interviews.queries import EXIT_INTERVIEWS, list_interviews
from actiontrack.interviews.rules import COLUMN_FIELDS, INTERVIEW_FIELDS, check_answers, labels, suggestions_for
from actiontrack.settings import Settings
from actiontrack.web import hr_only

EXIT = views.PageKind(
    store=EXIT_INTERVIEWS, words=EXIT_WORDS, questions="exit", fields=INTERVIEW_FIELDS, owner_fields=None,
    column_fields=COLUMN_FIELDS, labels=labels, suggestions_for=suggestions_for, check_answers=check_answers,
    listing=list_interviews, erase=retention.erase_interviews, file_name="exit-interview",
)


@get("/interviews", name="interviews", guards=hr_only)
async def interviews_page(
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
    return await views.list_page(request, db, EXIT, page=page, department=department, job_family=job_family,
                                 theme=theme, channel=channel, start=start, end=end)


@get("/interviews/new", name="interviews.new", guards=hr_only)
async def new_interview(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    return await views.new_form(request, db, EXIT)


@post("/interviews/new", name="interviews.create", guards=hr_only)
async def create_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    return await views.create(request, db, EXIT, data)


@get("/interviews/{interview_id:int}", name="interviews.show", guards=hr_only)
async def show_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    interview_id: FromPath[int],
) -> Template:
    return await views.show(request, db, settings, EXIT, interview_id)


@get("/interviews/{interview_id:int}/export", name="interviews.export", guards=hr_only)
async def export_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    interview_id: FromPath[int],
) -> Response[Any]:
    """One interview as a JSON file, for a leaver's access request: every answer, the themes, the dates."""
    return await views.export(request, db, settings, EXIT, interview_id)


@get("/interviews/{interview_id:int}/edit", name="interviews.edit", guards=hr_only)
async def edit_interview(request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int]) -> Template:
    return await views.edit(request, db, EXIT, interview_id)


@post("/interviews/{interview_id:int}/edit", name="interviews.update", guards=hr_only)
async def update_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    interview_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    return await views.update(request, db, EXIT, interview_id, data)


@post("/interviews/{interview_id:int}/delete", name="interviews.delete", guards=hr_only)
async def delete_interview(
    request: Request, db: NamedDependency[AsyncSession], engine: NamedDependency[AsyncEngine],
    interview_id: FromPath[int],
) -> Redirect:
    """Erase an interview everywhere: its row and tags, the answers in its audit entries, SQLite's log."""
    return await views.delete(request, db, engine, EXIT, interview_id)


routes = [interviews_page, new_interview, create_interview, show_interview, export_interview, edit_interview,
          update_interview, delete_interview]
