"""Exit interviews: the standard questions, capture and checks, the list, editing, export and deletion (HR only)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock, retention
from actiontrack.db import checkpoint
from actiontrack.i18n import N_, current_language
from actiontrack.i18n import gettext as _
from actiontrack.models import (
    SCORE_QUESTIONS,
    Channel,
    Department,
    ExitInterview,
    InterviewTheme,
    JobFamily,
    PayFactor,
    TenureBand,
    Theme,
    User,
    WouldReturn,
    column_limit,
)
from actiontrack.paging import Page, page_number
from actiontrack.params import is_id, parse_id
from actiontrack.retention import FREE_TEXTS
from actiontrack.settings import LANGUAGES, Settings
from actiontrack.themes import Suggestion, suggest_themes
from actiontrack.web import hr_only

# Long enough for a frank answer, short enough to keep pages and the database sane.
MAX_ANSWER = column_limit(ExitInterview, "reason_for_leaving")
EARLIEST_EXIT_DATE = date(2000, 1, 1)
PAGE_SIZE = 25
TENURE_LABELS = {
    TenureBand.UNDER_1.value: N_("Less than 1 year"),
    TenureBand.FROM_1_TO_2.value: N_("1 to 2 years"),
    TenureBand.FROM_2_TO_5.value: N_("2 to 5 years"),
    TenureBand.FROM_5_TO_10.value: N_("5 to 10 years"),
    TenureBand.OVER_10.value: N_("More than 10 years"),
}
CHANNEL_LABELS = {Channel.INTERVIEW.value: N_("Exit interview"), Channel.SURVEY.value: N_("Online survey")}
PAY_FACTOR_LABELS = {PayFactor.YES.value: N_("Yes"), PayFactor.PARTLY.value: N_("Partly"), PayFactor.NO.value: N_("No")}
WOULD_RETURN_LABELS = {
    WouldReturn.YES.value: N_("Yes"), WouldReturn.MAYBE.value: N_("Maybe"), WouldReturn.NO.value: N_("No"),
}
# FREE_TEXTS (the two open questions and the interviewer's notes) lives with the retention rules that erase it.
QUESTION_LABELS = {
    "department_id": N_("Department"),
    "job_family_id": N_("Job family"),
    "tenure_band": N_("How long did you work here?"),
    "exit_date": N_("Last working day"),
    "channel": N_("How the feedback was given"),
    "language": N_("Language of the answers"),
    "reason_for_leaving": N_("Why are you leaving?"),
    "pay_factor": N_("Did pay play a part in your decision to leave?"),
    "tasks_match_score": N_("My tasks matched the job as it was described to me"),
    "manager_support_score": N_("My manager supported me"),
    "training_score": N_("I got the training I needed"),
    "recognition_score": N_("My work was recognised"),
    "improvement_suggestion": N_("What should we improve?"),
    "would_return": N_("Would you come back to work here?"),
    "recommend_score": N_("How likely are you to recommend us as an employer to a friend?"),
    "notes": N_("Interviewer's notes"),
    "themes": N_("Themes"),
}
# The order of the form (and of the error summary).
ANSWER_FIELDS = (
    "tenure_band", "exit_date", "reason_for_leaving", "pay_factor", *SCORE_QUESTIONS,
    "improvement_suggestion", "would_return", "recommend_score",
)
INTERVIEW_FIELDS = ("department_id", "job_family_id", "channel", "language", *ANSWER_FIELDS, "notes", "themes")

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- checking what was typed ------------------------------------------------------------------


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def clean_text(value: str) -> str:
    """Free text as stored: Unix line ends, no control characters (PostgreSQL refuses NUL), trimmed."""
    return _CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def form_text(data: Mapping[str, Any], name: str) -> str:
    """One field of a submitted form as text (the first value if a field was sent twice)."""
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


class AnswerChecker:
    """Checks a submitted form field by field, collecting the clean values and the errors (exit and stay forms)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.values: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    def choice(self, name: str, allowed: Mapping[str, str]) -> None:
        value = form_text(self.data, name).strip()
        if value not in allowed:
            self.errors[name] = _("Choose one of the answers.")
        self.values[name] = value

    def score(self, name: str, low: int, high: int) -> None:
        text = form_text(self.data, name).strip()
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None
        if number is None or not low <= number <= high:
            self.errors[name] = _("Choose a score from %(low)d to %(high)d.") % {"low": low, "high": high}
        self.values[name] = number

    def text(self, name: str, *, required: bool) -> None:
        value = clean_text(form_text(self.data, name))
        if required and not value:
            self.errors[name] = _("Answer this question.")
        elif len(value) > MAX_ANSWER:
            self.errors[name] = _("Use at most %(max)d characters (this answer has %(count)d).") % {
                "max": MAX_ANSWER, "count": len(value),
            }
        self.values[name] = value

    def past_day(self, name: str, *, today: date, missing: str, future: str) -> None:
        """A date from 2000 to today; `missing` and `future` are the (translated) messages for those mistakes."""
        raw = form_text(self.data, name).strip()
        day = parse_date(raw)
        if not raw:
            self.errors[name] = missing
        elif day is None:
            self.errors[name] = _("Enter the date as year-month-day, for example %(example)s.") % {
                "example": today.replace(day=1).isoformat(),
            }
        elif day > today:
            self.errors[name] = future
        elif day < EARLIEST_EXIT_DATE:
            self.errors[name] = _("Enter a date after %(date)s.") % {"date": EARLIEST_EXIT_DATE.isoformat()}
        self.values[name] = day


