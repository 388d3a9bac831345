"""Stay interviews: what keeps people who still work here, and what would make them leave.

The same privacy rules as exit interviews: individual answers are for HR only.

- HR lists, records, opens, edits, exports and deletes stay interviews, and tags their themes
  (suggested from the answers, never imposed).
- A manager (role owner) records a stay interview held with someone in their team and gets a
  confirmation; they never see the list nor any answers, their own included once saved, and tag
  no themes (HR reviews them).
- Leadership has nothing here: stay figures reach them released and suppressed, like exit figures.

The online stay survey (a one-time link of kind "stay") lives in surveys.py and checks the answers
with `check_stay_answers`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock, retention
from actiontrack.auth.roles import requires
from actiontrack.db import checkpoint
from actiontrack.i18n import N_, current_language
from actiontrack.i18n import gettext as _
from actiontrack.interviews.queries import audited_answers, audited_changes, form_options, listed_page
from actiontrack.interviews.rules import (
    TENURE_LABELS,
    AnswerChecker,
    FormOptions,
    InterviewFilters,
    check_interview,
    form_text,
    read_filters,
)
from actiontrack.models import (
    STAY_SCORE_QUESTIONS,
    Channel,
    Department,
    JobFamily,
    Role,
    StayInterview,
    StayInterviewTheme,
    Theme,
    User,
)
from actiontrack.paging import Page
from actiontrack.params import is_id, parse_id
from actiontrack.retention import STAY_ENTITY, STAY_FREE_TEXTS
from actiontrack.settings import Settings
from actiontrack.themes.rules import STAY_LOW_SCORE_THEMES, Suggestion, suggest_themes
from actiontrack.web import hr_only, redirect_to

CHANNEL_LABELS = {Channel.INTERVIEW.value: N_("Stay conversation"), Channel.SURVEY.value: N_("Online survey")}
QUESTION_LABELS = {
    "department_id": N_("Department"),
    "job_family_id": N_("Job family"),
    "channel": N_("How the feedback was given"),
    "language": N_("Language of the answers"),
    "held_on": N_("Date of the conversation"),
    "tenure_band": N_("How long have you worked here?"),
    "keeps_here": N_("What keeps you working here?"),
    "might_leave": N_("What could make you leave?"),
    "should_change": N_("What should change?"),
    "growth_score": N_("I can grow here"),
    "recognition_score": N_("My work is recognised"),
    "manager_support_score": N_("My manager supports me"),
    "workload_score": N_("My workload is manageable"),
    "notes": N_("Interviewer's notes"),
    "themes": N_("Themes"),
}
# The questions of the stay survey, in the order of the form (and of the error summary).
ANSWER_FIELDS = ("tenure_band", "keeps_here", "might_leave", "should_change", *STAY_SCORE_QUESTIONS)
# HR's form; a manager's form is the same without channel and themes.
INTERVIEW_FIELDS = ("department_id", "job_family_id", "channel", "language", "held_on", *ANSWER_FIELDS, "notes",
                    "themes")
OWNER_FIELDS = tuple(name for name in INTERVIEW_FIELDS if name not in {"channel", "themes"})
# What keeps someone here is not a problem to act on: suggestions come from the other answers.
SUGGESTING_TEXTS = ("might_leave", "should_change", "notes")


# --- checking what was typed ------------------------------------------------------------------


def check_stay_answers(data: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The stay questions, checked: shared by the stay form and the online stay survey (which has no date)."""
    check = AnswerChecker(data)
    check.choice("tenure_band", TENURE_LABELS)
    check.text("keeps_here", required=True)
    check.text("might_leave", required=True)
    check.text("should_change", required=False)
    for name in STAY_SCORE_QUESTIONS:
        check.score(name, 1, 5)
    return check.values, check.errors


