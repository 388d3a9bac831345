"""The stay interview pages: HR's list, export, editing and deletion; the form HR and managers record with."""

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
from actiontrack.auth.roles import requires
from actiontrack.db import checkpoint
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.interviews.kinds import STAY_WORDS
from actiontrack.interviews.queries import (
    export_document,
    form_options,
    interview_or_404,
    save_interview_changes,
    save_new_interview,
    tagged_theme_ids,
)
from actiontrack.interviews.rules import (
    CheckedInterview,
    FormOptions,
    check_interview,
    form_choices,
    form_of,
    form_text,
    read_filters,
    values_of,
)
from actiontrack.models import Channel, ExtraQuestion, Role, StayInterview, User
from actiontrack.params import parse_id
from actiontrack.questions import rules as extra_rules
from actiontrack.questions.queries import answered_questions, answers_of, questions_for, save_answers
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
from actiontrack.themes.rules import Suggestion
from actiontrack.web import HTMX_VARY, NO_STORE, hr_only, redirect_to

# Managers record stay interviews with their team; only HR reads them.
recorders = [requires(Role.HR, Role.OWNER)]


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
    filters = read_filters(department=department, job_family=job_family, theme=theme, channel=channel,
                           start=start, end=end)
    options = await form_options(db)
    listing = await list_stay_interviews(db, filters=filters, page=parse_id(page) or 1)
    context = {"filters": filters, "listing": listing, "options": options,
               "themes_by_id": {item.id: item for item in options.themes}, "words": STAY_WORDS, **labels()}
    template = "interviews/_results.html" if request.htmx else "interviews/index.html"
    return Template(template, context=context, headers=HTMX_VARY)


def _is_hr(request: Request) -> bool:
    return request.user.role == Role.HR


def _form_page(
    request: Request,
    *,
    form: Mapping[str, Any],
    selected: set[int],
    options: FormOptions,
    errors: Mapping[str, str] | None = None,
    interview: StayInterview | None = None,
    status_code: int = 200,
    suggestions: Mapping[int, Suggestion] | None = None,
    current_theme_ids: frozenset[int] = frozenset(),
    extra: Sequence[ExtraQuestion] = (),
    intent: str = "",
) -> Template:
    hr = _is_hr(request)
    extra_questions = extra_rules.form_items(extra, current_language())
    # The form saves an existing interview, or records a new one.
    action = (request.app.route_reverse("stay_interviews.update", interview_id=interview.id) if interview
              else request.app.route_reverse("stay_interviews.create"))
    context = {
        "action": action, "form": form, "selected": selected, "options": options, "errors": errors or {},
        "interview": interview, "suggestions": suggestions or {}, "current_theme_ids": current_theme_ids,
        "today": clock.today(), "field_order": INTERVIEW_FIELDS if hr else OWNER_FIELDS, "for_hr": hr,
        "words": STAY_WORDS, **labels(),
        "themes_hint": _("Tick the themes this person raised. Suggestions come from words in the answers and from "
                         "low scores; a theme is only saved when you tick it."),
        **form_choices(options, interview=interview, current_theme_ids=current_theme_ids),
        "extra_questions": extra_questions, "yes_no_choices": [("yes", _("Yes")), ("no", _("No"))],
    }
    # The standard questions, then the extra ones (for the error summary, in the form's order).
    order = list(context["field_order"])
    order[order.index("notes"):order.index("notes")] = [item["name"] for item in extra_questions]
    context["field_order"] = order
    context["questions"] = {**context["questions"], **{item["name"]: item["label"] for item in extra_questions}}
    # With HTMX, "suggest themes" swaps only the theme checkboxes (HR's form), a change of group only the extra
    # questions.
    if request.htmx and intent == "questions":
        template = "interviews/_extra_questions.html"
    else:
        template = "interviews/_themes.html" if request.htmx and hr else "interviews/form.html"
    return Template(template, context=context, status_code=status_code, headers=HTMX_VARY)


