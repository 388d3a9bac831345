"""The import pages (HR): upload a file, check how its columns map and what each row does, commit.

Departments and job families under /organisation/import, people under /people/import. The table
travels between the steps in a signed form field (carried.py); the commit plans the rows again
against the database as it is then, and refuses when that differs from the preview HR saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.accounts.invitations import INVITATION_DAYS, deliver_invitation
from actiontrack.i18n import gettext as _
from actiontrack.imports.tabular import MEGABYTE, Limits, TableError, read_upload
from actiontrack.org_import import store
from actiontrack.org_import.carried import Carried, seal, unseal
from actiontrack.org_import.rules import (
    COLUMNS,
    DEPARTMENT,
    GROUP_KINDS,
    MAX_ROWS,
    OUTCOME_LABELS,
    PEOPLE,
    Plan,
    guess_mapping,
    mapping_problems,
    plan_groups,
    plan_people,
    read_mapping,
)
from actiontrack.params import is_id, one_line, text_fields
from actiontrack.settings import Settings
from actiontrack.web import HTMX_VARY, NO_STORE, FormBody, hr_only, redirect_to

LIMITS = Limits(max_bytes=2 * MEGABYTE, max_rows=MAX_ROWS, max_columns=50, max_cell_chars=1_000, max_seconds=30)
# The routes of each section's import, by step; the templates link to them with url_for.
ROUTES = {
    DEPARTMENT: {"page": "organisation.import", "upload": "organisation.import.upload",
                 "preview": "organisation.import.preview", "commit": "organisation.import.commit"},
    PEOPLE: {"page": "people.import", "upload": "people.import.upload", "preview": "people.import.preview",
             "commit": "people.import.commit"},
}


@dataclass
class UploadForm:
    file: UploadFile | None = None
    kind: str = DEPARTMENT


# The values a file column can be chosen for (`column_<value>` in the review form).
CHOSEN = ("name", "headcount", "email", "role", "language")


@text_fields("table", *(f"column_{value}" for value in CHOSEN), "plan")
class ReviewForm:
    """The carried table, the file column chosen for each value (an index, "" for none) and the preview's digest."""

    def chosen(self) -> dict[str, str]:
        return {value: getattr(self, f"column_{value}") for value in CHOSEN}


def _kinds(section: str) -> tuple[str, ...]:
    return GROUP_KINDS if section == DEPARTMENT else (PEOPLE,)


