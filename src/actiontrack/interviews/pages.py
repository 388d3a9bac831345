"""The exit interview pages (HR only): the list, capture, editing, export and deletion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from actiontrack import audit, clock, retention
from actiontrack.db import checkpoint
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.interviews.kinds import EXIT_WORDS
from actiontrack.interviews.queries import (
    export_document,
    form_options,
    interview_or_404,
    list_interviews,
    save_interview_changes,
    save_new_interview,
    tagged_theme_ids,
)
from actiontrack.interviews.rules import (
    COLUMN_FIELDS,
    INTERVIEW_FIELDS,
    CheckedInterview,
    FormOptions,
    check_interview,
    form_choices,
    form_of,
    form_text,
    labels,
    read_filters,
    suggestions_for,
    values_of,
)
from actiontrack.models import Channel, ExitInterview, ExtraQuestion, User
from actiontrack.params import parse_id
from actiontrack.questions import rules as extra_rules
from actiontrack.questions.queries import answered_questions, answers_of, questions_for, save_answers
from actiontrack.settings import Settings
from actiontrack.themes.rules import Suggestion
from actiontrack.web import HTMX_VARY, NO_STORE, hr_only, redirect_to


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
    filters = read_filters(department=department, job_family=job_family, theme=theme, channel=channel,
                           start=start, end=end)
    options = await form_options(db)
    listing = await list_interviews(db, filters=filters, page=parse_id(page) or 1)
    context = {"filters": filters, "listing": listing, "options": options,
               "themes_by_id": {item.id: item for item in options.themes}, "words": EXIT_WORDS, **labels()}
    template = "interviews/_results.html" if request.htmx else "interviews/index.html"
    return Template(template, context=context, headers=HTMX_VARY)


def _form_page(
    request: Request,
    *,
    action: str,
    form: Mapping[str, Any],
    selected: set[int],
    options: FormOptions,
    errors: Mapping[str, str] | None = None,
    interview: ExitInterview | None = None,
    status_code: int = 200,
    suggestions: Mapping[int, Suggestion] | None = None,
    current_theme_ids: frozenset[int] = frozenset(),
    extra: Sequence[ExtraQuestion] = (),
    intent: str = "",
) -> Template:
    extra_questions = extra_rules.form_items(extra, current_language())
    context = {
        "action": action, "form": form, "selected": selected, "options": options, "errors": errors or {},
        "interview": interview, "suggestions": suggestions or {}, "current_theme_ids": current_theme_ids,
        "today": clock.today(), "for_hr": True, "words": EXIT_WORDS, **labels(),
        **form_choices(options, interview=interview, current_theme_ids=current_theme_ids),
        "extra_questions": extra_questions, "yes_no_choices": [("yes", _("Yes")), ("no", _("No"))],
    }
    # The standard questions, then the extra ones (for the error summary, in the form's order).
    order = list(INTERVIEW_FIELDS)
    order[order.index("notes"):order.index("notes")] = [item["name"] for item in extra_questions]
    context["field_order"] = order
    context["questions"] = {**context["questions"], **{item["name"]: item["label"] for item in extra_questions}}
    # With HTMX, "suggest themes" swaps only the theme checkboxes, a change of group only the extra questions.
    if not request.htmx:
        template = "interviews/form.html"
    else:
        template = "interviews/_extra_questions.html" if intent == "questions" else "interviews/_themes.html"
    return Template(template, context=context, status_code=status_code, headers=HTMX_VARY)


def _form_again(
    request: Request, *, action: str, fields: Mapping[str, str], checked: CheckedInterview, intent: str,
    options: FormOptions, interview: ExitInterview | None = None, current_theme_ids: frozenset[int] = frozenset(),
    extra: Sequence[ExtraQuestion] = (),
) -> Template:
    # Asked for suggestions or the questions of another group (200), or sent with mistakes (400):
    # the form again, as typed.
    asking = intent in {"suggest", "questions"}
    return _form_page(
        request, action=action, form=fields, selected=set(checked.theme_ids), options=options, interview=interview,
        current_theme_ids=current_theme_ids, errors={} if asking else checked.errors,
        status_code=200 if asking else 400, suggestions=suggestions_for(checked.values, themes=options.themes),
        extra=extra, intent=intent,
    )


async def _asked(db: AsyncSession, data: Mapping[str, Any], checked: CheckedInterview, *,
                 interview_id: int | None = None) -> tuple[list[ExtraQuestion], dict[int, Any]]:
    """The extra questions of the chosen group (and those the interview answered) and their checked answers."""
    asked = await questions_for(db, department_id=checked.values.get("department_id"),
                                job_family_id=checked.values.get("job_family_id"), interview_id=interview_id)
    answers, errors = extra_rules.check_answers(data, asked)
    checked.errors.update(errors)
    return asked, answers


def _new_form() -> dict[str, str]:
    return {"language": current_language(), "channel": Channel.INTERVIEW.value}


async def _submitted(request: Request, data: Mapping[str, Any]) -> tuple[dict[str, str], list[str], str]:
    form = await request.form()
    fields = {name: form_text(data, name) for name in COLUMN_FIELDS}
    fields.update({name: form_text(data, name) for name in data if name.startswith("question_")})
    return fields, [value for value in form.getall("themes", []) if isinstance(value, str)], form_text(data, "intent")


@get("/interviews/new", name="interviews.new", guards=hr_only)
async def new_interview(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    return _form_page(request, action=request.app.route_reverse("interviews.create"), form=_new_form(), selected=set(),
                      options=await form_options(db),
                      extra=await questions_for(db, department_id=None, job_family_id=None))


@post("/interviews/new", name="interviews.create", guards=hr_only)
async def create_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    fields, theme_values, intent = await _submitted(request, data)
    options = await form_options(db)
    checked = check_interview(fields, theme_values=theme_values, options=options, today=clock.today())
    asked, answers = await _asked(db, data, checked)
    if intent in {"suggest", "questions"} or checked.errors:
        return _form_again(request, action=request.app.route_reverse("interviews.create"), fields=fields,
                           checked=checked, intent=intent, options=options, extra=asked)
    user: User = request.user
    interview = await save_new_interview(db, checked=checked, actor=user, request=request)
    await save_answers(db, interview_id=interview.id, answers=answers, asked=asked, actor=user, request=request)
    return redirect_to(request, "interviews.show", interview_id=interview.id)


@get("/interviews/{interview_id:int}", name="interviews.show", guards=hr_only)
async def show_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    interview_id: FromPath[int],
) -> Template:
    interview = await interview_or_404(db, interview_id)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id)
    interviewer = await db.get(User, interview.interviewer_id) if interview.interviewer_id else None
    suggestions = {
        theme_id: suggestion
        for theme_id, suggestion in suggestions_for(values_of(interview, COLUMN_FIELDS), themes=options.themes).items()
        if theme_id not in theme_ids
    }
    context = {
        "interview": interview, "theme_ids": theme_ids, "interviewer": interviewer, "suggestions": suggestions,
        "department": next(item for item in options.departments if item.id == interview.department_id),
        "job_family": next(item for item in options.job_families if item.id == interview.job_family_id),
        "themes_by_id": {item.id: item for item in options.themes}, "words": EXIT_WORDS, **labels(),
        "retention": retention.retention_of(interview.exit_date, settings=settings),
        "extra_answers": [(extra_rules.wording(question, current_language()), question.kind,
                           extra_rules.shown_answer(answer, question, current_language()))
                          for question, answer in await answered_questions(db, interview_id=interview.id)],
    }
    return Template("interviews/show.html", context=context)


@get("/interviews/{interview_id:int}/export", name="interviews.export", guards=hr_only)
async def export_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    interview_id: FromPath[int],
) -> Response:
    """One interview as a JSON file, for a leaver's access request: every answer, the themes, the dates."""
    interview = await interview_or_404(db, interview_id)
    content = await export_document(db, interview=interview, settings=settings)
    # In the language of the answers, as the rest of the document.
    content["extra_questions"] = [
        {"question": extra_rules.wording(question, interview.language).text,
         "answer": extra_rules.exported_answer(answer, question, interview.language)}
        for question, answer in await answered_questions(db, interview_id=interview.id)]
    audit.record(db, actor=request.user, verb="export", entity="exit_interview", entity_id=interview.id,
                 request=request)
    return Response(content=content, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="exit-interview-{interview.id}.json"',
        **NO_STORE,
    })