def check_answers(data: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The leaver's answers, checked: shared by the interview form and the online survey."""
    check = AnswerChecker(data)
    check.choice("tenure_band", TENURE_LABELS)
    check.past_day("exit_date", today=today, missing=_("Enter the last working day."),
                   future=_("The last working day cannot be in the future."))
    check.text("reason_for_leaving", required=True)
    check.choice("pay_factor", PAY_FACTOR_LABELS)
    for name in SCORE_QUESTIONS:
        check.score(name, 1, 5)
    check.text("improvement_suggestion", required=False)
    check.choice("would_return", WOULD_RETURN_LABELS)
    check.score("recommend_score", 0, 10)
    return check.values, check.errors


@dataclass(frozen=True)
class FormOptions:
    """What the interview form offers: every group and theme, retired ones too (kept on old interviews)."""

    departments: Sequence[Department]
    job_families: Sequence[JobFamily]
    themes: Sequence[Theme]


async def form_options(session: AsyncSession) -> FormOptions:
    departments = (await session.execute(select(Department).order_by(Department.name))).scalars().all()
    job_families = (await session.execute(select(JobFamily).order_by(JobFamily.name))).scalars().all()
    themes = (await session.execute(select(Theme).order_by(Theme.position, Theme.id))).scalars().all()
    return FormOptions(departments, job_families, themes)


@dataclass(frozen=True)
class CheckedInterview:
    values: dict[str, Any]
    theme_ids: list[int]
    errors: dict[str, str]


def check_interview(
    data: Mapping[str, Any],
    *,
    theme_values: Sequence[str],
    options: FormOptions,
    today: date,
    current: Any = None,
    current_theme_ids: frozenset[int] = frozenset(),
    answers: Callable[..., tuple[dict[str, Any], dict[str, str]]] = check_answers,
) -> CheckedInterview:
    """Check the whole interview form; nothing may be saved unless `errors` is empty.

    `answers` checks the questions themselves: the exit questions, or the stay questions
    (stay_interviews.check_stay_answers); `current` is the exit or stay interview being edited.
    """
    values, errors = answers(data, today=today)

    def group(name: str, choices: Sequence[Department | JobFamily], message: str) -> None:
        chosen = parse_id(form_text(data, name))
        # Retired groups stay valid on the interviews that already have them, and only there.
        allowed = {item.id for item in choices if item.active or (current and getattr(current, name) == item.id)}
        if chosen not in allowed:
            errors[name] = message
        values[name] = chosen

    group("department_id", options.departments, _("Choose a department from the list."))
    group("job_family_id", options.job_families, _("Choose a job family from the list."))
    channel = form_text(data, "channel").strip()
    if channel not in CHANNEL_LABELS:
        errors["channel"] = _("Choose one of the answers.")
    values["channel"] = channel
    language = form_text(data, "language").strip()
    if language not in LANGUAGES:
        errors["language"] = _("Choose one of the answers.")
    values["language"] = language
    notes = clean_text(form_text(data, "notes"))
    if len(notes) > MAX_ANSWER:
        errors["notes"] = _("Use at most %(max)d characters (this answer has %(count)d).") % {
            "max": MAX_ANSWER, "count": len(notes),
        }
    values["notes"] = notes

    offered = {theme.id for theme in options.themes if theme.active or theme.id in current_theme_ids}
    theme_ids = [parse_id(value) for value in theme_values]
    if any(theme_id not in offered for theme_id in theme_ids):
        errors["themes"] = _("Choose themes from the list.")
    return CheckedInterview(values, sorted({theme_id for theme_id in theme_ids if theme_id in offered}), errors)


def suggestions_for(values: Mapping[str, Any], *, themes: Sequence[Theme]) -> dict[int, Suggestion]:
    """Theme suggestions for a (possibly half-filled) form."""
    return suggest_themes(
        themes,
        texts=[str(values.get(name) or "") for name in FREE_TEXTS],
        language=values.get("language"),
        scores={name: values.get(name) for name in SCORE_QUESTIONS},
        pay_factor=values.get("pay_factor"),
    )


def _audited(values: Mapping[str, Any]) -> dict[str, Any]:
    # Free text stays out of the audit trail: deleting an interview must delete the leaver's words.
    return {name: (f"{len(value)} characters" if name in FREE_TEXTS else value) for name, value in values.items()}


# --- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewFilters:
    department_id: int | None = None
    job_family_id: int | None = None
    theme_id: int | None = None
    channel: str | None = None
    start: date | None = None
    end: date | None = None
    errors: tuple[str, ...] = ()

    def query(self, **overrides: object) -> str:
        """The filters as a query string (for links to other pages of the list)."""
        params = {
            "department": self.department_id, "job_family": self.job_family_id, "theme": self.theme_id,
            "channel": self.channel, "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None, **overrides,
        }
        return urlencode({name: value for name, value in params.items() if value not in (None, "")})

    @property
    def active(self) -> bool:
        return any(value is not None for value in (
            self.department_id, self.job_family_id, self.theme_id, self.channel, self.start, self.end,
        ))


def read_filters(*, department: str | None, job_family: str | None, theme: str | None, channel: str | None,
                 start: str | None, end: str | None) -> InterviewFilters:
    """Filters from the query string; a malformed one is explained and ignored."""
    errors: list[str] = []
    dates: dict[str, date | None] = {}
    for name, raw in (("start", start), ("end", end)):
        dates[name] = parse_date(raw) if raw else None
        if raw and dates[name] is None:
            errors.append(_("Dates are written year-month-day, for example %(example)s; this filter was ignored.")
                          % {"example": clock.today().replace(day=1).isoformat()})
    return InterviewFilters(
        department_id=parse_id(department) if department else None,
        job_family_id=parse_id(job_family) if job_family else None,
        theme_id=parse_id(theme) if theme else None,
        channel=channel if channel in CHANNEL_LABELS else None,
        start=dates["start"], end=dates["end"], errors=tuple(dict.fromkeys(errors)),
    )


@dataclass(frozen=True)
class ListedInterview:
    interview: ExitInterview
    department: str
    job_family: str
    theme_ids: list[int] = field(default_factory=list)


async def list_interviews(session: AsyncSession, *, filters: InterviewFilters, page: int) -> Page[ListedInterview]:
    """One page of interviews, newest exit first, with their theme ids (three queries)."""
    return await listed_page(session, filters=filters, page=page, model=ExitInterview, day=ExitInterview.exit_date,
                             tag_key=InterviewTheme.interview_id, tag_theme=InterviewTheme.theme_id,
                             row=ListedInterview)


async def listed_page(
    session: AsyncSession, *, filters: InterviewFilters, page: int, model: Any, day: Any, tag_key: Any,
    tag_theme: Any, row: Any,
) -> Page[Any]:
    """One page of exit or stay interviews (`model`, dated by `day`, tagged in the table of `tag_key` and
    `tag_theme`), the newest first, as `row`s with their theme ids (three queries)."""
    conditions = []
    if filters.department_id is not None:
        conditions.append(model.department_id == filters.department_id)
    if filters.job_family_id is not None:
        conditions.append(model.job_family_id == filters.job_family_id)
    if filters.channel is not None:
        conditions.append(model.channel == filters.channel)
    if filters.start is not None:
        conditions.append(day >= filters.start)
    if filters.end is not None:
        conditions.append(day <= filters.end)
    if filters.theme_id is not None:
        conditions.append(model.id.in_(select(tag_key).where(tag_theme == filters.theme_id)))
    total = await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    number = page_number(page, total=total, size=PAGE_SIZE)
    query = (
        select(model, Department.name, JobFamily.name)
        .join(Department, Department.id == model.department_id)
        .join(JobFamily, JobFamily.id == model.job_family_id)
        .where(*conditions)
        .order_by(day.desc(), model.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    rows = [row(interview, department, job_family)
            for interview, department, job_family in (await session.execute(query)).all()]
    by_id = {item.interview.id: item for item in rows}
    if by_id:
        for interview_id, theme_id in (await session.execute(
                select(tag_key, tag_theme).where(tag_key.in_(by_id)))).all():
            by_id[interview_id].theme_ids.append(theme_id)
    return Page(rows=rows, number=number, total=total, size=PAGE_SIZE)


async def tagged_theme_ids(session: AsyncSession, *, interview_id: int) -> frozenset[int]:
    result = await session.execute(select(InterviewTheme.theme_id).where(InterviewTheme.interview_id == interview_id))
    return frozenset(result.scalars())


async def _get(session: AsyncSession, interview_id: int) -> ExitInterview:
    interview = await session.get(ExitInterview, interview_id) if is_id(interview_id) else None
    if interview is None:
        raise NotFoundException()
    return interview


# --- pages ------------------------------------------------------------------------------------



def labels() -> dict[str, object]:
    """The questions and answer choices of interview and survey templates, in the request's language."""

    def choices(answers: Mapping[str, str]) -> list[tuple[str, str]]:
        return [(value, _(label)) for value, label in answers.items()]

    return {
        "questions": {name: _(label) for name, label in QUESTION_LABELS.items()},
        "tenure_choices": choices(TENURE_LABELS), "channel_choices": choices(CHANNEL_LABELS),
        "pay_factor_choices": choices(PAY_FACTOR_LABELS), "would_return_choices": choices(WOULD_RETURN_LABELS),
        "score_choices": [(str(score), str(score)) for score in range(1, 6)],
        "recommend_choices": [(str(score), str(score)) for score in range(0, 11)],
        "score_questions": SCORE_QUESTIONS, "max_answer": MAX_ANSWER,
        "tenure_labels": TENURE_LABELS, "channel_labels": CHANNEL_LABELS, "pay_factor_labels": PAY_FACTOR_LABELS,
        "would_return_labels": WOULD_RETURN_LABELS,
    }


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
               "themes_by_id": {item.id: item for item in options.themes}, **labels()}
    template = "interviews/_results.html" if request.htmx else "interviews/index.html"
    return Template(template, context=context, headers={"Vary": "HX-Request"})


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
) -> Template:
    context = {
        "action": action, "form": form, "selected": selected, "options": options, "errors": errors or {},
        "interview": interview, "suggestions": suggestions or {}, "current_theme_ids": current_theme_ids,
        "today": clock.today(), "field_order": INTERVIEW_FIELDS, **labels(),
        # Retired groups and themes are offered only where they are already used.
        "department_choices": [(item.id, item.name) for item in options.departments
                               if item.active or (interview and interview.department_id == item.id)],
        "job_family_choices": [(item.id, item.name) for item in options.job_families
                               if item.active or (interview and interview.job_family_id == item.id)],
        "theme_choices": [theme for theme in options.themes if theme.active or theme.id in current_theme_ids],
    }
    # The "suggest themes" button swaps only the theme checkboxes when HTMX is there.
    template = "interviews/_themes.html" if request.htmx else "interviews/form.html"
    return Template(template, context=context, status_code=status_code, headers={"Vary": "HX-Request"})


def _new_form() -> dict[str, str]:
    return {"language": current_language(), "channel": Channel.INTERVIEW.value}


def _form_of(interview: ExitInterview) -> dict[str, str]:
    return {name: "" if (value := getattr(interview, name)) is None else str(value)
            for name in INTERVIEW_FIELDS if name != "themes"}


async def _submitted(request: Request, data: Mapping[str, Any]) -> tuple[dict[str, str], list[str], str]:
    form = await request.form()
    fields = {name: form_text(data, name) for name in INTERVIEW_FIELDS if name != "themes"}
    return fields, [value for value in form.getall("themes", []) if isinstance(value, str)], form_text(data, "intent")


@get("/interviews/new", name="interviews.new", guards=hr_only)
async def new_interview(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    return _form_page(request, action="/interviews/new", form=_new_form(), selected=set(),
                      options=await form_options(db))


@post("/interviews/new", name="interviews.create", guards=hr_only)
async def create_interview(
    request: Request,
    db: NamedDependency[AsyncSession],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    fields, theme_values, intent = await _submitted(request, data)
    options = await form_options(db)
    checked = check_interview(fields, theme_values=theme_values, options=options, today=clock.today())
    if intent == "suggest" or checked.errors:
        return _form_page(
            request, action="/interviews/new", form=fields, selected=set(checked.theme_ids), options=options,
            errors={} if intent == "suggest" else checked.errors, status_code=200 if intent == "suggest" else 400,
            suggestions=suggestions_for(checked.values, themes=options.themes),
        )
    user: User = request.user
    interview = ExitInterview(
        **checked.values, interviewer_id=user.id if checked.values["channel"] == Channel.INTERVIEW else None,
    )
    db.add(interview)
    await db.flush()
    db.add_all(InterviewTheme(interview_id=interview.id, theme_id=theme_id) for theme_id in checked.theme_ids)
    audit.record(db, actor=user, verb="create", entity="exit_interview", entity_id=interview.id,
                 changes={**_audited(checked.values), "themes": checked.theme_ids}, request=request)
    return Redirect(f"/interviews/{interview.id}", status_code=303)


@get("/interviews/{interview_id:int}", name="interviews.show", guards=hr_only)
async def show_interview(request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int]) -> Template:
    interview = await _get(db, interview_id)
    settings: Settings = request.app.state.settings
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
        "retention": retention.retention_of(interview.exit_date, settings=settings),
    }
    return Template("interviews/show.html", context=context)


@get("/interviews/{interview_id:int}/export", name="interviews.export", guards=hr_only)
async def export_interview(request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int]) -> Response:
    """One interview as a JSON file, for a leaver's access request: every answer, the themes, the dates."""
    interview = await _get(db, interview_id)
    settings: Settings = request.app.state.settings
    department = await db.get(Department, interview.department_id)
    job_family = await db.get(JobFamily, interview.job_family_id)
    themes = (await db.execute(
        select(Theme).join(InterviewTheme, InterviewTheme.theme_id == Theme.id)
        .where(InterviewTheme.interview_id == interview.id).order_by(Theme.position, Theme.id)
    )).scalars().all()
    kept = retention.retention_of(interview.exit_date, settings=settings)
    content = {
        "interview": interview.id,
        "department": department.name if department else None,
        "job_family": job_family.name if job_family else None,
        "channel": interview.channel,
        "language": interview.language,
        **{name: _exported(getattr(interview, name)) for name in ANSWER_FIELDS},
        "notes": interview.notes,
        # In the language of the answers: the leaver's own, for an access request.
        "themes": [theme.name(interview.language) for theme in themes],
        "recorded_on": interview.created_at.date().isoformat(),
        "last_changed_on": interview.updated_at.date().isoformat(),
        "free_text_erased_on": _exported(kept.free_text_on),
        "interview_erased_on": _exported(kept.interview_on),
    }
    audit.record(db, actor=request.user, verb="export", entity="exit_interview", entity_id=interview.id,
                 request=request)
    return Response(content=content, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="exit-interview-{interview.id}.json"',
        "Cache-Control": "no-store",
    })