def _upload_page(section: str, *, kind: str = DEPARTMENT, error: str = "", status_code: int = 200) -> Template:
    context = {"section": section, "routes": ROUTES[section], "kind": kind, "error": error,
               "max_rows": LIMITS.max_rows, "max_megabytes": LIMITS.max_bytes // MEGABYTE}
    return Template("org_import/upload.html", context=context, status_code=status_code)


def _expired(section: str) -> Template:
    return _upload_page(section, status_code=400, error=_(
        "This import expired or its form was changed: upload the file again."))


async def _plan(session: AsyncSession, settings: Settings, carried: Carried, mapping: dict[str, int | None]) -> Plan:
    if carried.kind == PEOPLE:
        return plan_people(rows=carried.rows, numbers=carried.numbers, mapping=mapping,
                           existing_emails=await store.existing_emails(session),
                           default_language=settings.default_language)
    return plan_groups(kind=carried.kind, rows=carried.rows, numbers=carried.numbers, mapping=mapping,
                       existing=await store.existing_groups(session, kind=carried.kind))


async def _review(request: Request, session: AsyncSession, settings: Settings, *, section: str, carried: Carried,
                  sealed: str, mapping: dict[str, int | None], message: str = "", status_code: int = 200) -> Template:
    """The mapping with the preview under it; HTMX gets the preview alone when a mapping changes."""
    problems = mapping_problems(carried.kind, mapping)
    plan = None if problems else await _plan(session, settings, carried, mapping)
    examples = [next((row[index] for row in carried.rows if index < len(row) and row[index]), "")
                for index in range(len(carried.headers))]
    context: dict[str, Any] = {
        "section": section, "routes": ROUTES[section], "carried": carried, "sealed": sealed,
        "columns": COLUMNS[carried.kind], "mapping": mapping, "problems": problems, "plan": plan,
        "examples": examples, "outcome_labels": OUTCOME_LABELS, "message": message,
    }
    template = "org_import/_preview.html" if request.htmx else "org_import/review.html"
    return Template(template, context=context, status_code=status_code, headers=HTMX_VARY)


async def _upload(
    request: Request, session: AsyncSession, settings: Settings, *, section: str, form: UploadForm,
) -> Template:
    kind = form.kind if section == DEPARTMENT else PEOPLE
    if kind not in _kinds(section):
        return _upload_page(section, error=_("Choose what the file lists."), status_code=400)
    content = await form.file.read() if isinstance(form.file, UploadFile) else b""
    filename = form.file.filename if isinstance(form.file, UploadFile) else ""
    if not filename and not content:
        return _upload_page(section, kind=kind, error=_("Choose a file."), status_code=400)
    try:
        table = await read_upload(content, filename=filename, limits=LIMITS)
    except TableError as error:
        return _upload_page(section, kind=kind, error=error.translated(_), status_code=400)
    # A file's cells are text from outside like any form's: no control characters, one line each.
    carried = Carried(kind=kind, filename=one_line(filename)[-200:], headers=[one_line(cell) for cell in table.headers],
                      rows=[[one_line(cell) for cell in row] for row in table.rows], numbers=table.row_numbers)
    return await _review(request, session, settings, section=section, carried=carried,
                         sealed=seal(settings, carried),
                         mapping=guess_mapping(kind, carried.headers))


async def _preview(
    request: Request, session: AsyncSession, settings: Settings, *, section: str, form: ReviewForm,
) -> Template:
    carried = unseal(settings, form.table, kinds=_kinds(section))
    if carried is None:
        return _expired(section)
    mapping = read_mapping(carried.kind, form.chosen(), len(carried.headers))
    return await _review(request, session, settings, section=section, carried=carried, sealed=form.table,
                         mapping=mapping)


async def _checked_plan(
    request: Request, session: AsyncSession, settings: Settings, *, section: str, form: ReviewForm
) -> tuple[Carried, Plan] | Template:
    """The plan to commit, or the page saying why not (nothing is written in that case)."""
    carried = unseal(settings, form.table, kinds=_kinds(section))
    if carried is None:
        return _expired(section)
    mapping = read_mapping(carried.kind, form.chosen(), len(carried.headers))
    again = {"section": section, "carried": carried, "sealed": form.table, "mapping": mapping}
    if mapping_problems(carried.kind, mapping):
        return await _review(request, session, settings, **again, status_code=400)
    plan = await _plan(session, settings, carried, mapping)
    if plan.digest != form.plan:
        return await _review(request, session, settings, **again, status_code=409, message=_(
            "Something changed since this preview: check the rows again before you import."))
    if not plan.changes:
        return await _review(request, session, settings, **again, status_code=400, message=_(
            "Nothing to import: no row adds or changes anything."))
    return carried, plan


# --- departments and job families --------------------------------------------------------------


def section_routes(section: str, *, page: Any, upload: Any, preview: Any) -> list[Any]:
    """The upload page, the upload and the preview of one section (`DEPARTMENT` or `PEOPLE`), given the route
    decorator of each; each section commits with its own route."""

    async def import_page() -> Template:
        return _upload_page(section, kind=_kinds(section)[0])

    async def upload_file(
        request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
        data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        return await _upload(request, db, settings, section=section, form=data)

    async def preview_plan(
        request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
        data: FormBody[ReviewForm],
    ) -> Template:
        return await _preview(request, db, settings, section=section, form=data)

    return [page(import_page), upload(upload_file), preview(preview_plan)]


_DEPARTMENT_ROUTES = section_routes(
    DEPARTMENT, page=get("/organisation/import", name=ROUTES[DEPARTMENT]["page"], guards=hr_only),
    upload=post("/organisation/import", name=ROUTES[DEPARTMENT]["upload"], guards=hr_only),
    preview=post("/organisation/import/preview", name=ROUTES[DEPARTMENT]["preview"], guards=hr_only))
_PEOPLE_ROUTES = section_routes(
    PEOPLE, page=get("/people/import", name=ROUTES[PEOPLE]["page"], guards=hr_only),
    upload=post("/people/import", name=ROUTES[PEOPLE]["upload"], guards=hr_only),
    preview=post("/people/import/preview", name=ROUTES[PEOPLE]["preview"], guards=hr_only))


@post("/organisation/import/commit", name="organisation.import.commit", guards=hr_only)
async def organisation_commit(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    data: FormBody[ReviewForm],
) -> Template | Redirect:
    """Every row that adds or changes something, in one transaction with one audit event; or nothing."""
    checked = await _checked_plan(request, db, settings, section=DEPARTMENT, form=data)
    if isinstance(checked, Template):
        return checked
    carried, plan = checked
    try:
        event = await store.apply_groups(db, kind=carried.kind, plan=plan, filename=carried.filename,
                                         actor=request.user, request=request)
    except IntegrityError:  # another import or HR added one of these names just now
        await db.rollback()
        return await _review(request, db, settings, section=DEPARTMENT, carried=carried, sealed=data.table,
                             mapping=read_mapping(carried.kind, data.chosen(), len(carried.headers)),
                             status_code=409, message=_(
                                 "Something changed since this preview: check the rows again before you import."))
    return redirect_to(request, "organisation.import.done", event_id=event.id)


@get("/organisation/import/{event_id:int}", name="organisation.import.done", guards=hr_only)
async def organisation_imported(db: NamedDependency[AsyncSession], event_id: FromPath[int]) -> Template:
    event = await store.import_event(db, event_id=event_id) if is_id(event_id) else None
    if event is None:
        raise NotFoundException()
    return Template("org_import/done.html", context={"event": event})


# --- people --------------------------------------------------------------------------------------


@post("/people/import/commit", name="people.import.commit", guards=hr_only)
async def people_commit(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    data: FormBody[ReviewForm],
) -> Template:
    """Everyone new is invited like on the invite page; the links are shown once, here, unless mailed."""
    checked = await _checked_plan(request, db, settings, section=PEOPLE, form=data)
    if isinstance(checked, Template):
        return checked
    carried, plan = checked
    try:
        invited = await store.apply_people(db, plan=plan, filename=carried.filename, actor=request.user,
                                           request=request)
    except IntegrityError:  # someone invited one of these people just now
        await db.rollback()
        return await _review(request, db, settings, section=PEOPLE, carried=carried, sealed=data.table,
                             mapping=read_mapping(PEOPLE, data.chosen(), len(carried.headers)), status_code=409,
                             message=_("Something changed since this preview: check the rows again before you import."))
    delivered = [await deliver_invitation(request, settings=settings, user=user, token=token)
                 for user, token in invited]
    context = {"delivered": delivered, "plan": plan, "days": INVITATION_DAYS, "filename": carried.filename}
    return Template("org_import/people_done.html", context=context, headers=NO_STORE)


routes = [
    *_DEPARTMENT_ROUTES, organisation_commit, organisation_imported, *_PEOPLE_ROUTES, people_commit,
]