@get("/interviews/{interview_id:int}/edit", name="interviews.edit", guards=hr_only)
async def edit_interview(request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int]) -> Template:
    interview = await interview_or_404(db, interview_id)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id)
    extra = await questions_for(db, department_id=interview.department_id, job_family_id=interview.job_family_id,
                                interview_id=interview.id)
    answers = await answers_of(db, interview_id=interview.id)
    form = {**form_of(interview, COLUMN_FIELDS),
            **{extra_rules.field_name(question): extra_rules.form_value(answers.get(question.id), question)
               for question in extra}}
    return _form_page(
        request, action=request.app.route_reverse("interviews.update", interview_id=interview.id), form=form,
        selected=set(theme_ids), options=options, interview=interview, current_theme_ids=theme_ids,
        suggestions=suggestions_for(values_of(interview, COLUMN_FIELDS), themes=options.themes), extra=extra,
    )


@post("/interviews/{interview_id:int}/edit", name="interviews.update", guards=hr_only)
async def update_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    interview_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    interview = await interview_or_404(db, interview_id)
    fields, theme_values, intent = await _submitted(request, data)
    options = await form_options(db)
    before_themes = await tagged_theme_ids(db, interview_id=interview.id)
    checked = check_interview(fields, theme_values=theme_values, options=options, today=clock.today(),
                              current=interview, current_theme_ids=before_themes)
    asked, answers = await _asked(db, data, checked, interview_id=interview.id)
    if intent in {"suggest", "questions"} or checked.errors:
        return _form_again(request, action=request.app.route_reverse("interviews.update", interview_id=interview.id),
                           fields=fields, checked=checked, intent=intent, options=options, interview=interview,
                           current_theme_ids=before_themes, extra=asked)
    await save_interview_changes(db, interview=interview, checked=checked, before_themes=before_themes,
                                 actor=request.user, request=request)
    await save_answers(db, interview_id=interview.id, answers=answers, asked=asked, actor=request.user, request=request)
    return redirect_to(request, "interviews.show", interview_id=interview.id)


@post("/interviews/{interview_id:int}/delete", name="interviews.delete", guards=hr_only)
async def delete_interview(
    request: Request, db: NamedDependency[AsyncSession], engine: NamedDependency[AsyncEngine],
    interview_id: FromPath[int],
) -> Redirect:
    """Erase an interview everywhere: its row and tags, the answers in its audit entries, SQLite's log."""
    interview = await interview_or_404(db, interview_id)
    await retention.erase_interviews(db, condition=ExitInterview.id == interview.id)
    # Added after the erasure, so it stays: "interview N deleted by X", no answers.
    audit.record(db, actor=request.user, verb="delete", entity="exit_interview", entity_id=interview.id,
                 request=request)
    # Committed here rather than at the end of the request: the checkpoint must see the deletion.
    await db.commit()
    await checkpoint(engine)
    return redirect_to(request, "interviews")


routes = [interviews_page, new_interview, create_interview, show_interview, export_interview, edit_interview,
          update_interview, delete_interview]