def check_held_stay_answers(data: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The stay questions and the day of the conversation (the forms of HR and managers)."""
    check = AnswerChecker(data)
    check.past_day("held_on", today=today, missing=_("Enter the date of the conversation."),
                   future=_("The conversation cannot be in the future."))
    values, errors = check_stay_answers(data, today=today)
    return {**check.values, **values}, {**check.errors, **errors}


def suggestions_for(values: Mapping[str, Any], *, themes: Sequence[Theme]) -> dict[int, Suggestion]:
    """Theme suggestions for a (possibly half-filled) stay form."""
    return suggest_themes(
        themes,
        texts=[str(values.get(name) or "") for name in SUGGESTING_TEXTS],
        language=values.get("language"),
        scores={name: values.get(name) for name in STAY_SCORE_QUESTIONS},
        low_score_themes=STAY_LOW_SCORE_THEMES,
    )


# --- queries ----------------------------------------------------------------------------------




@dataclass(frozen=True)
class ListedStayInterview:
    interview: StayInterview
    department: str
    job_family: str
    theme_ids: list[int] = field(default_factory=list)


async def list_stay_interviews(
    session: AsyncSession, *, filters: InterviewFilters, page: int,
) -> Page[ListedStayInterview]:
    """One page of stay interviews, newest conversation first, with their theme ids (three queries)."""
    return await listed_page(session, filters=filters, page=page, model=StayInterview, day=StayInterview.held_on,
                             tag_key=StayInterviewTheme.stay_interview_id, tag_theme=StayInterviewTheme.theme_id,
                             row=ListedStayInterview)


async def tagged_theme_ids(session: AsyncSession, *, interview_id: int) -> frozenset[int]:
    result = await session.execute(
        select(StayInterviewTheme.theme_id).where(StayInterviewTheme.stay_interview_id == interview_id)
    )
    return frozenset(result.scalars())


async def _get(session: AsyncSession, interview_id: int) -> StayInterview:
    interview = await session.get(StayInterview, interview_id) if is_id(interview_id) else None
    if interview is None:
        raise NotFoundException()
    return interview


# --- pages ------------------------------------------------------------------------------------

# Managers record stay interviews with their team; only HR reads them.
recorders = [requires(Role.HR, Role.OWNER)]


def labels() -> dict[str, object]:
    """The stay questions and answer choices of the stay templates, in the request's language."""

    def choices(answers: Mapping[str, str]) -> list[tuple[str, str]]:
        return [(value, _(label)) for value, label in answers.items()]

    return {
        "questions": {name: _(label) for name, label in QUESTION_LABELS.items()},
        "tenure_choices": choices(TENURE_LABELS), "channel_choices": choices(CHANNEL_LABELS),
        "score_choices": [(str(score), str(score)) for score in range(1, 6)],
        "score_questions": STAY_SCORE_QUESTIONS,
        "tenure_labels": TENURE_LABELS, "channel_labels": CHANNEL_LABELS,
    }


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
               "themes_by_id": {item.id: item for item in options.themes}, **labels()}
    template = "stay_interviews/_results.html" if request.htmx else "stay_interviews/index.html"
    return Template(template, context=context, headers={"Vary": "HX-Request"})


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
) -> Template:
    hr = _is_hr(request)
    # The form saves an existing interview, or records a new one.
    action = (request.app.route_reverse("stay_interviews.update", interview_id=interview.id) if interview
              else request.app.route_reverse("stay_interviews.create"))
    context = {
        "action": action, "form": form, "selected": selected, "options": options, "errors": errors or {},
        "interview": interview, "suggestions": suggestions or {}, "current_theme_ids": current_theme_ids,
        "today": clock.today(), "field_order": INTERVIEW_FIELDS if hr else OWNER_FIELDS, "for_hr": hr, **labels(),
        "themes_hint": _("Tick the themes this person raised. Suggestions come from words in the answers and from "
                         "low scores; a theme is only saved when you tick it."),
        # Retired groups and themes are offered only where they are already used.
        "department_choices": [(item.id, item.name) for item in options.departments
                               if item.active or (interview and interview.department_id == item.id)],
        "job_family_choices": [(item.id, item.name) for item in options.job_families
                               if item.active or (interview and interview.job_family_id == item.id)],
        "theme_choices": [theme for theme in options.themes if theme.active or theme.id in current_theme_ids],
    }
    # The "suggest themes" button swaps only the theme checkboxes when HTMX is there (HR's form only).
    template = "interviews/_themes.html" if request.htmx and hr else "stay_interviews/form.html"
    return Template(template, context=context, status_code=status_code, headers={"Vary": "HX-Request"})


def _new_form() -> dict[str, str]:
    return {"language": current_language(), "channel": Channel.INTERVIEW.value,
            "held_on": clock.today().isoformat()}


