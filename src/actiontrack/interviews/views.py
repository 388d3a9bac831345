"""What the exit and stay interview pages share, given the kind (`PageKind`): the list, the form and its checks,
one interview, its export, its edits and its deletion. The routes stay in each kind's pages.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from actiontrack import audit, clock, retention
from actiontrack.db import checkpoint
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.interviews.kinds import InterviewWords
from actiontrack.interviews.queries import (
    InterviewKind,
    export_document,
    form_options,
    interview_or_404,
    list_interviews,
    save_interview_changes,
    save_new_interview,
    tagged_theme_ids,
)
from actiontrack.interviews.rules import (
    CheckedInterview,
    FormOptions,
    InterviewFilters,
    check_interview,
    form_choices,
    form_of,
    form_text,
    read_filters,
    suggestions_for,
    values_of,
)
from actiontrack.models import Channel, ExtraQuestion, Role, User
from actiontrack.params import parse_id
from actiontrack.questions import rules as extra_rules
from actiontrack.questions.queries import answered_questions, answers_of, questions_for, save_answers
from actiontrack.settings import Settings
from actiontrack.themes.rules import Suggestion
from actiontrack.web import HTMX_VARY, NO_STORE, redirect_to


@dataclass(frozen=True)
class PageKind:
    """One kind of interview as its pages see it: where it is kept, its words, its questions and checks."""

    store: InterviewKind
    words: InterviewWords
    questions: str  # the kind of HR's extra questions: "exit" or "stay"
    fields: tuple[str, ...]  # the form's fields for HR, in order
    owner_fields: tuple[str, ...] | None  # a manager's (role owner) fields, when managers record this kind
    column_fields: tuple[str, ...]
    labels: Callable[[], dict[str, object]]
    check_answers: Callable[..., tuple[dict[str, Any], dict[str, str]]]
    erase: Callable[..., Awaitable[int]]
    file_name: str  # of an export, before its id
    themes_hint: str | None = None  # marked with N_, translated when shown; None: the template's own
    dated_today: bool = False  # whether a blank form says today for the day the interview was held


def _is_hr(request: Request) -> bool:
    return bool(request.user.role == Role.HR)


async def list_page(request: Request, db: AsyncSession, kind: PageKind, *, page: str | None,
                    **query: str | None) -> Template:
    """The filtered list (HR): the whole page, or only its results for HTMX."""
    filters: InterviewFilters = read_filters(**query)
    options = await form_options(db)
    listing = await list_interviews(db, filters=filters, page=parse_id(page) or 1, kind=kind.store)
    context = {"filters": filters, "listing": listing, "options": options,
               "themes_by_id": {item.id: item for item in options.themes}, "words": kind.words, **kind.labels()}
    template = "interviews/_results.html" if request.htmx else "interviews/index.html"
    return Template(template, context=context, headers=HTMX_VARY)


def form_page(
    request: Request,
    kind: PageKind,
    *,
    form: Mapping[str, Any],
    selected: set[int],
    options: FormOptions,
    errors: Mapping[str, str] | None = None,
    interview: Any = None,
    status_code: int = 200,
    suggestions: Mapping[int, Suggestion] | None = None,
    current_theme_ids: frozenset[int] = frozenset(),
    extra: Sequence[ExtraQuestion] = (),
    intent: str = "",
) -> Template:
    hr = _is_hr(request)
    # The form saves an existing interview, or records a new one.
    action = (request.app.route_reverse(f"{kind.words.route}.update", interview_id=interview.id) if interview
              else request.app.route_reverse(f"{kind.words.route}.create"))
    context: dict[str, Any] = {
        "action": action, "form": form, "selected": selected, "options": options, "errors": errors or {},
        "interview": interview, "suggestions": suggestions or {}, "current_theme_ids": current_theme_ids,
        "today": clock.today(), "for_hr": hr, "words": kind.words, **kind.labels(),
        **form_choices(options, interview=interview, current_theme_ids=current_theme_ids),
    }
    if kind.themes_hint:
        context["themes_hint"] = _(kind.themes_hint)
    # HR's extra questions for the group come before the notes.
    context |= extra_rules.form_context(extra, labels=context["questions"], before="notes",
                                        order=kind.fields if hr or kind.owner_fields is None else kind.owner_fields)
    # With HTMX, "suggest themes" swaps only the theme checkboxes (HR's form), a change of group only the extra
    # questions.
    if request.htmx and intent == "questions":
        template = "interviews/_extra_questions.html"
    else:
        template = "interviews/_themes.html" if request.htmx and hr else "interviews/form.html"
    return Template(template, context=context, status_code=status_code, headers=HTMX_VARY)


def _form_again(
    request: Request, kind: PageKind, *, fields: Mapping[str, str], checked: CheckedInterview, intent: str,
    options: FormOptions, interview: Any = None, current_theme_ids: frozenset[int] = frozenset(),
    extra: Sequence[ExtraQuestion] = (),
) -> Template:
    # Asked for suggestions or the questions of another group (200), or sent with mistakes (400): the form again,
    # as typed.
    asking = intent in {"suggest", "questions"}
    return form_page(
        request, kind, form=fields, selected=set(checked.theme_ids), options=options, interview=interview,
        current_theme_ids=current_theme_ids, errors={} if asking else checked.errors,
        status_code=200 if asking else 400,
        suggestions=suggestions_for(checked.values, themes=options.themes, kind=kind.questions),
        extra=extra, intent=intent,
    )


async def _asked(db: AsyncSession, kind: PageKind, data: Mapping[str, Any], checked: CheckedInterview, *,
                 interview_id: int | None = None) -> tuple[list[ExtraQuestion], dict[int, Any]]:
    """The extra questions of the chosen group asked in this kind of interview (and those the interview
    answered), and their checked answers."""
    asked = await questions_for(db, department_id=checked.values.get("department_id"),
                                job_family_id=checked.values.get("job_family_id"), interview_id=interview_id,
                                kind=kind.questions)
    answers, errors = extra_rules.check_answers(data, asked)
    checked.errors.update(errors)
    return asked, answers


async def _submitted(request: Request, kind: PageKind,
                     data: Mapping[str, Any]) -> tuple[dict[str, str], list[str], str]:
    """The fields of the form; a manager's form has a fixed channel and no themes, whatever is sent."""
    form = await request.form()
    fields = {name: form_text(data, name) for name in kind.column_fields}
    fields.update({name: form_text(data, name) for name in data if name.startswith("question_")})
    if not _is_hr(request):
        fields["channel"] = Channel.INTERVIEW.value
        return fields, [], "questions" if form_text(data, "intent") == "questions" else "save"
    return fields, [value for value in form.getall("themes", []) if isinstance(value, str)], form_text(data, "intent")