def _form_again(
    request: Request, *, fields: Mapping[str, str], checked: CheckedInterview, intent: str, options: FormOptions,
    interview: StayInterview | None = None, current_theme_ids: frozenset[int] = frozenset(),
    extra: Sequence[ExtraQuestion] = (),
) -> Template:
    # Asked for suggestions or the questions of another group (200), or sent with mistakes (400): the form again,
    # as typed.
    asking = intent in {"suggest", "questions"}
    return _form_page(
        request, form=fields, selected=set(checked.theme_ids), options=options, interview=interview,
        current_theme_ids=current_theme_ids, errors={} if asking else checked.errors,
        status_code=200 if asking else 400, suggestions=suggestions_for(checked.values, themes=options.themes),
        extra=extra, intent=intent,
    )


async def _asked(db: AsyncSession, data: Mapping[str, Any], checked: CheckedInterview, *,
                 interview_id: int | None = None) -> tuple[list[ExtraQuestion], dict[int, Any]]:
    """The extra questions of the chosen group asked in stay interviews (and those the interview answered),
    and their checked answers."""
    asked = await questions_for(db, department_id=checked.values.get("department_id"),
                                job_family_id=checked.values.get("job_family_id"), interview_id=interview_id,
                                kind="stay")
    answers, errors = extra_rules.check_answers(data, asked)
    checked.errors.update(errors)
    return asked, answers


def _new_form() -> dict[str, str]:
    return {"language": current_language(), "channel": Channel.INTERVIEW.value,
            "held_on": clock.today().isoformat()}


async def _submitted(request: Request, data: Mapping[str, Any]) -> tuple[dict[str, str], list[str], str]:
    """The fields of the form; a manager's form has a fixed channel and no themes, whatever is sent."""
    form = await request.form()
    fields = {name: form_text(data, name) for name in COLUMN_FIELDS}
    fields.update({name: form_text(data, name) for name in data if name.startswith("question_")})
    if not _is_hr(request):
        fields["channel"] = Channel.INTERVIEW.value
        return fields, [], "questions" if form_text(data, "intent") == "questions" else "save"
    return fields, [value for value in form.getall("themes", []) if isinstance(value, str)], form_text(data, "intent")


@get("/stay-interviews/new", name="stay_interviews.new", guards=recorders)
async def new_stay_interview(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    return _form_page(request, form=_new_form(), selected=set(), options=await form_options(db),
                      extra=await questions_for(db, department_id=None, job_family_id=None, kind="stay"))


@post("/stay-interviews/new", name="stay_interviews.create", guards=recorders)
async def create_stay_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    fields, theme_values, intent = await _submitted(request, data)
    options = await form_options(db)
    checked = check_interview(fields, theme_values=theme_values, options=options, today=clock.today(),
                              answers=check_held_stay_answers)
    asked, answers = await _asked(db, data, checked)
    if intent in {"suggest", "questions"} or checked.errors:
        return _form_again(request, fields=fields, checked=checked, intent=intent, options=options, extra=asked)
    user: User = request.user
    interview = await save_new_interview(db, checked=checked, actor=user, request=request, kind=STAY_INTERVIEWS)
    await save_answers(db, interview_id=interview.id, answers=answers, asked=asked, actor=user, request=request,
                       kind="stay")
    if not _is_hr(request):
        # A manager never reads answers back, not even the ones they just typed.
        return redirect_to(request, "stay_interviews.recorded")
    return redirect_to(request, "stay_interviews.show", interview_id=interview.id)


@get("/stay-interviews/recorded", name="stay_interviews.recorded", guards=recorders, sync_to_thread=False)
def stay_interview_recorded() -> Template:
    return Template("stay_interviews/recorded.html")


@get("/stay-interviews/{interview_id:int}", name="stay_interviews.show", guards=hr_only)
async def show_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    interview_id: FromPath[int],
) -> Template:
    interview = await interview_or_404(db, interview_id, kind=STAY_INTERVIEWS)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id, kind=STAY_INTERVIEWS)
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
        "themes_by_id": {item.id: item for item in options.themes}, "words": STAY_WORDS, **labels(),
        "retention": retention.retention_of(interview.held_on, settings=settings),
        "extra_answers": [(extra_rules.wording(question, current_language()), question.kind,
                           extra_rules.shown_answer(answer, question, current_language()))
                          for question, answer in await answered_questions(db, interview_id=interview.id, kind="stay")],
    }
    return Template("interviews/show.html", context=context)