def _form_of(interview: StayInterview) -> dict[str, str]:
    return {name: "" if (value := getattr(interview, name)) is None else str(value)
            for name in INTERVIEW_FIELDS if name != "themes"}


def _as_values(interview: StayInterview) -> dict[str, Any]:
    return {name: getattr(interview, name) for name in INTERVIEW_FIELDS if name != "themes"}


async def _submitted(request: Request, data: Mapping[str, Any]) -> tuple[dict[str, str], list[str], str]:
    """The fields of the form; a manager's form has a fixed channel and no themes, whatever is sent."""
    form = await request.form()
    fields = {name: form_text(data, name) for name in INTERVIEW_FIELDS if name != "themes"}
    if not _is_hr(request):
        fields["channel"] = Channel.INTERVIEW.value
        return fields, [], "save"
    return fields, [value for value in form.getall("themes", []) if isinstance(value, str)], form_text(data, "intent")


@get("/stay-interviews/new", name="stay_interviews.new", guards=recorders)
async def new_stay_interview(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    return _form_page(request, form=_new_form(), selected=set(), options=await form_options(db))


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
    if intent == "suggest" or checked.errors:
        return _form_page(
            request, form=fields, selected=set(checked.theme_ids), options=options,
            errors={} if intent == "suggest" else checked.errors, status_code=200 if intent == "suggest" else 400,
            suggestions=suggestions_for(checked.values, themes=options.themes),
        )
    user: User = request.user
    interview = StayInterview(
        **checked.values, interviewer_id=user.id if checked.values["channel"] == Channel.INTERVIEW else None,
    )
    db.add(interview)
    await db.flush()
    db.add_all(StayInterviewTheme(stay_interview_id=interview.id, theme_id=theme_id) for theme_id in checked.theme_ids)
    audit.record(db, actor=user, verb="create", entity=STAY_ENTITY, entity_id=interview.id,
                 changes={**audited_answers(checked.values, free_texts=STAY_FREE_TEXTS), "themes": checked.theme_ids}, request=request)
    if not _is_hr(request):
        # A manager never reads answers back, not even the ones they just typed.
        return redirect_to(request, "stay_interviews.recorded")
    return redirect_to(request, "stay_interviews.show", interview_id=interview.id)


@get("/stay-interviews/recorded", name="stay_interviews.recorded", guards=recorders, sync_to_thread=False)
def stay_interview_recorded() -> Template:
    return Template("stay_interviews/recorded.html")


@get("/stay-interviews/{interview_id:int}", name="stay_interviews.show", guards=hr_only)
async def show_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings], interview_id: FromPath[int],
) -> Template:
    interview = await _get(db, interview_id)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id)
    interviewer = await db.get(User, interview.interviewer_id) if interview.interviewer_id else None
    suggestions = {
        theme_id: suggestion
        for theme_id, suggestion in suggestions_for(_as_values(interview), themes=options.themes).items()
        if theme_id not in theme_ids
    }
    context = {
        "interview": interview, "theme_ids": theme_ids, "interviewer": interviewer, "suggestions": suggestions,
        "department": next(item for item in options.departments if item.id == interview.department_id),
        "job_family": next(item for item in options.job_families if item.id == interview.job_family_id),
        "themes_by_id": {item.id: item for item in options.themes}, **labels(),
        "retention": retention.retention_of(interview.held_on, settings=settings),
    }
    return Template("stay_interviews/show.html", context=context)