async def new_form(request: Request, db: AsyncSession, kind: PageKind) -> Template:
    """The blank form, in the user's language (and dated today, for a conversation held now)."""
    form = {"language": current_language(), "channel": Channel.INTERVIEW.value}
    if kind.dated_today:
        form[kind.words.day] = clock.today().isoformat()
    return form_page(request, kind, form=form, selected=set(), options=await form_options(db),
                     extra=await questions_for(db, department_id=None, job_family_id=None, kind=kind.questions))


async def create(request: Request, db: AsyncSession, kind: PageKind, data: Mapping[str, Any]) -> Template | Redirect:
    """Record a new interview (or show the form again); HR then reads it, a manager gets a confirmation."""
    fields, theme_values, intent = await _submitted(request, kind, data)
    options = await form_options(db)
    checked = check_interview(fields, theme_values=theme_values, options=options, today=clock.today(),
                              answers=kind.check_answers)
    asked, answers = await _asked(db, kind, data, checked)
    if intent in {"suggest", "questions"} or checked.errors:
        return _form_again(request, kind, fields=fields, checked=checked, intent=intent, options=options, extra=asked)
    user: User = request.user
    interview = await save_new_interview(db, checked=checked, actor=user, request=request, kind=kind.store)
    await save_answers(db, interview_id=interview.id, answers=answers, asked=asked, actor=user, request=request,
                       kind=kind.questions)
    if not _is_hr(request):
        # A manager never reads answers back, not even the ones they just typed.
        return redirect_to(request, f"{kind.words.route}.recorded")
    return redirect_to(request, f"{kind.words.route}.show", interview_id=interview.id)


async def show(request: Request, db: AsyncSession, settings: Settings, kind: PageKind, interview_id: int) -> Template:
    """One interview for HR: its facts, answers, themes (and suggested ones) and how long it is kept."""
    interview = await interview_or_404(db, interview_id, kind=kind.store)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id, kind=kind.store)
    interviewer = await db.get(User, interview.interviewer_id) if interview.interviewer_id else None
    suggested = suggestions_for(values_of(interview, kind.column_fields), themes=options.themes, kind=kind.questions)
    answered = await answered_questions(db, interview_id=interview.id, kind=kind.questions)
    context = {
        "interview": interview, "theme_ids": theme_ids, "interviewer": interviewer,
        "suggestions": {theme_id: item for theme_id, item in suggested.items() if theme_id not in theme_ids},
        "department": next(item for item in options.departments if item.id == interview.department_id),
        "job_family": next(item for item in options.job_families if item.id == interview.job_family_id),
        "themes_by_id": {item.id: item for item in options.themes}, "words": kind.words, **kind.labels(),
        "retention": retention.retention_of(getattr(interview, kind.words.day), settings=settings),
        "extra_answers": [(extra_rules.wording(question, current_language()), question.kind,
                           extra_rules.shown_answer(answer, question, current_language()))
                          for question, answer in answered],
    }
    return Template("interviews/show.html", context=context)