@get("/stay-interviews/{interview_id:int}/export", name="stay_interviews.export", guards=hr_only)
async def export_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    interview_id: FromPath[int],
) -> Response:
    """One stay interview as a JSON file, for an access request: every answer, the themes, the dates."""
    interview = await interview_or_404(db, interview_id, kind=STAY_INTERVIEWS)
    content = await export_document(db, interview=interview, settings=settings, kind=STAY_INTERVIEWS)
    # In the language of the answers, as the rest of the document.
    content["extra_questions"] = [
        {"question": extra_rules.wording(question, interview.language).text,
         "answer": extra_rules.exported_answer(answer, question, interview.language)}
        for question, answer in await answered_questions(db, interview_id=interview.id, kind="stay")]
    audit.record(db, actor=request.user, verb="export", entity=STAY_INTERVIEWS.entity, entity_id=interview.id,
                 request=request)
    return Response(content=content, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="stay-interview-{interview.id}.json"',
        **NO_STORE,
    })


@get("/stay-interviews/{interview_id:int}/edit", name="stay_interviews.edit", guards=hr_only)
async def edit_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int],
) -> Template:
    interview = await interview_or_404(db, interview_id, kind=STAY_INTERVIEWS)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id, kind=STAY_INTERVIEWS)
    extra = await questions_for(db, department_id=interview.department_id, job_family_id=interview.job_family_id,
                                interview_id=interview.id, kind="stay")
    answers = await answers_of(db, interview_id=interview.id, kind="stay")
    form = {**form_of(interview, COLUMN_FIELDS),
            **{extra_rules.field_name(question): extra_rules.form_value(answers.get(question.id), question)
               for question in extra}}
    return _form_page(
        request, form=form, selected=set(theme_ids),
        options=options, interview=interview, current_theme_ids=theme_ids,
        suggestions=suggestions_for(values_of(interview, COLUMN_FIELDS), themes=options.themes), extra=extra,
    )


@post("/stay-interviews/{interview_id:int}/edit", name="stay_interviews.update", guards=hr_only)
async def update_stay_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    interview_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    interview = await interview_or_404(db, interview_id, kind=STAY_INTERVIEWS)
    fields, theme_values, intent = await _submitted(request, data)
    options = await form_options(db)
    before_themes = await tagged_theme_ids(db, interview_id=interview.id, kind=STAY_INTERVIEWS)
    checked = check_interview(fields, theme_values=theme_values, options=options, today=clock.today(),
                              current=interview, current_theme_ids=before_themes, answers=check_held_stay_answers)
    asked, answers = await _asked(db, data, checked, interview_id=interview.id)
    if intent in {"suggest", "questions"} or checked.errors:
        return _form_again(request, fields=fields, checked=checked, intent=intent, options=options,
                           interview=interview, current_theme_ids=before_themes, extra=asked)
    await save_interview_changes(db, interview=interview, checked=checked, before_themes=before_themes,
                                 actor=request.user, request=request, kind=STAY_INTERVIEWS)
    await save_answers(db, interview_id=interview.id, answers=answers, asked=asked, actor=request.user,
                       request=request, kind="stay")
    return redirect_to(request, "stay_interviews.show", interview_id=interview.id)


@post("/stay-interviews/{interview_id:int}/delete", name="stay_interviews.delete", guards=hr_only)
async def delete_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], engine: NamedDependency[AsyncEngine],
    interview_id: FromPath[int],
) -> Redirect:
    """Erase a stay interview everywhere: its row and tags, the answers in its audit entries, SQLite's log."""
    interview = await interview_or_404(db, interview_id, kind=STAY_INTERVIEWS)
    await retention.erase_stay_interviews(db, condition=StayInterview.id == interview.id)
    # Added after the erasure, so it stays: "stay interview N deleted by X", no answers.
    audit.record(db, actor=request.user, verb="delete", entity=STAY_INTERVIEWS.entity, entity_id=interview.id,
                 request=request)
    # Committed here rather than at the end of the request: the checkpoint must see the deletion.
    await db.commit()
    await checkpoint(engine)
    return redirect_to(request, "stay_interviews")


routes = [stay_interviews_page, new_stay_interview, create_stay_interview, stay_interview_recorded,
          show_stay_interview, export_stay_interview, edit_stay_interview, update_stay_interview,
          delete_stay_interview]