def _exported(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _as_values(interview: ExitInterview) -> dict[str, Any]:
    return {name: getattr(interview, name) for name in INTERVIEW_FIELDS if name != "themes"}


@get("/interviews/{interview_id:int}/edit", name="interviews.edit", guards=hr_only)
async def edit_interview(request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int]) -> Template:
    interview = await _get(db, interview_id)
    options = await form_options(db)
    theme_ids = await tagged_theme_ids(db, interview_id=interview.id)
    return _form_page(
        request, action=f"/interviews/{interview.id}/edit", form=_form_of(interview), selected=set(theme_ids),
        options=options, interview=interview, current_theme_ids=theme_ids,
        suggestions=suggestions_for(_as_values(interview), themes=options.themes),
    )


@post("/interviews/{interview_id:int}/edit", name="interviews.update", guards=hr_only)
async def update_interview(
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
                              current=interview, current_theme_ids=before_themes)
    if intent == "suggest" or checked.errors:
        return _form_page(
            request, action=f"/interviews/{interview.id}/edit", form=fields, selected=set(checked.theme_ids),
            options=options, interview=interview, current_theme_ids=before_themes,
            errors={} if intent == "suggest" else checked.errors, status_code=200 if intent == "suggest" else 400,
            suggestions=suggestions_for(checked.values, themes=options.themes),
        )
    before = {name: getattr(interview, name) for name in checked.values}
    for name, value in checked.values.items():
        setattr(interview, name, value)
    changes = audit.changed_fields(_audited(before), _audited(checked.values))
    for name in FREE_TEXTS:
        if before[name] != checked.values[name]:
            changes[name] = [f"{len(before[name])} characters", f"{len(checked.values[name])} characters"]
    after_themes = set(checked.theme_ids)
    if after_themes != before_themes:
        changes["themes"] = [sorted(before_themes), sorted(after_themes)]
        await db.execute(delete(InterviewTheme).where(
            InterviewTheme.interview_id == interview.id, InterviewTheme.theme_id.not_in(after_themes)
        ))
        db.add_all(InterviewTheme(interview_id=interview.id, theme_id=theme_id)
                   for theme_id in sorted(after_themes - before_themes))
    if changes:
        interview.updated_at = clock.utcnow()
        audit.record(db, actor=request.user, verb="update", entity="exit_interview", entity_id=interview.id,
                     changes=changes, request=request)
    return Redirect(f"/interviews/{interview.id}", status_code=303)


@post("/interviews/{interview_id:int}/delete", name="interviews.delete", guards=hr_only)
async def delete_interview(request: Request, db: NamedDependency[AsyncSession], interview_id: FromPath[int]) -> Redirect:
    """Erase an interview everywhere: its row and tags, the answers in its audit entries, SQLite's log."""
    interview = await _get(db, interview_id)
    await retention.erase_interviews(db, condition=ExitInterview.id == interview.id)
    # Added after the erasure, so it stays: "interview N deleted by X", no answers.
    audit.record(db, actor=request.user, verb="delete", entity="exit_interview", entity_id=interview.id,
                 request=request)
    # Committed here rather than at the end of the request: the checkpoint must see the deletion.
    await db.commit()
    await checkpoint(request.app.state.engine)
    return Redirect("/interviews", status_code=303)


routes = [interviews_page, new_interview, create_interview, show_interview, export_interview, edit_interview,
          update_interview, delete_interview]