async def export(request: Request, db: AsyncSession, settings: Settings, kind: PageKind,
                 interview_id: int) -> Response[Any]:
    """One interview as a JSON file, for an access request: every answer, the themes, the dates."""
    interview = await interview_or_404(db, interview_id, kind=kind.store)
    content = await export_document(db, interview=interview, settings=settings, kind=kind.store)
    # In the language of the answers, as the rest of the document.
    content["extra_questions"] = [
        {"question": extra_rules.wording(question, interview.language).text,
         "answer": extra_rules.exported_answer(answer, question, interview.language)}
        for question, answer in await answered_questions(db, interview_id=interview.id, kind=kind.questions)]
    audit.record(db, actor=request.user, verb="export", entity=kind.store.entity, entity_id=interview.id,
                 request=request)
    return Response(content=content, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{kind.file_name}-{interview.id}.json"',
        **NO_STORE,
    })


async def edit(request: Request, db: AsyncSession, kind: PageKind, interview_id: int) -> Template:
    """The form filled with the interview's answers and themes (HR)."""
    interview = await interview_or_404(db, interview_id, kind=kind.store)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id, kind=kind.store)
    extra = await questions_for(db, department_id=interview.department_id, job_family_id=interview.job_family_id,
                                interview_id=interview.id, kind=kind.questions)
    answers = await answers_of(db, interview_id=interview.id, kind=kind.questions)
    form = {**form_of(interview, kind.column_fields),
            **{extra_rules.field_name(question): extra_rules.form_value(answers.get(question.id), question)
               for question in extra}}
    return form_page(
        request, kind, form=form, selected=set(theme_ids), options=options, interview=interview,
        current_theme_ids=theme_ids,
        suggestions=suggestions_for(values_of(interview, kind.column_fields), themes=options.themes,
                                    kind=kind.questions),
        extra=extra,
    )


async def update(request: Request, db: AsyncSession, kind: PageKind, interview_id: int,
                 data: Mapping[str, Any]) -> Template | Redirect:
    """Save HR's changes (or show the form again)."""
    interview = await interview_or_404(db, interview_id, kind=kind.store)
    fields, theme_values, intent = await _submitted(request, kind, data)
    options = await form_options(db)
    before_themes = await tagged_theme_ids(db, interview_id=interview.id, kind=kind.store)
    checked = check_interview(fields, theme_values=theme_values, options=options, today=clock.today(),
                              current=interview, current_theme_ids=before_themes, answers=kind.check_answers)
    asked, answers = await _asked(db, kind, data, checked, interview_id=interview.id)
    if intent in {"suggest", "questions"} or checked.errors:
        return _form_again(request, kind, fields=fields, checked=checked, intent=intent, options=options,
                           interview=interview, current_theme_ids=before_themes, extra=asked)
    await save_interview_changes(db, interview=interview, checked=checked, before_themes=before_themes,
                                 actor=request.user, request=request, kind=kind.store)
    await save_answers(db, interview_id=interview.id, answers=answers, asked=asked, actor=request.user,
                       request=request, kind=kind.questions)
    return redirect_to(request, f"{kind.words.route}.show", interview_id=interview.id)


async def delete(request: Request, db: AsyncSession, engine: AsyncEngine, kind: PageKind,
                 interview_id: int) -> Redirect:
    """Erase an interview everywhere: its row and tags, the answers in its audit entries, SQLite's log."""
    interview = await interview_or_404(db, interview_id, kind=kind.store)
    await kind.erase(db, condition=kind.store.model.id == interview.id)
    # Added after the erasure, so it stays: "interview N deleted by X", no answers.
    audit.record(db, actor=request.user, verb="delete", entity=kind.store.entity, entity_id=interview.id,
                 request=request)
    # Committed here rather than at the end of the request: the checkpoint must see the deletion.
    await db.commit()
    await checkpoint(engine)
    return redirect_to(request, kind.words.route)