def _exported(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@get("/stay-interviews/{interview_id:int}/export", name="stay_interviews.export", guards=hr_only)
async def export_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings], interview_id: FromPath[int],
) -> Response:
    """One stay interview as a JSON file, for an access request: every answer, the themes, the dates."""
    interview = await _get(db, interview_id)
    department = await db.get(Department, interview.department_id)
    job_family = await db.get(JobFamily, interview.job_family_id)
    themes = (await db.execute(
        select(Theme).join(StayInterviewTheme, StayInterviewTheme.theme_id == Theme.id)
        .where(StayInterviewTheme.stay_interview_id == interview.id).order_by(Theme.position, Theme.id)
    )).scalars().all()
    kept = retention.retention_of(interview.held_on, settings=settings)
    content = {
        "stay_interview": interview.id,
        "department": department.name if department else None,
        "job_family": job_family.name if job_family else None,
        "channel": interview.channel,
        "language": interview.language,
        "held_on": interview.held_on.isoformat(),
        **{name: _exported(getattr(interview, name)) for name in ANSWER_FIELDS},
        "notes": interview.notes,
        # In the language of the answers: the person's own, for an access request.
        "themes": [theme.name(interview.language) for theme in themes],
        "recorded_on": interview.created_at.date().isoformat(),
        "last_changed_on": interview.updated_at.date().isoformat(),
        "free_text_erased_on": _exported(kept.free_text_on),
        "interview_erased_on": _exported(kept.interview_on),
    }
    audit.record(db, actor=request.user, verb="export", entity=STAY_ENTITY, entity_id=interview.id, request=request)
    return Response(content=content, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="stay-interview-{interview.id}.json"',
        "Cache-Control": "no-store",
    })


@get("/stay-interviews/{interview_id:int}/edit", name="stay_interviews.edit", guards=hr_only)
async def edit_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int],
) -> Template:
    interview = await _get(db, interview_id)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id)
    return _form_page(
        request, form=_form_of(interview), selected=set(theme_ids),
        options=options, interview=interview, current_theme_ids=theme_ids,
        suggestions=suggestions_for(_as_values(interview), themes=options.themes),
    )


@post("/stay-interviews/{interview_id:int}/edit", name="stay_interviews.update", guards=hr_only)
async def update_stay_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    interview_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    interview = await _get(db, interview_id)
    fields, theme_values, intent = await _submitted(request, data)
    options = await form_options(db)
    before_themes = await tagged_theme_ids(db, interview_id=interview.id)
    checked = check_interview(fields, theme_values=theme_values, options=options, today=clock.today(),
                              current=interview, current_theme_ids=before_themes, answers=check_held_stay_answers)
    if intent == "suggest" or checked.errors:
        return _form_page(
            request, form=fields, selected=set(checked.theme_ids),
            options=options, interview=interview, current_theme_ids=before_themes,
            errors={} if intent == "suggest" else checked.errors, status_code=200 if intent == "suggest" else 400,
            suggestions=suggestions_for(checked.values, themes=options.themes),
        )
    before = {name: getattr(interview, name) for name in checked.values}
    for name, value in checked.values.items():
        setattr(interview, name, value)
    changes = audited_changes(before, checked.values, free_texts=STAY_FREE_TEXTS)
    after_themes = set(checked.theme_ids)
    if after_themes != before_themes:
        changes["themes"] = [sorted(before_themes), sorted(after_themes)]
        await db.execute(delete(StayInterviewTheme).where(
            StayInterviewTheme.stay_interview_id == interview.id, StayInterviewTheme.theme_id.not_in(after_themes)
        ))
        db.add_all(StayInterviewTheme(stay_interview_id=interview.id, theme_id=theme_id)
                   for theme_id in sorted(after_themes - before_themes))
    if changes:
        interview.updated_at = clock.utcnow()
        audit.record(db, actor=request.user, verb="update", entity=STAY_ENTITY, entity_id=interview.id,
                     changes=changes, request=request)
    return redirect_to(request, "stay_interviews.show", interview_id=interview.id)


@post("/stay-interviews/{interview_id:int}/delete", name="stay_interviews.delete", guards=hr_only)
async def delete_stay_interview(
    request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int],
) -> Redirect:
    """Erase a stay interview everywhere: its row and tags, the answers in its audit entries, SQLite's log."""
    interview = await _get(db, interview_id)
    await retention.erase_stay_interviews(db, condition=StayInterview.id == interview.id)
    # Added after the erasure, so it stays: "stay interview N deleted by X", no answers.
    audit.record(db, actor=request.user, verb="delete", entity=STAY_ENTITY, entity_id=interview.id, request=request)
    # Committed here rather than at the end of the request: the checkpoint must see the deletion.
    await db.commit()
    await checkpoint(request.app.state.engine)
    return redirect_to(request, "stay_interviews")


routes = [stay_interviews_page, new_stay_interview, create_stay_interview, stay_interview_recorded,
          show_stay_interview, export_stay_interview, edit_stay_interview, update_stay_interview,
          delete_stay_interview]
