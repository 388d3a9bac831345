"""The interview pages of both kinds, each under its own prefix and route names: HR's list, capture, editing,
export and deletion of exit interviews (HR only) and stay interviews (which managers record too). What they do
is in interviews.views, given the kind (`EXIT`, `STAY`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from litestar.types import Guard
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from actiontrack import retention
from actiontrack.auth.roles import requires
from actiontrack.i18n import N_
from actiontrack.interviews import rules, views
from actiontrack.interviews.kinds import EXIT_WORDS, STAY_WORDS
from actiontrack.interviews.queries import EXIT_INTERVIEWS, STAY_INTERVIEWS
from actiontrack.models import Role
from actiontrack.settings import Settings
from actiontrack.web import FormBody, hr_only

EXIT = views.PageKind(
    store=EXIT_INTERVIEWS, words=EXIT_WORDS, questions="exit", fields=rules.INTERVIEW_FIELDS,
    owner_fields=None, column_fields=rules.COLUMN_FIELDS, labels=rules.labels, check_answers=rules.check_answers,
    erase=retention.erase_interviews, file_name="exit-interview",
)
STAY = views.PageKind(
    store=STAY_INTERVIEWS, words=STAY_WORDS, questions="stay", fields=rules.STAY_INTERVIEW_FIELDS,
    owner_fields=rules.STAY_OWNER_FIELDS, column_fields=rules.STAY_COLUMN_FIELDS, labels=rules.stay_labels,
    check_answers=rules.check_held_stay_answers, erase=retention.erase_stay_interviews, file_name="stay-interview",
    dated_today=True,
    themes_hint=N_("Tick the themes this person raised. Suggestions come from words in the answers and from low "
                   "scores; a theme is only saved when you tick it."),
)
# Managers record stay interviews with their team; only HR reads them.
stay_recorders = [requires(Role.HR, Role.OWNER)]


def kind_routes(kind: views.PageKind, path: str, *, recorders: Sequence[Guard]) -> Router:
    """The routes of one kind under `path`, named after its list (`interviews`, `interviews.show`, ...)."""
    names = kind.words.routes

    @get("/", name=names["page"], guards=hr_only)
    async def list_page(
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
        return await views.list_page(request, db, kind, page=page, department=department, job_family=job_family,
                                     theme=theme, channel=channel, start=start, end=end)

    @get("/new", name=names["new"], guards=list(recorders))
    async def new(request: Request, db: NamedDependency[AsyncSession]) -> Template:
        return await views.new_form(request, db, kind)

    @post("/new", name=f"{kind.words.route}.create", guards=list(recorders))
    async def create(
        request: Request,
        db: NamedDependency[AsyncSession],
        data: FormBody[dict[str, Any]],
    ) -> Template | Redirect:
        return await views.create(request, db, kind, data)

    @get("/{interview_id:int}", name=names["show"], guards=hr_only)
    async def show(
        request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
        interview_id: FromPath[int],
    ) -> Template:
        return await views.show(request, db, settings, kind, interview_id)

    @get("/{interview_id:int}/export", name=names["export"], guards=hr_only)
    async def export(
        request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
        interview_id: FromPath[int],
    ) -> Response[Any]:
        """One interview as a JSON file, for an access request: every answer, the themes, the dates."""
        return await views.export(request, db, settings, kind, interview_id)

    @get("/{interview_id:int}/edit", name=names["edit"], guards=hr_only)
    async def edit(request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int]) -> Template:
        return await views.edit(request, db, kind, interview_id)

    @post("/{interview_id:int}/edit", name=f"{kind.words.route}.update", guards=hr_only)
    async def update(
        request: Request,
        db: NamedDependency[AsyncSession],
        interview_id: FromPath[int],
        data: FormBody[dict[str, Any]],
    ) -> Template | Redirect:
        return await views.update(request, db, kind, interview_id, data)

    @post("/{interview_id:int}/delete", name=names["delete"], guards=hr_only)
    async def delete(
        request: Request, db: NamedDependency[AsyncSession], engine: NamedDependency[AsyncEngine],
        interview_id: FromPath[int],
    ) -> Redirect:
        """Erase an interview everywhere: its row and tags, the answers in its audit entries, SQLite's log."""
        return await views.delete(request, db, engine, kind, interview_id)

    return Router(path=path, route_handlers=[list_page, new, create, show, export, edit, update, delete])


@get("/stay-interviews/recorded", name="stay_interviews.recorded", guards=stay_recorders, sync_to_thread=False)
def stay_interview_recorded() -> Template:
    """A manager's confirmation: the answers went to HR."""
    return Template("stay_interviews/recorded.html")


routes = [kind_routes(EXIT, "/interviews", recorders=hr_only), stay_interview_recorded,
          kind_routes(STAY, "/stay-interviews", recorders=stay_recorders)]
