"""The exit interview import (HR only): upload a file, map its columns and values while the preview shows
every row's problems and theme suggestions, then import all rows at once.

Every step is a plain form POST: the file waits in `import_upload` between steps, and the mapping HR chose
travels in the form's fields, so any worker can answer any step. The done page lists the rows not imported
and carries them, sealed, to their CSV download; the columns chosen are remembered for the same headers. HTMX
re-renders the mapping and preview in place when a select changes. Reading and checking a file runs off the event
loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.imports import queries
from actiontrack.imports.mapping import (
    IGNORE,
    MAX_MAPPED_VALUES,
    TARGETS,
    CheckedFile,
    ImportMapping,
    check_rows,
    choices_for,
    distinct_values,
    has_values,
    headers_hash,
    is_personal,
    mark_imported,
    read_mapping,
)
from actiontrack.imports.skipped import seal_rows, skipped_csv, skipped_rows, unseal_rows
from actiontrack.imports.tabular import Limits, Table, TableError, read_upload, table_from_json, table_json
from actiontrack.interviews.queries import form_options
from actiontrack.interviews.rules import QUESTION_LABELS, FormOptions, labels
from actiontrack.params import parse_int
from actiontrack.questions.queries import offered_questions
from actiontrack.questions.rules import field_name, wording
from actiontrack.settings import Settings
from actiontrack.web import HTMX_VARY, NO_STORE, FormBody, hr_only, redirect_to

# The upload route's own body limit: above the largest ACTIONTRACK_IMPORT_MAX_BYTES, with room for the
# multipart envelope; the setting itself is checked by the reader, with a clear message.
MAX_UPLOAD_BODY = 101_000_000
# Fields every interview needs: a file without a column for one of them cannot import a row.
REQUIRED = ("department_id", "job_family_id", "tenure_band", "exit_date", "reason_for_leaving", "pay_factor",
            "tasks_match_score", "manager_support_score", "training_score", "recognition_score", "would_return",
            "recommend_score")
# The preview lists every row with a problem up to this many, and the first rows that import.
SHOWN_PROBLEMS = 200
SHOWN_ROWS = 20


def limits_of(settings: Settings) -> Limits:
    return Limits(max_bytes=settings.import_max_bytes, max_rows=settings.import_max_rows)


@dataclass
class UploadForm:
    file: UploadFile | None = None


def _upload_page(settings: Settings, *, error: str | None = None, status_code: int = 200) -> Template:
    context = {"error": error, "max_megabytes": f"{settings.import_max_bytes / 1_000_000:g}",
               "max_rows": settings.import_max_rows}
    return Template("imports/upload.html", context=context, status_code=status_code)


@get("/interviews/import", name="imports.new", guards=hr_only)
async def upload_page(settings: NamedDependency[Settings]) -> Template:
    return _upload_page(settings)


@post("/interviews/import", name="imports.upload", guards=hr_only, request_max_body_size=MAX_UPLOAD_BODY)
async def upload_file(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    """Keep the file for the next steps once it reads as a table."""
    if data.file is None or not data.file.filename:
        return _upload_page(settings, error=_("Choose a file to import."), status_code=400)
    content = await data.file.read()
    try:
        table = await read_upload(content, filename=data.file.filename, limits=limits_of(settings))
    except TableError as error:
        return _upload_page(settings, error=error.translated(_), status_code=400)
    if not table.rows:
        return _upload_page(settings, error=_("The file has column headers but no rows."), status_code=400)
    stored = await anyio.to_thread.run_sync(table_json, table)
    upload = await queries.stage_upload(db, user=request.user, filename=data.file.filename, content=stored,
                                        kind=queries.EXIT_INTERVIEWS)
    # The file name may name someone: the trail keeps the kind of file and its size only.
    audit.record(db, actor=request.user, verb="upload", entity="import_upload", entity_id=upload.id,
                 changes={"format": table.kind, "rows": len(table.rows)}, request=request)
    return redirect_to(request, "imports.mapping", upload_id=upload.id)


@dataclass
class Prepared:
    table: Table
    options: FormOptions
    questions: list[Any]  # the extra questions a column can become (models.ExtraQuestion)
    mapping: ImportMapping
    checked: CheckedFile
    remembered: bool  # the columns are those HR chose for the same headers last time, not guesses


async def _prepare(request: Request, db: AsyncSession, upload_id: int, form: dict[str, Any]) -> tuple[Any, Prepared]:
    upload = await queries.staged_upload(db, upload_id=upload_id, kind=queries.EXIT_INTERVIEWS)
    if upload is None:
        raise NotFoundException(_("This upload has expired or was imported already; upload the file again."))
    options = await form_options(db)
    questions = await offered_questions(db)
    today, language = clock.today(), current_language()
    table = await anyio.to_thread.run_sync(table_from_json, upload.content)
    remembered = None
    if form.get("mapped") != "1":  # the first guess: what HR chose for the same header row last time
        found = await queries.remembered_mapping(db, kind=queries.EXIT_INTERVIEWS,
                                                 headers_hash=headers_hash(table.headers))
        remembered = found.columns if found is not None else None

    def work() -> tuple[ImportMapping, CheckedFile]:
        mapping = read_mapping(form, table, options, language=language, remembered=remembered, questions=questions)
        return mapping, check_rows(table, mapping, options, today=today, questions=questions)

    mapping, checked = await anyio.to_thread.run_sync(work)
    known = await queries.known_fingerprints(db, (row.fingerprint for row in checked.rows if not row.problems))
    if known:
        mark_imported(checked, known)
    return upload, Prepared(table, options, questions, mapping, checked, remembered=bool(remembered))


def _mapping_page(request: Request, upload: Any, prepared: Prepared, *, error: str | None = None,
                  status_code: int = 200) -> Template:
    table, options, mapping, checked = prepared.table, prepared.options, prepared.mapping, prepared.checked
    questions = {name: _(label) for name, label in QUESTION_LABELS.items()}
    language = current_language()
    columns = []
    for index, header in enumerate(table.headers):
        target = mapping.columns[index]
        distinct = distinct_values(table, index) if has_values(target, prepared.questions) else []
        columns.append({
            "index": index, "header": header or _("Column %(number)d") % {"number": index + 1},
            "personal": is_personal(header), "target": target,
            "samples": [value[:80] for value in dict.fromkeys(row[index] for row in table.rows if row[index])][:3],
            "value_rows": [(position, raw, count, mapping.values.get(index, {}).get(raw, ""))
                       for position, (raw, count) in enumerate(distinct)] if len(distinct) <= MAX_MAPPED_VALUES else [],
            "too_many_values": len(distinct) > MAX_MAPPED_VALUES,
            "choices": choices_for(target, options, prepared.questions),
        })
    mapped = set(mapping.columns.values())
    themes_by_id = {theme.id: theme for theme in options.themes}
    importable = checked.importable
    suggested: dict[int, int] = {}
    for row in importable:
        for theme_id in row.theme_ids:
            suggested[theme_id] = suggested.get(theme_id, 0) + 1
    groups = {"department_id": {item.id: item.name for item in options.departments},
              "job_family_id": {item.id: item.name for item in options.job_families}}
    context = {
        "upload": upload, "table": table, "mapping": mapping, "checked": checked, "columns": columns,
        "targets": [(IGNORE, _("Ignore this column")), *((target, questions[target]) for target in TARGETS),
                    *((field_name(question),
                       _("Extra question: %(question)s") % {"question": wording(question, language)})
                      for question in prepared.questions)],
        "missing": [questions[name] for name in REQUIRED if name not in mapped],
        "importable": importable, "shown_rows": importable[:SHOWN_ROWS],
        "problem_rows": checked.with_problems[:SHOWN_PROBLEMS], "skipped": checked.skipped,
        "suggested": sorted(suggested.items(), key=lambda item: (-item[1], item[0])),
        "themes_by_id": themes_by_id, "groups": groups, "error": error, "questions": questions,
        "remembered": prepared.remembered, "not_imported": len(checked.rows) - len(importable),
        **{key: value for key, value in labels().items() if key != "questions"},
    }
    template = "imports/_mapping.html" if request.htmx else "imports/mapping.html"
    return Template(template, context=context, status_code=status_code, headers=HTMX_VARY)


@get("/interviews/import/{upload_id:int}", name="imports.mapping", guards=hr_only)
async def mapping_page(request: Request, db: NamedDependency[AsyncSession], upload_id: FromPath[int]) -> Template:
    """The guessed mapping and the preview it gives."""
    upload, prepared = await _prepare(request, db, upload_id, {})
    return _mapping_page(request, upload, prepared)


@post("/interviews/import/{upload_id:int}", name="imports.preview", guards=hr_only)
async def preview(
    request: Request,
    db: NamedDependency[AsyncSession],
    upload_id: FromPath[int],
    data: FormBody[dict[str, Any]],
) -> Template:
    """The preview of the mapping HR chose (nothing is saved)."""
    upload, prepared = await _prepare(request, db, upload_id, data)
    return _mapping_page(request, upload, prepared)


@post("/interviews/import/{upload_id:int}/commit", name="imports.commit", guards=hr_only)
async def commit_import(
    request: Request,
    db: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    upload_id: FromPath[int],
    data: FormBody[dict[str, Any]],
) -> Template | Redirect:
    """All rows in one transaction, or none; rows imported before are skipped."""
    upload, prepared = await _prepare(request, db, upload_id, data)
    checked, mapping = prepared.checked, prepared.mapping
    rows = checked.importable
    if checked.with_problems and not mapping.skip_problems:
        error = _("Some rows have problems: correct the mapping or the file, or tick “Skip the rows with problems”.")
        return _mapping_page(request, upload, prepared, error=error, status_code=400)
    if not rows:
        error = _("There is nothing to import: every row was imported before or has a problem.")
        return _mapping_page(request, upload, prepared, error=error, status_code=400)
    ids = await queries.save_interviews(db, rows, with_themes=mapping.accept_suggestions)
    # The columns HR chose become the first guess for the next file with the same headers (no answers kept).
    await queries.remember_mapping(db, kind=queries.EXIT_INTERVIEWS, headers_hash=headers_hash(prepared.table.headers),
                                   columns=mapping.columns, user=request.user)
    audit.record(db, actor=request.user, verb="import", entity="exit_interview", entity_id=None, changes={
        "rows": len(ids), "skipped_with_problems": len(checked.with_problems), "already_imported": len(checked.skipped),
        "themes_from_suggestions": mapping.accept_suggestions, "format": prepared.table.kind,
        "mapping_remembered": True,
    }, request=request)
    await queries.discard_upload(db, upload_id=upload.id)
    skipped = skipped_rows(prepared.table, checked)
    if not skipped:
        return redirect_to(request, "imports.done", query={"rows": str(len(ids))})
    # The skipped rows leave with this page (sealed in its download form), not in the database.
    sealed_rows = await anyio.to_thread.run_sync(seal_rows, settings, prepared.table.headers, skipped)
    context = {"rows": len(ids), "skipped": skipped[:SHOWN_PROBLEMS], "skipped_count": len(skipped),
               "sealed_rows": sealed_rows, "error": None}
    return Template("imports/done.html", context=context, headers=NO_STORE)


@post("/interviews/import/{upload_id:int}/cancel", name="imports.cancel", guards=hr_only)
async def cancel_import(request: Request, db: NamedDependency[AsyncSession], upload_id: FromPath[int]) -> Redirect:
    """Forget the uploaded file."""
    upload = await queries.staged_upload(db, upload_id=upload_id, kind=queries.EXIT_INTERVIEWS)
    if upload is not None:
        await queries.discard_upload(db, upload_id=upload.id)
        audit.record(db, actor=request.user, verb="discard", entity="import_upload", entity_id=upload.id,
                     request=request)
    return redirect_to(request, "interviews")


@get("/interviews/import/done", name="imports.done", guards=hr_only)
async def import_done(rows: FromQuery[str | None] = None) -> Template:
    return Template("imports/done.html", context={"rows": parse_int(rows, minimum=0, maximum=10_000_000) or 0,
                                                  "skipped": [], "error": None})


@dataclass
class SkippedForm:
    rows: str = ""


@post("/interviews/import/skipped", name="imports.skipped", guards=hr_only)
async def skipped_download(
    settings: NamedDependency[Settings],
    data: FormBody[SkippedForm],
) -> Response | Template:
    """The rows an import skipped, as a CSV to correct and import again (sent back by the done page)."""
    unsealed = await anyio.to_thread.run_sync(unseal_rows, settings, data.rows)
    if unsealed is None:
        return Template("imports/done.html", status_code=400, headers=NO_STORE, context={
            "rows": None, "skipped": [],
            "error": _("This list of skipped rows has expired; the rows are in your file.")})
    headers, rows = unsealed
    content = await anyio.to_thread.run_sync(skipped_csv, headers, rows)
    return Response(content, status_code=200, media_type="text/csv; charset=utf-8", headers={
        **NO_STORE, "Content-Disposition": 'attachment; filename="skipped-rows.csv"'})


routes = [upload_page, upload_file, mapping_page, preview, commit_import, cancel_import, import_done, skipped_download]
